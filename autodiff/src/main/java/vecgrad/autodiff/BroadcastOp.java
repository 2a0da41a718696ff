package vecgrad.autodiff;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import vecgrad.kernels.ElementwiseKernels;

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
        ElementwiseKernels.Binary kernel = kernelOf(f);
        Tensor y = kernel != null ? run(kernel, a, b, shape) : valuesByTable(f, a, b, shape);
        return Tape.record(f.op, y, new Tensor[] {a, b}, (grad, needs) -> new Tensor[] {
            needs[0] ? partialA(f, grad, a, b, y, shape) : null, // dL/da = grad · ∂f/∂a
            needs[1] ? partialB(f, grad, a, b, y, shape) : null, // dL/db = grad · ∂f/∂b
        });
    }

    /**
     * The kernel of the ops whose float32 result is exact in float arithmetic (a float sum, difference,
     * product, quotient, maximum or minimum rounds like the double result cast to float); pow keeps the table.
     */
    private static ElementwiseKernels.Binary kernelOf(Binary f) {
        return switch (f) {
            case ADD -> ElementwiseKernels.Binary.ADD;
            case SUB -> ElementwiseKernels.Binary.SUB;
            case MUL -> ElementwiseKernels.Binary.MUL;
            case DIV -> ElementwiseKernels.Binary.DIV;
            case MAXIMUM -> ElementwiseKernels.Binary.MAX;
            case MINIMUM -> ElementwiseKernels.Binary.MIN;
            case POW -> null;
        };
    }

    private static Tensor valuesByTable(Binary f, Tensor a, Tensor b, int[] shape) {
        double[] av = expanded(a, shape);
        double[] bv = expanded(b, shape);
        double[] out = new double[av.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.value.applyAsDouble(av[i], bv[i]);
        }
        return Tensor.wrap(out, a.dtype(), shape);
    }

    /**
     * {@code out = a op b} broadcast to {@code shape} with the matching {@link ElementwiseKernels} form: equal
     * shapes, a scalar operand, a trailing row repeated over leading dimensions (a bias), a column repeated
     * along the last dimension, or the general strided broadcast.
     */
    static Tensor run(ElementwiseKernels.Binary op, Tensor a, Tensor b, int[] shape) {
        int n = Shapes.numel(shape);
        boolean commutative = op == ElementwiseKernels.Binary.ADD || op == ElementwiseKernels.Binary.MUL
                || op == ElementwiseKernels.Binary.MAX || op == ElementwiseKernels.Binary.MIN;
        if (commutative && a.numel() != n && b.numel() == n) {
            return run(op, b, a, shape); // the full operand first, so a bias on the left takes the row kernel too
        }
        boolean f32 = a.dtype() == DType.F32;
        Tensor y = Tensor.uninitialized(a.dtype(), shape); // every branch below writes all n elements
        float[] out32 = f32 ? y.floats() : null;
        double[] out64 = f32 ? null : y.doubles();
        if (n == 0) {
            return y;
        }
        int aN = a.numel();
        int bN = b.numel();
        int cols = shape.length == 0 ? 1 : shape[shape.length - 1];
        int rows = n / Math.max(1, cols);
        if (aN == n && bN == n) {
            if (f32) {
                ElementwiseKernels.binary(op, a.floats(), 0, b.floats(), 0, out32, 0, n);
            } else {
                ElementwiseKernels.binary(op, a.doubles(), 0, b.doubles(), 0, out64, 0, n);
            }
        } else if (aN == n && bN == 1) {
            if (f32) {
                ElementwiseKernels.binaryScalar(op, a.floats(), 0, b.floats()[0], out32, 0, n);
            } else {
                ElementwiseKernels.binaryScalar(op, a.doubles(), 0, b.doubles()[0], out64, 0, n);
            }
        } else if (aN == n && Shapes.isTrailingRow(b.shapeRef(), shape) && bN == cols) {
            if (f32) {
                ElementwiseKernels.binaryRow(op, a.floats(), 0, cols, b.floats(), 0, out32, 0, cols, rows, cols);
            } else {
                ElementwiseKernels.binaryRow(op, a.doubles(), 0, cols, b.doubles(), 0, out64, 0, cols, rows, cols);
            }
        } else if (aN == n && bN == rows && isColumn(b.shapeRef(), shape)) {
            if (f32) {
                ElementwiseKernels.binaryColumn(op, a.floats(), 0, cols, b.floats(), 0, out32, 0, cols, rows, cols);
            } else {
                ElementwiseKernels.binaryColumn(op, a.doubles(), 0, cols, b.doubles(), 0, out64, 0, cols, rows, cols);
            }
        } else {
            int[] aStrides = Shapes.broadcastStrides(a.shapeRef(), shape);
            int[] bStrides = Shapes.broadcastStrides(b.shapeRef(), shape);
            if (f32) {
                ElementwiseKernels.binaryStrided(op, shape, a.floats(), 0, aStrides, b.floats(), 0, bStrides, out32, 0);
            } else {
                ElementwiseKernels.binaryStrided(op, shape, a.doubles(), 0, aStrides, b.doubles(), 0, bStrides, out64, 0);
            }
        }
        return y;
    }

    /** Whether {@code column} is {@code shape} with the last dimension 1 (leading 1s aside): {@code [rows, 1]}. */
    private static boolean isColumn(int[] column, int[] shape) {
        if (shape.length == 0 || column.length == 0 || column[column.length - 1] != 1) {
            return false;
        }
        int[] lead = java.util.Arrays.copyOf(column, column.length - 1);
        return Shapes.isTrailingRow(lead, java.util.Arrays.copyOf(shape, shape.length - 1));
    }

    /** dL/da at the output's shape (the engine sums it back to a's shape). */
    private static Tensor partialA(Binary f, Tensor grad, Tensor a, Tensor b, Tensor y, int[] shape) {
        return switch (f) {
            case ADD, SUB -> grad; // ∂(a ± b)/∂a = 1: the upstream gradient itself
            case MUL -> run(ElementwiseKernels.Binary.MUL, grad, b, shape); // dL/da = grad · b
            case DIV -> run(ElementwiseKernels.Binary.DIV, grad, b, shape); // dL/da = grad / b
            default -> scaled(f.da, grad, a, b, y, shape);
        };
    }

    /** dL/db at the output's shape. */
    private static Tensor partialB(Binary f, Tensor grad, Tensor a, Tensor b, Tensor y, int[] shape) {
        return switch (f) {
            case ADD -> grad; // ∂(a + b)/∂b = 1
            case SUB -> negated(grad); // dL/db = −grad
            case MUL -> run(ElementwiseKernels.Binary.MUL, grad, a, shape); // dL/db = grad · a
            case DIV -> { // dL/db = −grad · y / b
                Tensor quotient = run(ElementwiseKernels.Binary.DIV, y, b, shape);
                yield negated(run(ElementwiseKernels.Binary.MUL, grad, quotient, shape));
            }
            default -> scaled(f.db, grad, a, b, y, shape);
        };
    }

    private static Tensor negated(Tensor t) {
        int n = t.numel();
        if (t.dtype() == DType.F32) {
            float[] out = new float[n];
            ElementwiseKernels.neg(t.floats(), 0, out, 0, n);
            return Tensor.wrap(out, t.shape());
        }
        double[] out = new double[n];
        ElementwiseKernels.neg(t.doubles(), 0, out, 0, n);
        return Tensor.wrap(out, DType.F64, t.shape());
    }

    /** grad ⊙ partial for the table ops without a kernel form of their derivative (pow, maximum, minimum ties). */
    private static Tensor scaled(Partial partial, Tensor grad, Tensor a, Tensor b, Tensor y, int[] shape) {
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
        return run(ElementwiseKernels.Binary.ADD, a, b, a.shape());
    }
}
