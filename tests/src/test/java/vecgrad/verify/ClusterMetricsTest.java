package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.cluster.metrics.AdjustedRand;
import vecgrad.cluster.metrics.ClusteringAccuracy;
import vecgrad.cluster.metrics.NormalizedMutualInfo;
import vecgrad.cluster.metrics.Silhouette;

/** Reference values from scikit-learn 1.2.1 ({@code sklearn.metrics}) on this machine. */
class ClusterMetricsTest {
    static Stream<Long> seeds() {
        return Cases.seeds(20).boxed();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void hungarianAccuracyEqualsBruteForceOverAllMatchings(long seed) {
        Property.check("hungarianAccuracyEqualsBruteForceOverAllMatchings", seed, 6, (rng, max) -> {
            int classes = rng.nextInt(1, Math.min(6, max) + 1), clusters = rng.nextInt(1, 7), n = rng.nextInt(1, 40);
            int[] truth = new int[n], predicted = new int[n];
            for (int i = 0; i < n; i++) {
                truth[i] = rng.nextInt(classes) * 3 - 5; // arbitrary label names
                predicted[i] = rng.nextInt(clusters) + 100;
            }
            assertEquals(bruteForce(truth, predicted), ClusteringAccuracy.score(truth, predicted), 1e-15);
        });
    }

    @Test
    void accuracyIgnoresLabelNames() {
        assertEquals(1.0, ClusteringAccuracy.score(new int[] {0, 0, 1, 1, 2}, new int[] {7, 7, 3, 3, 9}));
        assertEquals(0.6, ClusteringAccuracy.score(new int[] {0, 0, 1, 1, 2}, new int[] {1, 1, 1, 0, 0}), 1e-15);
    }

    @Test
    void nmiMatchesScikitLearn() {
        assertEquals(0.7396673768007591,
                NormalizedMutualInfo.score(new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 1, 2, 2, 2}), 1e-14);
        assertEquals(1.0, NormalizedMutualInfo.score(new int[] {0, 0, 1, 1}, new int[] {5, 5, 2, 2}), 1e-15);
        assertEquals(0.0, NormalizedMutualInfo.score(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-15);
        assertEquals(1.0, NormalizedMutualInfo.score(new int[] {3, 3, 3}, new int[] {1, 1, 1}));
    }

    @Test
    void ariMatchesScikitLearn() {
        assertEquals(0.4444444444444444,
                AdjustedRand.score(new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 1, 2, 2, 2}), 1e-14);
        assertEquals(0.5714285714285714, AdjustedRand.score(new int[] {0, 0, 1, 2}, new int[] {0, 0, 1, 1}), 1e-14);
        assertEquals(1.0, AdjustedRand.score(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}));
        assertEquals(0.0, AdjustedRand.score(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3}));
        assertEquals(-0.5, AdjustedRand.score(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-15);
    }

    @Test
    void silhouetteMatchesScikitLearn() {
        double[][] x = {{0, 0}, {1, 0}, {0, 1}, {5, 5}, {6, 5}, {5, 7}};
        assertEquals(0.8048918895105276, Silhouette.score(x, new int[] {0, 0, 0, 1, 1, 1}), 1e-14);
        assertArrayEquals(new double[] {0.8366256181705889, 0.8257130986907895, -0.8309727498079399,
                0.534758784149262, 0.5319782433236783, 0.5180870455497636},
                Silhouette.samples(x, new int[] {0, 0, 1, 1, 1, 1}), 1e-14);
    }

    @Test
    void metricsRejectMismatchedOrDegenerateInput() {
        assertThrows(IllegalArgumentException.class, () -> AdjustedRand.score(new int[] {0, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> NormalizedMutualInfo.score(new int[0], new int[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Silhouette.score(new double[][] {{0}, {1}, {2}}, new int[] {0, 0, 0}));
        assertTrue(e.getMessage().contains("2 <= n_labels"), e.getMessage());
    }

    @Test
    void randomLabelingsScoreNearZero() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] a = new int[5000], b = new int[5000];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextInt(10);
            b[i] = rng.nextInt(10);
        }
        assertEquals(0, AdjustedRand.score(a, b), 0.01);
        assertEquals(0, NormalizedMutualInfo.score(a, b), 0.02);
    }

    private static double bruteForce(int[] truth, int[] predicted) {
        int[] t = dense(truth), p = dense(predicted);
        int classes = max(t) + 1, clusters = max(p) + 1, m = Math.max(classes, clusters);
        int[][] counts = new int[m][m];
        for (int i = 0; i < t.length; i++) {
            counts[t[i]][p[i]]++;
        }
        int[] perm = new int[m];
        for (int i = 0; i < m; i++) {
            perm[i] = i;
        }
        int best = 0;
        do {
            int sum = 0;
            for (int r = 0; r < m; r++) {
                sum += counts[r][perm[r]];
            }
            best = Math.max(best, sum);
        } while (nextPermutation(perm));
        return (double) best / t.length;
    }

    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            tmp = a[l];
            a[l] = a[r];
            a[r] = tmp;
        }
        return true;
    }

    private static int[] dense(int[] labels) {
        java.util.Map<Integer, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = ids.computeIfAbsent(labels[i], v -> ids.size());
        }
        return out;
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
