package vecgrad.autodiff;

import java.util.function.DoubleUnaryOperator;
import vecgrad.kernels.ElementwiseKernels;

/**
 * Elementwise unary ops {@code y[i] = f(x[i])}, shape preserved: the parameter-free {@link Pointwise} table
 * and the ops with parameters (pow with a constant exponent, leaky_relu, elu, softplus, clamp). Backward is
 * {@code dL/dx = grad ⊙ f'(x, y)}.
 */
final class PointwiseOp {
    private PointwiseOp() {}

    /** A forward map {@code out[i] = f(x[i])} on n elements, float32 and float64 (ElementwiseKernels). */
    private interface FloatMap {
        void run(float[] x, float[] out, int n);
    }

    private interface DoubleMap {
        void run(double[] x, double[] out, int n);
    }

    /** A backward map {@code out[i] = grad[i]·f'(saved[i])}, saved being the input x or the output y. */
    private interface FloatGrad {
        void run(float[] saved, float[] grad, float[] out, int n);
    }

    private interface DoubleGrad {
        void run(double[] saved, double[] grad, double[] out, int n);
    }

    /** Whether a derivative kernel reads the input x or the saved output y. */
    private enum Saved { INPUT, OUTPUT }

    /**
     * The table ops run on {@link ElementwiseKernels}, forward and backward, in the tensor's dtype; the
     * {@link Pointwise} lambdas stay their definition and scalar reference. One exception: the float64 forward
     * of exp, log, tanh and sigmoid is the table itself, so float64 values equal {@code java.lang.Math}'s bit for
     * bit (FAULTS 16, the dtype of gradient checks); the kernels' polynomials are within 2 ulp of it, which is
     * what float32 gets.
     */
    static Tensor apply(Pointwise op, Tensor x) {
        return switch (op) {
            case NEG -> kernelMap("neg", x, Saved.INPUT,
                    (v, o, n) -> ElementwiseKernels.neg(v, 0, o, 0, n), (v, o, n) -> ElementwiseKernels.neg(v, 0, o, 0, n),
                    (s, g, o, n) -> ElementwiseKernels.neg(g, 0, o, 0, n), // dL/dx = −grad
                    (s, g, o, n) -> ElementwiseKernels.neg(g, 0, o, 0, n));
            case EXP -> kernelMap("exp", x, Saved.OUTPUT,
                    (v, o, n) -> ElementwiseKernels.exp(v, 0, o, 0, n), (v, o, n) -> byTable(Pointwise.EXP, v, o, n),
                    (y, g, o, n) -> ElementwiseKernels.expBackward(y, 0, g, 0, o, 0, n), // dL/dx = grad · y
                    (y, g, o, n) -> ElementwiseKernels.expBackward(y, 0, g, 0, o, 0, n));
            case LOG -> kernelMap("log", x, Saved.INPUT,
                    (v, o, n) -> ElementwiseKernels.log(v, 0, o, 0, n), (v, o, n) -> byTable(Pointwise.LOG, v, o, n),
                    (v, g, o, n) -> ElementwiseKernels.logBackward(v, 0, g, 0, o, 0, n), // dL/dx = grad / x
                    (v, g, o, n) -> ElementwiseKernels.logBackward(v, 0, g, 0, o, 0, n));
            case SQRT -> kernelMap("sqrt", x, Saved.OUTPUT,
                    (v, o, n) -> ElementwiseKernels.sqrt(v, 0, o, 0, n), (v, o, n) -> ElementwiseKernels.sqrt(v, 0, o, 0, n),
                    PointwiseOp::sqrtBackward, PointwiseOp::sqrtBackward);
            case ABS -> kernelMap("abs", x, Saved.INPUT,
                    (v, o, n) -> ElementwiseKernels.abs(v, 0, o, 0, n), (v, o, n) -> ElementwiseKernels.abs(v, 0, o, 0, n),
                    (v, g, o, n) -> ElementwiseKernels.absBackward(v, 0, g, 0, o, 0, n), // dL/dx = grad · sign(x)
                    (v, g, o, n) -> ElementwiseKernels.absBackward(v, 0, g, 0, o, 0, n));
            case SQUARE -> kernelMap("square", x, Saved.INPUT,
                    (v, o, n) -> ElementwiseKernels.square(v, 0, o, 0, n),
                    (v, o, n) -> ElementwiseKernels.square(v, 0, o, 0, n),
                    (v, g, o, n) -> ElementwiseKernels.squareBackward(v, 0, g, 0, o, 0, n), // dL/dx = grad · 2x
                    (v, g, o, n) -> ElementwiseKernels.squareBackward(v, 0, g, 0, o, 0, n));
            case TANH -> kernelMap("tanh", x, Saved.OUTPUT,
                    (v, o, n) -> ElementwiseKernels.tanh(v, 0, o, 0, n), (v, o, n) -> byTable(Pointwise.TANH, v, o, n),
                    (y, g, o, n) -> ElementwiseKernels.tanhBackward(y, 0, g, 0, o, 0, n), // dL/dx = grad · (1 − y²)
                    (y, g, o, n) -> ElementwiseKernels.tanhBackward(y, 0, g, 0, o, 0, n));
            case SIGMOID -> kernelMap("sigmoid", x, Saved.OUTPUT,
                    (v, o, n) -> ElementwiseKernels.sigmoid(v, 0, o, 0, n),
                    (v, o, n) -> byTable(Pointwise.SIGMOID, v, o, n),
                    (y, g, o, n) -> ElementwiseKernels.sigmoidBackward(y, 0, g, 0, o, 0, n), // dL/dx = grad · y(1 − y)
                    (y, g, o, n) -> ElementwiseKernels.sigmoidBackward(y, 0, g, 0, o, 0, n));
            case RELU -> kernelMap("relu", x, Saved.INPUT,
                    (v, o, n) -> ElementwiseKernels.relu(v, 0, o, 0, n), (v, o, n) -> ElementwiseKernels.relu(v, 0, o, 0, n),
                    (v, g, o, n) -> ElementwiseKernels.reluBackward(v, 0, g, 0, o, 0, n), // dL/dx = grad · [x > 0]
                    (v, g, o, n) -> ElementwiseKernels.reluBackward(v, 0, g, 0, o, 0, n));
        };
    }

    /** {@code out[i] = op(x[i])} by the table's double definition. */
    private static void byTable(Pointwise op, double[] x, double[] out, int n) {
        DoubleUnaryOperator value = op.valueFunction();
        for (int i = 0; i < n; i++) {
            out[i] = value.applyAsDouble(x[i]);
        }
    }

    /**
     * sqrt backward {@code grad / (2y)}, except that sqrt'(0) is taken as 0 (see {@link Pointwise#SQRT}): the
     * kernel follows PyTorch's Inf there, so elements with y == 0 become {@code grad · 0}.
     */
    private static void sqrtBackward(float[] y, float[] grad, float[] out, int n) {
        ElementwiseKernels.sqrtBackward(y, 0, grad, 0, out, 0, n); // dL/dx = grad / (2·sqrt(x))
        for (int i = 0; i < n; i++) {
            if (y[i] == 0) {
                out[i] = grad[i] * 0;
            }
        }
    }

    private static void sqrtBackward(double[] y, double[] grad, double[] out, int n) {
        ElementwiseKernels.sqrtBackward(y, 0, grad, 0, out, 0, n); // dL/dx = grad / (2·sqrt(x))
        for (int i = 0; i < n; i++) {
            if (y[i] == 0) {
                out[i] = grad[i] * 0;
            }
        }
    }

    /**
     * Runs a forward kernel and records a backward kernel, both in x's dtype. The backward reads the saved
     * input or output (whichever the derivative needs) and writes a fresh gradient array.
     */
    private static Tensor kernelMap(String op, Tensor x, Saved saved, FloatMap forward32, DoubleMap forward64,
                                    FloatGrad backward32, DoubleGrad backward64) {
        int n = x.numel();
        Tensor y = Tensor.uninitialized(x.dtype(), x.shape()); // the forward map writes every element
        if (x.dtype() == DType.F32) {
            forward32.run(x.floats(), y.floats(), n);
        } else {
            forward64.run(x.doubles(), y.doubles(), n);
        }
        Tensor kept = saved == Saved.INPUT ? x : y;
        return Tape.record(op, y, new Tensor[] {x}, (grad, needs) -> {
            if (x.dtype() == DType.F32) {
                float[] dx = GradPool.floats(n);
                backward32.run(kept.floats(), grad.floats(), dx, n);
                return new Tensor[] {Tensor.wrap(dx, x.shape())};
            }
            double[] dx = GradPool.doubles(n);
            backward64.run(kept.doubles(), grad.doubles(), dx, n);
            return new Tensor[] {Tensor.wrap(dx, DType.F64, x.shape())};
        });
    }

    /** {@code x ^ exponent}; when the exponent is not an integer, x must be positive to be differentiable. */
    static Tensor pow(Tensor x, double exponent) {
        Check.notNaN("pow", "exponent", exponent);
        return map("pow", x, v -> Math.pow(v, exponent),
                (v, y) -> exponent == 0 ? 0 : exponent * Math.pow(v, exponent - 1)); // d/dx x^p = p·x^(p-1)
    }

    /** x for x > 0, else {@code negativeSlope·x}; the slope at 0 is {@code negativeSlope} (PyTorch). */
    static Tensor leakyRelu(Tensor x, double negativeSlope) {
        Check.notNaN("leaky_relu", "negative_slope", negativeSlope);
        float slope32 = (float) negativeSlope;
        return kernelMap("leaky_relu", x, Saved.INPUT,
                (v, o, n) -> ElementwiseKernels.leakyRelu(v, 0, o, 0, n, slope32),
                (v, o, n) -> ElementwiseKernels.leakyRelu(v, 0, o, 0, n, negativeSlope),
                (v, g, o, n) -> ElementwiseKernels.leakyReluBackward(v, 0, g, 0, o, 0, n, slope32), // grad · (x > 0 ? 1 : slope)
                (v, g, o, n) -> ElementwiseKernels.leakyReluBackward(v, 0, g, 0, o, 0, n, negativeSlope));
    }

    /** x for x > 0, else {@code alpha·(e^x − 1)}; the slope at 0 is {@code alpha} (PyTorch). */
    static Tensor elu(Tensor x, double alpha) {
        Check.notNaN("elu", "alpha", alpha);
        float alpha32 = (float) alpha;
        return kernelMap("elu", x, Saved.INPUT,
                (v, o, n) -> ElementwiseKernels.elu(v, 0, o, 0, n, alpha32),
                (v, o, n) -> ElementwiseKernels.elu(v, 0, o, 0, n, alpha),
                (v, g, o, n) -> ElementwiseKernels.eluBackward(v, 0, g, 0, o, 0, n, alpha32), // grad · (x > 0 ? 1 : α·e^x)
                (v, g, o, n) -> ElementwiseKernels.eluBackward(v, 0, g, 0, o, 0, n, alpha));
    }

    /**
     * {@code (1/β)·ln(1 + e^(βx))}, or x where {@code βx > threshold} (PyTorch); evaluated as
     * {@code (max(βx, 0) + ln(1 + e^(−|βx|)))/β} so that |x| = 1000 does not overflow. Slope σ(βx).
     */
    static Tensor softplus(Tensor x, double beta, double threshold) {
        if (!(beta > 0) || Double.isNaN(threshold)) {
            throw Check.fail("softplus", "beta must be > 0 and threshold a number",
                    "beta " + beta + ", threshold " + threshold, "beta > 0");
        }
        float beta32 = (float) beta;
        float threshold32 = (float) threshold;
        return kernelMap("softplus", x, Saved.INPUT,
                (v, o, n) -> ElementwiseKernels.softplus(v, 0, o, 0, n, beta32, threshold32),
                (v, o, n) -> ElementwiseKernels.softplus(v, 0, o, 0, n, beta, threshold),
                (v, g, o, n) -> ElementwiseKernels.softplusBackward(v, 0, g, 0, o, 0, n, beta32, threshold32), // grad · σ(βx)
                (v, g, o, n) -> ElementwiseKernels.softplusBackward(v, 0, g, 0, o, 0, n, beta, threshold));
    }

    /** {@code min(max(x, min), max)}, a null bound being unbounded; slope 1 inside the closed interval, else 0. */
    static Tensor clamp(Tensor x, Double min, Double max) {
        double lo = min == null ? Double.NEGATIVE_INFINITY : min;
        double hi = max == null ? Double.POSITIVE_INFINITY : max;
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            throw Check.fail("clamp", "a bound is NaN", "min " + min + ", max " + max, "numbers or null");
        }
        float lo32 = (float) lo;
        float hi32 = (float) hi;
        return kernelMap("clamp", x, Saved.INPUT,
                (v, o, n) -> ElementwiseKernels.clamp(v, 0, o, 0, n, lo32, hi32),
                (v, o, n) -> ElementwiseKernels.clamp(v, 0, o, 0, n, lo, hi),
                (v, g, o, n) -> ElementwiseKernels.clampBackward(v, 0, g, 0, o, 0, n, lo32, hi32), // grad · [lo <= x <= hi]
                (v, g, o, n) -> ElementwiseKernels.clampBackward(v, 0, g, 0, o, 0, n, lo, hi));
    }

    /**
     * Applies {@code value} elementwise and records {@code dL/dx = grad ⊙ slope(x, y)}, in double: the path of
     * pow with a constant exponent, which has no kernel pair (the lane-wise pow operator is not bit-stable
     * between compiled and interpreted code, see ElementwiseKernels).
     */
    private static Tensor map(String op, Tensor x, DoubleUnaryOperator value, Pointwise.Slope slope) {
        if (x.dtype() == DType.F32) {
            return mapFloat(op, x, value, slope);
        }
        double[] in = x.readDoubles();
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = value.applyAsDouble(in[i]);
        }
        Tensor y = Tensor.wrap(out, x.dtype(), x.shape());
        return Tape.record(op, y, new Tensor[] {x}, (grad, needs) -> {
            double[] g = grad.readDoubles();
            double[] xs = x.readDoubles();
            double[] ys = y.readDoubles();
            double[] dx = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                dx[i] = g[i] * slope.at(xs[i], ys[i]); // dL/dx = grad · f'(x)
            }
            return new Tensor[] {Tensor.wrap(dx, x.dtype(), x.shape())};
        });
    }

    /**
     * The float32 twin of {@link #map}: the same double-precision lambdas, read from and rounded into float
     * arrays directly (no double copies), so both paths give the same bits.
     */
    private static Tensor mapFloat(String op, Tensor x, DoubleUnaryOperator value, Pointwise.Slope slope) {
        float[] in = x.floats();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) value.applyAsDouble(in[i]);
        }
        Tensor y = Tensor.wrap(out, x.shape());
        return Tape.record(op, y, new Tensor[] {x}, (grad, needs) -> {
            float[] g = grad.floats();
            float[] xs = x.floats();
            float[] dx = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                dx[i] = (float) (g[i] * slope.at(xs[i], out[i])); // dL/dx = grad · f'(x)
            }
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
        });
    }
}
