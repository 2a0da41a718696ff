package vecgrad.cluster.manifold;

import java.util.OptionalDouble;

/**
 * How to run t-SNE. Validated on construction; change one field with a {@code with...} method.
 * The defaults of {@link #of(long)} are scikit-learn 1.2's {@code TSNE()}.
 *
 * @param components             embedding dimension (2 for plots)
 * @param perplexity             effective number of neighbours per point; must be less than n
 * @param earlyExaggeration      factor on P during the first {@code exaggerationIterations}
 * @param exaggerationIterations iterations of the early-exaggeration (exploration) stage
 * @param learningRate           step size; empty means {@code auto} = max(n / earlyExaggeration / 4, 50)
 * @param maxIter                total iterations over both stages
 * @param initialMomentum        momentum during the exaggeration stage
 * @param finalMomentum          momentum afterwards
 * @param minGain                lower bound of the per-coordinate adaptive gains
 * @param minGradNorm            stop when the gradient norm at a check falls below this
 * @param iterationsWithoutProgress stop the final stage when the KL has not improved for this many iterations
 * @param checkEvery             KL is computed, recorded and reported every this many iterations
 * @param init                   PCA (scaled to std 1e-4 on the first axis) or seeded N(0, 1e-4²)
 * @param method                 exact O(n²) gradient or Barnes–Hut O(n log n) on a kNN-sparse P
 * @param theta                  Barnes–Hut opening angle (cell width / distance)
 * @param precomputed            the input is an [n, n] matrix of distances used as is in exp(−β·D)
 *                               (give squared Euclidean distances to match the default metric)
 * @param seed                   seed of every random choice (random init, the PCA start block)
 */
public record TsneConfig(int components, double perplexity, double earlyExaggeration, int exaggerationIterations,
                         OptionalDouble learningRate, int maxIter, double initialMomentum, double finalMomentum,
                         double minGain, double minGradNorm, int iterationsWithoutProgress, int checkEvery,
                         Init init, Method method, double theta, boolean precomputed, long seed) {

    /** How the embedding starts. */
    public enum Init { PCA, RANDOM }

    /** How the gradient is computed. */
    public enum Method { EXACT, BARNES_HUT }

    public TsneConfig {
        if (components < 1) {
            throw fail("components must be >= 1", String.valueOf(components));
        }
        if (!(perplexity > 0) || Double.isInfinite(perplexity)) {
            throw fail("perplexity must be > 0", String.valueOf(perplexity));
        }
        if (!(earlyExaggeration >= 1) || Double.isInfinite(earlyExaggeration)) {
            throw fail("earlyExaggeration must be >= 1", String.valueOf(earlyExaggeration));
        }
        if (exaggerationIterations < 0) {
            throw fail("exaggerationIterations must be >= 0", String.valueOf(exaggerationIterations));
        }
        if (learningRate == null) {
            throw fail("learningRate must not be null (use OptionalDouble.empty() for auto)", "null");
        }
        if (learningRate.isPresent() && (!(learningRate.getAsDouble() > 0) || Double.isInfinite(learningRate.getAsDouble()))) {
            throw fail("learningRate must be > 0 and finite", String.valueOf(learningRate.getAsDouble()));
        }
        if (maxIter < 1) {
            throw fail("maxIter must be >= 1", String.valueOf(maxIter));
        }
        if (!(initialMomentum >= 0 && initialMomentum < 1)) {
            throw fail("initialMomentum must be in [0, 1)", String.valueOf(initialMomentum));
        }
        if (!(finalMomentum >= 0 && finalMomentum < 1)) {
            throw fail("finalMomentum must be in [0, 1)", String.valueOf(finalMomentum));
        }
        if (!(minGain > 0 && minGain <= 1)) {
            throw fail("minGain must be in (0, 1]", String.valueOf(minGain));
        }
        if (!(minGradNorm >= 0)) {
            throw fail("minGradNorm must be >= 0", String.valueOf(minGradNorm));
        }
        if (iterationsWithoutProgress < 1) {
            throw fail("iterationsWithoutProgress must be >= 1", String.valueOf(iterationsWithoutProgress));
        }
        if (checkEvery < 1) {
            throw fail("checkEvery must be >= 1", String.valueOf(checkEvery));
        }
        if (init == null || method == null) {
            throw fail("init and method must not be null", init + ", " + method);
        }
        if (!(theta >= 0) || Double.isInfinite(theta)) {
            throw fail("theta must be >= 0 and finite", String.valueOf(theta));
        }
        if (method == Method.BARNES_HUT && components != 2) {
            throw fail("method BARNES_HUT needs components = 2 (it uses a quadtree)", String.valueOf(components));
        }
        if (precomputed && init == Init.PCA) {
            throw fail("init PCA cannot be used with precomputed distances (as scikit-learn); use Init.RANDOM",
                    "init = PCA, precomputed = true");
        }
    }

    /** scikit-learn's defaults: perplexity 30, exaggeration 12 for 250 iterations, auto rate, 1000 iterations, PCA init, Barnes–Hut. */
    public static TsneConfig of(long seed) {
        return new TsneConfig(2, 30, 12, 250, OptionalDouble.empty(), 1000, 0.5, 0.8, 0.01, 1e-7, 300, 50,
                Init.PCA, Method.BARNES_HUT, 0.5, false, seed);
    }

    /** The learning rate for n samples: the configured one, or scikit-learn's {@code auto}. */
    public double learningRateFor(int n) {
        return learningRate.orElse(Math.max(n / earlyExaggeration / 4, 50));
    }

    public TsneConfig withComponents(int value) {
        return new TsneConfig(value, perplexity, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, method,
                theta, precomputed, seed);
    }

    public TsneConfig withPerplexity(double value) {
        return new TsneConfig(components, value, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, method,
                theta, precomputed, seed);
    }

    public TsneConfig withEarlyExaggeration(double value) {
        return new TsneConfig(components, perplexity, value, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, method,
                theta, precomputed, seed);
    }

    public TsneConfig withExaggerationIterations(int value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, value, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, method,
                theta, precomputed, seed);
    }

    public TsneConfig withLearningRate(double value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, OptionalDouble.of(value),
                maxIter, initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init,
                method, theta, precomputed, seed);
    }

    public TsneConfig withAutoLearningRate() {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, OptionalDouble.empty(),
                maxIter, initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init,
                method, theta, precomputed, seed);
    }

    public TsneConfig withMaxIter(int value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, learningRate, value,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, method,
                theta, precomputed, seed);
    }

    public TsneConfig withMomentum(double initial, double last) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initial, last, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, method, theta,
                precomputed, seed);
    }

    public TsneConfig withMinGradNorm(double value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, value, iterationsWithoutProgress, checkEvery, init, method,
                theta, precomputed, seed);
    }

    public TsneConfig withCheckEvery(int value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, value, init, method,
                theta, precomputed, seed);
    }

    public TsneConfig withInit(Init value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, value, method,
                theta, precomputed, seed);
    }

    public TsneConfig withMethod(Method value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, value,
                theta, precomputed, seed);
    }

    public TsneConfig withTheta(double value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, method,
                value, precomputed, seed);
    }

    /** Treat the input as an [n, n] distance matrix (an explicit flag: a square data matrix is never guessed to be one). */
    public TsneConfig withPrecomputed(boolean value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, method,
                theta, value, seed);
    }

    public TsneConfig withSeed(long value) {
        return new TsneConfig(components, perplexity, earlyExaggeration, exaggerationIterations, learningRate, maxIter,
                initialMomentum, finalMomentum, minGain, minGradNorm, iterationsWithoutProgress, checkEvery, init, method,
                theta, precomputed, value);
    }

    private static IllegalArgumentException fail(String problem, String got) {
        return new IllegalArgumentException("tsne: " + problem + "; got " + got);
    }
}
