package vecgrad.kernels;

/**
 * Scalar twin of {@link SoftmaxKernels}: the max-shifted formulas computed in double one element at
 * a time, with the same public signatures and checks. A row or axis is a strided run of elements
 * here (stride 1 for rows, {@code inner} for the axis forms), so both forms share one loop.
 */
public final class SoftmaxReference {
    private SoftmaxReference() {}

    // ---- float32 ----

    public static void softmax(float[] x, int xOff, int ldx, float[] out, int outOff, int ldo, int rows, int cols) {
        MapArgs.matrixMap("softmax", "x", x, x.length, xOff, ldx, out, out.length, outOff, ldo, rows, cols);
        for (int r = 0; r < rows; r++) {
            forward(x, xOff + r * ldx, out, outOff + r * ldo, cols, 1, false);
        }
    }

    public static void logSoftmax(float[] x, int xOff, int ldx, float[] out, int outOff, int ldo, int rows,
                                  int cols) {
        MapArgs.matrixMap("log_softmax", "x", x, x.length, xOff, ldx, out, out.length, outOff, ldo, rows, cols);
        for (int r = 0; r < rows; r++) {
            forward(x, xOff + r * ldx, out, outOff + r * ldo, cols, 1, true);
        }
    }

    public static void softmaxBackward(float[] y, int yOff, int ldy, float[] grad, int gradOff, int ldg, float[] out,
                                       int outOff, int ldo, int rows, int cols) {
        SoftmaxKernels.checkBackwardRows("softmax_backward", y, y.length, yOff, ldy, grad, grad.length, gradOff, ldg,
                out, out.length, outOff, ldo, rows, cols);
        for (int r = 0; r < rows; r++) {
            backward(y, yOff + r * ldy, grad, gradOff + r * ldg, out, outOff + r * ldo, cols, 1, false);
        }
    }

    public static void logSoftmaxBackward(float[] y, int yOff, int ldy, float[] grad, int gradOff, int ldg,
                                          float[] out, int outOff, int ldo, int rows, int cols) {
        SoftmaxKernels.checkBackwardRows("log_softmax_backward", y, y.length, yOff, ldy, grad, grad.length, gradOff,
                ldg, out, out.length, outOff, ldo, rows, cols);
        for (int r = 0; r < rows; r++) {
            backward(y, yOff + r * ldy, grad, gradOff + r * ldg, out, outOff + r * ldo, cols, 1, true);
        }
    }

    public static void softmaxAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        SoftmaxKernels.checkAxis("softmax", "x", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int at = o * axis * inner + i;
                forward(x, xOff + at, out, outOff + at, axis, inner, false);
            }
        }
    }

    public static void logSoftmaxAxis(float[] x, int xOff, float[] out, int outOff, int outer, int axis, int inner) {
        SoftmaxKernels.checkAxis("log_softmax", "x", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int at = o * axis * inner + i;
                forward(x, xOff + at, out, outOff + at, axis, inner, true);
            }
        }
    }

    public static void softmaxAxisBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff,
                                           int outer, int axis, int inner) {
        SoftmaxKernels.checkBackwardAxis("softmax_backward", y, y.length, yOff, grad, grad.length, gradOff, out,
                out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int at = o * axis * inner + i;
                backward(y, yOff + at, grad, gradOff + at, out, outOff + at, axis, inner, false);
            }
        }
    }

    public static void logSoftmaxAxisBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff,
                                              int outer, int axis, int inner) {
        SoftmaxKernels.checkBackwardAxis("log_softmax_backward", y, y.length, yOff, grad, grad.length, gradOff, out,
                out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int at = o * axis * inner + i;
                backward(y, yOff + at, grad, gradOff + at, out, outOff + at, axis, inner, true);
            }
        }
    }

    /** One softmax (or log-softmax) over n elements spaced by stride, in double. */
    private static void forward(float[] x, int from, float[] out, int to, int n, int stride, boolean log) {
        if (n == 0) {
            return;
        }
        double max = x[from];
        for (int k = 1; k < n; k++) {
            max = Math.max(max, x[from + k * stride]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(x[from + k * stride] - max);
        }
        double logSum = Math.log(sum);
        for (int k = 0; k < n; k++) {
            double shifted = x[from + k * stride] - max;
            out[to + k * stride] = (float) (log ? shifted - logSum : Math.exp(shifted) / sum);
        }
    }

    private static void backward(float[] y, int yFrom, float[] grad, int gradFrom, float[] out, int to, int n,
                                 int stride, boolean log) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            double g = grad[gradFrom + k * stride];
            s = log ? s + g : Math.fma(g, y[yFrom + k * stride], s);
        }
        for (int k = 0; k < n; k++) {
            double v = y[yFrom + k * stride];
            double g = grad[gradFrom + k * stride];
            out[to + k * stride] = (float) (log ? g - Math.exp(v) * s : v * (g - s));
        }
    }
    // ---- float64: the float32 code above, with double lanes ----

    public static void softmax(double[] x, int xOff, int ldx, double[] out, int outOff, int ldo, int rows, int cols) {
        MapArgs.matrixMap("softmax", "x", x, x.length, xOff, ldx, out, out.length, outOff, ldo, rows, cols);
        for (int r = 0; r < rows; r++) {
            forward(x, xOff + r * ldx, out, outOff + r * ldo, cols, 1, false);
        }
    }

    public static void logSoftmax(double[] x, int xOff, int ldx, double[] out, int outOff, int ldo, int rows,
                                  int cols) {
        MapArgs.matrixMap("log_softmax", "x", x, x.length, xOff, ldx, out, out.length, outOff, ldo, rows, cols);
        for (int r = 0; r < rows; r++) {
            forward(x, xOff + r * ldx, out, outOff + r * ldo, cols, 1, true);
        }
    }

    public static void softmaxBackward(double[] y, int yOff, int ldy, double[] grad, int gradOff, int ldg, double[] out,
                                       int outOff, int ldo, int rows, int cols) {
        SoftmaxKernels.checkBackwardRows("softmax_backward", y, y.length, yOff, ldy, grad, grad.length, gradOff, ldg,
                out, out.length, outOff, ldo, rows, cols);
        for (int r = 0; r < rows; r++) {
            backward(y, yOff + r * ldy, grad, gradOff + r * ldg, out, outOff + r * ldo, cols, 1, false);
        }
    }

    public static void logSoftmaxBackward(double[] y, int yOff, int ldy, double[] grad, int gradOff, int ldg,
                                          double[] out, int outOff, int ldo, int rows, int cols) {
        SoftmaxKernels.checkBackwardRows("log_softmax_backward", y, y.length, yOff, ldy, grad, grad.length, gradOff,
                ldg, out, out.length, outOff, ldo, rows, cols);
        for (int r = 0; r < rows; r++) {
            backward(y, yOff + r * ldy, grad, gradOff + r * ldg, out, outOff + r * ldo, cols, 1, true);
        }
    }

    public static void softmaxAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        SoftmaxKernels.checkAxis("softmax", "x", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int at = o * axis * inner + i;
                forward(x, xOff + at, out, outOff + at, axis, inner, false);
            }
        }
    }

    public static void logSoftmaxAxis(double[] x, int xOff, double[] out, int outOff, int outer, int axis, int inner) {
        SoftmaxKernels.checkAxis("log_softmax", "x", x, x.length, xOff, out, out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int at = o * axis * inner + i;
                forward(x, xOff + at, out, outOff + at, axis, inner, true);
            }
        }
    }

    public static void softmaxAxisBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff,
                                           int outer, int axis, int inner) {
        SoftmaxKernels.checkBackwardAxis("softmax_backward", y, y.length, yOff, grad, grad.length, gradOff, out,
                out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int at = o * axis * inner + i;
                backward(y, yOff + at, grad, gradOff + at, out, outOff + at, axis, inner, false);
            }
        }
    }

    public static void logSoftmaxAxisBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff,
                                              int outer, int axis, int inner) {
        SoftmaxKernels.checkBackwardAxis("log_softmax_backward", y, y.length, yOff, grad, grad.length, gradOff, out,
                out.length, outOff, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int at = o * axis * inner + i;
                backward(y, yOff + at, grad, gradOff + at, out, outOff + at, axis, inner, true);
            }
        }
    }

    /** One softmax (or log-softmax) over n elements spaced by stride, in double. */
    private static void forward(double[] x, int from, double[] out, int to, int n, int stride, boolean log) {
        if (n == 0) {
            return;
        }
        double max = x[from];
        for (int k = 1; k < n; k++) {
            max = Math.max(max, x[from + k * stride]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(x[from + k * stride] - max);
        }
        double logSum = Math.log(sum);
        for (int k = 0; k < n; k++) {
            double shifted = x[from + k * stride] - max;
            out[to + k * stride] = (log ? shifted - logSum : Math.exp(shifted) / sum);
        }
    }

    private static void backward(double[] y, int yFrom, double[] grad, int gradFrom, double[] out, int to, int n,
                                 int stride, boolean log) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            double g = grad[gradFrom + k * stride];
            s = log ? s + g : Math.fma(g, y[yFrom + k * stride], s);
        }
        for (int k = 0; k < n; k++) {
            double v = y[yFrom + k * stride];
            double g = grad[gradFrom + k * stride];
            out[to + k * stride] = (log ? g - Math.exp(v) * s : v * (g - s));
        }
    }
}
