package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions on primitive arrays: sum, mean, max and argmax over a contiguous run, along the last
 * axis of a {@code [rows, cols]} block (one result per row), and along the middle axis of a
 * contiguous {@code [outer, axis, inner]} block (one result per {@code (outer, inner)} pair); dot
 * products and squared norms. SIMD twin of {@link ReduceReference}.
 *
 * <p><b>Determinism.</b> A run is cut into fixed chunks of {@value #CHUNK} elements. Each chunk is
 * summed by the same vector loop (four vector accumulators, then the lanes added in a fixed tree order, never
 * {@code reduceLanes}, whose order may differ between compiled and interpreted code), and the chunk
 * partial sums are combined pairwise in chunk order. Runs of at least {@value #PARALLEL_MIN} elements
 * hand chunks to {@link Parallel}; since the chunking depends only on n, results are bit-identical for
 * any thread count, and equal to the single-threaded result.
 *
 * <p><b>FMA.</b> dot and squared norms accumulate with lane-wise FMA; the reference uses
 * {@code Math.fma} (float64) or exact float products in a double accumulator (float32).
 *
 * <p><b>Empty input.</b> sum and dot of nothing are 0; mean, max and argmax of nothing are errors
 * (PyTorch's max raises; its mean returns NaN, which vecgrad rejects on purpose).
 *
 * <p><b>NaN.</b> max of a run holding NaN is NaN, and argmax returns the index of the first NaN
 * (PyTorch's convention); otherwise argmax returns the first index holding the maximum.
 */
public final class ReduceKernels {
    /** Elements per chunk of a long reduction; fixed, so results never depend on the thread count. */
    public static final int CHUNK = 4096;
    /**
     * Runs (and blocks) of at least this many elements are reduced on {@link Parallel}'s pool, as the
     * elementwise maps are. Below it a memory-bound reduction finishes (about 0.03 ns per float on one
     * core) before a pool handoff would pay off: measured, a 65537-float sum took 79 us on the pool against
     * about 2 us inline on a loaded machine. At 1 << 20 a million-float sum stayed on one core and took 3.3x
     * PyTorch's 2-thread time. The chunking never depends on it, so neither do the results.
     */
    public static final int PARALLEL_MIN = 1 << 18;

    private static final VectorSpecies<Float> S32 = Simd.F32;
    private static final VectorSpecies<Double> S64 = Simd.F64;

    private ReduceKernels() {}

    static void checkRun(String kernel, int length, int off, int n) {
        KernelArgs.nonNegative(kernel, "n", n);
        KernelArgs.fits(kernel, "x", length, off, n);
    }

    static void checkRows(String kernel, Object x, int xLength, int xOff, int ldx, Object out, int outLength,
                          int outOff, int rows, int cols) {
        KernelArgs.matrix(kernel, "x", xLength, xOff, ldx, rows, cols);
        KernelArgs.fits(kernel, "out", outLength, outOff, rows);
        KernelArgs.disjoint(kernel, "out", out, outOff, rows, "x", x, xOff, MapArgs.span(rows, cols, ldx));
    }

    static void checkAxis(String kernel, Object x, int xLength, int xOff, Object out, int outLength, int outOff,
                          int outer, int axis, int inner) {
        long cells = MapArgs.volume(kernel, outer, axis, inner);
        KernelArgs.fits(kernel, "x", xLength, xOff, cells);
        KernelArgs.fits(kernel, "out", outLength, outOff, (long) outer * inner);
        KernelArgs.disjoint(kernel, "out", out, outOff, (long) outer * inner, "x", x, xOff, cells);
    }

    /** Arguments of the axis backward kernels: grad {@code [outer, inner]} spread into out {@code [outer, axis, inner]}. */
    static void checkAxisBackward(String kernel, Object grad, int gradLength, int gradOff, Object out, int outLength,
                                  int outOff, int outer, int axis, int inner) {
        long cells = MapArgs.volume(kernel, outer, axis, inner);
        KernelArgs.fits(kernel, "grad", gradLength, gradOff, (long) outer * inner);
        KernelArgs.fits(kernel, "out", outLength, outOff, cells);
        KernelArgs.disjoint(kernel, "out", out, outOff, cells, "grad", grad, gradOff, (long) outer * inner);
    }

    /** Runs body(c) for each of the chunks of an n-element run: on the pool when n is large enough. */
    static void forChunks(int n, int chunks, java.util.function.IntConsumer body) {
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(chunks, body);
        } else {
            for (int c = 0; c < chunks; c++) {
                body.accept(c);
            }
        }
    }

    /** Runs body(r) for every row; rows are grouped into fixed tasks and run on the pool when the block is large. */
    static void forRows(int rows, int cols, java.util.function.IntConsumer body) {
        forRows(rows, cols, PARALLEL_MIN, body);
    }

    /** As {@link #forRows(int, int, java.util.function.IntConsumer)}, on the pool from {@code minCells} cells. */
    static void forRows(int rows, int cols, long minCells, java.util.function.IntConsumer body) {
        long cells = (long) rows * cols;
        if (cells < minCells || rows < 2) {
            for (int r = 0; r < rows; r++) {
                body.accept(r);
            }
            return;
        }
        int perTask = rowsPerTask(cols);
        Parallel.forEach(Parallel.chunks(rows, perTask), task -> {
            for (int r = task * perTask, end = Math.min(rows, r + perTask); r < end; r++) {
                body.accept(r);
            }
        });
    }

    /** Rows handed to one parallel task: enough that a task reads about one chunk of elements. */
    static int rowsPerTask(int cols) {
        return Math.max(1, CHUNK / Math.max(1, cols));
    }

    // ---- float32 ----

    /** Returns {@code Σ x[xOff + i]} for i in [0, n); 0 for n = 0. */
    public static float sum(float[] x, int xOff, int n) {
        checkRun("sum", x.length, xOff, n);
        return sumRun(x, xOff, n);
    }

    /** Returns the mean of {@code x[xOff .. xOff + n)}; n must be at least 1. */
    public static float mean(float[] x, int xOff, int n) {
        checkRun("mean", x.length, xOff, n);
        MapArgs.nonEmpty("mean", "n", n);
        return sumRun(x, xOff, n) / n;
    }

    /** Returns the largest of {@code x[xOff .. xOff + n)}, NaN if any is NaN; n must be at least 1. */
    public static float max(float[] x, int xOff, int n) {
        checkRun("max", x.length, xOff, n);
        MapArgs.nonEmpty("max", "n", n);
        return maxRun(x, xOff, n);
    }

    /** Returns the index (from xOff) of the first maximum, or of the first NaN; n must be at least 1. */
    public static int argmax(float[] x, int xOff, int n) {
        checkRun("argmax", x.length, xOff, n);
        MapArgs.nonEmpty("argmax", "n", n);
        return argmaxRun(x, xOff, n);
    }

    /** Returns {@code Σ x[xOff + i] * y[yOff + i]} for i in [0, n). */
    public static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        checkRun("dot", x.length, xOff, n);
        KernelArgs.fits("dot", "y", y.length, yOff, n);
        return dotRun(x, xOff, y, yOff, n);
    }

    /** Returns {@code Σ x[xOff + i]^2} for i in [0, n). */
    public static float squaredNorm(float[] x, int xOff, int n) {
        checkRun("squared_norm", x.length, xOff, n);
        return dotRun(x, xOff, x, xOff, n);
    }

    /** {@code out[r] = Σ_c x[r, c]} for {@code x: [rows, cols]} with leading dimension ldx, {@code out: [rows]}. */
    public static void sumRows(float[] x, int xOff, int ldx, float[] out, int outOff, int rows, int cols) {
        checkRows("sum", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        forRows(rows, cols, r -> out[outOff + r] = sumRun(x, xOff + r * ldx, cols));
    }

    /** {@code out[r] = mean_c x[r, c]}; cols must be at least 1 when rows is. */
    public static void meanRows(float[] x, int xOff, int ldx, float[] out, int outOff, int rows, int cols) {
        checkRows("mean", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("mean", "cols", cols);
        }
        forRows(rows, cols, r -> out[outOff + r] = sumRun(x, xOff + r * ldx, cols) / cols);
    }

    /** {@code out[r] = max_c x[r, c]} (NaN if the row holds NaN); cols must be at least 1 when rows is. */
    public static void maxRows(float[] x, int xOff, int ldx, float[] out, int outOff, int rows, int cols) {
        checkRows("max", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("max", "cols", cols);
        }
        forRows(rows, cols, r -> out[outOff + r] = maxRun(x, xOff + r * ldx, cols));
    }

    /** {@code out[r] = argmax_c x[r, c]} (first maximum, or first NaN); cols must be at least 1 when rows is. */
    public static void argmaxRows(float[] x, int xOff, int ldx, int[] out, int outOff, int rows, int cols) {
        checkRows("argmax", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("argmax", "cols", cols);
        }
        forRows(rows, cols, r -> out[outOff + r] = argmaxRun(x, xOff + r * ldx, cols));
    }

    /** {@code out[r] = Σ_c x[r, c]^2}, the squared Euclidean norm of each row. */
    public static void squaredNormRows(float[] x, int xOff, int ldx, float[] out, int outOff, int rows, int cols) {
        checkRows("squared_norm", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        forRows(rows, cols, r -> out[outOff + r] = dotRun(x, xOff + r * ldx, x, xOff + r * ldx, cols));
    }

    /**
     * {@code out[o, i] = Σ_a x[o, a, i]} for a contiguous {@code x: [outer, axis, inner]} and
     * {@code out: [outer, inner]}. The sum over a runs in order a = 0, 1, ... (one vector lane per i).
     */
    public static void sumAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("sum", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        forRows(outer, axis * inner, o -> sumSlab(x, xOff + o * axis * inner, out, outOff + o * inner, axis, inner,
                false));
    }

    /**
     * The backward of {@link #sumAxis(float[], int, float[], int, int, int, int)}: {@code out[o, a, i] = grad[o, i]}
     * for {@code grad: [outer, inner]} and a contiguous {@code out: [outer, axis, inner]} (the gradient of a sum
     * or mean broadcast back over the reduced axis). Copies only, so any thread count gives the same bits.
     */
    public static void sumAxisBackward(float[] grad, int gradOff, float[] out, int outOff, int outer, int axis,
                                       int inner) {
        checkAxisBackward("sum_backward", grad, grad.length, gradOff, out, out.length, outOff, outer, axis, inner);
        forRows(outer, axis * inner, o -> spreadSlab(grad, gradOff + o * inner, out, outOff + o * axis * inner, axis,
                inner));
    }

    private static void spreadSlab(float[] grad, int gradOff, float[] out, int outOff, int axis, int inner) {
        if (inner == 1) { // one value along a contiguous run: vector stores of a broadcast
            FloatVector v = FloatVector.broadcast(S32, grad[gradOff]);
            int a = 0;
            for (int bound = S32.loopBound(axis); a < bound; a += S32.length()) {
                v.intoArray(out, outOff + a);
            }
            if (a < axis) {
                v.intoArray(out, outOff + a, S32.indexInRange(a, axis));
            }
            return;
        }
        for (int a = 0; a < axis; a++) {
            System.arraycopy(grad, gradOff, out, outOff + a * inner, inner);
        }
    }

    /** {@code out[o, i] = mean_a x[o, a, i]}; axis must be at least 1 when the output is not empty. */
    public static void meanAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("mean", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("mean", "axis", axis);
        }
        forRows(outer, axis * inner, o -> sumSlab(x, xOff + o * axis * inner, out, outOff + o * inner, axis, inner,
                true));
    }

    /** {@code out[o, i] = max_a x[o, a, i]} (NaN-propagating); axis must be at least 1 when the output is not empty. */
    public static void maxAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("max", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("max", "axis", axis);
        }
        forRows(outer, axis * inner, o -> maxSlab(x, xOff + o * axis * inner, out, outOff + o * inner, axis, inner));
    }

    /**
     * {@code out[o, i] = argmax_a x[o, a, i]} (first maximum, or first NaN). A scalar loop in row
     * order: the index bookkeeping, not the compares, dominates, and the loop reads x sequentially.
     */
    public static void argmaxAxis(float[] x, int xOff, int[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("argmax", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("argmax", "axis", axis);
        }
        for (int o = 0; o < outer; o++) {
            int base = xOff + o * axis * inner;
            int at = outOff + o * inner;
            for (int i = 0; i < inner; i++) {
                out[at + i] = 0;
            }
            for (int a = 1; a < axis; a++) {
                int row = base + a * inner;
                for (int i = 0; i < inner; i++) {
                    float best = x[base + out[at + i] * inner + i];
                    float v = x[row + i];
                    if (!Float.isNaN(best) && (v > best || Float.isNaN(v))) {
                        out[at + i] = a;
                    }
                }
            }
        }
    }

    private static float sumRun(float[] x, int xOff, int n) {
        if (n <= CHUNK) {
            return sumChunk(x, xOff, n);
        }
        int chunks = Parallel.chunks(n, CHUNK);
        float[] partial = new float[chunks];
        forChunks(n, chunks, c -> partial[c] = sumChunk(x, xOff + c * CHUNK, Math.min(CHUNK, n - c * CHUNK)));
        return pairwise(partial, 0, chunks);
    }

    private static float dotRun(float[] x, int xOff, float[] y, int yOff, int n) {
        if (n <= CHUNK) {
            return dotChunk(x, xOff, y, yOff, n);
        }
        int chunks = Parallel.chunks(n, CHUNK);
        float[] partial = new float[chunks];
        forChunks(n, chunks, c -> partial[c] = dotChunk(x, xOff + c * CHUNK, y, yOff + c * CHUNK,
                Math.min(CHUNK, n - c * CHUNK)));
        return pairwise(partial, 0, chunks);
    }

    static float maxRun(float[] x, int xOff, int n) {
        if (n <= CHUNK) {
            return maxChunk(x, xOff, n);
        }
        int chunks = Parallel.chunks(n, CHUNK);
        float[] partial = new float[chunks];
        forChunks(n, chunks, c -> partial[c] = maxChunk(x, xOff + c * CHUNK, Math.min(CHUNK, n - c * CHUNK)));
        float max = partial[0];
        for (int c = 1; c < chunks; c++) {
            max = Math.max(max, partial[c]);
        }
        return max;
    }

    /** First index of the maximum: one max pass, then a vector search for the first lane equal to it. */
    private static int argmaxRun(float[] x, int xOff, int n) {
        float max = maxRun(x, xOff, n);
        boolean nan = Float.isNaN(max);
        int i = 0;
        for (int bound = S32.loopBound(n); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i);
            VectorMask<Float> hit = nan ? v.test(VectorOperators.IS_NAN) : v.compare(VectorOperators.EQ, max);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            if (nan ? Float.isNaN(v) : v == max) {
                return i;
            }
        }
        throw new IllegalStateException("argmax: maximum " + max + " not found again in the run");
    }

    private static float sumChunk(float[] x, int xOff, int n) {
        FloatVector acc0 = FloatVector.zero(S32);
        FloatVector acc1 = FloatVector.zero(S32);
        FloatVector acc2 = FloatVector.zero(S32);
        FloatVector acc3 = FloatVector.zero(S32);
        int step = S32.length();
        int i = 0;
        // four independent accumulators hide the add latency
        for (int bound = n - 4 * step; i <= bound; i += 4 * step) {
            acc0 = acc0.add(FloatVector.fromArray(S32, x, xOff + i));
            acc1 = acc1.add(FloatVector.fromArray(S32, x, xOff + i + step));
            acc2 = acc2.add(FloatVector.fromArray(S32, x, xOff + i + 2 * step));
            acc3 = acc3.add(FloatVector.fromArray(S32, x, xOff + i + 3 * step));
        }
        for (int bound = S32.loopBound(n); i < bound; i += step) {
            acc0 = acc0.add(FloatVector.fromArray(S32, x, xOff + i));
        }
        if (i < n) {
            acc1 = acc1.add(FloatVector.fromArray(S32, x, xOff + i, S32.indexInRange(i, n)));
        }
        return Simd.sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
    }

    private static float dotChunk(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector acc0 = FloatVector.zero(S32);
        FloatVector acc1 = FloatVector.zero(S32);
        FloatVector acc2 = FloatVector.zero(S32);
        FloatVector acc3 = FloatVector.zero(S32);
        int step = S32.length();
        int i = 0;
        for (int bound = n - 4 * step; i <= bound; i += 4 * step) {
            acc0 = FloatVector.fromArray(S32, x, xOff + i).fma(FloatVector.fromArray(S32, y, yOff + i), acc0);
            acc1 = FloatVector.fromArray(S32, x, xOff + i + step)
                    .fma(FloatVector.fromArray(S32, y, yOff + i + step), acc1);
            acc2 = FloatVector.fromArray(S32, x, xOff + i + 2 * step)
                    .fma(FloatVector.fromArray(S32, y, yOff + i + 2 * step), acc2);
            acc3 = FloatVector.fromArray(S32, x, xOff + i + 3 * step)
                    .fma(FloatVector.fromArray(S32, y, yOff + i + 3 * step), acc3);
        }
        for (int bound = S32.loopBound(n); i < bound; i += step) {
            acc0 = FloatVector.fromArray(S32, x, xOff + i).fma(FloatVector.fromArray(S32, y, yOff + i), acc0);
        }
        if (i < n) {
            VectorMask<Float> tail = S32.indexInRange(i, n);
            acc1 = FloatVector.fromArray(S32, x, xOff + i, tail).fma(FloatVector.fromArray(S32, y, yOff + i, tail),
                    acc1);
        }
        return Simd.sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
    }

    private static float maxChunk(float[] x, int xOff, int n) {
        int step = S32.length();
        if (n < step) {
            float max = x[xOff];
            for (int i = 1; i < n; i++) {
                max = Math.max(max, x[xOff + i]);
            }
            return max;
        }
        // VectorOperators.MAX keeps NaN, as Math.max does
        FloatVector acc0 = FloatVector.fromArray(S32, x, xOff);
        FloatVector acc1 = acc0;
        int i = step;
        for (int bound = n - 2 * step; i <= bound; i += 2 * step) {
            acc0 = acc0.max(FloatVector.fromArray(S32, x, xOff + i));
            acc1 = acc1.max(FloatVector.fromArray(S32, x, xOff + i + step));
        }
        for (int bound = S32.loopBound(n); i < bound; i += step) {
            acc0 = acc0.max(FloatVector.fromArray(S32, x, xOff + i));
        }
        if (i < n) {
            VectorMask<Float> tail = S32.indexInRange(i, n);
            acc1 = acc1.lanewise(VectorOperators.MAX, FloatVector.fromArray(S32, x, xOff + i, tail), tail);
        }
        FloatVector acc = acc0.max(acc1);
        float max = acc.lane(0);
        for (int lane = 1; lane < step; lane++) {
            max = Math.max(max, acc.lane(lane));
        }
        return max;
    }

    /** out[i] = Σ_a x[a, i] (or the mean) over one [axis, inner] slab, vectorized over i. */
    private static void sumSlab(float[] x, int xOff, float[] out, int outOff, int axis, int inner, boolean mean) {
        if (inner == 1) {
            float s = sumRun(x, xOff, axis);
            out[outOff] = mean ? s / axis : s;
            return;
        }
        int step = S32.length();
        for (int i = 0; i < inner; i += step) {
            VectorMask<Float> lanes = S32.indexInRange(i, inner);
            FloatVector acc = FloatVector.zero(S32);
            for (int a = 0; a < axis; a++) {
                acc = acc.add(FloatVector.fromArray(S32, x, xOff + a * inner + i, lanes));
            }
            if (mean) {
                acc = acc.div(axis);
            }
            acc.intoArray(out, outOff + i, lanes);
        }
    }

    private static void maxSlab(float[] x, int xOff, float[] out, int outOff, int axis, int inner) {
        if (inner == 1) {
            out[outOff] = maxRun(x, xOff, axis);
            return;
        }
        int step = S32.length();
        for (int i = 0; i < inner; i += step) {
            VectorMask<Float> lanes = S32.indexInRange(i, inner);
            FloatVector acc = FloatVector.fromArray(S32, x, xOff + i, lanes);
            for (int a = 1; a < axis; a++) {
                acc = acc.max(FloatVector.fromArray(S32, x, xOff + a * inner + i, lanes));
            }
            acc.intoArray(out, outOff + i, lanes);
        }
    }


    private static float pairwise(float[] partial, int from, int count) {
        if (count == 1) {
            return partial[from];
        }
        int half = count / 2;
        return pairwise(partial, from, half) + pairwise(partial, from + half, count - half);
    }

    // ---- float64: the float32 code above, with double lanes ----

    /** Returns {@code Σ x[xOff + i]} for i in [0, n); 0 for n = 0. */
    public static double sum(double[] x, int xOff, int n) {
        checkRun("sum", x.length, xOff, n);
        return sumRun(x, xOff, n);
    }

    /** Returns the mean of {@code x[xOff .. xOff + n)}; n must be at least 1. */
    public static double mean(double[] x, int xOff, int n) {
        checkRun("mean", x.length, xOff, n);
        MapArgs.nonEmpty("mean", "n", n);
        return sumRun(x, xOff, n) / n;
    }

    /** Returns the largest of {@code x[xOff .. xOff + n)}, NaN if any is NaN; n must be at least 1. */
    public static double max(double[] x, int xOff, int n) {
        checkRun("max", x.length, xOff, n);
        MapArgs.nonEmpty("max", "n", n);
        return maxRun(x, xOff, n);
    }

    /** Returns the index (from xOff) of the first maximum, or of the first NaN; n must be at least 1. */
    public static int argmax(double[] x, int xOff, int n) {
        checkRun("argmax", x.length, xOff, n);
        MapArgs.nonEmpty("argmax", "n", n);
        return argmaxRun(x, xOff, n);
    }

    /** Returns {@code Σ x[xOff + i] * y[yOff + i]} for i in [0, n). */
    public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        checkRun("dot", x.length, xOff, n);
        KernelArgs.fits("dot", "y", y.length, yOff, n);
        return dotRun(x, xOff, y, yOff, n);
    }

    /** Returns {@code Σ x[xOff + i]^2} for i in [0, n). */
    public static double squaredNorm(double[] x, int xOff, int n) {
        checkRun("squared_norm", x.length, xOff, n);
        return dotRun(x, xOff, x, xOff, n);
    }

    /** {@code out[r] = Σ_c x[r, c]} for {@code x: [rows, cols]} with leading dimension ldx, {@code out: [rows]}. */
    public static void sumRows(double[] x, int xOff, int ldx, double[] out, int outOff, int rows, int cols) {
        checkRows("sum", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        forRows(rows, cols, r -> out[outOff + r] = sumRun(x, xOff + r * ldx, cols));
    }

    /** {@code out[r] = mean_c x[r, c]}; cols must be at least 1 when rows is. */
    public static void meanRows(double[] x, int xOff, int ldx, double[] out, int outOff, int rows, int cols) {
        checkRows("mean", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("mean", "cols", cols);
        }
        forRows(rows, cols, r -> out[outOff + r] = sumRun(x, xOff + r * ldx, cols) / cols);
    }

    /** {@code out[r] = max_c x[r, c]} (NaN if the row holds NaN); cols must be at least 1 when rows is. */
    public static void maxRows(double[] x, int xOff, int ldx, double[] out, int outOff, int rows, int cols) {
        checkRows("max", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("max", "cols", cols);
        }
        forRows(rows, cols, r -> out[outOff + r] = maxRun(x, xOff + r * ldx, cols));
    }

    /** {@code out[r] = argmax_c x[r, c]} (first maximum, or first NaN); cols must be at least 1 when rows is. */
    public static void argmaxRows(double[] x, int xOff, int ldx, int[] out, int outOff, int rows, int cols) {
        checkRows("argmax", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("argmax", "cols", cols);
        }
        forRows(rows, cols, r -> out[outOff + r] = argmaxRun(x, xOff + r * ldx, cols));
    }

    /** {@code out[r] = Σ_c x[r, c]^2}, the squared Euclidean norm of each row. */
    public static void squaredNormRows(double[] x, int xOff, int ldx, double[] out, int outOff, int rows, int cols) {
        checkRows("squared_norm", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        forRows(rows, cols, r -> out[outOff + r] = dotRun(x, xOff + r * ldx, x, xOff + r * ldx, cols));
    }

    /**
     * {@code out[o, i] = Σ_a x[o, a, i]} for a contiguous {@code x: [outer, axis, inner]} and
     * {@code out: [outer, inner]}. The sum over a runs in order a = 0, 1, ... (one vector lane per i).
     */
    public static void sumAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("sum", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        forRows(outer, axis * inner, o -> sumSlab(x, xOff + o * axis * inner, out, outOff + o * inner, axis, inner,
                false));
    }

    /**
     * The backward of {@link #sumAxis(double[], int, double[], int, int, int, int)}: {@code out[o, a, i] = grad[o, i]}
     * for {@code grad: [outer, inner]} and a contiguous {@code out: [outer, axis, inner]} (the gradient of a sum
     * or mean broadcast back over the reduced axis). Copies only, so any thread count gives the same bits.
     */
    public static void sumAxisBackward(double[] grad, int gradOff, double[] out, int outOff, int outer, int axis,
                                       int inner) {
        checkAxisBackward("sum_backward", grad, grad.length, gradOff, out, out.length, outOff, outer, axis, inner);
        forRows(outer, axis * inner, o -> spreadSlab(grad, gradOff + o * inner, out, outOff + o * axis * inner, axis,
                inner));
    }

    private static void spreadSlab(double[] grad, int gradOff, double[] out, int outOff, int axis, int inner) {
        if (inner == 1) { // one value along a contiguous run: vector stores of a broadcast
            DoubleVector v = DoubleVector.broadcast(S64, grad[gradOff]);
            int a = 0;
            for (int bound = S64.loopBound(axis); a < bound; a += S64.length()) {
                v.intoArray(out, outOff + a);
            }
            if (a < axis) {
                v.intoArray(out, outOff + a, S64.indexInRange(a, axis));
            }
            return;
        }
        for (int a = 0; a < axis; a++) {
            System.arraycopy(grad, gradOff, out, outOff + a * inner, inner);
        }
    }

    /** {@code out[o, i] = mean_a x[o, a, i]}; axis must be at least 1 when the output is not empty. */
    public static void meanAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("mean", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("mean", "axis", axis);
        }
        forRows(outer, axis * inner, o -> sumSlab(x, xOff + o * axis * inner, out, outOff + o * inner, axis, inner,
                true));
    }

    /** {@code out[o, i] = max_a x[o, a, i]} (NaN-propagating); axis must be at least 1 when the output is not empty. */
    public static void maxAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("max", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("max", "axis", axis);
        }
        forRows(outer, axis * inner, o -> maxSlab(x, xOff + o * axis * inner, out, outOff + o * inner, axis, inner));
    }

    /**
     * {@code out[o, i] = argmax_a x[o, a, i]} (first maximum, or first NaN). A scalar loop in row
     * order: the index bookkeeping, not the compares, dominates, and the loop reads x sequentially.
     */
    public static void argmaxAxis(double[] x, int xOff, int[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("argmax", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("argmax", "axis", axis);
        }
        for (int o = 0; o < outer; o++) {
            int base = xOff + o * axis * inner;
            int at = outOff + o * inner;
            for (int i = 0; i < inner; i++) {
                out[at + i] = 0;
            }
            for (int a = 1; a < axis; a++) {
                int row = base + a * inner;
                for (int i = 0; i < inner; i++) {
                    double best = x[base + out[at + i] * inner + i];
                    double v = x[row + i];
                    if (!Double.isNaN(best) && (v > best || Double.isNaN(v))) {
                        out[at + i] = a;
                    }
                }
            }
        }
    }

    private static double sumRun(double[] x, int xOff, int n) {
        if (n <= CHUNK) {
            return sumChunk(x, xOff, n);
        }
        int chunks = Parallel.chunks(n, CHUNK);
        double[] partial = new double[chunks];
        forChunks(n, chunks, c -> partial[c] = sumChunk(x, xOff + c * CHUNK, Math.min(CHUNK, n - c * CHUNK)));
        return pairwise(partial, 0, chunks);
    }

    private static double dotRun(double[] x, int xOff, double[] y, int yOff, int n) {
        if (n <= CHUNK) {
            return dotChunk(x, xOff, y, yOff, n);
        }
        int chunks = Parallel.chunks(n, CHUNK);
        double[] partial = new double[chunks];
        forChunks(n, chunks, c -> partial[c] = dotChunk(x, xOff + c * CHUNK, y, yOff + c * CHUNK,
                Math.min(CHUNK, n - c * CHUNK)));
        return pairwise(partial, 0, chunks);
    }

    static double maxRun(double[] x, int xOff, int n) {
        if (n <= CHUNK) {
            return maxChunk(x, xOff, n);
        }
        int chunks = Parallel.chunks(n, CHUNK);
        double[] partial = new double[chunks];
        forChunks(n, chunks, c -> partial[c] = maxChunk(x, xOff + c * CHUNK, Math.min(CHUNK, n - c * CHUNK)));
        double max = partial[0];
        for (int c = 1; c < chunks; c++) {
            max = Math.max(max, partial[c]);
        }
        return max;
    }

    /** First index of the maximum: one max pass, then a vector search for the first lane equal to it. */
    private static int argmaxRun(double[] x, int xOff, int n) {
        double max = maxRun(x, xOff, n);
        boolean nan = Double.isNaN(max);
        int i = 0;
        for (int bound = S64.loopBound(n); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i);
            VectorMask<Double> hit = nan ? v.test(VectorOperators.IS_NAN) : v.compare(VectorOperators.EQ, max);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            double v = x[xOff + i];
            if (nan ? Double.isNaN(v) : v == max) {
                return i;
            }
        }
        throw new IllegalStateException("argmax: maximum " + max + " not found again in the run");
    }

    private static double sumChunk(double[] x, int xOff, int n) {
        DoubleVector acc0 = DoubleVector.zero(S64);
        DoubleVector acc1 = DoubleVector.zero(S64);
        DoubleVector acc2 = DoubleVector.zero(S64);
        DoubleVector acc3 = DoubleVector.zero(S64);
        int step = S64.length();
        int i = 0;
        // four independent accumulators hide the add latency
        for (int bound = n - 4 * step; i <= bound; i += 4 * step) {
            acc0 = acc0.add(DoubleVector.fromArray(S64, x, xOff + i));
            acc1 = acc1.add(DoubleVector.fromArray(S64, x, xOff + i + step));
            acc2 = acc2.add(DoubleVector.fromArray(S64, x, xOff + i + 2 * step));
            acc3 = acc3.add(DoubleVector.fromArray(S64, x, xOff + i + 3 * step));
        }
        for (int bound = S64.loopBound(n); i < bound; i += step) {
            acc0 = acc0.add(DoubleVector.fromArray(S64, x, xOff + i));
        }
        if (i < n) {
            acc1 = acc1.add(DoubleVector.fromArray(S64, x, xOff + i, S64.indexInRange(i, n)));
        }
        return Simd.sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
    }

    private static double dotChunk(double[] x, int xOff, double[] y, int yOff, int n) {
        DoubleVector acc0 = DoubleVector.zero(S64);
        DoubleVector acc1 = DoubleVector.zero(S64);
        DoubleVector acc2 = DoubleVector.zero(S64);
        DoubleVector acc3 = DoubleVector.zero(S64);
        int step = S64.length();
        int i = 0;
        for (int bound = n - 4 * step; i <= bound; i += 4 * step) {
            acc0 = DoubleVector.fromArray(S64, x, xOff + i).fma(DoubleVector.fromArray(S64, y, yOff + i), acc0);
            acc1 = DoubleVector.fromArray(S64, x, xOff + i + step)
                    .fma(DoubleVector.fromArray(S64, y, yOff + i + step), acc1);
            acc2 = DoubleVector.fromArray(S64, x, xOff + i + 2 * step)
                    .fma(DoubleVector.fromArray(S64, y, yOff + i + 2 * step), acc2);
            acc3 = DoubleVector.fromArray(S64, x, xOff + i + 3 * step)
                    .fma(DoubleVector.fromArray(S64, y, yOff + i + 3 * step), acc3);
        }
        for (int bound = S64.loopBound(n); i < bound; i += step) {
            acc0 = DoubleVector.fromArray(S64, x, xOff + i).fma(DoubleVector.fromArray(S64, y, yOff + i), acc0);
        }
        if (i < n) {
            VectorMask<Double> tail = S64.indexInRange(i, n);
            acc1 = DoubleVector.fromArray(S64, x, xOff + i, tail).fma(DoubleVector.fromArray(S64, y, yOff + i, tail),
                    acc1);
        }
        return Simd.sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
    }

    private static double maxChunk(double[] x, int xOff, int n) {
        int step = S64.length();
        if (n < step) {
            double max = x[xOff];
            for (int i = 1; i < n; i++) {
                max = Math.max(max, x[xOff + i]);
            }
            return max;
        }
        // VectorOperators.MAX keeps NaN, as Math.max does
        DoubleVector acc0 = DoubleVector.fromArray(S64, x, xOff);
        DoubleVector acc1 = acc0;
        int i = step;
        for (int bound = n - 2 * step; i <= bound; i += 2 * step) {
            acc0 = acc0.max(DoubleVector.fromArray(S64, x, xOff + i));
            acc1 = acc1.max(DoubleVector.fromArray(S64, x, xOff + i + step));
        }
        for (int bound = S64.loopBound(n); i < bound; i += step) {
            acc0 = acc0.max(DoubleVector.fromArray(S64, x, xOff + i));
        }
        if (i < n) {
            VectorMask<Double> tail = S64.indexInRange(i, n);
            acc1 = acc1.lanewise(VectorOperators.MAX, DoubleVector.fromArray(S64, x, xOff + i, tail), tail);
        }
        DoubleVector acc = acc0.max(acc1);
        double max = acc.lane(0);
        for (int lane = 1; lane < step; lane++) {
            max = Math.max(max, acc.lane(lane));
        }
        return max;
    }

    /** out[i] = Σ_a x[a, i] (or the mean) over one [axis, inner] slab, vectorized over i. */
    private static void sumSlab(double[] x, int xOff, double[] out, int outOff, int axis, int inner, boolean mean) {
        if (inner == 1) {
            double s = sumRun(x, xOff, axis);
            out[outOff] = mean ? s / axis : s;
            return;
        }
        int step = S64.length();
        for (int i = 0; i < inner; i += step) {
            VectorMask<Double> lanes = S64.indexInRange(i, inner);
            DoubleVector acc = DoubleVector.zero(S64);
            for (int a = 0; a < axis; a++) {
                acc = acc.add(DoubleVector.fromArray(S64, x, xOff + a * inner + i, lanes));
            }
            if (mean) {
                acc = acc.div(axis);
            }
            acc.intoArray(out, outOff + i, lanes);
        }
    }

    private static void maxSlab(double[] x, int xOff, double[] out, int outOff, int axis, int inner) {
        if (inner == 1) {
            out[outOff] = maxRun(x, xOff, axis);
            return;
        }
        int step = S64.length();
        for (int i = 0; i < inner; i += step) {
            VectorMask<Double> lanes = S64.indexInRange(i, inner);
            DoubleVector acc = DoubleVector.fromArray(S64, x, xOff + i, lanes);
            for (int a = 1; a < axis; a++) {
                acc = acc.max(DoubleVector.fromArray(S64, x, xOff + a * inner + i, lanes));
            }
            acc.intoArray(out, outOff + i, lanes);
        }
    }


    private static double pairwise(double[] partial, int from, int count) {
        if (count == 1) {
            return partial[from];
        }
        int half = count / 2;
        return pairwise(partial, from, half) + pairwise(partial, from + half, count - half);
    }
}
