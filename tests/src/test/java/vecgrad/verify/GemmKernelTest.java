package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.kernels.GemmKernels;
import vecgrad.kernels.GemmReference;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.Simd;

/**
 * {@link GemmKernels} against its scalar twin {@link GemmReference}: random shapes around the tile and
 * lane boundaries, all four transposes, alpha/beta, offsets, padded leading dimensions and guard cells;
 * bit-identical results for 1, 2 and 3 threads; and every bad input rejected before C is written.
 *
 * <p>Tolerance (both precisions): {@code |c - ref| <= 4 (k + 2) u (|alpha| sum_p |a_ip b_pj| + |beta c_ij|)}
 * with {@code u} the unit roundoff ({@code 2^-24} float32, {@code 2^-53} float64). The kernel sums k
 * products with fused multiply-adds in its own precision, then one multiply and one fused add for alpha and
 * beta; the standard bound for such a sum is {@code (k + 2) u} times the sum of magnitudes, and the factor
 * 4 leaves room for the reference's own rounding. The bound scales with the sum of magnitudes, not with |c|,
 * so cancellation in c cannot make it fail spuriously; a wrong, dropped or stale term (of size ~|a b| with
 * inputs in [-1, 1)) exceeds it by orders of magnitude, as a deliberately broken merge showed.
 */
class GemmKernelTest {
    private static final int F32_LANES = Simd.F32_LANES;
    private static final int F64_LANES = Simd.F64_LANES;
    private static final float[] ALPHAS = {1f, -0.5f, 2.5f, 0f};
    private static final float[] BETAS = {0f, 1f, -1.5f};

    static Stream<Arguments> seeds() {
        return Cases.seeds(60).mapToObj(seed -> Arguments.of("gemm", seed));
    }

    /**
     * Sizes that sit on tile, block and lane boundaries (the register tile is 12 rows by 2 vectors, rows are packed
     * in blocks of 96; the narrow path takes 4 x 4 dot products up to 16 columns).
     */
    private static int size(SplittableRandom rng, int lanes, int maxSize) {
        int[] interesting = {0, 1, 2, 5, lanes - 1, lanes + 1, 2 * lanes - 1, 2 * lanes + 1, 4 * lanes - 1,
            4 * lanes + 1, 6 * lanes - 1, 6 * lanes + 1, 11, 12, 13, 23, 25, 31, 67, 95, 97, 8, 16, 17, 2 * lanes};
        int size = rng.nextInt(4) == 0 ? rng.nextInt(1, 201) : interesting[rng.nextInt(interesting.length)];
        return Math.max(0, Math.min(size, maxSize));
    }

    /** One float32 case: shapes, flags, offsets and padding all drawn from rng. */
    private static void floatCase(SplittableRandom rng, int maxSize) {
        int m = size(rng, F32_LANES, maxSize);
        int n = size(rng, F32_LANES, maxSize);
        int k = size(rng, F32_LANES, maxSize);
        boolean transA = rng.nextBoolean();
        boolean transB = rng.nextBoolean();
        float alpha = ALPHAS[rng.nextInt(ALPHAS.length)];
        float beta = BETAS[rng.nextInt(BETAS.length)];
        Layout a = Layout.draw(rng, transA ? k : m, transA ? m : k);
        Layout b = Layout.draw(rng, transB ? n : k, transB ? k : n);
        Layout c = Layout.draw(rng, m, n);
        float[] aData = a.floats(rng, false);
        float[] bData = b.floats(rng, false);
        float[] cStart = c.floats(rng, beta == 0); // beta 0: C's payload is NaN and must be ignored
        float[] expected = cStart.clone();
        float[] actual = cStart.clone();
        GemmReference.gemm(aData, a.offset, a.ld, transA, bData, b.offset, b.ld, transB, expected, c.offset, c.ld,
                m, n, k, alpha, beta);
        GemmKernels.gemm(aData, a.offset, a.ld, transA, bData, b.offset, b.ld, transB, actual, c.offset, c.ld,
                m, n, k, alpha, beta);
        String shape = "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " alpha="
                + alpha + " beta=" + beta + " a" + a + " b" + b + " c" + c;
        double unit = Math.ulp(1f) / 2;
        for (int cell = 0; cell < actual.length; cell++) {
            int i = c.row(cell);
            int j = c.col(cell);
            if (i < 0 || i >= m || j < 0 || j >= n) { // guard, offset or ld gap: must be untouched, bit for bit
                assertEquals(Float.floatToRawIntBits(cStart[cell]), Float.floatToRawIntBits(actual[cell]),
                        "cell " + cell + " outside C changed; " + shape);
                continue;
            }
            double magnitude = 0;
            for (int p = 0; p < k; p++) {
                float x = transA ? aData[a.at(p, i)] : aData[a.at(i, p)];
                float y = transB ? bData[b.at(j, p)] : bData[b.at(p, j)];
                magnitude += Math.abs((double) x * y);
            }
            double old = beta == 0 ? 0 : Math.abs((double) beta * cStart[cell]);
            double bound = 4.0 * (k + 2) * unit * (Math.abs(alpha) * magnitude + old) + Float.MIN_VALUE;
            double error = Math.abs((double) actual[cell] - expected[cell]);
            assertTrue(error <= bound, "C[" + i + "][" + j + "] = " + actual[cell] + ", reference " + expected[cell]
                    + ", |error| " + error + " > bound " + bound + "; " + shape);
        }
    }

    /** The float64 twin of {@link #floatCase}. */
    private static void doubleCase(SplittableRandom rng, int maxSize) {
        int m = size(rng, F64_LANES, maxSize);
        int n = size(rng, F64_LANES, maxSize);
        int k = size(rng, F64_LANES, maxSize);
        boolean transA = rng.nextBoolean();
        boolean transB = rng.nextBoolean();
        double alpha = ALPHAS[rng.nextInt(ALPHAS.length)];
        double beta = BETAS[rng.nextInt(BETAS.length)];
        Layout a = Layout.draw(rng, transA ? k : m, transA ? m : k);
        Layout b = Layout.draw(rng, transB ? n : k, transB ? k : n);
        Layout c = Layout.draw(rng, m, n);
        double[] aData = a.doubles(rng, false);
        double[] bData = b.doubles(rng, false);
        double[] cStart = c.doubles(rng, beta == 0);
        double[] expected = cStart.clone();
        double[] actual = cStart.clone();
        GemmReference.gemm(aData, a.offset, a.ld, transA, bData, b.offset, b.ld, transB, expected, c.offset, c.ld,
                m, n, k, alpha, beta);
        GemmKernels.gemm(aData, a.offset, a.ld, transA, bData, b.offset, b.ld, transB, actual, c.offset, c.ld,
                m, n, k, alpha, beta);
        String shape = "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " alpha="
                + alpha + " beta=" + beta + " a" + a + " b" + b + " c" + c;
        double unit = Math.ulp(1.0) / 2;
        for (int cell = 0; cell < actual.length; cell++) {
            int i = c.row(cell);
            int j = c.col(cell);
            if (i < 0 || i >= m || j < 0 || j >= n) {
                assertEquals(Double.doubleToRawLongBits(cStart[cell]), Double.doubleToRawLongBits(actual[cell]),
                        "cell " + cell + " outside C changed; " + shape);
                continue;
            }
            double magnitude = 0;
            for (int p = 0; p < k; p++) {
                double x = transA ? aData[a.at(p, i)] : aData[a.at(i, p)];
                double y = transB ? bData[b.at(j, p)] : bData[b.at(p, j)];
                magnitude += Math.abs(x * y);
            }
            double old = beta == 0 ? 0 : Math.abs(beta * cStart[cell]);
            double bound = 4.0 * (k + 2) * unit * (Math.abs(alpha) * magnitude + old) + Double.MIN_VALUE;
            double error = Math.abs(actual[cell] - expected[cell]);
            assertTrue(error <= bound, "C[" + i + "][" + j + "] = " + actual[cell] + ", reference " + expected[cell]
                    + ", |error| " + error + " > bound " + bound + "; " + shape);
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("seeds")
    void fault16_simdFloatGemmMatchesReference(String kernel, long seed) {
        Property.check("float32 " + kernel, seed, 200, GemmKernelTest::floatCase);
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("seeds")
    void fault16_simdDoubleGemmMatchesReference(String kernel, long seed) {
        Property.check("float64 " + kernel, seed, 200, GemmKernelTest::doubleCase);
    }

    /**
     * Every transpose combination at shapes with edge tiles in both directions and more than one k-block
     * (k = 600 exceeds the float32 block depth), so the "add onto the first block" path is covered.
     */
    @Test
    void allTransposesMatchTheReferenceAcrossSeveralDepthBlocks() {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                for (float beta : new float[] {0f, 1f, 0.75f}) {
                    long seed = (transA ? 4 : 0) + (transB ? 2 : 0) + (long) (beta * 8);
                    Property.check("gemm transA=" + transA + " transB=" + transB + " beta=" + beta, seed, 600,
                            (rng, max) -> compareLarge(rng, Math.min(max, 43), Math.min(max, 77), max,
                                    transA, transB, beta));
                }
            }
        }
    }

    /**
     * A product cut into row chunks (each packing its own B panel, C staged per block): every transpose against
     * the reference, float32 and float64, with a C that is read (beta = 0.75).
     */
    @Test
    void rowChunksMatchTheReference() {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                long seed = 40 + (transA ? 2 : 0) + (transB ? 1 : 0);
                SplittableRandom rng = new SplittableRandom(seed);
                compareLarge(rng, 300, 200, 300, transA, transB, 0.75f);
                compareLargeDouble(rng, 300, 200, 300, transA, transB, 0.75);
            }
        }
    }

    private static void compareLargeDouble(SplittableRandom rng, int m, int n, int k, boolean transA,
                                           boolean transB, double beta) {
        double[] a = Cases.uniform(rng, m * k, -1, 1);
        double[] b = Cases.uniform(rng, k * n, -1, 1);
        double[] c = Cases.uniform(rng, m * n, -1, 1);
        double[] expected = c.clone();
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        GemmReference.gemm(a, 0, lda, transA, b, 0, ldb, transB, expected, 0, n, m, n, k, 1.25, beta);
        GemmKernels.gemm(a, 0, lda, transA, b, 0, ldb, transB, c, 0, n, m, n, k, 1.25, beta);
        assertWithinRoundingBound(a, b, c, expected, m, n, k, transA, transB, beta, Math.ulp(1.0) / 2,
                Double.MIN_VALUE, "float64");
    }

    /**
     * |C - expected| within the classic dot-product bound 4 (k + 2) u (|alpha| sum |a b| + |beta|) for
     * alpha = 1.25, C and expected of [m, n] with leading dimension n.
     */
    private static void assertWithinRoundingBound(double[] a, double[] b, double[] c, double[] expected, int m,
                                                  int n, int k, boolean transA, boolean transB, double beta,
                                                  double unit, double tiny, String dtype) {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[p * lda + i] : a[i * lda + p];
                    double y = transB ? b[j * ldb + p] : b[p * ldb + j];
                    magnitude += Math.abs(x * y);
                }
                double bound = 4.0 * (k + 2) * unit * (1.25 * magnitude + Math.abs(beta)) + tiny;
                double error = Math.abs(c[i * n + j] - expected[i * n + j]);
                assertTrue(error <= bound, "C[" + i + "][" + j + "] |error| " + error + " > " + bound
                        + " (m=" + m + " n=" + n + " k=" + k + ", " + dtype + ")");
            }
        }
    }

    private static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }

    private static void compareLarge(SplittableRandom rng, int m, int n, int k, boolean transA, boolean transB,
                                     float beta) {
        float[] a = Cases.uniformFloats(rng, m * k, -1, 1);
        float[] b = Cases.uniformFloats(rng, k * n, -1, 1);
        float[] c = Cases.uniformFloats(rng, m * n, -1, 1);
        float[] expected = c.clone();
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        GemmReference.gemm(a, 0, lda, transA, b, 0, ldb, transB, expected, 0, n, m, n, k, 1.25f, beta);
        GemmKernels.gemm(a, 0, lda, transA, b, 0, ldb, transB, c, 0, n, m, n, k, 1.25f, beta);
        assertWithinRoundingBound(widen(a), widen(b), widen(c), widen(expected), m, n, k, transA, transB, beta,
                Math.ulp(1f) / 2, Float.MIN_VALUE, "float32");
    }

    /**
     * Shapes big enough to be cut into several chunks (square-ish, a wide short C, a tall C cut by rows into four
     * chunks, one that runs transposed internally, and the tall-skinny k-means shape of the dot-product path):
     * 1, 2 and 3 threads give the same bits.
     */
    @Test
    void fault17_floatResultsAreBitIdenticalForAnyThreadCount() {
        int[][] shapes = {{300, 517, 600}, {7, 3000, 300}, {2500, 64, 100}, {2500, 40, 100}, {2000, 10, 784}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            SplittableRandom rng = new SplittableRandom(17L * m + n);
            float[] a = Cases.uniformFloats(rng, m * k, -1, 1);
            float[] b = Cases.uniformFloats(rng, k * n, -1, 1);
            float[] start = Cases.uniformFloats(rng, m * n, -1, 1);
            float[] first = null;
            for (int threads = 1; threads <= 3; threads++) {
                float[] c = start.clone();
                try (Parallel.Scope scope = Parallel.withThreads(threads)) {
                    GemmKernels.gemm(a, 0, k, false, b, 0, n, false, c, 0, n, m, n, k, 0.5f, 2f);
                }
                if (first == null) {
                    first = c;
                } else {
                    assertArrayEquals(first, c, "m=" + m + " n=" + n + " k=" + k + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    void fault17_doubleResultsAreBitIdenticalForAnyThreadCount() {
        int[][] shapes = {{300, 517, 600}, {7, 3000, 300}, {2500, 64, 100}, {2000, 10, 784}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            SplittableRandom rng = new SplittableRandom(19L * m + n);
            double[] a = Cases.uniform(rng, m * k, -1, 1);
            double[] b = Cases.uniform(rng, k * n, -1, 1);
            double[] start = Cases.uniform(rng, m * n, -1, 1);
            double[] first = null;
            for (int threads = 1; threads <= 3; threads++) {
                double[] c = start.clone();
                try (Parallel.Scope scope = Parallel.withThreads(threads)) {
                    GemmKernels.gemm(a, 0, m, true, b, 0, k, true, c, 0, n, m, n, k, -1.0, 0.0);
                }
                if (first == null) {
                    first = c;
                } else {
                    assertArrayEquals(first, c, "m=" + m + " n=" + n + " k=" + k + " with " + threads + " threads");
                }
            }
            // and the shared result is right: several float64 depth blocks, transposed operands
            double[] expected = start.clone();
            GemmReference.gemm(a, 0, m, true, b, 0, k, true, expected, 0, n, m, n, k, -1.0, 0.0);
            double unit = Math.ulp(1.0) / 2;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double magnitude = 0;
                    for (int p = 0; p < k; p++) {
                        magnitude += Math.abs(a[p * m + i] * b[j * k + p]);
                    }
                    double bound = 4.0 * (k + 2) * unit * magnitude + Double.MIN_VALUE;
                    double error = Math.abs(first[i * n + j] - expected[i * n + j]);
                    assertTrue(error <= bound, "C[" + i + "][" + j + "] |error| " + error + " > " + bound
                            + " (m=" + m + " n=" + n + " k=" + k + ")");
                }
            }
        }
    }

    @Test
    void multiplyIsGemmWithAlphaOneAndBetaZeroOrOne() {
        SplittableRandom rng = new SplittableRandom(5);
        int m = 9;
        int n = 70;
        int k = 33;
        float[] a = Cases.uniformFloats(rng, m * k, -1, 1);
        float[] b = Cases.uniformFloats(rng, k * n, -1, 1);
        float[] c = Cases.uniformFloats(rng, m * n, -1, 1);
        float[] viaGemm = c.clone();
        float[] viaMultiply = c.clone();
        GemmKernels.gemm(a, 0, k, false, b, 0, n, false, viaGemm, 0, n, m, n, k, 1f, 1f);
        GemmKernels.multiply(a, 0, k, b, 0, n, viaMultiply, 0, n, m, n, k, true);
        assertArrayEquals(viaGemm, viaMultiply);
        double[] da = Cases.uniform(rng, m * k, -1, 1);
        double[] db = Cases.uniform(rng, k * n, -1, 1);
        double[] dGemm = new double[m * n];
        double[] dMultiply = new double[m * n];
        Arrays.fill(dMultiply, Double.NaN); // overwritten, not accumulated
        GemmKernels.gemm(da, 0, k, false, db, 0, n, false, dGemm, 0, n, m, n, k, 1.0, 0.0);
        GemmKernels.multiply(da, 0, k, db, 0, n, dMultiply, 0, n, m, n, k, false);
        assertArrayEquals(dGemm, dMultiply);
    }

    /** k = 0 or alpha = 0: C = beta * C, and A/B (here NaN) are never read. */
    @Test
    void emptyDepthOrZeroAlphaOnlyScalesC() {
        float[] a = new float[12];
        Arrays.fill(a, Float.NaN);
        float[] b = a.clone();
        float[] c = {1f, 2f, 3f, 4f};
        GemmKernels.gemm(a, 0, 1, false, b, 0, 2, false, c, 0, 2, 2, 2, 0, 1f, 2f);
        assertArrayEquals(new float[] {2f, 4f, 6f, 8f}, c);
        GemmKernels.gemm(a, 0, 3, false, b, 0, 2, false, c, 0, 2, 2, 2, 3, 0f, 0.5f);
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, c);
        float[] nanC = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        GemmKernels.gemm(a, 0, 1, false, b, 0, 2, false, nanC, 0, 2, 2, 2, 0, 1f, 0f);
        assertArrayEquals(new float[4], nanC);
    }

    // ---- bad input: each rejected with the kernel, the argument and the expected size, before C is written

    private interface FloatCall {
        void run(float[] a, float[] b, float[] c);
    }

    private static void assertRejected(FloatCall call, float[] a, float[] b, float[] c, String... fragments) {
        float[] before = c.clone();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> call.run(a, b, c));
        for (String fragment : fragments) {
            assertTrue(error.getMessage().contains(fragment),
                    "message lacks '" + fragment + "': " + error.getMessage());
        }
        assertArrayEquals(before, c, "c was written before the error");
    }

    private static float[] filled(int n) {
        float[] x = new float[n];
        Arrays.fill(x, 0.5f);
        return x;
    }

    @Test
    void negativeSizesAreRejected() {
        float[] a = filled(12);
        float[] b = filled(12);
        float[] c = filled(12);
        assertRejected((x, y, z) -> GemmKernels.gemm(x, 0, 3, false, y, 0, 3, false, z, 0, 3, -1, 3, 3, 1f, 0f),
                a, b, c, "gemm", "m = -1", "m >= 0");
        assertRejected((x, y, z) -> GemmKernels.gemm(x, 0, 3, false, y, 0, 3, false, z, 0, 3, 3, -2, 3, 1f, 0f),
                a, b, c, "gemm", "n = -2", "n >= 0");
        assertRejected((x, y, z) -> GemmKernels.gemm(x, 0, 3, false, y, 0, 3, false, z, 0, 3, 3, 3, -3, 1f, 0f),
                a, b, c, "gemm", "k = -3", "k >= 0");
        assertRejected((x, y, z) -> GemmReference.gemm(x, 0, 3, false, y, 0, 3, false, z, 0, 3, 3, 3, -3, 1f, 0f),
                a, b, c, "gemm", "k = -3", "k >= 0");
    }

    @Test
    void operandsTooShortForTheirShapeAreRejected() {
        float[] c = filled(20);
        // a: 4 x 5 needs 20 cells from offset 1, it has 20
        assertRejected((x, y, z) -> GemmKernels.gemm(x, 1, 5, false, y, 0, 3, false, z, 0, 3, 4, 3, 5, 1f, 0f),
                filled(20), filled(15), c, "gemm", "a is too short", "a.length = 20", "at least 21");
        assertRejected((x, y, z) -> GemmReference.gemm(x, 1, 5, false, y, 0, 3, false, z, 0, 3, 4, 3, 5, 1f, 0f),
                filled(20), filled(15), c, "gemm", "a is too short", "at least 21");
        // transposed b: stored [n, k] = [3, 5] with ldb 6 needs 2 * 6 + 5 = 17 cells
        assertRejected((x, y, z) -> GemmKernels.gemm(x, 0, 5, false, y, 0, 6, true, z, 0, 3, 4, 3, 5, 1f, 0f),
                filled(20), filled(16), c, "gemm", "b is too short", "at least 17");
        // c: 4 x 3 with ldc 5 from offset 7 needs 7 + 3 * 5 + 3 = 25 cells
        assertRejected((x, y, z) -> GemmKernels.gemm(x, 0, 5, false, y, 0, 3, false, z, 7, 5, 4, 3, 5, 1f, 0f),
                filled(20), filled(15), c, "gemm", "c is too short", "at least 25");
    }

    @Test
    void leadingDimensionsAndOffsetsOutOfRangeAreRejected() {
        float[] c = filled(20);
        assertRejected((x, y, z) -> GemmKernels.gemm(x, 0, 4, false, y, 0, 3, false, z, 0, 3, 4, 3, 5, 1f, 0f),
                filled(20), filled(15), c, "gemm", "leading dimension of a", "lda = 4", "lda >= 5");
        assertRejected((x, y, z) -> GemmKernels.gemm(x, 0, 5, false, y, 0, 3, false, z, 0, 2, 4, 3, 5, 1f, 0f),
                filled(20), filled(15), c, "gemm", "leading dimension of c", "ldc >= 3");
        assertRejected((x, y, z) -> GemmKernels.gemm(x, 0, 5, false, y, -1, 3, false, z, 0, 3, 4, 3, 5, 1f, 0f),
                filled(20), filled(15), c, "gemm", "b offset is negative", "bOff >= 0");
    }

    @Test
    void cAliasingAOrBIsRejected() {
        float[] shared = filled(40);
        float[] other = filled(40);
        float[] before = shared.clone();
        IllegalArgumentException aliasA = assertThrows(IllegalArgumentException.class,
                () -> GemmKernels.gemm(shared, 0, 4, false, other, 0, 4, false, shared, 20, 4, 4, 4, 4, 1f, 0f));
        assertTrue(aliasA.getMessage().startsWith("gemm: c aliases a"), aliasA.getMessage());
        IllegalArgumentException aliasB = assertThrows(IllegalArgumentException.class,
                () -> GemmKernels.gemm(other, 0, 4, false, shared, 0, 4, false, shared, 20, 4, 4, 4, 4, 1f, 0f));
        assertTrue(aliasB.getMessage().startsWith("gemm: c aliases b"), aliasB.getMessage());
        double[] sharedDoubles = new double[40];
        IllegalArgumentException aliasDouble = assertThrows(IllegalArgumentException.class,
                () -> GemmReference.gemm(sharedDoubles, 0, 4, false, new double[16], 0, 4, false, sharedDoubles, 20, 4,
                        4, 4, 4, 1.0, 0.0));
        assertTrue(aliasDouble.getMessage().startsWith("gemm: c aliases a"), aliasDouble.getMessage());
        assertArrayEquals(before, shared, "c was written before the error");
    }

    /**
     * Where one operand lives in its array: offset, leading dimension (row length plus a random gap), and
     * the total length including {@link Cases#GUARD} sentinel cells after the end.
     */
    private record Layout(int rows, int cols, int offset, int ld, int length) {
        static Layout draw(SplittableRandom rng, int rows, int cols) {
            int offset = Cases.OFFSETS[rng.nextInt(Cases.OFFSETS.length)];
            int ld = Math.max(1, cols) + (rng.nextBoolean() ? 0 : rng.nextInt(1, 4));
            int used = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
            return new Layout(rows, cols, offset, ld, offset + used + Cases.GUARD);
        }

        int at(int row, int col) {
            return offset + row * ld + col;
        }

        /** Row of a cell, or -1 before the offset; cells in the ld gap report a column >= cols. */
        int row(int cell) {
            return cell < offset ? -1 : (cell - offset) / ld;
        }

        int col(int cell) {
            return cell < offset ? -1 : (cell - offset) % ld;
        }

        /** Payload in [-1, 1) (NaN when nanPayload), NaN in every cell outside the matrix. */
        float[] floats(SplittableRandom rng, boolean nanPayload) {
            float[] x = new float[length];
            Arrays.fill(x, Float.NaN);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    x[at(i, j)] = nanPayload ? Float.NaN : (float) rng.nextDouble(-1, 1);
                }
            }
            return x;
        }

        double[] doubles(SplittableRandom rng, boolean nanPayload) {
            double[] x = new double[length];
            Arrays.fill(x, Double.NaN);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    x[at(i, j)] = nanPayload ? Double.NaN : rng.nextDouble(-1, 1);
                }
            }
            return x;
        }

        @Override
        public String toString() {
            return "[" + rows + "x" + cols + " off=" + offset + " ld=" + ld + " len=" + length + "]";
        }
    }
}
