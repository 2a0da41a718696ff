package vecgrad.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct stride-1 convolution, float32: the forward pass and the input gradient of {@link ConvKernels}, both
 * a correlation over flattened zero-padded planes. Output position {@code q = oh * pitch + ow} reads plane
 * position {@code q + tap} for each kernel tap, so the outputs of a plane are one contiguous run of
 * {@code outHeight * pitch} positions (the {@code pitch - outWidth} positions after each row are computed
 * and dropped) and every vector of it is a full, unmasked load. A register tile of {@link #TILE} output
 * channels x up to 4 vectors (16 accumulators; 4 x 6 measured 20-30% slower, the JIT spills its 31 live
 * vectors; on 32 -> 32, 14 x 14 two 4-channel tiles x 3 vectors were 1.7x slower, 8 x 2 1.2-1.3x, and 4 x 5
 * even to 10% slower with either load order, though each does more FMAs per load) runs over all input channels and taps; for 3x3 kernels with unit column
 * dilation the three column taps of a kernel row are constant offsets, so the JIT merges their bounds
 * checks. Tiles write a flat block that is then cut into the output rows.
 */
final class ConvDirectF32 {
    private static final VectorSpecies<Float> SF = Simd.F32;
    private static final int LF = SF.length();
    /** Output channels of one register tile. */
    static final int TILE = 4;
    /** Elements of padded input one block of positions may touch: about 256 KB of float32, half an L2. */
    private static final int L2_ELEMENTS = 1 << 16;

    private ConvDirectF32() {}

    static void forward(float[] input, int inputOff, float[] weight, int weightOff, float[] bias, int biasOff,
                        float[] output, int outputOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int hp = g.height() + s.padTop() + s.padBottom();
        int wp = g.width() + s.padLeft() + s.padRight();
        int planeLen = hp * wp;
        int rowLength = cpg * g.kernelHeight() * g.kernelWidth();
        int tiled = ConvPlanes.ceilDiv(opg, TILE) * TILE;
        float[] packed = new float[groups * tiled * rowLength];
        for (int group = 0; group < groups; group++) {
            pack(weight, weightOff + group * opg * rowLength, opg, rowLength, packed, group * tiled * rowLength);
        }
        int blockSize = ConvPlanes.channelBlock(g.batch() * groups, opg, TILE);
        int blocks = ConvPlanes.ceilDiv(opg, blockSize);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int slack = LF + (g.kernelWidth() - 1) * s.dilationWidth();
        Parallel.forEach(g.batch() * groups * blocks, chunk -> {
            int block = chunk % blocks;
            int image = chunk / blocks;
            int group = image % groups;
            int n = image / groups;
            int co0 = block * blockSize;
            int count = Math.min(opg - co0, blockSize);
            float[] planes = ConvScratch.floats(ConvScratch.PLANES, cpg * planeLen + slack);
            ConvPlanes.padPlanes(input, inputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, g.height(),
                    g.width(), 1, 1, planes, 0, planeLen, hp, wp, s.padTop(), s.padLeft());
            java.util.Arrays.fill(planes, cpg * planeLen, cpg * planeLen + slack, 0f);
            int co = group * opg + co0;
            correlate(planes, planeLen, cpg, packed, (group * tiled + co0) * rowLength, g, wp, count, bias,
                    biasOff + co, output, outputOff + (n * g.outChannels() + co) * outPlane, g.outHeight(),
                    g.outWidth());
        });
    }

    static void gradInput(float[] gradOutput, int gradOutputOff, float[] weight, int weightOff, float[] gradInput,
                          int gradInputOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int tapCount = kh * kw;
        // gradInput is a stride-1 correlation of gradOutput, placed in a plane of the input's size plus the
        // dilated kernel, with the kernel flipped and its two channel axes swapped.
        int spanH = (kh - 1) * s.dilationHeight();
        int spanW = (kw - 1) * s.dilationWidth();
        int hq = g.height() + spanH;
        int wq = g.width() + spanW;
        int planeLen = hq * wq;
        float[] flipped = ConvPlanes.flippedSwapped(weight, weightOff, g);
        int rowLength = opg * tapCount;
        int tiled = ConvPlanes.ceilDiv(cpg, TILE) * TILE;
        float[] packed = new float[groups * tiled * rowLength];
        for (int group = 0; group < groups; group++) {
            pack(flipped, group * cpg * rowLength, cpg, rowLength, packed, group * tiled * rowLength);
        }
        int blockSize = ConvPlanes.channelBlock(g.batch() * groups, cpg, TILE);
        int blocks = ConvPlanes.ceilDiv(cpg, blockSize);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int slack = LF + spanW;
        Parallel.forEach(g.batch() * groups * blocks, chunk -> {
            int block = chunk % blocks;
            int image = chunk / blocks;
            int group = image % groups;
            int n = image / groups;
            int ci0 = block * blockSize;
            int count = Math.min(cpg - ci0, blockSize);
            float[] planes = ConvScratch.floats(ConvScratch.PLANES, opg * planeLen + slack);
            ConvPlanes.padPlanes(gradOutput, gradOutputOff + (n * g.outChannels() + group * opg) * outPlane, opg,
                    g.outHeight(), g.outWidth(), 1, 1, planes, 0, planeLen, hq, wq, spanH - s.padTop(),
                    spanW - s.padLeft());
            java.util.Arrays.fill(planes, opg * planeLen, opg * planeLen + slack, 0f);
            int c = group * cpg + ci0;
            correlate(planes, planeLen, opg, packed, (group * tiled + ci0) * rowLength, g, wq, count, null, 0,
                    gradInput, gradInputOff + (n * g.inChannels() + c) * inPlane, g.height(), g.width());
        });
    }

    /**
     * Stride-1 correlation of {@code channels} padded planes (pitch {@code pitch}, {@code planeLen} apart) with
     * {@code outChannels} weight rows packed by {@link #pack} from {@code packedOff}, plus bias (or none),
     * written to {@code [outChannels, outHeight, outWidth]} at {@code outOff}. The kernel is g's (size and
     * dilation). The plane's positions are cut into blocks small enough that the rows they read from every
     * channel stay in L2 while all channel tiles reuse them.
     */
    private static void correlate(float[] planes, int planeLen, int channels, float[] packed, int packedOff,
                                  ConvGeometry g, int pitch, int outChannels, float[] bias, int biasOff, float[] out,
                                  int outOff, int outHeight, int outWidth) {
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int[] taps = ConvPlanes.tapOffsets(kh, kw, g.spec().dilationHeight(), g.spec().dilationWidth(), pitch);
        boolean nine = kh == 3 && kw == 3 && g.spec().dilationWidth() == 1;
        int rowStep = g.spec().dilationHeight() * pitch;
        int rowLength = channels * taps.length;
        int positions = outHeight * pitch;
        int count = ConvPlanes.ceilDiv(positions, LF);
        int reach = taps[taps.length - 1];
        int block = Math.max(4, (L2_ELEMENTS / channels - reach) / LF / 4 * 4);
        int tiles = ConvPlanes.ceilDiv(outChannels, TILE);
        int flatStride = Math.min(block, count) * LF;
        float[] flat = ConvScratch.floats(ConvScratch.FLAT, tiles * TILE * flatStride);
        for (int v0 = 0; v0 < count; v0 += block) {
            int v1 = Math.min(count, v0 + block);
            for (int tile = 0; tile < tiles; tile++) {
                int co = tile * TILE;
                int last = Math.min(TILE, outChannels - co) - 1;
                int w = packedOff + co * rowLength;
                float b0 = bias == null ? 0f : bias[biasOff + co];
                float b1 = bias == null ? 0f : bias[biasOff + co + Math.min(1, last)];
                float b2 = bias == null ? 0f : bias[biasOff + co + Math.min(2, last)];
                float b3 = bias == null ? 0f : bias[biasOff + co + Math.min(3, last)];
                int f = co * flatStride - v0 * LF; // flat index of position q, channel co: f + q
                int v = v0;
                for (; v + 4 <= v1; v += 4) {
                    if (nine) {
                        nine4x4(planes, planeLen, channels, rowStep, packed, w, v * LF, b0, b1, b2, b3, flat,
                                f + v * LF, flatStride);
                    } else {
                        any4x4(planes, planeLen, channels, taps, packed, w, v * LF, b0, b1, b2, b3, flat,
                                f + v * LF, flatStride);
                    }
                }
                if (nine && v + 2 <= v1) {
                    nine4x2(planes, planeLen, channels, rowStep, packed, w, v * LF, b0, b1, b2, b3, flat, f + v * LF,
                            flatStride);
                    v += 2;
                }
                for (; v < v1; v++) {
                    if (nine) {
                        nine4x1(planes, planeLen, channels, rowStep, packed, w, v * LF, b0, b1, b2, b3, flat,
                                f + v * LF, flatStride);
                    } else {
                        any4x1(planes, planeLen, channels, taps, packed, w, v * LF, b0, b1, b2, b3, flat,
                                f + v * LF, flatStride);
                    }
                }
            }
            unflatten(flat, flatStride, v0 * LF, Math.min(v1 * LF, positions), pitch, outChannels, out, outOff,
                    outHeight, outWidth, outHeight * outWidth);
        }
    }

    /**
     * Copies flat positions {@code [from, to)} of {@code channels} flat rows ({@code flatStride} apart, position
     * {@code from} at index 0) to the output planes {@code [channels, outHeight, outWidth]} ({@code outPlane}
     * apart): position {@code q = oh * pitch + ow} goes to {@code (oh, ow)} when {@code ow < outWidth}, else it is
     * dropped.
     */
    static void unflatten(float[] flat, int flatStride, int from, int to, int pitch, int channels, float[] out,
                          int outOff, int outHeight, int outWidth, int outPlane) {
        VectorMask<Float> tail = SF.indexInRange(0, outWidth % LF);
        for (int c = 0; c < channels; c++) {
            int src = c * flatStride - from;
            int dst = outOff + c * outPlane;
            for (int oh = from / pitch; oh < outHeight && oh * pitch < to; oh++) {
                int start = Math.max(from, oh * pitch);
                int end = Math.min(to, oh * pitch + outWidth);
                if (end - start == outWidth) {
                    ConvPlanes.copyRow(flat, src + start, out, dst + oh * outWidth, outWidth, tail);
                } else if (start < end) { // a row cut by the block boundary
                    System.arraycopy(flat, src + start, out, dst + oh * outWidth + start - oh * pitch, end - start);
                }
            }
        }
    }

    /**
     * Repacks {@code rows} weight rows of {@code rowLength} values into tiles of {@link #TILE} rows,
     * interleaved per value ({@code [tile][value][TILE]}), so one tap's weights for a tile's output channels
     * are adjacent broadcasts. A last partial tile repeats its last row: the extra channels are computed
     * from real weights and never stored.
     */
    private static void pack(float[] weight, int weightOff, int rows, int rowLength, float[] packed,
                             int packedOff) {
        for (int tile = 0; tile < ConvPlanes.ceilDiv(rows, TILE); tile++) {
            for (int j = 0; j < TILE; j++) {
                int row = Math.min(tile * TILE + j, rows - 1);
                int from = weightOff + row * rowLength;
                int to = packedOff + tile * TILE * rowLength + j;
                for (int i = 0; i < rowLength; i++) {
                    packed[to + i * TILE] = weight[from + i];
                }
            }
        }
    }

    /** {@link #TILE} output channels x 4 vectors of a 3x3 kernel with unit column dilation: column taps are constant offsets. */
    private static void nine4x4(float[] planes, int planeLen, int channels, int rowStep, float[] packed, int w, int q,
                                 float b0, float b1, float b2, float b3, float[] flat, int f, int flatStride) {
        FloatVector a00 = FloatVector.broadcast(SF, b0);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = FloatVector.broadcast(SF, b1);
        FloatVector a11 = a10;
        FloatVector a12 = a10;
        FloatVector a13 = a10;
        FloatVector a20 = FloatVector.broadcast(SF, b2);
        FloatVector a21 = a20;
        FloatVector a22 = a20;
        FloatVector a23 = a20;
        FloatVector a30 = FloatVector.broadcast(SF, b3);
        FloatVector a31 = a30;
        FloatVector a32 = a30;
        FloatVector a33 = a30;
        for (int c = 0; c < channels; c++) {
            int row = c * planeLen + q;
            int k = w + c * 36;
            for (int r = 0; r < 3; r++, row += rowStep, k += 12) {
                FloatVector x0 = FloatVector.fromArray(SF, planes, row);
                FloatVector x1 = FloatVector.fromArray(SF, planes, row + LF);
                FloatVector x2 = FloatVector.fromArray(SF, planes, row + 2 * LF);
                FloatVector x3 = FloatVector.fromArray(SF, planes, row + 3 * LF);
                FloatVector wv = FloatVector.broadcast(SF, packed[k]);
                a00 = x0.fma(wv, a00);
                a01 = x1.fma(wv, a01);
                a02 = x2.fma(wv, a02);
                a03 = x3.fma(wv, a03);
                wv = FloatVector.broadcast(SF, packed[k + 1]);
                a10 = x0.fma(wv, a10);
                a11 = x1.fma(wv, a11);
                a12 = x2.fma(wv, a12);
                a13 = x3.fma(wv, a13);
                wv = FloatVector.broadcast(SF, packed[k + 2]);
                a20 = x0.fma(wv, a20);
                a21 = x1.fma(wv, a21);
                a22 = x2.fma(wv, a22);
                a23 = x3.fma(wv, a23);
                wv = FloatVector.broadcast(SF, packed[k + 3]);
                a30 = x0.fma(wv, a30);
                a31 = x1.fma(wv, a31);
                a32 = x2.fma(wv, a32);
                a33 = x3.fma(wv, a33);
                x0 = FloatVector.fromArray(SF, planes, row + 1);
                x1 = FloatVector.fromArray(SF, planes, row + 1 + LF);
                x2 = FloatVector.fromArray(SF, planes, row + 1 + 2 * LF);
                x3 = FloatVector.fromArray(SF, planes, row + 1 + 3 * LF);
                wv = FloatVector.broadcast(SF, packed[k + 4]);
                a00 = x0.fma(wv, a00);
                a01 = x1.fma(wv, a01);
                a02 = x2.fma(wv, a02);
                a03 = x3.fma(wv, a03);
                wv = FloatVector.broadcast(SF, packed[k + 5]);
                a10 = x0.fma(wv, a10);
                a11 = x1.fma(wv, a11);
                a12 = x2.fma(wv, a12);
                a13 = x3.fma(wv, a13);
                wv = FloatVector.broadcast(SF, packed[k + 6]);
                a20 = x0.fma(wv, a20);
                a21 = x1.fma(wv, a21);
                a22 = x2.fma(wv, a22);
                a23 = x3.fma(wv, a23);
                wv = FloatVector.broadcast(SF, packed[k + 7]);
                a30 = x0.fma(wv, a30);
                a31 = x1.fma(wv, a31);
                a32 = x2.fma(wv, a32);
                a33 = x3.fma(wv, a33);
                x0 = FloatVector.fromArray(SF, planes, row + 2);
                x1 = FloatVector.fromArray(SF, planes, row + 2 + LF);
                x2 = FloatVector.fromArray(SF, planes, row + 2 + 2 * LF);
                x3 = FloatVector.fromArray(SF, planes, row + 2 + 3 * LF);
                wv = FloatVector.broadcast(SF, packed[k + 8]);
                a00 = x0.fma(wv, a00);
                a01 = x1.fma(wv, a01);
                a02 = x2.fma(wv, a02);
                a03 = x3.fma(wv, a03);
                wv = FloatVector.broadcast(SF, packed[k + 9]);
                a10 = x0.fma(wv, a10);
                a11 = x1.fma(wv, a11);
                a12 = x2.fma(wv, a12);
                a13 = x3.fma(wv, a13);
                wv = FloatVector.broadcast(SF, packed[k + 10]);
                a20 = x0.fma(wv, a20);
                a21 = x1.fma(wv, a21);
                a22 = x2.fma(wv, a22);
                a23 = x3.fma(wv, a23);
                wv = FloatVector.broadcast(SF, packed[k + 11]);
                a30 = x0.fma(wv, a30);
                a31 = x1.fma(wv, a31);
                a32 = x2.fma(wv, a32);
                a33 = x3.fma(wv, a33);
            }
        }
        a00.intoArray(flat, f);
        a01.intoArray(flat, f + LF);
        a02.intoArray(flat, f + 2 * LF);
        a03.intoArray(flat, f + 3 * LF);
        a10.intoArray(flat, f + flatStride);
        a11.intoArray(flat, f + flatStride + LF);
        a12.intoArray(flat, f + flatStride + 2 * LF);
        a13.intoArray(flat, f + flatStride + 3 * LF);
        a20.intoArray(flat, f + 2 * flatStride);
        a21.intoArray(flat, f + 2 * flatStride + LF);
        a22.intoArray(flat, f + 2 * flatStride + 2 * LF);
        a23.intoArray(flat, f + 2 * flatStride + 3 * LF);
        a30.intoArray(flat, f + 3 * flatStride);
        a31.intoArray(flat, f + 3 * flatStride + LF);
        a32.intoArray(flat, f + 3 * flatStride + 2 * LF);
        a33.intoArray(flat, f + 3 * flatStride + 3 * LF);
    }

    /** {@link #TILE} output channels x 2 vectors of a 3x3 kernel with unit column dilation: column taps are constant offsets. */
    private static void nine4x2(float[] planes, int planeLen, int channels, int rowStep, float[] packed, int w, int q,
                                 float b0, float b1, float b2, float b3, float[] flat, int f, int flatStride) {
        FloatVector a00 = FloatVector.broadcast(SF, b0);
        FloatVector a01 = a00;
        FloatVector a10 = FloatVector.broadcast(SF, b1);
        FloatVector a11 = a10;
        FloatVector a20 = FloatVector.broadcast(SF, b2);
        FloatVector a21 = a20;
        FloatVector a30 = FloatVector.broadcast(SF, b3);
        FloatVector a31 = a30;
        for (int c = 0; c < channels; c++) {
            int row = c * planeLen + q;
            int k = w + c * 36;
            for (int r = 0; r < 3; r++, row += rowStep, k += 12) {
                FloatVector x0 = FloatVector.fromArray(SF, planes, row);
                FloatVector x1 = FloatVector.fromArray(SF, planes, row + LF);
                FloatVector wv = FloatVector.broadcast(SF, packed[k]);
                a00 = x0.fma(wv, a00);
                a01 = x1.fma(wv, a01);
                wv = FloatVector.broadcast(SF, packed[k + 1]);
                a10 = x0.fma(wv, a10);
                a11 = x1.fma(wv, a11);
                wv = FloatVector.broadcast(SF, packed[k + 2]);
                a20 = x0.fma(wv, a20);
                a21 = x1.fma(wv, a21);
                wv = FloatVector.broadcast(SF, packed[k + 3]);
                a30 = x0.fma(wv, a30);
                a31 = x1.fma(wv, a31);
                x0 = FloatVector.fromArray(SF, planes, row + 1);
                x1 = FloatVector.fromArray(SF, planes, row + 1 + LF);
                wv = FloatVector.broadcast(SF, packed[k + 4]);
                a00 = x0.fma(wv, a00);
                a01 = x1.fma(wv, a01);
                wv = FloatVector.broadcast(SF, packed[k + 5]);
                a10 = x0.fma(wv, a10);
                a11 = x1.fma(wv, a11);
                wv = FloatVector.broadcast(SF, packed[k + 6]);
                a20 = x0.fma(wv, a20);
                a21 = x1.fma(wv, a21);
                wv = FloatVector.broadcast(SF, packed[k + 7]);
                a30 = x0.fma(wv, a30);
                a31 = x1.fma(wv, a31);
                x0 = FloatVector.fromArray(SF, planes, row + 2);
                x1 = FloatVector.fromArray(SF, planes, row + 2 + LF);
                wv = FloatVector.broadcast(SF, packed[k + 8]);
                a00 = x0.fma(wv, a00);
                a01 = x1.fma(wv, a01);
                wv = FloatVector.broadcast(SF, packed[k + 9]);
                a10 = x0.fma(wv, a10);
                a11 = x1.fma(wv, a11);
                wv = FloatVector.broadcast(SF, packed[k + 10]);
                a20 = x0.fma(wv, a20);
                a21 = x1.fma(wv, a21);
                wv = FloatVector.broadcast(SF, packed[k + 11]);
                a30 = x0.fma(wv, a30);
                a31 = x1.fma(wv, a31);
            }
        }
        a00.intoArray(flat, f);
        a01.intoArray(flat, f + LF);
        a10.intoArray(flat, f + flatStride);
        a11.intoArray(flat, f + flatStride + LF);
        a20.intoArray(flat, f + 2 * flatStride);
        a21.intoArray(flat, f + 2 * flatStride + LF);
        a30.intoArray(flat, f + 3 * flatStride);
        a31.intoArray(flat, f + 3 * flatStride + LF);
    }

    /** {@link #TILE} output channels x 1 vector of a 3x3 kernel with unit column dilation: column taps are constant offsets. */
    private static void nine4x1(float[] planes, int planeLen, int channels, int rowStep, float[] packed, int w, int q,
                                 float b0, float b1, float b2, float b3, float[] flat, int f, int flatStride) {
        FloatVector a00 = FloatVector.broadcast(SF, b0);
        FloatVector a10 = FloatVector.broadcast(SF, b1);
        FloatVector a20 = FloatVector.broadcast(SF, b2);
        FloatVector a30 = FloatVector.broadcast(SF, b3);
        for (int c = 0; c < channels; c++) {
            int row = c * planeLen + q;
            int k = w + c * 36;
            for (int r = 0; r < 3; r++, row += rowStep, k += 12) {
                FloatVector x0 = FloatVector.fromArray(SF, planes, row);
                FloatVector wv = FloatVector.broadcast(SF, packed[k]);
                a00 = x0.fma(wv, a00);
                wv = FloatVector.broadcast(SF, packed[k + 1]);
                a10 = x0.fma(wv, a10);
                wv = FloatVector.broadcast(SF, packed[k + 2]);
                a20 = x0.fma(wv, a20);
                wv = FloatVector.broadcast(SF, packed[k + 3]);
                a30 = x0.fma(wv, a30);
                x0 = FloatVector.fromArray(SF, planes, row + 1);
                wv = FloatVector.broadcast(SF, packed[k + 4]);
                a00 = x0.fma(wv, a00);
                wv = FloatVector.broadcast(SF, packed[k + 5]);
                a10 = x0.fma(wv, a10);
                wv = FloatVector.broadcast(SF, packed[k + 6]);
                a20 = x0.fma(wv, a20);
                wv = FloatVector.broadcast(SF, packed[k + 7]);
                a30 = x0.fma(wv, a30);
                x0 = FloatVector.fromArray(SF, planes, row + 2);
                wv = FloatVector.broadcast(SF, packed[k + 8]);
                a00 = x0.fma(wv, a00);
                wv = FloatVector.broadcast(SF, packed[k + 9]);
                a10 = x0.fma(wv, a10);
                wv = FloatVector.broadcast(SF, packed[k + 10]);
                a20 = x0.fma(wv, a20);
                wv = FloatVector.broadcast(SF, packed[k + 11]);
                a30 = x0.fma(wv, a30);
            }
        }
        a00.intoArray(flat, f);
        a10.intoArray(flat, f + flatStride);
        a20.intoArray(flat, f + 2 * flatStride);
        a30.intoArray(flat, f + 3 * flatStride);
    }

    /** {@link #TILE} output channels x 4 vectors of any kernel: taps from {@code taps}. */
    private static void any4x4(float[] planes, int planeLen, int channels, int[] taps, float[] packed, int w, int q,
                               float b0, float b1, float b2, float b3, float[] flat, int f, int flatStride) {
        FloatVector a00 = FloatVector.broadcast(SF, b0);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = FloatVector.broadcast(SF, b1);
        FloatVector a11 = a10;
        FloatVector a12 = a10;
        FloatVector a13 = a10;
        FloatVector a20 = FloatVector.broadcast(SF, b2);
        FloatVector a21 = a20;
        FloatVector a22 = a20;
        FloatVector a23 = a20;
        FloatVector a30 = FloatVector.broadcast(SF, b3);
        FloatVector a31 = a30;
        FloatVector a32 = a30;
        FloatVector a33 = a30;
        int tapCount = taps.length;
        int k = w;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen + q;
            for (int t = 0; t < tapCount; t++, k += TILE) {
                int p = plane + taps[t];
                FloatVector x0 = FloatVector.fromArray(SF, planes, p);
                FloatVector x1 = FloatVector.fromArray(SF, planes, p + LF);
                FloatVector x2 = FloatVector.fromArray(SF, planes, p + 2 * LF);
                FloatVector x3 = FloatVector.fromArray(SF, planes, p + 3 * LF);
                FloatVector wv = FloatVector.broadcast(SF, packed[k]);
                a00 = x0.fma(wv, a00);
                a01 = x1.fma(wv, a01);
                a02 = x2.fma(wv, a02);
                a03 = x3.fma(wv, a03);
                wv = FloatVector.broadcast(SF, packed[k + 1]);
                a10 = x0.fma(wv, a10);
                a11 = x1.fma(wv, a11);
                a12 = x2.fma(wv, a12);
                a13 = x3.fma(wv, a13);
                wv = FloatVector.broadcast(SF, packed[k + 2]);
                a20 = x0.fma(wv, a20);
                a21 = x1.fma(wv, a21);
                a22 = x2.fma(wv, a22);
                a23 = x3.fma(wv, a23);
                wv = FloatVector.broadcast(SF, packed[k + 3]);
                a30 = x0.fma(wv, a30);
                a31 = x1.fma(wv, a31);
                a32 = x2.fma(wv, a32);
                a33 = x3.fma(wv, a33);
            }
        }
        a00.intoArray(flat, f);
        a01.intoArray(flat, f + LF);
        a02.intoArray(flat, f + 2 * LF);
        a03.intoArray(flat, f + 3 * LF);
        a10.intoArray(flat, f + flatStride);
        a11.intoArray(flat, f + flatStride + LF);
        a12.intoArray(flat, f + flatStride + 2 * LF);
        a13.intoArray(flat, f + flatStride + 3 * LF);
        a20.intoArray(flat, f + 2 * flatStride);
        a21.intoArray(flat, f + 2 * flatStride + LF);
        a22.intoArray(flat, f + 2 * flatStride + 2 * LF);
        a23.intoArray(flat, f + 2 * flatStride + 3 * LF);
        a30.intoArray(flat, f + 3 * flatStride);
        a31.intoArray(flat, f + 3 * flatStride + LF);
        a32.intoArray(flat, f + 3 * flatStride + 2 * LF);
        a33.intoArray(flat, f + 3 * flatStride + 3 * LF);
    }

    /** {@link #TILE} output channels x 1 vector of any kernel: taps from {@code taps}. */
    private static void any4x1(float[] planes, int planeLen, int channels, int[] taps, float[] packed, int w, int q,
                               float b0, float b1, float b2, float b3, float[] flat, int f, int flatStride) {
        FloatVector a00 = FloatVector.broadcast(SF, b0);
        FloatVector a10 = FloatVector.broadcast(SF, b1);
        FloatVector a20 = FloatVector.broadcast(SF, b2);
        FloatVector a30 = FloatVector.broadcast(SF, b3);
        int tapCount = taps.length;
        int k = w;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen + q;
            for (int t = 0; t < tapCount; t++, k += TILE) {
                int p = plane + taps[t];
                FloatVector x0 = FloatVector.fromArray(SF, planes, p);
                FloatVector wv = FloatVector.broadcast(SF, packed[k]);
                a00 = x0.fma(wv, a00);
                wv = FloatVector.broadcast(SF, packed[k + 1]);
                a10 = x0.fma(wv, a10);
                wv = FloatVector.broadcast(SF, packed[k + 2]);
                a20 = x0.fma(wv, a20);
                wv = FloatVector.broadcast(SF, packed[k + 3]);
                a30 = x0.fma(wv, a30);
            }
        }
        a00.intoArray(flat, f);
        a10.intoArray(flat, f + flatStride);
        a20.intoArray(flat, f + 2 * flatStride);
        a30.intoArray(flat, f + 3 * flatStride);
    }
}
