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
        Tensor y = rowwiseFloat(f, a, b, shape);
        if (y == null) {
            double[] av = expanded(a, shape);
            double[] bv = expanded(b, shape);
            double[] out = new double[av.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = f.value.applyAsDouble(av[i], bv[i]);
            }
            y = Tensor.wrap(out, a.dtype(), shape);
        }
        Tensor result = y;
        return Tape.record(f.op, result, new Tensor[] {a, b}, (grad, needs) -> new Tensor[] {
            needs[0] ? scaled(f, f.da, grad, a, b, result, shape) : null, // dL/da = grad · ∂f/∂a
            needs[1] ? scaled(f, f.db, grad, a, b, result, shape) : null, // dL/db = grad · ∂f/∂b
        });
    }

    /**
     * Float32 fast path of add/sub/mul when one operand has the full shape and the other repeats along
     * leading dimensions (a bias row, a scalar): one pass over float arrays, no double copies. A float sum,
     * difference or product rounds exactly like the double path's result cast to float, so both paths agree
     * bit for bit. Returns null when the case does not apply.
     */
    private static Tensor rowwiseFloat(Binary f, Tensor a, Tensor b, int[] shape) {
        if (a.dtype() != DType.F32 || !(f == Binary.ADD || f == Binary.SUB || f == Binary.MUL)) {
            return null;
        }
        boolean aFull = Arrays.equals(a.shapeRef(), shape);
        boolean bFull = Arrays.equals(b.shapeRef(), shape);
        if (!(aFull && Shapes.isTrailingRow(b.shapeRef(), shape))
                && !(bFull && Shapes.isTrailingRow(a.shapeRef(), shape))) {
            return null;
        }
        float[] x = a.floats();
        float[] z = b.floats();
        int n = Shapes.numel(shape);
        int row = Math.min(x.length, z.length);
        if (n == 0 || row == 0) {
            return null;
        }
        float[] out = new float[n];
        for (int base = 0; base < n; base += row) {
            int xb = aFull ? base : 0;
            int zb = bFull ? base : 0;
            switch (f) {
                case ADD -> {
                    for (int j = 0; j < row; j++) {
                        out[base + j] = x[xb + j] + z[zb + j];
                    }
                }
                case SUB -> {
                    for (int j = 0; j < row; j++) {
                        out[base + j] = x[xb + j] - z[zb + j];
                    }
                }
                default -> {
                    for (int j = 0; j < row; j++) {
                        out[base + j] = x[xb + j] * z[zb + j];
                    }
                }
            }
        }
        return Tensor.wrap(out, shape.clone());
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
