package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.ReduceKernels;
import vecgrad.kernels.ReduceReference;
import vecgrad.kernels.Simd;

/**
 * {@link ReduceKernels} against {@link ReduceReference}. Sums differ only by summation order, so
 * the bound is {@code 4·n·ulp(1)·Σ|x_i|} (with {@code |x_i y_i|} for dot products); max and argmax
 * are exact (including the first-of-ties and first-NaN conventions). Long runs are bit-identical
 * for 1, 2 and 3 threads.
 */
class ReduceKernelTest {
    static LongStream seeds() {
        return Cases.seeds(3);
    }

    static void assertSum(String what, double expected, double actual, double bound) {
        if (!(Math.abs(expected - actual) <= bound)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + ", |diff| "
                    + Math.abs(expected - actual) + " > bound " + bound);
        }
    }

    static double absSum(float[] x, int off, int n, int stride) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.abs(x[off + i * stride]);
        }
        return s;
    }

    static double absSum(double[] x, int off, int n, int stride) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.abs(x[off + i * stride]);
        }
        return s;
    }

    static final double ULP32 = Math.ulp(1f);
    static final double ULP64 = Math.ulp(1.0);

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void simdRunReductionsMatchReference(long seed) {
        Property.check("run reductions", seed, 4099, (rng, max) -> {
            for (int n : Cases.tailLengths(Simd.F32_LANES)) {
                if (n > max) {
                    continue;
                }
                for (int off : Cases.OFFSETS) {
                    String what = "float32 n=" + n + " off=" + off;
                    float[] x = Cases.padded(rng, off, n, -2, 2);
                    float[] y = Cases.padded(rng, 7 - off, n, -2, 2);
                    double bound = 4.0 * n * ULP32 * absSum(x, off, n, 1);
                    assertSum(what + " sum", ReduceReference.sum(x, off, n), ReduceKernels.sum(x, off, n), bound);
                    double products = 0;
                    for (int i = 0; i < n; i++) {
                        products += Math.abs(x[off + i] * y[7 - off + i]);
                    }
                    assertSum(what + " dot", ReduceReference.dot(x, off, y, 7 - off, n),
                            ReduceKernels.dot(x, off, y, 7 - off, n), 4.0 * n * ULP32 * products);
                    double squares = ReduceReference.squaredNorm(x, off, n);
                    assertSum(what + " squaredNorm", squares, ReduceKernels.squaredNorm(x, off, n),
                            4.0 * n * ULP32 * squares);
                    if (n > 0) {
                        assertSum(what + " mean", ReduceReference.mean(x, off, n), ReduceKernels.mean(x, off, n),
                                bound / n + ULP32);
                        assertEquals(ReduceReference.max(x, off, n), ReduceKernels.max(x, off, n), what + " max");
                        assertEquals(ReduceReference.argmax(x, off, n), ReduceKernels.argmax(x, off, n),
                                what + " argmax");
                    }
                }
            }
            for (int n : Cases.tailLengths(Simd.F64_LANES)) {
                if (n > max) {
                    continue;
                }
                for (int off : Cases.OFFSETS) {
                    String what = "float64 n=" + n + " off=" + off;
                    double[] x = Cases.paddedDoubles(rng, off, n, -2, 2);
                    double[] y = Cases.paddedDoubles(rng, 1, n, -2, 2);
                    double bound = 4.0 * n * ULP64 * absSum(x, off, n, 1);
                    assertSum(what + " sum", ReduceReference.sum(x, off, n), ReduceKernels.sum(x, off, n), bound);
                    double products = 0;
                    for (int i = 0; i < n; i++) {
                        products += Math.abs(x[off + i] * y[1 + i]);
                    }
                    assertSum(what + " dot", ReduceReference.dot(x, off, y, 1, n), ReduceKernels.dot(x, off, y, 1, n),
                            4.0 * n * ULP64 * products);
                    double squares = ReduceReference.squaredNorm(x, off, n);
                    assertSum(what + " squaredNorm", squares, ReduceKernels.squaredNorm(x, off, n),
                            4.0 * n * ULP64 * squares);
                    if (n > 0) {
                        assertSum(what + " mean", ReduceReference.mean(x, off, n), ReduceKernels.mean(x, off, n),
                                bound / n + ULP64);
                        assertEquals(ReduceReference.max(x, off, n), ReduceKernels.max(x, off, n), what + " max");
                        assertEquals(ReduceReference.argmax(x, off, n), ReduceKernels.argmax(x, off, n),
                                what + " argmax");
                    }
                }
            }
        });
    }

    /**
     * sum's backward on tail lengths of the axis, with inner 1 (vector stores of one value, masked tail) and
     * inner 3 (copies), both dtypes: every cell equals its grad value and the guard cells stay untouched.
     */
    @Test
    void sumAxisBackwardSpreadsOnTailLengths() {
        SplittableRandom rng = new SplittableRandom(23);
        for (int inner : new int[] {1, 3}) {
            for (int axis : Cases.tailLengths(Simd.F32_LANES)) {
                for (int off : Cases.OFFSETS) {
                    int outer = 2;
                    int cells = outer * axis * inner;
                    String what = "[" + outer + ", " + axis + ", " + inner + "] off " + off;
                    float[] grad = Cases.padded(rng, off, outer * inner, -2, 2);
                    float[] expected = KernelTwinAsserts.output32(off, cells);
                    float[] actual = KernelTwinAsserts.output32(off, cells);
                    ReduceReference.sumAxisBackward(grad, off, expected, off, outer, axis, inner);
                    ReduceKernels.sumAxisBackward(grad, off, actual, off, outer, axis, inner);
                    KernelTwinAsserts.assertGuards(what, actual, off, cells);
                    KernelTwinAsserts.assertClose(what, expected, actual, off, cells, 0);
                    double[] grad64 = Cases.paddedDoubles(rng, off, outer * inner, -2, 2);
                    double[] expected64 = KernelTwinAsserts.output64(off, cells);
                    double[] actual64 = KernelTwinAsserts.output64(off, cells);
                    ReduceReference.sumAxisBackward(grad64, off, expected64, off, outer, axis, inner);
                    ReduceKernels.sumAxisBackward(grad64, off, actual64, off, outer, axis, inner);
                    KernelTwinAsserts.assertGuards(what + " f64", actual64, off, cells);
                    KernelTwinAsserts.assertClose(what + " f64", expected64, actual64, off, cells, 0);
                    for (int k = 0; k < cells; k++) {
                        int slot = k / (axis * inner) * inner + k % inner;
                        assertEquals(grad[off + slot], actual[off + k], what + " cell " + k);
                        assertEquals(grad64[off + slot], actual64[off + k], what + " f64 cell " + k);
                    }
                }
            }
        }
    }

    /** Many ties (values from {-2..2}): both twins return the first maximum. */
    @Test
    void argmaxReturnsTheFirstOfTies() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int n : Cases.tailLengths(Simd.F32_LANES)) {
            if (n == 0) {
                continue;
            }
            float[] x = new float[n];
            double[] x64 = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rng.nextInt(-2, 3);
                x64[i] = x[i];
            }
            int expected = 0;
            for (int i = 1; i < n; i++) {
                if (x[i] > x[expected]) {
                    expected = i;
                }
            }
            assertEquals(expected, ReduceKernels.argmax(x, 0, n), "n=" + n);
            assertEquals(expected, ReduceReference.argmax(x, 0, n), "n=" + n);
            assertEquals(expected, ReduceKernels.argmax(x64, 0, n), "f64 n=" + n);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void simdRowAndAxisReductionsMatchReference(long seed) {
        Property.check("row and axis reductions", seed, 2 * Simd.F32_LANES + 5, (rng, max) -> {
            for (int trial = 0; trial < 10; trial++) {
                int rows = rng.nextInt(0, max + 1);
                int cols = rng.nextInt(1, max + 1);
                int ldx = cols + rng.nextInt(0, 3);
                int xOff = Cases.OFFSETS[rng.nextInt(3)];
                int outOff = Cases.OFFSETS[rng.nextInt(3)];
                int cells = rows == 0 ? 0 : (rows - 1) * ldx + cols;
                String what = "rows=" + rows + " cols=" + cols + " ldx=" + ldx;
                float[] x = Cases.padded(rng, xOff, cells, -2, 2);
                float[] expected = KernelTwinAsserts.output32(outOff, rows);
                float[] actual = KernelTwinAsserts.output32(outOff, rows);
                double rowBound = 4.0 * cols * ULP32 * 2 * cols; // |x| < 2
                ReduceReference.sumRows(x, xOff, ldx, expected, outOff, rows, cols);
                ReduceKernels.sumRows(x, xOff, ldx, actual, outOff, rows, cols);
                KernelTwinAsserts.assertGuards(what + " sumRows", actual, outOff, rows);
                for (int r = 0; r < rows; r++) {
                    assertSum(what + " sumRows " + r, expected[outOff + r], actual[outOff + r], rowBound);
                    assertEquals(ReduceKernels.sum(x, xOff + r * ldx, cols), actual[outOff + r],
                            "sumRows row " + r + " equals sum of that row, bit for bit");
                }
                ReduceReference.meanRows(x, xOff, ldx, expected, outOff, rows, cols);
                ReduceKernels.meanRows(x, xOff, ldx, actual, outOff, rows, cols);
                for (int r = 0; r < rows; r++) {
                    assertSum(what + " meanRows " + r, expected[outOff + r], actual[outOff + r],
                            rowBound / cols + ULP32);
                }
                ReduceReference.squaredNormRows(x, xOff, ldx, expected, outOff, rows, cols);
                ReduceKernels.squaredNormRows(x, xOff, ldx, actual, outOff, rows, cols);
                for (int r = 0; r < rows; r++) {
                    assertSum(what + " squaredNormRows " + r, expected[outOff + r], actual[outOff + r],
                            4.0 * cols * ULP32 * expected[outOff + r]);
                }
                ReduceReference.maxRows(x, xOff, ldx, expected, outOff, rows, cols);
                ReduceKernels.maxRows(x, xOff, ldx, actual, outOff, rows, cols);
                KernelTwinAsserts.assertClose(what + " maxRows", expected, actual, outOff, rows, 0);
                int[] argExpected = new int[outOff + rows + 1];
                int[] argActual = new int[outOff + rows + 1];
                ReduceReference.argmaxRows(x, xOff, ldx, argExpected, outOff, rows, cols);
                ReduceKernels.argmaxRows(x, xOff, ldx, argActual, outOff, rows, cols);
                assertArrayEquals(argExpected, argActual, what + " argmaxRows");

                double[] x64 = Cases.paddedDoubles(rng, xOff, cells, -2, 2);
                double[] expected64 = KernelTwinAsserts.output64(outOff, rows);
                double[] actual64 = KernelTwinAsserts.output64(outOff, rows);
                ReduceReference.sumRows(x64, xOff, ldx, expected64, outOff, rows, cols);
                ReduceKernels.sumRows(x64, xOff, ldx, actual64, outOff, rows, cols);
                KernelTwinAsserts.assertGuards(what + " sumRows f64", actual64, outOff, rows);
                for (int r = 0; r < rows; r++) {
                    assertSum(what + " sumRows f64 " + r, expected64[outOff + r], actual64[outOff + r],
                            4.0 * cols * ULP64 * 2 * cols);
                }
                ReduceReference.maxRows(x64, xOff, ldx, expected64, outOff, rows, cols);
                ReduceKernels.maxRows(x64, xOff, ldx, actual64, outOff, rows, cols);
                KernelTwinAsserts.assertClose(what + " maxRows f64", expected64, actual64, outOff, rows, 0);
                ReduceReference.argmaxRows(x64, xOff, ldx, argExpected, outOff, rows, cols);
                ReduceKernels.argmaxRows(x64, xOff, ldx, argActual, outOff, rows, cols);
                assertArrayEquals(argExpected, argActual, what + " argmaxRows f64");

                axis(rng, max);
            }
        });
    }

    static void axis(SplittableRandom rng, int max) {
        int outer = rng.nextInt(0, 4);
        int axis = rng.nextInt(1, max + 1);
        int inner = rng.nextInt(1, max + 1);
        int xOff = Cases.OFFSETS[rng.nextInt(3)];
        int outOff = Cases.OFFSETS[rng.nextInt(3)];
        int cells = outer * axis * inner;
        int outCells = outer * inner;
        String what = "axis [" + outer + ", " + axis + ", " + inner + "]";
        double bound32 = 4.0 * axis * ULP32 * 2 * axis;
        double bound64 = 4.0 * axis * ULP64 * 2 * axis;
        float[] x = Cases.padded(rng, xOff, cells, -2, 2);
        float[] expected = KernelTwinAsserts.output32(outOff, outCells);
        float[] actual = KernelTwinAsserts.output32(outOff, outCells);
        ReduceReference.sumAxis(x, xOff, expected, outOff, outer, axis, inner);
        ReduceKernels.sumAxis(x, xOff, actual, outOff, outer, axis, inner);
        KernelTwinAsserts.assertGuards(what + " sumAxis", actual, outOff, outCells);
        for (int k = 0; k < outCells; k++) {
            assertSum(what + " sumAxis " + k, expected[outOff + k], actual[outOff + k], bound32);
        }
        // sum's backward spreads [outer, inner] over the axis: copies, so the twins agree exactly
        float[] spreadExpected = KernelTwinAsserts.output32(xOff, cells);
        float[] spreadActual = KernelTwinAsserts.output32(xOff, cells);
        ReduceReference.sumAxisBackward(expected, outOff, spreadExpected, xOff, outer, axis, inner);
        ReduceKernels.sumAxisBackward(expected, outOff, spreadActual, xOff, outer, axis, inner);
        KernelTwinAsserts.assertGuards(what + " sumAxisBackward", spreadActual, xOff, cells);
        KernelTwinAsserts.assertClose(what + " sumAxisBackward", spreadExpected, spreadActual, xOff, cells, 0);
        for (int k = 0; k < cells; k++) {
            int o = k / (axis * inner);
            assertEquals(expected[outOff + o * inner + k % inner], spreadActual[xOff + k], what + " spread " + k);
        }
        ReduceReference.meanAxis(x, xOff, expected, outOff, outer, axis, inner);
        ReduceKernels.meanAxis(x, xOff, actual, outOff, outer, axis, inner);
        for (int k = 0; k < outCells; k++) {
            assertSum(what + " meanAxis " + k, expected[outOff + k], actual[outOff + k], bound32 / axis + ULP32);
        }
        ReduceReference.maxAxis(x, xOff, expected, outOff, outer, axis, inner);
        ReduceKernels.maxAxis(x, xOff, actual, outOff, outer, axis, inner);
        KernelTwinAsserts.assertClose(what + " maxAxis", expected, actual, outOff, outCells, 0);
        int[] argExpected = new int[outOff + outCells];
        int[] argActual = new int[outOff + outCells];
        ReduceReference.argmaxAxis(x, xOff, argExpected, outOff, outer, axis, inner);
        ReduceKernels.argmaxAxis(x, xOff, argActual, outOff, outer, axis, inner);
        assertArrayEquals(argExpected, argActual, what + " argmaxAxis");

        double[] x64 = Cases.paddedDoubles(rng, xOff, cells, -2, 2);
        double[] expected64 = KernelTwinAsserts.output64(outOff, outCells);
        double[] actual64 = KernelTwinAsserts.output64(outOff, outCells);
        ReduceReference.sumAxis(x64, xOff, expected64, outOff, outer, axis, inner);
        ReduceKernels.sumAxis(x64, xOff, actual64, outOff, outer, axis, inner);
        KernelTwinAsserts.assertGuards(what + " sumAxis f64", actual64, outOff, outCells);
        for (int k = 0; k < outCells; k++) {
            assertSum(what + " sumAxis f64 " + k, expected64[outOff + k], actual64[outOff + k], bound64);
        }
        double[] spreadExpected64 = KernelTwinAsserts.output64(xOff, cells);
        double[] spreadActual64 = KernelTwinAsserts.output64(xOff, cells);
        ReduceReference.sumAxisBackward(expected64, outOff, spreadExpected64, xOff, outer, axis, inner);
        ReduceKernels.sumAxisBackward(expected64, outOff, spreadActual64, xOff, outer, axis, inner);
        KernelTwinAsserts.assertGuards(what + " sumAxisBackward f64", spreadActual64, xOff, cells);
        KernelTwinAsserts.assertClose(what + " sumAxisBackward f64", spreadExpected64, spreadActual64, xOff, cells, 0);
        for (int k = 0; k < cells; k++) {
            int o = k / (axis * inner);
            assertEquals(expected64[outOff + o * inner + k % inner], spreadActual64[xOff + k], what + " spread f64 " + k);
        }
        ReduceReference.meanAxis(x64, xOff, expected64, outOff, outer, axis, inner);
        ReduceKernels.meanAxis(x64, xOff, actual64, outOff, outer, axis, inner);
        for (int k = 0; k < outCells; k++) {
            assertSum(what + " meanAxis f64 " + k, expected64[outOff + k], actual64[outOff + k],
                    bound64 / axis + ULP64);
        }
        ReduceReference.maxAxis(x64, xOff, expected64, outOff, outer, axis, inner);
        ReduceKernels.maxAxis(x64, xOff, actual64, outOff, outer, axis, inner);
        KernelTwinAsserts.assertClose(what + " maxAxis f64", expected64, actual64, outOff, outCells, 0);
        ReduceReference.argmaxAxis(x64, xOff, argExpected, outOff, outer, axis, inner);
        ReduceKernels.argmaxAxis(x64, xOff, argActual, outOff, outer, axis, inner);
        assertArrayEquals(argExpected, argActual, what + " argmaxAxis f64");
    }

    /** FAULTS.md 15 for reductions: max of a run with NaN (in the tail lanes too) is NaN; argmax finds the first NaN. */
    @Test
    void fault15_maxAndArgmaxPropagateNaN() {
        for (int n : new int[] {1, Simd.F32_LANES + 1, 2 * Simd.F32_LANES - 1, 4 * Simd.F32_LANES + 3, 5000}) {
            float[] x = Cases.uniformFloats(new SplittableRandom(n), n, -1, 1);
            int nanAt = n - 1; // in the masked tail unless n is a multiple of the lanes
            x[nanAt] = Float.NaN;
            assertTrue(Float.isNaN(ReduceKernels.max(x, 0, n)), "max n=" + n);
            assertTrue(Float.isNaN(ReduceReference.max(x, 0, n)), "reference max n=" + n);
            assertEquals(nanAt, ReduceKernels.argmax(x, 0, n), "argmax n=" + n);
            assertEquals(nanAt, ReduceReference.argmax(x, 0, n), "reference argmax n=" + n);
            float[] rowMax = new float[1];
            ReduceKernels.maxRows(x, 0, n, rowMax, 0, 1, n);
            assertTrue(Float.isNaN(rowMax[0]), "maxRows n=" + n);
            double[] x64 = new double[n];
            for (int i = 0; i < n; i++) {
                x64[i] = x[i];
            }
            assertTrue(Double.isNaN(ReduceKernels.max(x64, 0, n)), "f64 max n=" + n);
            assertEquals(nanAt, ReduceKernels.argmax(x64, 0, n), "f64 argmax n=" + n);
        }
        // two NaN: argmax is the first, along an inner axis too
        float[] block = {1, 5, Float.NaN, 2, 7, Float.NaN}; // [1, 3, 2]: column 0 = {1, NaN, 7}, column 1 = {5, 2, NaN}
        int[] arg = new int[2];
        float[] max = new float[2];
        ReduceKernels.argmaxAxis(block, 0, arg, 0, 1, 3, 2);
        assertArrayEquals(new int[] {1, 2}, arg);
        ReduceKernels.maxAxis(block, 0, max, 0, 1, 3, 2);
        assertTrue(Float.isNaN(max[0]) && Float.isNaN(max[1]), Arrays.toString(max));
    }

    /** FAULTS.md 17: 1, 2 and 3 threads give bit-identical reductions on runs long enough to be chunked in parallel. */
    @Test
    void fault17_reductionsAreBitIdenticalForAnyThreadCount() {
        int n = 5 * ReduceKernels.PARALLEL_MIN + 17;
        SplittableRandom rng = new SplittableRandom(17);
        float[] x = Cases.uniformFloats(rng, n + 1, -1, 1);
        float[] y = Cases.uniformFloats(rng, n + 1, -1, 1);
        double[] x64 = Cases.uniform(rng, n + 1, -1, 1);
        int rows = 40;
        int cols = n / rows;
        int outer = 3;
        int inner = 7;
        int axis = n / (outer * inner);
        String[] results = new String[3];
        for (int threads = 1; threads <= 3; threads++) {
            try (Parallel.Scope scope = Parallel.withThreads(threads)) {
                StringBuilder bits = new StringBuilder();
                bits.append(Float.floatToRawIntBits(ReduceKernels.sum(x, 1, n))).append(' ');
                bits.append(Float.floatToRawIntBits(ReduceKernels.mean(x, 1, n))).append(' ');
                bits.append(Float.floatToRawIntBits(ReduceKernels.dot(x, 1, y, 0, n))).append(' ');
                bits.append(Float.floatToRawIntBits(ReduceKernels.squaredNorm(x, 0, n))).append(' ');
                bits.append(Float.floatToRawIntBits(ReduceKernels.max(x, 0, n))).append(' ');
                bits.append(ReduceKernels.argmax(x, 0, n)).append(' ');
                bits.append(Double.doubleToRawLongBits(ReduceKernels.sum(x64, 1, n))).append(' ');
                bits.append(Double.doubleToRawLongBits(ReduceKernels.dot(x64, 0, x64, 1, n))).append(' ');
                float[] rowSums = new float[rows];
                ReduceKernels.sumRows(x, 0, cols, rowSums, 0, rows, cols);
                bits.append(Arrays.toString(rowSums)).append(' ');
                float[] axisSums = new float[outer * inner];
                ReduceKernels.sumAxis(x, 0, axisSums, 0, outer, axis, inner);
                bits.append(Arrays.toString(axisSums));
                results[threads - 1] = bits.toString();
            }
        }
        assertEquals(results[0], results[1], "1 vs 2 threads");
        assertEquals(results[0], results[2], "1 vs 3 threads");
        // and the long run still matches the reference within the summation bound
        assertSum("long sum", ReduceReference.sum(x, 1, n), ReduceKernels.sum(x, 1, n),
                4.0 * n * ULP32 * absSum(x, 1, n, 1));
    }

    @Test
    void badArgumentsAreRejected() {
        float[] x = {1, 2, 3, 4};
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ReduceKernels.mean(x, 0, 0));
        assertEquals("mean: reduction over an empty range has no value; got n = 0, expected n >= 1",
                empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReduceReference.mean(x, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ReduceKernels.max(new double[0], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ReduceKernels.argmax(x, 4, 0));
        assertEquals(0f, ReduceKernels.sum(x, 4, 0), "the sum of nothing is 0");
        IllegalArgumentException shortX = assertThrows(IllegalArgumentException.class,
                () -> ReduceKernels.dot(x, 0, new float[3], 0, 4));
        assertEquals("dot: y is too short; got y.length = 3 with yOff = 0, expected at least 4 cells (4 from the"
                + " offset)", shortX.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ReduceKernels.sum(x, 0, -2));
        assertTrue(negative.getMessage().startsWith("sum: n is negative"), negative.getMessage());
        float[] block = {1, 2, 3, 4, 5, 6};
        float[] blockBefore = block.clone();
        IllegalArgumentException alias = assertThrows(IllegalArgumentException.class,
                () -> ReduceKernels.sumRows(block, 0, 3, block, 4, 2, 3));
        assertTrue(alias.getMessage().startsWith("sum: out aliases x"), alias.getMessage());
        KernelTwinAsserts.assertUnchanged("rejected sumRows", blockBefore, block);
        IllegalArgumentException shortOut = assertThrows(IllegalArgumentException.class,
                () -> ReduceReference.sumAxis(block, 0, new float[1], 0, 1, 3, 2));
        assertTrue(shortOut.getMessage().startsWith("sum: out is too short"), shortOut.getMessage());
        IllegalArgumentException emptyAxis = assertThrows(IllegalArgumentException.class,
                () -> ReduceKernels.maxAxis(block, 0, new float[2], 0, 1, 0, 2));
        assertTrue(emptyAxis.getMessage().startsWith("max: reduction over an empty range"), emptyAxis.getMessage());
    }
}
