package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.cluster.CovarianceType;
import vecgrad.cluster.GaussianMixture;
import vecgrad.cluster.GaussianMixtureConfig;
import vecgrad.cluster.GaussianMixtureResult;
import vecgrad.cluster.KMeans;
import vecgrad.cluster.KMeansConfig;
import vecgrad.cluster.KMeansResult;
import vecgrad.kernels.Parallel;

class GaussianMixtureTest {
    static Stream<Arguments> typesAndSeeds() {
        return Stream.of(CovarianceType.values())
                .flatMap(t -> Cases.seeds(6).mapToObj(seed -> Arguments.of(t, seed)));
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("typesAndSeeds")
    void lowerBoundNeverDecreases(CovarianceType type, long seed) {
        Property.check("lowerBoundNeverDecreases " + type, seed, 60, (rng, max) -> {
            int k = rng.nextInt(1, 5), d = rng.nextInt(1, 4), n = Math.max(4 * k, rng.nextInt(max, 3 * max));
            ClusterData.Blobs data = ClusterData.blobs(rng, n, d, rng.nextInt(1, 5), rng.nextDouble(0.5, 4));
            GaussianMixtureConfig config = GaussianMixtureConfig.of(k, rng.nextLong()).withCovarianceType(type)
                    .withTol(0).withMaxIter(30).withInit(rng.nextBoolean()
                            ? GaussianMixtureConfig.Init.KMEANS : GaussianMixtureConfig.Init.RANDOM);
            GaussianMixtureResult fit = GaussianMixture.fit(config, data.x());
            List<Double> bounds = fit.lowerBounds();
            assertEquals(30, bounds.size());
            for (int t = 1; t < bounds.size(); t++) {
                assertTrue(Double.isFinite(bounds.get(t)));
                // EM cannot lower the likelihood; regCovar (1e-6) perturbs the M step by O(regCovar / variance).
                double slack = 1e-6 * (1 + Math.abs(bounds.get(t - 1)));
                assertTrue(bounds.get(t) >= bounds.get(t - 1) - slack, "lower bound fell at " + t + ": " + bounds);
            }
        });
    }

    @Test
    void oldFaithfulReachesTheMaximumLikelihoodFit() throws Exception {
        double[][] x = ClusterData.faithful();
        assertEquals(272, x.length);
        GaussianMixtureResult fit = GaussianMixture.fit(GaussianMixtureConfig.of(2, 42).withTol(1e-10)
                .withMaxIter(1000), x);
        assertTrue(fit.converged());
        assertEquals(-4.15538, fit.score(x), 0.5e-5);
        double[] w = fit.weights();
        Arrays.sort(w);
        assertEquals(0.3559, w[0], 0.5e-4);
        assertEquals(0.6441, w[1], 0.5e-4);
    }

    /**
     * Seed 003: k-means is the limit of EM with one shared spherical covariance εI. From the same
     * centers, one EM step's means approach one Lloyd step's centers as ε → 0.
     */
    @Test
    void kMeansIsTheLimitOfEmWithSharedVarianceShrinkingToZero() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(3), 240, 2, 3, 2.5);
        double[][] init = {data.x()[0], data.x()[1], data.x()[2]};
        KMeansResult lloyd = KMeans.fit(KMeansConfig.fromCenters(init).withMaxIter(1).withTol(0), data.x());
        double previous = Double.POSITIVE_INFINITY;
        for (double epsilon : new double[] {10, 1, 0.1, 0.01, 0.001}) {
            GaussianMixtureConfig config = GaussianMixtureConfig.of(3, 0).withCovarianceType(CovarianceType.SPHERICAL)
                    .withMaxIter(1).withTol(0)
                    .withWeightsInit(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0})
                    .withMeansInit(init)
                    .withPrecisionsInit(new double[] {1 / epsilon, 1 / epsilon, 1 / epsilon});
            GaussianMixtureResult em = GaussianMixture.fit(config, data.x());
            double gap = 0;
            for (int j = 0; j < 3; j++) {
                for (int c = 0; c < 2; c++) {
                    gap = Math.max(gap, Math.abs(em.mean(j, c) - lloyd.center(j, c)));
                }
            }
            assertTrue(gap <= previous, "gap grew at epsilon " + epsilon + ": " + gap + " > " + previous);
            previous = gap;
        }
        assertEquals(0, previous, 1e-9, "EM means at epsilon 1e-3 vs k-means centers");
    }

    @Test
    void hardAssignmentsAreTheLimitOfResponsibilities() {
        double[][] means = {{0, 0}, {4, 0}, {0, 4}};
        double[][] query = {{1, 1}, {3.5, 0.2}, {0.1, 2.9}, {-3, 5}};
        int[] nearest = KMeans.predict(means, query);
        for (double epsilon : new double[] {1e-2, 1e-3}) {
            double[][][] cov = new double[3][][];
            for (int j = 0; j < 3; j++) {
                cov[j] = new double[][] {{epsilon, 0}, {0, epsilon}};
            }
            GaussianMixtureResult model = new GaussianMixtureResult(CovarianceType.SPHERICAL,
                    new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, means, cov, List.of(0.0), 1, true, List.of());
            double[][] proba = model.predictProba(query);
            for (int i = 0; i < query.length; i++) {
                assertEquals(1.0, proba[i][nearest[i]], 1e-12, "epsilon " + epsilon + ", query " + i);
            }
        }
    }

    @Test
    void modelQueriesAreConsistent() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(9), 300, 3, 3, 1.0);
        GaussianMixtureResult fit = GaussianMixture.fit(GaussianMixtureConfig.of(3, 5), data.x());
        double[][] proba = fit.predictProba(data.x());
        int[] labels = fit.predict(data.x());
        for (int i = 0; i < proba.length; i++) {
            assertEquals(1.0, Arrays.stream(proba[i]).sum(), 1e-12);
            assertEquals(Arrays.stream(proba[i]).max().orElseThrow(), proba[i][labels[i]], 0.0);
        }
        double[] samples = fit.scoreSamples(data.x());
        assertEquals(Arrays.stream(samples).average().orElseThrow(), fit.score(data.x()), 1e-12);
        long p = fit.parameterCount();
        assertEquals(3 * 3 + 2 + 3 * 6, p);
        assertEquals(fit.bic(data.x()) - fit.aic(data.x()), p * (Math.log(300) - 2), 1e-9);
        assertEquals(fit.lowerBound(), fit.lowerBounds().get(fit.lowerBounds().size() - 1));
    }

    @Test
    void samplesFollowTheFittedMixture() {
        double[][] means = {{-5, 0}, {5, 1}};
        double[][][] cov = {{{1, 0.5}, {0.5, 2}}, {{0.5, 0}, {0, 0.5}}};
        GaussianMixtureResult model = new GaussianMixtureResult(CovarianceType.FULL, new double[] {0.3, 0.7}, means,
                cov, List.of(0.0), 1, true, List.of());
        GaussianMixtureResult.Sample sample = model.sample(20000, 17);
        double[][] x = sample.x();
        int[] from = sample.components();
        double share = Arrays.stream(from).filter(j -> j == 0).count() / 20000.0;
        assertEquals(0.3, share, 0.02);
        double[] sum = new double[2];
        double cross = 0;
        int count = 0;
        for (int i = 0; i < x.length; i++) {
            if (from[i] == 0) {
                sum[0] += x[i][0];
                sum[1] += x[i][1];
                cross += (x[i][0] + 5) * x[i][1];
                count++;
            }
        }
        assertEquals(-5, sum[0] / count, 0.1);
        assertEquals(0, sum[1] / count, 0.1);
        assertEquals(0.5, cross / count, 0.1);
        GaussianMixtureResult refit = GaussianMixture.fit(GaussianMixtureConfig.of(2, 1), x);
        double[] w = refit.weights();
        Arrays.sort(w);
        assertEquals(0.3, w[0], 0.02);
    }

    @Test
    void allCovarianceTypesAgreeOnSphericalBlobs() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(12), 600, 2, 3, 0.7);
        double[] scores = new double[4];
        int t = 0;
        for (CovarianceType type : CovarianceType.values()) {
            GaussianMixtureResult fit = GaussianMixture.fit(GaussianMixtureConfig.of(3, 4).withCovarianceType(type),
                    data.x());
            assertEquals(1.0, vecgrad.cluster.metrics.ClusteringAccuracy.score(data.labels(), fit.predict(data.x())));
            scores[t++] = fit.score(data.x());
        }
        // FULL has the most freedom, so no other type fits better (up to the EM stopping tolerance).
        for (int i = 1; i < 4; i++) {
            assertTrue(scores[0] >= scores[i] - 1e-3, Arrays.toString(scores));
        }
    }

    @Test
    void threadsDoNotChangeTheFit() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(2), 3000, 4, 3, 1.5);
        GaussianMixtureConfig config = GaussianMixtureConfig.of(3, 8);
        GaussianMixtureResult one, two;
        try (Parallel.Scope ignored = Parallel.withThreads(1)) {
            one = GaussianMixture.fit(config, data.x());
        }
        try (Parallel.Scope ignored = Parallel.withThreads(2)) {
            two = GaussianMixture.fit(config, data.x());
        }
        assertEquals(one.lowerBounds(), two.lowerBounds());
        assertTrue(Arrays.deepEquals(one.covariances(), two.covariances()));
    }

    @Test
    void float32InputMatchesFloat64() {
        ClusterData.Blobs data = ClusterData.blobs(new SplittableRandom(31), 400, 2, 2, 1.0);
        double[][] x = ClusterData.roundedToFloat(data.x());
        GaussianMixtureConfig config = GaussianMixtureConfig.of(2, 3);
        GaussianMixtureResult f64 = GaussianMixture.fit(config, x);
        GaussianMixtureResult f32 = GaussianMixture.fit(config, ClusterData.toFloat(x));
        assertEquals(f64.lowerBounds(), f32.lowerBounds());
        assertArrayEquals(f64.weights(), f32.weights(), 0.0);
    }
}
