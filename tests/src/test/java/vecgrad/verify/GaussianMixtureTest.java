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
    /**
     * One EM step from given precisions on d = 11 (wider than a vector, with a tail) checked against a plain
     * evaluation: responsibilities under the initial model, then weighted means and covariances; and the final
     * model's log-densities against a direct formula. Covers the lower (precision) and upper (covariance)
     * triangular factors and the scatter kernel.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(CovarianceType.class)
    void oneEmStepMatchesAPlainEvaluation(CovarianceType type) {
        int n = 150, d = 11, k = 3;
        SplittableRandom rng = new SplittableRandom(29);
        double[][] x = ClusterData.blobs(rng, n, d, k, 2.0).x();
        double[][][] cov = new double[k][][];
        for (int j = 0; j < k; j++) {
            cov[j] = randomCovariance(rng, d, type);
            if (type == CovarianceType.TIED && j > 0) {
                cov[j] = cov[0];
            }
        }
        double[] weights = {0.2, 0.5, 0.3};
        double[][] means = {x[0], x[1], x[2]};
        GaussianMixtureResult initial = new GaussianMixtureResult(type, weights, means, cov, List.of(0.0), 1, true,
                List.of());
        double[][] resp = initial.predictProba(x);
        double[] precisions = compactPrecisions(cov, type, d);
        GaussianMixtureResult step = GaussianMixture.fit(GaussianMixtureConfig.of(k, 0).withCovarianceType(type)
                .withMaxIter(1).withTol(0).withWeightsInit(weights).withMeansInit(means)
                .withPrecisionsInit(precisions), x);
        assertEquals(Arrays.stream(initial.scoreSamples(x)).average().orElseThrow(), step.lowerBound(), 1e-10);
        double[][] pooled = new double[d][d];
        double total = 0;
        for (int j = 0; j < k; j++) {
            double nk = 0;
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                nk += resp[i][j];
                for (int c = 0; c < d; c++) {
                    mean[c] += resp[i][j] * x[i][c];
                }
            }
            for (int c = 0; c < d; c++) {
                mean[c] /= nk;
                assertEquals(mean[c], step.mean(j, c), 1e-9 * (1 + Math.abs(mean[c])));
            }
            assertEquals(nk / n, step.weight(j), 1e-12);
            double[][] scatter = new double[d][d];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        scatter[a][b] += resp[i][j] * (x[i][a] - mean[a]) * (x[i][b] - mean[b]);
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    pooled[a][b] += scatter[a][b];
                }
            }
            total += nk;
            double sphere = 0;
            for (int a = 0; a < d; a++) {
                sphere += scatter[a][a] / nk + 1e-6;
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double expected = switch (type) {
                        case FULL -> scatter[a][b] / nk + (a == b ? 1e-6 : 0);
                        case DIAG -> a == b ? scatter[a][a] / nk + 1e-6 : 0;
                        case SPHERICAL -> a == b ? sphere / d : 0;
                        case TIED -> Double.NaN; // checked below, after pooling
                    };
                    if (type != CovarianceType.TIED) {
                        assertEquals(expected, step.covariance(j, a, b), 1e-9 * (1 + Math.abs(expected)),
                                "component " + j + " [" + a + ", " + b + "]");
                    }
                }
            }
        }
        if (type == CovarianceType.TIED) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double expected = pooled[a][b] / total + (a == b ? 1e-6 : 0);
                    assertEquals(expected, step.covariance(1, a, b), 1e-9 * (1 + Math.abs(expected)));
                }
            }
        }
        double[] scores = step.scoreSamples(x);
        for (int i = 0; i < n; i += 7) {
            assertEquals(plainLogDensity(step, x[i]), scores[i], 1e-9 * (1 + Math.abs(scores[i])), "sample " + i);
        }
    }

    static double[][] randomCovariance(SplittableRandom rng, int d, CovarianceType type) {
        double[][] c = new double[d][d];
        if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
            double[][] a = new double[d][d];
            for (double[] row : a) {
                for (int t = 0; t < d; t++) {
                    row[t] = rng.nextDouble(-1, 1);
                }
            }
            for (int r = 0; r < d; r++) {
                for (int s = 0; s < d; s++) {
                    for (int t = 0; t < d; t++) {
                        c[r][s] += a[r][t] * a[s][t];
                    }
                }
                c[r][r] += 2;
            }
        } else {
            double sigma2 = rng.nextDouble(1, 4);
            for (int r = 0; r < d; r++) {
                c[r][r] = type == CovarianceType.DIAG ? rng.nextDouble(1, 4) : sigma2;
            }
        }
        return c;
    }

    /** Precisions (inverse covariances) in the compact layout of the type. */
    static double[] compactPrecisions(double[][][] cov, CovarianceType type, int d) {
        int k = cov.length;
        return switch (type) {
            case FULL -> {
                double[] out = new double[k * d * d];
                for (int j = 0; j < k; j++) {
                    double[][] inv = inverse(cov[j]);
                    for (int r = 0; r < d; r++) {
                        System.arraycopy(inv[r], 0, out, (j * d + r) * d, d);
                    }
                }
                yield out;
            }
            case TIED -> {
                double[][] inv = inverse(cov[0]);
                double[] out = new double[d * d];
                for (int r = 0; r < d; r++) {
                    System.arraycopy(inv[r], 0, out, r * d, d);
                }
                yield out;
            }
            case DIAG -> {
                double[] out = new double[k * d];
                for (int j = 0; j < k; j++) {
                    for (int c = 0; c < d; c++) {
                        out[j * d + c] = 1 / cov[j][c][c];
                    }
                }
                yield out;
            }
            case SPHERICAL -> {
                double[] out = new double[k];
                for (int j = 0; j < k; j++) {
                    out[j] = 1 / cov[j][0][0];
                }
                yield out;
            }
        };
    }

    /** Gauss-Jordan inverse of a small SPD matrix. */
    static double[][] inverse(double[][] m) {
        int d = m.length;
        double[][] a = new double[d][2 * d];
        for (int r = 0; r < d; r++) {
            System.arraycopy(m[r], 0, a[r], 0, d);
            a[r][d + r] = 1;
        }
        for (int p = 0; p < d; p++) {
            double pivot = a[p][p];
            for (int c = 0; c < 2 * d; c++) {
                a[p][c] /= pivot;
            }
            for (int r = 0; r < d; r++) {
                if (r != p) {
                    double f = a[r][p];
                    for (int c = 0; c < 2 * d; c++) {
                        a[r][c] -= f * a[p][c];
                    }
                }
            }
        }
        double[][] out = new double[d][d];
        for (int r = 0; r < d; r++) {
            System.arraycopy(a[r], d, out[r], 0, d);
        }
        return out;
    }

    /** log Σ_j w_j N(x | μ_j, Σ_j) with an explicit inverse and a determinant by elimination. */
    static double plainLogDensity(GaussianMixtureResult model, double[] x) {
        int d = x.length;
        double[] terms = new double[model.k()];
        for (int j = 0; j < model.k(); j++) {
            double[][] cov = model.covariances()[j];
            double[][] inv = inverse(cov);
            double quad = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    quad += (x[a] - model.mean(j, a)) * inv[a][b] * (x[b] - model.mean(j, b));
                }
            }
            double[][] u = new double[d][];
            for (int r = 0; r < d; r++) {
                u[r] = cov[r].clone();
            }
            double logDet = 0;
            for (int p = 0; p < d; p++) {
                logDet += Math.log(u[p][p]);
                for (int r = p + 1; r < d; r++) {
                    double f = u[r][p] / u[p][p];
                    for (int c = p; c < d; c++) {
                        u[r][c] -= f * u[p][c];
                    }
                }
            }
            terms[j] = Math.log(model.weight(j)) - 0.5 * (d * Math.log(2 * Math.PI) + logDet + quad);
        }
        double max = Arrays.stream(terms).max().orElseThrow();
        return max + Math.log(Arrays.stream(terms).map(t -> Math.exp(t - max)).sum());
    }
}
