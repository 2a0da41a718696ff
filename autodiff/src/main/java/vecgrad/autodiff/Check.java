package vecgrad.autodiff;

import java.util.Arrays;

/**
 * Argument checks that produce one message format for every op:
 * {@code op: problem; got ..., expected ...} (an {@link IllegalArgumentException}), raised before anything
 * is written.
 */
public final class Check {
    private Check() {}

    /** The one error format: {@code op + ": " + problem + "; got " + got + ", expected " + expected}. */
    public static IllegalArgumentException fail(String op, String problem, String got, String expected) {
        return new IllegalArgumentException(op + ": " + problem + "; got " + got + ", expected " + expected);
    }

    /** Requires {@code tensor.rank() == rank}. */
    public static void rank(String op, String name, Tensor tensor, int rank) {
        if (tensor.rank() != rank) {
            throw fail(op, name + " must be " + rank + "-D", name + " " + tensor.shapeString(),
                    "a tensor of rank " + rank);
        }
    }

    /** Requires both operands to share a dtype: vecgrad never promotes implicitly (FAULTS 3). */
    public static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw fail(op, "dtypes differ", "a " + a.dtype() + " " + a.shapeString() + " and b " + b.dtype() + " "
                    + b.shapeString(), "the same dtype (cast explicitly with to(DType))");
        }
    }

    /** Normalizes a possibly negative dimension {@code dim} of a tensor of rank {@code rank} (FAULTS 5). */
    public static int dim(String op, int dim, int rank) {
        if (dim < -rank || dim >= rank) {
            throw fail(op, "dim " + dim + " out of range for a tensor of rank " + rank, "dim " + dim,
                    "a dim in [" + (-rank) + ", " + rank + ")");
        }
        return dim < 0 ? dim + rank : dim;
    }

    /** Normalizes {@code dim} for ops that insert a dimension (stack): valid range is [-(rank+1), rank+1). */
    static int insertDim(String op, int dim, int rank) {
        return dim(op, dim, rank + 1);
    }

    /** Requires a finite, or at least non-NaN, scalar attribute. */
    static void notNaN(String op, String name, double value) {
        if (Double.isNaN(value)) {
            throw fail(op, name + " is NaN", name + " NaN", "a number");
        }
    }

    static String shape(int[] shape) {
        return Shapes.toString(shape);
    }

    static String ints(int[] values) {
        return Arrays.toString(values);
    }
}
