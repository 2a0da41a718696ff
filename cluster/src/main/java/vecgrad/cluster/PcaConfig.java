package vecgrad.cluster;

/**
 * How to run PCA. Validated on construction; change one field with a {@code with...} method.
 * {@link #of(int)} picks the solver by the default rule of {@link Solver#AUTO}, 10 extra subspace vectors and
 * {@link #DEFAULT_POWER_ITERATIONS} power iterations for the randomized solver.
 *
 * @param components      k, the number of principal axes, {@code >= 1} (and {@code <= min(n, d)} at fit time)
 * @param solver          exact eigen-solver, randomized subspace iteration, or the default rule
 * @param oversamples     randomized: extra vectors beyond k in the subspace ({@code >= 0}; Halko et al. suggest 5–10)
 * @param powerIterations randomized: passes of (Xᵀ·X) applied to the subspace, or {@link #AUTO_ITERATIONS} for
 *                        {@link #DEFAULT_POWER_ITERATIONS}
 * @param seed            seed of the randomized solver's Gaussian start
 */
public record PcaConfig(int components, Solver solver, int oversamples, int powerIterations, long seed) {
    /** {@link #powerIterations()} value that selects scikit-learn's rule. */
    public static final int AUTO_ITERATIONS = -1;
    /**
     * Power iterations of the randomized solver by default: scikit-learn's count when k ≥ 0.1·min(n, d) (it
     * uses 7 below that). Each iteration costs two products with the data. On Fashion-MNIST (k = 50, d = 784)
     * the leading explained variances equal the exact solver's to 1e-7 relative, the 50th (where the spectrum is
     * flat: λ50 / λ51 = 1.017) is 3% low; raise powerIterations or oversamples when the tail matters.
     */
    public static final int DEFAULT_POWER_ITERATIONS = 4;
    /** Above this many features, {@link Solver#AUTO} chooses the randomized solver (the d³ eigen-solver gets slow). */
    public static final int RANDOMIZED_ABOVE_FEATURES = 500;

    /** Which algorithm computes the components. */
    public enum Solver {
        /**
         * {@link #RANDOMIZED} when d > {@link #RANDOMIZED_ABOVE_FEATURES} and k + oversamples < min(n, d),
         * else {@link #FULL}.
         */
        AUTO,
        /** Eigen-decomposition of the d × d covariance (cyclic Jacobi): exact, O(n·d² + d³). */
        FULL,
        /**
         * Randomized subspace iteration on the centered data (Halko, Martinsson and Tropp, 2011): a Gaussian
         * start of k + oversamples vectors, power iterations with re-orthonormalization after every product,
         * then the SVD of the small projected matrix. O(n·d·(k + oversamples)·(2·powerIterations + 2)).
         */
        RANDOMIZED
    }

    public PcaConfig {
        if (components < 1) {
            throw Check.fail("pca", "n_components must be >= 1", "k = " + components, "k >= 1");
        }
        if (solver == null) {
            throw Check.fail("pca", "solver must be set", "null", "AUTO, FULL or RANDOMIZED");
        }
        if (oversamples < 0) {
            throw Check.fail("pca", "oversamples must be >= 0", "oversamples = " + oversamples, "oversamples >= 0");
        }
        if (powerIterations < AUTO_ITERATIONS) {
            throw Check.fail("pca", "powerIterations must be >= 0 (or AUTO_ITERATIONS)",
                    "powerIterations = " + powerIterations, "powerIterations >= -1");
        }
    }

    /** k components, {@link Solver#AUTO}, 10 oversamples, automatic power iterations, seed 0. */
    public static PcaConfig of(int components) {
        return new PcaConfig(components, Solver.AUTO, 10, AUTO_ITERATIONS, 0L);
    }

    public PcaConfig withSolver(Solver value) {
        return new PcaConfig(components, value, oversamples, powerIterations, seed);
    }

    public PcaConfig withOversamples(int value) {
        return new PcaConfig(components, solver, value, powerIterations, seed);
    }

    public PcaConfig withPowerIterations(int value) {
        return new PcaConfig(components, solver, oversamples, value, seed);
    }

    public PcaConfig withSeed(long value) {
        return new PcaConfig(components, solver, oversamples, powerIterations, value);
    }

    /** The solver {@link Solver#AUTO} resolves to for n samples of d features. */
    public Solver resolvedSolver(int n, int d) {
        if (solver != Solver.AUTO) {
            return solver;
        }
        return d > RANDOMIZED_ABOVE_FEATURES && components + oversamples < Math.min(n, d) ? Solver.RANDOMIZED : Solver.FULL;
    }

    /** Power iterations for n samples of d features (scikit-learn's rule when automatic). */
    public int resolvedPowerIterations(int n, int d) {
        if (powerIterations != AUTO_ITERATIONS) {
            return powerIterations;
        }
        return DEFAULT_POWER_ITERATIONS;
    }
}
