package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise maps on contiguous runs of primitive arrays: unary maps {@code out[i] = f(x[i])} and
 * their derivatives {@code out[i] = grad[i] * f'(x[i])}, binary maps {@code out = a op b} for equal
 * shapes and for broadcasts (row {@code [rows, cols] op [cols]}, column {@code [rows, cols] op [rows]},
 * scalar, and general strided with stride 0 on broadcast dimensions), and axpy, scale and fill.
 * SIMD twin of {@link ElementwiseReference}.
 *
 * <p><b>Loop shape.</b> A full-vector loop, then one masked vector step for the tail, so every
 * element of one call goes through the same lane-wise code (no scalar tail that rounds differently).
 *
 * <p><b>Transcendentals.</b> exp, expm1, tanh, log and log1p (and everything built on them: sigmoid,
 * elu, softplus, their derivatives, {@link SoftmaxKernels}) use {@code VectorMath}: range-reduced
 * polynomials made only of exactly rounded vector operations, within 2 ulp of {@code Math} (tested),
 * giving the same bits whether the JIT has compiled the kernel or not. The Vector API's own
 * {@code VectorOperators.EXP} etc. do not: compiled they call an intrinsic stub, cold they call
 * {@code Math} per lane, and about 1% of results differed in the last bit between a cold and a warm
 * call, which made early training steps irreproducible. pow runs {@code Math.pow} per element
 * ({@code exp(b log a)} would lose |b log a| ulp; the lane-wise operator has the caveat above). Measured on the
 * loaded AVX-512 build machine (4096 floats): {@code VectorMath.exp} about 1.2 ns/element against 0.6
 * for {@code VectorOperators.EXP} and 4.7 for a scalar {@code Math.exp} loop. Exact maps (add, mul,
 * relu, ...) and all reductions are bit-for-bit stable.
 *
 * <p><b>FMA.</b> No kernel here fuses a multiply and an add (axpy rounds the product, then the sum),
 * and neither does the reference, so exact maps agree bit for bit with {@link ElementwiseReference}.
 *
 * <p><b>NaN.</b> NaN propagates through max, min, relu, leaky relu, clamp and every arithmetic map,
 * as {@code Math.max} does (never as a lane-wise {@code a > b ? a : b}, which drops NaN).
 *
 * <p><b>Threads.</b> Unary maps, derivatives, same-shape and scalar binary maps, axpy, scale and fill
 * of at least {@link #PARALLEL_MIN} elements are split into fixed chunks of {@link #CHUNK} on
 * {@link Parallel}'s pool; every element is computed by the same lane-wise code wherever its chunk
 * runs, so the output is bit-identical for any thread count. Row, column and strided broadcasts run
 * on the calling thread.
 *
 * <p><b>Aliasing.</b> Every map may run in place: {@code out} may be an input with the identical
 * offset (and leading dimension). Any other overlap of an output with an input is rejected.
 *
 * <p><b>Conventions at kinks</b> (PyTorch's): relu'(0) = 0, leaky relu'(0) = slope, elu'(0) uses the
 * negative branch, abs'(0) = 0, clamp passes the gradient at the bounds ({@code min <= x <= max}).
 */
public final class ElementwiseKernels {
    /**
     * Maps of at least this many elements run on {@link Parallel}'s pool in chunks of {@link #CHUNK}
     * (a multiple of every lane count). Each element's result does not depend on the chunking, so
     * the output is the same for any thread count.
     */
    public static final int PARALLEL_MIN = 1 << 18;
    /** Elements per parallel task. */
    public static final int CHUNK = 1 << 15;
    private static final VectorSpecies<Float> S32 = Simd.F32;
    private static final VectorSpecies<Double> S64 = Simd.F64;

    private ElementwiseKernels() {}

    /** A binary elementwise operation; {@link #apply(float, float)} is its scalar definition. */
    public enum Binary {
        ADD("add"), SUB("sub"), MUL("mul"), DIV("div"), POW("pow"),
        /** NaN-propagating maximum, {@code Math.max}. */
        MAX("maximum"),
        /** NaN-propagating minimum, {@code Math.min}. */
        MIN("minimum");

        private final String torchName;

        Binary(String torchName) {
            this.torchName = torchName;
        }

        /** PyTorch's name of the op, used in error messages. */
        public String torchName() {
            return torchName;
        }

        /** {@code a op b} in float32 arithmetic ({@code pow} rounded from double). */
        public float apply(float a, float b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case POW -> (float) Math.pow(a, b);
                case MAX -> Math.max(a, b);
                case MIN -> Math.min(a, b);
            };
        }

        /** {@code a op b} in float64 arithmetic. */
        public double apply(double a, double b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case POW -> Math.pow(a, b);
                case MAX -> Math.max(a, b);
                case MIN -> Math.min(a, b);
            };
        }
    }

    /** Checks shared with the reference for the strided broadcast; returns nothing, throws before any write. */
    static void checkStrided(String kernel, int[] shape, int aLength, int aOff, int[] aStrides, Object a,
                             int bLength, int bOff, int[] bStrides, Object b, int outLength, int outOff, Object out) {
        if (shape == null || aStrides == null || bStrides == null) {
            throw KernelArgs.fail(kernel, "shape or strides missing", "null", "int arrays of equal length");
        }
        if (aStrides.length != shape.length || bStrides.length != shape.length) {
            throw KernelArgs.fail(kernel, "strides do not match the rank", "rank " + shape.length + ", a strides "
                    + java.util.Arrays.toString(aStrides) + ", b strides " + java.util.Arrays.toString(bStrides),
                    shape.length + " strides per operand");
        }
        long volume = 1;
        long aSpan = 1;
        long bSpan = 1;
        for (int d = 0; d < shape.length; d++) {
            KernelArgs.nonNegative(kernel, "shape[" + d + "]", shape[d]);
            KernelArgs.nonNegative(kernel, "aStrides[" + d + "]", aStrides[d]);
            KernelArgs.nonNegative(kernel, "bStrides[" + d + "]", bStrides[d]);
            volume *= shape[d];
            if (volume > Integer.MAX_VALUE) {
                throw KernelArgs.fail(kernel, "output is larger than an array", "shape "
                        + java.util.Arrays.toString(shape), "at most " + Integer.MAX_VALUE + " elements");
            }
        }
        if (volume == 0) {
            KernelArgs.fits(kernel, "a", aLength, aOff, 0);
            KernelArgs.fits(kernel, "b", bLength, bOff, 0);
            KernelArgs.fits(kernel, "out", outLength, outOff, 0);
            return;
        }
        boolean aDense = true;
        boolean bDense = true;
        long dense = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            aSpan += (long) (shape[d] - 1) * aStrides[d];
            bSpan += (long) (shape[d] - 1) * bStrides[d];
            if (shape[d] > 1) {
                aDense &= aStrides[d] == dense;
                bDense &= bStrides[d] == dense;
            }
            dense *= shape[d];
        }
        KernelArgs.fits(kernel, "a", aLength, aOff, aSpan);
        KernelArgs.fits(kernel, "b", bLength, bOff, bSpan);
        KernelArgs.fits(kernel, "out", outLength, outOff, volume);
        if (!(a == out && aOff == outOff && aDense)) {
            KernelArgs.disjoint(kernel, "out", out, outOff, volume, "a", a, aOff, aSpan);
        }
        if (!(b == out && bOff == outOff && bDense)) {
            KernelArgs.disjoint(kernel, "out", out, outOff, volume, "b", b, bOff, bSpan);
        }
    }

    static void checkParameter(String kernel, String name, double value) {
        if (Double.isNaN(value)) {
            throw KernelArgs.fail(kernel, name + " is NaN", name + " = NaN", "a number");
        }
    }

    private static int volume(int[] shape) {
        int v = 1;
        for (int size : shape) {
            v *= size;
        }
        return v;
    }

    // ---- float32 ----

    /** {@code out[i] = -x[i]} for i in [0, n). Its own derivative: the backward of neg is {@code neg(grad)}. */
    public static void neg(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("neg", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> negRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            negRange(x, xOff, out, outOff, 0, n);
        }
    }

    // The *Range methods below compute cells [from, end) of their kernel; from is a multiple of the lanes.

    private static void negRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, x, xOff + i).neg().intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, x, xOff + i, tail).neg().intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = |x[i]|}. */
    public static void abs(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("abs", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> absRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            absRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void absRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, x, xOff + i).abs().intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, x, xOff + i, tail).abs().intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = exp(x[i])}. */
    public static void exp(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("exp", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> expRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            expRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void expRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            VectorMath.exp(FloatVector.fromArray(S32, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            VectorMath.exp(FloatVector.fromArray(S32, x, xOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = ln(x[i])}. */
    public static void log(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("log", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> logRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            logRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void logRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            VectorMath.log(FloatVector.fromArray(S32, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            VectorMath.log(FloatVector.fromArray(S32, x, xOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = sqrt(x[i])} (correctly rounded). */
    public static void sqrt(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("sqrt", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> sqrtRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            sqrtRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void sqrtRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, x, xOff + i).sqrt().intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, x, xOff + i, tail).sqrt().intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = x[i]^2}. */
    public static void square(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("square", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> squareRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            squareRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void squareRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i);
            v.mul(v).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i, tail);
            v.mul(v).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = tanh(x[i])}. */
    public static void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("tanh", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> tanhRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            tanhRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void tanhRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            VectorMath.tanh(FloatVector.fromArray(S32, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            VectorMath.tanh(FloatVector.fromArray(S32, x, xOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /**
     * {@code out[i] = 1 / (1 + exp(-x[i]))}. Stable at both ends: for x far below 0, exp(-x) is +inf
     * and the quotient is exactly 0; for x far above 0 it is 1.
     */
    public static void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("sigmoid", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> sigmoidRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            sigmoidRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void sigmoidRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            sigmoidOf(FloatVector.fromArray(S32, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            sigmoidOf(FloatVector.fromArray(S32, x, xOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    private static FloatVector sigmoidOf(FloatVector v) {
        FloatVector one = FloatVector.broadcast(S32, 1f);
        return one.div(VectorMath.exp(v.neg()).add(one));
    }

    /** {@code out[i] = max(x[i], 0)}; NaN stays NaN. */
    public static void relu(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("relu", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> reluRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            reluRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void reluRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, x, xOff + i).max(0f).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, x, xOff + i, tail).max(0f).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = x[i] > 0 ? x[i] : slope * x[i]}; NaN stays NaN. */
    public static void leakyRelu(float[] x, int xOff, float[] out, int outOff, int n, float slope) {
        MapArgs.unary("leaky_relu", x, x.length, xOff, out, out.length, outOff, n);
        checkParameter("leaky_relu", "slope", slope);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> leakyReluRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), slope));
        } else {
            leakyReluRange(x, xOff, out, outOff, 0, n, slope);
        }
    }

    private static void leakyReluRange(float[] x, int xOff, float[] out, int outOff, int from, int end, float slope) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i, tail);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = x[i] > 0 ? x[i] : alpha * (exp(x[i]) - 1)}, the -1 through expm1 for accuracy near 0. */
    public static void elu(float[] x, int xOff, float[] out, int outOff, int n, float alpha) {
        MapArgs.unary("elu", x, x.length, xOff, out, out.length, outOff, n);
        checkParameter("elu", "alpha", alpha);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> eluRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), alpha));
        } else {
            eluRange(x, xOff, out, outOff, 0, n, alpha);
        }
    }

    private static void eluRange(float[] x, int xOff, float[] out, int outOff, int from, int end, float alpha) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i);
            VectorMath.expm1(v).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i, tail);
            VectorMath.expm1(v).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /**
     * {@code out[i] = ln(1 + exp(x[i]))}, computed as {@code max(x, 0) + log1p(exp(-|x|))} so that it
     * neither overflows for large x nor loses the small tail for very negative x.
     */
    public static void softplus(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("softplus", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> softplusRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            softplusRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void softplusRange(float[] x, int xOff, float[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            softplusOf(FloatVector.fromArray(S32, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            softplusOf(FloatVector.fromArray(S32, x, xOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    private static FloatVector softplusOf(FloatVector v) {
        return v.max(0f).add(VectorMath.log1p(VectorMath.exp(v.abs().neg())));
    }

    /**
     * PyTorch's {@code softplus(x, beta, threshold)}: {@code out[i] = x[i]} where {@code beta * x[i] >
     * threshold}, else {@code ln(1 + exp(beta * x[i])) / beta} (computed stably as in
     * {@link #softplus(float[], int, float[], int, int)}).
     */
    public static void softplus(float[] x, int xOff, float[] out, int outOff, int n, float beta, float threshold) {
        MapArgs.unary("softplus", x, x.length, xOff, out, out.length, outOff, n);
        checkBeta(beta, threshold);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> softplusRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), beta, threshold));
        } else {
            softplusRange(x, xOff, out, outOff, 0, n, beta, threshold);
        }
    }

    private static void softplusRange(float[] x, int xOff, float[] out, int outOff,
                                      int from, int end, float beta, float threshold) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i);
            FloatVector scaled = v.mul(beta);
            softplusOf(scaled).div(beta).blend(v, scaled.compare(VectorOperators.GT, threshold))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i, tail);
            FloatVector scaled = v.mul(beta);
            softplusOf(scaled).div(beta).blend(v, scaled.compare(VectorOperators.GT, threshold))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = min(max(x[i], min), max)}; NaN stays NaN (PyTorch's clamp). */
    public static void clamp(float[] x, int xOff, float[] out, int outOff, int n, float min, float max) {
        MapArgs.unary("clamp", x, x.length, xOff, out, out.length, outOff, n);
        checkBounds(min, max);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> clampRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), min, max));
        } else {
            clampRange(x, xOff, out, outOff, 0, n, min, max);
        }
    }

    private static void clampRange(float[] x, int xOff, float[] out, int outOff,
                                   int from, int end, float min, float max) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, x, xOff + i).max(min).min(max).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, x, xOff + i, tail).max(min).min(max).intoArray(out, outOff + i, tail);
        }
    }

    /** abs backward: {@code out[i] = grad[i] * signum(x[i])} (0 at x = 0; NaN at NaN). */
    public static void absBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("abs_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> absBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            absBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void absBackwardRange(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                         int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i);
            signumOf(v).mul(FloatVector.fromArray(S32, grad, gradOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i, tail);
            signumOf(v).mul(FloatVector.fromArray(S32, grad, gradOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code Math.signum} lane-wise: ±0 and NaN map to themselves, everything else to ±1. */
    private static FloatVector signumOf(FloatVector v) {
        return v.blend(1f, v.compare(VectorOperators.GT, 0f)).blend(-1f, v.compare(VectorOperators.LT, 0f));
    }

    /** exp backward from the saved output: {@code out[i] = grad[i] * y[i]}. */
    public static void expBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("exp_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> expBackwardRange(y, yOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            expBackwardRange(y, yOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void expBackwardRange(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff,
                                         int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, grad, gradOff + i).mul(FloatVector.fromArray(S32, y, yOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, grad, gradOff + i, tail).mul(FloatVector.fromArray(S32, y, yOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** log backward: {@code out[i] = grad[i] / x[i]}. */
    public static void logBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("log_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> logBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            logBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void logBackwardRange(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                         int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, grad, gradOff + i).div(FloatVector.fromArray(S32, x, xOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, grad, gradOff + i, tail).div(FloatVector.fromArray(S32, x, xOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** sqrt backward from the saved output: {@code out[i] = grad[i] / (2 * y[i])} (PyTorch's rule; inf at y = 0). */
    public static void sqrtBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("sqrt_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> sqrtBackwardRange(y, yOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            sqrtBackwardRange(y, yOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void sqrtBackwardRange(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff,
                                          int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector twiceY = FloatVector.fromArray(S32, y, yOff + i).mul(2f);
            FloatVector.fromArray(S32, grad, gradOff + i).div(twiceY).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector twiceY = FloatVector.fromArray(S32, y, yOff + i, tail).mul(2f);
            FloatVector.fromArray(S32, grad, gradOff + i, tail).div(twiceY).intoArray(out, outOff + i, tail);
        }
    }

    /** square backward: {@code out[i] = (2 * x[i]) * grad[i]}. */
    public static void squareBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("square_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> squareBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            squareBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void squareBackwardRange(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                            int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, x, xOff + i).mul(2f).mul(FloatVector.fromArray(S32, grad, gradOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, x, xOff + i, tail).mul(2f)
                    .mul(FloatVector.fromArray(S32, grad, gradOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    /** tanh backward from the saved output: {@code out[i] = grad[i] * (1 - y[i]^2)}. */
    public static void tanhBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("tanh_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> tanhBackwardRange(y, yOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            tanhBackwardRange(y, yOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void tanhBackwardRange(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff,
                                          int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, y, yOff + i);
            FloatVector.broadcast(S32, 1f).sub(v.mul(v)).mul(FloatVector.fromArray(S32, grad, gradOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector v = FloatVector.fromArray(S32, y, yOff + i, tail);
            FloatVector.broadcast(S32, 1f).sub(v.mul(v)).mul(FloatVector.fromArray(S32, grad, gradOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** sigmoid backward from the saved output: {@code out[i] = (grad[i] * y[i]) * (1 - y[i])}. */
    public static void sigmoidBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("sigmoid_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> sigmoidBackwardRange(y, yOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            sigmoidBackwardRange(y, yOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void sigmoidBackwardRange(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff,
                                             int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, y, yOff + i);
            FloatVector.fromArray(S32, grad, gradOff + i).mul(v).mul(FloatVector.broadcast(S32, 1f).sub(v))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector v = FloatVector.fromArray(S32, y, yOff + i, tail);
            FloatVector.fromArray(S32, grad, gradOff + i, tail).mul(v).mul(FloatVector.broadcast(S32, 1f).sub(v))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** relu backward: {@code out[i] = x[i] > 0 ? grad[i] : 0} (relu'(0) = 0; NaN input gives 0, as PyTorch's threshold_backward). */
    public static void reluBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("relu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> reluBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            reluBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void reluBackwardRange(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                          int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(S32, x, xOff + i).compare(VectorOperators.GT, 0f);
            FloatVector.zero(S32).blend(FloatVector.fromArray(S32, grad, gradOff + i), positive)
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            VectorMask<Float> positive = FloatVector.fromArray(S32, x, xOff + i, tail).compare(VectorOperators.GT, 0f);
            FloatVector.zero(S32).blend(FloatVector.fromArray(S32, grad, gradOff + i, tail), positive)
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** leaky relu backward: {@code out[i] = x[i] > 0 ? grad[i] : slope * grad[i]}. */
    public static void leakyReluBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n,
                                         float slope) {
        MapArgs.backward("leaky_relu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        checkParameter("leaky_relu_backward", "slope", slope);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> leakyReluBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK), slope));
        } else {
            leakyReluBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n, slope);
        }
    }

    private static void leakyReluBackwardRange(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                               int from, int end, float slope) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(S32, x, xOff + i).compare(VectorOperators.GT, 0f);
            FloatVector g = FloatVector.fromArray(S32, grad, gradOff + i);
            g.mul(slope).blend(g, positive).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            VectorMask<Float> positive = FloatVector.fromArray(S32, x, xOff + i, tail).compare(VectorOperators.GT, 0f);
            FloatVector g = FloatVector.fromArray(S32, grad, gradOff + i, tail);
            g.mul(slope).blend(g, positive).intoArray(out, outOff + i, tail);
        }
    }

    /** elu backward: {@code out[i] = x[i] > 0 ? grad[i] : grad[i] * (alpha * exp(x[i]))}. */
    public static void eluBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n,
                                   float alpha) {
        MapArgs.backward("elu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        checkParameter("elu_backward", "alpha", alpha);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> eluBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK), alpha));
        } else {
            eluBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n, alpha);
        }
    }

    private static void eluBackwardRange(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                         int from, int end, float alpha) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i);
            FloatVector g = FloatVector.fromArray(S32, grad, gradOff + i);
            VectorMath.exp(v).mul(alpha).mul(g).blend(g, v.compare(VectorOperators.GT, 0f))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i, tail);
            FloatVector g = FloatVector.fromArray(S32, grad, gradOff + i, tail);
            VectorMath.exp(v).mul(alpha).mul(g).blend(g, v.compare(VectorOperators.GT, 0f))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** softplus backward: {@code out[i] = grad[i] * sigmoid(x[i])}. */
    public static void softplusBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                        int n) {
        MapArgs.backward("softplus_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> softplusBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            softplusBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void softplusBackwardRange(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                              int from, int end) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            sigmoidOf(FloatVector.fromArray(S32, x, xOff + i)).mul(FloatVector.fromArray(S32, grad, gradOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            sigmoidOf(FloatVector.fromArray(S32, x, xOff + i, tail))
                    .mul(FloatVector.fromArray(S32, grad, gradOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    /**
     * Backward of {@link #softplus(float[], int, float[], int, int, float, float)}: {@code out[i] =
     * grad[i]} where {@code beta * x[i] > threshold}, else {@code grad[i] * sigmoid(beta * x[i])}.
     */
    public static void softplusBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                        int n, float beta, float threshold) {
        MapArgs.backward("softplus_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        checkBeta(beta, threshold);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> softplusBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK), beta, threshold));
        } else {
            softplusBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n, beta, threshold);
        }
    }

    private static void softplusBackwardRange(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                              int from, int end, float beta, float threshold) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector scaled = FloatVector.fromArray(S32, x, xOff + i).mul(beta);
            FloatVector g = FloatVector.fromArray(S32, grad, gradOff + i);
            sigmoidOf(scaled).mul(g).blend(g, scaled.compare(VectorOperators.GT, threshold))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector scaled = FloatVector.fromArray(S32, x, xOff + i, tail).mul(beta);
            FloatVector g = FloatVector.fromArray(S32, grad, gradOff + i, tail);
            sigmoidOf(scaled).mul(g).blend(g, scaled.compare(VectorOperators.GT, threshold))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** clamp backward: {@code out[i] = min <= x[i] <= max ? grad[i] : 0} (the gradient passes at the bounds). */
    public static void clampBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n,
                                     float min, float max) {
        MapArgs.backward("clamp_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        checkBounds(min, max);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> clampBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK), min, max));
        } else {
            clampBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n, min, max);
        }
    }

    private static void clampBackwardRange(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                           int from, int end, float min, float max) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i);
            VectorMask<Float> inside = v.compare(VectorOperators.GE, min).and(v.compare(VectorOperators.LE, max));
            FloatVector.zero(S32).blend(FloatVector.fromArray(S32, grad, gradOff + i), inside)
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector v = FloatVector.fromArray(S32, x, xOff + i, tail);
            VectorMask<Float> inside = v.compare(VectorOperators.GE, min).and(v.compare(VectorOperators.LE, max));
            FloatVector.zero(S32).blend(FloatVector.fromArray(S32, grad, gradOff + i, tail), inside)
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = a[i] + b[i]}. */
    public static void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.ADD, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] - b[i]}. */
    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.SUB, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] * b[i]}. */
    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.MUL, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] / b[i]}. */
    public static void div(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.DIV, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] ^ b[i]} ({@code Math.pow} semantics). */
    public static void pow(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.POW, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = max(a[i], b[i])}, NaN-propagating. */
    public static void max(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.MAX, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = min(a[i], b[i])}, NaN-propagating. */
    public static void min(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.MIN, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] op b[i]} for i in [0, n); out may be a or b in place. */
    public static void binary(Binary op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        MapArgs.binary(op.torchName(), a, a.length, aOff, b, b.length, bOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK), c -> runVectorVector(op, a, aOff + c * CHUNK, b,
                    bOff + c * CHUNK, out, outOff + c * CHUNK, Math.min(CHUNK, n - c * CHUNK)));
        } else {
            runVectorVector(op, a, aOff, b, bOff, out, outOff, n);
        }
    }

    /** {@code out[i] = a[i] op b} for a scalar b; out may be a in place. */
    public static void binaryScalar(Binary op, float[] a, int aOff, float b, float[] out, int outOff, int n) {
        MapArgs.unary(op.torchName(), a, a.length, aOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK), c -> runVectorScalar(op, a, aOff + c * CHUNK, b,
                    out, outOff + c * CHUNK, Math.min(CHUNK, n - c * CHUNK)));
        } else {
            runVectorScalar(op, a, aOff, b, out, outOff, n);
        }
    }

    /**
     * Row broadcast: {@code out[r, c] = a[r, c] op b[c]} for {@code a, out: [rows, cols]} (leading
     * dimensions lda, ldo) and {@code b: [cols]}. out may be a in place (same offset and leading dimension).
     */
    public static void binaryRow(Binary op, float[] a, int aOff, int lda, float[] b, int bOff, float[] out, int outOff,
                                 int ldo, int rows, int cols) {
        String kernel = op.torchName();
        MapArgs.matrixMap(kernel, "a", a, a.length, aOff, lda, out, out.length, outOff, ldo, rows, cols);
        KernelArgs.fits(kernel, "b", b.length, bOff, rows == 0 ? 0 : cols);
        KernelArgs.disjoint(kernel, "out", out, outOff, MapArgs.span(rows, cols, ldo), "b", b, bOff,
                rows == 0 ? 0 : cols);
        for (int r = 0; r < rows; r++) {
            runVectorVector(op, a, aOff + r * lda, b, bOff, out, outOff + r * ldo, cols);
        }
    }

    /**
     * Column broadcast: {@code out[r, c] = a[r, c] op b[r]} for {@code a, out: [rows, cols]} and
     * {@code b: [rows]}. out may be a in place (same offset and leading dimension).
     */
    public static void binaryColumn(Binary op, float[] a, int aOff, int lda, float[] b, int bOff, float[] out,
                                    int outOff, int ldo, int rows, int cols) {
        String kernel = op.torchName();
        MapArgs.matrixMap(kernel, "a", a, a.length, aOff, lda, out, out.length, outOff, ldo, rows, cols);
        KernelArgs.fits(kernel, "b", b.length, bOff, cols == 0 ? 0 : rows);
        KernelArgs.disjoint(kernel, "out", out, outOff, MapArgs.span(rows, cols, ldo), "b", b, bOff,
                cols == 0 ? 0 : rows);
        for (int r = 0; r < rows; r++) {
            runVectorScalar(op, a, aOff + r * lda, b[bOff + r], out, outOff + r * ldo, cols);
        }
    }

    /**
     * General broadcast: {@code out[i0, ..., ik] = a[aOff + Σ i_d * aStrides[d]] op b[bOff + Σ i_d * bStrides[d]]}
     * with {@code out} dense row-major of {@code shape} from outOff. A broadcast dimension has stride 0.
     * Any rank (0 means one element). Strides must be non-negative. out may be an operand in place only
     * when that operand has the same offset and dense strides.
     */
    public static void binaryStrided(Binary op, int[] shape, float[] a, int aOff, int[] aStrides, float[] b, int bOff,
                                     int[] bStrides, float[] out, int outOff) {
        checkStrided(op.torchName(), shape, a.length, aOff, aStrides, a, b.length, bOff, bStrides, b, out.length,
                outOff, out);
        int rank = shape.length;
        for (int size : shape) {
            if (size == 0) {
                return;
            }
        }
        if (rank == 0) {
            out[outOff] = op.apply(a[aOff], b[bOff]);
            return;
        }
        int inner = shape[rank - 1];
        int aStep = aStrides[rank - 1];
        int bStep = bStrides[rank - 1];
        int[] index = new int[rank];
        int aAt = aOff;
        int bAt = bOff;
        for (int outAt = outOff, end = outOff + volume(shape); outAt < end; outAt += inner) {
            if (aStep == 1 && bStep == 1) {
                runVectorVector(op, a, aAt, b, bAt, out, outAt, inner);
            } else if (aStep == 1 && bStep == 0) {
                runVectorScalar(op, a, aAt, b[bAt], out, outAt, inner);
            } else if (aStep == 0 && bStep == 1) {
                runScalarVector(op, a[aAt], b, bAt, out, outAt, inner);
            } else {
                for (int j = 0; j < inner; j++) {
                    out[outAt + j] = op.apply(a[aAt + j * aStep], b[bAt + j * bStep]);
                }
            }
            // odometer over the outer dimensions
            for (int d = rank - 2; d >= 0; d--) {
                index[d]++;
                aAt += aStrides[d];
                bAt += bStrides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                aAt -= shape[d] * aStrides[d];
                bAt -= shape[d] * bStrides[d];
                index[d] = 0;
            }
        }
    }

    /** y[i] += alpha * x[i] (product rounded, then sum: no FMA, like the reference). */
    public static void axpy(float[] x, int xOff, float[] y, int yOff, int n, float alpha) {
        MapArgs.axpy(x, x.length, xOff, y, y.length, yOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> axpyRange(x, xOff, y, yOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), alpha));
        } else {
            axpyRange(x, xOff, y, yOff, 0, n, alpha);
        }
    }

    private static void axpyRange(float[] x, int xOff, float[] y, int yOff, int from, int end, float alpha) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, x, xOff + i).mul(alpha).add(FloatVector.fromArray(S32, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, x, xOff + i, tail).mul(alpha).add(FloatVector.fromArray(S32, y, yOff + i, tail))
                    .intoArray(y, yOff + i, tail);
        }
    }

    /** {@code out[i] = alpha * x[i]}; out may be x in place. */
    public static void scale(float[] x, int xOff, float[] out, int outOff, int n, float alpha) {
        MapArgs.unary("scale", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> scaleRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), alpha));
        } else {
            scaleRange(x, xOff, out, outOff, 0, n, alpha);
        }
    }

    private static void scaleRange(float[] x, int xOff, float[] out, int outOff, int from, int end, float alpha) {
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Float> tail = S32.indexInRange(i, end);
            FloatVector.fromArray(S32, x, xOff + i, tail).mul(alpha).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = value} for i in [0, n). */
    public static void fill(float[] out, int outOff, int n, float value) {
        KernelArgs.nonNegative("fill", "n", n);
        KernelArgs.fits("fill", "out", out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> fillRange(out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), value));
        } else {
            fillRange(out, outOff, 0, n, value);
        }
    }

    private static void fillRange(float[] out, int outOff, int from, int end, float value) {
        FloatVector v = FloatVector.broadcast(S32, value);
        int i = from;
        for (int bound = S32.loopBound(end); i < bound; i += S32.length()) {
            v.intoArray(out, outOff + i);
        }
        if (i < end) {
            v.intoArray(out, outOff + i, S32.indexInRange(i, end));
        }
    }

    private static void runVectorVector(Binary op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff,
                                        int n) {
        // One small method per op rather than every loop in one body: a method that big stayed in C1 code
        // (C2 gave up on it), where each lane-wise call ran the Vector API's scalar fallback.
        switch (op) {
            case ADD -> addVectorVector(a, aOff, b, bOff, out, outOff, n);
            case SUB -> subVectorVector(a, aOff, b, bOff, out, outOff, n);
            case MUL -> mulVectorVector(a, aOff, b, bOff, out, outOff, n);
            case DIV -> divVectorVector(a, aOff, b, bOff, out, outOff, n);
            case POW -> powVectorVector(a, aOff, b, bOff, out, outOff, n);
            case MAX -> maxVectorVector(a, aOff, b, bOff, out, outOff, n);
            case MIN -> minVectorVector(a, aOff, b, bOff, out, outOff, n);
        }
    }

    private static void addVectorVector(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).add(FloatVector.fromArray(S32, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).add(FloatVector.fromArray(S32, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void subVectorVector(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).sub(FloatVector.fromArray(S32, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).sub(FloatVector.fromArray(S32, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void mulVectorVector(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).mul(FloatVector.fromArray(S32, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).mul(FloatVector.fromArray(S32, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void divVectorVector(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).div(FloatVector.fromArray(S32, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).div(FloatVector.fromArray(S32, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void powVectorVector(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        // Scalar Math.pow per element: the lane-wise pow operator rounds differently cold and
        // compiled (last bit), which broke bit-identical results across threads and runs.
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Binary.POW.apply(a[aOff + i], b[bOff + i]);
        }
    }

    private static void maxVectorVector(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).max(FloatVector.fromArray(S32, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).max(FloatVector.fromArray(S32, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void minVectorVector(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).min(FloatVector.fromArray(S32, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).min(FloatVector.fromArray(S32, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void runVectorScalar(Binary op, float[] a, int aOff, float b, float[] out, int outOff, int n) {
        switch (op) {
            case ADD -> addVectorScalar(a, aOff, b, out, outOff, n);
            case SUB -> subVectorScalar(a, aOff, b, out, outOff, n);
            case MUL -> mulVectorScalar(a, aOff, b, out, outOff, n);
            case DIV -> divVectorScalar(a, aOff, b, out, outOff, n);
            case POW -> powVectorScalar(a, aOff, b, out, outOff, n);
            case MAX -> maxVectorScalar(a, aOff, b, out, outOff, n);
            case MIN -> minVectorScalar(a, aOff, b, out, outOff, n);
        }
    }

    private static void addVectorScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, b);
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).add(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).add(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void subVectorScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, b);
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).sub(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).sub(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void mulVectorScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, b);
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).mul(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).mul(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void divVectorScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, b);
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).div(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).div(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void powVectorScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
        // Scalar Math.pow per element: the lane-wise pow operator rounds differently cold and
        // compiled (last bit), which broke bit-identical results across threads and runs.
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Binary.POW.apply(a[aOff + i], b);
        }
    }

    private static void maxVectorScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, b);
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).max(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).max(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void minVectorScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, b);
        for (int i = 0; i < bound; i += S32.length()) {
            FloatVector.fromArray(S32, a, aOff + i).min(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            FloatVector.fromArray(S32, a, aOff + bound, tail).min(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void runScalarVector(Binary op, float a, float[] b, int bOff, float[] out, int outOff, int n) {
        switch (op) {
            case ADD -> addScalarVector(a, b, bOff, out, outOff, n);
            case SUB -> subScalarVector(a, b, bOff, out, outOff, n);
            case MUL -> mulScalarVector(a, b, bOff, out, outOff, n);
            case DIV -> divScalarVector(a, b, bOff, out, outOff, n);
            case POW -> powScalarVector(a, b, bOff, out, outOff, n);
            case MAX -> maxScalarVector(a, b, bOff, out, outOff, n);
            case MIN -> minScalarVector(a, b, bOff, out, outOff, n);
        }
    }

    private static void addScalarVector(float a, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, a);
        for (int i = 0; i < bound; i += S32.length()) {
            s.add(FloatVector.fromArray(S32, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.add(FloatVector.fromArray(S32, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void subScalarVector(float a, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, a);
        for (int i = 0; i < bound; i += S32.length()) {
            s.sub(FloatVector.fromArray(S32, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.sub(FloatVector.fromArray(S32, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void mulScalarVector(float a, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, a);
        for (int i = 0; i < bound; i += S32.length()) {
            s.mul(FloatVector.fromArray(S32, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.mul(FloatVector.fromArray(S32, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void divScalarVector(float a, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, a);
        for (int i = 0; i < bound; i += S32.length()) {
            s.div(FloatVector.fromArray(S32, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.div(FloatVector.fromArray(S32, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void powScalarVector(float a, float[] b, int bOff, float[] out, int outOff, int n) {
        // Scalar Math.pow per element: the lane-wise pow operator rounds differently cold and
        // compiled (last bit), which broke bit-identical results across threads and runs.
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Binary.POW.apply(a, b[bOff + i]);
        }
    }

    private static void maxScalarVector(float a, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, a);
        for (int i = 0; i < bound; i += S32.length()) {
            s.max(FloatVector.fromArray(S32, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.max(FloatVector.fromArray(S32, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void minScalarVector(float a, float[] b, int bOff, float[] out, int outOff, int n) {
        int bound = S32.loopBound(n);
        VectorMask<Float> tail = S32.indexInRange(bound, n);
        boolean hasTail = bound < n;
        FloatVector s = FloatVector.broadcast(S32, a);
        for (int i = 0; i < bound; i += S32.length()) {
            s.min(FloatVector.fromArray(S32, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.min(FloatVector.fromArray(S32, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    static void checkBeta(float beta, float threshold) {
        if (!(beta != 0) || Float.isNaN(threshold)) {
            throw KernelArgs.fail("softplus", "beta must be non-zero and threshold a number",
                    "beta = " + beta + ", threshold = " + threshold, "beta != 0");
        }
    }

    static void checkBounds(float min, float max) {
        if (!(min <= max)) {
            throw KernelArgs.fail("clamp", "bounds are out of order or NaN", "min = " + min + ", max = " + max,
                    "min <= max");
        }
    }

    // ---- float64: the float32 code above, with double lanes ----

    /** {@code out[i] = -x[i]} for i in [0, n). Its own derivative: the backward of neg is {@code neg(grad)}. */
    public static void neg(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("neg", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> negRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            negRange(x, xOff, out, outOff, 0, n);
        }
    }

    // The *Range methods below compute cells [from, end) of their kernel; from is a multiple of the lanes.

    private static void negRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, x, xOff + i).neg().intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, x, xOff + i, tail).neg().intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = |x[i]|}. */
    public static void abs(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("abs", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> absRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            absRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void absRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, x, xOff + i).abs().intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, x, xOff + i, tail).abs().intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = exp(x[i])}. */
    public static void exp(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("exp", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> expRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            expRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void expRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            VectorMath.exp(DoubleVector.fromArray(S64, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            VectorMath.exp(DoubleVector.fromArray(S64, x, xOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = ln(x[i])}. */
    public static void log(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("log", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> logRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            logRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void logRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            VectorMath.log(DoubleVector.fromArray(S64, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            VectorMath.log(DoubleVector.fromArray(S64, x, xOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = sqrt(x[i])} (correctly rounded). */
    public static void sqrt(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("sqrt", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> sqrtRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            sqrtRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void sqrtRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, x, xOff + i).sqrt().intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, x, xOff + i, tail).sqrt().intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = x[i]^2}. */
    public static void square(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("square", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> squareRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            squareRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void squareRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i);
            v.mul(v).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i, tail);
            v.mul(v).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = tanh(x[i])}. */
    public static void tanh(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("tanh", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> tanhRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            tanhRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void tanhRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            VectorMath.tanh(DoubleVector.fromArray(S64, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            VectorMath.tanh(DoubleVector.fromArray(S64, x, xOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /**
     * {@code out[i] = 1 / (1 + exp(-x[i]))}. Stable at both ends: for x far below 0, exp(-x) is +inf
     * and the quotient is exactly 0; for x far above 0 it is 1.
     */
    public static void sigmoid(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("sigmoid", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> sigmoidRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            sigmoidRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void sigmoidRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            sigmoidOf(DoubleVector.fromArray(S64, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            sigmoidOf(DoubleVector.fromArray(S64, x, xOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    private static DoubleVector sigmoidOf(DoubleVector v) {
        DoubleVector one = DoubleVector.broadcast(S64, 1.0);
        return one.div(VectorMath.exp(v.neg()).add(one));
    }

    /** {@code out[i] = max(x[i], 0)}; NaN stays NaN. */
    public static void relu(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("relu", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> reluRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            reluRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void reluRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, x, xOff + i).max(0.0).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, x, xOff + i, tail).max(0.0).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = x[i] > 0 ? x[i] : slope * x[i]}; NaN stays NaN. */
    public static void leakyRelu(double[] x, int xOff, double[] out, int outOff, int n, double slope) {
        MapArgs.unary("leaky_relu", x, x.length, xOff, out, out.length, outOff, n);
        checkParameter("leaky_relu", "slope", slope);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> leakyReluRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), slope));
        } else {
            leakyReluRange(x, xOff, out, outOff, 0, n, slope);
        }
    }

    private static void leakyReluRange(double[] x, int xOff, double[] out, int outOff, int from, int end, double slope) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i, tail);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = x[i] > 0 ? x[i] : alpha * (exp(x[i]) - 1)}, the -1 through expm1 for accuracy near 0. */
    public static void elu(double[] x, int xOff, double[] out, int outOff, int n, double alpha) {
        MapArgs.unary("elu", x, x.length, xOff, out, out.length, outOff, n);
        checkParameter("elu", "alpha", alpha);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> eluRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), alpha));
        } else {
            eluRange(x, xOff, out, outOff, 0, n, alpha);
        }
    }

    private static void eluRange(double[] x, int xOff, double[] out, int outOff, int from, int end, double alpha) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i);
            VectorMath.expm1(v).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0.0))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i, tail);
            VectorMath.expm1(v).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0.0))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /**
     * {@code out[i] = ln(1 + exp(x[i]))}, computed as {@code max(x, 0) + log1p(exp(-|x|))} so that it
     * neither overflows for large x nor loses the small tail for very negative x.
     */
    public static void softplus(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("softplus", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> softplusRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            softplusRange(x, xOff, out, outOff, 0, n);
        }
    }

    private static void softplusRange(double[] x, int xOff, double[] out, int outOff, int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            softplusOf(DoubleVector.fromArray(S64, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            softplusOf(DoubleVector.fromArray(S64, x, xOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    private static DoubleVector softplusOf(DoubleVector v) {
        return v.max(0.0).add(VectorMath.log1p(VectorMath.exp(v.abs().neg())));
    }

    /**
     * PyTorch's {@code softplus(x, beta, threshold)}: {@code out[i] = x[i]} where {@code beta * x[i] >
     * threshold}, else {@code ln(1 + exp(beta * x[i])) / beta} (computed stably as in
     * {@link #softplus(double[], int, double[], int, int)}).
     */
    public static void softplus(double[] x, int xOff, double[] out, int outOff, int n, double beta, double threshold) {
        MapArgs.unary("softplus", x, x.length, xOff, out, out.length, outOff, n);
        checkBeta(beta, threshold);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> softplusRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), beta, threshold));
        } else {
            softplusRange(x, xOff, out, outOff, 0, n, beta, threshold);
        }
    }

    private static void softplusRange(double[] x, int xOff, double[] out, int outOff,
                                      int from, int end, double beta, double threshold) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i);
            DoubleVector scaled = v.mul(beta);
            softplusOf(scaled).div(beta).blend(v, scaled.compare(VectorOperators.GT, threshold))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i, tail);
            DoubleVector scaled = v.mul(beta);
            softplusOf(scaled).div(beta).blend(v, scaled.compare(VectorOperators.GT, threshold))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = min(max(x[i], min), max)}; NaN stays NaN (PyTorch's clamp). */
    public static void clamp(double[] x, int xOff, double[] out, int outOff, int n, double min, double max) {
        MapArgs.unary("clamp", x, x.length, xOff, out, out.length, outOff, n);
        checkBounds(min, max);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> clampRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), min, max));
        } else {
            clampRange(x, xOff, out, outOff, 0, n, min, max);
        }
    }

    private static void clampRange(double[] x, int xOff, double[] out, int outOff,
                                   int from, int end, double min, double max) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, x, xOff + i).max(min).min(max).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, x, xOff + i, tail).max(min).min(max).intoArray(out, outOff + i, tail);
        }
    }

    /** abs backward: {@code out[i] = grad[i] * signum(x[i])} (0 at x = 0; NaN at NaN). */
    public static void absBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("abs_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> absBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            absBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void absBackwardRange(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                         int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i);
            signumOf(v).mul(DoubleVector.fromArray(S64, grad, gradOff + i)).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i, tail);
            signumOf(v).mul(DoubleVector.fromArray(S64, grad, gradOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code Math.signum} lane-wise: ±0 and NaN map to themselves, everything else to ±1. */
    private static DoubleVector signumOf(DoubleVector v) {
        return v.blend(1.0, v.compare(VectorOperators.GT, 0.0)).blend(-1.0, v.compare(VectorOperators.LT, 0.0));
    }

    /** exp backward from the saved output: {@code out[i] = grad[i] * y[i]}. */
    public static void expBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("exp_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> expBackwardRange(y, yOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            expBackwardRange(y, yOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void expBackwardRange(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff,
                                         int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, grad, gradOff + i).mul(DoubleVector.fromArray(S64, y, yOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, grad, gradOff + i, tail).mul(DoubleVector.fromArray(S64, y, yOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** log backward: {@code out[i] = grad[i] / x[i]}. */
    public static void logBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("log_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> logBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            logBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void logBackwardRange(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                         int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, grad, gradOff + i).div(DoubleVector.fromArray(S64, x, xOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, grad, gradOff + i, tail).div(DoubleVector.fromArray(S64, x, xOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** sqrt backward from the saved output: {@code out[i] = grad[i] / (2 * y[i])} (PyTorch's rule; inf at y = 0). */
    public static void sqrtBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("sqrt_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> sqrtBackwardRange(y, yOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            sqrtBackwardRange(y, yOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void sqrtBackwardRange(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff,
                                          int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector twiceY = DoubleVector.fromArray(S64, y, yOff + i).mul(2.0);
            DoubleVector.fromArray(S64, grad, gradOff + i).div(twiceY).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector twiceY = DoubleVector.fromArray(S64, y, yOff + i, tail).mul(2.0);
            DoubleVector.fromArray(S64, grad, gradOff + i, tail).div(twiceY).intoArray(out, outOff + i, tail);
        }
    }

    /** square backward: {@code out[i] = (2 * x[i]) * grad[i]}. */
    public static void squareBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("square_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> squareBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            squareBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void squareBackwardRange(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                            int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, x, xOff + i).mul(2.0).mul(DoubleVector.fromArray(S64, grad, gradOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, x, xOff + i, tail).mul(2.0)
                    .mul(DoubleVector.fromArray(S64, grad, gradOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    /** tanh backward from the saved output: {@code out[i] = grad[i] * (1 - y[i]^2)}. */
    public static void tanhBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("tanh_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> tanhBackwardRange(y, yOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            tanhBackwardRange(y, yOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void tanhBackwardRange(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff,
                                          int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, y, yOff + i);
            DoubleVector.broadcast(S64, 1.0).sub(v.mul(v)).mul(DoubleVector.fromArray(S64, grad, gradOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector v = DoubleVector.fromArray(S64, y, yOff + i, tail);
            DoubleVector.broadcast(S64, 1.0).sub(v.mul(v)).mul(DoubleVector.fromArray(S64, grad, gradOff + i, tail))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** sigmoid backward from the saved output: {@code out[i] = (grad[i] * y[i]) * (1 - y[i])}. */
    public static void sigmoidBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("sigmoid_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> sigmoidBackwardRange(y, yOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            sigmoidBackwardRange(y, yOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void sigmoidBackwardRange(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff,
                                             int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, y, yOff + i);
            DoubleVector.fromArray(S64, grad, gradOff + i).mul(v).mul(DoubleVector.broadcast(S64, 1.0).sub(v))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector v = DoubleVector.fromArray(S64, y, yOff + i, tail);
            DoubleVector.fromArray(S64, grad, gradOff + i, tail).mul(v).mul(DoubleVector.broadcast(S64, 1.0).sub(v))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** relu backward: {@code out[i] = x[i] > 0 ? grad[i] : 0} (relu'(0) = 0; NaN input gives 0, as PyTorch's threshold_backward). */
    public static void reluBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("relu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> reluBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            reluBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void reluBackwardRange(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                          int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            VectorMask<Double> positive = DoubleVector.fromArray(S64, x, xOff + i).compare(VectorOperators.GT, 0.0);
            DoubleVector.zero(S64).blend(DoubleVector.fromArray(S64, grad, gradOff + i), positive)
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            VectorMask<Double> positive = DoubleVector.fromArray(S64, x, xOff + i, tail).compare(VectorOperators.GT, 0.0);
            DoubleVector.zero(S64).blend(DoubleVector.fromArray(S64, grad, gradOff + i, tail), positive)
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** leaky relu backward: {@code out[i] = x[i] > 0 ? grad[i] : slope * grad[i]}. */
    public static void leakyReluBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n,
                                         double slope) {
        MapArgs.backward("leaky_relu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        checkParameter("leaky_relu_backward", "slope", slope);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> leakyReluBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK), slope));
        } else {
            leakyReluBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n, slope);
        }
    }

    private static void leakyReluBackwardRange(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                               int from, int end, double slope) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            VectorMask<Double> positive = DoubleVector.fromArray(S64, x, xOff + i).compare(VectorOperators.GT, 0.0);
            DoubleVector g = DoubleVector.fromArray(S64, grad, gradOff + i);
            g.mul(slope).blend(g, positive).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            VectorMask<Double> positive = DoubleVector.fromArray(S64, x, xOff + i, tail).compare(VectorOperators.GT, 0.0);
            DoubleVector g = DoubleVector.fromArray(S64, grad, gradOff + i, tail);
            g.mul(slope).blend(g, positive).intoArray(out, outOff + i, tail);
        }
    }

    /** elu backward: {@code out[i] = x[i] > 0 ? grad[i] : grad[i] * (alpha * exp(x[i]))}. */
    public static void eluBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n,
                                   double alpha) {
        MapArgs.backward("elu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        checkParameter("elu_backward", "alpha", alpha);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> eluBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK), alpha));
        } else {
            eluBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n, alpha);
        }
    }

    private static void eluBackwardRange(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                         int from, int end, double alpha) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i);
            DoubleVector g = DoubleVector.fromArray(S64, grad, gradOff + i);
            VectorMath.exp(v).mul(alpha).mul(g).blend(g, v.compare(VectorOperators.GT, 0.0))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i, tail);
            DoubleVector g = DoubleVector.fromArray(S64, grad, gradOff + i, tail);
            VectorMath.exp(v).mul(alpha).mul(g).blend(g, v.compare(VectorOperators.GT, 0.0))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** softplus backward: {@code out[i] = grad[i] * sigmoid(x[i])}. */
    public static void softplusBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                        int n) {
        MapArgs.backward("softplus_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> softplusBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            softplusBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n);
        }
    }

    private static void softplusBackwardRange(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                              int from, int end) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            sigmoidOf(DoubleVector.fromArray(S64, x, xOff + i)).mul(DoubleVector.fromArray(S64, grad, gradOff + i))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            sigmoidOf(DoubleVector.fromArray(S64, x, xOff + i, tail))
                    .mul(DoubleVector.fromArray(S64, grad, gradOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    /**
     * Backward of {@link #softplus(double[], int, double[], int, int, double, double)}: {@code out[i] =
     * grad[i]} where {@code beta * x[i] > threshold}, else {@code grad[i] * sigmoid(beta * x[i])}.
     */
    public static void softplusBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                        int n, double beta, double threshold) {
        MapArgs.backward("softplus_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        checkBeta(beta, threshold);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> softplusBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK), beta, threshold));
        } else {
            softplusBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n, beta, threshold);
        }
    }

    private static void softplusBackwardRange(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                              int from, int end, double beta, double threshold) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector scaled = DoubleVector.fromArray(S64, x, xOff + i).mul(beta);
            DoubleVector g = DoubleVector.fromArray(S64, grad, gradOff + i);
            sigmoidOf(scaled).mul(g).blend(g, scaled.compare(VectorOperators.GT, threshold))
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector scaled = DoubleVector.fromArray(S64, x, xOff + i, tail).mul(beta);
            DoubleVector g = DoubleVector.fromArray(S64, grad, gradOff + i, tail);
            sigmoidOf(scaled).mul(g).blend(g, scaled.compare(VectorOperators.GT, threshold))
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** clamp backward: {@code out[i] = min <= x[i] <= max ? grad[i] : 0} (the gradient passes at the bounds). */
    public static void clampBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n,
                                     double min, double max) {
        MapArgs.backward("clamp_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        checkBounds(min, max);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> clampBackwardRange(x, xOff, grad, gradOff, out, outOff,
                            c * CHUNK, Math.min(n, (c + 1) * CHUNK), min, max));
        } else {
            clampBackwardRange(x, xOff, grad, gradOff, out, outOff, 0, n, min, max);
        }
    }

    private static void clampBackwardRange(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                           int from, int end, double min, double max) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i);
            VectorMask<Double> inside = v.compare(VectorOperators.GE, min).and(v.compare(VectorOperators.LE, max));
            DoubleVector.zero(S64).blend(DoubleVector.fromArray(S64, grad, gradOff + i), inside)
                    .intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector v = DoubleVector.fromArray(S64, x, xOff + i, tail);
            VectorMask<Double> inside = v.compare(VectorOperators.GE, min).and(v.compare(VectorOperators.LE, max));
            DoubleVector.zero(S64).blend(DoubleVector.fromArray(S64, grad, gradOff + i, tail), inside)
                    .intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = a[i] + b[i]}. */
    public static void add(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.ADD, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] - b[i]}. */
    public static void sub(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.SUB, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] * b[i]}. */
    public static void mul(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.MUL, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] / b[i]}. */
    public static void div(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.DIV, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] ^ b[i]} ({@code Math.pow} semantics). */
    public static void pow(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.POW, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = max(a[i], b[i])}, NaN-propagating. */
    public static void max(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.MAX, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = min(a[i], b[i])}, NaN-propagating. */
    public static void min(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.MIN, a, aOff, b, bOff, out, outOff, n);
    }

    /** {@code out[i] = a[i] op b[i]} for i in [0, n); out may be a or b in place. */
    public static void binary(Binary op, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        MapArgs.binary(op.torchName(), a, a.length, aOff, b, b.length, bOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK), c -> runVectorVector(op, a, aOff + c * CHUNK, b,
                    bOff + c * CHUNK, out, outOff + c * CHUNK, Math.min(CHUNK, n - c * CHUNK)));
        } else {
            runVectorVector(op, a, aOff, b, bOff, out, outOff, n);
        }
    }

    /** {@code out[i] = a[i] op b} for a scalar b; out may be a in place. */
    public static void binaryScalar(Binary op, double[] a, int aOff, double b, double[] out, int outOff, int n) {
        MapArgs.unary(op.torchName(), a, a.length, aOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK), c -> runVectorScalar(op, a, aOff + c * CHUNK, b,
                    out, outOff + c * CHUNK, Math.min(CHUNK, n - c * CHUNK)));
        } else {
            runVectorScalar(op, a, aOff, b, out, outOff, n);
        }
    }

    /**
     * Row broadcast: {@code out[r, c] = a[r, c] op b[c]} for {@code a, out: [rows, cols]} (leading
     * dimensions lda, ldo) and {@code b: [cols]}. out may be a in place (same offset and leading dimension).
     */
    public static void binaryRow(Binary op, double[] a, int aOff, int lda, double[] b, int bOff, double[] out, int outOff,
                                 int ldo, int rows, int cols) {
        String kernel = op.torchName();
        MapArgs.matrixMap(kernel, "a", a, a.length, aOff, lda, out, out.length, outOff, ldo, rows, cols);
        KernelArgs.fits(kernel, "b", b.length, bOff, rows == 0 ? 0 : cols);
        KernelArgs.disjoint(kernel, "out", out, outOff, MapArgs.span(rows, cols, ldo), "b", b, bOff,
                rows == 0 ? 0 : cols);
        for (int r = 0; r < rows; r++) {
            runVectorVector(op, a, aOff + r * lda, b, bOff, out, outOff + r * ldo, cols);
        }
    }

    /**
     * Column broadcast: {@code out[r, c] = a[r, c] op b[r]} for {@code a, out: [rows, cols]} and
     * {@code b: [rows]}. out may be a in place (same offset and leading dimension).
     */
    public static void binaryColumn(Binary op, double[] a, int aOff, int lda, double[] b, int bOff, double[] out,
                                    int outOff, int ldo, int rows, int cols) {
        String kernel = op.torchName();
        MapArgs.matrixMap(kernel, "a", a, a.length, aOff, lda, out, out.length, outOff, ldo, rows, cols);
        KernelArgs.fits(kernel, "b", b.length, bOff, cols == 0 ? 0 : rows);
        KernelArgs.disjoint(kernel, "out", out, outOff, MapArgs.span(rows, cols, ldo), "b", b, bOff,
                cols == 0 ? 0 : rows);
        for (int r = 0; r < rows; r++) {
            runVectorScalar(op, a, aOff + r * lda, b[bOff + r], out, outOff + r * ldo, cols);
        }
    }

    /**
     * General broadcast: {@code out[i0, ..., ik] = a[aOff + Σ i_d * aStrides[d]] op b[bOff + Σ i_d * bStrides[d]]}
     * with {@code out} dense row-major of {@code shape} from outOff. A broadcast dimension has stride 0.
     * Any rank (0 means one element). Strides must be non-negative. out may be an operand in place only
     * when that operand has the same offset and dense strides.
     */
    public static void binaryStrided(Binary op, int[] shape, double[] a, int aOff, int[] aStrides, double[] b, int bOff,
                                     int[] bStrides, double[] out, int outOff) {
        checkStrided(op.torchName(), shape, a.length, aOff, aStrides, a, b.length, bOff, bStrides, b, out.length,
                outOff, out);
        int rank = shape.length;
        for (int size : shape) {
            if (size == 0) {
                return;
            }
        }
        if (rank == 0) {
            out[outOff] = op.apply(a[aOff], b[bOff]);
            return;
        }
        int inner = shape[rank - 1];
        int aStep = aStrides[rank - 1];
        int bStep = bStrides[rank - 1];
        int[] index = new int[rank];
        int aAt = aOff;
        int bAt = bOff;
        for (int outAt = outOff, end = outOff + volume(shape); outAt < end; outAt += inner) {
            if (aStep == 1 && bStep == 1) {
                runVectorVector(op, a, aAt, b, bAt, out, outAt, inner);
            } else if (aStep == 1 && bStep == 0) {
                runVectorScalar(op, a, aAt, b[bAt], out, outAt, inner);
            } else if (aStep == 0 && bStep == 1) {
                runScalarVector(op, a[aAt], b, bAt, out, outAt, inner);
            } else {
                for (int j = 0; j < inner; j++) {
                    out[outAt + j] = op.apply(a[aAt + j * aStep], b[bAt + j * bStep]);
                }
            }
            // odometer over the outer dimensions
            for (int d = rank - 2; d >= 0; d--) {
                index[d]++;
                aAt += aStrides[d];
                bAt += bStrides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                aAt -= shape[d] * aStrides[d];
                bAt -= shape[d] * bStrides[d];
                index[d] = 0;
            }
        }
    }

    /** y[i] += alpha * x[i] (product rounded, then sum: no FMA, like the reference). */
    public static void axpy(double[] x, int xOff, double[] y, int yOff, int n, double alpha) {
        MapArgs.axpy(x, x.length, xOff, y, y.length, yOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> axpyRange(x, xOff, y, yOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), alpha));
        } else {
            axpyRange(x, xOff, y, yOff, 0, n, alpha);
        }
    }

    private static void axpyRange(double[] x, int xOff, double[] y, int yOff, int from, int end, double alpha) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, x, xOff + i).mul(alpha).add(DoubleVector.fromArray(S64, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, x, xOff + i, tail).mul(alpha).add(DoubleVector.fromArray(S64, y, yOff + i, tail))
                    .intoArray(y, yOff + i, tail);
        }
    }

    /** {@code out[i] = alpha * x[i]}; out may be x in place. */
    public static void scale(double[] x, int xOff, double[] out, int outOff, int n, double alpha) {
        MapArgs.unary("scale", x, x.length, xOff, out, out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> scaleRange(x, xOff, out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), alpha));
        } else {
            scaleRange(x, xOff, out, outOff, 0, n, alpha);
        }
    }

    private static void scaleRange(double[] x, int xOff, double[] out, int outOff, int from, int end, double alpha) {
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
        }
        if (i < end) {
            VectorMask<Double> tail = S64.indexInRange(i, end);
            DoubleVector.fromArray(S64, x, xOff + i, tail).mul(alpha).intoArray(out, outOff + i, tail);
        }
    }

    /** {@code out[i] = value} for i in [0, n). */
    public static void fill(double[] out, int outOff, int n, double value) {
        KernelArgs.nonNegative("fill", "n", n);
        KernelArgs.fits("fill", "out", out.length, outOff, n);
        if (n >= PARALLEL_MIN) {
            Parallel.forEach(Parallel.chunks(n, CHUNK),
                    c -> fillRange(out, outOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK), value));
        } else {
            fillRange(out, outOff, 0, n, value);
        }
    }

    private static void fillRange(double[] out, int outOff, int from, int end, double value) {
        DoubleVector v = DoubleVector.broadcast(S64, value);
        int i = from;
        for (int bound = S64.loopBound(end); i < bound; i += S64.length()) {
            v.intoArray(out, outOff + i);
        }
        if (i < end) {
            v.intoArray(out, outOff + i, S64.indexInRange(i, end));
        }
    }

    private static void runVectorVector(Binary op, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff,
                                        int n) {
        switch (op) {
            case ADD -> addVectorVector(a, aOff, b, bOff, out, outOff, n);
            case SUB -> subVectorVector(a, aOff, b, bOff, out, outOff, n);
            case MUL -> mulVectorVector(a, aOff, b, bOff, out, outOff, n);
            case DIV -> divVectorVector(a, aOff, b, bOff, out, outOff, n);
            case POW -> powVectorVector(a, aOff, b, bOff, out, outOff, n);
            case MAX -> maxVectorVector(a, aOff, b, bOff, out, outOff, n);
            case MIN -> minVectorVector(a, aOff, b, bOff, out, outOff, n);
        }
    }

    private static void addVectorVector(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).add(DoubleVector.fromArray(S64, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).add(DoubleVector.fromArray(S64, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void subVectorVector(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).sub(DoubleVector.fromArray(S64, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).sub(DoubleVector.fromArray(S64, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void mulVectorVector(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).mul(DoubleVector.fromArray(S64, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).mul(DoubleVector.fromArray(S64, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void divVectorVector(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).div(DoubleVector.fromArray(S64, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).div(DoubleVector.fromArray(S64, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void powVectorVector(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        // Scalar Math.pow per element: the lane-wise pow operator rounds differently cold and
        // compiled (last bit), which broke bit-identical results across threads and runs.
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Binary.POW.apply(a[aOff + i], b[bOff + i]);
        }
    }

    private static void maxVectorVector(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).max(DoubleVector.fromArray(S64, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).max(DoubleVector.fromArray(S64, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void minVectorVector(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).min(DoubleVector.fromArray(S64, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).min(DoubleVector.fromArray(S64, b, bOff + bound,
                    tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void runVectorScalar(Binary op, double[] a, int aOff, double b, double[] out, int outOff, int n) {
        switch (op) {
            case ADD -> addVectorScalar(a, aOff, b, out, outOff, n);
            case SUB -> subVectorScalar(a, aOff, b, out, outOff, n);
            case MUL -> mulVectorScalar(a, aOff, b, out, outOff, n);
            case DIV -> divVectorScalar(a, aOff, b, out, outOff, n);
            case POW -> powVectorScalar(a, aOff, b, out, outOff, n);
            case MAX -> maxVectorScalar(a, aOff, b, out, outOff, n);
            case MIN -> minVectorScalar(a, aOff, b, out, outOff, n);
        }
    }

    private static void addVectorScalar(double[] a, int aOff, double b, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, b);
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).add(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).add(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void subVectorScalar(double[] a, int aOff, double b, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, b);
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).sub(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).sub(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void mulVectorScalar(double[] a, int aOff, double b, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, b);
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).mul(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).mul(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void divVectorScalar(double[] a, int aOff, double b, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, b);
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).div(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).div(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void powVectorScalar(double[] a, int aOff, double b, double[] out, int outOff, int n) {
        // Scalar Math.pow per element: the lane-wise pow operator rounds differently cold and
        // compiled (last bit), which broke bit-identical results across threads and runs.
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Binary.POW.apply(a[aOff + i], b);
        }
    }

    private static void maxVectorScalar(double[] a, int aOff, double b, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, b);
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).max(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).max(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void minVectorScalar(double[] a, int aOff, double b, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, b);
        for (int i = 0; i < bound; i += S64.length()) {
            DoubleVector.fromArray(S64, a, aOff + i).min(s).intoArray(out, outOff + i);
        }
        if (hasTail) {
            DoubleVector.fromArray(S64, a, aOff + bound, tail).min(s).intoArray(out, outOff + bound, tail);
        }
    }

    private static void runScalarVector(Binary op, double a, double[] b, int bOff, double[] out, int outOff, int n) {
        switch (op) {
            case ADD -> addScalarVector(a, b, bOff, out, outOff, n);
            case SUB -> subScalarVector(a, b, bOff, out, outOff, n);
            case MUL -> mulScalarVector(a, b, bOff, out, outOff, n);
            case DIV -> divScalarVector(a, b, bOff, out, outOff, n);
            case POW -> powScalarVector(a, b, bOff, out, outOff, n);
            case MAX -> maxScalarVector(a, b, bOff, out, outOff, n);
            case MIN -> minScalarVector(a, b, bOff, out, outOff, n);
        }
    }

    private static void addScalarVector(double a, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, a);
        for (int i = 0; i < bound; i += S64.length()) {
            s.add(DoubleVector.fromArray(S64, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.add(DoubleVector.fromArray(S64, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void subScalarVector(double a, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, a);
        for (int i = 0; i < bound; i += S64.length()) {
            s.sub(DoubleVector.fromArray(S64, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.sub(DoubleVector.fromArray(S64, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void mulScalarVector(double a, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, a);
        for (int i = 0; i < bound; i += S64.length()) {
            s.mul(DoubleVector.fromArray(S64, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.mul(DoubleVector.fromArray(S64, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void divScalarVector(double a, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, a);
        for (int i = 0; i < bound; i += S64.length()) {
            s.div(DoubleVector.fromArray(S64, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.div(DoubleVector.fromArray(S64, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void powScalarVector(double a, double[] b, int bOff, double[] out, int outOff, int n) {
        // Scalar Math.pow per element: the lane-wise pow operator rounds differently cold and
        // compiled (last bit), which broke bit-identical results across threads and runs.
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Binary.POW.apply(a, b[bOff + i]);
        }
    }

    private static void maxScalarVector(double a, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, a);
        for (int i = 0; i < bound; i += S64.length()) {
            s.max(DoubleVector.fromArray(S64, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.max(DoubleVector.fromArray(S64, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    private static void minScalarVector(double a, double[] b, int bOff, double[] out, int outOff, int n) {
        int bound = S64.loopBound(n);
        VectorMask<Double> tail = S64.indexInRange(bound, n);
        boolean hasTail = bound < n;
        DoubleVector s = DoubleVector.broadcast(S64, a);
        for (int i = 0; i < bound; i += S64.length()) {
            s.min(DoubleVector.fromArray(S64, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (hasTail) {
            s.min(DoubleVector.fromArray(S64, b, bOff + bound, tail)).intoArray(out, outOff + bound, tail);
        }
    }

    static void checkBeta(double beta, double threshold) {
        if (!(beta != 0) || Double.isNaN(threshold)) {
            throw KernelArgs.fail("softplus", "beta must be non-zero and threshold a number",
                    "beta = " + beta + ", threshold = " + threshold, "beta != 0");
        }
    }

    static void checkBounds(double min, double max) {
        if (!(min <= max)) {
            throw KernelArgs.fail("clamp", "bounds are out of order or NaN", "min = " + min + ", max = " + max,
                    "min <= max");
        }
    }
}
