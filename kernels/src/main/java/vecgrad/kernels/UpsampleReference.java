package vecgrad.kernels;

/**
 * Plain-loop twin of {@link UpsampleKernels}: same public signatures, no threads, sums in double.
 * Tensors are NCHW.
 */
public final class UpsampleReference {
    private UpsampleReference() {}

    /**
     * Nearest upsampling by integer factors (Keras UpSampling2D): {@code y[p, i, j] = x[p, i / scaleHeight,
     * j / scaleWidth]}, {@code x: [N, C, H, W]}, {@code y: [N, C, H * scaleHeight, W * scaleWidth]}.
     */
    public static void nearestForward(float[] x, int xOff, float[] y, int yOff, int batch, int channels, int height,
                                      int width, int scaleHeight, int scaleWidth) {
        UpsampleArgs.nearest(x.length, xOff, y.length, yOff, batch, channels, height, width, scaleHeight, scaleWidth);
        int outHeight = height * scaleHeight;
        int outWidth = width * scaleWidth;
        for (int p = 0; p < batch * channels; p++) {
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    y[yOff + (p * outHeight + i) * outWidth + j] =
                            x[xOff + (p * height + i / scaleHeight) * width + j / scaleWidth];
                }
            }
        }
    }

    /** {@code gradInput[p, i, j] = sum of grad over the scaleHeight x scaleWidth block of (i, j)} (overwritten). */
    public static void nearestBackward(float[] grad, int gradOff, float[] gradInput, int gradInputOff, int batch,
                                       int channels, int height, int width, int scaleHeight, int scaleWidth) {
        UpsampleArgs.nearest(gradInput.length, gradInputOff, grad.length, gradOff, batch, channels, height, width,
                scaleHeight, scaleWidth);
        int outHeight = height * scaleHeight;
        int outWidth = width * scaleWidth;
        for (int p = 0; p < batch * channels; p++) {
            for (int i = 0; i < height; i++) {
                for (int j = 0; j < width; j++) {
                    double sum = 0;
                    for (int a = 0; a < scaleHeight; a++) {
                        for (int b = 0; b < scaleWidth; b++) {
                            sum += grad[gradOff + (p * outHeight + i * scaleHeight + a) * outWidth + j * scaleWidth + b];
                        }
                    }
                    gradInput[gradInputOff + (p * height + i) * width + j] = (float) sum;
                }
            }
        }
    }

    /**
     * Bilinear resize with {@code align_corners=false} (PyTorch's upsample_bilinear2d given an output size):
     * output cell i samples input coordinate {@code max(0, (i + 0.5) * in / out - 0.5)}, interpolating its
     * two neighbours (the last row/column repeats at the edge). {@code y: [N, C, outHeight, outWidth]}.
     */
    public static void bilinearForward(float[] x, int xOff, float[] y, int yOff, int batch, int channels, int height,
                                       int width, int outHeight, int outWidth) {
        UpsampleArgs.bilinear(x.length, xOff, y.length, yOff, batch, channels, height, width, outHeight, outWidth);
        for (int p = 0; p < batch * channels; p++) {
            for (int i = 0; i < outHeight; i++) {
                double sy = UpsampleArgs.source(i, height, outHeight);
                int y0 = (int) sy;
                int y1 = y0 < height - 1 ? y0 + 1 : y0;
                double ly = sy - y0;
                for (int j = 0; j < outWidth; j++) {
                    double sx = UpsampleArgs.source(j, width, outWidth);
                    int x0 = (int) sx;
                    int x1 = x0 < width - 1 ? x0 + 1 : x0;
                    double lx = sx - x0;
                    int plane = xOff + p * height * width;
                    double top = (1 - lx) * x[plane + y0 * width + x0] + lx * x[plane + y0 * width + x1];
                    double bottom = (1 - lx) * x[plane + y1 * width + x0] + lx * x[plane + y1 * width + x1];
                    y[yOff + (p * outHeight + i) * outWidth + j] = (float) ((1 - ly) * top + ly * bottom);
                }
            }
        }
    }

    /** Gradient of {@link #bilinearForward}: each output's gradient goes to its four neighbours by the same weights (overwritten). */
    public static void bilinearBackward(float[] grad, int gradOff, float[] gradInput, int gradInputOff, int batch,
                                        int channels, int height, int width, int outHeight, int outWidth) {
        UpsampleArgs.bilinear(gradInput.length, gradInputOff, grad.length, gradOff, batch, channels, height, width,
                outHeight, outWidth);
        for (int p = 0; p < batch * channels; p++) {
            double[] sums = new double[height * width];
            for (int i = 0; i < outHeight; i++) {
                double sy = UpsampleArgs.source(i, height, outHeight);
                int y0 = (int) sy;
                int y1 = y0 < height - 1 ? y0 + 1 : y0;
                double ly = sy - y0;
                for (int j = 0; j < outWidth; j++) {
                    double sx = UpsampleArgs.source(j, width, outWidth);
                    int x0 = (int) sx;
                    int x1 = x0 < width - 1 ? x0 + 1 : x0;
                    double lx = sx - x0;
                    double g = grad[gradOff + (p * outHeight + i) * outWidth + j];
                    sums[y0 * width + x0] += (1 - ly) * (1 - lx) * g;
                    sums[y0 * width + x1] += (1 - ly) * lx * g;
                    sums[y1 * width + x0] += ly * (1 - lx) * g;
                    sums[y1 * width + x1] += ly * lx * g;
                }
            }
            for (int i = 0; i < height * width; i++) {
                gradInput[gradInputOff + p * height * width + i] = (float) sums[i];
            }
        }
    }

    /** Float64 overload. */
    public static void nearestForward(double[] x, int xOff, double[] y, int yOff, int batch, int channels, int height,
                                      int width, int scaleHeight, int scaleWidth) {
        UpsampleArgs.nearest(x.length, xOff, y.length, yOff, batch, channels, height, width, scaleHeight, scaleWidth);
        int outHeight = height * scaleHeight;
        int outWidth = width * scaleWidth;
        for (int p = 0; p < batch * channels; p++) {
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    y[yOff + (p * outHeight + i) * outWidth + j] =
                            x[xOff + (p * height + i / scaleHeight) * width + j / scaleWidth];
                }
            }
        }
    }

    /** Float64 overload. */
    public static void nearestBackward(double[] grad, int gradOff, double[] gradInput, int gradInputOff, int batch,
                                       int channels, int height, int width, int scaleHeight, int scaleWidth) {
        UpsampleArgs.nearest(gradInput.length, gradInputOff, grad.length, gradOff, batch, channels, height, width,
                scaleHeight, scaleWidth);
        int outHeight = height * scaleHeight;
        int outWidth = width * scaleWidth;
        for (int p = 0; p < batch * channels; p++) {
            for (int i = 0; i < height; i++) {
                for (int j = 0; j < width; j++) {
                    double sum = 0;
                    for (int a = 0; a < scaleHeight; a++) {
                        for (int b = 0; b < scaleWidth; b++) {
                            sum += grad[gradOff + (p * outHeight + i * scaleHeight + a) * outWidth + j * scaleWidth + b];
                        }
                    }
                    gradInput[gradInputOff + (p * height + i) * width + j] = sum;
                }
            }
        }
    }

    /** Float64 overload. */
    public static void bilinearForward(double[] x, int xOff, double[] y, int yOff, int batch, int channels, int height,
                                       int width, int outHeight, int outWidth) {
        UpsampleArgs.bilinear(x.length, xOff, y.length, yOff, batch, channels, height, width, outHeight, outWidth);
        for (int p = 0; p < batch * channels; p++) {
            for (int i = 0; i < outHeight; i++) {
                double sy = UpsampleArgs.source(i, height, outHeight);
                int y0 = (int) sy;
                int y1 = y0 < height - 1 ? y0 + 1 : y0;
                double ly = sy - y0;
                for (int j = 0; j < outWidth; j++) {
                    double sx = UpsampleArgs.source(j, width, outWidth);
                    int x0 = (int) sx;
                    int x1 = x0 < width - 1 ? x0 + 1 : x0;
                    double lx = sx - x0;
                    int plane = xOff + p * height * width;
                    double top = (1 - lx) * x[plane + y0 * width + x0] + lx * x[plane + y0 * width + x1];
                    double bottom = (1 - lx) * x[plane + y1 * width + x0] + lx * x[plane + y1 * width + x1];
                    y[yOff + (p * outHeight + i) * outWidth + j] = ((1 - ly) * top + ly * bottom);
                }
            }
        }
    }

    /** Float64 overload. */
    public static void bilinearBackward(double[] grad, int gradOff, double[] gradInput, int gradInputOff, int batch,
                                        int channels, int height, int width, int outHeight, int outWidth) {
        UpsampleArgs.bilinear(gradInput.length, gradInputOff, grad.length, gradOff, batch, channels, height, width,
                outHeight, outWidth);
        for (int p = 0; p < batch * channels; p++) {
            double[] sums = new double[height * width];
            for (int i = 0; i < outHeight; i++) {
                double sy = UpsampleArgs.source(i, height, outHeight);
                int y0 = (int) sy;
                int y1 = y0 < height - 1 ? y0 + 1 : y0;
                double ly = sy - y0;
                for (int j = 0; j < outWidth; j++) {
                    double sx = UpsampleArgs.source(j, width, outWidth);
                    int x0 = (int) sx;
                    int x1 = x0 < width - 1 ? x0 + 1 : x0;
                    double lx = sx - x0;
                    double g = grad[gradOff + (p * outHeight + i) * outWidth + j];
                    sums[y0 * width + x0] += (1 - ly) * (1 - lx) * g;
                    sums[y0 * width + x1] += (1 - ly) * lx * g;
                    sums[y1 * width + x0] += ly * (1 - lx) * g;
                    sums[y1 * width + x1] += ly * lx * g;
                }
            }
            for (int i = 0; i < height * width; i++) {
                gradInput[gradInputOff + p * height * width + i] = sums[i];
            }
        }
    }
}
