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
import vecgrad.cluster.PcaResult;

class PcaTest {
    static Stream<Long> seeds() {
        return Cases.seeds(10).boxed();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void componentsAreOrthonormalEigenvectorsOfTheCovariance(long seed) {
        Property.check("componentsAreOrthonormalEigenvectorsOfTheCovariance", seed, 12, (rng, max) -> {
            int d = rng.nextInt(1, max + 1), n = rng.nextInt(2, 3 * max + 3), k = rng.nextInt(1, Math.min(n, d) + 1);
            double[][] x = correlated(rng, n, d);
            PcaResult pca = Pca.fit(x, k);
            double[][] cov = covariance(x);
            double[][] c = pca.components();
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    assertEquals(a == b ? 1 : 0, dot(c[a], c[b]), 1e-10, "components " + a + ", " + b);
                }
                double[] cv = new double[d];
                for (int r = 0; r < d; r++) {
                    cv[r] = dot(cov[r], c[a]);
                }
                double lambda = pca.explainedVariance()[a];
                for (int r = 0; r < d; r++) {
                    assertEquals(lambda * c[a][r], cv[r], 1e-9 * (1 + lambda), "C·v = λ·v, component " + a);
                }
                if (a > 0) {
                    assertTrue(pca.explainedVariance()[a] <= pca.explainedVariance()[a - 1]);
                }
                int largest = 0;
                for (int r = 0; r < d; r++) {
                    largest = Math.abs(c[a][r]) > Math.abs(c[a][largest]) ? r : largest;
                }
                assertTrue(c[a][largest] > 0, "sign convention: largest |entry| positive");
            }
        });
    }

    @Test
    void allComponentsReconstructTheDataAndExplainAllVariance() {
        double[][] x = correlated(new SplittableRandom(4), 50, 6);
        PcaResult pca = Pca.fit(x, 6);
        double[][] back = pca.inverseTransform(pca.transform(x));
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(x[i], back[i], 1e-10);
        }
        assertEquals(1.0, java.util.Arrays.stream(pca.explainedVarianceRatio()).sum(), 1e-12);
    }

    @Test
    void scoresHaveTheExplainedVarianceAndSingularValues() {
        double[][] x = correlated(new SplittableRandom(8), 80, 5);
        PcaResult pca = Pca.fit(x, 3);
        double[][] scores = pca.transform(x);
        for (int j = 0; j < 3; j++) {
            double sq = 0;
            for (double[] row : scores) {
                sq += row[j] * row[j];
            }
            assertEquals(pca.explainedVariance()[j], sq / 79, 1e-9 * pca.explainedVariance()[j]);
            assertEquals(pca.singularValues()[j], Math.sqrt(sq), 1e-9 * pca.singularValues()[j]);
        }
    }

    @Test
    void lineInThePlaneHasOneComponent() {
        double[][] x = new double[10][];
        for (int i = 0; i < 10; i++) {
            x[i] = new double[] {3 * i, -4 * i};
        }
        PcaResult pca = Pca.fit(x, 2);
        assertArrayEquals(new double[] {-0.6, 0.8}, pca.components()[0], 1e-12);
        assertEquals(1.0, pca.explainedVarianceRatio()[0], 1e-12);
        assertEquals(0.0, pca.explainedVariance()[1], 1e-9);
    }

    @Test
    void zeroVarianceFeatureIsFine() {
        double[][] x = correlated(new SplittableRandom(1), 30, 3);
        for (double[] row : x) {
            row[1] = 7;
        }
        PcaResult pca = Pca.fit(x, 3);
        assertEquals(0.0, pca.explainedVariance()[2], 1e-12);
        assertEquals(0.0, pca.components()[0][1], 1e-12);
    }

    static double[][] correlated(SplittableRandom rng, int n, int d) {
        double[][] mix = new double[d][d];
        for (double[] row : mix) {
            for (int c = 0; c < d; c++) {
                row[c] = rng.nextDouble(-1, 1);
            }
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            double[] z = new double[d];
            for (int c = 0; c < d; c++) {
                z[c] = rng.nextGaussian() * (c + 1);
            }
            for (int r = 0; r < d; r++) {
                x[i][r] = 3 + dot(mix[r], z);
            }
        }
        return x;
    }

    static double[][] covariance(double[][] x) {
        int n = x.length, d = x[0].length;
        double[] mean = new double[d];
        for (double[] row : x) {
            for (int c = 0; c < d; c++) {
                mean[c] += row[c] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] row : x) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]) / (n - 1);
                }
            }
        }
        return cov;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
