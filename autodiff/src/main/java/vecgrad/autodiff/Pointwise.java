package vecgrad.autodiff;

import java.util.function.DoubleUnaryOperator;

/**
 * Elementwise ops without parameters, as data: each entry is a value and its derivative, written next to each
 * other. The derivative may use the input x or the output y, whichever is cheaper (exp, tanh, sigmoid and
 * sqrt reuse y). The lambdas are the definition and the scalar reference of each op.
 */
public enum Pointwise {
    NEG("neg", x -> -x, (x, y) -> -1),
    EXP("exp", Math::exp, (x, y) -> y),
    LOG("log", Math::log, (x, y) -> 1 / x),
    // sqrt'(0) is taken as 0, not +Inf: the gradient of a norm of an all-zero vector must stay finite (FAULTS 13).
    SQRT("sqrt", Math::sqrt, (x, y) -> y == 0 ? 0 : 0.5 / y),
    ABS("abs", Math::abs, (x, y) -> Math.signum(x)), // sign(0) = 0, as PyTorch
    SQUARE("square", x -> x * x, (x, y) -> 2 * x),
    TANH("tanh", Math::tanh, (x, y) -> 1 - y * y),
    SIGMOID("sigmoid", Pointwise::sigmoid, (x, y) -> y * (1 - y)),
    // "x <= 0 ? 0 : x" keeps NaN (FAULTS 15); the derivative at the kink x == 0 is taken as 0.
    RELU("relu", x -> x <= 0 ? 0 : x, (x, y) -> x > 0 ? 1 : 0);

    /** dy/dx at one element, given the input and the already computed output. */
    @FunctionalInterface
    public interface Slope {
        double at(double x, double y);
    }

    private final String op;
    private final DoubleUnaryOperator value;
    private final Slope slope;

    Pointwise(String op, DoubleUnaryOperator value, Slope slope) {
        this.op = op;
        this.value = value;
        this.slope = slope;
    }

    /** The op's PyTorch name. */
    public String op() {
        return op;
    }

    /** y(x) at one element. */
    public double value(double x) {
        return value.applyAsDouble(x);
    }

    /** dy/dx at one element. */
    public double slope(double x, double y) {
        return slope.at(x, y);
    }

    DoubleUnaryOperator valueFunction() {
        return value;
    }

    Slope slopeFunction() {
        return slope;
    }

    /** Logistic function without overflow: e^x / (1 + e^x) for negative x, so e^(-x) is never taken of -1000. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
