package vecgrad.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fitted Gaussian mixture. Deeply immutable (arrays copied in and out; records compare array
 * components by reference).
 *
 * @param covarianceType shape of the covariances
 * @param weights        [K] mixing weights, summing to 1
 * @param means          [K][d] component means
 * @param covariances    [K][d][d] component covariances (including regCovar) as full matrices whatever the
 *                       type: TIED repeats one matrix, DIAG and SPHERICAL are diagonal
 * @param lowerBounds    mean log-likelihood lower bound of each EM iteration of the best run, computed in
 *                       the E step (so under the parameters before that iteration's M step); non-decreasing
 * @param iterations     EM iterations of the best run
 * @param converged      whether the best run stopped on {@code tol} rather than {@code maxIter}
 * @param warnings       non-fatal findings, e.g. no convergence within {@code maxIter}
 */
public record GaussianMixtureResult(CovarianceType covarianceType, double[] weights, double[][] means,
                                    double[][][] covariances, List<Double> lowerBounds, int iterations,
                                    boolean converged, List<String> warnings) {
    public GaussianMixtureResult {
        if (covarianceType == null || weights == null || means == null || covariances == null || lowerBounds == null
                || lowerBounds.isEmpty() || weights.length == 0 || means.length != weights.length
                || covariances.length != weights.length) {
            throw Check.fail(Mixture.OP, "inconsistent mixture parameters",
                    (weights == null ? "null" : weights.length) + " weights, "
                            + (means == null ? "null" : means.length) + " means, "
                            + (covariances == null ? "null" : covariances.length) + " covariances, "
                            + (lowerBounds == null ? "null" : lowerBounds.size()) + " lower bounds",
                    "K >= 1 of each and at least one lower bound");
        }
        for (int j = 0; j < weights.length; j++) {
            int d = means[0].length;
            if (means[j].length != d || covariances[j].length != d
                    || Arrays.stream(covariances[j]).anyMatch(row -> row.length != d)) {
                throw Check.fail(Mixture.OP, "component " + j + " does not match the dimension", "mean of length "
                        + means[j].length + " and covariance with " + covariances[j].length + " rows",
                        "[" + d + "] and [" + d + ", " + d + "]");
            }
        }
        weights = weights.clone();
        means = Check.copy(means);
        covariances = Check.copy(covariances);
        lowerBounds = List.copyOf(lowerBounds);
        warnings = List.copyOf(warnings);
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public double[][] means() {
        return Check.copy(means);
    }

    @Override
    public double[][][] covariances() {
        return Check.copy(covariances);
    }

    public int k() {
        return weights.length;
    }

    public int dimension() {
        return means[0].length;
    }

    public double weight(int j) {
        return weights[j];
    }

    public double mean(int j, int c) {
        return means[j][c];
    }

    public double covariance(int j, int r, int c) {
        return covariances[j][r][c];
    }

    /** scikit-learn's {@code lower_bound_}: the lower bound of the last iteration of the best run. */
    public double lowerBound() {
        return lowerBounds.get(lowerBounds.size() - 1);
    }

    /** [n][K] posterior probability of each component for each row of x [n][d]. */
    public double[][] predictProba(double[][] x) {
        Check.matrix(Mixture.OP + " predict_proba", x, dimension());
        int n = x.length, k = k();
        double[] resp = new double[n * k];
        mixture().expectation(flat(x), n, resp, new double[n]);
        return KMeans.unflatten(resp, n, k);
    }

    /** [n] most probable component of each row of x [n][d]. */
    public int[] predict(double[][] x) {
        double[][] proba = predictProba(x);
        int[] labels = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 1; j < k(); j++) {
                if (proba[i][j] > proba[i][labels[i]]) {
                    labels[i] = j;
                }
            }
        }
        return labels;
    }

    /** [n] log p(x_i) = log Σ_j w_j N(x_i | μ_j, Σ_j) for each row of x [n][d]. */
    public double[] scoreSamples(double[][] x) {
        Check.matrix(Mixture.OP + " score_samples", x, dimension());
        double[] logNorm = new double[x.length];
        mixture().expectation(flat(x), x.length, null, logNorm);
        return logNorm;
    }

    /** Mean log-likelihood of the rows of x [n][d]. */
    public double score(double[][] x) {
        return Mixture.mean(scoreSamples(x));
    }

    /** Free parameters: K·d means, K − 1 weights and the covariance parameters of the type. */
    public long parameterCount() {
        return (long) k() * dimension() + k() - 1 + covarianceType.covarianceParameters(k(), dimension());
    }

    /** Bayesian information criterion on x [n][d]: −2·n·score(x) + p·ln n (lower is better). */
    public double bic(double[][] x) {
        return -2 * score(x) * x.length + parameterCount() * Math.log(x.length);
    }

    /** Akaike information criterion on x [n][d]: −2·n·score(x) + 2p (lower is better). */
    public double aic(double[][] x) {
        return -2 * score(x) * x.length + 2 * parameterCount();
    }

    /** Samples drawn from a mixture, with the component each came from. */
    public record Sample(double[][] x, int[] components) {
        public Sample {
            x = Check.copy(x);
            components = components.clone();
        }

        @Override
        public double[][] x() {
            return Check.copy(x);
        }

        @Override
        public int[] components() {
            return components.clone();
        }
    }

    /** n samples [n][d] drawn from the mixture: a component by weight, then μ + L·z with Σ = L·Lᵀ, z ~ N(0, I). */
    public Sample sample(int n, long seed) {
        if (n < 1) {
            throw Check.fail(Mixture.OP + " sample", "n_samples must be >= 1", "n = " + n, "n >= 1");
        }
        int d = dimension(), k = k();
        double[][] factors = new double[k][d * d];
        for (int j = 0; j < k; j++) {
            double[] flatCov = new double[d * d];
            for (int r = 0; r < d; r++) {
                System.arraycopy(covariances[j][r], 0, flatCov, r * d, d);
            }
            Linalg.cholesky(flatCov, d, factors[j], null);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        int[] components = new int[n];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble(), running = 0;
            int j = k - 1;
            for (int t = 0; t < k; t++) {
                running += weights[t];
                if (u < running) {
                    j = t;
                    break;
                }
            }
            components[i] = j;
            for (int c = 0; c < d; c++) {
                z[c] = rng.nextGaussian();
            }
            for (int r = 0; r < d; r++) {
                double v = means[j][r];
                for (int c = 0; c <= r; c++) {
                    v += factors[j][r * d + c] * z[c];
                }
                x[i][r] = v;
            }
        }
        return new Sample(x, components);
    }

    /** The covariances in the compact layout of {@link CovarianceType}: FULL [K, d, d], TIED [d, d], DIAG [K, d], SPHERICAL [K]. */
    public double[] compactCovariances() {
        int k = k(), d = dimension();
        double[] out = new double[covarianceType.parameterLength(k, d)];
        for (int j = 0; j < (covarianceType == CovarianceType.TIED ? 1 : k); j++) {
            for (int r = 0; r < d; r++) {
                switch (covarianceType) {
                    case FULL -> System.arraycopy(covariances[j][r], 0, out, (j * d + r) * d, d);
                    case TIED -> System.arraycopy(covariances[0][r], 0, out, r * d, d);
                    case DIAG -> out[j * d + r] = covariances[j][r][r];
                    case SPHERICAL -> out[j] = covariances[j][0][0];
                }
            }
        }
        return out;
    }

    Mixture mixture() {
        int k = k(), d = dimension();
        double[] compact = compactCovariances();
        int blocks = covarianceType == CovarianceType.TIED ? 1 : k;
        int size = compact.length / blocks;
        double[][] covs = new double[blocks][];
        for (int j = 0; j < blocks; j++) {
            covs[j] = java.util.Arrays.copyOfRange(compact, j * size, (j + 1) * size);
        }
        double[] flatMeans = KMeans.flatten(means);
        return Mixture.fromCovariances(covarianceType, k, d, weights.clone(), flatMeans, covs, null, Double.NaN);
    }

    static double[] flat(double[][] x) {
        return KMeans.flatten(x);
    }
}
