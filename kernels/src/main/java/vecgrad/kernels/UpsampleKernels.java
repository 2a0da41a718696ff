package vecgrad.kernels;

/**
 * Upsampling on NCHW tensors, float32 and float64, multi-threaded: nearest by integer factors and
 * bilinear (align_corners=false), each with its backward. Twin of {@link UpsampleReference}, with
 * identical public signatures. The work is copying and 4-term blends with data-dependent indices, so
 * the loops stay scalar (the JIT vectorizes the fills and copies); planes are split into fixed chunks,
 * so results do not depend on the thread count.
 */
public final class UpsampleKernels {
    /** Output elements per chunk. */
    private static final int CHUNK_ELEMENTS = 1 << 14;

    private UpsampleKernels() {}

    // ------------------------------------------------------------------------------------------------ float32

    /**
     * Nearest upsampling by integer factors (Keras UpSampling2D): {@code y[p, i, j] = x[p, i / scaleHeight,
     * j / scaleWidth]}, {@code x: [N, C, H, W]}, {@code y: [N, C, H * scaleHeight, W * scaleWidth]}.
     */
    public static void nearestForward(float[] x, int xOff, float[] y, int yOff, int batch, int channels, int height,
                                      int width, int scaleHeight, int scaleWidth) {
        UpsampleArgs.nearest(x.length, xOff, y.length, yOff, batch, channels, height, width, scaleHeight, scaleWidth);
        int outHeight = height * scaleHeight;
        int outWidth = width * scaleWidth;
        int planes = batch * channels;
        int per = perChunk(outHeight * outWidth);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            for (int p = chunk * per; p < Math.min(planes, (chunk + 1) * per); p++) {
                for (int i = 0; i < height; i++) {
                    int from = xOff + (p * height + i) * width;
                    int first = yOff + (p * outHeight + i * scaleHeight) * outWidth;
                    for (int j = 0; j < width; j++) {
                        java.util.Arrays.fill(y, first + j * scaleWidth, first + (j + 1) * scaleWidth, x[from + j]);
                    }
                    for (int a = 1; a < scaleHeight; a++) { // the other rows of the block repeat the first
                        System.arraycopy(y, first, y, first + a * outWidth, outWidth);
                    }
                }
            }
        });
    }

    /** {@code gradInput[p, i, j] = sum of grad over the scaleHeight x scaleWidth block of (i, j)} (overwritten). */
    public static void nearestBackward(float[] grad, int gradOff, float[] gradInput, int gradInputOff, int batch,
                                       int channels, int height, int width, int scaleHeight, int scaleWidth) {
        UpsampleArgs.nearest(gradInput.length, gradInputOff, grad.length, gradOff, batch, channels, height, width,
                scaleHeight, scaleWidth);
        int outHeight = height * scaleHeight;
        int outWidth = width * scaleWidth;
        int planes = batch * channels;
        int per = perChunk(outHeight * outWidth);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            for (int p = chunk * per; p < Math.min(planes, (chunk + 1) * per); p++) {
                for (int i = 0; i < height; i++) {
                    int to = gradInputOff + (p * height + i) * width;
                    int first = gradOff + (p * outHeight + i * scaleHeight) * outWidth;
                    for (int j = 0; j < width; j++) {
                        float sum = 0f;
                        for (int a = 0; a < scaleHeight; a++) {
                            int row = first + a * outWidth + j * scaleWidth;
                            for (int b = 0; b < scaleWidth; b++) {
                                sum += grad[row + b];
                            }
                        }
                        gradInput[to + j] = sum;
                    }
                }
            }
        });
    }

    /**
     * Bilinear resize with {@code align_corners=false} (PyTorch's upsample_bilinear2d given an output size):
     * output cell i samples input coordinate {@code max(0, (i + 0.5) * in / out - 0.5)}, interpolating its
     * two neighbours (the last row/column repeats at the edge). {@code y: [N, C, outHeight, outWidth]}.
     */
    public static void bilinearForward(float[] x, int xOff, float[] y, int yOff, int batch, int channels, int height,
                                       int width, int outHeight, int outWidth) {
        UpsampleArgs.bilinear(x.length, xOff, y.length, yOff, batch, channels, height, width, outHeight, outWidth);
        Taps rows = Taps.of(height, outHeight);
        Taps cols = Taps.of(width, outWidth);
        int planes = batch * channels;
        int per = perChunk(outHeight * outWidth);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            for (int p = chunk * per; p < Math.min(planes, (chunk + 1) * per); p++) {
                int plane = xOff + p * height * width;
                for (int i = 0; i < outHeight; i++) {
                    int top = plane + rows.low[i] * width;
                    int bottom = plane + rows.high[i] * width;
                    float ly = (float) rows.weight[i];
                    int out = yOff + (p * outHeight + i) * outWidth;
                    for (int j = 0; j < outWidth; j++) {
                        float lx = (float) cols.weight[j];
                        float upper = (1 - lx) * x[top + cols.low[j]] + lx * x[top + cols.high[j]];
                        float lower = (1 - lx) * x[bottom + cols.low[j]] + lx * x[bottom + cols.high[j]];
                        y[out + j] = (1 - ly) * upper + ly * lower;
                    }
                }
            }
        });
    }

    /** Gradient of {@link #bilinearForward}: each output's gradient goes to its four neighbours by the same weights (overwritten). */
    public static void bilinearBackward(float[] grad, int gradOff, float[] gradInput, int gradInputOff, int batch,
                                        int channels, int height, int width, int outHeight, int outWidth) {
        UpsampleArgs.bilinear(gradInput.length, gradInputOff, grad.length, gradOff, batch, channels, height, width,
                outHeight, outWidth);
        Taps rows = Taps.of(height, outHeight);
        Taps cols = Taps.of(width, outWidth);
        int planes = batch * channels;
        int per = perChunk(outHeight * outWidth);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            int first = chunk * per;
            int last = Math.min(planes, (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * height * width,
                    gradInputOff + last * height * width, 0f);
            for (int p = first; p < last; p++) {
                int plane = gradInputOff + p * height * width;
                for (int i = 0; i < outHeight; i++) {
                    int top = plane + rows.low[i] * width;
                    int bottom = plane + rows.high[i] * width;
                    float ly = (float) rows.weight[i];
                    int in = gradOff + (p * outHeight + i) * outWidth;
                    for (int j = 0; j < outWidth; j++) {
                        float lx = (float) cols.weight[j];
                        float g = grad[in + j];
                        gradInput[top + cols.low[j]] += (1 - ly) * (1 - lx) * g;
                        gradInput[top + cols.high[j]] += (1 - ly) * lx * g;
                        gradInput[bottom + cols.low[j]] += ly * (1 - lx) * g;
                        gradInput[bottom + cols.high[j]] += ly * lx * g;
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ float64

    /** Float64 overload. */
    public static void nearestForward(double[] x, int xOff, double[] y, int yOff, int batch, int channels, int height,
                                      int width, int scaleHeight, int scaleWidth) {
        UpsampleArgs.nearest(x.length, xOff, y.length, yOff, batch, channels, height, width, scaleHeight, scaleWidth);
        int outHeight = height * scaleHeight;
        int outWidth = width * scaleWidth;
        int planes = batch * channels;
        int per = perChunk(outHeight * outWidth);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            for (int p = chunk * per; p < Math.min(planes, (chunk + 1) * per); p++) {
                for (int i = 0; i < height; i++) {
                    int from = xOff + (p * height + i) * width;
                    int first = yOff + (p * outHeight + i * scaleHeight) * outWidth;
                    for (int j = 0; j < width; j++) {
                        java.util.Arrays.fill(y, first + j * scaleWidth, first + (j + 1) * scaleWidth, x[from + j]);
                    }
                    for (int a = 1; a < scaleHeight; a++) { // the other rows of the block repeat the first
                        System.arraycopy(y, first, y, first + a * outWidth, outWidth);
                    }
                }
            }
        });
    }

    /** Float64 overload. */
    public static void nearestBackward(double[] grad, int gradOff, double[] gradInput, int gradInputOff, int batch,
                                       int channels, int height, int width, int scaleHeight, int scaleWidth) {
        UpsampleArgs.nearest(gradInput.length, gradInputOff, grad.length, gradOff, batch, channels, height, width,
                scaleHeight, scaleWidth);
        int outHeight = height * scaleHeight;
        int outWidth = width * scaleWidth;
        int planes = batch * channels;
        int per = perChunk(outHeight * outWidth);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            for (int p = chunk * per; p < Math.min(planes, (chunk + 1) * per); p++) {
                for (int i = 0; i < height; i++) {
                    int to = gradInputOff + (p * height + i) * width;
                    int first = gradOff + (p * outHeight + i * scaleHeight) * outWidth;
                    for (int j = 0; j < width; j++) {
                        double sum = 0.0;
                        for (int a = 0; a < scaleHeight; a++) {
                            int row = first + a * outWidth + j * scaleWidth;
                            for (int b = 0; b < scaleWidth; b++) {
                                sum += grad[row + b];
                            }
                        }
                        gradInput[to + j] = sum;
                    }
                }
            }
        });
    }

    /** Float64 overload. */
    public static void bilinearForward(double[] x, int xOff, double[] y, int yOff, int batch, int channels, int height,
                                       int width, int outHeight, int outWidth) {
        UpsampleArgs.bilinear(x.length, xOff, y.length, yOff, batch, channels, height, width, outHeight, outWidth);
        Taps rows = Taps.of(height, outHeight);
        Taps cols = Taps.of(width, outWidth);
        int planes = batch * channels;
        int per = perChunk(outHeight * outWidth);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            for (int p = chunk * per; p < Math.min(planes, (chunk + 1) * per); p++) {
                int plane = xOff + p * height * width;
                for (int i = 0; i < outHeight; i++) {
                    int top = plane + rows.low[i] * width;
                    int bottom = plane + rows.high[i] * width;
                    double ly = rows.weight[i];
                    int out = yOff + (p * outHeight + i) * outWidth;
                    for (int j = 0; j < outWidth; j++) {
                        double lx = cols.weight[j];
                        double upper = (1 - lx) * x[top + cols.low[j]] + lx * x[top + cols.high[j]];
                        double lower = (1 - lx) * x[bottom + cols.low[j]] + lx * x[bottom + cols.high[j]];
                        y[out + j] = (1 - ly) * upper + ly * lower;
                    }
                }
            }
        });
    }

    /** Float64 overload. */
    public static void bilinearBackward(double[] grad, int gradOff, double[] gradInput, int gradInputOff, int batch,
                                        int channels, int height, int width, int outHeight, int outWidth) {
        UpsampleArgs.bilinear(gradInput.length, gradInputOff, grad.length, gradOff, batch, channels, height, width,
                outHeight, outWidth);
        Taps rows = Taps.of(height, outHeight);
        Taps cols = Taps.of(width, outWidth);
        int planes = batch * channels;
        int per = perChunk(outHeight * outWidth);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            int first = chunk * per;
            int last = Math.min(planes, (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * height * width,
                    gradInputOff + last * height * width, 0.0);
            for (int p = first; p < last; p++) {
                int plane = gradInputOff + p * height * width;
                for (int i = 0; i < outHeight; i++) {
                    int top = plane + rows.low[i] * width;
                    int bottom = plane + rows.high[i] * width;
                    double ly = rows.weight[i];
                    int in = gradOff + (p * outHeight + i) * outWidth;
                    for (int j = 0; j < outWidth; j++) {
                        double lx = cols.weight[j];
                        double g = grad[in + j];
                        gradInput[top + cols.low[j]] += (1 - ly) * (1 - lx) * g;
                        gradInput[top + cols.high[j]] += (1 - ly) * lx * g;
                        gradInput[bottom + cols.low[j]] += ly * (1 - lx) * g;
                        gradInput[bottom + cols.high[j]] += ly * lx * g;
                    }
                }
            }
        });
    }

    private static int perChunk(int outPlane) {
        return Math.max(1, CHUNK_ELEMENTS / outPlane);
    }

    /** Per output row (or column): the two input neighbours and the weight of the second. */
    private record Taps(int[] low, int[] high, double[] weight) {
        static Taps of(int in, int out) {
            int[] low = new int[out];
            int[] high = new int[out];
            double[] weight = new double[out];
            for (int i = 0; i < out; i++) {
                double source = UpsampleArgs.source(i, in, out);
                low[i] = (int) source;
                high[i] = low[i] < in - 1 ? low[i] + 1 : low[i];
                weight[i] = source - low[i];
            }
            return new Taps(low, high, weight);
        }
    }
}
