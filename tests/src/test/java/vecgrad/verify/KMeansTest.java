package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.cluster.KMeans;
import vecgrad.cluster.KMeansConfig;
import vecgrad.cluster.KMeansConfig.Algorithm;
import vecgrad.cluster.KMeansResult;
import vecgrad.cluster.metrics.ClusteringAccuracy;
import vecgrad.kernels.Parallel;

class KMeansTest {
    static Stream<Arguments> algorithmsAndSeeds() {
        return Stream.of(Algorithm.values())
                .flatMap(a -> Cases.seeds(12).mapToObj(seed -> Arguments.of(a, seed)));
    }

    static Stream<Long> seeds() {
        return Cases.seeds(8).boxed();
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("algorithmsAndSeeds")
    void inertiaHistoryNeverIncreases(Algorithm algorithm, long seed) {
        Property.check("inertiaHistoryNeverIncreases " + algorithm, seed, 64, (rng, max) -> {
            int k = rng.nextInt(1, 7), d = rng.nextInt(1, 6), n = rng.nextInt(k, Math.max(k + 1, 4 * max));
            ClusterData.Blobs data = ClusterData.blobs(rng, n, d, rng.nextInt(1, 6), rng.nextDouble(0.5, 6));
            double[] weights = rng.nextBoolean() ? null : Cases.uniform(rng, n, 0.1, 3);
            KMeansConfig config = KMeansConfig.of(k, rng.nextLong()).withAlgorithm(algorithm).withTol(0)
                    .withInit(rng.nextBoolean() ? KMeansConfig.Init.RANDOM : KMeansConfig.Init.K_MEANS_PLUS_PLUS);
            KMeansResult fit = KMeans.fit(config, data.x(), weights, null);
            List<Double> history = fit.history();
            assertEquals(fit.iterations() + 1, history.size(), "one entry per iteration plus the final inertia");
            for (int t = 1; t < history.size(); t++) {
                // Rounding of sums over n terms is the only allowed increase: n·ulp of the objective.
                double slack = 4 * n * Math.ulp(history.get(t - 1));
                assertTrue(history.get(t) <= history.get(t - 1) + slack,
                        "history rose at " + t + ": " + history);
            }
            assertEquals(history.get(history.size() - 1), fit.inertia(), 0.0);
        });
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void elkanReachesTheSameFixedPointAsLloyd(long seed) {
        Property.check("elkanReachesTheSameFixedPointAsLloyd", seed, 200, (rng, max) -> {
            int k = rng.nextInt(2, 8), d = rng.nextInt(1, 9), n = Math.max(k, rng.nextInt(max / 2, max + 1));
            ClusterData.Blobs data = ClusterData.blobs(rng, n, d, rng.nextInt(2, 8), rng.nextDouble(0.5, 4));
            double[][] init = KMeans.plusPlusCenters(data.x(), k, rng.nextLong());
            KMeansConfig config = KMeansConfig.fromCenters(init).withTol(0);
            KMeansResult lloyd = KMeans.fit(config, data.x());
            KMeansResult elkan = KMeans.fit(config.withAlgorithm(Algorithm.ELKAN), data.x());
            assertArrayEquals(lloyd.labels(), elkan.labels());
            assertEquals(lloyd.iterations(), elkan.iterations());
            for (int j = 0; j < k; j++) {
                assertArrayEquals(lloyd.centers()[j], elkan.centers()[j], 1e-9 * (1 + Math.abs(lloyd.center(j, 0))));
            }
            assertEquals(lloyd.inertia(), elkan.inertia(), 1e-9 * lloyd.inertia());
        });
    }

    @Test
    void findsSeparatedBlobs() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(11), 600, 5, 4, 0.5);
        KMeansResult fit = KMeans.fit(KMeansConfig.of(4, 3), data.x());
        assertEquals(1.0, ClusteringAccuracy.score(data.labels(), fit.labels()));
        assertTrue(fit.converged());
        assertTrue(fit.warnings().isEmpty(), fit.warnings().toString());
    }

    @Test
    void moreRestartsNeverRaiseTheInertia() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(5), 300, 3, 6, 3.0);
        KMeansConfig one = KMeansConfig.of(6, 99).withInit(KMeansConfig.Init.RANDOM);
        // Restart r draws from the r-th split of the seed, so restart 0 is the one-run fit.
        double single = KMeans.fit(one, data.x()).inertia();
        double best = KMeans.fit(one.withNInit(8), data.x()).inertia();
        assertTrue(best <= single, best + " > " + single);
    }

    @Test
    void sameSeedGivesTheSameResultAndThreadsDoNotMatter() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(8), 5000, 4, 5, 2.0);
        KMeansConfig config = KMeansConfig.of(5, 1234).withNInit(2);
        KMeansResult one;
        try (Parallel.Scope ignored = Parallel.withThreads(1)) {
            one = KMeans.fit(config, data.x());
        }
        KMeansResult two;
        try (Parallel.Scope ignored = Parallel.withThreads(2)) {
            two = KMeans.fit(config, data.x());
        }
        assertArrayEquals(one.labels(), two.labels());
        assertTrue(Arrays.deepEquals(one.centers(), two.centers()), "centers differ between 1 and 2 threads");
        assertEquals(one.inertia(), two.inertia(), 0.0);
        assertEquals(one.history(), two.history());
    }

    @Test
    void sampleWeightsActLikeRepeatedSamples() {
        SplittableRandom rng = new SplittableRandom(21);
        ClusterData.Blobs data = ClusterData.blobs(rng, 60, 2, 3, 2.0);
        int[] repeats = new int[60];
        List<double[]> expanded = new ArrayList<>();
        double[] weights = new double[60];
        for (int i = 0; i < 60; i++) {
            repeats[i] = rng.nextInt(1, 4);
            weights[i] = repeats[i];
            for (int r = 0; r < repeats[i]; r++) {
                expanded.add(data.x()[i]);
            }
        }
        double[][] init = {data.x()[0], data.x()[1], data.x()[2]};
        KMeansConfig config = KMeansConfig.fromCenters(init).withTol(0);
        KMeansResult weighted = KMeans.fit(config, data.x(), weights, null);
        KMeansResult repeated = KMeans.fit(config, expanded.toArray(double[][]::new));
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(repeated.centers()[j], weighted.centers()[j], 1e-12);
        }
        assertEquals(repeated.inertia(), weighted.inertia(), 1e-9 * repeated.inertia());
    }

    @Test
    void plusPlusSeedsOneCenterPerFarBlob() {
        for (long seed = 0; seed < 20; seed++) {
            ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(seed), 90, 2, 3, 0.01);
            double[][] centers = KMeans.plusPlusCenters(data.x(), 3, seed);
            int[] blobOfCenter = KMeans.predict(data.centers(), centers);
            assertEquals(3, Arrays.stream(blobOfCenter).distinct().count(), "seed " + seed);
        }
    }

    @Test
    void predictAndTransformAgreeWithTheFit() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(4), 200, 3, 4, 1.0);
        KMeansResult fit = KMeans.fit(KMeansConfig.of(4, 9), data.x());
        assertArrayEquals(fit.labels(), fit.predict(data.x()));
        double[][] distances = fit.transform(data.x());
        double inertia = 0;
        for (int i = 0; i < 200; i++) {
            inertia += distances[i][fit.label(i)] * distances[i][fit.label(i)];
            for (int j = 0; j < 4; j++) {
                assertTrue(distances[i][fit.label(i)] <= distances[i][j]);
            }
        }
        assertEquals(fit.inertia(), inertia, 1e-9 * inertia);
        assertEquals(fit.inertia(), fit.inertia(data.x()), 1e-9 * inertia);
    }

    @Test
    void float32InputGivesTheSameClustersAsFloat64() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(13), 1001, 37, 5, 1.0);
        double[][] x = ClusterData.roundedToFloat(data.x());
        KMeansConfig config = KMeansConfig.of(5, 77);
        KMeansResult f64 = KMeans.fit(config, x);
        KMeansResult f32 = KMeans.fit(config, ClusterData.toFloat(x));
        assertArrayEquals(f64.labels(), f32.labels());
        assertEquals(f64.inertia(), f32.inertia(), 1e-5 * f64.inertia());
        assertArrayEquals(f64.predict(x), f32.predict(ClusterData.toFloat(x)));
    }

    @Test
    void collinearPointsAreClustered() {
        double[][] x = new double[40][];
        for (int i = 0; i < 40; i++) {
            double t = i < 20 ? i * 0.1 : 10 + i * 0.1;
            x[i] = new double[] {t, 2 * t, -t};
        }
        KMeansResult fit = KMeans.fit(KMeansConfig.of(2, 1), x);
        assertEquals(fit.label(0), fit.label(19));
        assertEquals(fit.label(20), fit.label(39));
        assertTrue(fit.label(0) != fit.label(20));
    }

    @Test
    void listenerSeesEveryIterationAndCanStop() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(6), 400, 2, 8, 3.0);
        List<Double> seen = new ArrayList<>();
        KMeansResult full = KMeans.fit(KMeansConfig.of(8, 5).withTol(0), data.x(), null, (it, obj) -> seen.add(obj));
        assertEquals(full.history().subList(0, full.iterations()), seen);
        KMeansResult stopped = KMeans.fit(KMeansConfig.of(8, 5).withTol(0), data.x(), null, (it, obj) -> it < 2);
        assertEquals(2, stopped.iterations());
        assertFalse(stopped.converged());
        assertTrue(stopped.warnings().stream().anyMatch(w -> w.contains("listener")), stopped.warnings().toString());
    }

    @Test
    void maxIterReachedIsReportedAsNotConverged() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(3), 500, 2, 9, 4.0);
        KMeansResult fit = KMeans.fit(KMeansConfig.of(9, 2).withTol(0).withMaxIter(1)
                .withInit(KMeansConfig.Init.RANDOM), data.x());
        assertEquals(1, fit.iterations());
        assertFalse(fit.converged());
        assertArrayEquals(fit.labels(), fit.predict(data.x()), "labels are re-assigned to the final centers");
    }

    @Test
    void resultIsDeeplyImmutable() {
        double[][] x = {{0}, {1}, {10}, {11}};
        KMeansResult fit = KMeans.fit(KMeansConfig.of(2, 0), x);
        fit.centers()[0][0] = 99;
        fit.labels()[0] = 7;
        assertTrue(fit.center(0, 0) != 99 && fit.label(0) != 7);
        x[0][0] = 500;
        assertTrue(fit.center(0, 0) < 20 && fit.center(1, 0) < 20);
    }
}
