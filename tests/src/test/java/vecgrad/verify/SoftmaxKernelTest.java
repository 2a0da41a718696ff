package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.Simd;
import vecgrad.kernels.SoftmaxKernels;
import vecgrad.kernels.SoftmaxReference;

/**
 * {@link SoftmaxKernels} against {@link SoftmaxReference} (which computes in double). Bounds, with
 * u the unit roundoff of the dtype, n the row length and d = max - min of the row: softmax
 * {@code |y - r| <= u·(8 + 2d + n)·r} (the SIMD twin rounds x - max in the dtype, which costs up to
 * d·u relatively, and sums n rounded terms); log-softmax {@code |y - r| <= u·(4 + 2d + 2|r| + n)};
 * backward {@code 4u·(n + 2)·|y|·(|g| + Σ|g·y|)} and {@code 4u·((n + 2)·e^y·Σ|g| + |g|)}.
 */
class SoftmaxKernelTest {
    static LongStream seeds() {
        return Cases.seeds(3);
    }

    static final double U32 = Math.ulp(1f);
    static final double U64 = Math.ulp(1.0);

    interface Bound {
        double at(int k);
    }

    static void within(String what, double[] expected, double[] actual, int n, Bound bound) {
        for (int k = 0; k < n; k++) {
            double diff = Math.abs(expected[k] - actual[k]);
            if (!(diff <= bound.at(k))) {
                throw new AssertionError(what + ": element " + k + " of " + n + " expected " + expected[k] + " but was "
                        + actual[k] + " (|diff| " + diff + " > " + bound.at(k) + ")");
            }
        }
    }

    static double[] widen(float[] a, int off, int ld, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = a[off + r * ld + c];
            }
        }
        return out;
    }

    static double[] gather(double[] a, int off, int ld, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, off + r * ld, out, r * cols, cols);
        }
        return out;
    }

    /** Row-wise checks of all four kernels for one random block, float32 and float64. */
    static void rows(SplittableRandom rng, int rows, int cols) {
        int ldx = Math.max(1, cols) + rng.nextInt(0, 3);
        int ldo = Math.max(1, cols) + rng.nextInt(0, 3);
        int xOff = Cases.OFFSETS[rng.nextInt(3)];
        int outOff = Cases.OFFSETS[rng.nextInt(3)];
        int xCells = rows == 0 ? 0 : (rows - 1) * ldx + cols;
        int outCells = rows == 0 ? 0 : (rows - 1) * ldo + cols;
        String what = "rows=" + rows + " cols=" + cols + " ldx=" + ldx + " ldo=" + ldo;
        for (int dtype = 0; dtype < 2; dtype++) {
            boolean f32 = dtype == 0;
            double u = f32 ? U32 : U64;
            double[][] results = new double[8][];
            double[] logits = Cases.paddedDoubles(rng, xOff, xCells, -5, 5);
            double[] grad = Cases.paddedDoubles(rng, xOff, xCells, -1, 1);
            if (f32) { // the float32 twins see these values rounded; the bounds use the rounded ones
                logits = toPadded(KernelTwinAsserts.toFloats(logits));
                grad = toPadded(KernelTwinAsserts.toFloats(grad));
            }
            for (int twin = 0; twin < 2; twin++) {
                boolean simd = twin == 0;
                if (f32) {
                    float[] x = KernelTwinAsserts.toFloats(logits);
                    float[] g = KernelTwinAsserts.toFloats(grad);
                    float[] y = KernelTwinAsserts.output32(outOff, outCells);
                    float[] logY = KernelTwinAsserts.output32(outOff, outCells);
                    float[] dy = KernelTwinAsserts.output32(outOff, outCells);
                    float[] dLogY = KernelTwinAsserts.output32(outOff, outCells);
                    // both twins differentiate the same saved outputs (the reference's), so only backward differs
                    SoftmaxReference.softmax(x, xOff, ldx, y, outOff, ldo, rows, cols);
                    SoftmaxReference.logSoftmax(x, xOff, ldx, logY, outOff, ldo, rows, cols);
                    float[] yOut = KernelTwinAsserts.output32(outOff, outCells);
                    float[] logOut = KernelTwinAsserts.output32(outOff, outCells);
                    if (simd) {
                        SoftmaxKernels.softmax(x, xOff, ldx, yOut, outOff, ldo, rows, cols);
                        SoftmaxKernels.logSoftmax(x, xOff, ldx, logOut, outOff, ldo, rows, cols);
                        SoftmaxKernels.softmaxBackward(y, outOff, ldo, g, xOff, ldx, dy, outOff, ldo, rows, cols);
                        SoftmaxKernels.logSoftmaxBackward(logY, outOff, ldo, g, xOff, ldx, dLogY, outOff, ldo, rows,
                                cols);
                    } else {
                        SoftmaxReference.softmax(x, xOff, ldx, yOut, outOff, ldo, rows, cols);
                        SoftmaxReference.logSoftmax(x, xOff, ldx, logOut, outOff, ldo, rows, cols);
                        SoftmaxReference.softmaxBackward(y, outOff, ldo, g, xOff, ldx, dy, outOff, ldo, rows, cols);
                        SoftmaxReference.logSoftmaxBackward(logY, outOff, ldo, g, xOff, ldx, dLogY, outOff, ldo, rows,
                                cols);
                    }
                    for (float[] out : new float[][] {yOut, logOut, dy, dLogY}) {
                        KernelTwinAsserts.assertGuards(what + (simd ? " simd" : " reference"), out, outOff,
                                outCells);
                    }
                    results[twin * 4] = widen(yOut, outOff, ldo, rows, cols);
                    results[twin * 4 + 1] = widen(logOut, outOff, ldo, rows, cols);
                    results[twin * 4 + 2] = widen(dy, outOff, ldo, rows, cols);
                    results[twin * 4 + 3] = widen(dLogY, outOff, ldo, rows, cols);
                } else {
                    double[] x = logits;
                    double[] g = grad;
                    double[] y = KernelTwinAsserts.output64(outOff, outCells);
                    double[] logY = KernelTwinAsserts.output64(outOff, outCells);
                    double[] dy = KernelTwinAsserts.output64(outOff, outCells);
                    double[] dLogY = KernelTwinAsserts.output64(outOff, outCells);
                    SoftmaxReference.softmax(x, xOff, ldx, y, outOff, ldo, rows, cols);
                    SoftmaxReference.logSoftmax(x, xOff, ldx, logY, outOff, ldo, rows, cols);
                    double[] yOut = KernelTwinAsserts.output64(outOff, outCells);
                    double[] logOut = KernelTwinAsserts.output64(outOff, outCells);
                    if (simd) {
                        SoftmaxKernels.softmax(x, xOff, ldx, yOut, outOff, ldo, rows, cols);
                        SoftmaxKernels.logSoftmax(x, xOff, ldx, logOut, outOff, ldo, rows, cols);
                        SoftmaxKernels.softmaxBackward(y, outOff, ldo, g, xOff, ldx, dy, outOff, ldo, rows, cols);
                        SoftmaxKernels.logSoftmaxBackward(logY, outOff, ldo, g, xOff, ldx, dLogY, outOff, ldo, rows,
                                cols);
                    } else {
                        SoftmaxReference.softmax(x, xOff, ldx, yOut, outOff, ldo, rows, cols);
                        SoftmaxReference.logSoftmax(x, xOff, ldx, logOut, outOff, ldo, rows, cols);
                        SoftmaxReference.softmaxBackward(y, outOff, ldo, g, xOff, ldx, dy, outOff, ldo, rows, cols);
                        SoftmaxReference.logSoftmaxBackward(logY, outOff, ldo, g, xOff, ldx, dLogY, outOff, ldo, rows,
                                cols);
                    }
                    for (double[] out : new double[][] {yOut, logOut, dy, dLogY}) {
                        KernelTwinAsserts.assertGuards(what + (simd ? " simd f64" : " reference f64"), out, outOff,
                                outCells);
                    }
                    results[twin * 4] = gather(yOut, outOff, ldo, rows, cols);
                    results[twin * 4 + 1] = gather(logOut, outOff, ldo, rows, cols);
                    results[twin * 4 + 2] = gather(dy, outOff, ldo, rows, cols);
                    results[twin * 4 + 3] = gather(dLogY, outOff, ldo, rows, cols);
                }
            }
            double[] x = gather(logits, xOff, ldx, rows, cols);
            double[] g = gather(grad, xOff, ldx, rows, cols);
            compareRows(what + (f32 ? " float32" : " float64"), u, x, g, results, rows, cols);
        }
    }

    private static double[] toPadded(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** results: simd {softmax, log, dSoftmax, dLog}, then reference {same}; all dense [rows, cols]. */
    static void compareRows(String what, double u, double[] x, double[] g, double[][] results, int rows, int cols) {
        double[] softmaxRef = results[4];
        double[] logRef = results[5];
        for (int r = 0; r < rows; r++) {
            int from = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            double gy = 0;
            double gAbs = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[from + c]);
                min = Math.min(min, x[from + c]);
                gy += Math.abs(g[from + c] * softmaxRef[from + c]);
                gAbs += Math.abs(g[from + c]);
            }
            double spread = max - min;
            double sumGy = gy;
            double sumG = gAbs;
            String row = what + " row " + r;
            within(row + " softmax", slice(softmaxRef, from, cols), slice(results[0], from, cols), cols,
                    k -> u * (8 + 2 * spread + cols) * softmaxRef[from + k]);
            within(row + " log_softmax", slice(logRef, from, cols), slice(results[1], from, cols), cols,
                    k -> u * (4 + 2 * spread + 2 * Math.abs(logRef[from + k]) + cols));
            within(row + " softmax_backward", slice(results[6], from, cols), slice(results[2], from, cols), cols,
                    k -> 4 * u * (cols + 2) * softmaxRef[from + k] * (Math.abs(g[from + k]) + sumGy));
            within(row + " log_softmax_backward", slice(results[7], from, cols), slice(results[3], from, cols), cols,
                    k -> 4 * u * ((cols + 2) * Math.exp(logRef[from + k]) * sumG + Math.abs(g[from + k])));
            double total = 0;
            for (int c = 0; c < cols; c++) {
                total += results[0][from + c];
            }
            assertTrue(cols == 0 || Math.abs(total - 1) <= u * (8 + 2 * spread + cols) * 2,
                    row + ": softmax row sums to " + total);
        }
    }

    static double[] slice(double[] a, int from, int n) {
        return java.util.Arrays.copyOfRange(a, from, from + n);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void simdRowSoftmaxMatchesReference(long seed) {
        Property.check("row softmax", seed, 1021, (rng, max) -> {
            for (int cols : Cases.tailLengths(Simd.F32_LANES)) {
                if (cols <= max && cols <= 1021) {
                    rows(rng, rng.nextInt(0, 4), cols);
                }
            }
            for (int cols : Cases.tailLengths(Simd.F64_LANES)) {
                if (cols <= Math.min(max, 3 * Simd.F64_LANES + 1)) {
                    rows(rng, rng.nextInt(1, 4), cols);
                }
            }
        });
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void simdAxisSoftmaxMatchesReference(long seed) {
        Property.check("axis softmax", seed, 2 * Simd.F32_LANES + 3, (rng, max) -> {
            for (int trial = 0; trial < 10; trial++) {
                int outer = rng.nextInt(0, 4);
                int axis = rng.nextInt(1, max + 1);
                int inner = trial < 2 ? 1 : rng.nextInt(1, max + 1);
                axis(rng, outer, axis, inner);
            }
        });
    }

    /** The axis forms against the reference, and against the row forms on a transposed copy. */
    static void axis(SplittableRandom rng, int outer, int axis, int inner) {
        int cells = outer * axis * inner;
        int xOff = Cases.OFFSETS[rng.nextInt(3)];
        int outOff = Cases.OFFSETS[rng.nextInt(3)];
        String what = "axis [" + outer + ", " + axis + ", " + inner + "]";
        float[] x = Cases.padded(rng, xOff, cells, -5, 5);
        float[] g = Cases.padded(rng, xOff, cells, -1, 1);
        float[] expected = KernelTwinAsserts.output32(outOff, cells);
        float[] actual = KernelTwinAsserts.output32(outOff, cells);
        float[] logExpected = KernelTwinAsserts.output32(outOff, cells);
        float[] logActual = KernelTwinAsserts.output32(outOff, cells);
        SoftmaxReference.softmaxAxis(x, xOff, expected, outOff, outer, axis, inner);
        SoftmaxKernels.softmaxAxis(x, xOff, actual, outOff, outer, axis, inner);
        SoftmaxReference.logSoftmaxAxis(x, xOff, logExpected, outOff, outer, axis, inner);
        SoftmaxKernels.logSoftmaxAxis(x, xOff, logActual, outOff, outer, axis, inner);
        KernelTwinAsserts.assertGuards(what + " softmax", actual, outOff, cells);
        KernelTwinAsserts.assertGuards(what + " log_softmax", logActual, outOff, cells);
        double bound = U32 * (8 + 2 * 10 + axis); // logits in [-5, 5]: spread < 10
        for (int k = 0; k < cells; k++) {
            double e = expected[outOff + k];
            assertTrue(Math.abs(e - actual[outOff + k]) <= bound * e, what + " softmax at " + k + ": " + e + " vs "
                    + actual[outOff + k]);
            double le = logExpected[outOff + k];
            assertTrue(Math.abs(le - logActual[outOff + k]) <= U32 * (4 + 20 + 2 * Math.abs(le) + axis),
                    what + " log_softmax at " + k + ": " + le + " vs " + logActual[outOff + k]);
        }
        float[] dExpected = KernelTwinAsserts.output32(outOff, cells);
        float[] dActual = KernelTwinAsserts.output32(outOff, cells);
        float[] dLogExpected = KernelTwinAsserts.output32(outOff, cells);
        float[] dLogActual = KernelTwinAsserts.output32(outOff, cells);
        SoftmaxReference.softmaxAxisBackward(expected, outOff, g, xOff, dExpected, outOff, outer, axis, inner);
        SoftmaxKernels.softmaxAxisBackward(expected, outOff, g, xOff, dActual, outOff, outer, axis, inner);
        SoftmaxReference.logSoftmaxAxisBackward(logExpected, outOff, g, xOff, dLogExpected, outOff, outer, axis, inner);
        SoftmaxKernels.logSoftmaxAxisBackward(logExpected, outOff, g, xOff, dLogActual, outOff, outer, axis, inner);
        KernelTwinAsserts.assertGuards(what + " softmax_backward", dActual, outOff, cells);
        for (int k = 0; k < cells; k++) {
            // |g| <= 1 and Σ|g·y| <= 1, Σ|g| <= axis
            double yk = expected[outOff + k];
            assertTrue(Math.abs(dExpected[outOff + k] - dActual[outOff + k]) <= 4 * U32 * (axis + 2) * yk * 2,
                    what + " softmax_backward at " + k + ": " + dExpected[outOff + k] + " vs " + dActual[outOff + k]);
            double ek = Math.exp(logExpected[outOff + k]);
            assertTrue(Math.abs(dLogExpected[outOff + k] - dLogActual[outOff + k])
                            <= 4 * U32 * ((axis + 2) * ek * axis + 1),
                    what + " log_softmax_backward at " + k + ": " + dLogExpected[outOff + k] + " vs "
                            + dLogActual[outOff + k]);
        }
        // float64 axis forms against their reference
        double[] x64 = Cases.paddedDoubles(rng, xOff, cells, -5, 5);
        double[] expected64 = KernelTwinAsserts.output64(outOff, cells);
        double[] actual64 = KernelTwinAsserts.output64(outOff, cells);
        SoftmaxReference.logSoftmaxAxis(x64, xOff, expected64, outOff, outer, axis, inner);
        SoftmaxKernels.logSoftmaxAxis(x64, xOff, actual64, outOff, outer, axis, inner);
        KernelTwinAsserts.assertGuards(what + " log_softmax f64", actual64, outOff, cells);
        for (int k = 0; k < cells; k++) {
            double le = expected64[outOff + k];
            assertTrue(Math.abs(le - actual64[outOff + k]) <= U64 * (4 + 20 + 2 * Math.abs(le) + axis),
                    what + " log_softmax f64 at " + k);
        }
        double[] y64 = KernelTwinAsserts.output64(outOff, cells);
        double[] yRef64 = KernelTwinAsserts.output64(outOff, cells);
        SoftmaxKernels.softmaxAxis(x64, xOff, y64, outOff, outer, axis, inner);
        SoftmaxReference.softmaxAxis(x64, xOff, yRef64, outOff, outer, axis, inner);
        for (int k = 0; k < cells; k++) {
            double e = yRef64[outOff + k];
            assertTrue(Math.abs(e - y64[outOff + k]) <= U64 * (8 + 20 + axis) * e, what + " softmax f64 at " + k);
        }
        double[] g64 = Cases.paddedDoubles(rng, xOff, cells, -1, 1);
        double[] d64 = KernelTwinAsserts.output64(outOff, cells);
        double[] dRef64 = KernelTwinAsserts.output64(outOff, cells);
        SoftmaxKernels.softmaxAxisBackward(yRef64, outOff, g64, xOff, d64, outOff, outer, axis, inner);
        SoftmaxReference.softmaxAxisBackward(yRef64, outOff, g64, xOff, dRef64, outOff, outer, axis, inner);
        for (int k = 0; k < cells; k++) {
            assertTrue(Math.abs(dRef64[outOff + k] - d64[outOff + k]) <= 4 * U64 * (axis + 2) * yRef64[outOff + k] * 2,
                    what + " softmax_backward f64 at " + k);
        }
        double[] dLog64 = KernelTwinAsserts.output64(outOff, cells);
        double[] dLogRef64 = KernelTwinAsserts.output64(outOff, cells);
        SoftmaxKernels.logSoftmaxAxisBackward(expected64, outOff, g64, xOff, dLog64, outOff, outer, axis, inner);
        SoftmaxReference.logSoftmaxAxisBackward(expected64, outOff, g64, xOff, dLogRef64, outOff, outer, axis, inner);
        for (int k = 0; k < cells; k++) {
            double ek = Math.exp(expected64[outOff + k]);
            assertTrue(Math.abs(dLogRef64[outOff + k] - dLog64[outOff + k]) <= 4 * U64 * ((axis + 2) * ek * axis + 1),
                    what + " log_softmax_backward f64 at " + k);
        }
        // axis form of [outer, axis, 1] is the row form: same code path, same bits
        if (inner == 1 && cells > 0) {
            float[] rowForm = KernelTwinAsserts.output32(outOff, cells);
            SoftmaxKernels.softmax(x, xOff, axis, rowForm, outOff, axis, outer, axis);
            KernelTwinAsserts.assertClose(what + " row form", rowForm, actual, outOff, cells, 0);
        }
    }

    /** Rows sum to 1 and hold no NaN for logits up to magnitude 1e4 (FAULTS.md 9 at the kernel level). */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void rowsSumToOneAndNeverHoldNaNForLogitsUpTo1e4(long seed) {
        Property.check("softmax 1e4", seed, 300, (rng, max) -> {
            for (int trial = 0; trial < 20; trial++) {
                int cols = rng.nextInt(1, max + 1);
                double scale = new double[] {1, 100, 1e4}[trial % 3];
                double center = trial % 2 == 0 ? 0 : 1e4; // also every logit near +1e4
                float[] x = Cases.uniformFloats(rng, cols, center - scale, center + scale);
                double[] x64 = new double[cols];
                for (int c = 0; c < cols; c++) {
                    x64[c] = x[c];
                }
                float[] y = new float[cols];
                float[] logY = new float[cols];
                double[] y64 = new double[cols];
                SoftmaxKernels.softmax(x, 0, cols, y, 0, cols, 1, cols);
                SoftmaxKernels.logSoftmax(x, 0, cols, logY, 0, cols, 1, cols);
                SoftmaxKernels.softmax(x64, 0, cols, y64, 0, cols, 1, cols);
                double total = 0;
                double total64 = 0;
                for (int c = 0; c < cols; c++) {
                    assertTrue(y[c] >= 0 && y[c] <= 1, "softmax out of [0, 1]: " + y[c]);
                    assertTrue(Float.isFinite(logY[c]) && logY[c] <= 0, "log_softmax not finite or positive: "
                            + logY[c]);
                    total += y[c];
                    total64 += y64[c];
                }
                assertTrue(Math.abs(total - 1) <= 4 * U32 * (cols + 8), "float32 row of " + cols + " sums to " + total);
                assertTrue(Math.abs(total64 - 1) <= 4 * U64 * (cols + 8), "float64 row sums to " + total64);
            }
        });
    }

    /** Shift invariance is exact when the shift is: logits on a 1/64 grid, shifted by ±1e4, give the same bits. */
    @Test
    void logitsShiftedBy1e4GiveBitIdenticalResults() {
        SplittableRandom rng = new SplittableRandom(9);
        int cols = 3 * Simd.F32_LANES + 5;
        float[] x = new float[cols];
        for (int c = 0; c < cols; c++) {
            x[c] = rng.nextInt(-512, 513) / 64f;
        }
        float[] y = new float[cols];
        float[] logY = new float[cols];
        SoftmaxKernels.softmax(x, 0, cols, y, 0, cols, 1, cols);
        SoftmaxKernels.logSoftmax(x, 0, cols, logY, 0, cols, 1, cols);
        for (float shift : new float[] {1e4f, -1e4f}) {
            float[] shifted = new float[cols];
            for (int c = 0; c < cols; c++) {
                shifted[c] = x[c] + shift;
                assertEquals(x[c], shifted[c] - shift, "the shift must be exact for this test");
            }
            float[] ys = new float[cols];
            float[] logYs = new float[cols];
            SoftmaxKernels.softmax(shifted, 0, cols, ys, 0, cols, 1, cols);
            SoftmaxKernels.logSoftmax(shifted, 0, cols, logYs, 0, cols, 1, cols);
            KernelTwinAsserts.assertClose("softmax shifted by " + shift, y, ys, 0, cols, 0);
            KernelTwinAsserts.assertClose("log_softmax shifted by " + shift, logY, logYs, 0, cols, 0);
        }
        float[] pair = {1e4f, 1e4f, -1e4f};
        float[] out = new float[3];
        SoftmaxKernels.softmax(pair, 0, 3, out, 0, 3, 1, 3);
        assertEquals(0.5f, out[0]);
        assertEquals(0.5f, out[1]);
        assertEquals(0f, out[2]);
        SoftmaxKernels.logSoftmax(pair, 0, 3, out, 0, 3, 1, 3);
        assertEquals((float) -Math.log(2), out[0]);
        assertEquals((float) (-2e4 - Math.log(2)), out[2], Math.ulp(2e4f));
    }

    /** FAULTS.md 17 for softmax: in place and on 1, 2, 3 threads, the same bits. */
    @Test
    void fault17_softmaxIsBitIdenticalInPlaceAndForAnyThreadCount() {
        int rows = 300;
        int cols = 257;
        float[] x = Cases.uniformFloats(new SplittableRandom(5), rows * cols, -3, 3);
        float[] expected = new float[rows * cols];
        SoftmaxKernels.softmax(x, 0, cols, expected, 0, cols, rows, cols);
        float[] inPlace = x.clone();
        SoftmaxKernels.softmax(inPlace, 0, cols, inPlace, 0, cols, rows, cols);
        KernelTwinAsserts.assertClose("in place", expected, inPlace, 0, expected.length, 0);
        for (int threads = 1; threads <= 3; threads++) {
            try (Parallel.Scope scope = Parallel.withThreads(threads)) {
                float[] out = new float[rows * cols];
                SoftmaxKernels.softmax(x, 0, cols, out, 0, cols, rows, cols);
                KernelTwinAsserts.assertClose(threads + " threads", expected, out, 0, out.length, 0);
            }
        }
    }

    @Test
    void badArgumentsAreRejected() {
        float[] x = new float[12];
        IllegalArgumentException shortOut = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxKernels.softmax(x, 0, 4, new float[11], 0, 4, 3, 4));
        assertEquals("softmax: out is too short; got out.length = 11 with outOff = 0, expected at least 12 cells (12"
                + " from the offset)", shortOut.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SoftmaxReference.softmax(x, 0, 4, new float[11], 0, 4, 3, 4));
        IllegalArgumentException ld = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxKernels.logSoftmax(x, 0, 3, new float[12], 0, 4, 3, 4));
        assertTrue(ld.getMessage().startsWith("log_softmax: leading dimension of x is smaller than its row"),
                ld.getMessage());
        float[] shared = new float[20];
        shared[0] = 42;
        IllegalArgumentException alias = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxKernels.softmax(shared, 0, 4, shared, 2, 4, 3, 4));
        assertTrue(alias.getMessage().startsWith("softmax: out aliases x"), alias.getMessage());
        assertEquals(42f, shared[0]);
        IllegalArgumentException backwardAlias = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxKernels.softmaxBackward(shared, 0, 4, x, 0, 4, shared, 1, 4, 2, 4));
        assertTrue(backwardAlias.getMessage().startsWith("softmax_backward: out aliases y"),
                backwardAlias.getMessage());
        IllegalArgumentException axis = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxKernels.softmaxAxis(x, 0, new float[12], 0, 2, -3, 2));
        assertTrue(axis.getMessage().startsWith("softmax: axis is negative"), axis.getMessage());
        IllegalArgumentException grad = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxReference.logSoftmaxAxisBackward(x, 0, new float[5], 0, new float[12], 0, 2, 3, 2));
        assertTrue(grad.getMessage().startsWith("log_softmax_backward: grad is too short"), grad.getMessage());
    }
}
