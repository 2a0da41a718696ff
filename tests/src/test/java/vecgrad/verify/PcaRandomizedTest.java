package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.cluster.Pca;
import vecgrad.cluster.PcaConfig;
import vecgrad.cluster.PcaResult;
import vecgrad.kernels.Parallel;

/** The randomized PCA solver against the exact one, and the default solver rule. */
class PcaRandomizedTest {
    static Stream<Long> seeds() {
        return Cases.seeds(4).boxed();
    }

    /**
     * n × d samples along `rank` directions with well separated scales 8, 4, 2, 1, ... plus noise of scale
     * `noise` in every direction (0 gives data of exactly that rank).
     */
    static double[][] decaying(SplittableRandom rng, int n, int d, int rank, double noise) {
        double[][] axes = new double[rank][d];
        for (double[] axis : axes) {
            for (int c = 0; c < d; c++) {
                axis[c] = rng.nextGaussian() / Math.sqrt(d);
            }
        }
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int r = 0; r < rank; r++) {
                double score = rng.nextGaussian() * 8 / (1 << r);
                for (int c = 0; c < d; c++) {
                    row[c] += score * axes[r][c];
                }
            }
            for (int c = 0; c < d; c++) {
                row[c] += 3 + noise * rng.nextGaussian();
            }
        }
        return x;
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomizedMatchesTheExactSolverWhereTheSpectrumDecays(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 300, d = 70, k = 4;
        double[][] x = decaying(rng, n, d, 6, 0.01);
        PcaResult exact = Pca.fit(PcaConfig.of(k).withSolver(PcaConfig.Solver.FULL), x);
        PcaResult fast = Pca.fit(PcaConfig.of(k).withSolver(PcaConfig.Solver.RANDOMIZED).withSeed(seed), x);
        for (int j = 0; j < k; j++) {
            assertArrayEquals(exact.components()[j], fast.components()[j], 1e-9, "component " + j + " (same sign rule)");
            assertEquals(exact.explainedVariance()[j], fast.explainedVariance()[j], 1e-10 * exact.explainedVariance()[j]);
            assertEquals(exact.explainedVarianceRatio()[j], fast.explainedVarianceRatio()[j], 1e-10);
            assertEquals(exact.singularValues()[j], fast.singularValues()[j], 1e-10 * exact.singularValues()[j]);
        }
        assertArrayEquals(exact.mean(), fast.mean(), 0);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void float32DataRunTheFloat32ProductsToFloat32Accuracy(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 500, d = 64, k = 3;
        double[][] x = decaying(rng, n, d, 5, 0.01);
        float[][] xf = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                xf[i][c] = (float) x[i][c];
            }
        }
        PcaResult exact = Pca.fit(PcaConfig.of(k).withSolver(PcaConfig.Solver.FULL), xf);
        PcaResult fast = Pca.fit(PcaConfig.of(k).withSolver(PcaConfig.Solver.RANDOMIZED).withSeed(seed), xf);
        for (int j = 0; j < k; j++) {
            // float32 products: errors of a few float32 ulps of the data's scale, relative to the gaps 8:4:2
            assertArrayEquals(exact.components()[j], fast.components()[j], 1e-5, "component " + j);
            assertEquals(exact.explainedVariance()[j], fast.explainedVariance()[j], 1e-5 * exact.explainedVariance()[j]);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void rankDeficientDataGiveOrthonormalComponentsAndZeroVariances(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 80, d = 40, k = 5;
        double[][] x = decaying(rng, n, d, 2, 0);
        PcaResult exact = Pca.fit(PcaConfig.of(k).withSolver(PcaConfig.Solver.FULL), x);
        PcaResult fast = Pca.fit(PcaConfig.of(k).withSolver(PcaConfig.Solver.RANDOMIZED).withSeed(seed), x);
        double[][] c = fast.components();
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double dot = 0;
                for (int t = 0; t < d; t++) {
                    dot += c[a][t] * c[b][t];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-10, "components " + a + ", " + b);
            }
        }
        for (int j = 0; j < 2; j++) {
            assertArrayEquals(exact.components()[j], c[j], 1e-9, "component " + j);
            assertEquals(exact.explainedVariance()[j], fast.explainedVariance()[j], 1e-10 * exact.explainedVariance()[j]);
        }
        for (int j = 2; j < k; j++) {
            assertTrue(fast.explainedVariance()[j] <= 1e-20 * fast.explainedVariance()[0],
                    "variance beyond the rank: " + fast.explainedVariance()[j]);
        }
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() {
        double[][] x = decaying(new SplittableRandom(Cases.seeds(1).findFirst().getAsLong()), 3000, 90, 8, 0.1);
        PcaConfig config = PcaConfig.of(6).withSolver(PcaConfig.Solver.RANDOMIZED).withSeed(3);
        PcaResult one, two;
        try (Parallel.Scope scope = Parallel.withThreads(1)) {
            one = Pca.fit(config, x);
        }
        try (Parallel.Scope scope = Parallel.withThreads(2)) {
            two = Pca.fit(config, x);
        }
        for (int j = 0; j < 6; j++) {
            assertArrayEquals(one.components()[j], two.components()[j], 0);
        }
        assertArrayEquals(one.explainedVariance(), two.explainedVariance(), 0);
    }

    @Test
    void defaultRuleIsRandomizedOnlyForManyFeatures() {
        assertEquals(PcaConfig.Solver.RANDOMIZED, PcaConfig.of(50).resolvedSolver(60000, 784));
        assertEquals(PcaConfig.Solver.FULL, PcaConfig.of(50).resolvedSolver(60000, PcaConfig.RANDOMIZED_ABOVE_FEATURES));
        assertEquals(PcaConfig.Solver.FULL, PcaConfig.of(3).resolvedSolver(50, 5));
        // The subspace would not be smaller than the data: the exact solver.
        assertEquals(PcaConfig.Solver.FULL, PcaConfig.of(50).resolvedSolver(55, 784));
        assertEquals(PcaConfig.Solver.FULL, PcaConfig.of(2).withSolver(PcaConfig.Solver.FULL).resolvedSolver(60000, 784));
    }

    @Test
    void forcedRandomizedWithTooWideASubspaceStillWorks() {
        double[][] x = decaying(new SplittableRandom(5), 12, 8, 3, 0.001);
        PcaResult exact = Pca.fit(PcaConfig.of(3).withSolver(PcaConfig.Solver.FULL), x);
        PcaResult fast = Pca.fit(PcaConfig.of(3).withSolver(PcaConfig.Solver.RANDOMIZED), x); // 3 + 10 > min(n, d)
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(exact.components()[j], fast.components()[j], 1e-9, "component " + j);
        }
    }
}
