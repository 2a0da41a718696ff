package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Plane helpers shared by the convolution passes: zero-padded copies of NCHW planes, per-channel plane sums
 * (bias gradients), bias adds, tap offsets, output-vector tables and the geometry-fixed chunking.
 */
final class ConvPlanes {
    private static final VectorSpecies<Float> SF = Simd.F32;
    private static final VectorSpecies<Double> SD = Simd.F64;
    private static final int LF = SF.length();
    private static final int LD = SD.length();
    /** Chunks a forward or gradInput pass aims for, so two threads stay busy on small batches. */
    static final int TARGET_CHUNKS = 16;
    /** Output channels of one register tile of the direct pass. */
    static final int TILE = 6;

    private ConvPlanes() {}

    /**
     * The kernel of an input gradient: weight {@code [groups * opg, cpg, kh, kw]} with each kernel flipped in
     * both spatial axes and the two channel axes swapped, as {@code [groups * cpg, opg, kh, kw]}.
     */
    static float[] flippedSwapped(float[] weight, int weightOff, ConvGeometry g) {
        float[] flipped = new float[g.weightSize()];
        int cpg = g.inChannelsPerGroup(), opg = g.outChannelsPerGroup(), taps = g.kernelHeight() * g.kernelWidth();
        for (int group = 0; group < g.groups(); group++) {
            for (int oi = 0; oi < opg; oi++) {
                for (int ci = 0; ci < cpg; ci++) {
                    int from = weightOff + ((group * opg + oi) * cpg + ci) * taps;
                    int to = ((group * cpg + ci) * opg + oi) * taps + taps - 1;
                    for (int t = 0; t < taps; t++) {
                        flipped[to - t] = weight[from + t];
                    }
                }
            }
        }
        return flipped;
    }

    /** Double twin of {@link #flippedSwapped(float[], int, ConvGeometry)}. */
    static double[] flippedSwapped(double[] weight, int weightOff, ConvGeometry g) {
        double[] flipped = new double[g.weightSize()];
        int cpg = g.inChannelsPerGroup(), opg = g.outChannelsPerGroup(), taps = g.kernelHeight() * g.kernelWidth();
        for (int group = 0; group < g.groups(); group++) {
            for (int oi = 0; oi < opg; oi++) {
                for (int ci = 0; ci < cpg; ci++) {
                    int from = weightOff + ((group * opg + oi) * cpg + ci) * taps;
                    int to = ((group * cpg + ci) * opg + oi) * taps + taps - 1;
                    for (int t = 0; t < taps; t++) {
                        flipped[to - t] = weight[from + t];
                    }
                }
            }
        }
        return flipped;
    }

    /**
     * {@link #padPlanes} of one image into the calling thread's {@link ConvScratch#PLANES} scratch at 0, followed
     * by zeros up to {@code size} (the slack a tile may read past the last plane); the zeroing is skipped when the
     * scratch still holds planes of the same layout from the previous call on this thread, so a pass that pads
     * image after image writes only their pixels (on layer c the zeroing was 2-3% of each pass's profile).
     */
    static float[] padIntoScratch(float[] src, int srcOff, int channels, int rows, int cols, int planeLen,
                                  int planeRows, int pitch, int top, int left, int size) {
        int[] layout = {channels, rows, cols, planeLen, planeRows, pitch, top, left, size};
        float[] planes = ConvScratch.zeroedPlanes(size, layout);
        copyPlanes(src, srcOff, channels, rows, cols, 1, 1, planes, 0, planeLen, planeRows, pitch, top, left);
        return planes;
    }

    /**
     * Copies {@code channels} planes {@code [rows, cols]} into zeroed planes {@code [planeRows, pitch]}
     * ({@code planeLen} apart), source pixel (r, c) landing at {@code (r * rowStep + top, c * colStep + left)};
     * pixels that land outside are dropped (a negative {@code top} crops). Writes exactly
     * {@code [dstOff, dstOff + channels * planeLen)}, so images can be padded into one buffer in parallel;
     * callers zero the slack they read past the last plane. Zeroing the planes in one fill and then copying the
     * rows beat writing each row with its own pad columns (1.2 vs 2.4-3.3 us for 32 planes of 14 x 14).
     */
    static void padPlanes(float[] src, int srcOff, int channels, int rows, int cols, int rowStep,
                          int colStep, float[] dst, int dstOff, int planeLen, int planeRows, int pitch,
                          int top, int left) {
        java.util.Arrays.fill(dst, dstOff, dstOff + channels * planeLen, 0f);
        copyPlanes(src, srcOff, channels, rows, cols, rowStep, colStep, dst, dstOff, planeLen, planeRows, pitch, top,
                left);
    }

    /**
     * {@link #padPlanes} without the zeroing: writes only the source pixels, for planes whose other positions are
     * still zero from a {@code padPlanes} call with the same layout ({@code channels}, sizes, steps, {@code planeLen},
     * {@code planeRows}, {@code pitch}, {@code top}, {@code left}) into the same place. A chunk that pads image after
     * image into one scratch buffer zeroes it once.
     */
    static void copyPlanes(float[] src, int srcOff, int channels, int rows, int cols, int rowStep,
                           int colStep, float[] dst, int dstOff, int planeLen, int planeRows, int pitch,
                           int top, int left) {
        int c0 = Math.max(0, ceilDiv(Math.max(0, -left), colStep));
        int c1 = Math.min(cols, ceilDiv(pitch - left, colStep));
        if (c0 >= c1) {
            return;
        }
        VectorMask<Float> tail = SF.indexInRange(0, (c1 - c0) % LF);
        for (int ch = 0; ch < channels; ch++) {
            int from = srcOff + ch * rows * cols;
            int to = dstOff + ch * planeLen;
            for (int r = 0; r < rows; r++) {
                int row = r * rowStep + top;
                if (row < 0 || row >= planeRows) {
                    continue;
                }
                if (colStep == 1) {
                    copyRow(src, from + r * cols + c0, dst, to + row * pitch + left + c0, c1 - c0, tail);
                } else {
                    for (int c = c0; c < c1; c++) {
                        dst[to + row * pitch + c * colStep + left] = src[from + r * cols + c];
                    }
                }
            }
        }
    }

    /**
     * {@code dst[to + j] = src[from + j]} for j in [0, n): whole vectors, then one masked vector through
     * {@code tail} (the first {@code n % lanes} lanes). Short rows (14 columns) cost one masked vector
     * instead of a System.arraycopy call. Only the store needs the mask: the last vector is read whole unless it
     * would pass the end of {@code src} (32 planes of 14 x 14: 0.9-1.05 instead of 1.3-1.4 us).
     */
    static void copyRow(float[] src, int from, float[] dst, int to, int n, VectorMask<Float> tail) {
        int j = 0;
        for (; j + LF <= n; j += LF) {
            FloatVector.fromArray(SF, src, from + j).intoArray(dst, to + j);
        }
        if (j < n) {
            FloatVector last = from + j + LF <= src.length ? FloatVector.fromArray(SF, src, from + j)
                    : FloatVector.fromArray(SF, src, from + j, tail);
            last.intoArray(dst, to + j, tail);
        }
    }


    /**
     * Copies {@code channels} planes {@code [rows, cols]} into zeroed planes {@code [planeRows, pitch]}
     * ({@code planeLen} apart), source pixel (r, c) landing at {@code (r * rowStep + top, c * colStep + left)};
     * pixels that land outside are dropped (a negative {@code top} crops). Writes exactly
     * {@code [dstOff, dstOff + channels * planeLen)}; callers zero the slack they read past the last plane.
     */
    static void padPlanes(double[] src, int srcOff, int channels, int rows, int cols, int rowStep,
                                  int colStep, double[] dst, int dstOff, int planeLen, int planeRows, int pitch,
                                  int top, int left) {
        java.util.Arrays.fill(dst, dstOff, dstOff + channels * planeLen, 0.0);
        int c0 = Math.max(0, ceilDiv(Math.max(0, -left), colStep));
        int c1 = Math.min(cols, ceilDiv(pitch - left, colStep));
        if (c0 >= c1) {
            return;
        }
        for (int ch = 0; ch < channels; ch++) {
            int from = srcOff + ch * rows * cols;
            int to = dstOff + ch * planeLen;
            for (int r = 0; r < rows; r++) {
                int row = r * rowStep + top;
                if (row < 0 || row >= planeRows) {
                    continue;
                }
                if (colStep == 1) {
                    System.arraycopy(src, from + r * cols + c0, dst, to + row * pitch + left + c0, c1 - c0);
                } else {
                    for (int c = c0; c < c1; c++) {
                        dst[to + row * pitch + c * colStep + left] = src[from + r * cols + c];
                    }
                }
            }
        }
    }


    /** {@code sums[c] = sum of x[n, c, :]} over n, one chunk per channel, each summed in a fixed order. */
    static void planeSums(String op, float[] x, int xOff, float[] sums, int sumsOff, int batch, int channels,
                                  int plane) {
        ConvArgs.gradBias(op, x.length, xOff, sums.length, sumsOff, batch * channels, channels, plane);
        int full = SF.loopBound(plane);
        Parallel.forEach(channels, c -> {
            FloatVector acc = FloatVector.zero(SF);
            float tail = 0f;
            for (int n = 0; n < batch; n++) {
                int base = xOff + (n * channels + c) * plane;
                int i = 0;
                for (; i < full; i += LF) {
                    acc = acc.add(FloatVector.fromArray(SF, x, base + i));
                }
                for (; i < plane; i++) {
                    tail += x[base + i];
                }
            }
            sums[sumsOff + c] = Simd.sumLanes(acc) + tail;
        });
    }

    static void addPlaneBias(float[] x, int xOff, float[] bias, int biasOff, int batch, int channels,
                                     int plane) {
        Parallel.forEach(batch * channels, chunk -> {
            float b = bias[biasOff + chunk % channels];
            int base = xOff + chunk * plane;
            for (int i = 0; i < plane; i++) {
                x[base + i] += b;
            }
        });
    }

    /** {@code sums[c] = sum of x[n, c, :]} over n, one chunk per channel, each summed in a fixed order. */
    static void planeSums(String op, double[] x, int xOff, double[] sums, int sumsOff, int batch, int channels,
                                  int plane) {
        ConvArgs.gradBias(op, x.length, xOff, sums.length, sumsOff, batch * channels, channels, plane);
        int full = SD.loopBound(plane);
        Parallel.forEach(channels, c -> {
            DoubleVector acc = DoubleVector.zero(SD);
            double tail = 0.0;
            for (int n = 0; n < batch; n++) {
                int base = xOff + (n * channels + c) * plane;
                int i = 0;
                for (; i < full; i += LD) {
                    acc = acc.add(DoubleVector.fromArray(SD, x, base + i));
                }
                for (; i < plane; i++) {
                    tail += x[base + i];
                }
            }
            sums[sumsOff + c] = Simd.sumLanes(acc) + tail;
        });
    }

    static void addPlaneBias(double[] x, int xOff, double[] bias, int biasOff, int batch, int channels,
                                     int plane) {
        Parallel.forEach(batch * channels, chunk -> {
            double b = bias[biasOff + chunk % channels];
            int base = xOff + chunk * plane;
            for (int i = 0; i < plane; i++) {
                x[base + i] += b;
            }
        });
    }

    /** Flat offset of each kernel tap (kh, kw) in a plane of pitch {@code pitch}. */
    static int[] tapOffsets(int kernelHeight, int kernelWidth, int dilationHeight, int dilationWidth,
                                    int pitch) {
        int[] taps = new int[kernelHeight * kernelWidth];
        for (int kh = 0; kh < kernelHeight; kh++) {
            for (int kw = 0; kw < kernelWidth; kw++) {
                taps[kh * kernelWidth + kw] = kh * dilationHeight * pitch + kw * dilationWidth;
            }
        }
        return taps;
    }

    /**
     * The output vectors of a plane {@code [rows, cols]}, row by row: {@code [0]} their start in a padded
     * plane of pitch {@code pitch}, {@code [1]} their start in the compact output, {@code [2]} 1 when the
     * vector must be stored through the row-end mask, else 0. A row at least one vector long ends with a
     * vector aligned to its last column, overlapping the one before: the overlap is computed twice with the
     * same arithmetic and stored twice with the same bits, which is cheaper than a masked store (the JDK's
     * masked store checks every lane). A row shorter than a vector is stored whole: its extra lanes land at
     * the start of the next rows, which are stored later (tiles run over a plane's vectors in order); only the
     * last rows, whose extra lanes would reach past the plane, use the mask.
     */
    static int[][] rowVectors(int rows, int cols, int pitch, int lanes) {
        int perRow = ceilDiv(cols, lanes);
        boolean partial = cols % lanes != 0;
        boolean shortRows = cols < lanes;
        int[][] vectors = new int[3][rows * perRow];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < perRow; j++) {
                int v = r * perRow + j;
                int column = partial && !shortRows && j == perRow - 1 ? cols - lanes : j * lanes;
                vectors[0][v] = r * pitch + column;
                vectors[1][v] = r * cols + column;
                vectors[2][v] = shortRows && r * cols + lanes > rows * cols ? 1 : 0;
            }
        }
        return vectors;
    }

    /**
     * Channels per chunk: all of them when there are enough images for {@link #TARGET_CHUNKS}, else
     * blocks of a multiple of {@code tile} (the register tile) so that the chunk count approaches the target.
     * Depends on the geometry only, never on the thread count.
     */
    static int channelBlock(int images, int channels, int tile) {
        if (images >= TARGET_CHUNKS || channels <= tile) {
            return channels;
        }
        int blocks = Math.min(ceilDiv(TARGET_CHUNKS, images), ceilDiv(channels, tile));
        return ceilDiv(ceilDiv(channels, blocks), tile) * tile;
    }

    static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
