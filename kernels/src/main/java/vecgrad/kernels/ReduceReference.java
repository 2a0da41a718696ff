package vecgrad.kernels;

/**
 * Scalar twin of {@link ReduceKernels}: one sequential loop per reduction with the same public
 * signatures, checks and conventions. float32 sums accumulate in double and round once; float64
 * sums are sequential (dot with {@code Math.fma}).
 */
public final class ReduceReference {
    private ReduceReference() {}

    // ---- float32 ----

    public static float sum(float[] x, int xOff, int n) {
        ReduceKernels.checkRun("sum", x.length, xOff, n);
        return (float) total(x, xOff, n);
    }

    public static float mean(float[] x, int xOff, int n) {
        ReduceKernels.checkRun("mean", x.length, xOff, n);
        MapArgs.nonEmpty("mean", "n", n);
        return (float) (total(x, xOff, n) / n);
    }

    public static float max(float[] x, int xOff, int n) {
        ReduceKernels.checkRun("max", x.length, xOff, n);
        MapArgs.nonEmpty("max", "n", n);
        return x[xOff + first(x, xOff, n, 1)];
    }

    public static int argmax(float[] x, int xOff, int n) {
        ReduceKernels.checkRun("argmax", x.length, xOff, n);
        MapArgs.nonEmpty("argmax", "n", n);
        return first(x, xOff, n, 1);
    }

    public static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        ReduceKernels.checkRun("dot", x.length, xOff, n);
        KernelArgs.fits("dot", "y", y.length, yOff, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum = Math.fma((double) x[xOff + i], y[yOff + i], sum);
        }
        return (float) sum;
    }

    public static float squaredNorm(float[] x, int xOff, int n) {
        ReduceKernels.checkRun("squared_norm", x.length, xOff, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum = Math.fma((double) x[xOff + i], x[xOff + i], sum);
        }
        return (float) sum;
    }

    public static void sumRows(float[] x, int xOff, int ldx, float[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("sum", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = (float) total(x, xOff + r * ldx, cols);
        }
    }

    public static void meanRows(float[] x, int xOff, int ldx, float[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("mean", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("mean", "cols", cols);
        }
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = (float) (total(x, xOff + r * ldx, cols) / cols);
        }
    }

    public static void maxRows(float[] x, int xOff, int ldx, float[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("max", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("max", "cols", cols);
        }
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = x[xOff + r * ldx + first(x, xOff + r * ldx, cols, 1)];
        }
    }

    public static void argmaxRows(float[] x, int xOff, int ldx, int[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("argmax", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("argmax", "cols", cols);
        }
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = first(x, xOff + r * ldx, cols, 1);
        }
    }

    public static void squaredNormRows(float[] x, int xOff, int ldx, float[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("squared_norm", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                float v = x[xOff + r * ldx + c];
                sum = Math.fma((double) v, v, sum);
            }
            out[outOff + r] = (float) sum;
        }
    }

    public static void sumAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        ReduceKernels.checkAxis("sum", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                out[outOff + o * inner + i] = (float) total(x, xOff + o * axis * inner + i, axis, inner);
            }
        }
    }

    public static void sumAxisBackward(float[] grad, int gradOff, float[] out, int outOff, int outer, int axis,
                                       int inner) {
        ReduceKernels.checkAxisBackward("sum_backward", grad, grad.length, gradOff, out, out.length, outOff, outer,
                axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int a = 0; a < axis; a++) {
                for (int i = 0; i < inner; i++) {
                    out[outOff + (o * axis + a) * inner + i] = grad[gradOff + o * inner + i];
                }
            }
        }
    }

    public static void meanAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        ReduceKernels.checkAxis("mean", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("mean", "axis", axis);
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                out[outOff + o * inner + i] = (float) (total(x, xOff + o * axis * inner + i, axis, inner) / axis);
            }
        }
    }

    public static void maxAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        ReduceKernels.checkAxis("max", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("max", "axis", axis);
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int from = xOff + o * axis * inner + i;
                out[outOff + o * inner + i] = x[from + first(x, from, axis, inner) * inner];
            }
        }
    }

    public static void argmaxAxis(float[] x, int xOff, int[] out, int outOff, int outer, int axis, int inner) {
        ReduceKernels.checkAxis("argmax", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("argmax", "axis", axis);
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                out[outOff + o * inner + i] = first(x, xOff + o * axis * inner + i, axis, inner);
            }
        }
    }

    private static double total(float[] x, int from, int n) {
        return total(x, from, n, 1);
    }

    private static double total(float[] x, int from, int n, int stride) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += x[from + k * stride];
        }
        return sum;
    }

    /** Position k (in steps of stride) of the first NaN if there is one, else of the first maximum. */
    private static int first(float[] x, int from, int n, int stride) {
        int best = 0;
        for (int k = 0; k < n; k++) {
            float v = x[from + k * stride];
            if (Float.isNaN(v)) {
                return k;
            }
            if (v > x[from + best * stride]) {
                best = k;
            }
        }
        return best;
    }
    // ---- float64: the float32 code above, with double lanes ----

    public static double sum(double[] x, int xOff, int n) {
        ReduceKernels.checkRun("sum", x.length, xOff, n);
        return total(x, xOff, n);
    }

    public static double mean(double[] x, int xOff, int n) {
        ReduceKernels.checkRun("mean", x.length, xOff, n);
        MapArgs.nonEmpty("mean", "n", n);
        return (total(x, xOff, n) / n);
    }

    public static double max(double[] x, int xOff, int n) {
        ReduceKernels.checkRun("max", x.length, xOff, n);
        MapArgs.nonEmpty("max", "n", n);
        return x[xOff + first(x, xOff, n, 1)];
    }

    public static int argmax(double[] x, int xOff, int n) {
        ReduceKernels.checkRun("argmax", x.length, xOff, n);
        MapArgs.nonEmpty("argmax", "n", n);
        return first(x, xOff, n, 1);
    }

    public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        ReduceKernels.checkRun("dot", x.length, xOff, n);
        KernelArgs.fits("dot", "y", y.length, yOff, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum = Math.fma(x[xOff + i], y[yOff + i], sum);
        }
        return sum;
    }

    public static double squaredNorm(double[] x, int xOff, int n) {
        ReduceKernels.checkRun("squared_norm", x.length, xOff, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum = Math.fma(x[xOff + i], x[xOff + i], sum);
        }
        return sum;
    }

    public static void sumRows(double[] x, int xOff, int ldx, double[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("sum", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = total(x, xOff + r * ldx, cols);
        }
    }

    public static void meanRows(double[] x, int xOff, int ldx, double[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("mean", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("mean", "cols", cols);
        }
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = (total(x, xOff + r * ldx, cols) / cols);
        }
    }

    public static void maxRows(double[] x, int xOff, int ldx, double[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("max", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("max", "cols", cols);
        }
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = x[xOff + r * ldx + first(x, xOff + r * ldx, cols, 1)];
        }
    }

    public static void argmaxRows(double[] x, int xOff, int ldx, int[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("argmax", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        if (rows > 0) {
            MapArgs.nonEmpty("argmax", "cols", cols);
        }
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = first(x, xOff + r * ldx, cols, 1);
        }
    }

    public static void squaredNormRows(double[] x, int xOff, int ldx, double[] out, int outOff, int rows, int cols) {
        ReduceKernels.checkRows("squared_norm", x, x.length, xOff, ldx, out, out.length, outOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double v = x[xOff + r * ldx + c];
                sum = Math.fma(v, v, sum);
            }
            out[outOff + r] = sum;
        }
    }

    public static void sumAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        ReduceKernels.checkAxis("sum", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                out[outOff + o * inner + i] = total(x, xOff + o * axis * inner + i, axis, inner);
            }
        }
    }

    public static void sumAxisBackward(double[] grad, int gradOff, double[] out, int outOff, int outer, int axis,
                                       int inner) {
        ReduceKernels.checkAxisBackward("sum_backward", grad, grad.length, gradOff, out, out.length, outOff, outer,
                axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int a = 0; a < axis; a++) {
                for (int i = 0; i < inner; i++) {
                    out[outOff + (o * axis + a) * inner + i] = grad[gradOff + o * inner + i];
                }
            }
        }
    }

    public static void meanAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        ReduceKernels.checkAxis("mean", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("mean", "axis", axis);
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                out[outOff + o * inner + i] = (total(x, xOff + o * axis * inner + i, axis, inner) / axis);
            }
        }
    }

    public static void maxAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        ReduceKernels.checkAxis("max", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("max", "axis", axis);
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int from = xOff + o * axis * inner + i;
                out[outOff + o * inner + i] = x[from + first(x, from, axis, inner) * inner];
            }
        }
    }

    public static void argmaxAxis(double[] x, int xOff, int[] out, int outOff, int outer, int axis, int inner) {
        ReduceKernels.checkAxis("argmax", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        if (outer > 0 && inner > 0) {
            MapArgs.nonEmpty("argmax", "axis", axis);
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                out[outOff + o * inner + i] = first(x, xOff + o * axis * inner + i, axis, inner);
            }
        }
    }

    private static double total(double[] x, int from, int n) {
        return total(x, from, n, 1);
    }

    private static double total(double[] x, int from, int n, int stride) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += x[from + k * stride];
        }
        return sum;
    }

    /** Position k (in steps of stride) of the first NaN if there is one, else of the first maximum. */
    private static int first(double[] x, int from, int n, int stride) {
        int best = 0;
        for (int k = 0; k < n; k++) {
            double v = x[from + k * stride];
            if (Double.isNaN(v)) {
                return k;
            }
            if (v > x[from + best * stride]) {
                best = k;
            }
        }
        return best;
    }
}
