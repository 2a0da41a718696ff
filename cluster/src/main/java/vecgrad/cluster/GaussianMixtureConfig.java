package vecgrad.cluster;

/**
 * How to fit a {@link GaussianMixture}. Validated on construction; change one field with a {@code with...}
 * method. {@link #of(int, long)} gives scikit-learn's defaults: full covariances, {@code tol = 1e-3} on the
 * change of the mean log-likelihood lower bound, {@code regCovar = 1e-6}, 100 iterations, one run,
 * k-means initialization.
 *
 * <p>Optional initial parameters (each {@code null} unless given; copied in and out): {@code weightsInit}
 * [K] (each in [0, 1], summing to 1), {@code meansInit} [K][d], {@code precisionsInit} (inverse
 * covariances, flat in the layout of {@link CovarianceType}). Parameters not given come from {@code init}.
 *
 * @param components     K, the number of mixture components
 * @param covarianceType shape of the covariances
 * @param tol            EM stops when the lower bound changes by less than this between iterations
 * @param regCovar       added to the diagonal of every covariance so that no component collapses
 * @param maxIter        maximum EM iterations per run
 * @param nInit          runs (each from its own {@code split()} of the seed); the highest lower bound wins
 * @param init           how the initial responsibilities are chosen
 * @param seed           seed of every random choice
 */
public record GaussianMixtureConfig(int components, CovarianceType covarianceType, double tol, double regCovar,
                                    int maxIter, int nInit, Init init, double[] weightsInit, double[][] meansInit,
                                    double[] precisionsInit, long seed) {

    /** Initial responsibilities. */
    public enum Init {
        /** One-hot responsibilities from a k-means fit (one run, seeded from this config's seed). */
        KMEANS,
        /** Uniform random responsibilities, normalised per sample. */
        RANDOM
    }

    /** How far weightsInit may sum from 1: scikit-learn's {@code np.allclose(|1 - sum|, 0)} (atol 1e-8). */
    public static final double WEIGHT_SUM_TOLERANCE = 1e-8;

    public GaussianMixtureConfig {
        String op = Mixture.OP;
        if (components < 1) {
            throw Check.fail(op, "n_components must be >= 1", "components = " + components, "components >= 1");
        }
        if (covarianceType == null || init == null) {
            throw Check.fail(op, "covarianceType and init must be set", covarianceType + ", " + init, "non-null values");
        }
        if (!(tol >= 0) || tol == Double.POSITIVE_INFINITY) {
            throw Check.fail(op, "tol must be finite and >= 0", "tol = " + tol, "tol >= 0");
        }
        if (!(regCovar >= 0) || regCovar == Double.POSITIVE_INFINITY) {
            throw Check.fail(op, "reg_covar must be finite and >= 0", "regCovar = " + regCovar, "regCovar >= 0");
        }
        if (maxIter < 1) {
            throw Check.fail(op, "max_iter must be >= 1", "maxIter = " + maxIter, "maxIter >= 1");
        }
        if (nInit < 1) {
            throw Check.fail(op, "n_init must be >= 1", "nInit = " + nInit, "nInit >= 1");
        }
        if (weightsInit != null) {
            if (weightsInit.length != components) {
                throw Check.fail(op, "weightsInit does not match n_components", weightsInit.length + " weights",
                        components + " weights");
            }
            double sum = 0;
            for (int j = 0; j < components; j++) {
                if (!(weightsInit[j] >= 0 && weightsInit[j] <= 1)) {
                    throw Check.fail(op, "weightsInit " + j + " is outside [0, 1]", String.valueOf(weightsInit[j]),
                            "a value in [0, 1]");
                }
                sum += weightsInit[j];
            }
            if (!(Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE)) {
                throw Check.fail(op, "weightsInit does not sum to 1", "sum " + sum, "1 (to " + WEIGHT_SUM_TOLERANCE + ")");
            }
            weightsInit = weightsInit.clone();
        }
        if (meansInit != null) {
            if (meansInit.length != components) {
                throw Check.fail(op, "meansInit does not match n_components", meansInit.length + " means",
                        components + " means");
            }
            Check.matrix(op + " meansInit", meansInit);
            meansInit = Check.copy(meansInit);
        }
        if (precisionsInit != null) {
            precisionsInit = precisionsInit.clone();
            if (meansInit != null) {
                int expected = covarianceType.parameterLength(components, meansInit[0].length);
                if (precisionsInit.length != expected) {
                    throw Check.fail(op, "precisionsInit does not match the covariance type " + covarianceType,
                            precisionsInit.length + " values", expected + " values");
                }
            }
        }
    }

    /** scikit-learn's defaults for K components and the given seed. */
    public static GaussianMixtureConfig of(int components, long seed) {
        return new GaussianMixtureConfig(components, CovarianceType.FULL, 1e-3, 1e-6, 100, 1, Init.KMEANS, null, null,
                null, seed);
    }

    @Override
    public double[] weightsInit() {
        return Check.copy(weightsInit);
    }

    @Override
    public double[][] meansInit() {
        return Check.copy(meansInit);
    }

    @Override
    public double[] precisionsInit() {
        return Check.copy(precisionsInit);
    }

    public GaussianMixtureConfig withCovarianceType(CovarianceType type) {
        return new GaussianMixtureConfig(components, type, tol, regCovar, maxIter, nInit, init, weightsInit, meansInit,
                precisionsInit, seed);
    }

    public GaussianMixtureConfig withTol(double tol) {
        return new GaussianMixtureConfig(components, covarianceType, tol, regCovar, maxIter, nInit, init, weightsInit,
                meansInit, precisionsInit, seed);
    }

    public GaussianMixtureConfig withRegCovar(double regCovar) {
        return new GaussianMixtureConfig(components, covarianceType, tol, regCovar, maxIter, nInit, init, weightsInit,
                meansInit, precisionsInit, seed);
    }

    public GaussianMixtureConfig withMaxIter(int maxIter) {
        return new GaussianMixtureConfig(components, covarianceType, tol, regCovar, maxIter, nInit, init, weightsInit,
                meansInit, precisionsInit, seed);
    }

    public GaussianMixtureConfig withNInit(int nInit) {
        return new GaussianMixtureConfig(components, covarianceType, tol, regCovar, maxIter, nInit, init, weightsInit,
                meansInit, precisionsInit, seed);
    }

    public GaussianMixtureConfig withInit(Init init) {
        return new GaussianMixtureConfig(components, covarianceType, tol, regCovar, maxIter, nInit, init, weightsInit,
                meansInit, precisionsInit, seed);
    }

    public GaussianMixtureConfig withWeightsInit(double[] weightsInit) {
        return new GaussianMixtureConfig(components, covarianceType, tol, regCovar, maxIter, nInit, init, weightsInit,
                meansInit, precisionsInit, seed);
    }

    public GaussianMixtureConfig withMeansInit(double[][] meansInit) {
        return new GaussianMixtureConfig(components, covarianceType, tol, regCovar, maxIter, nInit, init, weightsInit,
                meansInit, precisionsInit, seed);
    }

    /** Initial precisions (inverse covariances), flat in the layout of {@link CovarianceType}. */
    public GaussianMixtureConfig withPrecisionsInit(double[] precisionsInit) {
        return new GaussianMixtureConfig(components, covarianceType, tol, regCovar, maxIter, nInit, init, weightsInit,
                meansInit, precisionsInit, seed);
    }

    public GaussianMixtureConfig withSeed(long seed) {
        return new GaussianMixtureConfig(components, covarianceType, tol, regCovar, maxIter, nInit, init, weightsInit,
                meansInit, precisionsInit, seed);
    }
}
