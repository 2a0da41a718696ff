package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import vecgrad.cluster.CovarianceType;
import vecgrad.cluster.GaussianMixture;
import vecgrad.cluster.GaussianMixtureConfig;
import vecgrad.cluster.GaussianMixtureResult;
import vecgrad.cluster.KMeans;
import vecgrad.cluster.KMeansConfig;
import vecgrad.cluster.KMeansResult;
import vecgrad.cluster.Pca;

/** FAULTS.md §5, cases 58-60, plus the bad inputs (empty input, zero-variance dimensions). */
class ClusterFaultsTest {
    static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
    }

    @Test
    void fault58_moreClustersThanDistinctPointsGivesKCentersAndAWarning() {
        double[][] x = new double[12][];
        for (int i = 0; i < 12; i++) {
            x[i] = new double[] {i % 3, 2.0 * (i % 3)};
        }
        for (KMeansConfig.Algorithm algorithm : KMeansConfig.Algorithm.values()) {
            for (KMeansConfig.Init init : new KMeansConfig.Init[] {KMeansConfig.Init.K_MEANS_PLUS_PLUS,
                    KMeansConfig.Init.RANDOM}) {
                KMeansResult fit = KMeans.fit(KMeansConfig.of(5, 1).withAlgorithm(algorithm).withInit(init), x);
                assertEquals(5, fit.k());
                for (double[] c : fit.centers()) {
                    assertTrue(Arrays.stream(c).allMatch(Double::isFinite), Arrays.toString(c));
                }
                assertEquals(0, fit.inertia(), 0.0);
                assertTrue(fit.warnings().contains("only 3 distinct clusters found for k = 5; duplicate points?"),
                        algorithm + " " + init + ": " + fit.warnings());
            }
        }
    }

    @Test
    void fault58_emptyClusterMovesToTheFarthestPoint() {
        double[][] x = {{0}, {1}, {2}, {10}};
        // Center 1 at 100 gets no points in the first assignment; it must take x = 10, the sample
        // farthest from its center (the mean 3.25 would be the old center of the rest).
        KMeansResult fit = KMeans.fit(KMeansConfig.fromCenters(new double[][] {{3.25}, {100}}).withMaxIter(1)
                .withTol(0), x);
        assertEquals(10, fit.center(1, 0), 0.0);
        assertEquals(1, fit.center(0, 0), 0.0);
        assertTrue(Arrays.stream(fit.centers()).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite));
    }

    @Test
    void fault58_allIdenticalPointsWork() {
        double[][] x = new double[6][];
        Arrays.setAll(x, i -> new double[] {4, -2});
        KMeansResult fit = KMeans.fit(KMeansConfig.of(3, 0), x);
        assertEquals(3, fit.k());
        assertEquals(0, fit.inertia(), 0.0);
        assertTrue(fit.warnings().get(0).startsWith("only 1 distinct clusters"), fit.warnings().toString());
    }

    @Test
    void fault59_invalidKMeansParameters() {
        double[][] x = {{0, 0}, {1, 1}, {2, 2}};
        assertMessage(() -> KMeansConfig.of(0, 1), "n_clusters must be >= 1");
        assertMessage(() -> KMeans.fit(KMeansConfig.of(4, 1), x), "n_samples=3 should be >= n_clusters=4");
        assertMessage(() -> KMeansConfig.of(2, 1).withMaxIter(0), "max_iter must be >= 1");
        assertMessage(() -> KMeansConfig.of(2, 1).withNInit(0), "n_init must be >= 1");
        assertMessage(() -> KMeansConfig.of(2, 1).withTol(Double.NaN), "tol");
        assertMessage(() -> new KMeansConfig(2, KMeansConfig.Init.GIVEN, new double[][] {{0, 0}}, 1, 10, 0,
                KMeansConfig.Algorithm.LLOYD, 0), "init centers do not match n_clusters");
        assertMessage(() -> KMeans.fit(KMeansConfig.fromCenters(new double[][] {{0}, {1}}), x),
                "init centers do not match the features", "[2, 1]", "[2, 2]");
        assertMessage(() -> KMeans.fit(KMeansConfig.of(2, 1), x, new double[] {1, 1}, null), "sample weights");
    }

    @Test
    void fault59_nanOrInfNamesRowAndColumn() {
        double[][] x = {{0, 0}, {1, 1}, {2, Double.NaN}};
        assertMessage(() -> KMeans.fit(KMeansConfig.of(2, 1), x), "kmeans", "input contains NaN at row 2, column 1");
        float[][] xf = {{0, 0}, {1, Float.POSITIVE_INFINITY}, {2, 2}};
        assertMessage(() -> KMeans.fit(KMeansConfig.of(2, 1), xf), "input contains Inf at row 1, column 1");
        assertMessage(() -> GaussianMixture.fit(GaussianMixtureConfig.of(2, 1), x), "gaussian_mixture",
                "input contains NaN at row 2, column 1");
        double[][] y = {{0, 0}, {Double.NEGATIVE_INFINITY, 1}, {2, 3}};
        assertMessage(() -> Pca.fit(y, 1), "pca", "input contains -Inf at row 1, column 0");
    }

    @Test
    void fault59_theFirstBadValueIsNamedAcrossParallelChunks() {
        float[][] x = new float[10000][3];
        x[9000][2] = Float.NaN;
        x[5000][1] = Float.NEGATIVE_INFINITY;
        x[5000][2] = Float.NaN;
        assertMessage(() -> KMeans.fit(KMeansConfig.of(2, 1), x), "input contains -Inf at row 5000, column 1");
    }

    @Test
    void emptyInputIsRejected() {
        assertMessage(() -> KMeans.fit(KMeansConfig.of(1, 1), new double[0][]), "input is empty");
        assertMessage(() -> GaussianMixture.fit(GaussianMixtureConfig.of(1, 1), new double[0][]), "input is empty");
        assertMessage(() -> Pca.fit(new double[0][], 1), "input is empty");
        assertMessage(() -> KMeans.fit(KMeansConfig.of(1, 1), new double[][] {{}, {}}), "no features");
    }

    @Test
    void zeroVarianceDimensionsWorkWhereTheMathIsDefined() {
        SplittableRandom rng = new SplittableRandom(5);
        double[][] x = ClusterData.blobs(rng, 100, 3, 2, 0.5).x();
        for (double[] row : x) {
            row[1] = 3.0;
        }
        assertEquals(2, KMeans.fit(KMeansConfig.of(2, 1), x).k());
        assertDoesNotThrow(() -> GaussianMixture.fit(GaussianMixtureConfig.of(2, 1), x));
        // Without regCovar a constant feature makes every covariance singular.
        assertMessage(() -> GaussianMixture.fit(GaussianMixtureConfig.of(2, 1).withRegCovar(0), x),
                "ill-defined empirical covariance", "increase regCovar", "feature 1");
        double[][] constant = new double[5][];
        Arrays.setAll(constant, i -> new double[] {1, 2});
        assertMessage(() -> Pca.fit(constant, 1), "every feature has zero variance");
    }

    /** A blob plus a component collapsed onto 5 identical points. */
    static double[][] withCollapsedComponent() {
        SplittableRandom rng = new SplittableRandom(17);
        double[][] x = new double[65][];
        for (int i = 0; i < 60; i++) {
            x[i] = new double[] {rng.nextGaussian(), rng.nextGaussian()};
        }
        for (int i = 60; i < 65; i++) {
            x[i] = new double[] {30, -30};
        }
        return x;
    }

    @Test
    void fault60_collapsedComponentWithoutRegCovarIsIllDefined() {
        double[][] x = withCollapsedComponent();
        for (CovarianceType type : CovarianceType.values()) {
            if (type == CovarianceType.TIED) {
                continue; // a shared covariance pools every component, so one collapse does not make it singular
            }
            GaussianMixtureConfig config = GaussianMixtureConfig.of(2, 3).withCovarianceType(type).withRegCovar(0);
            assertMessage(() -> GaussianMixture.fit(config, x), "ill-defined empirical covariance",
                    "reduce the number of components or increase regCovar");
            GaussianMixtureResult fit = GaussianMixture.fit(config.withRegCovar(1e-6), x);
            assertTrue(Double.isFinite(fit.lowerBound()), type.toString());
            double[] w = fit.weights();
            Arrays.sort(w);
            assertEquals(5 / 65.0, w[0], 1e-9, type.toString());
        }
    }

    @Test
    void fault60_largeScaleDataWithDefaultRegCovarFits() {
        double[][] x = ClusterData.blobs(new SplittableRandom(8), 200, 2, 2, 1.0).x();
        for (double[] row : x) {
            row[0] *= 1e5;
            row[1] = row[1] * 1e-3 + 7e4;
        }
        GaussianMixtureResult fit = GaussianMixture.fit(GaussianMixtureConfig.of(2, 1), x);
        assertTrue(Double.isFinite(fit.lowerBound()));
    }

    @Test
    void fault60_notConvergingIsAFlagAndAWarning() {
        double[][] x = ClusterData.blobs(new SplittableRandom(2), 200, 2, 3, 2.0).x();
        GaussianMixtureResult fit = GaussianMixture.fit(GaussianMixtureConfig.of(3, 1).withMaxIter(2).withTol(0), x);
        assertFalse(fit.converged());
        assertEquals(2, fit.iterations());
        assertTrue(fit.warnings().get(0).contains("did not converge"), fit.warnings().toString());
    }

    @Test
    void fault60_badWeightsInit() {
        assertMessage(() -> GaussianMixtureConfig.of(2, 1).withWeightsInit(new double[] {1}),
                "weightsInit does not match n_components");
        assertMessage(() -> GaussianMixtureConfig.of(2, 1).withWeightsInit(new double[] {1.5, -0.5}),
                "outside [0, 1]");
        assertMessage(() -> GaussianMixtureConfig.of(2, 1).withWeightsInit(new double[] {0.5, 0.6}),
                "does not sum to 1");
        assertMessage(() -> GaussianMixtureConfig.of(2, 1).withWeightsInit(new double[] {Double.NaN, 1}),
                "outside [0, 1]");
        double[][] x = {{0}, {1}, {2}, {3}};
        assertMessage(() -> GaussianMixture.fit(GaussianMixtureConfig.of(2, 1).withCovarianceType(CovarianceType.DIAG)
                .withPrecisionsInit(new double[] {1, -1}), x), "precisionsInit of component 1 is not positive");
        assertMessage(() -> GaussianMixture.fit(GaussianMixtureConfig.of(2, 1).withPrecisionsInit(new double[] {1, 2, 3}),
                x), "precisionsInit does not match the covariance type FULL", "got 3 values", "expected 2 values");
    }

    @Test
    void fault60_pointFarFromEveryComponentHasFiniteResponsibilities() {
        double[][] x = ClusterData.blobs(new SplittableRandom(4), 100, 2, 2, 1.0).x();
        GaussianMixtureResult fit = GaussianMixture.fit(GaussianMixtureConfig.of(2, 1), x);
        double sigma = Math.sqrt(fit.covariance(0, 0, 0));
        double[][] far = {{fit.mean(0, 0) + 1e3 * sigma, fit.mean(0, 1)}};
        double[] proba = fit.predictProba(far)[0];
        assertTrue(Arrays.stream(proba).allMatch(Double::isFinite), Arrays.toString(proba));
        assertEquals(1.0, proba[0] + proba[1], 1e-12);
        assertTrue(Double.isFinite(fit.scoreSamples(far)[0]));
        double[][] withOutlier = Arrays.copyOf(x, 101);
        withOutlier[100] = far[0];
        assertTrue(Double.isFinite(GaussianMixture.fit(GaussianMixtureConfig.of(2, 1), withOutlier).lowerBound()));
    }
}
