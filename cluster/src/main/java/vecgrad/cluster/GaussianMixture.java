package vecgrad.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Gaussian mixture model fitted by expectation-maximization on x [n][d] (float64, or float32 widened to
 * float64), as scikit-learn's {@code GaussianMixture}: each iteration runs an E step (log-sum-exp of
 * log w_k + log N(x | μ_k, Σ_k), the mean of which is the lower bound) and an M step (weights, means and
 * covariances from the responsibilities, + regCovar on the diagonal); the run stops when the lower bound
 * changes by less than {@code tol}. Densities go through Cholesky factors of the covariances.
 *
 * {@snippet :
 * GaussianMixtureResult gmm = GaussianMixture.fit(GaussianMixtureConfig.of(2, 7L), x);  // x: double[n][d]
 * double[][] proba = gmm.predictProba(x);
 * }
 *
 * <p>References: A. P. Dempster, N. M. Laird and D. B. Rubin, Maximum likelihood from incomplete data via
 * the EM algorithm (1977); C. M. Bishop, Pattern Recognition and Machine Learning, §9.2.
 */
public final class GaussianMixture {
    /**
     * Without regCovar, a Cholesky pivot (conditional variance) below this fraction of the data's variance of
     * that feature means the covariance is singular to working precision: 1e-13 is about 450 ulps of 1.
     */
    static final double SINGULAR_FRACTION = 1e-13;

    private GaussianMixture() {}

    public static GaussianMixtureResult fit(GaussianMixtureConfig config, double[][] x) {
        return fit(config, x, null);
    }

    /** Float32 twin of {@link #fit(GaussianMixtureConfig, double[][])}: rows are widened to float64. */
    public static GaussianMixtureResult fit(GaussianMixtureConfig config, float[][] x) {
        return fit(config, Pca.widen(Mixture.OP, x), null);
    }

    /** Float32 twin of {@link #fit(GaussianMixtureConfig, double[][], FitListener)}: rows are widened to float64. */
    public static GaussianMixtureResult fit(GaussianMixtureConfig config, float[][] x, FitListener listener) {
        return fit(config, Pca.widen(Mixture.OP, x), listener);
    }

    /** Fits with an optional listener called after each EM iteration with its lower bound. */
    public static GaussianMixtureResult fit(GaussianMixtureConfig config, double[][] x, FitListener listener) {
        double[] flat = Check.flatMatrix(Mixture.OP, x);
        int n = x.length, d = x[0].length, k = config.components();
        if (k > n) {
            throw Check.fail(Mixture.OP, "n_samples=" + n + " should be >= n_components=" + k, "components = " + k,
                    "components <= " + n);
        }
        if (config.meansInit() != null && config.meansInit()[0].length != d) {
            throw Check.fail(Mixture.OP, "meansInit does not match the features", "[" + k + ", "
                    + config.meansInit()[0].length + "]", "[" + k + ", " + d + "]");
        }
        if (config.precisionsInit() != null
                && config.precisionsInit().length != config.covarianceType().parameterLength(k, d)) {
            throw Check.fail(Mixture.OP, "precisionsInit does not match the covariance type "
                            + config.covarianceType(), config.precisionsInit().length + " values",
                    config.covarianceType().parameterLength(k, d) + " values");
        }
        // With regCovar > 0 every covariance is at least regCovar·I, so only a non-positive pivot is ill-defined
        // (as scikit-learn's Cholesky); with regCovar = 0 a collapsed component leaves pivots at rounding level
        // (~1e-31 relative) rather than exactly 0, so they are compared with the data's scale.
        double[] minPivot = config.regCovar() == 0 ? minPivots(flat, n, d) : null;
        SplittableRandom root = new SplittableRandom(config.seed());
        Run best = null;
        for (int restart = 0; restart < config.nInit(); restart++) {
            Run run = runOnce(config, x, flat, n, d, minPivot, root.split(), listener);
            if (best == null || run.lowerBound() > best.lowerBound()) {
                best = run;
            }
            if (run.stopped) {
                break;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (best.stopped) {
            warnings.add("stopped by the listener after iteration " + best.iterations);
        } else if (!best.converged) {
            warnings.add("did not converge within maxIter = " + config.maxIter()
                    + " iterations; try a larger maxIter or tol, or check the data");
        }
        Mixture m = best.mixture;
        double[][][] covariances = new double[k][][];
        for (int j = 0; j < k; j++) {
            covariances[j] = m.fullCovariance(j);
        }
        return new GaussianMixtureResult(config.covarianceType(), m.weights, KMeans.unflatten(m.means, k, d),
                covariances, best.lowerBounds, best.iterations, best.converged, warnings);
    }

    private record Run(Mixture mixture, List<Double> lowerBounds, int iterations, boolean converged, boolean stopped) {
        double lowerBound() {
            return lowerBounds.get(lowerBounds.size() - 1);
        }
    }

    private static Run runOnce(GaussianMixtureConfig config, double[][] rows, double[] x, int n, int d,
                               double[] minPivot, SplittableRandom rng, FitListener listener) {
        int k = config.components();
        Mixture mixture = initialMixture(config, rows, x, n, d, minPivot, rng);
        double[] resp = new double[n * k];
        double[] logNorm = new double[n];
        List<Double> lowerBounds = new ArrayList<>();
        double previous = Double.NEGATIVE_INFINITY;
        boolean converged = false, stopped = false;
        int iteration = 0;
        while (iteration < config.maxIter()) {
            iteration++;
            mixture.expectation(x, n, resp, logNorm);
            double lowerBound = Mixture.mean(logNorm);
            mixture = Mixture.maximization(config.covarianceType(), x, n, d, resp, k, config.regCovar(), minPivot);
            lowerBounds.add(lowerBound);
            if (listener != null && !listener.onIteration(iteration, lowerBound)) {
                stopped = true;
                break;
            }
            if (Math.abs(lowerBound - previous) < config.tol()) {
                converged = true;
                break;
            }
            previous = lowerBound;
        }
        return new Run(mixture, lowerBounds, iteration, converged, stopped);
    }

    private static Mixture initialMixture(GaussianMixtureConfig config, double[][] rows, double[] x, int n, int d,
                                          double[] minPivot, SplittableRandom rng) {
        int k = config.components();
        double[] weights = config.weightsInit();
        double[] means = config.meansInit() == null ? null : KMeans.flatten(config.meansInit());
        double[] precisions = config.precisionsInit();
        if (weights != null && means != null && precisions != null) {
            return Mixture.fromPrecisions(config.covarianceType(), k, d, weights, means, precisions);
        }
        double[] resp = new double[n * k];
        if (config.init() == GaussianMixtureConfig.Init.KMEANS) {
            KMeansConfig kmeans = KMeansConfig.of(k, rng.nextLong());
            int[] labels = KMeans.fit(kmeans, rows).labels();
            for (int i = 0; i < n; i++) {
                resp[i * k + labels[i]] = 1;
            }
        } else {
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    resp[i * k + j] = rng.nextDouble();
                    sum += resp[i * k + j];
                }
                for (int j = 0; j < k; j++) {
                    resp[i * k + j] /= sum;
                }
            }
        }
        Mixture fromResp = Mixture.maximization(config.covarianceType(), x, n, d, resp, k, config.regCovar(), minPivot);
        double[] w = weights != null ? weights : fromResp.weights;
        double[] mu = means != null ? means : fromResp.means;
        if (precisions != null) {
            return Mixture.fromPrecisions(config.covarianceType(), k, d, w, mu, precisions);
        }
        return fromResp.withWeightsAndMeans(w, mu);
    }

    /** SINGULAR_FRACTION times the population variance of each feature (two row-major passes). */
    private static double[] minPivots(double[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += x[i * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        double[] out = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                double v = x[i * d + c] - mean[c];
                out[c] += v * v;
            }
        }
        for (int c = 0; c < d; c++) {
            out[c] = SINGULAR_FRACTION * out[c] / n;
        }
        return out;
    }
}
