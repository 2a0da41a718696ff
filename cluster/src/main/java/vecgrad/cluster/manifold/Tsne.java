package vecgrad.cluster.manifold;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import vecgrad.kernels.Parallel;

/**
 * t-distributed stochastic neighbour embedding of {@code x: [n, d]} into {@code [n, components]},
 * following scikit-learn 1.2's {@code TSNE} step for step:
 * <ol>
 *   <li>P: Gaussian conditionals calibrated to the perplexity ({@link TsneAffinities}), symmetrised;
 *       dense for the exact method, over the ⌊3·perplexity + 1⌋ nearest neighbours for Barnes–Hut;</li>
 *   <li>Y₀: PCA scaled to std 1e-4 on its first axis, or N(0, 1e-4²);</li>
 *   <li>gradient descent with momentum and per-coordinate gains (+0.2 when the gradient's sign
 *       flips against the update, ×0.8 otherwise, floored at minGain), first on P·earlyExaggeration
 *       with the initial momentum, then on P with the final momentum; gains and the update are
 *       reset between the stages. KL is computed every {@code checkEvery} iterations and at the last;
 *       a stage stops when the gradient norm at a check is ≤ minGradNorm or the KL has not improved
 *       for {@code iterationsWithoutProgress} iterations.</li>
 * </ol>
 * {@snippet :
 * TsneResult fit = Tsne.fit(TsneConfig.of(42).withPerplexity(20), data); // data: double[n][d]
 * double kl = fit.klDivergence();
 * }
 *
 * <p>References: van der Maaten and Hinton, Visualizing Data using t-SNE, JMLR 9 (2008);
 * van der Maaten, Accelerating t-SNE using Tree-Based Algorithms, JMLR 15 (2014);
 * Jacobs, Increased rates of convergence through learning rate adaptation (1988) for the gains;
 * Poličar, Stražar and Zupan, openTSNE (2019) for {@link #transform}.
 */
public final class Tsne {
    /** scikit-learn's random init scale and the std the PCA init is scaled to. */
    static final double INIT_SCALE = 1e-4;
    /** Gain increment and decay of the delta-bar-delta rule (scikit-learn's 0.2 and 0.8). */
    static final double GAIN_INCREMENT = 0.2;
    static final double GAIN_DECAY = 0.8;
    /** Neighbours per point for the sparse P: scikit-learn's min(n − 1, ⌊3·perplexity + 1⌋). */
    static final double NEIGHBOURS_PER_PERPLEXITY = 3;
    /** Transform: iterations of the per-point line-search descent, and the step bounds. */
    static final int TRANSFORM_ITERATIONS = 200;
    static final double TRANSFORM_MAX_STEP = 64;
    static final double TRANSFORM_MIN_STEP = 1e-12;
    /** Armijo constant of the transform line search. */
    static final double ARMIJO = 1e-4;
    private static final int CHUNK_ROWS = 64;

    private Tsne() {}

    /** Fits on {@code x: [n, d]} (or an [n, n] distance matrix when {@code config.precomputed()}). */
    public static TsneResult fit(TsneConfig config, double[][] x) {
        return fit(config, DenseInput.of("tsne", x), null);
    }

    /** Float32 overload of {@link #fit(TsneConfig, double[][])}; computes in float64. */
    public static TsneResult fit(TsneConfig config, float[][] x) {
        return fit(config, DenseInput.of("tsne", x), null);
    }

    /** Fits and reports the KL at every check to {@code progress}, which may stop the fit. */
    public static TsneResult fit(TsneConfig config, double[][] x, TsneProgress progress) {
        return fit(config, DenseInput.of("tsne", x), progress);
    }

    /**
     * Fits starting from a given embedding {@code initial: [n, components]} instead of
     * {@code config.init()} (scikit-learn's {@code init=ndarray}); {@code progress} may be null.
     */
    public static TsneResult fit(TsneConfig config, double[][] x, double[][] initial, TsneProgress progress) {
        DenseInput start = DenseInput.of("tsne initial embedding", initial);
        DenseInput input = DenseInput.of("tsne", x);
        if (start.rows() != input.rows() || start.cols() != config.components()) {
            throw new IllegalArgumentException("tsne: initial embedding has the wrong shape; got [" + start.rows() + ", "
                    + start.cols() + "], expected [" + input.rows() + ", " + config.components() + "]");
        }
        return fit(config, input, start.values(), progress);
    }

    /** Fits a validated input; {@code progress} may be null. */
    public static TsneResult fit(TsneConfig config, DenseInput input, TsneProgress progress) {
        return fit(config, input, null, progress);
    }

    private static TsneResult fit(TsneConfig config, DenseInput input, double[] initial, TsneProgress progress) {
        int n = input.rows();
        if (n < 2) {
            throw new IllegalArgumentException("tsne: too few samples; got n_samples = " + n + ", expected at least 2");
        }
        TsneAffinities.checkPerplexity("tsne", config.perplexity(), n);
        double[] data = input.data();
        if (config.precomputed()) {
            checkDistanceMatrix(input);
        }
        double[] densePairs = null;
        SparseAffinities sparsePairs = null;
        int unconverged;
        if (config.method() == TsneConfig.Method.EXACT) {
            double[] distances = config.precomputed() ? data : Neighbors.squaredDistances(data, n, input.cols());
            TsneAffinities.Dense dense = TsneAffinities.fromSquaredDistances(distances, n, config.perplexity());
            densePairs = dense.jointArray();
            unconverged = dense.unconverged();
        } else {
            int k = Math.min(n - 1, (int) (NEIGHBOURS_PER_PERPLEXITY * config.perplexity() + 1));
            KnnGraph graph = config.precomputed() ? nearestInMatrix(data, n, k)
                    : Neighbors.exact(data, n, input.cols(), k);
            sparsePairs = TsneAffinities.sparse(graph, config.perplexity());
            unconverged = sparsePairs.unconverged();
        }
        double[] y = initial != null ? initial : initialEmbedding(config, input);
        double learningRate = config.learningRateFor(n);
        Optimizer optimizer = new Optimizer(config, n, densePairs, sparsePairs, learningRate, progress);
        optimizer.run(y);
        double[][] embedding = new double[n][config.components()];
        for (int i = 0; i < n; i++) {
            System.arraycopy(y, i * config.components(), embedding[i], 0, config.components());
        }
        return new TsneResult(embedding, optimizer.lastKl, optimizer.history, optimizer.historyIterations,
                optimizer.iterations, learningRate, unconverged, config, config.precomputed() ? null : input);
    }

    /** Rejects a precomputed matrix that is not square or has negative entries (NaN was rejected on input). */
    private static void checkDistanceMatrix(DenseInput input) {
        if (input.cols() != input.rows()) {
            throw new IllegalArgumentException("tsne: a precomputed distance matrix must be square; got ["
                    + input.rows() + ", " + input.cols() + "], expected [" + input.rows() + ", " + input.rows() + "]");
        }
        double[] d = input.data();
        int n = input.rows();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (d[i * n + j] < 0) {
                    throw new IllegalArgumentException("tsne: a precomputed distance matrix has a negative entry at row "
                            + i + ", column " + j + "; got " + d[i * n + j] + ", expected distances >= 0");
                }
            }
        }
    }

    /** k nearest neighbours read from a precomputed [n, n] matrix (diagonal skipped, ties by index). */
    private static KnnGraph nearestInMatrix(double[] d, int n, int k) {
        int[] indices = new int[n * k];
        double[] distances = new double[n * k];
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int r1 = Math.min(n, (chunk + 1) * CHUNK_ROWS);
            for (int i = chunk * CHUNK_ROWS; i < r1; i++) {
                Integer[] order = new Integer[n - 1];
                int at = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        order[at++] = j;
                    }
                }
                final int row = i;
                Arrays.sort(order, (a, b) -> d[row * n + a] != d[row * n + b]
                        ? Double.compare(d[row * n + a], d[row * n + b]) : Integer.compare(a, b));
                for (int r = 0; r < k; r++) {
                    indices[i * k + r] = order[r];
                    distances[i * k + r] = d[i * n + order[r]];
                }
            }
        });
        return new KnnGraph(n, k, indices, distances);
    }

    private static double[] initialEmbedding(TsneConfig config, DenseInput input) {
        int n = input.rows(), dims = config.components();
        if (config.init() == TsneConfig.Init.PCA) {
            double[] y = PcaInit.project(input.data(), n, input.cols(), dims, config.seed());
            double mean = 0, square = 0;
            for (int i = 0; i < n; i++) {
                mean += y[i * dims];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                square += (y[i * dims] - mean) * (y[i * dims] - mean);
            }
            double std = Math.sqrt(square / n);
            // All points identical: the PCA axis is undefined and scaling would divide by 0; start at random instead.
            if (std > 0 && Double.isFinite(std)) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = y[i] / std * INIT_SCALE;
                }
                return y;
            }
        }
        SplittableRandom rng = new SplittableRandom(config.seed());
        double[] y = new double[n * dims];
        for (int i = 0; i < y.length; i++) {
            y[i] = INIT_SCALE * rng.nextGaussian();
        }
        return y;
    }

    /** scikit-learn's {@code _gradient_descent}, run once per stage, with the KL bookkeeping. */
    private static final class Optimizer {
        final TsneConfig config;
        final int n;
        final double[] densePairs;
        final SparseAffinities sparsePairs;
        final double learningRate;
        final TsneProgress progress;
        final List<Double> history = new ArrayList<>();
        final List<Integer> historyIterations = new ArrayList<>();
        final TsneGradient.Workspace workspace = new TsneGradient.Workspace();
        double lastKl = Double.NaN;
        int iterations;
        boolean stopped;

        Optimizer(TsneConfig config, int n, double[] densePairs, SparseAffinities sparsePairs, double learningRate,
                  TsneProgress progress) {
            this.config = config;
            this.n = n;
            this.densePairs = densePairs;
            this.sparsePairs = sparsePairs;
            this.learningRate = learningRate;
            this.progress = progress;
        }

        void run(double[] y) {
            int exploration = Math.min(config.exaggerationIterations(), config.maxIter());
            int end = 0;
            if (exploration > 0) {
                end = stage(y, 0, exploration, config.earlyExaggeration(), config.initialMomentum(),
                        config.exaggerationIterations());
            }
            // As scikit-learn: the final stage starts where the exploration stopped (early if it converged).
            if (!stopped && (end < exploration || config.maxIter() > exploration)) {
                end = stage(y, end, config.maxIter(), 1, config.finalMomentum(), config.iterationsWithoutProgress());
            }
            iterations = end;
        }

        /** Runs iterations [from, to); returns the number of iterations done after the stage. */
        int stage(double[] y, int from, int to, double exaggeration, double momentum, int withoutProgress) {
            int size = y.length;
            double[] update = new double[size];
            double[] gains = new double[size];
            Arrays.fill(gains, 1);
            double[] grad = new double[size];
            double bestKl = Double.MAX_VALUE;
            int bestIteration = from;
            for (int i = from; i < to; i++) {
                boolean check = (i + 1) % config.checkEvery() == 0;
                boolean last = i == to - 1;
                double kl = objective(y, exaggeration, grad, check || last);
                for (int c = 0; c < size; c++) {
                    if (update[c] * grad[c] < 0) { // the gradient turned against the last step: accelerate
                        gains[c] += GAIN_INCREMENT;
                    } else {
                        gains[c] *= GAIN_DECAY;
                    }
                    gains[c] = Math.max(gains[c], config.minGain());
                    grad[c] *= gains[c];
                    update[c] = momentum * update[c] - learningRate * grad[c];
                    y[c] += update[c];
                }
                if (check || last) {
                    lastKl = kl;
                    history.add(kl);
                    historyIterations.add(i + 1);
                    if (progress != null && !progress.report(i + 1, kl)) {
                        stopped = true;
                        return i + 1;
                    }
                }
                if (check) {
                    double norm = 0;
                    for (double g : grad) {
                        norm += g * g;
                    }
                    norm = Math.sqrt(norm);
                    if (kl < bestKl) {
                        bestKl = kl;
                        bestIteration = i;
                    } else if (i - bestIteration > withoutProgress) {
                        return i + 1;
                    }
                    if (norm <= config.minGradNorm()) {
                        return i + 1;
                    }
                }
            }
            return to;
        }

        double objective(double[] y, double exaggeration, double[] grad, boolean computeKl) {
            if (densePairs != null) {
                return TsneGradient.exact(densePairs, y, n, config.components(), exaggeration, grad, computeKl);
            }
            return TsneGradient.barnesHut(sparsePairs, y, config.theta(), exaggeration, grad, computeKl, workspace);
        }
    }

    /**
     * Places {@code points: [m, d]} into a fitted embedding, with the fitted points held fixed (as
     * openTSNE's {@code transform}). Each new point q is placed on its own: its conditional p_j
     * over its ⌊3·perplexity + 1⌋ nearest training points is calibrated to the fit's perplexity,
     * it starts at the p-weighted mean of those points' positions, and it then minimises
     * KL_q = Σ_j p_j ln(p_j / q_j) with q_j = w_qj / Σ_{all training j} w_qj (Student-t w) by
     * gradient descent with a backtracking line search; the gradient is
     * 2 Σ_j (p_j − q_j) w_qj (y_q − y_j). Repulsion uses the fit's method (exact or the quadtree).
     * New points do not interact, so a point's place does not depend on the others in the batch.
     *
     * @return [m][components] positions of the new points
     */
    public static double[][] transform(TsneResult fit, double[][] points) {
        return transform(fit, DenseInput.of("tsne transform", points));
    }

    static double[][] transform(TsneResult fit, DenseInput points) {
        DenseInput training = fit.training();
        if (training == null) {
            throw new IllegalStateException("tsne transform: the fit used precomputed distances, so distances from new "
                    + "points to the training points are unknown; fit on data to transform");
        }
        if (points.cols() != training.cols()) {
            throw new IllegalArgumentException("tsne transform: feature count differs; got " + points.cols()
                    + " columns, expected " + training.cols() + " (as in the fit)");
        }
        TsneConfig config = fit.config();
        int m = training.rows(), q = points.rows(), dims = config.components();
        int k = Math.min(m, (int) (NEIGHBOURS_PER_PERPLEXITY * config.perplexity() + 1));
        KnnGraph graph = Neighbors.query(points.data(), q, training.data(), m, training.cols(), k, false);
        double desired = Math.log((float) Math.min(config.perplexity(), k));
        double[] p = new double[q * k];
        double[] beta = new double[q];
        double[] distances = graph.squaredDistances();
        int[] neighbours = graph.indices();
        double[] reference = fit.flatEmbedding();
        QuadTree tree = config.method() == TsneConfig.Method.BARNES_HUT ? new QuadTree(reference, m) : null;
        double thetaSquared = config.theta() * config.theta();
        double[] placed = new double[q * dims];
        Parallel.forEach(Parallel.chunks(q, CHUNK_ROWS), chunk -> {
            int r1 = Math.min(q, (chunk + 1) * CHUNK_ROWS);
            PointObjective objective = new PointObjective(reference, m, dims, tree, thetaSquared);
            for (int i = chunk * CHUNK_ROWS; i < r1; i++) {
                TsneAffinities.calibrateRow(distances, i * k, k, -1, desired, p, i * k, beta, i);
                objective.place(neighbours, p, i * k, k, placed, i * dims);
            }
        });
        double[][] out = new double[q][dims];
        for (int i = 0; i < q; i++) {
            System.arraycopy(placed, i * dims, out[i], 0, dims);
        }
        return out;
    }

    /** KL of one new point against the fixed embedding, and its line-search descent. */
    private static final class PointObjective {
        final double[] reference;
        final int m;
        final int dims;
        final QuadTree tree;
        final double thetaSquared;
        final double[] repulsion;
        final double[] grad;
        final double[] trial;

        PointObjective(double[] reference, int m, int dims, QuadTree tree, double thetaSquared) {
            this.reference = reference;
            this.m = m;
            this.dims = dims;
            this.tree = tree;
            this.thetaSquared = thetaSquared;
            this.repulsion = new double[dims];
            this.grad = new double[dims];
            this.trial = new double[dims];
        }

        void place(int[] neighbours, double[] p, int off, int k, double[] out, int outOff) {
            double[] y = new double[dims];
            for (int r = 0; r < k; r++) {
                int j = neighbours[off + r];
                for (int c = 0; c < dims; c++) {
                    y[c] += p[off + r] * reference[j * dims + c];
                }
            }
            double value = evaluate(y, neighbours, p, off, k, true);
            double step = 1;
            for (int iteration = 0; iteration < TRANSFORM_ITERATIONS; iteration++) {
                double norm2 = 0;
                for (int c = 0; c < dims; c++) {
                    norm2 += grad[c] * grad[c];
                }
                if (norm2 == 0) {
                    break;
                }
                double[] direction = grad.clone();
                boolean accepted = false;
                while (step >= TRANSFORM_MIN_STEP) {
                    for (int c = 0; c < dims; c++) {
                        trial[c] = y[c] - step * direction[c];
                    }
                    double candidate = evaluate(trial, neighbours, p, off, k, false);
                    if (candidate <= value - ARMIJO * step * norm2) {
                        System.arraycopy(trial, 0, y, 0, dims);
                        value = evaluate(y, neighbours, p, off, k, true);
                        accepted = true;
                        break;
                    }
                    step /= 2;
                }
                if (!accepted) {
                    break;
                }
                step = Math.min(2 * step, TRANSFORM_MAX_STEP);
            }
            System.arraycopy(y, 0, out, outOff, dims);
        }

        /** KL_q up to the constant Σ p ln p: −Σ_j p_j ln w_qj + ln Z; fills {@link #grad} when asked. */
        double evaluate(double[] y, int[] neighbours, double[] p, int off, int k, boolean withGradient) {
            double z;
            java.util.Arrays.fill(repulsion, 0);
            if (tree != null) {
                z = tree.repulsion(y[0], y[1], -1, thetaSquared, repulsion, 0);
            } else {
                z = 0;
                for (int j = 0; j < m; j++) {
                    double d2 = 0;
                    for (int c = 0; c < dims; c++) {
                        double diff = y[c] - reference[j * dims + c];
                        d2 += diff * diff;
                    }
                    double w = 1 / (1 + d2);
                    z += w;
                    for (int c = 0; c < dims; c++) {
                        repulsion[c] += w * w * (y[c] - reference[j * dims + c]);
                    }
                }
            }
            double value = Math.log(z);
            if (withGradient) {
                for (int c = 0; c < dims; c++) {
                    grad[c] = -2 * repulsion[c] / z; // −2 Σ_j q_j w_qj (y_q − y_j)
                }
            }
            for (int r = 0; r < k; r++) {
                int j = neighbours[off + r];
                double d2 = 0;
                for (int c = 0; c < dims; c++) {
                    double diff = y[c] - reference[j * dims + c];
                    d2 += diff * diff;
                }
                double w = 1 / (1 + d2);
                value -= p[off + r] * Math.log(w);
                if (withGradient) {
                    for (int c = 0; c < dims; c++) {
                        grad[c] += 2 * p[off + r] * w * (y[c] - reference[j * dims + c]); // 2 p_j w_qj (y_q − y_j)
                    }
                }
            }
            return value;
        }
    }
}
