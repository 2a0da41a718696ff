package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.cluster.Agglomerative;
import vecgrad.cluster.AgglomerativeConfig;
import vecgrad.cluster.Dendrogram;
import vecgrad.cluster.Linkage;
import vecgrad.kernels.Parallel;

class AgglomerativeTest {
    static Stream<Arguments> linkagesAndSeeds() {
        return Arrays.stream(Linkage.values()).flatMap(linkage -> Cases.seeds(6).mapToObj(seed -> Arguments.of(linkage, seed)));
    }

    /** The definition: merge the closest pair of clusters under the linkage, by brute force over point pairs. */
    private static List<Object[]> naiveMerges(double[][] x, Linkage linkage) {
        List<BitSet> clusters = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            BitSet single = new BitSet();
            single.set(i);
            clusters.add(single);
        }
        List<Object[]> merges = new ArrayList<>();
        while (clusters.size() > 1) {
            double best = Double.POSITIVE_INFINITY;
            int bestA = -1, bestB = -1;
            for (int a = 0; a < clusters.size(); a++) {
                for (int b = a + 1; b < clusters.size(); b++) {
                    double d = clusterDistance(x, clusters.get(a), clusters.get(b), linkage);
                    if (d < best) {
                        best = d;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            BitSet merged = (BitSet) clusters.get(bestA).clone();
            merged.or(clusters.get(bestB));
            merges.add(new Object[] {merged, best});
            clusters.remove(bestB);
            clusters.set(bestA, merged);
        }
        return merges;
    }

    private static double clusterDistance(double[][] x, BitSet a, BitSet b, Linkage linkage) {
        if (linkage == Linkage.WARD) {
            int d = x[0].length;
            double[] ma = mean(x, a, d), mb = mean(x, b, d);
            double sq = 0;
            for (int c = 0; c < d; c++) {
                sq += (ma[c] - mb[c]) * (ma[c] - mb[c]);
            }
            double na = a.cardinality(), nb = b.cardinality();
            return Math.sqrt(2 * na * nb / (na + nb)) * Math.sqrt(sq);
        }
        double min = Double.POSITIVE_INFINITY, max = 0, sum = 0;
        for (int i = a.nextSetBit(0); i >= 0; i = a.nextSetBit(i + 1)) {
            for (int j = b.nextSetBit(0); j >= 0; j = b.nextSetBit(j + 1)) {
                double d = Math.sqrt(dist2(x[i], x[j]));
                min = Math.min(min, d);
                max = Math.max(max, d);
                sum += d;
            }
        }
        return switch (linkage) {
            case SINGLE -> min;
            case COMPLETE -> max;
            case AVERAGE -> sum / (a.cardinality() * b.cardinality());
            case WARD -> throw new IllegalStateException();
        };
    }

    private static double[] mean(double[][] x, BitSet members, int d) {
        double[] m = new double[d];
        for (int i = members.nextSetBit(0); i >= 0; i = members.nextSetBit(i + 1)) {
            for (int c = 0; c < d; c++) {
                m[c] += x[i][c] / members.cardinality();
            }
        }
        return m;
    }

    private static List<BitSet> membersById(Dendrogram tree) {
        List<BitSet> members = new ArrayList<>();
        for (int i = 0; i < tree.n(); i++) {
            BitSet single = new BitSet();
            single.set(i);
            members.add(single);
        }
        for (int s = 0; s < tree.merges(); s++) {
            assertTrue(tree.left(s) < tree.right(s) && tree.right(s) < tree.n() + s, "ids in SciPy order at merge " + s);
            BitSet merged = (BitSet) members.get(tree.left(s)).clone();
            merged.or(members.get(tree.right(s)));
            members.add(merged);
            assertEquals(merged.cardinality(), tree.size(s));
        }
        return members;
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("linkagesAndSeeds")
    void mergesEqualTheGreedyDefinition(Linkage linkage, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(2, 30), d = rng.nextInt(1, 5);
        double[][] x = EmbeddingData.uniform(rng, n, d, -5, 5);
        Dendrogram tree = Agglomerative.linkage(x, linkage);
        List<Object[]> expected = naiveMerges(x, linkage);
        List<BitSet> members = membersById(tree);
        for (int s = 0; s < n - 1; s++) {
            assertEquals(expected.get(s)[0], members.get(n + s), linkage + " merge " + s + " seed " + seed);
            double height = (double) expected.get(s)[1];
            assertEquals(height, tree.height(s), 1e-9 * height + 1e-12, "height " + s);
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("linkagesAndSeeds")
    void cutIntoKAppliesTheFirstNMinusKMerges(Linkage linkage, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(2, 40);
        double[][] x = EmbeddingData.uniform(rng, n, 3, 0, 1);
        Dendrogram tree = Agglomerative.linkage(x, linkage);
        List<BitSet> members = membersById(tree);
        for (int k = 1; k <= n; k++) {
            int[] labels = tree.cut(k);
            assertEquals(k, Arrays.stream(labels).max().getAsInt() + 1, "cluster count at K = " + k);
            // The last merge applied holds points of exactly one label.
            if (k < n) {
                BitSet last = members.get(n + (n - k) - 1);
                int label = labels[last.nextSetBit(0)];
                for (int i = last.nextSetBit(0); i >= 0; i = last.nextSetBit(i + 1)) {
                    assertEquals(label, labels[i]);
                }
            }
            assertEquals(0, labels[0], "labels are numbered by first occurrence");
        }
    }

    @Test
    void equalHeightsAreNeverSplitByTheCut() {
        double[][] x = {{0}, {1}, {2}, {10}, {11}, {12}};
        Dendrogram tree = Agglomerative.linkage(x, Linkage.SINGLE);
        assertArrayEquals(new double[] {1, 1, 1, 1, 8}, tree.heights(), 1e-15);
        // As SciPy's fcluster(Z, 5, "maxclust"): the four merges at height 1 go together, leaving 2 clusters.
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, tree.cut(5));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, tree.cut(6));
    }

    @Test
    void linkageMatrixRowsAndLeafOrderFollowScipy() {
        // SciPy: linkage([[0],[1],[3],[7]], "single") = [[0,1,1,2],[2,4,2,3],[3,5,4,4]].
        Dendrogram tree = Agglomerative.linkage(new double[][] {{0}, {1}, {3}, {7}}, Linkage.SINGLE);
        double[][] z = tree.linkageMatrix();
        assertArrayEquals(new double[] {0, 1, 1, 2}, z[0]);
        assertArrayEquals(new double[] {2, 4, 2, 3}, z[1]);
        assertArrayEquals(new double[] {3, 5, 4, 4}, z[2]);
        assertArrayEquals(new int[] {3, 2, 0, 1}, tree.leafOrder());
    }

    @Test
    void wardIsBitIdenticalForAnyThreadCountAndFloat32MatchesItsFloat64Values() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 11);
        double[][] x = EmbeddingData.blobs(rng, 5, 60, 12);
        float[][] single = new float[x.length][12];
        double[][] widened = new double[x.length][12];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 12; j++) {
                single[i][j] = (float) x[i][j];
                widened[i][j] = single[i][j];
            }
        }
        Dendrogram one, two;
        try (Parallel.Scope scope = Parallel.withThreads(1)) {
            one = Agglomerative.linkage(widened, Linkage.WARD);
        }
        try (Parallel.Scope scope = Parallel.withThreads(3)) {
            two = Agglomerative.linkage(single, Linkage.WARD);
        }
        assertArrayEquals(one.heights(), two.heights(), 0);
        assertArrayEquals(one.left(), two.left());
        assertArrayEquals(one.right(), two.right());
        int[] labels = Agglomerative.fitPredict(AgglomerativeConfig.of(5), x);
        assertArrayEquals(EmbeddingData.blobLabels(5, 60), labels, "ward recovers well separated blobs");
    }

    @Test
    void configValidatesItsFields() {
        assertThrows(IllegalArgumentException.class, () -> AgglomerativeConfig.of(0));
        assertThrows(IllegalArgumentException.class, () -> AgglomerativeConfig.of(null, 2));
        assertEquals(Linkage.AVERAGE, AgglomerativeConfig.of(3).withLinkage(Linkage.AVERAGE).linkage());
        assertThrows(IllegalArgumentException.class, () -> Agglomerative.linkage(new double[][] {{1}}, Linkage.WARD).cut(0));
    }

    private static double dist2(double[] a, double[] b) {
        double s = 0;
        for (int c = 0; c < a.length; c++) {
            s += (a[c] - b[c]) * (a[c] - b[c]);
        }
        return s;
    }
}
