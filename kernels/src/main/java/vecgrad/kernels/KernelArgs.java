package vecgrad.kernels;

/**
 * Argument checks shared by every kernel family, so that bad sizes fail before anything is written
 * and every message has one format: {@code kernel: problem; got ..., expected ...}.
 */
public final class KernelArgs {
    private KernelArgs() {}

    public static IllegalArgumentException fail(String kernel, String problem, String got, String expected) {
        return new IllegalArgumentException(kernel + ": " + problem + "; got " + got + ", expected " + expected);
    }

    /** Throws unless {@code value >= 0}. */
    public static void nonNegative(String kernel, String name, long value) {
        if (value < 0) {
            throw fail(kernel, name + " is negative", name + " = " + value, name + " >= 0");
        }
    }

    /** Throws unless {@code value >= 1}. */
    public static void positive(String kernel, String name, long value) {
        if (value < 1) {
            throw fail(kernel, name + " is not positive", name + " = " + value, name + " >= 1");
        }
    }

    /**
     * Throws unless {@code offset >= 0} and the array holds {@code needed} cells from {@code offset}.
     * {@code needed} is a long so that size products cannot overflow before the check.
     */
    public static void fits(String kernel, String array, int length, int offset, long needed) {
        if (offset < 0) {
            throw fail(kernel, array + " offset is negative", array + "Off = " + offset, array + "Off >= 0");
        }
        if (needed > 0 && offset + needed > length) {
            throw fail(kernel, array + " is too short", array + ".length = " + length + " with " + array + "Off = "
                    + offset, "at least " + (offset + needed) + " cells (" + needed + " from the offset)");
        }
    }

    /**
     * Throws unless a row-major matrix of {@code rows x cols} with leading dimension {@code ld}
     * fits in the array from {@code offset}.
     */
    public static void matrix(String kernel, String array, int length, int offset, int ld, int rows, int cols) {
        nonNegative(kernel, "rows of " + array, rows);
        nonNegative(kernel, "columns of " + array, cols);
        if (ld < Math.max(1, cols)) {
            throw fail(kernel, "leading dimension of " + array + " is smaller than its row",
                    "ld" + array + " = " + ld, "ld" + array + " >= " + Math.max(1, cols));
        }
        long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        fits(kernel, array, length, offset, needed);
    }

    /** Throws when an output region overlaps an input region of the same array. */
    public static void disjoint(String kernel, String out, Object outArray, int outOff, long outLen,
                                String in, Object inArray, int inOff, long inLen) {
        if (outArray == inArray && outLen > 0 && inLen > 0 && outOff < inOff + inLen && inOff < outOff + outLen) {
            throw fail(kernel, out + " aliases " + in, out + " [" + outOff + ", " + (outOff + outLen) + ") and " + in
                    + " [" + inOff + ", " + (inOff + inLen) + ") in the same array", "separate storage");
        }
    }
}
