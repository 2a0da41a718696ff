package vecgrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.verify.Cases;
import vecgrad.verify.Property;

/**
 * Twin of {@link CentreLanes} (centres in the vector lanes) against a plain float64 computation of
 * Σ_t (x_t − c_t)², on random shapes: d not a multiple of the lane count, k from 1 to 37 (one or several centre
 * blocks, padding lanes), row counts that are not a multiple of the 8-row step. Rows are drawn with a clear
 * nearest centre, so the label is exact; the distance agrees to the float32 rounding of the expanded form.
 */
class CentreLanesTest {
    static LongStream seeds() {
        return Cases.seeds(6);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void nearestCentresMatchAPlainComputation(long seed) {
        Property.check("CentreLanes.nearest", seed, 37, (rng, max) -> {
            int d = rng.nextInt(1, 2 * max + 2);
            int k = rng.nextInt(1, max + 1);
            int n = rng.nextInt(1, 2 * max + 2);
            float[] cf = new float[k * d];
            for (int t = 0; t < cf.length; t++) {
                cf[t] = (float) rng.nextDouble(-1, 1);
            }
            double[] cc = centreNorms(cf, k, d);
            float[][] x = new float[n][];
            int[] expected = new int[n];
            double[] expectedDist = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rowWithAClearNearestCentre(rng, cf, cc, k, d);
                double[] dist = plainDistances(x[i], cf, k, d);
                for (int j = 1; j < k; j++) {
                    if (dist[j] < dist[expected[i]]) {
                        expected[i] = j;
                    }
                }
                expectedDist[i] = dist[expected[i]];
            }
            float[] xx = norms(x);
            CentreLanes lanes = new CentreLanes(cf, cc, k, d);
            float[] scratch = new float[lanes.scratchLength()];
            int[] labels = new int[n];
            double[] minDist = new double[n];
            float[] step = new float[CentreLanes.ROWS];
            for (int i = 0; i < n; i += CentreLanes.ROWS) {
                int rows = Math.min(CentreLanes.ROWS, n - i);
                System.arraycopy(xx, i, step, 0, rows);
                lanes.nearest(x, i, rows, step, labels, minDist, scratch);
            }
            for (int i = 0; i < n; i++) {
                String where = "d=" + d + " k=" + k + " n=" + n + " row " + i;
                assertEquals(expected[i], labels[i], where);
                double tol = 1e-5 * (xx[i] + cc[expected[i]]) + 1e-12;
                assertTrue(Math.abs(minDist[i] - expectedDist[i]) <= tol,
                        where + ": distance " + minDist[i] + ", expected " + expectedDist[i] + " ± " + tol);
            }
            // One row at a time (the one-row kernel) gives the eight-row steps' results bit for bit.
            for (int i = 0; i < n; i++) {
                int[] one = new int[n];
                double[] oneDist = new double[n];
                lanes.nearest(x, i, 1, new float[] {xx[i]}, one, oneDist, scratch);
                assertEquals(labels[i], one[i], "row " + i + " alone");
                assertEquals(Double.doubleToLongBits(minDist[i]), Double.doubleToLongBits(oneDist[i]), "row " + i + " alone");
            }
        });
    }

    /** Exact ties between centres would make the label a matter of rounding, so rows keep a margin. */
    private static float[] rowWithAClearNearestCentre(SplittableRandom rng, float[] cf, double[] cc, int k, int d) {
        float[] row = new float[d];
        for (int attempt = 0; ; attempt++) {
            for (int t = 0; t < d; t++) {
                row[t] = (float) rng.nextDouble(-1, 1);
            }
            double[] dist = plainDistances(row, cf, k, d);
            double best = Double.POSITIVE_INFINITY, second = Double.POSITIVE_INFINITY;
            for (double v : dist) {
                if (v < best) {
                    second = best;
                    best = v;
                } else if (v < second) {
                    second = v;
                }
            }
            double scale = 1;
            for (double c : cc) {
                scale = Math.max(scale, c);
            }
            if (second - best > 1e-3 * (scale + d) || attempt > 200) {
                return row;
            }
        }
    }

    private static double[] plainDistances(float[] row, float[] cf, int k, int d) {
        double[] dist = new double[k];
        for (int j = 0; j < k; j++) {
            double sum = 0;
            for (int t = 0; t < d; t++) {
                double e = (double) row[t] - cf[j * d + t];
                sum += e * e;
            }
            dist[j] = sum;
        }
        return dist;
    }

    private static double[] centreNorms(float[] cf, int k, int d) {
        double[] cc = new double[k];
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < d; t++) {
                cc[j] += (double) cf[j * d + t] * cf[j * d + t];
            }
        }
        return cc;
    }

    private static float[] norms(float[][] x) {
        float[] xx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            for (float v : x[i]) {
                xx[i] += v * v;
            }
        }
        return xx;
    }
}
