package vecgrad.cluster;

/**
 * How to run k-means. Validated on construction; change one field with a {@code with...} method.
 * {@link #of(int, long)} gives scikit-learn's defaults: k-means++ seeding, one run ({@code n_init="auto"}
 * for k-means++), 300 iterations, {@code tol = 1e-4} and Lloyd's algorithm.
 *
 * <p>Records compare array components by reference; {@code initCenters} is copied in and out.
 *
 * @param k           number of clusters, {@code >= 1} (and {@code <= n} at fit time)
 * @param init        how the initial centers are chosen
 * @param initCenters [k][d] initial centers when {@code init == GIVEN}, else {@code null}
 * @param nInit       restarts (each from its own {@code split()} of the seed); the lowest inertia wins
 * @param maxIter     maximum iterations per run
 * @param tol         relative tolerance on the total squared center shift, scaled as in scikit-learn
 *                    by the mean population variance of the features
 * @param algorithm   Lloyd or Elkan (same fixed points, Elkan skips distances with triangle bounds)
 * @param seed        seed of every random choice
 */
public record KMeansConfig(int k, Init init, double[][] initCenters, int nInit, int maxIter, double tol,
                           Algorithm algorithm, long seed) {

    /** Seeding of the initial centers. */
    public enum Init {
        /** Greedy k-means++ with {@code 2 + floor(ln k)} local trials per center, as scikit-learn. */
        K_MEANS_PLUS_PLUS,
        /** k distinct samples drawn uniformly. */
        RANDOM,
        /** The centers in {@link KMeansConfig#initCenters()}. */
        GIVEN
    }

    /** The iteration used; both reach the same fixed point from the same start. */
    public enum Algorithm { LLOYD, ELKAN }

    public KMeansConfig {
        if (k < 1) {
            throw Check.fail("kmeans", "n_clusters must be >= 1", "k = " + k, "k >= 1");
        }
        if (init == null || algorithm == null) {
            throw Check.fail("kmeans", "init and algorithm must be set", "init = " + init + ", algorithm = " + algorithm,
                    "non-null values");
        }
        if (nInit < 1) {
            throw Check.fail("kmeans", "n_init must be >= 1", "nInit = " + nInit, "nInit >= 1");
        }
        if (maxIter < 1) {
            throw Check.fail("kmeans", "max_iter must be >= 1", "maxIter = " + maxIter, "maxIter >= 1");
        }
        if (!(tol >= 0) || tol == Double.POSITIVE_INFINITY) {
            throw Check.fail("kmeans", "tol must be finite and >= 0", "tol = " + tol, "tol >= 0");
        }
        if (init == Init.GIVEN) {
            if (initCenters == null || initCenters.length != k) {
                throw Check.fail("kmeans", "init centers do not match n_clusters",
                        initCenters == null ? "null" : initCenters.length + " centers", k + " centers");
            }
            Check.matrix("kmeans init centers", initCenters);
            if (nInit != 1) {
                // Restarts from the same given centers would all be identical.
                throw Check.fail("kmeans", "given init centers allow one run only", "nInit = " + nInit, "nInit = 1");
            }
            initCenters = Check.copy(initCenters);
        } else if (initCenters != null) {
            throw Check.fail("kmeans", "init centers given but init is not GIVEN", "init = " + init, "init = GIVEN");
        }
    }

    /** scikit-learn's defaults for {@code k} clusters and the given seed. */
    public static KMeansConfig of(int k, long seed) {
        return new KMeansConfig(k, Init.K_MEANS_PLUS_PLUS, null, 1, 300, 1e-4, Algorithm.LLOYD, seed);
    }

    /** Starts from the given centers [k][d] (one run); k becomes their count. */
    public static KMeansConfig fromCenters(double[][] centers) {
        return new KMeansConfig(centers == null ? 0 : centers.length, Init.GIVEN, centers, 1, 300, 1e-4,
                Algorithm.LLOYD, 0);
    }

    @Override
    public double[][] initCenters() {
        return Check.copy(initCenters);
    }

    public KMeansConfig withK(int k) {
        return new KMeansConfig(k, init, initCenters, nInit, maxIter, tol, algorithm, seed);
    }

    /** Seeding by k-means++ or random samples (for given centers use {@link #withInitCenters}). */
    public KMeansConfig withInit(Init init) {
        return new KMeansConfig(k, init, init == Init.GIVEN ? initCenters : null, nInit, maxIter, tol, algorithm, seed);
    }

    /** Starts from the given centers: sets init = GIVEN, k = centers.length and nInit = 1. */
    public KMeansConfig withInitCenters(double[][] centers) {
        return new KMeansConfig(centers == null ? 0 : centers.length, Init.GIVEN, centers, 1, maxIter, tol, algorithm,
                seed);
    }

    public KMeansConfig withNInit(int nInit) {
        return new KMeansConfig(k, init, initCenters, nInit, maxIter, tol, algorithm, seed);
    }

    public KMeansConfig withMaxIter(int maxIter) {
        return new KMeansConfig(k, init, initCenters, nInit, maxIter, tol, algorithm, seed);
    }

    public KMeansConfig withTol(double tol) {
        return new KMeansConfig(k, init, initCenters, nInit, maxIter, tol, algorithm, seed);
    }

    public KMeansConfig withAlgorithm(Algorithm algorithm) {
        return new KMeansConfig(k, init, initCenters, nInit, maxIter, tol, algorithm, seed);
    }

    public KMeansConfig withSeed(long seed) {
        return new KMeansConfig(k, init, initCenters, nInit, maxIter, tol, algorithm, seed);
    }
}
