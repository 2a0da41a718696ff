package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import vecgrad.cluster.KMeans;
import vecgrad.cluster.KMeansConfig;
import vecgrad.cluster.KMeansResult;
import vecgrad.kernels.Parallel;

/**
 * The float32 Lloyd pass (2 rows × 10 centers per step, row norms and the value screen taken from the first
 * pass over x): labels and inertia against a direct float64 computation, for k around the block width.
 */
class KMeansFusedPassTest {
    static Stream<Arguments> kAndSeeds() {
        return Stream.of(1, 3, 9, 10, 11, 12, 17, 20, 25)
                .flatMap(k -> Cases.seeds(2).mapToObj(seed -> Arguments.of(k, seed)));
    }

    /** n rows of d values around k well separated prototypes (so that no sample is near a tie). */
    static float[][] clustered(SplittableRandom rng, int n, int d, int k, double[][] prototypes) {
        for (double[] p : prototypes) {
            for (int t = 0; t < d; t++) {
                p[t] = rng.nextDouble(-20, 20);
            }
        }
        float[][] x = new float[n][d];
        for (float[] row : x) {
            double[] p = prototypes[rng.nextInt(k)];
            for (int t = 0; t < d; t++) {
                row[t] = (float) (p[t] + rng.nextGaussian());
            }
        }
        return x;
    }

    @ParameterizedTest(name = "k={0} seed={1}")
    @MethodSource("kAndSeeds")
    void oneIterationMatchesADirectFloat64Computation(int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 2 * 2048 + 333, d = 37; // several parallel chunks, an odd last row, a scalar tail for any lane count
        double[][] prototypes = new double[k][d];
        float[][] x = clustered(rng, n, d, k, prototypes);
        KMeansResult fit = KMeans.fit(KMeansConfig.fromCenters(prototypes).withMaxIter(1).withTol(0), x);
        // The center update by hand, in float64, from the labels to the given centers.
        double[][] sums = new double[k][d];
        double[] counts = new double[k];
        for (float[] row : x) {
            int label = nearest(prototypes, row);
            counts[label]++;
            for (int t = 0; t < d; t++) {
                sums[label][t] += row[t];
            }
        }
        double[][] centers = new double[k][d];
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < d; t++) {
                centers[j][t] = counts[j] > 0 ? sums[j][t] / counts[j] : prototypes[j][t];
            }
            assertArrayEquals(centers[j], fit.centers()[j], 1e-4, "center " + j);
        }
        double inertia = 0;
        int[] labels = fit.labels();
        for (int i = 0; i < n; i++) {
            int label = nearest(centers, x[i]);
            assertEquals(label, labels[i], "label of row " + i);
            inertia += squaredDistance(centers[label], x[i]);
        }
        assertEquals(inertia, fit.inertia(), 1e-5 * inertia);
    }

    /**
     * After the first pass a float32 fit only moves the rows whose label changed between the center sums. A fit
     * of several iterations must equal the same iterations run one fit at a time (each of those sums every row
     * afresh): labels exactly, objectives, centers and inertia to the rounding of the float32 partial sums (both
     * sum 256-row blocks in float32 before float64, in a different grouping). Weighted rows, and a start with a center
     * far from all data, so that its cluster is empty and takes the farthest row (relocation moves sums too).
     */
    @ParameterizedTest(name = "k={0} seed={1}")
    @MethodSource("kAndSeeds")
    void laterPassesMoveTheSumsOfRelabelledRowsOnly(int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 2 * 2048 + 333, d = 37;
        double[][] prototypes = new double[k][d];
        float[][] x = clustered(rng, n, d, k, prototypes);
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = rng.nextDouble(0.5, 2);
        }
        double[][] start = new double[k][d];
        for (int j = 0; j < k; j++) { // every center starts from a sample, so the first passes relabel many rows
            float[] row = x[rng.nextInt(n)];
            for (int t = 0; t < d; t++) {
                start[j][t] = row[t];
            }
        }
        if (k > 1) {
            java.util.Arrays.fill(start[k - 1], 1e3); // no row is nearest to it: an empty cluster
        }
        int iterations = 6;
        KMeansResult whole = KMeans.fit(KMeansConfig.fromCenters(start).withMaxIter(iterations).withTol(0), x,
                weights, null);
        double[][] centers = start;
        KMeansResult step = null;
        for (int it = 0; it < whole.iterations(); it++) {
            step = KMeans.fit(KMeansConfig.fromCenters(centers).withMaxIter(1).withTol(0), x, weights, null);
            assertEquals(whole.history().get(it), step.history().get(0), 1e-6 * step.history().get(0),
                    "objective of iteration " + (it + 1));
            centers = step.centers();
        }
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < d; t++) {
                assertEquals(centers[j][t], whole.centers()[j][t], 1e-6 * (1 + Math.abs(centers[j][t])),
                        "center " + j + ", feature " + t);
            }
        }
        assertArrayEquals(step.labels(), whole.labels());
        assertEquals(step.inertia(), whole.inertia(), 1e-6 * step.inertia());
    }

    /** k = 10 and 16: at 512 bits the d-in-lanes blocks and the centre-lane kernel (CentreLanes) respectively. */
    @ParameterizedTest(name = "k={0}")
    @ValueSource(ints = {10, 16})
    void resultIsBitIdenticalForOneAndTwoThreads(int k) {
        SplittableRandom rng = new SplittableRandom(Cases.seeds(1).findFirst().getAsLong());
        double[][] prototypes = new double[k][50];
        float[][] x = clustered(rng, 9000, 50, k, prototypes);
        KMeansConfig config = KMeansConfig.of(k, 4).withMaxIter(5).withTol(0);
        KMeansResult one, two;
        try (Parallel.Scope scope = Parallel.withThreads(1)) {
            one = KMeans.fit(config, x);
        }
        try (Parallel.Scope scope = Parallel.withThreads(2)) {
            two = KMeans.fit(config, x);
        }
        assertArrayEquals(one.labels(), two.labels());
        assertEquals(one.inertia(), two.inertia(), 0);
        for (int j = 0; j < k; j++) {
            assertArrayEquals(one.centers()[j], two.centers()[j], 0);
        }
    }

    @Test
    void fault59_nonFiniteValuesAreFoundByTheFirstLloydPassForEveryInit() {
        float[][] x = new float[5000][12];
        SplittableRandom rng = new SplittableRandom(9);
        for (float[] row : x) {
            for (int t = 0; t < row.length; t++) {
                row[t] = (float) rng.nextDouble();
            }
        }
        x[4321][7] = Float.NaN;
        x[4999][0] = Float.POSITIVE_INFINITY;
        double[][] given = {{0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2},
                {0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8}};
        for (KMeansConfig config : new KMeansConfig[] {KMeansConfig.fromCenters(given),
                KMeansConfig.of(2, 1).withInit(KMeansConfig.Init.RANDOM),
                KMeansConfig.of(2, 1).withAlgorithm(KMeansConfig.Algorithm.ELKAN),
                KMeansConfig.of(2, 1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KMeans.fit(config, x));
            assertTrue(e.getMessage().startsWith("kmeans: input contains NaN at row 4321, column 7"), e.getMessage());
        }
    }

    @Test
    void fault59_predictScreensNewDataInItsAssignmentPass() {
        float[][] x = new float[3000][5];
        for (int i = 0; i < x.length; i++) {
            x[i][i % 5] = i % 2;
        }
        KMeansResult fit = KMeans.fit(KMeansConfig.of(3, 2), x);
        x[2500][4] = Float.NEGATIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit.predict(x));
        assertTrue(e.getMessage().startsWith("kmeans predict: input contains -Inf at row 2500, column 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fit.predict(new float[][] {{1, 2}}));
        assertTrue(e.getMessage().startsWith("kmeans predict: feature count differs from the fitted model"), e.getMessage());
        x[2500][4] = 0;
        assertArrayEquals(fit.labels(), fit.predict(x), "the fitted labels are the nearest centers");
    }

    @Test
    void hugeFiniteValuesWhoseSquaresOverflowFloat32AreNotRejected() {
        float[][] x = {{3e20f, 0}, {3e20f, 1}, {-3e20f, 0}, {-3e20f, 1}};
        // The row norms overflow to Inf, which sends the screen to the exact per-value check; that finds no
        // NaN or Inf, so the fit runs (float32 distances of such data are not meaningful: only the screen is tested).
        KMeansResult fit = KMeans.fit(KMeansConfig.of(2, 3), x);
        assertEquals(4, fit.labels().length);
    }

    private static int nearest(double[][] centers, float[] row) {
        int best = 0;
        for (int j = 1; j < centers.length; j++) {
            if (squaredDistance(centers[j], row) < squaredDistance(centers[best], row)) {
                best = j;
            }
        }
        return best;
    }

    private static double squaredDistance(double[] c, float[] row) {
        double sum = 0;
        for (int t = 0; t < row.length; t++) {
            double e = row[t] - c[t];
            sum += e * e;
        }
        return sum;
    }
}
