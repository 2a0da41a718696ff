package vecgrad.kernels;

/**
 * Plain-loop twin of {@link PoolKernels}: same public signatures, no SIMD, no threads, sums in double.
 * The oracle of the pooling kernel properties. Tensors are NCHW; each (image, channel) plane is pooled
 * on its own, with windows described by a {@link PoolGeometry}.
 */
public final class PoolReference {
    private PoolReference() {}

    /**
     * {@code y[p, oh, ow] = max of x[p, window]}, {@code argmax[p, oh, ow] = ih * width + iw} of the first
     * maximum in scan order (row by row); a NaN in a window wins over numbers (the first NaN), so NaN
     * propagates. Padding never wins. {@code x: [N, C, H, W]}, {@code y, argmax: [N, C, OH, OW]}.
     */
    public static void maxForward(float[] x, int xOff, float[] y, int yOff, int[] argmax, int argmaxOff,
                                  PoolGeometry g) {
        PoolArgs.forward("max_pool2d", x.length, xOff, y.length, yOff, g);
        KernelArgs.fits("max_pool2d", "argmax", argmax.length, argmaxOff, g.outputSize());
        PoolSpec s = g.spec();
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int h0 = oh * s.strideHeight() - s.padHeight();
                    int w0 = ow * s.strideWidth() - s.padWidth();
                    float best = 0;
                    int where = -1;
                    for (int ih = Math.max(h0, 0); ih < Math.min(h0 + s.kernelHeight(), g.height()); ih++) {
                        for (int iw = Math.max(w0, 0); iw < Math.min(w0 + s.kernelWidth(), g.width()); iw++) {
                            float v = x[xOff + p * inPlane + ih * g.width() + iw];
                            if (where < 0 || v > best || (v != v && best == best)) {
                                best = v;
                                where = ih * g.width() + iw;
                            }
                        }
                    }
                    y[yOff + p * outPlane + oh * g.outWidth() + ow] = best;
                    argmax[argmaxOff + p * outPlane + oh * g.outWidth() + ow] = where;
                }
            }
        }
    }

    /** {@code gradInput[p, argmax[p, o]] += grad[p, o]} over outputs o in order, zeros elsewhere (overwritten). */
    public static void maxBackward(float[] grad, int gradOff, int[] argmax, int argmaxOff, float[] gradInput,
                                   int gradInputOff, PoolGeometry g) {
        PoolArgs.backward("max_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        KernelArgs.fits("max_pool2d", "argmax", argmax.length, argmaxOff, g.outputSize());
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        PoolArgs.argmaxInRange("max_pool2d", argmax, argmaxOff, g);
        for (int p = 0; p < g.planes(); p++) {
            double[] sums = new double[inPlane];
            for (int o = 0; o < outPlane; o++) {
                sums[argmax[argmaxOff + p * outPlane + o]] += grad[gradOff + p * outPlane + o];
            }
            for (int i = 0; i < inPlane; i++) {
                gradInput[gradInputOff + p * inPlane + i] = (float) sums[i];
            }
        }
    }

    /**
     * {@code y = window sum / divisor}, padding counting as 0. The divisor is the window clipped to the
     * padded input when {@code countIncludePad} (PyTorch: a ceil-mode window hanging past the padding
     * is not counted), else the number of cells inside the input.
     */
    public static void avgForward(float[] x, int xOff, float[] y, int yOff, PoolGeometry g,
                                  boolean countIncludePad) {
        PoolArgs.forward("avg_pool2d", x.length, xOff, y.length, yOff, g);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int[] w = PoolArgs.window(g, oh, ow, countIncludePad);
                    double sum = 0;
                    for (int ih = w[0]; ih < w[1]; ih++) {
                        for (int iw = w[2]; iw < w[3]; iw++) {
                            sum += x[xOff + p * inPlane + ih * g.width() + iw];
                        }
                    }
                    y[yOff + p * outPlane + oh * g.outWidth() + ow] = (float) (sum / w[4]);
                }
            }
        }
    }

    /** {@code gradInput[cell] = sum over windows containing cell of grad / divisor} (overwritten). */
    public static void avgBackward(float[] grad, int gradOff, float[] gradInput, int gradInputOff, PoolGeometry g,
                                   boolean countIncludePad) {
        PoolArgs.backward("avg_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            double[] sums = new double[inPlane];
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int[] w = PoolArgs.window(g, oh, ow, countIncludePad);
                    double share = grad[gradOff + p * outPlane + oh * g.outWidth() + ow] / (double) w[4];
                    for (int ih = w[0]; ih < w[1]; ih++) {
                        for (int iw = w[2]; iw < w[3]; iw++) {
                            sums[ih * g.width() + iw] += share;
                        }
                    }
                }
            }
            for (int i = 0; i < inPlane; i++) {
                gradInput[gradInputOff + p * inPlane + i] = (float) sums[i];
            }
        }
    }

    /**
     * {@code y = (sum over the window of x^p)^(1/p)} with {@code p = normType}; padding and cells outside the
     * input contribute nothing, and a window whose sum is 0 gives 0. Unlike PyTorch's lp_pool2d, a partial
     * ceil-mode window is not rescaled to the full kernel area.
     */
    public static void lpForward(float[] x, int xOff, float[] y, int yOff, PoolGeometry g, double normType) {
        PoolArgs.forward("lp_pool2d", x.length, xOff, y.length, yOff, g);
        PoolArgs.normType("lp_pool2d", normType);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int[] w = PoolArgs.window(g, oh, ow, false);
                    double sum = 0;
                    for (int ih = w[0]; ih < w[1]; ih++) {
                        for (int iw = w[2]; iw < w[3]; iw++) {
                            double v = x[xOff + p * inPlane + ih * g.width() + iw];
                            sum += normType == 2 ? v * v : Math.pow(v, normType);
                        }
                    }
                    double root = sum == 0 ? 0 : normType == 2 ? Math.sqrt(sum) : Math.pow(sum, 1 / normType);
                    y[yOff + p * outPlane + oh * g.outWidth() + ow] = (float) root;
                }
            }
        }
    }

    /**
     * {@code gradInput[cell] = sum over windows of grad * x^(p-1) / y^(p-1)} ({@code grad * x / y} for p = 2),
     * 0 for windows with {@code y == 0}; {@code y} is the forward output (overwritten).
     */
    public static void lpBackward(float[] x, int xOff, float[] y, int yOff, float[] grad, int gradOff,
                                  float[] gradInput, int gradInputOff, PoolGeometry g, double normType) {
        PoolArgs.forward("lp_pool2d", x.length, xOff, y.length, yOff, g);
        PoolArgs.backward("lp_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        PoolArgs.normType("lp_pool2d", normType);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            double[] sums = new double[inPlane];
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int o = p * outPlane + oh * g.outWidth() + ow;
                    double out = y[yOff + o];
                    if (out == 0) {
                        continue; // the convention at an all-zero window: no gradient
                    }
                    double scale = grad[gradOff + o] / (normType == 2 ? out : Math.pow(out, normType - 1));
                    int[] w = PoolArgs.window(g, oh, ow, false);
                    for (int ih = w[0]; ih < w[1]; ih++) {
                        for (int iw = w[2]; iw < w[3]; iw++) {
                            double v = x[xOff + p * inPlane + ih * g.width() + iw];
                            sums[ih * g.width() + iw] += scale * (normType == 2 ? v : Math.pow(v, normType - 1));
                        }
                    }
                }
            }
            for (int i = 0; i < inPlane; i++) {
                gradInput[gradInputOff + p * inPlane + i] = (float) sums[i];
            }
        }
    }

    /**
     * PyTorch's adaptive_avg_pool2d: output cell (i, j) averages input rows {@code [floor(i*H/OH), ceil((i+1)*H/OH))}
     * and the matching columns. {@code x: [N, C, H, W]}, {@code y: [N, C, OH, OW]}.
     */
    public static void adaptiveAvgForward(float[] x, int xOff, float[] y, int yOff, int batch, int channels,
                                          int height, int width, int outHeight, int outWidth) {
        PoolArgs.resize("adaptive_avg_pool2d", x.length, xOff, y.length, yOff, batch, channels, height, width,
                outHeight, outWidth);
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        for (int p = 0; p < batch * channels; p++) {
            for (int oh = 0; oh < outHeight; oh++) {
                int h0 = PoolArgs.adaptiveStart(oh, height, outHeight);
                int h1 = PoolArgs.adaptiveEnd(oh, height, outHeight);
                for (int ow = 0; ow < outWidth; ow++) {
                    int w0 = PoolArgs.adaptiveStart(ow, width, outWidth);
                    int w1 = PoolArgs.adaptiveEnd(ow, width, outWidth);
                    double sum = 0;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            sum += x[xOff + p * inPlane + ih * width + iw];
                        }
                    }
                    y[yOff + p * outPlane + oh * outWidth + ow] = (float) (sum / ((h1 - h0) * (w1 - w0)));
                }
            }
        }
    }

    /** Gradient of {@link #adaptiveAvgForward}: each output's gradient spread evenly over its window (overwritten). */
    public static void adaptiveAvgBackward(float[] grad, int gradOff, float[] gradInput, int gradInputOff, int batch,
                                           int channels, int height, int width, int outHeight, int outWidth) {
        PoolArgs.resize("adaptive_avg_pool2d", gradInput.length, gradInputOff, grad.length, gradOff, batch, channels,
                height, width, outHeight, outWidth);
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        for (int p = 0; p < batch * channels; p++) {
            double[] sums = new double[inPlane];
            for (int oh = 0; oh < outHeight; oh++) {
                int h0 = PoolArgs.adaptiveStart(oh, height, outHeight);
                int h1 = PoolArgs.adaptiveEnd(oh, height, outHeight);
                for (int ow = 0; ow < outWidth; ow++) {
                    int w0 = PoolArgs.adaptiveStart(ow, width, outWidth);
                    int w1 = PoolArgs.adaptiveEnd(ow, width, outWidth);
                    double share = grad[gradOff + p * outPlane + oh * outWidth + ow] / (double) ((h1 - h0) * (w1 - w0));
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            sums[ih * width + iw] += share;
                        }
                    }
                }
            }
            for (int i = 0; i < inPlane; i++) {
                gradInput[gradInputOff + p * inPlane + i] = (float) sums[i];
            }
        }
    }

    /** Global average pooling: {@code y[n, c] = mean of x[n, c, :, :]}, {@code y: [N, C]} (or [N, C, 1, 1]). */
    public static void globalAvgForward(float[] x, int xOff, float[] y, int yOff, int batch, int channels, int height,
                                        int width) {
        adaptiveAvgForward(x, xOff, y, yOff, batch, channels, height, width, 1, 1);
    }

    /** Gradient of {@link #globalAvgForward}: {@code gradInput[n, c, :, :] = grad[n, c] / (H * W)} (overwritten). */
    public static void globalAvgBackward(float[] grad, int gradOff, float[] gradInput, int gradInputOff, int batch,
                                         int channels, int height, int width) {
        adaptiveAvgBackward(grad, gradOff, gradInput, gradInputOff, batch, channels, height, width, 1, 1);
    }

    /** Float64 overload. */
    public static void maxForward(double[] x, int xOff, double[] y, int yOff, int[] argmax, int argmaxOff,
                                  PoolGeometry g) {
        PoolArgs.forward("max_pool2d", x.length, xOff, y.length, yOff, g);
        KernelArgs.fits("max_pool2d", "argmax", argmax.length, argmaxOff, g.outputSize());
        PoolSpec s = g.spec();
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int h0 = oh * s.strideHeight() - s.padHeight();
                    int w0 = ow * s.strideWidth() - s.padWidth();
                    double best = 0;
                    int where = -1;
                    for (int ih = Math.max(h0, 0); ih < Math.min(h0 + s.kernelHeight(), g.height()); ih++) {
                        for (int iw = Math.max(w0, 0); iw < Math.min(w0 + s.kernelWidth(), g.width()); iw++) {
                            double v = x[xOff + p * inPlane + ih * g.width() + iw];
                            if (where < 0 || v > best || (v != v && best == best)) {
                                best = v;
                                where = ih * g.width() + iw;
                            }
                        }
                    }
                    y[yOff + p * outPlane + oh * g.outWidth() + ow] = best;
                    argmax[argmaxOff + p * outPlane + oh * g.outWidth() + ow] = where;
                }
            }
        }
    }

    /** Float64 overload. */
    public static void maxBackward(double[] grad, int gradOff, int[] argmax, int argmaxOff, double[] gradInput,
                                   int gradInputOff, PoolGeometry g) {
        PoolArgs.backward("max_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        KernelArgs.fits("max_pool2d", "argmax", argmax.length, argmaxOff, g.outputSize());
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        PoolArgs.argmaxInRange("max_pool2d", argmax, argmaxOff, g);
        for (int p = 0; p < g.planes(); p++) {
            double[] sums = new double[inPlane];
            for (int o = 0; o < outPlane; o++) {
                sums[argmax[argmaxOff + p * outPlane + o]] += grad[gradOff + p * outPlane + o];
            }
            for (int i = 0; i < inPlane; i++) {
                gradInput[gradInputOff + p * inPlane + i] = sums[i];
            }
        }
    }

    /** Float64 overload. */
    public static void avgForward(double[] x, int xOff, double[] y, int yOff, PoolGeometry g,
                                  boolean countIncludePad) {
        PoolArgs.forward("avg_pool2d", x.length, xOff, y.length, yOff, g);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int[] w = PoolArgs.window(g, oh, ow, countIncludePad);
                    double sum = 0;
                    for (int ih = w[0]; ih < w[1]; ih++) {
                        for (int iw = w[2]; iw < w[3]; iw++) {
                            sum += x[xOff + p * inPlane + ih * g.width() + iw];
                        }
                    }
                    y[yOff + p * outPlane + oh * g.outWidth() + ow] = (sum / w[4]);
                }
            }
        }
    }

    /** Float64 overload. */
    public static void avgBackward(double[] grad, int gradOff, double[] gradInput, int gradInputOff, PoolGeometry g,
                                   boolean countIncludePad) {
        PoolArgs.backward("avg_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            double[] sums = new double[inPlane];
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int[] w = PoolArgs.window(g, oh, ow, countIncludePad);
                    double share = grad[gradOff + p * outPlane + oh * g.outWidth() + ow] / w[4];
                    for (int ih = w[0]; ih < w[1]; ih++) {
                        for (int iw = w[2]; iw < w[3]; iw++) {
                            sums[ih * g.width() + iw] += share;
                        }
                    }
                }
            }
            for (int i = 0; i < inPlane; i++) {
                gradInput[gradInputOff + p * inPlane + i] = sums[i];
            }
        }
    }

    /** Float64 overload. */
    public static void lpForward(double[] x, int xOff, double[] y, int yOff, PoolGeometry g, double normType) {
        PoolArgs.forward("lp_pool2d", x.length, xOff, y.length, yOff, g);
        PoolArgs.normType("lp_pool2d", normType);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int[] w = PoolArgs.window(g, oh, ow, false);
                    double sum = 0;
                    for (int ih = w[0]; ih < w[1]; ih++) {
                        for (int iw = w[2]; iw < w[3]; iw++) {
                            double v = x[xOff + p * inPlane + ih * g.width() + iw];
                            sum += normType == 2 ? v * v : Math.pow(v, normType);
                        }
                    }
                    double root = sum == 0 ? 0 : normType == 2 ? Math.sqrt(sum) : Math.pow(sum, 1 / normType);
                    y[yOff + p * outPlane + oh * g.outWidth() + ow] = root;
                }
            }
        }
    }

    /** Float64 overload. */
    public static void lpBackward(double[] x, int xOff, double[] y, int yOff, double[] grad, int gradOff,
                                  double[] gradInput, int gradInputOff, PoolGeometry g, double normType) {
        PoolArgs.forward("lp_pool2d", x.length, xOff, y.length, yOff, g);
        PoolArgs.backward("lp_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        PoolArgs.normType("lp_pool2d", normType);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            double[] sums = new double[inPlane];
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    int o = p * outPlane + oh * g.outWidth() + ow;
                    double out = y[yOff + o];
                    if (out == 0) {
                        continue; // the convention at an all-zero window: no gradient
                    }
                    double scale = grad[gradOff + o] / (normType == 2 ? out : Math.pow(out, normType - 1));
                    int[] w = PoolArgs.window(g, oh, ow, false);
                    for (int ih = w[0]; ih < w[1]; ih++) {
                        for (int iw = w[2]; iw < w[3]; iw++) {
                            double v = x[xOff + p * inPlane + ih * g.width() + iw];
                            sums[ih * g.width() + iw] += scale * (normType == 2 ? v : Math.pow(v, normType - 1));
                        }
                    }
                }
            }
            for (int i = 0; i < inPlane; i++) {
                gradInput[gradInputOff + p * inPlane + i] = sums[i];
            }
        }
    }

    /** Float64 overload. */
    public static void adaptiveAvgForward(double[] x, int xOff, double[] y, int yOff, int batch, int channels,
                                          int height, int width, int outHeight, int outWidth) {
        PoolArgs.resize("adaptive_avg_pool2d", x.length, xOff, y.length, yOff, batch, channels, height, width,
                outHeight, outWidth);
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        for (int p = 0; p < batch * channels; p++) {
            for (int oh = 0; oh < outHeight; oh++) {
                int h0 = PoolArgs.adaptiveStart(oh, height, outHeight);
                int h1 = PoolArgs.adaptiveEnd(oh, height, outHeight);
                for (int ow = 0; ow < outWidth; ow++) {
                    int w0 = PoolArgs.adaptiveStart(ow, width, outWidth);
                    int w1 = PoolArgs.adaptiveEnd(ow, width, outWidth);
                    double sum = 0;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            sum += x[xOff + p * inPlane + ih * width + iw];
                        }
                    }
                    y[yOff + p * outPlane + oh * outWidth + ow] = (sum / ((h1 - h0) * (w1 - w0)));
                }
            }
        }
    }

    /** Float64 overload. */
    public static void adaptiveAvgBackward(double[] grad, int gradOff, double[] gradInput, int gradInputOff, int batch,
                                           int channels, int height, int width, int outHeight, int outWidth) {
        PoolArgs.resize("adaptive_avg_pool2d", gradInput.length, gradInputOff, grad.length, gradOff, batch, channels,
                height, width, outHeight, outWidth);
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        for (int p = 0; p < batch * channels; p++) {
            double[] sums = new double[inPlane];
            for (int oh = 0; oh < outHeight; oh++) {
                int h0 = PoolArgs.adaptiveStart(oh, height, outHeight);
                int h1 = PoolArgs.adaptiveEnd(oh, height, outHeight);
                for (int ow = 0; ow < outWidth; ow++) {
                    int w0 = PoolArgs.adaptiveStart(ow, width, outWidth);
                    int w1 = PoolArgs.adaptiveEnd(ow, width, outWidth);
                    double share = grad[gradOff + p * outPlane + oh * outWidth + ow] / ((h1 - h0) * (w1 - w0));
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            sums[ih * width + iw] += share;
                        }
                    }
                }
            }
            for (int i = 0; i < inPlane; i++) {
                gradInput[gradInputOff + p * inPlane + i] = sums[i];
            }
        }
    }

    /** Float64 overload. */
    public static void globalAvgForward(double[] x, int xOff, double[] y, int yOff, int batch, int channels, int height,
                                        int width) {
        adaptiveAvgForward(x, xOff, y, yOff, batch, channels, height, width, 1, 1);
    }

    /** Float64 overload. */
    public static void globalAvgBackward(double[] grad, int gradOff, double[] gradInput, int gradInputOff, int batch,
                                         int channels, int height, int width) {
        adaptiveAvgBackward(grad, gradOff, gradInput, gradInputOff, batch, channels, height, width, 1, 1);
    }
}
