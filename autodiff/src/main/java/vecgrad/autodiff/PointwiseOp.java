package vecgrad.autodiff;

import java.util.function.DoubleUnaryOperator;

/**
 * Elementwise unary ops {@code y[i] = f(x[i])}, shape preserved: the parameter-free {@link Pointwise} table
 * and the ops with parameters (pow with a constant exponent, leaky_relu, elu, softplus, clamp). Backward is
 * {@code dL/dx = grad ⊙ f'(x, y)}.
 */
final class PointwiseOp {
    private PointwiseOp() {}

    static Tensor apply(Pointwise op, Tensor x) {
        if (op == Pointwise.RELU && x.dtype() == DType.F32) {
            return reluFloat(x);
        }
        return map(op.op(), x, op.valueFunction(), op.slopeFunction());
    }

    /**
     * relu on float32 in one pass over float arrays (the hot activation of every MLP); the same values and
     * slopes as {@link Pointwise#RELU}, which stays its definition.
     */
    private static Tensor reluFloat(Tensor x) {
        float[] in = x.floats();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = v <= 0 ? 0 : v; // keeps NaN
        }
        Tensor y = Tensor.wrap(out, x.shape());
        return Tape.record("relu", y, new Tensor[] {x}, (grad, needs) -> {
            float[] g = grad.floats();
            float[] xs = x.floats();
            float[] dx = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                dx[i] = xs[i] > 0 ? g[i] : 0; // dL/dx = grad · [x > 0]
            }
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
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
        return map("leaky_relu", x, v -> v > 0 ? v : negativeSlope * v, (v, y) -> v > 0 ? 1 : negativeSlope);
    }

    /** x for x > 0, else {@code alpha·(e^x − 1)}; the slope at 0 is {@code alpha} (PyTorch). */
    static Tensor elu(Tensor x, double alpha) {
        Check.notNaN("elu", "alpha", alpha);
        return map("elu", x, v -> v > 0 ? v : alpha * Math.expm1(v), (v, y) -> v > 0 ? 1 : alpha * Math.exp(v));
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
        return map("softplus", x, v -> {
            double z = beta * v;
            return z > threshold ? v : (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))) / beta;
        }, (v, y) -> beta * v > threshold ? 1 : Pointwise.sigmoid(beta * v));
    }

    /** {@code min(max(x, min), max)}, a null bound being unbounded; slope 1 inside the closed interval, else 0. */
    static Tensor clamp(Tensor x, Double min, Double max) {
        double lo = min == null ? Double.NEGATIVE_INFINITY : min;
        double hi = max == null ? Double.POSITIVE_INFINITY : max;
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            throw Check.fail("clamp", "a bound is NaN", "min " + min + ", max " + max, "numbers or null");
        }
        return map("clamp", x, v -> Math.min(Math.max(v, lo), hi), (v, y) -> v >= lo && v <= hi ? 1 : 0);
    }

    /** Applies {@code value} elementwise and records {@code dL/dx = grad ⊙ slope(x, y)}. */
    static Tensor map(String op, Tensor x, DoubleUnaryOperator value, Pointwise.Slope slope) {
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
