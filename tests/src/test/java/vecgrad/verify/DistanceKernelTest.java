package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.kernels.DistanceKernels;
import vecgrad.kernels.DistanceReference;
import vecgrad.kernels.Simd;

/**
 * {@link DistanceKernels} (norms plus one GEMM) against {@link DistanceReference} (direct sums of
 * squared differences). Bound: {@code 4·(d + 2)·u·(‖x_i‖² + ‖y_j‖²)}, u the unit roundoff, which
 * covers the rounding of both norms and of the cross term, and the cancellation between them.
 */
class DistanceKernelTest {
    static LongStream seeds() {
        return Cases.seeds(4);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void simdDistancesMatchReference(long seed) {
        Property.check("squared distances", seed, 13, (rng, max) -> {
            for (int trial = 0; trial < 6; trial++) {
                int n = rng.nextInt(0, max + 1);
                int m = rng.nextInt(0, max + 1);
                int d = trial == 0 ? 0 : rng.nextInt(1, Math.max(2, Math.min(max, 2) * Simd.F32_LANES + 3));
                int ldx = Math.max(1, d) + rng.nextInt(0, 3);
                int ldy = Math.max(1, d) + rng.nextInt(0, 3);
                int ldo = Math.max(1, m) + rng.nextInt(0, 3);
                int xOff = Cases.OFFSETS[rng.nextInt(3)];
                int yOff = Cases.OFFSETS[rng.nextInt(3)];
                int outOff = Cases.OFFSETS[rng.nextInt(3)];
                int xCells = n == 0 ? 0 : (n - 1) * ldx + d;
                int yCells = m == 0 ? 0 : (m - 1) * ldy + d;
                int outCells = n == 0 ? 0 : (n - 1) * ldo + m;
                String what = "n=" + n + " m=" + m + " d=" + d;
                double[] x64 = Cases.paddedDoubles(rng, xOff, xCells, -2, 2);
                double[] y64 = Cases.paddedDoubles(rng, yOff, yCells, -2, 2);
                float[] x = KernelTwinAsserts.toFloats(x64);
                float[] y = KernelTwinAsserts.toFloats(y64);
                float[] expected = KernelTwinAsserts.output32(outOff, outCells);
                float[] actual = KernelTwinAsserts.output32(outOff, outCells);
                DistanceReference.squaredEuclidean(x, xOff, ldx, y, yOff, ldy, expected, outOff, ldo, n, m, d);
                DistanceKernels.squaredEuclidean(x, xOff, ldx, y, yOff, ldy, actual, outOff, ldo, n, m, d);
                double[] expected64 = KernelTwinAsserts.output64(outOff, outCells);
                double[] actual64 = KernelTwinAsserts.output64(outOff, outCells);
                DistanceReference.squaredEuclidean(x64, xOff, ldx, y64, yOff, ldy, expected64, outOff, ldo, n, m, d);
                DistanceKernels.squaredEuclidean(x64, xOff, ldx, y64, yOff, ldy, actual64, outOff, ldo, n, m, d);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        double norms = 0;
                        double norms64 = 0;
                        for (int k = 0; k < d; k++) {
                            norms += (double) x[xOff + i * ldx + k] * x[xOff + i * ldx + k]
                                    + (double) y[yOff + j * ldy + k] * y[yOff + j * ldy + k];
                            norms64 += x64[xOff + i * ldx + k] * x64[xOff + i * ldx + k]
                                    + y64[yOff + j * ldy + k] * y64[yOff + j * ldy + k];
                        }
                        int at = outOff + i * ldo + j;
                        assertTrue(actual[at] >= 0 && actual64[at] >= 0, what + " negative distance at " + i + "," + j);
                        double bound = 4.0 * (d + 2) * Math.ulp(1f) * norms;
                        assertTrue(Math.abs(expected[at] - actual[at]) <= bound, what + " at " + i + "," + j
                                + ": expected " + expected[at] + " but was " + actual[at] + " (bound " + bound + ")");
                        double bound64 = 4.0 * (d + 2) * Math.ulp(1.0) * norms64;
                        assertTrue(Math.abs(expected64[at] - actual64[at]) <= bound64, what + " f64 at " + i + ","
                                + j + ": expected " + expected64[at] + " but was " + actual64[at]);
                    }
                }
                // guard cells and the padding between rows (ldo > m) are untouched
                for (int k = 0; k < actual.length; k++) {
                    boolean inside = k >= outOff && k < outOff + outCells && (k - outOff) % ldo < m;
                    if (!inside) {
                        assertEquals(Float.floatToRawIntBits(KernelTwinAsserts.SENTINEL32),
                                Float.floatToRawIntBits(actual[k]), what + " wrote cell " + k);
                        assertEquals(Double.doubleToRawLongBits(KernelTwinAsserts.SENTINEL64),
                                Double.doubleToRawLongBits(actual64[k]), what + " f64 wrote cell " + k);
                    }
                }
            }
        });
    }

    @Test
    void knownDistancesAndExactZeroDiagonal() {
        float[] points = {0, 0, 3, 4, 1, 1};
        float[] origin = {0, 0};
        float[] out = new float[3];
        DistanceKernels.squaredEuclidean(points, 0, 2, origin, 0, 2, out, 0, 1, 3, 1, 2);
        assertEquals(0f, out[0]);
        assertEquals(25f, out[1]);
        assertEquals(2f, out[2]);
        // self distances of points far from the origin: the cancellation residue must not show
        SplittableRandom rng = new SplittableRandom(3);
        int n = 20;
        int d = 37;
        float[] far = Cases.uniformFloats(rng, n * d, 999, 1001);
        float[] self = new float[n * n];
        DistanceKernels.squaredEuclidean(far, 0, d, far, 0, d, self, 0, n, n, n, d);
        float[] copy = far.clone();
        float[] cross = new float[n * n];
        DistanceKernels.squaredEuclidean(far, 0, d, copy, 0, d, cross, 0, n, n, n, d);
        for (int i = 0; i < n; i++) {
            assertEquals(0f, self[i * n + i], "self distance of point " + i);
            for (int j = 0; j < n; j++) {
                assertTrue(self[i * n + j] >= 0 && cross[i * n + j] >= 0, "clamped at 0: " + i + "," + j);
            }
        }
    }

    @Test
    void badArgumentsAreRejected() {
        float[] x = new float[6];
        float[] y = new float[4];
        IllegalArgumentException shortY = assertThrows(IllegalArgumentException.class,
                () -> DistanceKernels.squaredEuclidean(x, 0, 2, y, 0, 2, new float[9], 0, 3, 3, 3, 2));
        assertEquals("squared_distances: y is too short; got y.length = 4 with yOff = 0, expected at least 6 cells"
                + " (6 from the offset)", shortY.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DistanceReference.squaredEuclidean(x, 0, 2, y, 0, 2, new float[9], 0, 3, 3, 3, 2));
        float[] shared = new float[20];
        IllegalArgumentException alias = assertThrows(IllegalArgumentException.class,
                () -> DistanceKernels.squaredEuclidean(shared, 0, 2, y, 0, 2, shared, 10, 2, 2, 2, 2));
        assertTrue(alias.getMessage().startsWith("squared_distances: out aliases x"), alias.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> DistanceKernels.squaredEuclidean(x, 0, 2, y, 0, 2, new float[9], 0, 3, 3, 2, -1));
        assertTrue(negative.getMessage().startsWith("squared_distances: d is negative"), negative.getMessage());
    }
}
