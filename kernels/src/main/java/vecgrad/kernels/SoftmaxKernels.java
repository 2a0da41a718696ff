package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax, forward and backward, row-wise over {@code [rows, cols]} blocks with
 * leading dimensions, and along the middle axis of a contiguous {@code [outer, axis, inner]} block.
 * SIMD twin of {@link SoftmaxReference}.
 *
 * <p>Forward: {@code y = exp(x - m) / Σ exp(x - m)} and {@code log y = (x - m) - ln Σ exp(x - m)}
 * with m the row maximum, so logits of magnitude 1e4 (or all near +1e4) stay finite and exact: the
 * largest term is exp(0) = 1 and the sum lies in [1, cols]. Finite input never gives NaN; a row
 * holding NaN gives a NaN row.
 *
 * <p>Backward, from the saved output y and the upstream gradient:
 * softmax {@code out = y ⊙ (grad − Σ grad·y)}, log-softmax (y = log-probabilities)
 * {@code out = grad − exp(y) · Σ grad}.
 *
 * <p>out may be an input in place (same array, offset and leading dimension); any other overlap is
 * rejected. Large blocks are split over {@link Parallel} by rows; each row is computed by one
 * thread with the same code, so results do not depend on the thread count. exp and log are
 * {@code VectorMath}'s (or {@code Math.log} for a row's one logarithm), so results are also the same
 * whether the JIT has compiled the kernel or not.
 */
public final class SoftmaxKernels {
    /**
     * Blocks of at least this many cells run on the pool: softmax spends a few ns per element in exp,
     * so it pays off far earlier than a memory-bound reduction ({@link ReduceKernels#PARALLEL_MIN}).
     */
    static final int PARALLEL_MIN = 1 << 15;
    private static final VectorSpecies<Float> S32 = Simd.F32;
    private static final VectorSpecies<Double> S64 = Simd.F64;

    private SoftmaxKernels() {}

    static void checkBackwardRows(String kernel, Object y, int yLength, int yOff, int ldy, Object grad,
                                  int gradLength, int gradOff, int ldg, Object out, int outLength, int outOff, int ldo,
                                  int rows, int cols) {
        KernelArgs.matrix(kernel, "y", yLength, yOff, ldy, rows, cols);
        KernelArgs.matrix(kernel, "grad", gradLength, gradOff, ldg, rows, cols);
        KernelArgs.matrix(kernel, "out", outLength, outOff, ldo, rows, cols);
        long outSpan = MapArgs.span(rows, cols, ldo);
        if (!(out == y && outOff == yOff && ldo == ldy)) {
            KernelArgs.disjoint(kernel, "out", out, outOff, outSpan, "y", y, yOff, MapArgs.span(rows, cols, ldy));
        }
        if (!(out == grad && outOff == gradOff && ldo == ldg)) {
            KernelArgs.disjoint(kernel, "out", out, outOff, outSpan, "grad", grad, gradOff,
                    MapArgs.span(rows, cols, ldg));
        }
    }

    static void checkAxis(String kernel, String in, Object x, int xLength, int xOff, Object out, int outLength,
                          int outOff, int outer, int axis, int inner) {
        long cells = MapArgs.volume(kernel, outer, axis, inner);
        KernelArgs.fits(kernel, in, xLength, xOff, cells);
        KernelArgs.fits(kernel, "out", outLength, outOff, cells);
        MapArgs.inPlaceOrDisjoint(kernel, "out", out, outOff, cells, in, x, xOff, cells);
    }

    static void checkBackwardAxis(String kernel, Object y, int yLength, int yOff, Object grad, int gradLength,
                                  int gradOff, Object out, int outLength, int outOff, int outer, int axis, int inner) {
        long cells = MapArgs.volume(kernel, outer, axis, inner);
        KernelArgs.fits(kernel, "y", yLength, yOff, cells);
        KernelArgs.fits(kernel, "grad", gradLength, gradOff, cells);
        KernelArgs.fits(kernel, "out", outLength, outOff, cells);
        MapArgs.inPlaceOrDisjoint(kernel, "out", out, outOff, cells, "y", y, yOff, cells);
        MapArgs.inPlaceOrDisjoint(kernel, "out", out, outOff, cells, "grad", grad, gradOff, cells);
    }

    // ---- float32 ----

    /** {@code out[r, :] = softmax(x[r, :])} for {@code x, out: [rows, cols]}. */
    public static void softmax(float[] x, int xOff, int ldx, float[] out, int outOff, int ldo, int rows, int cols) {
        MapArgs.matrixMap("softmax", "x", x, x.length, xOff, ldx, out, out.length, outOff, ldo, rows, cols);
        ReduceKernels.forRows(rows, cols, PARALLEL_MIN, r -> row(x, xOff + r * ldx, out, outOff + r * ldo, cols, false));
    }

    /** {@code out[r, :] = log_softmax(x[r, :])} for {@code x, out: [rows, cols]}. */
    public static void logSoftmax(float[] x, int xOff, int ldx, float[] out, int outOff, int ldo, int rows,
                                  int cols) {
        MapArgs.matrixMap("log_softmax", "x", x, x.length, xOff, ldx, out, out.length, outOff, ldo, rows, cols);
        ReduceKernels.forRows(rows, cols, PARALLEL_MIN, r -> row(x, xOff + r * ldx, out, outOff + r * ldo, cols, true));
    }

    /** Softmax backward per row: {@code out = y ⊙ (grad − Σ_c grad·y)} for {@code y, grad, out: [rows, cols]}. */
    public static void softmaxBackward(float[] y, int yOff, int ldy, float[] grad, int gradOff, int ldg, float[] out,
                                       int outOff, int ldo, int rows, int cols) {
        checkBackwardRows("softmax_backward", y, y.length, yOff, ldy, grad, grad.length, gradOff, ldg, out, out.length,
                outOff, ldo, rows, cols);
        ReduceKernels.forRows(rows, cols, PARALLEL_MIN, r -> rowBackward(y, yOff + r * ldy, grad, gradOff + r * ldg, out,
                outOff + r * ldo, cols, false));
    }

    /** Log-softmax backward per row: {@code out = grad − exp(y) · Σ_c grad}, y the saved log-probabilities. */
    public static void logSoftmaxBackward(float[] y, int yOff, int ldy, float[] grad, int gradOff, int ldg,
                                          float[] out, int outOff, int ldo, int rows, int cols) {
        checkBackwardRows("log_softmax_backward", y, y.length, yOff, ldy, grad, grad.length, gradOff, ldg, out,
                out.length, outOff, ldo, rows, cols);
        ReduceKernels.forRows(rows, cols, PARALLEL_MIN, r -> rowBackward(y, yOff + r * ldy, grad, gradOff + r * ldg, out,
                outOff + r * ldo, cols, true));
    }

    /** Softmax along the middle axis of a contiguous {@code x, out: [outer, axis, inner]}. */
    public static void softmaxAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("softmax", "x", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        slabs(x, xOff, out, outOff, outer, axis, inner, false);
    }

    /** Log-softmax along the middle axis of a contiguous {@code x, out: [outer, axis, inner]}. */
    public static void logSoftmaxAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("log_softmax", "x", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        slabs(x, xOff, out, outOff, outer, axis, inner, true);
    }

    /** Softmax backward along the middle axis: {@code out = y ⊙ (grad − Σ_a grad·y)}, all {@code [outer, axis, inner]}. */
    public static void softmaxAxisBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff,
                                           int outer, int axis, int inner) {
        checkBackwardAxis("softmax_backward", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                outer, axis, inner);
        slabsBackward(y, yOff, grad, gradOff, out, outOff, outer, axis, inner, false);
    }

    /** Log-softmax backward along the middle axis: {@code out = grad − exp(y) · Σ_a grad}. */
    public static void logSoftmaxAxisBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff,
                                              int outer, int axis, int inner) {
        checkBackwardAxis("log_softmax_backward", y, y.length, yOff, grad, grad.length, gradOff, out, out.length,
                outOff, outer, axis, inner);
        slabsBackward(y, yOff, grad, gradOff, out, outOff, outer, axis, inner, true);
    }

    private static void row(float[] x, int xOff, float[] out, int outOff, int n, boolean log) {
        if (n == 0) {
            return;
        }
        float max = ReduceKernels.maxRun(x, xOff, n);
        FloatVector shift = FloatVector.broadcast(S32, max);
        FloatVector acc = FloatVector.zero(S32);
        int step = S32.length();
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        for (int i = 0; i < bound; i += step) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S32, x, xOff + i).sub(shift));
            if (!log) {
                e.intoArray(out, outOff + i);
            }
            acc = acc.add(e);
        }
        if (bound < n) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S32, x, xOff + bound, tail).sub(shift));
            if (!log) {
                e.intoArray(out, outOff + bound, tail);
            }
            acc = acc.lanewise(VectorOperators.ADD, e, tail); // masked-off lanes hold exp(-max), not 0
        }
        float sum = Simd.sumLanes(acc);
        if (log) {
            FloatVector logSum = FloatVector.broadcast(S32, (float) Math.log(sum));
            for (int i = 0; i < bound; i += step) {
                FloatVector.fromArray(S32, x, xOff + i).sub(shift).sub(logSum).intoArray(out, outOff + i);
            }
            if (bound < n) {
                FloatVector.fromArray(S32, x, xOff + bound, tail).sub(shift).sub(logSum)
                        .intoArray(out, outOff + bound, tail);
            }
        } else {
            FloatVector total = FloatVector.broadcast(S32, sum);
            for (int i = 0; i < bound; i += step) {
                FloatVector.fromArray(S32, out, outOff + i).div(total).intoArray(out, outOff + i);
            }
            if (bound < n) {
                FloatVector.fromArray(S32, out, outOff + bound, tail).div(total).intoArray(out, outOff + bound, tail);
            }
        }
    }

    private static void rowBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff, int n,
                                    boolean log) {
        int step = S32.length();
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        FloatVector acc = FloatVector.zero(S32);
        // separate loops per form: a vector chosen through a ternary could be boxed by the JIT
        if (log) {
            for (int i = 0; i < bound; i += step) {
                acc = acc.add(FloatVector.fromArray(S32, grad, gradOff + i));
            }
            if (bound < n) {
                acc = acc.add(FloatVector.fromArray(S32, grad, gradOff + bound, tail));
            }
            FloatVector s = FloatVector.broadcast(S32, Simd.sumLanes(acc)); // s = Σ grad
            for (int i = 0; i < bound; i += step) {
                FloatVector e = VectorMath.exp(FloatVector.fromArray(S32, y, yOff + i));
                FloatVector.fromArray(S32, grad, gradOff + i).sub(e.mul(s)).intoArray(out, outOff + i);
            }
            if (bound < n) {
                FloatVector e = VectorMath.exp(FloatVector.fromArray(S32, y, yOff + bound, tail));
                FloatVector.fromArray(S32, grad, gradOff + bound, tail).sub(e.mul(s))
                        .intoArray(out, outOff + bound, tail);
            }
        } else {
            for (int i = 0; i < bound; i += step) {
                acc = FloatVector.fromArray(S32, grad, gradOff + i).fma(FloatVector.fromArray(S32, y, yOff + i), acc);
            }
            if (bound < n) {
                acc = FloatVector.fromArray(S32, grad, gradOff + bound, tail)
                        .fma(FloatVector.fromArray(S32, y, yOff + bound, tail), acc);
            }
            FloatVector s = FloatVector.broadcast(S32, Simd.sumLanes(acc)); // s = Σ grad·y
            for (int i = 0; i < bound; i += step) {
                FloatVector.fromArray(S32, y, yOff + i).mul(FloatVector.fromArray(S32, grad, gradOff + i).sub(s))
                        .intoArray(out, outOff + i);
            }
            if (bound < n) {
                FloatVector.fromArray(S32, y, yOff + bound, tail)
                        .mul(FloatVector.fromArray(S32, grad, gradOff + bound, tail).sub(s))
                        .intoArray(out, outOff + bound, tail);
            }
        }
    }

    private static void slabs(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner,
                              boolean log) {
        if (inner == 1) {
            ReduceKernels.forRows(outer, axis, PARALLEL_MIN, o -> row(x, xOff + o * axis, out, outOff + o * axis, axis, log));
            return;
        }
        int slab = axis * inner;
        ReduceKernels.forRows(outer, slab, PARALLEL_MIN, o -> {
            int base = o * slab;
            for (int i = 0; i < inner; i += S32.length()) {
                VectorMask<Float> lanes = S32.indexInRange(i, inner);
                int from = xOff + base + i;
                int to = outOff + base + i;
                FloatVector max = FloatVector.fromArray(S32, x, from, lanes);
                for (int a = 1; a < axis; a++) {
                    max = max.max(FloatVector.fromArray(S32, x, from + a * inner, lanes));
                }
                FloatVector sum = FloatVector.zero(S32);
                for (int a = 0; a < axis; a++) {
                    FloatVector e = VectorMath.exp(FloatVector.fromArray(S32, x, from + a * inner, lanes).sub(max));
                    if (!log) {
                        e.intoArray(out, to + a * inner, lanes);
                    }
                    sum = sum.add(e);
                }
                if (log) {
                    FloatVector logSum = VectorMath.log(sum);
                    for (int a = 0; a < axis; a++) {
                        FloatVector.fromArray(S32, x, from + a * inner, lanes).sub(max).sub(logSum)
                                .intoArray(out, to + a * inner, lanes);
                    }
                } else {
                    for (int a = 0; a < axis; a++) {
                        FloatVector.fromArray(S32, out, to + a * inner, lanes).div(sum)
                                .intoArray(out, to + a * inner, lanes);
                    }
                }
            }
        });
    }

    private static void slabsBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff,
                                      int outer, int axis, int inner, boolean log) {
        if (inner == 1) {
            ReduceKernels.forRows(outer, axis, PARALLEL_MIN, o -> rowBackward(y, yOff + o * axis, grad, gradOff + o * axis, out,
                    outOff + o * axis, axis, log));
            return;
        }
        int slab = axis * inner;
        ReduceKernels.forRows(outer, slab, PARALLEL_MIN, o -> {
            int base = o * slab;
            for (int i = 0; i < inner; i += S32.length()) {
                VectorMask<Float> lanes = S32.indexInRange(i, inner);
                FloatVector s = FloatVector.zero(S32);
                if (log) {
                    for (int a = 0; a < axis; a++) {
                        s = s.add(FloatVector.fromArray(S32, grad, gradOff + base + a * inner + i, lanes));
                    }
                    for (int a = 0; a < axis; a++) {
                        int at = base + a * inner + i;
                        FloatVector e = VectorMath.exp(FloatVector.fromArray(S32, y, yOff + at, lanes));
                        FloatVector.fromArray(S32, grad, gradOff + at, lanes).sub(e.mul(s))
                                .intoArray(out, outOff + at, lanes);
                    }
                } else {
                    for (int a = 0; a < axis; a++) {
                        int at = base + a * inner + i;
                        s = FloatVector.fromArray(S32, grad, gradOff + at, lanes)
                                .fma(FloatVector.fromArray(S32, y, yOff + at, lanes), s);
                    }
                    for (int a = 0; a < axis; a++) {
                        int at = base + a * inner + i;
                        FloatVector.fromArray(S32, y, yOff + at, lanes)
                                .mul(FloatVector.fromArray(S32, grad, gradOff + at, lanes).sub(s))
                                .intoArray(out, outOff + at, lanes);
                    }
                }
            }
        });
    }

    // ---- float64: the float32 code above, with double lanes ----

    /** {@code out[r, :] = softmax(x[r, :])} for {@code x, out: [rows, cols]}. */
    public static void softmax(double[] x, int xOff, int ldx, double[] out, int outOff, int ldo, int rows, int cols) {
        MapArgs.matrixMap("softmax", "x", x, x.length, xOff, ldx, out, out.length, outOff, ldo, rows, cols);
        ReduceKernels.forRows(rows, cols, PARALLEL_MIN, r -> row(x, xOff + r * ldx, out, outOff + r * ldo, cols, false));
    }

    /** {@code out[r, :] = log_softmax(x[r, :])} for {@code x, out: [rows, cols]}. */
    public static void logSoftmax(double[] x, int xOff, int ldx, double[] out, int outOff, int ldo, int rows,
                                  int cols) {
        MapArgs.matrixMap("log_softmax", "x", x, x.length, xOff, ldx, out, out.length, outOff, ldo, rows, cols);
        ReduceKernels.forRows(rows, cols, PARALLEL_MIN, r -> row(x, xOff + r * ldx, out, outOff + r * ldo, cols, true));
    }

    /** Softmax backward per row: {@code out = y ⊙ (grad − Σ_c grad·y)} for {@code y, grad, out: [rows, cols]}. */
    public static void softmaxBackward(double[] y, int yOff, int ldy, double[] grad, int gradOff, int ldg, double[] out,
                                       int outOff, int ldo, int rows, int cols) {
        checkBackwardRows("softmax_backward", y, y.length, yOff, ldy, grad, grad.length, gradOff, ldg, out, out.length,
                outOff, ldo, rows, cols);
        ReduceKernels.forRows(rows, cols, PARALLEL_MIN, r -> rowBackward(y, yOff + r * ldy, grad, gradOff + r * ldg, out,
                outOff + r * ldo, cols, false));
    }

    /** Log-softmax backward per row: {@code out = grad − exp(y) · Σ_c grad}, y the saved log-probabilities. */
    public static void logSoftmaxBackward(double[] y, int yOff, int ldy, double[] grad, int gradOff, int ldg,
                                          double[] out, int outOff, int ldo, int rows, int cols) {
        checkBackwardRows("log_softmax_backward", y, y.length, yOff, ldy, grad, grad.length, gradOff, ldg, out,
                out.length, outOff, ldo, rows, cols);
        ReduceKernels.forRows(rows, cols, PARALLEL_MIN, r -> rowBackward(y, yOff + r * ldy, grad, gradOff + r * ldg, out,
                outOff + r * ldo, cols, true));
    }

    /** Softmax along the middle axis of a contiguous {@code x, out: [outer, axis, inner]}. */
    public static void softmaxAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("softmax", "x", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        slabs(x, xOff, out, outOff, outer, axis, inner, false);
    }

    /** Log-softmax along the middle axis of a contiguous {@code x, out: [outer, axis, inner]}. */
    public static void logSoftmaxAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        checkAxis("log_softmax", "x", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        slabs(x, xOff, out, outOff, outer, axis, inner, true);
    }

    /** Softmax backward along the middle axis: {@code out = y ⊙ (grad − Σ_a grad·y)}, all {@code [outer, axis, inner]}. */
    public static void softmaxAxisBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff,
                                           int outer, int axis, int inner) {
        checkBackwardAxis("softmax_backward", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                outer, axis, inner);
        slabsBackward(y, yOff, grad, gradOff, out, outOff, outer, axis, inner, false);
    }

    /** Log-softmax backward along the middle axis: {@code out = grad − exp(y) · Σ_a grad}. */
    public static void logSoftmaxAxisBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff,
                                              int outer, int axis, int inner) {
        checkBackwardAxis("log_softmax_backward", y, y.length, yOff, grad, grad.length, gradOff, out, out.length,
                outOff, outer, axis, inner);
        slabsBackward(y, yOff, grad, gradOff, out, outOff, outer, axis, inner, true);
    }

    private static void row(double[] x, int xOff, double[] out, int outOff, int n, boolean log) {
        if (n == 0) {
            return;
        }
        double max = ReduceKernels.maxRun(x, xOff, n);
        DoubleVector shift = DoubleVector.broadcast(S64, max);
        DoubleVector acc = DoubleVector.zero(S64);
        int step = S64.length();
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        for (int i = 0; i < bound; i += step) {
            DoubleVector e = VectorMath.exp(DoubleVector.fromArray(S64, x, xOff + i).sub(shift));
            if (!log) {
                e.intoArray(out, outOff + i);
            }
            acc = acc.add(e);
        }
        if (bound < n) {
            DoubleVector e = VectorMath.exp(DoubleVector.fromArray(S64, x, xOff + bound, tail).sub(shift));
            if (!log) {
                e.intoArray(out, outOff + bound, tail);
            }
            acc = acc.lanewise(VectorOperators.ADD, e, tail); // masked-off lanes hold exp(-max), not 0
        }
        double sum = Simd.sumLanes(acc);
        if (log) {
            DoubleVector logSum = DoubleVector.broadcast(S64, Math.log(sum));
            for (int i = 0; i < bound; i += step) {
                DoubleVector.fromArray(S64, x, xOff + i).sub(shift).sub(logSum).intoArray(out, outOff + i);
            }
            if (bound < n) {
                DoubleVector.fromArray(S64, x, xOff + bound, tail).sub(shift).sub(logSum)
                        .intoArray(out, outOff + bound, tail);
            }
        } else {
            DoubleVector total = DoubleVector.broadcast(S64, sum);
            for (int i = 0; i < bound; i += step) {
                DoubleVector.fromArray(S64, out, outOff + i).div(total).intoArray(out, outOff + i);
            }
            if (bound < n) {
                DoubleVector.fromArray(S64, out, outOff + bound, tail).div(total).intoArray(out, outOff + bound, tail);
            }
        }
    }

    private static void rowBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff, int n,
                                    boolean log) {
        int step = S64.length();
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        DoubleVector acc = DoubleVector.zero(S64);
        // separate loops per form: a vector chosen through a ternary could be boxed by the JIT
        if (log) {
            for (int i = 0; i < bound; i += step) {
                acc = acc.add(DoubleVector.fromArray(S64, grad, gradOff + i));
            }
            if (bound < n) {
                acc = acc.add(DoubleVector.fromArray(S64, grad, gradOff + bound, tail));
            }
            DoubleVector s = DoubleVector.broadcast(S64, Simd.sumLanes(acc)); // s = Σ grad
            for (int i = 0; i < bound; i += step) {
                DoubleVector e = VectorMath.exp(DoubleVector.fromArray(S64, y, yOff + i));
                DoubleVector.fromArray(S64, grad, gradOff + i).sub(e.mul(s)).intoArray(out, outOff + i);
            }
            if (bound < n) {
                DoubleVector e = VectorMath.exp(DoubleVector.fromArray(S64, y, yOff + bound, tail));
                DoubleVector.fromArray(S64, grad, gradOff + bound, tail).sub(e.mul(s))
                        .intoArray(out, outOff + bound, tail);
            }
        } else {
            for (int i = 0; i < bound; i += step) {
                acc = DoubleVector.fromArray(S64, grad, gradOff + i).fma(DoubleVector.fromArray(S64, y, yOff + i), acc);
            }
            if (bound < n) {
                acc = DoubleVector.fromArray(S64, grad, gradOff + bound, tail)
                        .fma(DoubleVector.fromArray(S64, y, yOff + bound, tail), acc);
            }
            DoubleVector s = DoubleVector.broadcast(S64, Simd.sumLanes(acc)); // s = Σ grad·y
            for (int i = 0; i < bound; i += step) {
                DoubleVector.fromArray(S64, y, yOff + i).mul(DoubleVector.fromArray(S64, grad, gradOff + i).sub(s))
                        .intoArray(out, outOff + i);
            }
            if (bound < n) {
                DoubleVector.fromArray(S64, y, yOff + bound, tail)
                        .mul(DoubleVector.fromArray(S64, grad, gradOff + bound, tail).sub(s))
                        .intoArray(out, outOff + bound, tail);
            }
        }
    }

    private static void slabs(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner,
                              boolean log) {
        if (inner == 1) {
            ReduceKernels.forRows(outer, axis, PARALLEL_MIN, o -> row(x, xOff + o * axis, out, outOff + o * axis, axis, log));
            return;
        }
        int slab = axis * inner;
        ReduceKernels.forRows(outer, slab, PARALLEL_MIN, o -> {
            int base = o * slab;
            for (int i = 0; i < inner; i += S64.length()) {
                VectorMask<Double> lanes = S64.indexInRange(i, inner);
                int from = xOff + base + i;
                int to = outOff + base + i;
                DoubleVector max = DoubleVector.fromArray(S64, x, from, lanes);
                for (int a = 1; a < axis; a++) {
                    max = max.max(DoubleVector.fromArray(S64, x, from + a * inner, lanes));
                }
                DoubleVector sum = DoubleVector.zero(S64);
                for (int a = 0; a < axis; a++) {
                    DoubleVector e = VectorMath.exp(DoubleVector.fromArray(S64, x, from + a * inner, lanes).sub(max));
                    if (!log) {
                        e.intoArray(out, to + a * inner, lanes);
                    }
                    sum = sum.add(e);
                }
                if (log) {
                    DoubleVector logSum = VectorMath.log(sum);
                    for (int a = 0; a < axis; a++) {
                        DoubleVector.fromArray(S64, x, from + a * inner, lanes).sub(max).sub(logSum)
                                .intoArray(out, to + a * inner, lanes);
                    }
                } else {
                    for (int a = 0; a < axis; a++) {
                        DoubleVector.fromArray(S64, out, to + a * inner, lanes).div(sum)
                                .intoArray(out, to + a * inner, lanes);
                    }
                }
            }
        });
    }

    private static void slabsBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff,
                                      int outer, int axis, int inner, boolean log) {
        if (inner == 1) {
            ReduceKernels.forRows(outer, axis, PARALLEL_MIN, o -> rowBackward(y, yOff + o * axis, grad, gradOff + o * axis, out,
                    outOff + o * axis, axis, log));
            return;
        }
        int slab = axis * inner;
        ReduceKernels.forRows(outer, slab, PARALLEL_MIN, o -> {
            int base = o * slab;
            for (int i = 0; i < inner; i += S64.length()) {
                VectorMask<Double> lanes = S64.indexInRange(i, inner);
                DoubleVector s = DoubleVector.zero(S64);
                if (log) {
                    for (int a = 0; a < axis; a++) {
                        s = s.add(DoubleVector.fromArray(S64, grad, gradOff + base + a * inner + i, lanes));
                    }
                    for (int a = 0; a < axis; a++) {
                        int at = base + a * inner + i;
                        DoubleVector e = VectorMath.exp(DoubleVector.fromArray(S64, y, yOff + at, lanes));
                        DoubleVector.fromArray(S64, grad, gradOff + at, lanes).sub(e.mul(s))
                                .intoArray(out, outOff + at, lanes);
                    }
                } else {
                    for (int a = 0; a < axis; a++) {
                        int at = base + a * inner + i;
                        s = DoubleVector.fromArray(S64, grad, gradOff + at, lanes)
                                .fma(DoubleVector.fromArray(S64, y, yOff + at, lanes), s);
                    }
                    for (int a = 0; a < axis; a++) {
                        int at = base + a * inner + i;
                        DoubleVector.fromArray(S64, y, yOff + at, lanes)
                                .mul(DoubleVector.fromArray(S64, grad, gradOff + at, lanes).sub(s))
                                .intoArray(out, outOff + at, lanes);
                    }
                }
            }
        });
    }

}
