package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import vecgrad.cluster.metrics.KnnAccuracy;
import vecgrad.cluster.metrics.Trustworthiness;

class EmbeddingMetricsTest {
    /** x_ij = sin(3i + 7j) + 0.1·i·[j = 0]; the embedding is the first two columns plus a wobble. */
    private static double[][] formulaData(int n) {
        double[][] x = new double[n][5];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 5; j++) {
                x[i][j] = Math.sin(i * 3 + j * 7) + (j == 0 ? 0.1 * i : 0);
            }
        }
        return x;
    }

    private static double[][] formulaEmbedding(double[][] x) {
        double[][] e = new double[x.length][2];
        for (int i = 0; i < x.length; i++) {
            e[i][0] = x[i][0] + 0.3 * Math.cos(i * 5);
            e[i][1] = x[i][1] + 0.3 * Math.sin(i * 11);
        }
        return e;
    }

    @ParameterizedTest(name = "k={0}")
    @ValueSource(ints = {1, 3, 5, 10})
    void trustworthinessEqualsScikitLearn(int k) {
        // sklearn.manifold.trustworthiness(X, E, n_neighbors=k) on the same formula data (scikit-learn 1.2.1).
        double expected = switch (k) {
            case 1 -> 0.8309210526315789;
            case 3 -> 0.8533333333333333;
            case 5 -> 0.86625;
            default -> 0.8675510204081632;
        };
        double[][] x = formulaData(40);
        assertEquals(expected, Trustworthiness.score(x, formulaEmbedding(x), k), 1e-12);
    }

    static java.util.stream.LongStream seeds() {
        return Cases.seeds(4);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void trustworthinessEqualsTheRankDefinition(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(8, 60), k = rng.nextInt(1, (n - 1) / 2);
        double[][] x = EmbeddingData.uniform(rng, n, 4, -1, 1);
        double[][] e = EmbeddingData.uniform(rng, n, 2, -1, 1);
        double penalty = 0;
        for (int i = 0; i < n; i++) {
            Integer[] inputOrder = order(x, i), embeddedOrder = order(e, i);
            for (int r = 0; r < k; r++) {
                int j = embeddedOrder[r];
                int rank = Arrays.asList(inputOrder).indexOf(j) + 1;
                penalty += Math.max(0, rank - k);
            }
        }
        double expected = 1 - penalty * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0));
        assertEquals(expected, Trustworthiness.score(x, e, k), 1e-12);
        assertEquals(1.0, Trustworthiness.score(x, x, k), 0, "the identity embedding is perfectly trustworthy");
    }

    /** Indices of the other points sorted by distance from point i. */
    private static Integer[] order(double[][] x, int i) {
        Integer[] idx = new Integer[x.length - 1];
        int at = 0;
        for (int j = 0; j < x.length; j++) {
            if (j != i) {
                idx[at++] = j;
            }
        }
        Arrays.sort(idx, (a, b) -> Double.compare(dist2(x[i], x[a]), dist2(x[i], x[b])));
        return idx;
    }

    @Test
    void trustworthinessRejectsTooManyNeighbours() {
        double[][] x = formulaData(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trustworthiness.score(x, formulaEmbedding(x), 5));
        assertTrue(e.getMessage().contains("n_neighbors"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trustworthiness.score(x, new double[9][2], 2));
    }

    @Test
    void knnAccuracyVotesByMajorityWithTiesToTheSmallestLabel() {
        double[][] e = {{0}, {1}, {2}, {10}, {11}, {12}, {6}};
        int[] labels = {0, 0, 0, 1, 1, 1, 1};
        // k = 1: point 6 (at 6) has nearest 2 (label 0) -> wrong; all others right.
        assertEquals(6.0 / 7, KnnAccuracy.score(e, labels, 1), 1e-15);
        // k = 2: point 6's neighbours are 2 (label 0) and 10 (label 1): a tie, which goes to label 0 -> wrong.
        // Point 3 (at 10): neighbours 11, 12 -> 1, right. Point 2 (at 2): 1 and 0 -> right.
        assertEquals(6.0 / 7, KnnAccuracy.score(e, labels, 2), 1e-15);
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED);
        double[][] blobs = EmbeddingData.blobs(rng, 3, 20, 2);
        assertEquals(1.0, KnnAccuracy.score(blobs, EmbeddingData.blobLabels(3, 20), 5));
        assertThrows(IllegalArgumentException.class, () -> KnnAccuracy.score(e, labels, 7));
        assertThrows(IllegalArgumentException.class, () -> KnnAccuracy.score(e, new int[3], 1));
    }

    private static double dist2(double[] a, double[] b) {
        double s = 0;
        for (int c = 0; c < a.length; c++) {
            s += (a[c] - b[c]) * (a[c] - b[c]);
        }
        return s;
    }
}
