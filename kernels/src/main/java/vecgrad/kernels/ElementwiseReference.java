package vecgrad.kernels;

import vecgrad.kernels.ElementwiseKernels.Binary;

/**
 * Scalar twin of {@link ElementwiseKernels}: the simplest correct loop for each map, with the same
 * public signatures, argument checks and conventions (see that class for the kink and NaN rules).
 * Exact maps compute in the array's own precision, so they agree bit for bit with the SIMD kernels;
 * transcendentals of float32 go through {@code Math} in double and are rounded once.
 */
public final class ElementwiseReference {
    private ElementwiseReference() {}

    // ---- float32 ----

    public static void neg(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("neg", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = -x[xOff + i];
        }
    }

    public static void abs(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("abs", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.abs(x[xOff + i]);
        }
    }

    public static void exp(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("exp", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }

    public static void log(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("log", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.log(x[xOff + i]);
        }
    }

    public static void sqrt(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("sqrt", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.sqrt(x[xOff + i]);
        }
    }

    public static void square(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("square", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[outOff + i] = v * v;
        }
    }

    public static void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("tanh", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    public static void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("sigmoid", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) (1 / (1 + Math.exp(-(double) x[xOff + i])));
        }
    }

    public static void relu(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("relu", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.max(x[xOff + i], 0f); // Math.max keeps NaN; x > 0 ? x : 0 would drop it
        }
    }

    public static void leakyRelu(float[] x, int xOff, float[] out, int outOff, int n, float slope) {
        MapArgs.unary("leaky_relu", x, x.length, xOff, out, out.length, outOff, n);
        ElementwiseKernels.checkParameter("leaky_relu", "slope", slope);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[outOff + i] = v > 0 ? v : slope * v;
        }
    }

    public static void elu(float[] x, int xOff, float[] out, int outOff, int n, float alpha) {
        MapArgs.unary("elu", x, x.length, xOff, out, out.length, outOff, n);
        ElementwiseKernels.checkParameter("elu", "alpha", alpha);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[outOff + i] = v > 0 ? v : (float) (alpha * Math.expm1(v));
        }
    }

    public static void softplus(float[] x, int xOff, float[] out, int outOff, int n) {
        MapArgs.unary("softplus", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) StableMath.softplus((double) x[xOff + i]);
        }
    }

    public static void softplus(float[] x, int xOff, float[] out, int outOff, int n, float beta, float threshold) {
        MapArgs.unary("softplus", x, x.length, xOff, out, out.length, outOff, n);
        ElementwiseKernels.checkBeta(beta, threshold);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float scaled = beta * v;
            out[outOff + i] = scaled > threshold ? v : (float) (StableMath.softplus((double) scaled) / beta);
        }
    }

    public static void clamp(float[] x, int xOff, float[] out, int outOff, int n, float min, float max) {
        MapArgs.unary("clamp", x, x.length, xOff, out, out.length, outOff, n);
        ElementwiseKernels.checkBounds(min, max);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.min(Math.max(x[xOff + i], min), max);
        }
    }

    public static void absBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("abs_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.signum(x[xOff + i]) * grad[gradOff + i];
        }
    }

    public static void expBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("exp_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = grad[gradOff + i] * y[yOff + i];
        }
    }

    public static void logBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("log_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = grad[gradOff + i] / x[xOff + i];
        }
    }

    public static void sqrtBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("sqrt_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = grad[gradOff + i] / (2 * y[yOff + i]);
        }
    }

    public static void squareBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("square_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = 2 * x[xOff + i] * grad[gradOff + i];
        }
    }

    public static void tanhBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("tanh_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            out[outOff + i] = (1 - v * v) * grad[gradOff + i];
        }
    }

    public static void sigmoidBackward(float[] y, int yOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("sigmoid_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            out[outOff + i] = grad[gradOff + i] * v * (1 - v);
        }
    }

    public static void reluBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n) {
        MapArgs.backward("relu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] > 0 ? grad[gradOff + i] : 0; // relu'(0) = 0
        }
    }

    public static void leakyReluBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n,
                                         float slope) {
        MapArgs.backward("leaky_relu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        ElementwiseKernels.checkParameter("leaky_relu_backward", "slope", slope);
        for (int i = 0; i < n; i++) {
            float g = grad[gradOff + i];
            out[outOff + i] = x[xOff + i] > 0 ? g : g * slope;
        }
    }

    public static void eluBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n,
                                   float alpha) {
        MapArgs.backward("elu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        ElementwiseKernels.checkParameter("elu_backward", "alpha", alpha);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float g = grad[gradOff + i];
            out[outOff + i] = v > 0 ? g : (float) (alpha * Math.exp(v) * g);
        }
    }

    public static void softplusBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                        int n) {
        MapArgs.backward("softplus_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) (grad[gradOff + i] / (1 + Math.exp(-(double) x[xOff + i])));
        }
    }

    public static void softplusBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff,
                                        int n, float beta, float threshold) {
        MapArgs.backward("softplus_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        ElementwiseKernels.checkBeta(beta, threshold);
        for (int i = 0; i < n; i++) {
            float scaled = beta * x[xOff + i];
            float g = grad[gradOff + i];
            out[outOff + i] = scaled > threshold ? g : (float) (g / (1 + Math.exp(-(double) scaled)));
        }
    }

    public static void clampBackward(float[] x, int xOff, float[] grad, int gradOff, float[] out, int outOff, int n,
                                     float min, float max) {
        MapArgs.backward("clamp_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        ElementwiseKernels.checkBounds(min, max);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[outOff + i] = v >= min && v <= max ? grad[gradOff + i] : 0;
        }
    }

    public static void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.ADD, a, aOff, b, bOff, out, outOff, n);
    }

    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.SUB, a, aOff, b, bOff, out, outOff, n);
    }

    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.MUL, a, aOff, b, bOff, out, outOff, n);
    }

    public static void div(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.DIV, a, aOff, b, bOff, out, outOff, n);
    }

    public static void pow(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.POW, a, aOff, b, bOff, out, outOff, n);
    }

    public static void max(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.MAX, a, aOff, b, bOff, out, outOff, n);
    }

    public static void min(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary(Binary.MIN, a, aOff, b, bOff, out, outOff, n);
    }

    public static void binary(Binary op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        MapArgs.binary(op.torchName(), a, a.length, aOff, b, b.length, bOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], b[bOff + i]);
        }
    }

    public static void binaryScalar(Binary op, float[] a, int aOff, float b, float[] out, int outOff, int n) {
        MapArgs.unary(op.torchName(), a, a.length, aOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], b);
        }
    }

    public static void binaryRow(Binary op, float[] a, int aOff, int lda, float[] b, int bOff, float[] out, int outOff,
                                 int ldo, int rows, int cols) {
        String kernel = op.torchName();
        MapArgs.matrixMap(kernel, "a", a, a.length, aOff, lda, out, out.length, outOff, ldo, rows, cols);
        KernelArgs.fits(kernel, "b", b.length, bOff, rows == 0 ? 0 : cols);
        KernelArgs.disjoint(kernel, "out", out, outOff, MapArgs.span(rows, cols, ldo), "b", b, bOff,
                rows == 0 ? 0 : cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[outOff + r * ldo + c] = op.apply(a[aOff + r * lda + c], b[bOff + c]);
            }
        }
    }

    public static void binaryColumn(Binary op, float[] a, int aOff, int lda, float[] b, int bOff, float[] out,
                                    int outOff, int ldo, int rows, int cols) {
        String kernel = op.torchName();
        MapArgs.matrixMap(kernel, "a", a, a.length, aOff, lda, out, out.length, outOff, ldo, rows, cols);
        KernelArgs.fits(kernel, "b", b.length, bOff, cols == 0 ? 0 : rows);
        KernelArgs.disjoint(kernel, "out", out, outOff, MapArgs.span(rows, cols, ldo), "b", b, bOff,
                cols == 0 ? 0 : rows);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[outOff + r * ldo + c] = op.apply(a[aOff + r * lda + c], b[bOff + r]);
            }
        }
    }

    public static void binaryStrided(Binary op, int[] shape, float[] a, int aOff, int[] aStrides, float[] b, int bOff,
                                     int[] bStrides, float[] out, int outOff) {
        ElementwiseKernels.checkStrided(op.torchName(), shape, a.length, aOff, aStrides, a, b.length, bOff, bStrides, b,
                out.length, outOff, out);
        int volume = 1;
        for (int size : shape) {
            volume *= size;
        }
        for (int flat = 0; flat < volume; flat++) {
            // decompose the row-major output index, last dimension fastest
            int rest = flat;
            int aAt = aOff;
            int bAt = bOff;
            for (int d = shape.length - 1; d >= 0; d--) {
                int index = rest % shape[d];
                rest /= shape[d];
                aAt += index * aStrides[d];
                bAt += index * bStrides[d];
            }
            out[outOff + flat] = op.apply(a[aAt], b[bAt]);
        }
    }

    public static void axpy(float[] x, int xOff, float[] y, int yOff, int n, float alpha) {
        MapArgs.axpy(x, x.length, xOff, y, y.length, yOff, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    public static void scale(float[] x, int xOff, float[] out, int outOff, int n, float alpha) {
        MapArgs.unary("scale", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * alpha;
        }
    }

    public static void fill(float[] out, int outOff, int n, float value) {
        KernelArgs.nonNegative("fill", "n", n);
        KernelArgs.fits("fill", "out", out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = value;
        }
    }
    // ---- float64: the float32 code above, with double lanes ----

    public static void neg(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("neg", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = -x[xOff + i];
        }
    }

    public static void abs(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("abs", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.abs(x[xOff + i]);
        }
    }

    public static void exp(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("exp", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.exp(x[xOff + i]);
        }
    }

    public static void log(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("log", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.log(x[xOff + i]);
        }
    }

    public static void sqrt(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("sqrt", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.sqrt(x[xOff + i]);
        }
    }

    public static void square(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("square", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            out[outOff + i] = v * v;
        }
    }

    public static void tanh(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("tanh", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.tanh(x[xOff + i]);
        }
    }

    public static void sigmoid(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("sigmoid", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (1 / (1 + Math.exp(-x[xOff + i])));
        }
    }

    public static void relu(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("relu", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.max(x[xOff + i], 0.0); // Math.max keeps NaN; x > 0 ? x : 0 would drop it
        }
    }

    public static void leakyRelu(double[] x, int xOff, double[] out, int outOff, int n, double slope) {
        MapArgs.unary("leaky_relu", x, x.length, xOff, out, out.length, outOff, n);
        ElementwiseKernels.checkParameter("leaky_relu", "slope", slope);
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            out[outOff + i] = v > 0 ? v : slope * v;
        }
    }

    public static void elu(double[] x, int xOff, double[] out, int outOff, int n, double alpha) {
        MapArgs.unary("elu", x, x.length, xOff, out, out.length, outOff, n);
        ElementwiseKernels.checkParameter("elu", "alpha", alpha);
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            out[outOff + i] = v > 0 ? v : (alpha * Math.expm1(v));
        }
    }

    public static void softplus(double[] x, int xOff, double[] out, int outOff, int n) {
        MapArgs.unary("softplus", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = StableMath.softplus(x[xOff + i]);
        }
    }

    public static void softplus(double[] x, int xOff, double[] out, int outOff, int n, double beta, double threshold) {
        MapArgs.unary("softplus", x, x.length, xOff, out, out.length, outOff, n);
        ElementwiseKernels.checkBeta(beta, threshold);
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            double scaled = beta * v;
            out[outOff + i] = scaled > threshold ? v : (StableMath.softplus(scaled) / beta);
        }
    }

    public static void clamp(double[] x, int xOff, double[] out, int outOff, int n, double min, double max) {
        MapArgs.unary("clamp", x, x.length, xOff, out, out.length, outOff, n);
        ElementwiseKernels.checkBounds(min, max);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.min(Math.max(x[xOff + i], min), max);
        }
    }

    public static void absBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("abs_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.signum(x[xOff + i]) * grad[gradOff + i];
        }
    }

    public static void expBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("exp_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = grad[gradOff + i] * y[yOff + i];
        }
    }

    public static void logBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("log_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = grad[gradOff + i] / x[xOff + i];
        }
    }

    public static void sqrtBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("sqrt_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = grad[gradOff + i] / (2 * y[yOff + i]);
        }
    }

    public static void squareBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("square_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = 2 * x[xOff + i] * grad[gradOff + i];
        }
    }

    public static void tanhBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("tanh_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            double v = y[yOff + i];
            out[outOff + i] = (1 - v * v) * grad[gradOff + i];
        }
    }

    public static void sigmoidBackward(double[] y, int yOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("sigmoid_backward", "y", y, y.length, yOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        for (int i = 0; i < n; i++) {
            double v = y[yOff + i];
            out[outOff + i] = grad[gradOff + i] * v * (1 - v);
        }
    }

    public static void reluBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n) {
        MapArgs.backward("relu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] > 0 ? grad[gradOff + i] : 0; // relu'(0) = 0
        }
    }

    public static void leakyReluBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n,
                                         double slope) {
        MapArgs.backward("leaky_relu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        ElementwiseKernels.checkParameter("leaky_relu_backward", "slope", slope);
        for (int i = 0; i < n; i++) {
            double g = grad[gradOff + i];
            out[outOff + i] = x[xOff + i] > 0 ? g : g * slope;
        }
    }

    public static void eluBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n,
                                   double alpha) {
        MapArgs.backward("elu_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        ElementwiseKernels.checkParameter("elu_backward", "alpha", alpha);
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            double g = grad[gradOff + i];
            out[outOff + i] = v > 0 ? g : (alpha * Math.exp(v) * g);
        }
    }

    public static void softplusBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                        int n) {
        MapArgs.backward("softplus_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (grad[gradOff + i] / (1 + Math.exp(-x[xOff + i])));
        }
    }

    public static void softplusBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff,
                                        int n, double beta, double threshold) {
        MapArgs.backward("softplus_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length,
                outOff, n);
        ElementwiseKernels.checkBeta(beta, threshold);
        for (int i = 0; i < n; i++) {
            double scaled = beta * x[xOff + i];
            double g = grad[gradOff + i];
            out[outOff + i] = scaled > threshold ? g : (g / (1 + Math.exp(-scaled)));
        }
    }

    public static void clampBackward(double[] x, int xOff, double[] grad, int gradOff, double[] out, int outOff, int n,
                                     double min, double max) {
        MapArgs.backward("clamp_backward", "x", x, x.length, xOff, grad, grad.length, gradOff, out, out.length, outOff,
                n);
        ElementwiseKernels.checkBounds(min, max);
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            out[outOff + i] = v >= min && v <= max ? grad[gradOff + i] : 0;
        }
    }

    public static void add(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.ADD, a, aOff, b, bOff, out, outOff, n);
    }

    public static void sub(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.SUB, a, aOff, b, bOff, out, outOff, n);
    }

    public static void mul(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.MUL, a, aOff, b, bOff, out, outOff, n);
    }

    public static void div(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.DIV, a, aOff, b, bOff, out, outOff, n);
    }

    public static void pow(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.POW, a, aOff, b, bOff, out, outOff, n);
    }

    public static void max(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.MAX, a, aOff, b, bOff, out, outOff, n);
    }

    public static void min(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        binary(Binary.MIN, a, aOff, b, bOff, out, outOff, n);
    }

    public static void binary(Binary op, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        MapArgs.binary(op.torchName(), a, a.length, aOff, b, b.length, bOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], b[bOff + i]);
        }
    }

    public static void binaryScalar(Binary op, double[] a, int aOff, double b, double[] out, int outOff, int n) {
        MapArgs.unary(op.torchName(), a, a.length, aOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], b);
        }
    }

    public static void binaryRow(Binary op, double[] a, int aOff, int lda, double[] b, int bOff, double[] out, int outOff,
                                 int ldo, int rows, int cols) {
        String kernel = op.torchName();
        MapArgs.matrixMap(kernel, "a", a, a.length, aOff, lda, out, out.length, outOff, ldo, rows, cols);
        KernelArgs.fits(kernel, "b", b.length, bOff, rows == 0 ? 0 : cols);
        KernelArgs.disjoint(kernel, "out", out, outOff, MapArgs.span(rows, cols, ldo), "b", b, bOff,
                rows == 0 ? 0 : cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[outOff + r * ldo + c] = op.apply(a[aOff + r * lda + c], b[bOff + c]);
            }
        }
    }

    public static void binaryColumn(Binary op, double[] a, int aOff, int lda, double[] b, int bOff, double[] out,
                                    int outOff, int ldo, int rows, int cols) {
        String kernel = op.torchName();
        MapArgs.matrixMap(kernel, "a", a, a.length, aOff, lda, out, out.length, outOff, ldo, rows, cols);
        KernelArgs.fits(kernel, "b", b.length, bOff, cols == 0 ? 0 : rows);
        KernelArgs.disjoint(kernel, "out", out, outOff, MapArgs.span(rows, cols, ldo), "b", b, bOff,
                cols == 0 ? 0 : rows);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[outOff + r * ldo + c] = op.apply(a[aOff + r * lda + c], b[bOff + r]);
            }
        }
    }

    public static void binaryStrided(Binary op, int[] shape, double[] a, int aOff, int[] aStrides, double[] b, int bOff,
                                     int[] bStrides, double[] out, int outOff) {
        ElementwiseKernels.checkStrided(op.torchName(), shape, a.length, aOff, aStrides, a, b.length, bOff, bStrides, b,
                out.length, outOff, out);
        int volume = 1;
        for (int size : shape) {
            volume *= size;
        }
        for (int flat = 0; flat < volume; flat++) {
            // decompose the row-major output index, last dimension fastest
            int rest = flat;
            int aAt = aOff;
            int bAt = bOff;
            for (int d = shape.length - 1; d >= 0; d--) {
                int index = rest % shape[d];
                rest /= shape[d];
                aAt += index * aStrides[d];
                bAt += index * bStrides[d];
            }
            out[outOff + flat] = op.apply(a[aAt], b[bAt]);
        }
    }

    public static void axpy(double[] x, int xOff, double[] y, int yOff, int n, double alpha) {
        MapArgs.axpy(x, x.length, xOff, y, y.length, yOff, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    public static void scale(double[] x, int xOff, double[] out, int outOff, int n, double alpha) {
        MapArgs.unary("scale", x, x.length, xOff, out, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * alpha;
        }
    }

    public static void fill(double[] out, int outOff, int n, double value) {
        KernelArgs.nonNegative("fill", "n", n);
        KernelArgs.fits("fill", "out", out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = value;
        }
    }
}
