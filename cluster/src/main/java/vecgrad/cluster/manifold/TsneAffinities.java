package vecgrad.cluster.manifold;

import vecgrad.kernels.Parallel;

/**
 * The input affinities of t-SNE: per-point Gaussian conditionals p_{j|i} calibrated to a
 * perplexity, and the joint P = (P_cond + P_condᵀ) / Σ.
 *
 * <p>The calibration is scikit-learn's {@code _binary_search_perplexity}, step for step: for row i,
 * β starts at 1 and is doubled/halved or bisected until the entropy
 * H = ln S + β Σ_j D_ij p_ij is within {@link #ENTROPY_TOLERANCE} of ln(perplexity), at most
 * {@link #MAX_STEPS} times. The first iterate within tolerance is kept, not the exact root, so
 * results agree with scikit-learn to the last bits. A row whose exponentials all underflow
 * (S = 0, a far outlier) uses S = {@link #TINY_SUM} instead of dividing by 0; a row whose
 * distances are all equal (duplicates) has a uniform P at any β.
 *
 * <p>References: van der Maaten and Hinton, Visualizing Data using t-SNE, JMLR 9 (2008);
 * scikit-learn {@code sklearn/manifold/_utils.pyx} and {@code _t_sne.py} (1.2).
 */
public final class TsneAffinities {
    /** scikit-learn's {@code PERPLEXITY_TOLERANCE = 1e-5}, a float32 constant widened to double. */
    public static final double ENTROPY_TOLERANCE = (double) 1e-5f;
    /** scikit-learn's {@code n_steps = 100}. */
    public static final int MAX_STEPS = 100;
    /** scikit-learn's {@code EPSILON_DBL = 1e-8} (a float32 constant) used when every p_j underflows to 0. */
    public static final double TINY_SUM = (double) 1e-8f;
    /** numpy's float64 machine epsilon 2^-52: scikit-learn's floor on P and Q. */
    public static final double MACHINE_EPSILON = Math.ulp(1.0);
    /** Rows per parallel chunk of the calibration. */
    private static final int CHUNK_ROWS = 32;

    private TsneAffinities() {}

    /**
     * Dense affinities of the exact method.
     *
     * @param conditional [n, n] row-major p_{j|i}; every row sums to 1, zero diagonal
     * @param beta        [n] the calibrated precision β_i = 1 / (2σ_i²) of each row
     * @param joint       [n, n] symmetric P, sums to 1, off-diagonal floored at {@link #MACHINE_EPSILON}
     * @param unconverged rows whose bisection did not reach the tolerance in {@link #MAX_STEPS} steps
     */
    public record Dense(int n, double[] conditional, double[] beta, double[] joint, int unconverged) {
        public Dense {
            conditional = conditional.clone();
            beta = beta.clone();
            joint = joint.clone();
        }

        @Override
        public double[] conditional() {
            return conditional.clone();
        }

        @Override
        public double[] beta() {
            return beta.clone();
        }

        @Override
        public double[] joint() {
            return joint.clone();
        }

        /** Copy-free accessor of P_ij. */
        public double joint(int i, int j) {
            return joint[i * n + j];
        }

        /** The joint P without a copy, for the optimizer in this package. */
        double[] jointArray() {
            return joint;
        }
    }

    /** Checks 0 &lt; perplexity &lt; n with scikit-learn's message. */
    static void checkPerplexity(String op, double perplexity, int n) {
        if (!(perplexity > 0)) {
            throw new IllegalArgumentException(op + ": perplexity must be greater than 0; got " + perplexity
                    + ", expected 0 < perplexity < n_samples = " + n);
        }
        if (!(perplexity < n)) {
            throw new IllegalArgumentException(op + ": perplexity must be less than n_samples; got perplexity "
                    + perplexity + " with n_samples " + n + ", expected perplexity < " + n);
        }
    }

    /** Dense affinities of data {@code x: [n, d]} (squared Euclidean distances). */
    public static Dense dense(double[][] x, double perplexity) {
        DenseInput input = DenseInput.of("tsne", x);
        checkPerplexity("tsne", perplexity, input.rows());
        return fromSquaredDistances(Neighbors.squaredDistances(input.data(), input.rows(), input.cols()),
                input.rows(), perplexity);
    }

    /**
     * Dense affinities from a matrix of distances {@code distances: [n, n]} (row-major; the
     * diagonal is ignored), used as is in exp(−β·D).
     */
    public static Dense fromSquaredDistances(double[] distances, int n, double perplexity) {
        double desired = Math.log((float) perplexity); // scikit-learn passes the perplexity as float32
        double[] conditional = new double[n * n];
        double[] beta = new double[n];
        int[] unconverged = new int[n];
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int r1 = Math.min(n, (chunk + 1) * CHUNK_ROWS);
            for (int i = chunk * CHUNK_ROWS; i < r1; i++) {
                unconverged[i] = calibrateRow(distances, i * n, n, i, desired, conditional, i * n, beta, i) ? 0 : 1;
            }
        });
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                total += conditional[i * n + j] + conditional[j * n + i];
            }
        }
        double sum = Math.max(total, MACHINE_EPSILON);
        double[] joint = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                joint[i * n + j] = i == j ? 0 : Math.max((conditional[i * n + j] + conditional[j * n + i]) / sum,
                        MACHINE_EPSILON);
            }
        }
        int failed = 0;
        for (int flag : unconverged) {
            failed += flag;
        }
        return new Dense(n, conditional, beta, joint, failed);
    }

    /**
     * Sparse joint P from a kNN graph (scikit-learn's {@code _joint_probabilities_nn}): each row's
     * conditional is calibrated over its k neighbours' squared distances, then P = C + Cᵀ is
     * normalised to sum 1. No floor: entries outside the graph are 0.
     */
    public static SparseAffinities sparse(KnnGraph graph, double perplexity) {
        int n = graph.n(), k = graph.k();
        double desired = Math.log((float) perplexity);
        double[] distances = graph.squaredDistances();
        int[] neighbours = graph.indices();
        double[] conditional = new double[n * k];
        double[] beta = new double[n];
        int[] unconverged = new int[n];
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int r1 = Math.min(n, (chunk + 1) * CHUNK_ROWS);
            for (int i = chunk * CHUNK_ROWS; i < r1; i++) {
                unconverged[i] = calibrateRow(distances, i * k, k, -1, desired, conditional, i * k, beta, i) ? 0 : 1;
            }
        });
        int failed = 0;
        for (int flag : unconverged) {
            failed += flag;
        }
        return SparseAffinities.symmetrize(n, k, neighbours, conditional, failed);
    }

    /**
     * Calibrates one row: {@code len} distances from {@code distances[off]}, skipping position
     * {@code skip} (the point itself, or −1); writes p to {@code p[pOff...]} and β to
     * {@code betaOut[betaAt]}, and returns whether the tolerance was reached (if not, the best β
     * seen is kept).
     */
    static boolean calibrateRow(double[] distances, int off, int len, int skip, double desired, double[] p, int pOff,
                                double[] betaOut, int betaAt) {
        double beta = 1;
        double betaMin = Double.NEGATIVE_INFINITY;
        double betaMax = Double.POSITIVE_INFINITY;
        double bestBeta = beta;
        double bestGap = Double.POSITIVE_INFINITY;
        for (int step = 0; step < MAX_STEPS; step++) {
            double gap = entropyGap(distances, off, len, skip, beta, desired, p, pOff);
            if (Math.abs(gap) <= ENTROPY_TOLERANCE) {
                betaOut[betaAt] = beta;
                return true;
            }
            if (Math.abs(gap) < bestGap) {
                bestGap = Math.abs(gap);
                bestBeta = beta;
            }
            if (gap > 0) { // entropy too high: sharpen the Gaussian
                betaMin = beta;
                beta = betaMax == Double.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
            } else {
                betaMax = beta;
                beta = betaMin == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
            }
        }
        // No step reached the tolerance (e.g. every distance equal): keep the best β, as FAULTS.md §5 asks.
        entropyGap(distances, off, len, skip, bestBeta, desired, p, pOff);
        betaOut[betaAt] = bestBeta;
        return false;
    }

    /** Writes the normalised p for this β and returns H − desired. */
    private static double entropyGap(double[] distances, int off, int len, int skip, double beta, double desired,
                                     double[] p, int pOff) {
        double sum = 0;
        for (int j = 0; j < len; j++) {
            double value = j == skip ? 0 : Math.exp(-distances[off + j] * beta);
            p[pOff + j] = value;
            sum += value;
        }
        if (sum == 0) {
            sum = TINY_SUM;
        }
        double weighted = 0;
        for (int j = 0; j < len; j++) {
            double value = p[pOff + j] / sum;
            p[pOff + j] = value;
            if (j != skip) { // the diagonal adds D_ii·0 = 0 in scikit-learn; skipping it keeps any diagonal value out
                weighted += distances[off + j] * value;
            }
        }
        double entropy = Math.log(sum) + beta * weighted;
        return entropy - desired;
    }
}
