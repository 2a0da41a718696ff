package vecgrad.autodiff;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * Elementwise binary ops with NumPy/PyTorch broadcasting: {@code out = f(a, b)} with
 * {@code out: broadcast(a.shape, b.shape)}. Each rule returns {@code grad ⊙ ∂f/∂a} and {@code grad ⊙ ∂f/∂b}
 * at the output's shape; the engine sums them back to each input's shape ({@link Shapes#sumToShape}).
 */
final class BroadcastOp {
    private BroadcastOp() {}

    /** Partial derivative of f at one element, given both operands and the output. */
    @FunctionalInterface
    interface Partial {
        double at(double a, double b, double y);
    }

    /** The table: value and both partial derivatives, next to each other. */
    enum Binary {
        ADD("add", Double::sum, (a, b, y) -> 1, (a, b, y) -> 1),
        SUB("sub", (a, b) -> a - b, (a, b, y) -> 1, (a, b, y) -> -1),
        MUL("mul", (a, b) -> a * b, (a, b, y) -> b, (a, b, y) -> a),
        DIV("div", (a, b) -> a / b, (a, b, y) -> 1 / b, (a, b, y) -> -y / b),
        // d/db a^b = a^b·ln a is taken as 0 at a == 0 (where ln a is -Inf), as PyTorch does for b > 0.
        POW("pow", Math::pow, (a, b, y) -> b == 0 ? 0 : b * Math.pow(a, b - 1), (a, b, y) -> a > 0 ? y * Math.log(a) : 0),
        // A tie a == b splits the gradient evenly between the operands, as PyTorch does. Math.max keeps NaN.
        MAXIMUM("maximum", Math::max, (a, b, y) -> a > b ? 1 : a < b ? 0 : 0.5, (a, b, y) -> b > a ? 1 : b < a ? 0 : 0.5),
        MINIMUM("minimum", Math::min, (a, b, y) -> a < b ? 1 : a > b ? 0 : 0.5, (a, b, y) -> b < a ? 1 : b > a ? 0 : 0.5);

        final String op;
        final DoubleBinaryOperator value;
        final Partial da;
        final Partial db;

        Binary(String op, DoubleBinaryOperator value, Partial da, Partial db) {
            this.op = op;
            this.value = value;
            this.da = da;
            this.db = db;
        }
    }

    static Tensor apply(Binary f, Tensor a, Tensor b) {
        Check.sameDType(f.op, a, b);
        int[] shape = Shapes.broadcast(f.op, a.shapeRef(), b.shapeRef());
        double[] av = expanded(a, shape);
        double[] bv = expanded(b, shape);
        double[] out = new double[av.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.value.applyAsDouble(av[i], bv[i]);
        }
        Tensor y = Tensor.wrap(out, a.dtype(), shape);
        return Tape.record(f.op, y, new Tensor[] {a, b}, (grad, needs) -> new Tensor[] {
            needs[0] ? scaled(f, f.da, grad, a, b, y, shape) : null, // dL/da = grad · ∂f/∂a
            needs[1] ? scaled(f, f.db, grad, a, b, y, shape) : null, // dL/db = grad · ∂f/∂b
        });
    }

    private static Tensor scaled(Binary f, Partial partial, Tensor grad, Tensor a, Tensor b, Tensor y, int[] shape) {
        if (f == Binary.ADD) {
            return grad; // ∂(a + b)/∂a = 1: the upstream gradient itself (summed back by the engine)
        }
        double[] g = grad.readDoubles();
        double[] av = expanded(a, shape);
        double[] bv = expanded(b, shape);
        double[] yv = y.readDoubles();
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = g[i] * partial.at(av[i], bv[i], yv[i]);
        }
        return Tensor.wrap(out, grad.dtype(), shape);
    }

    private static double[] expanded(Tensor t, int[] shape) {
        return Arrays.equals(t.shapeRef(), shape) ? t.readDoubles() : Shapes.expand(t.readDoubles(), t.shapeRef(), shape);
    }

    /** {@code a + b} for equal shapes, never recorded: gradient accumulation inside the engine. */
    static Tensor addUntracked(Tensor a, Tensor b) {
        if (a.dtype() == DType.F32 && b.dtype() == DType.F32) {
            float[] x = a.floats();
            float[] y = b.floats();
            float[] out = new float[x.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = x[i] + y[i];
            }
            return Tensor.wrap(out, a.shape());
        }
        double[] x = a.readDoubles();
        double[] y = b.readDoubles();
        double[] out = new double[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] + y[i];
        }
        return Tensor.wrap(out, a.dtype(), a.shape());
    }
}
