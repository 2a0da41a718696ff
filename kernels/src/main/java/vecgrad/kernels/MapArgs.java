package vecgrad.kernels;

/**
 * Argument checks shared by the elementwise, reduction, softmax and distance kernels and their
 * references, so both twins reject exactly the same calls, with the {@link KernelArgs} message
 * format, before anything is written.
 */
final class MapArgs {
    private MapArgs() {}

    /** {@code n >= 0}, x holds n cells from xOff, out holds n cells from outOff, out is x in place or disjoint. */
    static void unary(String kernel, Object x, int xLength, int xOff, Object out, int outLength, int outOff, int n) {
        KernelArgs.nonNegative(kernel, "n", n);
        KernelArgs.fits(kernel, "x", xLength, xOff, n);
        KernelArgs.fits(kernel, "out", outLength, outOff, n);
        inPlaceOrDisjoint(kernel, "out", out, outOff, n, "x", x, xOff, n);
    }

    /** axpy: x and y hold n cells; y (updated in place) is x itself or disjoint from it. */
    static void axpy(Object x, int xLength, int xOff, Object y, int yLength, int yOff, int n) {
        KernelArgs.nonNegative("axpy", "n", n);
        KernelArgs.fits("axpy", "x", xLength, xOff, n);
        KernelArgs.fits("axpy", "y", yLength, yOff, n);
        inPlaceOrDisjoint("axpy", "y", y, yOff, n, "x", x, xOff, n);
    }

    /** Like {@link #unary} for a derivative kernel reading a saved tensor (x or y) and the upstream gradient. */
    static void backward(String kernel, String saved, Object s, int sLength, int sOff, Object grad, int gradLength,
                         int gradOff, Object out, int outLength, int outOff, int n) {
        KernelArgs.nonNegative(kernel, "n", n);
        KernelArgs.fits(kernel, saved, sLength, sOff, n);
        KernelArgs.fits(kernel, "grad", gradLength, gradOff, n);
        KernelArgs.fits(kernel, "out", outLength, outOff, n);
        inPlaceOrDisjoint(kernel, "out", out, outOff, n, saved, s, sOff, n);
        inPlaceOrDisjoint(kernel, "out", out, outOff, n, "grad", grad, gradOff, n);
    }

    /** Same-shape binary map: a, b and out each hold n cells; out is a or b in place, or disjoint from both. */
    static void binary(String kernel, Object a, int aLength, int aOff, Object b, int bLength, int bOff,
                       Object out, int outLength, int outOff, int n) {
        KernelArgs.nonNegative(kernel, "n", n);
        KernelArgs.fits(kernel, "a", aLength, aOff, n);
        KernelArgs.fits(kernel, "b", bLength, bOff, n);
        KernelArgs.fits(kernel, "out", outLength, outOff, n);
        inPlaceOrDisjoint(kernel, "out", out, outOff, n, "a", a, aOff, n);
        inPlaceOrDisjoint(kernel, "out", out, outOff, n, "b", b, bOff, n);
    }

    /**
     * Row-major {@code [rows, cols]} input and output with leading dimensions; out may be the input
     * with the same offset and leading dimension (in place), otherwise the two must not overlap.
     */
    static void matrixMap(String kernel, String in, Object x, int xLength, int xOff, int ldx,
                          Object out, int outLength, int outOff, int ldo, int rows, int cols) {
        KernelArgs.matrix(kernel, in, xLength, xOff, ldx, rows, cols);
        KernelArgs.matrix(kernel, "out", outLength, outOff, ldo, rows, cols);
        if (x == out && xOff == outOff && ldx == ldo) {
            return;
        }
        KernelArgs.disjoint(kernel, "out", out, outOff, span(rows, cols, ldo), in, x, xOff, span(rows, cols, ldx));
    }

    /** Cells spanned by a row-major {@code [rows, cols]} block with leading dimension ld. */
    static long span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }

    /** Cells spanned by a contiguous {@code [outer, axis, inner]} block, guarding against int overflow. */
    static long volume(String kernel, int outer, int axis, int inner) {
        KernelArgs.nonNegative(kernel, "outer", outer);
        KernelArgs.nonNegative(kernel, "axis", axis);
        KernelArgs.nonNegative(kernel, "inner", inner);
        long cells = (long) outer * axis * inner;
        if (cells > Integer.MAX_VALUE) {
            throw KernelArgs.fail(kernel, "block is larger than an array", "outer * axis * inner = " + cells,
                    "at most " + Integer.MAX_VALUE);
        }
        return cells;
    }

    /** Output identical to the input (same array, same offset) is allowed; any other overlap is not. */
    static void inPlaceOrDisjoint(String kernel, String out, Object outArray, int outOff, long outLen,
                                  String in, Object inArray, int inOff, long inLen) {
        if (outArray == inArray && outOff == inOff && outLen == inLen) {
            return;
        }
        KernelArgs.disjoint(kernel, out, outArray, outOff, outLen, in, inArray, inOff, inLen);
    }

    /** Reductions over an empty range with no identity (max, mean, argmax) are errors, as PyTorch's max is. */
    static void nonEmpty(String kernel, String name, int value) {
        if (value < 1) {
            throw KernelArgs.fail(kernel, "reduction over an empty range has no value", name + " = " + value,
                    name + " >= 1");
        }
    }
}
