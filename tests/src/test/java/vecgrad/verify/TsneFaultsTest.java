package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import vecgrad.cluster.Agglomerative;
import vecgrad.cluster.Dendrogram;
import vecgrad.cluster.Linkage;
import vecgrad.cluster.manifold.Tsne;
import vecgrad.cluster.manifold.TsneAffinities;
import vecgrad.cluster.manifold.TsneConfig;
import vecgrad.cluster.manifold.TsneGradient;
import vecgrad.cluster.manifold.TsneResult;

/** FAULTS.md §5, cases 61 (t-SNE bad input and degenerate affinities) and 62 (finite KL, gradient, linkage edge cases). */
class TsneFaultsTest {
    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static double[][] small(long seed) {
        return EmbeddingData.uniform(new SplittableRandom(seed), 12, 3, -1, 1);
    }

    @Test
    void fault61_perplexityNotPositiveIsRejected() {
        assertTrue(message(() -> TsneConfig.of(1).withPerplexity(0)).contains("perplexity"));
        assertTrue(message(() -> TsneConfig.of(1).withPerplexity(-3)).contains("perplexity"));
        assertTrue(message(() -> TsneConfig.of(1).withPerplexity(Double.NaN)).contains("perplexity"));
        assertTrue(message(() -> TsneAffinities.dense(small(1), 0)).contains("perplexity must be greater than 0"));
    }

    @Test
    void fault61_perplexityAtLeastNIsRejectedWithScikitLearnsMessage() {
        double[][] x = small(2);
        for (TsneConfig.Method method : TsneConfig.Method.values()) {
            String text = message(() -> Tsne.fit(TsneConfig.of(1).withPerplexity(12).withMethod(method), x));
            assertTrue(text.contains("perplexity must be less than n_samples"), text);
            assertTrue(text.startsWith("tsne: "), text);
        }
        assertTrue(message(() -> TsneAffinities.dense(x, 30)).contains("perplexity must be less than n_samples"));
        // Just below n is valid.
        assertEquals(12, Tsne.fit(TsneConfig.of(1).withPerplexity(11.5).withMaxIter(10), x).size());
    }

    @Test
    void fault61_bisectionSurvivesFarPointsWhoseExponentialsUnderflow() {
        double[][] x = small(3);
        x[0] = new double[] {1e4, 1e4, 1e4}; // exp(−β·3e8) = 0 for every other point: S = 0 in row 0
        TsneAffinities.Dense dense = TsneAffinities.dense(x, 4);
        assertFiniteRows(dense);
        double[][] offset = small(3);
        for (double[] row : offset) {
            for (int j = 0; j < row.length; j++) {
                row[j] += 100;
            }
        }
        TsneAffinities.Dense shifted = TsneAffinities.dense(offset, 4), plain = TsneAffinities.dense(small(3), 4);
        assertFiniteRows(shifted);
        assertArrayEquals(plain.beta(), shifted.beta(), 1e-9, "an offset leaves the calibration unchanged");
        for (TsneConfig.Method method : TsneConfig.Method.values()) {
            TsneResult fit = Tsne.fit(TsneConfig.of(4).withPerplexity(4).withMaxIter(300).withMethod(method), x);
            assertFiniteEmbedding(fit);
        }
    }

    @Test
    void fault61_duplicatePointsGiveAUniformConditionalP() {
        double[][] x = new double[10][3]; // every distance 0
        for (double[] row : x) {
            java.util.Arrays.fill(row, 2.5);
        }
        TsneAffinities.Dense dense = TsneAffinities.dense(x, 3);
        assertFiniteRows(dense);
        double[] conditional = dense.conditional();
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                assertEquals(i == j ? 0 : 1.0 / 9, conditional[i * 10 + j], 1e-15);
            }
        }
        assertEquals(10, dense.unconverged(), "no β reaches ln(3) when every distance is 0: reported, not thrown");
        for (TsneConfig.Method method : TsneConfig.Method.values()) {
            TsneResult fit = Tsne.fit(TsneConfig.of(2).withPerplexity(3).withMaxIter(300).withMethod(method), x);
            assertFiniteEmbedding(fit);
            assertEquals(10, fit.unconvergedRows());
        }
    }

    @Test
    void fault61_precomputedDistancesMustBeSquareNonNegativeAndNumbers() {
        TsneConfig config = TsneConfig.of(1).withInit(TsneConfig.Init.RANDOM).withPrecomputed(true).withPerplexity(2);
        assertTrue(message(() -> Tsne.fit(config, new double[5][4])).contains("must be square"));
        double[][] negative = new double[5][5];
        negative[1][3] = -0.5;
        String text = message(() -> Tsne.fit(config, negative));
        assertTrue(text.contains("negative entry at row 1, column 3"), text);
        double[][] nan = new double[5][5];
        nan[4][0] = Double.NaN;
        assertTrue(message(() -> Tsne.fit(config, nan)).contains("NaN at row 4, column 0"));
        assertTrue(message(() -> TsneConfig.of(1).withPrecomputed(true)).contains("init PCA cannot be used"));
        // A valid matrix: squared distances of a small data set give the same P as the data.
        double[][] x = small(5);
        double[][] d = new double[x.length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                for (int c = 0; c < 3; c++) {
                    d[i][j] += (x[i][c] - x[j][c]) * (x[i][c] - x[j][c]);
                }
            }
        }
        TsneConfig exact = config.withMethod(TsneConfig.Method.EXACT).withMaxIter(1); // one step: no chaotic amplification
        TsneResult fromMatrix = Tsne.fit(exact, d);
        TsneResult fromData = Tsne.fit(exact.withPrecomputed(false), x);
        assertEquals(fromData.klDivergence(), fromMatrix.klDivergence(), 1e-9 * fromData.klDivergence());
        assertThrows(IllegalStateException.class, () -> fromMatrix.transform(x));
    }

    @Test
    void fault61_nanOrInfiniteDataIsRejectedNamingRowAndColumn() {
        double[][] x = small(6);
        x[7][2] = Double.NaN;
        String text = message(() -> Tsne.fit(TsneConfig.of(1).withPerplexity(3), x));
        assertTrue(text.contains("NaN at row 7, column 2"), text);
        double[][] y = small(6);
        y[3][0] = Double.NEGATIVE_INFINITY;
        assertTrue(message(() -> Tsne.fit(TsneConfig.of(1).withPerplexity(3), y)).contains("infinite at row 3, column 0"));
        float[][] f = new float[4][2];
        f[2][1] = Float.POSITIVE_INFINITY;
        assertTrue(message(() -> Tsne.fit(TsneConfig.of(1).withPerplexity(1), f)).contains("row 2, column 1"));
        assertTrue(message(() -> Agglomerative.linkage(x, Linkage.WARD)).contains("NaN at row 7, column 2"));
    }

    @Test
    void fault61_emptyOrRaggedInputIsRejected() {
        assertTrue(message(() -> Tsne.fit(TsneConfig.of(1), new double[0][])).contains("empty"));
        assertTrue(message(() -> Tsne.fit(TsneConfig.of(1), new double[][] {{1, 2}, {3}})).contains("different lengths"));
        assertTrue(message(() -> Tsne.fit(TsneConfig.of(1).withPerplexity(0.5), new double[][] {{1, 2}}))
                .contains("too few samples"));
        assertTrue(message(() -> Agglomerative.linkage(new double[0][], Linkage.SINGLE)).contains("empty"));
    }

    @Test
    void fault62_klIsFiniteAtEveryReportedIteration() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 62);
        double[][] x = EmbeddingData.blobs(rng, 3, 20, 4);
        x[5] = x[6].clone(); // a duplicate pair
        x[10] = new double[] {1e3, -1e3, 1e3, 0}; // a far outlier
        for (TsneConfig.Method method : TsneConfig.Method.values()) {
            for (TsneConfig.Init init : TsneConfig.Init.values()) {
                List<Double> reported = new ArrayList<>();
                TsneResult fit = Tsne.fit(TsneConfig.of(8).withPerplexity(10).withMethod(method).withInit(init)
                        .withCheckEvery(10).withMaxIter(400), x, (iteration, kl) -> reported.add(kl));
                assertEquals(40, reported.size());
                for (double kl : reported) {
                    assertTrue(Double.isFinite(kl) && kl >= 0, method + "/" + init + " KL " + kl);
                }
                assertEquals(reported, fit.history());
                assertFiniteEmbedding(fit);
            }
        }
    }

    @Test
    void fault62_gradientPassesACentralDifferenceCheckOnASmallProblem() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 63);
        int n = 9, dims = 2;
        double[] p = EmbeddingData.jointP(rng, n);
        double[] y = Cases.uniform(rng, n * dims, -1e-2, 1e-2); // near sklearn's start, where Q is almost uniform
        double[] grad = new double[n * dims];
        TsneGradient.exact(p, y, n, dims, 1, grad, true);
        double eps = 1e-7;
        for (int i = 0; i < y.length; i++) {
            double[] plus = y.clone(), minus = y.clone();
            plus[i] += eps;
            minus[i] -= eps;
            double[] scratch = new double[n * dims];
            double numeric = (TsneGradient.exact(p, plus, n, dims, 1, scratch, true)
                    - TsneGradient.exact(p, minus, n, dims, 1, scratch, true)) / (2 * eps);
            assertEquals(numeric, grad[i], 1e-7 + 1e-5 * Math.abs(numeric), "coordinate " + i);
        }
    }

    @Test
    void fault62_agglomerativeWithOnePointReturnsAnEmptyTree() {
        for (Linkage linkage : Linkage.values()) {
            Dendrogram tree = Agglomerative.linkage(new double[][] {{3, 4}}, linkage);
            assertEquals(1, tree.n());
            assertEquals(0, tree.merges());
            assertArrayEquals(new int[] {0}, tree.cut(1));
            assertArrayEquals(new int[] {0}, tree.cut(5));
            assertArrayEquals(new int[] {0}, tree.leafOrder());
            assertEquals(0, tree.linkageMatrix().length);
        }
    }

    @Test
    void fault62_agglomerativeWithIdenticalPointsMergesAtHeightZero() {
        double[][] x = new double[7][3];
        for (double[] row : x) {
            java.util.Arrays.fill(row, -1.25);
        }
        for (Linkage linkage : Linkage.values()) {
            Dendrogram tree = Agglomerative.linkage(x, linkage);
            assertEquals(6, tree.merges());
            assertArrayEquals(new double[6], tree.heights(), 0, linkage + " heights");
            assertEquals(7, tree.size(5));
            assertArrayEquals(new int[7], tree.cut(3), "equal heights are not split: one cluster, as SciPy");
        }
    }

    private static void assertFiniteRows(TsneAffinities.Dense dense) {
        int n = dense.n();
        double[] conditional = dense.conditional(), joint = dense.joint();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                assertTrue(Double.isFinite(conditional[i * n + j]) && Double.isFinite(joint[i * n + j]));
                sum += conditional[i * n + j];
            }
            assertEquals(1, sum, 1e-9, "row " + i);
        }
        for (double beta : dense.beta()) {
            assertTrue(Double.isFinite(beta) && beta > 0);
        }
    }

    private static void assertFiniteEmbedding(TsneResult fit) {
        assertTrue(Double.isFinite(fit.klDivergence()), "KL " + fit.klDivergence());
        for (int i = 0; i < fit.size(); i++) {
            assertTrue(Double.isFinite(fit.coordinate(i, 0)) && Double.isFinite(fit.coordinate(i, 1)), "point " + i);
        }
    }
}
