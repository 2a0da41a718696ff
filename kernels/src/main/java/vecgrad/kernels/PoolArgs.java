package vecgrad.kernels;

/** Size checks and window arithmetic shared by {@link PoolKernels} and {@link PoolReference}. */
final class PoolArgs {
    private PoolArgs() {}

    static void forward(String op, int xLength, int xOff, int yLength, int yOff, PoolGeometry g) {
        geometry(op, g);
        KernelArgs.fits(op, "x", xLength, xOff, g.inputSize());
        KernelArgs.fits(op, "y", yLength, yOff, g.outputSize());
    }

    static void backward(String op, int gradLength, int gradOff, int gradInputLength, int gradInputOff,
                         PoolGeometry g) {
        geometry(op, g);
        KernelArgs.fits(op, "grad", gradLength, gradOff, g.outputSize());
        KernelArgs.fits(op, "gradInput", gradInputLength, gradInputOff, g.inputSize());
    }

    static void resize(String op, int inLength, int inOff, int outLength, int outOff, int batch, int channels,
                       int height, int width, int outHeight, int outWidth) {
        int[] out = ConvShapes.resize2d(op, new int[] {batch, channels, height, width}, outHeight, outWidth);
        KernelArgs.fits(op, "input", inLength, inOff, (long) batch * channels * height * width);
        KernelArgs.fits(op, "output", outLength, outOff, (long) out[0] * out[1] * out[2] * out[3]);
    }

    static void normType(String op, double normType) {
        if (!(normType > 0) || Double.isInfinite(normType)) {
            throw KernelArgs.fail(op, "norm_type must be positive and finite", "norm_type = " + normType,
                    "0 < norm_type < infinity");
        }
    }

    /** Every argmax must point inside its plane, checked before any write. */
    static void argmaxInRange(String op, int[] argmax, int argmaxOff, PoolGeometry g) {
        int inPlane = g.height() * g.width();
        for (int i = 0; i < g.outputSize(); i++) {
            int where = argmax[argmaxOff + i];
            if (where < 0 || where >= inPlane) {
                throw KernelArgs.fail(op, "argmax index outside the input plane", "argmax[" + i + "] = " + where,
                        "0 <= index < " + inPlane + " (from maxForward)");
            }
        }
    }

    static void geometry(String op, PoolGeometry g) {
        if (g == null) {
            throw KernelArgs.fail(op, "geometry is missing", "null", "a PoolGeometry from ConvShapes.pool2d");
        }
    }

    /**
     * Window of output (oh, ow) as {@code {h0, h1, w0, w1, divisor}}: rows {@code [h0, h1)} and columns
     * {@code [w0, w1)} inside the input, and the divisor of an average (PyTorch's rule: with
     * {@code countIncludePad} the window clipped to the padded input, else the cells inside the input).
     */
    static int[] window(PoolGeometry g, int oh, int ow, boolean countIncludePad) {
        PoolSpec s = g.spec();
        int h0 = oh * s.strideHeight() - s.padHeight();
        int w0 = ow * s.strideWidth() - s.padWidth();
        int h1 = Math.min(h0 + s.kernelHeight(), g.height() + s.padHeight());
        int w1 = Math.min(w0 + s.kernelWidth(), g.width() + s.padWidth());
        int padded = (h1 - h0) * (w1 - w0);
        h0 = Math.max(h0, 0);
        w0 = Math.max(w0, 0);
        h1 = Math.min(h1, g.height());
        w1 = Math.min(w1, g.width());
        return new int[] {h0, h1, w0, w1, countIncludePad ? padded : (h1 - h0) * (w1 - w0)};
    }

    static int adaptiveStart(int index, int in, int out) {
        return (int) ((long) index * in / out);
    }

    static int adaptiveEnd(int index, int in, int out) {
        return (int) (((long) (index + 1) * in + out - 1) / out);
    }
}
