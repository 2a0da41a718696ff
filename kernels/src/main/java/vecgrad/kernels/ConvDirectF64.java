package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct stride-1 convolution, float64: the forward pass and the input gradient of {@link ConvKernels}, both
 * as a correlation over flattened zero-padded planes (each kernel tap is a fixed offset into the plane, a
 * register tile of output channels x vectors reads shifted rows with no packing of the input).
 */
final class ConvDirectF64 {
    private static final VectorSpecies<Double> SD = Simd.F64;
    private static final int LD = SD.length();
    /** Output channels of one register tile of the direct pass. */
    private static final int TILE = ConvPlanes.TILE;
    /** Elements of padded input one block of a direct pass may touch: about 256 KB of float32, half an L2. */
    private static final int L2_ELEMENTS = 1 << 16;

    private ConvDirectF64() {}

    static void forward(double[] input, int inputOff, double[] weight, int weightOff, double[] bias,
                                      int biasOff, double[] output, int outputOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int hp = g.height() + s.padTop() + s.padBottom();
        int wp = g.width() + s.padLeft() + s.padRight();
        int planeLen = hp * wp;
        int[] taps = ConvPlanes.tapOffsets(g.kernelHeight(), g.kernelWidth(), s.dilationHeight(), s.dilationWidth(), wp);
        int[][] vectors = ConvPlanes.rowVectors(g.outHeight(), g.outWidth(), wp, LD);
        int rowLength = cpg * taps.length;
        double[] packed = new double[groups * ConvPlanes.ceilDiv(opg, TILE) * TILE * rowLength];
        for (int group = 0; group < groups; group++) {
            pack(weight, weightOff + group * opg * rowLength, opg, rowLength, packed,
                    group * ConvPlanes.ceilDiv(opg, TILE) * TILE * rowLength);
        }
        int blockSize = ConvPlanes.channelBlock(g.batch() * groups, opg, TILE);
        int blocks = ConvPlanes.ceilDiv(opg, blockSize);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        Parallel.forEach(g.batch() * groups * blocks, chunk -> {
            int block = chunk % blocks;
            int image = chunk / blocks;
            int group = image % groups;
            int n = image / groups;
            int co0 = block * blockSize;
            int count = Math.min(opg - co0, blockSize);
            double[] planes = ConvScratch.doubles(ConvScratch.PLANES, cpg * planeLen + LD);
            ConvPlanes.padPlanes(input, inputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, g.height(), g.width(),
                    1, 1, planes, 0, planeLen, hp, wp, s.padTop(), s.padLeft());
            java.util.Arrays.fill(planes, cpg * planeLen, cpg * planeLen + LD, 0.0);
            int co = group * opg + co0;
            correlate(planes, planeLen, cpg, packed, (group * ConvPlanes.ceilDiv(opg, TILE) * TILE + co0) * rowLength, taps,
                    count, bias, biasOff + co, output, outputOff + (n * g.outChannels() + co) * outPlane,
                    g.outHeight(), g.outWidth(), wp, vectors);
        });
    }

    static void gradInput(double[] gradOutput, int gradOutputOff, double[] weight, int weightOff,
                                        double[] gradInput, int gradInputOff, ConvGeometry g) {
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
        double[] flipped = ConvPlanes.flippedSwapped(weight, weightOff, g);
        int[] taps = ConvPlanes.tapOffsets(kh, kw, s.dilationHeight(), s.dilationWidth(), wq);
        int[][] vectors = ConvPlanes.rowVectors(g.height(), g.width(), wq, LD);
        int rowLength = opg * tapCount;
        double[] packed = new double[groups * ConvPlanes.ceilDiv(cpg, TILE) * TILE * rowLength];
        for (int group = 0; group < groups; group++) {
            pack(flipped, group * cpg * rowLength, cpg, rowLength, packed,
                    group * ConvPlanes.ceilDiv(cpg, TILE) * TILE * rowLength);
        }
        int blockSize = ConvPlanes.channelBlock(g.batch() * groups, cpg, TILE);
        int blocks = ConvPlanes.ceilDiv(cpg, blockSize);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        Parallel.forEach(g.batch() * groups * blocks, chunk -> {
            int block = chunk % blocks;
            int image = chunk / blocks;
            int group = image % groups;
            int n = image / groups;
            int ci0 = block * blockSize;
            int count = Math.min(cpg - ci0, blockSize);
            double[] planes = ConvScratch.doubles(ConvScratch.PLANES, opg * planeLen + LD);
            ConvPlanes.padPlanes(gradOutput, gradOutputOff + (n * g.outChannels() + group * opg) * outPlane, opg,
                    g.outHeight(), g.outWidth(), 1, 1, planes, 0, planeLen, hq, wq, spanH - s.padTop(),
                    spanW - s.padLeft());
            java.util.Arrays.fill(planes, opg * planeLen, opg * planeLen + LD, 0.0);
            int c = group * cpg + ci0;
            correlate(planes, planeLen, opg, packed, (group * ConvPlanes.ceilDiv(cpg, TILE) * TILE + ci0) * rowLength, taps,
                    count, null, 0, gradInput, gradInputOff + (n * g.inChannels() + c) * inPlane, g.height(),
                    g.width(), wq, vectors);
        });
    }


    /**
     * Stride-1 correlation of {@code channels} padded planes (pitch {@code pitch}, {@code planeLen} apart)
     * with {@code outChannels} weight rows of {@code channels * taps} values (packed by {@link #pack} from
     * {@code packedOff}), written to {@code [outChannels, outHeight, outWidth]} at {@code outOff}. Output pixel
     * (oh, ow) reads plane position {@code oh * pitch + ow + taps[t]} for tap t, so every tap is one contiguous
     * shifted vector load with no packing of the input. Each output row is cut into vectors (see
     * {@link #rowVectors}); the last one of a row is stored through a fixed mask, and the lanes it computes
     * past the row are dropped.
     */
    private static void correlate(double[] planes, int planeLen, int channels, double[] packed, int packedOff,
                                  int[] taps, int outChannels, double[] bias, int biasOff, double[] out, int outOff,
                                  int outHeight, int outWidth, int pitch, int[][] vectors) {
        int rowLength = channels * taps.length;
        int outPlane = outHeight * outWidth;
        int count = vectors[0].length;
        VectorMask<Double> tail = SD.indexInRange(0, outWidth - (ConvPlanes.ceilDiv(outWidth, LD) - 1) * LD);
        int reach = taps[taps.length - 1];
        // Blocks of output vectors small enough that the plane rows they read from every channel stay in L2
        // while all output-channel tiles reuse them; with few channels one block covers the plane, so each
        // tile writes its output planes in one sequential sweep.
        int block = Math.max(6, (L2_ELEMENTS / channels - reach) / LD / 6 * 6);
        for (int v0 = 0; v0 < count; v0 += block) {
            int v1 = Math.min(count, v0 + block);
            for (int co = 0; co < outChannels; co += TILE) {
                int active = Math.min(TILE, outChannels - co);
                int weights = packedOff + co * rowLength;
                int v = v0;
                if (active > 2) {
                    for (; v + 3 <= v1; v += 3) {
                        tile6x3(planes, planeLen, channels, packed, weights, taps, co, active, bias, biasOff, out,
                                outOff, outPlane, vectors, v, tail);
                    }
                } else {
                    for (; v + 6 <= v1; v += 6) {
                        tile2x6(planes, planeLen, channels, packed, weights, taps, co, active, bias, biasOff, out,
                                outOff, outPlane, vectors, v, tail);
                    }
                }
                for (; v < v1; v++) {
                    tile6x1(planes, planeLen, channels, packed, weights, taps, co, active, bias, biasOff, out,
                            outOff, outPlane, vectors, v, tail);
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
    private static void pack(double[] weight, int weightOff, int rows, int rowLength, double[] packed,
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

    /** 2 output channels x 6 vectors: the tile for one or two output channels (grad-input of 1-2 channel images). */
    private static void tile2x6(double[] planes, int planeLen, int channels, double[] packed, int weights, int[] taps,
                                int co, int active, double[] bias, int biasOff, double[] out, int outOff,
                                int outPlane, int[][] vectors, int v, VectorMask<Double> tail) {
        int[] at = vectors[0];
        int q0 = at[v];
        int q1 = at[v + 1];
        int q2 = at[v + 2];
        int q3 = at[v + 3];
        int q4 = at[v + 4];
        int q5 = at[v + 5];
        DoubleVector a00 = start(bias, biasOff, co, 0, active);
        DoubleVector a10 = start(bias, biasOff, co, 1, active);
        DoubleVector a01 = a00;
        DoubleVector a02 = a00;
        DoubleVector a03 = a00;
        DoubleVector a04 = a00;
        DoubleVector a05 = a00;
        DoubleVector a11 = a10;
        DoubleVector a12 = a10;
        DoubleVector a13 = a10;
        DoubleVector a14 = a10;
        DoubleVector a15 = a10;
        int tapCount = taps.length;
        int w = weights;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen;
            for (int t = 0; t < tapCount; t++, w += TILE) {
                int p = plane + taps[t];
                DoubleVector k0 = DoubleVector.broadcast(SD, packed[w]);
                DoubleVector k1 = DoubleVector.broadcast(SD, packed[w + 1]);
                DoubleVector x = DoubleVector.fromArray(SD, planes, p + q0);
                a00 = x.fma(k0, a00);
                a10 = x.fma(k1, a10);
                x = DoubleVector.fromArray(SD, planes, p + q1);
                a01 = x.fma(k0, a01);
                a11 = x.fma(k1, a11);
                x = DoubleVector.fromArray(SD, planes, p + q2);
                a02 = x.fma(k0, a02);
                a12 = x.fma(k1, a12);
                x = DoubleVector.fromArray(SD, planes, p + q3);
                a03 = x.fma(k0, a03);
                a13 = x.fma(k1, a13);
                x = DoubleVector.fromArray(SD, planes, p + q4);
                a04 = x.fma(k0, a04);
                a14 = x.fma(k1, a14);
                x = DoubleVector.fromArray(SD, planes, p + q5);
                a05 = x.fma(k0, a05);
                a15 = x.fma(k1, a15);
            }
        }
        int o = outOff + co * outPlane;
        store(a00, out, o, vectors, v, tail);
        store(a01, out, o, vectors, v + 1, tail);
        store(a02, out, o, vectors, v + 2, tail);
        store(a03, out, o, vectors, v + 3, tail);
        store(a04, out, o, vectors, v + 4, tail);
        store(a05, out, o, vectors, v + 5, tail);
        if (active > 1) {
            o += outPlane;
            store(a10, out, o, vectors, v, tail);
            store(a11, out, o, vectors, v + 1, tail);
            store(a12, out, o, vectors, v + 2, tail);
            store(a13, out, o, vectors, v + 3, tail);
            store(a14, out, o, vectors, v + 4, tail);
            store(a15, out, o, vectors, v + 5, tail);
        }
    }

    /**
     * 6 output channels x 3 vectors, 18 accumulators: per tap 3 input loads and 6 weight broadcasts feed 18
     * FMAs, a ratio that keeps the FMA units busy even though the shifted loads straddle cache lines.
     */
    private static void tile6x3(double[] planes, int planeLen, int channels, double[] packed, int weights, int[] taps,
                                int co, int active, double[] bias, int biasOff, double[] out, int outOff,
                                int outPlane, int[][] vectors, int v, VectorMask<Double> tail) {
        int q0 = vectors[0][v];
        int q1 = vectors[0][v + 1];
        int q2 = vectors[0][v + 2];
        DoubleVector a00 = start(bias, biasOff, co, 0, active);
        DoubleVector a10 = start(bias, biasOff, co, 1, active);
        DoubleVector a20 = start(bias, biasOff, co, 2, active);
        DoubleVector a30 = start(bias, biasOff, co, 3, active);
        DoubleVector a40 = start(bias, biasOff, co, 4, active);
        DoubleVector a50 = start(bias, biasOff, co, 5, active);
        DoubleVector a01 = a00;
        DoubleVector a02 = a00;
        DoubleVector a11 = a10;
        DoubleVector a12 = a10;
        DoubleVector a21 = a20;
        DoubleVector a22 = a20;
        DoubleVector a31 = a30;
        DoubleVector a32 = a30;
        DoubleVector a41 = a40;
        DoubleVector a42 = a40;
        DoubleVector a51 = a50;
        DoubleVector a52 = a50;
        int tapCount = taps.length;
        int w = weights;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen;
            for (int t = 0; t < tapCount; t++, w += TILE) {
                int p = plane + taps[t];
                DoubleVector x0 = DoubleVector.fromArray(SD, planes, p + q0);
                DoubleVector x1 = DoubleVector.fromArray(SD, planes, p + q1);
                DoubleVector x2 = DoubleVector.fromArray(SD, planes, p + q2);
                DoubleVector k = DoubleVector.broadcast(SD, packed[w]);
                a00 = x0.fma(k, a00);
                a01 = x1.fma(k, a01);
                a02 = x2.fma(k, a02);
                k = DoubleVector.broadcast(SD, packed[w + 1]);
                a10 = x0.fma(k, a10);
                a11 = x1.fma(k, a11);
                a12 = x2.fma(k, a12);
                k = DoubleVector.broadcast(SD, packed[w + 2]);
                a20 = x0.fma(k, a20);
                a21 = x1.fma(k, a21);
                a22 = x2.fma(k, a22);
                k = DoubleVector.broadcast(SD, packed[w + 3]);
                a30 = x0.fma(k, a30);
                a31 = x1.fma(k, a31);
                a32 = x2.fma(k, a32);
                k = DoubleVector.broadcast(SD, packed[w + 4]);
                a40 = x0.fma(k, a40);
                a41 = x1.fma(k, a41);
                a42 = x2.fma(k, a42);
                k = DoubleVector.broadcast(SD, packed[w + 5]);
                a50 = x0.fma(k, a50);
                a51 = x1.fma(k, a51);
                a52 = x2.fma(k, a52);
            }
        }
        int o = outOff + co * outPlane;
        store(a00, out, o, vectors, v, tail);
        store(a01, out, o, vectors, v + 1, tail);
        store(a02, out, o, vectors, v + 2, tail);
        if (active > 1) {
            o += outPlane;
            store(a10, out, o, vectors, v, tail);
            store(a11, out, o, vectors, v + 1, tail);
            store(a12, out, o, vectors, v + 2, tail);
        }
        if (active > 2) {
            o += outPlane;
            store(a20, out, o, vectors, v, tail);
            store(a21, out, o, vectors, v + 1, tail);
            store(a22, out, o, vectors, v + 2, tail);
        }
        if (active > 3) {
            o += outPlane;
            store(a30, out, o, vectors, v, tail);
            store(a31, out, o, vectors, v + 1, tail);
            store(a32, out, o, vectors, v + 2, tail);
        }
        if (active > 4) {
            o += outPlane;
            store(a40, out, o, vectors, v, tail);
            store(a41, out, o, vectors, v + 1, tail);
            store(a42, out, o, vectors, v + 2, tail);
        }
        if (active > 5) {
            o += outPlane;
            store(a50, out, o, vectors, v, tail);
            store(a51, out, o, vectors, v + 1, tail);
            store(a52, out, o, vectors, v + 2, tail);
        }
    }

    /** The one-vector remainder of {@link #tile6x3}. */
    private static void tile6x1(double[] planes, int planeLen, int channels, double[] packed, int weights, int[] taps,
                                int co, int active, double[] bias, int biasOff, double[] out, int outOff,
                                int outPlane, int[][] vectors, int v, VectorMask<Double> tail) {
        int q = vectors[0][v];
        DoubleVector a0 = start(bias, biasOff, co, 0, active);
        DoubleVector a1 = start(bias, biasOff, co, 1, active);
        DoubleVector a2 = start(bias, biasOff, co, 2, active);
        DoubleVector a3 = start(bias, biasOff, co, 3, active);
        DoubleVector a4 = start(bias, biasOff, co, 4, active);
        DoubleVector a5 = start(bias, biasOff, co, 5, active);
        int tapCount = taps.length;
        int w = weights;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen + q;
            for (int t = 0; t < tapCount; t++, w += TILE) {
                DoubleVector x = DoubleVector.fromArray(SD, planes, plane + taps[t]);
                a0 = x.fma(DoubleVector.broadcast(SD, packed[w]), a0);
                a1 = x.fma(DoubleVector.broadcast(SD, packed[w + 1]), a1);
                a2 = x.fma(DoubleVector.broadcast(SD, packed[w + 2]), a2);
                a3 = x.fma(DoubleVector.broadcast(SD, packed[w + 3]), a3);
                a4 = x.fma(DoubleVector.broadcast(SD, packed[w + 4]), a4);
                a5 = x.fma(DoubleVector.broadcast(SD, packed[w + 5]), a5);
            }
        }
        int o = outOff + co * outPlane;
        store(a0, out, o, vectors, v, tail);
        if (active > 1) {
            store(a1, out, o + outPlane, vectors, v, tail);
        }
        if (active > 2) {
            store(a2, out, o + 2 * outPlane, vectors, v, tail);
        }
        if (active > 3) {
            store(a3, out, o + 3 * outPlane, vectors, v, tail);
        }
        if (active > 4) {
            store(a4, out, o + 4 * outPlane, vectors, v, tail);
        }
        if (active > 5) {
            store(a5, out, o + 5 * outPlane, vectors, v, tail);
        }
    }

    private static DoubleVector start(double[] bias, int biasOff, int co, int j, int active) {
        return bias == null ? DoubleVector.zero(SD)
                : DoubleVector.broadcast(SD, bias[biasOff + co + Math.min(j, active - 1)]);
    }

    /** Stores output vector v of a plane at {@code planeOff}: whole, or through {@code tail} when it ends a row. */
    private static void store(DoubleVector value, double[] out, int planeOff, int[][] vectors, int v,
                              VectorMask<Double> tail) {
        int at = planeOff + vectors[1][v];
        if (vectors[2][v] == 0) {
            value.intoArray(out, at);
        } else {
            value.intoArray(out, at, tail);
        }
    }

}
