package vecgrad.autodiff;

import java.util.Arrays;
import vecgrad.kernels.ReduceKernels;

/**
 * Shape arithmetic and the strided loops shared by every op: broadcasting, undoing broadcasting
 * ({@link #sumToShape}), and gather/scatter over a strided view of a dense row-major array.
 *
 * <p>All data movement of layout ops (permute, slice, pad, concat, expand) and of reductions is one of two
 * loops: {@link #gather} reads {@code src[base + Σ index[d]·strides[d]]} for every index of {@code shape},
 * {@link #scatterAdd} adds into that place. A stride of 0 repeats (expand) or sums (reduce) along a dimension.
 */
public final class Shapes {
    private Shapes() {}

    /** Number of elements; throws on int overflow. */
    public static int numel(int[] shape) {
        int n = 1;
        for (int size : shape) {
            n = Math.multiplyExact(n, size);
        }
        return n;
    }

    /** {@code [2, 3]} style, the format used in every message. */
    public static String toString(int[] shape) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return text.append(']').toString();
    }

    /** Row-major strides of a dense tensor of {@code shape}. */
    public static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }

    /**
     * NumPy/PyTorch broadcast of two shapes: aligned from the right, a missing or size-1 dimension stretches,
     * other sizes must match (FAULTS 1: no accidental broadcast).
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw Check.fail(op, "shapes cannot be broadcast (dimension " + i + " of the aligned shapes: "
                                + da + " vs " + db + ")", "a " + toString(a) + " and b " + toString(b),
                        "equal sizes or 1 in every aligned dimension");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides that read a dense tensor of shape {@code source} as if it had the (broadcast) shape
     * {@code target}: 0 along stretched and missing dimensions.
     */
    public static int[] broadcastStrides(int[] source, int[] target) {
        int[] dense = strides(source);
        int[] strides = new int[target.length];
        int shift = target.length - source.length;
        for (int d = 0; d < target.length; d++) {
            int s = d - shift;
            strides[d] = s < 0 || source[s] == 1 ? 0 : dense[s];
        }
        return strides;
    }

    /** {@code out[i] = src[base + Σ index(i)[d]·strides[d]]} for every row-major index i of {@code shape}. */
    public static double[] gather(double[] src, int base, int[] strides, int[] shape) {
        int n = numel(shape);
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        int rank = shape.length;
        if (rank == 0) {
            out[0] = src[base];
            return out;
        }
        int[] index = new int[rank];
        int last = rank - 1;
        int innerSize = shape[last];
        int innerStride = strides[last];
        int offset = base;
        for (int i = 0; i < n; i += innerSize) {
            for (int j = 0, at = offset; j < innerSize; j++, at += innerStride) {
                out[i + j] = src[at];
            }
            offset = advance(index, shape, strides, offset, last - 1);
        }
        return out;
    }

    /** {@code dst[base + Σ index(i)[d]·strides[d]] += values[i]} for every row-major index i of {@code shape}. */
    public static void scatterAdd(double[] values, double[] dst, int base, int[] strides, int[] shape) {
        int n = numel(shape);
        if (n == 0) {
            return;
        }
        int rank = shape.length;
        if (rank == 0) {
            dst[base] += values[0];
            return;
        }
        int[] index = new int[rank];
        int last = rank - 1;
        int innerSize = shape[last];
        int innerStride = strides[last];
        int offset = base;
        for (int i = 0; i < n; i += innerSize) {
            for (int j = 0, at = offset; j < innerSize; j++, at += innerStride) {
                dst[at] += values[i + j];
            }
            offset = advance(index, shape, strides, offset, last - 1);
        }
    }

    /** Odometer step over dimensions {@code 0..top}; returns the new offset. */
    private static int advance(int[] index, int[] shape, int[] strides, int offset, int top) {
        for (int d = top; d >= 0; d--) {
            index[d]++;
            offset += strides[d];
            if (index[d] < shape[d]) {
                return offset;
            }
            offset -= index[d] * strides[d];
            index[d] = 0;
        }
        return offset;
    }

    /** Reads {@code data} (dense, shape {@code source}) broadcast to {@code target}. */
    public static double[] expand(double[] data, int[] source, int[] target) {
        return gather(data, 0, broadcastStrides(source, target), target);
    }

    /**
     * Undoes broadcasting centrally (STYLE.md §2 rule 5): sums {@code grad} over the dimensions along which a
     * tensor of shape {@code shape} was stretched to the gradient's shape, giving a tensor of {@code shape}.
     * Returns {@code grad} itself when the shapes already agree.
     */
    public static Tensor sumToShape(Tensor grad, int[] shape) {
        if (Arrays.equals(grad.shapeRef(), shape)) {
            return grad;
        }
        if (numel(shape) != 0 && !canBroadcastTo(shape, grad.shapeRef())) {
            throw Check.fail("sumToShape", "gradient shape does not broadcast from the input shape",
                    "gradient " + toString(grad.shapeRef()) + " for input " + toString(shape),
                    "an input shape that broadcasts to the gradient shape");
        }
        int n = numel(shape);
        int total = grad.numel();
        int[] target = grad.shapeRef();
        if (n > 0 && isTrailingRow(shape, target)) {
            // A bias-like row repeated over leading dims (a Linear layer's bias gradient): a column sum.
            return sumAxis(grad, 1, total / n, n, shape);
        }
        if (n > 0 && target.length > 0 && shape.length > 0 && shape[shape.length - 1] == 1
                && n * target[target.length - 1] == total
                && isTrailingRow(Arrays.copyOf(shape, shape.length - 1), Arrays.copyOf(target, target.length - 1))) {
            // A column [rows, 1] repeated along the last dimension: a sum along each row.
            return sumAxis(grad, n, target[target.length - 1], 1, shape);
        }
        double[] out = new double[n];
        scatterAdd(grad.readDoubles(), out, 0, broadcastStrides(shape, target), target);
        return Tensor.wrap(out, grad.dtype(), shape.clone());
    }

    /** {@code out[o, i] = Σ_a grad[o, a, i]} of a dense {@code grad: [outer, axis, inner]}, shaped {@code shape}. */
    static Tensor sumAxis(Tensor grad, int outer, int axis, int inner, int[] shape) {
        if (grad.dtype() == DType.F32) {
            float[] out = new float[outer * inner];
            if (inner == 1) { // sums along contiguous rows: the row kernel runs along memory
                ReduceKernels.sumRows(grad.floats(), 0, Math.max(1, axis), out, 0, outer, axis);
            } else {
                ReduceKernels.sumAxis(grad.floats(), 0, out, 0, outer, axis, inner);
            }
            return Tensor.wrap(out, shape.clone());
        }
        double[] out = new double[outer * inner];
        if (inner == 1) {
            ReduceKernels.sumRows(grad.doubles(), 0, Math.max(1, axis), out, 0, outer, axis);
        } else {
            ReduceKernels.sumAxis(grad.doubles(), 0, out, 0, outer, axis, inner);
        }
        return Tensor.wrap(out, DType.F64, shape.clone());
    }

    /** Whether {@code row}, without leading 1s, equals the trailing dimensions of {@code shape}. */
    static boolean isTrailingRow(int[] row, int[] shape) {
        int skip = 0;
        while (skip < row.length && row[skip] == 1) {
            skip++;
        }
        int length = row.length - skip;
        if (length > shape.length) {
            return false;
        }
        for (int d = 0; d < length; d++) {
            if (row[skip + d] != shape[shape.length - length + d]) {
                return false;
            }
        }
        return true;
    }

    static boolean canBroadcastTo(int[] source, int[] target) {
        if (source.length > target.length) {
            return false;
        }
        int shift = target.length - source.length;
        for (int d = 0; d < source.length; d++) {
            if (source[d] != 1 && source[d] != target[d + shift]) {
                return false;
            }
        }
        return true;
    }

    /** Splits {@code shape} at {@code dim} into (outer, size, inner) for loops along one dimension. */
    static int outer(int[] shape, int dim) {
        int n = 1;
        for (int d = 0; d < dim; d++) {
            n *= shape[d];
        }
        return n;
    }

    static int inner(int[] shape, int dim) {
        int n = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            n *= shape[d];
        }
        return n;
    }
}
