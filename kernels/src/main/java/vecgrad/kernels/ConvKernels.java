package vecgrad.kernels;

import static jdk.incubator.vector.VectorOperators.ADD;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2-D convolution on NCHW tensors, float32 and float64, multi-threaded: forward, gradient with respect to
 * the input, the weight and the bias, and the transposed convolution (conv_transpose2d) built from the
 * same passes. SIMD twin of {@link ConvReference}, with identical public signatures.
 *
 * <p>Sizes come from a {@link ConvGeometry} ({@link ConvShapes#conv2d}); every array is followed by its
 * offset, and outputs are overwritten. How each pass is computed (direct or im2col + GEMM) is decided in
 * {@link ConvPlan}. Work is cut into chunks by image, group and channel block, fixed by the geometry, and
 * every sum runs in a fixed order inside one chunk, so results are bit-identical for any thread count.
 */
public final class ConvKernels {
    private static final VectorSpecies<Float> SF = Simd.F32;
    private static final VectorSpecies<Double> SD = Simd.F64;
    private static final int LF = SF.length();
    private static final int LD = SD.length();
    /** Chunks a forward or gradInput pass aims for, so two threads stay busy on small batches. */
    private static final int TARGET_CHUNKS = 16;
    /** Output channels of one register tile of the direct pass. */
    private static final int TILE = 6;
    /** Elements of padded input one block of a direct pass may touch: about 256 KB of float32, half an L2. */
    private static final int L2_ELEMENTS = 1 << 16;

    private ConvKernels() {}

    // ------------------------------------------------------------------------------------------------ float32

    /**
     * {@code output[n, co, oh, ow] = bias[co] + sum over ci, kh, kw of input[n, group(co) * C/G + ci,
     * oh * sh + kh * dh - padTop, ow * sw + kw * dw - padLeft] * weight[co, ci, kh, kw]} (cross-correlation,
     * zero padding), for {@code input: [N, C, H, W]}, {@code weight: [Cout, C/G, kh, kw]}, {@code bias: [Cout]}
     * or null, {@code output: [N, Cout, OH, OW]} (overwritten). {@code biasOff} is unused when bias is null.
     */
    public static void forward(float[] input, int inputOff, float[] weight, int weightOff, float[] bias, int biasOff,
                               float[] output, int outputOff, ConvGeometry g) {
        ConvArgs.forward("conv2d", input.length, inputOff, weight.length, weightOff, bias != null,
                bias == null ? 0 : bias.length, biasOff, output.length, outputOff, g);
        if (g.batch() == 0) {
            return;
        }
        if (ConvPlan.choose(g, ConvPlan.Pass.FORWARD) == ConvPlan.Algorithm.DIRECT) {
            directForward(input, inputOff, weight, weightOff, bias, biasOff, output, outputOff, g);
        } else {
            gemmForward(input, inputOff, weight, weightOff, bias, biasOff, output, outputOff, g);
        }
    }

    /**
     * {@code gradInput = dL/dinput} for {@code gradOutput = dL/doutput: [N, Cout, OH, OW]}: the transposed
     * convolution of gradOutput with the weight, {@code gradInput: [N, C, H, W]} (overwritten).
     */
    public static void gradInput(float[] gradOutput, int gradOutputOff, float[] weight, int weightOff,
                                 float[] gradInput, int gradInputOff, ConvGeometry g) {
        ConvArgs.gradInput("conv2d", gradOutput.length, gradOutputOff, weight.length, weightOff, gradInput.length,
                gradInputOff, g);
        if (g.batch() == 0) {
            return;
        }
        if (ConvPlan.choose(g, ConvPlan.Pass.GRAD_INPUT) == ConvPlan.Algorithm.DIRECT) {
            directGradInput(gradOutput, gradOutputOff, weight, weightOff, gradInput, gradInputOff, g);
        } else {
            gemmGradInput(gradOutput, gradOutputOff, weight, weightOff, gradInput, gradInputOff, g);
        }
    }

    /**
     * {@code gradWeight[co, ci, kh, kw] = sum over n, oh, ow of gradOutput[n, co, oh, ow] * input[n, ..., tap]},
     * {@code gradWeight: [Cout, C/G, kh, kw]} (overwritten). The batch is summed in order inside one chunk
     * per weight block, so the result does not depend on the thread count.
     */
    public static void gradWeight(float[] input, int inputOff, float[] gradOutput, int gradOutputOff,
                                  float[] gradWeight, int gradWeightOff, ConvGeometry g) {
        ConvArgs.gradWeight("conv2d", input.length, inputOff, gradOutput.length, gradOutputOff, gradWeight.length,
                gradWeightOff, g);
        if (g.batch() == 0) {
            java.util.Arrays.fill(gradWeight, gradWeightOff, gradWeightOff + g.weightSize(), 0f);
            return;
        }
        if (ConvPlan.choose(g, ConvPlan.Pass.GRAD_WEIGHT) == ConvPlan.Algorithm.DIRECT) {
            directGradWeight(input, inputOff, gradOutput, gradOutputOff, gradWeight, gradWeightOff, g);
        } else {
            gemmGradWeight(input, inputOff, gradOutput, gradOutputOff, gradWeight, gradWeightOff, g);
        }
    }

    /** {@code gradBias[co] = sum over n, oh, ow of gradOutput[n, co, oh, ow]}, {@code gradBias: [Cout]} (overwritten). */
    public static void gradBias(float[] gradOutput, int gradOutputOff, float[] gradBias, int gradBiasOff,
                                ConvGeometry g) {
        ConvArgs.geometry("conv2d", g);
        planeSums("conv2d", gradOutput, gradOutputOff, gradBias, gradBiasOff, g.batch(), g.outChannels(),
                g.outHeight() * g.outWidth());
    }

    /**
     * conv_transpose2d forward, {@code output = gradInput(input) + bias}: {@code input} has the shape of the
     * convolution g's output {@code [N, Cout, OH, OW]}, {@code weight} is {@code [Cout, C/G, kh, kw]}
     * (PyTorch's transposed-convolution layout {@code [in, out/G, kh, kw]}), {@code bias: [C]} or null,
     * {@code output: [N, C, H, W]} (overwritten). Build g with {@link ConvShapes#convTranspose2d}.
     */
    public static void transposeForward(float[] input, int inputOff, float[] weight, int weightOff, float[] bias,
                                        int biasOff, float[] output, int outputOff, ConvGeometry g) {
        ConvArgs.geometry("conv_transpose2d", g);
        if (bias != null) {
            KernelArgs.fits("conv_transpose2d", "bias", bias.length, biasOff, g.inChannels());
        }
        gradInput(input, inputOff, weight, weightOff, output, outputOff, g);
        if (bias != null) {
            addPlaneBias(output, outputOff, bias, biasOff, g.batch(), g.inChannels(), g.height() * g.width());
        }
    }

    /** conv_transpose2d: gradient for its input, the convolution g's forward of {@code gradOutput} without bias. */
    public static void transposeGradInput(float[] gradOutput, int gradOutputOff, float[] weight, int weightOff,
                                          float[] gradInput, int gradInputOff, ConvGeometry g) {
        forward(gradOutput, gradOutputOff, weight, weightOff, null, 0, gradInput, gradInputOff, g);
    }

    /** conv_transpose2d: gradient for its weight, the convolution g's gradWeight with the roles of the tensors swapped. */
    public static void transposeGradWeight(float[] input, int inputOff, float[] gradOutput, int gradOutputOff,
                                           float[] gradWeight, int gradWeightOff, ConvGeometry g) {
        gradWeight(gradOutput, gradOutputOff, input, inputOff, gradWeight, gradWeightOff, g);
    }

    /** conv_transpose2d: {@code gradBias[c] = sum of gradOutput[n, c, :, :]} over the convolution's input channels. */
    public static void transposeGradBias(float[] gradOutput, int gradOutputOff, float[] gradBias, int gradBiasOff,
                                         ConvGeometry g) {
        ConvArgs.geometry("conv_transpose2d", g);
        planeSums("conv_transpose2d", gradOutput, gradOutputOff, gradBias, gradBiasOff, g.batch(), g.inChannels(),
                g.height() * g.width());
    }

    private static void directForward(float[] input, int inputOff, float[] weight, int weightOff, float[] bias,
                                      int biasOff, float[] output, int outputOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int hp = g.height() + s.padTop() + s.padBottom();
        int wp = g.width() + s.padLeft() + s.padRight();
        int planeLen = hp * wp;
        int[] taps = tapOffsets(g.kernelHeight(), g.kernelWidth(), s.dilationHeight(), s.dilationWidth(), wp);
        int[][] vectors = rowVectors(g.outHeight(), g.outWidth(), wp, LF);
        int rowLength = cpg * taps.length;
        float[] packed = new float[groups * ceilDiv(opg, TILE) * TILE * rowLength];
        for (int group = 0; group < groups; group++) {
            pack(weight, weightOff + group * opg * rowLength, opg, rowLength, packed,
                    group * ceilDiv(opg, TILE) * TILE * rowLength);
        }
        int blockSize = channelBlock(g.batch() * groups, opg);
        int blocks = ceilDiv(opg, blockSize);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        Parallel.forEach(g.batch() * groups * blocks, chunk -> {
            int block = chunk % blocks;
            int image = chunk / blocks;
            int group = image % groups;
            int n = image / groups;
            int co0 = block * blockSize;
            int count = Math.min(opg - co0, blockSize);
            float[] planes = ConvScratch.floats(ConvScratch.PLANES, cpg * planeLen + LF);
            padPlanes(input, inputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, g.height(), g.width(),
                    1, 1, planes, 0, planeLen, hp, wp, s.padTop(), s.padLeft());
            int co = group * opg + co0;
            correlate(planes, planeLen, cpg, packed, (group * ceilDiv(opg, TILE) * TILE + co0) * rowLength, taps,
                    count, bias, biasOff + co, output, outputOff + (n * g.outChannels() + co) * outPlane,
                    g.outHeight(), g.outWidth(), wp, vectors);
        });
    }

    private static void directGradInput(float[] gradOutput, int gradOutputOff, float[] weight, int weightOff,
                                        float[] gradInput, int gradInputOff, ConvGeometry g) {
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
        float[] flipped = new float[g.weightSize()];
        for (int group = 0; group < groups; group++) {
            for (int oi = 0; oi < opg; oi++) {
                for (int ci = 0; ci < cpg; ci++) {
                    int from = weightOff + ((group * opg + oi) * cpg + ci) * tapCount;
                    int to = ((group * cpg + ci) * opg + oi) * tapCount + tapCount - 1;
                    for (int t = 0; t < tapCount; t++) {
                        flipped[to - t] = weight[from + t];
                    }
                }
            }
        }
        int[] taps = tapOffsets(kh, kw, s.dilationHeight(), s.dilationWidth(), wq);
        int[][] vectors = rowVectors(g.height(), g.width(), wq, LF);
        int rowLength = opg * tapCount;
        float[] packed = new float[groups * ceilDiv(cpg, TILE) * TILE * rowLength];
        for (int group = 0; group < groups; group++) {
            pack(flipped, group * cpg * rowLength, cpg, rowLength, packed,
                    group * ceilDiv(cpg, TILE) * TILE * rowLength);
        }
        int blockSize = channelBlock(g.batch() * groups, cpg);
        int blocks = ceilDiv(cpg, blockSize);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        Parallel.forEach(g.batch() * groups * blocks, chunk -> {
            int block = chunk % blocks;
            int image = chunk / blocks;
            int group = image % groups;
            int n = image / groups;
            int ci0 = block * blockSize;
            int count = Math.min(cpg - ci0, blockSize);
            float[] planes = ConvScratch.floats(ConvScratch.PLANES, opg * planeLen + LF);
            padPlanes(gradOutput, gradOutputOff + (n * g.outChannels() + group * opg) * outPlane, opg,
                    g.outHeight(), g.outWidth(), 1, 1, planes, 0, planeLen, hq, wq, spanH - s.padTop(),
                    spanW - s.padLeft());
            int c = group * cpg + ci0;
            correlate(planes, planeLen, opg, packed, (group * ceilDiv(cpg, TILE) * TILE + ci0) * rowLength, taps,
                    count, null, 0, gradInput, gradInputOff + (n * g.inChannels() + c) * inPlane, g.height(),
                    g.width(), wq, vectors);
        });
    }

    private static void directGradWeight(float[] input, int inputOff, float[] gradOutput, int gradOutputOff,
                                         float[] gradWeight, int gradWeightOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int channels = g.inChannels();
        int hp = g.height() + s.padTop() + s.padBottom();
        int wp = g.width() + s.padLeft() + s.padRight();
        int planeLen = hp * wp;
        int inPlane = g.height() * g.width();
        float[] padded = ConvScratch.floats(ConvScratch.BATCH, g.batch() * channels * planeLen + LF);
        Parallel.forEach(g.batch(), n -> padPlanes(input, inputOff + n * channels * inPlane, channels, g.height(),
                g.width(), 1, 1, padded, n * channels * planeLen, planeLen, hp, wp, s.padTop(), s.padLeft()));
        // 3x3 kernels take every tap of 2 output channels in one pass over the batch (18 accumulators), so
        // each gradient row is read once; other kernels run 4 channels x 3 columns per kernel row.
        boolean nineTaps = g.kernelHeight() * g.kernelWidth() == 9 && g.kernelWidth() == 3;
        int width = nineTaps ? 2 : 4;
        int blocks = ceilDiv(opg, width);
        Parallel.forEach(g.groups() * blocks * cpg, chunk -> {
            int ci = chunk % cpg;
            int rest = chunk / cpg;
            int block = rest % blocks;
            int group = rest / blocks;
            int co = group * opg + block * width;
            int at = gradWeightOff + (co * cpg + ci) * g.kernelHeight() * g.kernelWidth();
            int coStride = cpg * g.kernelHeight() * g.kernelWidth();
            if (nineTaps) {
                weightTile2x9(padded, planeLen, wp, group * cpg + ci, gradOutput, gradOutputOff, co,
                        Math.min(2, opg - block * 2), gradWeight, at, coStride, g);
            } else {
                weightTile(padded, planeLen, wp, group * cpg + ci, gradOutput, gradOutputOff, co,
                        Math.min(4, opg - block * 4), gradWeight, at, coStride, g);
            }
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
    private static void correlate(float[] planes, int planeLen, int channels, float[] packed, int packedOff,
                                  int[] taps, int outChannels, float[] bias, int biasOff, float[] out, int outOff,
                                  int outHeight, int outWidth, int pitch, int[][] vectors) {
        int rowLength = channels * taps.length;
        int outPlane = outHeight * outWidth;
        int count = vectors[0].length;
        VectorMask<Float> tail = SF.indexInRange(0, outWidth - (ceilDiv(outWidth, LF) - 1) * LF);
        int reach = taps[taps.length - 1];
        // Blocks of output vectors small enough that the plane rows they read from every channel stay in L2
        // while all output-channel tiles reuse them; with few channels one block covers the plane, so each
        // tile writes its output planes in one sequential sweep.
        int block = Math.max(6, (L2_ELEMENTS / channels - reach) / LF / 6 * 6);
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
    private static void pack(float[] weight, int weightOff, int rows, int rowLength, float[] packed,
                             int packedOff) {
        for (int tile = 0; tile < ceilDiv(rows, TILE); tile++) {
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
    private static void tile2x6(float[] planes, int planeLen, int channels, float[] packed, int weights, int[] taps,
                                int co, int active, float[] bias, int biasOff, float[] out, int outOff,
                                int outPlane, int[][] vectors, int v, VectorMask<Float> tail) {
        int[] at = vectors[0];
        int q0 = at[v];
        int q1 = at[v + 1];
        int q2 = at[v + 2];
        int q3 = at[v + 3];
        int q4 = at[v + 4];
        int q5 = at[v + 5];
        FloatVector a00 = start(bias, biasOff, co, 0, active);
        FloatVector a10 = start(bias, biasOff, co, 1, active);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a04 = a00;
        FloatVector a05 = a00;
        FloatVector a11 = a10;
        FloatVector a12 = a10;
        FloatVector a13 = a10;
        FloatVector a14 = a10;
        FloatVector a15 = a10;
        int tapCount = taps.length;
        int w = weights;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen;
            for (int t = 0; t < tapCount; t++, w += TILE) {
                int p = plane + taps[t];
                FloatVector k0 = FloatVector.broadcast(SF, packed[w]);
                FloatVector k1 = FloatVector.broadcast(SF, packed[w + 1]);
                FloatVector x = FloatVector.fromArray(SF, planes, p + q0);
                a00 = x.fma(k0, a00);
                a10 = x.fma(k1, a10);
                x = FloatVector.fromArray(SF, planes, p + q1);
                a01 = x.fma(k0, a01);
                a11 = x.fma(k1, a11);
                x = FloatVector.fromArray(SF, planes, p + q2);
                a02 = x.fma(k0, a02);
                a12 = x.fma(k1, a12);
                x = FloatVector.fromArray(SF, planes, p + q3);
                a03 = x.fma(k0, a03);
                a13 = x.fma(k1, a13);
                x = FloatVector.fromArray(SF, planes, p + q4);
                a04 = x.fma(k0, a04);
                a14 = x.fma(k1, a14);
                x = FloatVector.fromArray(SF, planes, p + q5);
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
    private static void tile6x3(float[] planes, int planeLen, int channels, float[] packed, int weights, int[] taps,
                                int co, int active, float[] bias, int biasOff, float[] out, int outOff,
                                int outPlane, int[][] vectors, int v, VectorMask<Float> tail) {
        int q0 = vectors[0][v];
        int q1 = vectors[0][v + 1];
        int q2 = vectors[0][v + 2];
        FloatVector a00 = start(bias, biasOff, co, 0, active);
        FloatVector a10 = start(bias, biasOff, co, 1, active);
        FloatVector a20 = start(bias, biasOff, co, 2, active);
        FloatVector a30 = start(bias, biasOff, co, 3, active);
        FloatVector a40 = start(bias, biasOff, co, 4, active);
        FloatVector a50 = start(bias, biasOff, co, 5, active);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a11 = a10;
        FloatVector a12 = a10;
        FloatVector a21 = a20;
        FloatVector a22 = a20;
        FloatVector a31 = a30;
        FloatVector a32 = a30;
        FloatVector a41 = a40;
        FloatVector a42 = a40;
        FloatVector a51 = a50;
        FloatVector a52 = a50;
        int tapCount = taps.length;
        int w = weights;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen;
            for (int t = 0; t < tapCount; t++, w += TILE) {
                int p = plane + taps[t];
                FloatVector x0 = FloatVector.fromArray(SF, planes, p + q0);
                FloatVector x1 = FloatVector.fromArray(SF, planes, p + q1);
                FloatVector x2 = FloatVector.fromArray(SF, planes, p + q2);
                FloatVector k = FloatVector.broadcast(SF, packed[w]);
                a00 = x0.fma(k, a00);
                a01 = x1.fma(k, a01);
                a02 = x2.fma(k, a02);
                k = FloatVector.broadcast(SF, packed[w + 1]);
                a10 = x0.fma(k, a10);
                a11 = x1.fma(k, a11);
                a12 = x2.fma(k, a12);
                k = FloatVector.broadcast(SF, packed[w + 2]);
                a20 = x0.fma(k, a20);
                a21 = x1.fma(k, a21);
                a22 = x2.fma(k, a22);
                k = FloatVector.broadcast(SF, packed[w + 3]);
                a30 = x0.fma(k, a30);
                a31 = x1.fma(k, a31);
                a32 = x2.fma(k, a32);
                k = FloatVector.broadcast(SF, packed[w + 4]);
                a40 = x0.fma(k, a40);
                a41 = x1.fma(k, a41);
                a42 = x2.fma(k, a42);
                k = FloatVector.broadcast(SF, packed[w + 5]);
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
    private static void tile6x1(float[] planes, int planeLen, int channels, float[] packed, int weights, int[] taps,
                                int co, int active, float[] bias, int biasOff, float[] out, int outOff,
                                int outPlane, int[][] vectors, int v, VectorMask<Float> tail) {
        int q = vectors[0][v];
        FloatVector a0 = start(bias, biasOff, co, 0, active);
        FloatVector a1 = start(bias, biasOff, co, 1, active);
        FloatVector a2 = start(bias, biasOff, co, 2, active);
        FloatVector a3 = start(bias, biasOff, co, 3, active);
        FloatVector a4 = start(bias, biasOff, co, 4, active);
        FloatVector a5 = start(bias, biasOff, co, 5, active);
        int tapCount = taps.length;
        int w = weights;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen + q;
            for (int t = 0; t < tapCount; t++, w += TILE) {
                FloatVector x = FloatVector.fromArray(SF, planes, plane + taps[t]);
                a0 = x.fma(FloatVector.broadcast(SF, packed[w]), a0);
                a1 = x.fma(FloatVector.broadcast(SF, packed[w + 1]), a1);
                a2 = x.fma(FloatVector.broadcast(SF, packed[w + 2]), a2);
                a3 = x.fma(FloatVector.broadcast(SF, packed[w + 3]), a3);
                a4 = x.fma(FloatVector.broadcast(SF, packed[w + 4]), a4);
                a5 = x.fma(FloatVector.broadcast(SF, packed[w + 5]), a5);
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

    private static FloatVector start(float[] bias, int biasOff, int co, int j, int active) {
        return bias == null ? FloatVector.zero(SF)
                : FloatVector.broadcast(SF, bias[biasOff + co + Math.min(j, active - 1)]);
    }

    /** Stores output vector v of a plane at {@code planeOff}: whole, or through {@code tail} when it ends a row. */
    private static void store(FloatVector value, float[] out, int planeOff, int[][] vectors, int v,
                              VectorMask<Float> tail) {
        int at = planeOff + vectors[1][v];
        if (vectors[2][v] == 0) {
            value.intoArray(out, at);
        } else {
            value.intoArray(out, at, tail);
        }
    }

    /**
     * Weight gradient of 4 output channels (from {@code co}, {@code active} of them real) for one input
     * channel: for each kernel row and each block of up to 3 kernel columns, 12 vector accumulators run
     * over the whole batch, then reduce.
     */
    private static void weightTile(float[] padded, int planeLen, int pitch, int c, float[] gradOutput,
                                   int gradOutputOff, int co, int active, float[] gradWeight, int gradWeightOff,
                                   int gradWeightCoStride, ConvGeometry g) {
        ConvSpec s = g.spec();
        int outHeight = g.outHeight();
        int outWidth = g.outWidth();
        int outPlane = outHeight * outWidth;
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int channels = g.inChannels();
        int full = outWidth - outWidth % LF;
        VectorMask<Float> tail = SF.indexInRange(0, outWidth - full);
        int g1 = Math.min(1, active - 1) * outPlane;
        int g2 = Math.min(2, active - 1) * outPlane;
        int g3 = Math.min(3, active - 1) * outPlane;
        for (int r = 0; r < kh; r++) {
            for (int k0 = 0; k0 < kw; k0 += 3) {
                int cols = Math.min(3, kw - k0);
                int d0 = r * s.dilationHeight() * pitch + k0 * s.dilationWidth();
                int d1 = d0 + Math.min(1, cols - 1) * s.dilationWidth();
                int d2 = d0 + Math.min(2, cols - 1) * s.dilationWidth();
                FloatVector a00 = FloatVector.zero(SF);
                FloatVector a01 = a00;
                FloatVector a02 = a00;
                FloatVector a10 = a00;
                FloatVector a11 = a00;
                FloatVector a12 = a00;
                FloatVector a20 = a00;
                FloatVector a21 = a00;
                FloatVector a22 = a00;
                FloatVector a30 = a00;
                FloatVector a31 = a00;
                FloatVector a32 = a00;
                for (int n = 0; n < g.batch(); n++) {
                    int plane = (n * channels + c) * planeLen;
                    int grad = gradOutputOff + (n * g.outChannels() + co) * outPlane;
                    for (int oh = 0; oh < outHeight; oh++) {
                        int p = plane + oh * pitch;
                        int gr = grad + oh * outWidth;
                        int j = 0;
                        for (; j < full; j += LF) {
                            FloatVector x0 = FloatVector.fromArray(SF, padded, p + j + d0);
                            FloatVector x1 = FloatVector.fromArray(SF, padded, p + j + d1);
                            FloatVector x2 = FloatVector.fromArray(SF, padded, p + j + d2);
                            FloatVector y0 = FloatVector.fromArray(SF, gradOutput, gr + j);
                            FloatVector y1 = FloatVector.fromArray(SF, gradOutput, gr + j + g1);
                            FloatVector y2 = FloatVector.fromArray(SF, gradOutput, gr + j + g2);
                            FloatVector y3 = FloatVector.fromArray(SF, gradOutput, gr + j + g3);
                            a00 = x0.fma(y0, a00);
                            a01 = x1.fma(y0, a01);
                            a02 = x2.fma(y0, a02);
                            a10 = x0.fma(y1, a10);
                            a11 = x1.fma(y1, a11);
                            a12 = x2.fma(y1, a12);
                            a20 = x0.fma(y2, a20);
                            a21 = x1.fma(y2, a21);
                            a22 = x2.fma(y2, a22);
                            a30 = x0.fma(y3, a30);
                            a31 = x1.fma(y3, a31);
                            a32 = x2.fma(y3, a32);
                        }
                        if (j < outWidth) { // masked tail: lanes past the row read nothing
                            FloatVector x0 = FloatVector.fromArray(SF, padded, p + j + d0, tail);
                            FloatVector x1 = FloatVector.fromArray(SF, padded, p + j + d1, tail);
                            FloatVector x2 = FloatVector.fromArray(SF, padded, p + j + d2, tail);
                            FloatVector y0 = FloatVector.fromArray(SF, gradOutput, gr + j, tail);
                            FloatVector y1 = FloatVector.fromArray(SF, gradOutput, gr + j + g1, tail);
                            FloatVector y2 = FloatVector.fromArray(SF, gradOutput, gr + j + g2, tail);
                            FloatVector y3 = FloatVector.fromArray(SF, gradOutput, gr + j + g3, tail);
                            a00 = x0.fma(y0, a00);
                            a01 = x1.fma(y0, a01);
                            a02 = x2.fma(y0, a02);
                            a10 = x0.fma(y1, a10);
                            a11 = x1.fma(y1, a11);
                            a12 = x2.fma(y1, a12);
                            a20 = x0.fma(y2, a20);
                            a21 = x1.fma(y2, a21);
                            a22 = x2.fma(y2, a22);
                            a30 = x0.fma(y3, a30);
                            a31 = x1.fma(y3, a31);
                            a32 = x2.fma(y3, a32);
                        }
                    }
                }
                int at = gradWeightOff + r * kw + k0;
                putWeightGrads(gradWeight, at, cols, Simd.sumLanes(a00), Simd.sumLanes(a01),
                        Simd.sumLanes(a02));
                if (active > 1) {
                    putWeightGrads(gradWeight, at + gradWeightCoStride, cols, Simd.sumLanes(a10),
                            Simd.sumLanes(a11), Simd.sumLanes(a12));
                }
                if (active > 2) {
                    putWeightGrads(gradWeight, at + 2 * gradWeightCoStride, cols, Simd.sumLanes(a20),
                            Simd.sumLanes(a21), Simd.sumLanes(a22));
                }
                if (active > 3) {
                    putWeightGrads(gradWeight, at + 3 * gradWeightCoStride, cols, Simd.sumLanes(a30),
                            Simd.sumLanes(a31), Simd.sumLanes(a32));
                }
            }
        }
    }

    /**
     * Weight gradient of a 3x3 kernel for 2 output channels (from {@code co}, {@code active} of them real)
     * and one input channel: 18 vector accumulators (2 channels x 9 taps) run over the whole batch, each
     * gradient vector loaded once and each of the 9 shifted input vectors once per output row vector.
     */
    private static void weightTile2x9(float[] padded, int planeLen, int pitch, int c, float[] gradOutput,
                                      int gradOutputOff, int co, int active, float[] gradWeight, int gradWeightOff,
                                      int gradWeightCoStride, ConvGeometry g) {
        ConvSpec s = g.spec();
        int outHeight = g.outHeight();
        int outWidth = g.outWidth();
        int outPlane = outHeight * outWidth;
        int channels = g.inChannels();
        int full = outWidth - outWidth % LF;
        VectorMask<Float> tail = SF.indexInRange(0, outWidth - full);
        int second = Math.min(1, active - 1) * outPlane;
        int dw = s.dilationWidth();
        int r1 = s.dilationHeight() * pitch;
        int r2 = 2 * r1;
        FloatVector a0 = FloatVector.zero(SF);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector a8 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector b4 = a0;
        FloatVector b5 = a0;
        FloatVector b6 = a0;
        FloatVector b7 = a0;
        FloatVector b8 = a0;
        for (int n = 0; n < g.batch(); n++) {
            int plane = (n * channels + c) * planeLen;
            int grad = gradOutputOff + (n * g.outChannels() + co) * outPlane;
            for (int oh = 0; oh < outHeight; oh++) {
                int row = plane + oh * pitch;
                int gr = grad + oh * outWidth;
                int j = 0;
                for (; j < full; j += LF) {
                    FloatVector y0 = FloatVector.fromArray(SF, gradOutput, gr + j);
                    FloatVector y1 = FloatVector.fromArray(SF, gradOutput, gr + j + second);
                    int p = row + j;
                    FloatVector x = FloatVector.fromArray(SF, padded, p);
                    a0 = x.fma(y0, a0);
                    b0 = x.fma(y1, b0);
                    x = FloatVector.fromArray(SF, padded, p + dw);
                    a1 = x.fma(y0, a1);
                    b1 = x.fma(y1, b1);
                    x = FloatVector.fromArray(SF, padded, p + 2 * dw);
                    a2 = x.fma(y0, a2);
                    b2 = x.fma(y1, b2);
                    x = FloatVector.fromArray(SF, padded, p + r1);
                    a3 = x.fma(y0, a3);
                    b3 = x.fma(y1, b3);
                    x = FloatVector.fromArray(SF, padded, p + r1 + dw);
                    a4 = x.fma(y0, a4);
                    b4 = x.fma(y1, b4);
                    x = FloatVector.fromArray(SF, padded, p + r1 + 2 * dw);
                    a5 = x.fma(y0, a5);
                    b5 = x.fma(y1, b5);
                    x = FloatVector.fromArray(SF, padded, p + r2);
                    a6 = x.fma(y0, a6);
                    b6 = x.fma(y1, b6);
                    x = FloatVector.fromArray(SF, padded, p + r2 + dw);
                    a7 = x.fma(y0, a7);
                    b7 = x.fma(y1, b7);
                    x = FloatVector.fromArray(SF, padded, p + r2 + 2 * dw);
                    a8 = x.fma(y0, a8);
                    b8 = x.fma(y1, b8);
                }
                if (j < outWidth) { // masked tail: lanes past the row read nothing
                    FloatVector y0 = FloatVector.fromArray(SF, gradOutput, gr + j, tail);
                    FloatVector y1 = FloatVector.fromArray(SF, gradOutput, gr + j + second, tail);
                    int p = row + j;
                    FloatVector x = FloatVector.fromArray(SF, padded, p, tail);
                    a0 = x.fma(y0, a0);
                    b0 = x.fma(y1, b0);
                    x = FloatVector.fromArray(SF, padded, p + dw, tail);
                    a1 = x.fma(y0, a1);
                    b1 = x.fma(y1, b1);
                    x = FloatVector.fromArray(SF, padded, p + 2 * dw, tail);
                    a2 = x.fma(y0, a2);
                    b2 = x.fma(y1, b2);
                    x = FloatVector.fromArray(SF, padded, p + r1, tail);
                    a3 = x.fma(y0, a3);
                    b3 = x.fma(y1, b3);
                    x = FloatVector.fromArray(SF, padded, p + r1 + dw, tail);
                    a4 = x.fma(y0, a4);
                    b4 = x.fma(y1, b4);
                    x = FloatVector.fromArray(SF, padded, p + r1 + 2 * dw, tail);
                    a5 = x.fma(y0, a5);
                    b5 = x.fma(y1, b5);
                    x = FloatVector.fromArray(SF, padded, p + r2, tail);
                    a6 = x.fma(y0, a6);
                    b6 = x.fma(y1, b6);
                    x = FloatVector.fromArray(SF, padded, p + r2 + dw, tail);
                    a7 = x.fma(y0, a7);
                    b7 = x.fma(y1, b7);
                    x = FloatVector.fromArray(SF, padded, p + r2 + 2 * dw, tail);
                    a8 = x.fma(y0, a8);
                    b8 = x.fma(y1, b8);
                }
            }
        }
        int at = gradWeightOff;
        gradWeight[at] = Simd.sumLanes(a0);
        gradWeight[at + 1] = Simd.sumLanes(a1);
        gradWeight[at + 2] = Simd.sumLanes(a2);
        gradWeight[at + 3] = Simd.sumLanes(a3);
        gradWeight[at + 4] = Simd.sumLanes(a4);
        gradWeight[at + 5] = Simd.sumLanes(a5);
        gradWeight[at + 6] = Simd.sumLanes(a6);
        gradWeight[at + 7] = Simd.sumLanes(a7);
        gradWeight[at + 8] = Simd.sumLanes(a8);
        if (active > 1) {
            at += gradWeightCoStride;
            gradWeight[at] = Simd.sumLanes(b0);
            gradWeight[at + 1] = Simd.sumLanes(b1);
            gradWeight[at + 2] = Simd.sumLanes(b2);
            gradWeight[at + 3] = Simd.sumLanes(b3);
            gradWeight[at + 4] = Simd.sumLanes(b4);
            gradWeight[at + 5] = Simd.sumLanes(b5);
            gradWeight[at + 6] = Simd.sumLanes(b6);
            gradWeight[at + 7] = Simd.sumLanes(b7);
            gradWeight[at + 8] = Simd.sumLanes(b8);
        }
    }

    private static void putWeightGrads(float[] gradWeight, int at, int cols, float first, float second,
                                       float third) {
        gradWeight[at] = first;
        if (cols > 1) {
            gradWeight[at + 1] = second;
        }
        if (cols > 2) {
            gradWeight[at + 2] = third;
        }
    }

    /**
     * Copies {@code channels} planes {@code [rows, cols]} into zeroed planes {@code [planeRows, pitch]}
     * ({@code planeLen} apart), source pixel (r, c) landing at {@code (r * rowStep + top, c * colStep + left)};
     * pixels that land outside are dropped (a negative {@code top} crops). The slack after the last plane
     * is zeroed too, because vector loads of dropped lanes read it.
     */
    private static void padPlanes(float[] src, int srcOff, int channels, int rows, int cols, int rowStep,
                                  int colStep, float[] dst, int dstOff, int planeLen, int planeRows, int pitch,
                                  int top, int left) {
        java.util.Arrays.fill(dst, dstOff, dstOff + channels * planeLen + LF, 0f);
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

    private static void gemmForward(float[] input, int inputOff, float[] weight, int weightOff, float[] bias,
                                    int biasOff, float[] output, int outputOff, ConvGeometry g) {
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int rows = cpg * g.kernelHeight() * g.kernelWidth();
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.height() * g.width();
        Parallel.forEach(g.batch() * groups, chunk -> {
            int group = chunk % groups;
            int n = chunk / groups;
            float[] columns = ConvScratch.floats(ConvScratch.COLUMNS, rows * outPlane);
            im2col(input, inputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, columns, g);
            int out = outputOff + (n * g.outChannels() + group * opg) * outPlane;
            if (bias != null) {
                for (int o = 0; o < opg; o++) {
                    java.util.Arrays.fill(output, out + o * outPlane, out + (o + 1) * outPlane,
                            bias[biasOff + group * opg + o]);
                }
            }
            GemmKernels.multiply(weight, weightOff + group * opg * rows, rows, columns, 0, outPlane, output, out,
                    outPlane, opg, outPlane, rows, bias != null);
        });
    }

    private static void gemmGradInput(float[] gradOutput, int gradOutputOff, float[] weight, int weightOff,
                                      float[] gradInput, int gradInputOff, ConvGeometry g) {
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int rows = cpg * g.kernelHeight() * g.kernelWidth();
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.height() * g.width();
        Parallel.forEach(g.batch() * groups, chunk -> {
            int group = chunk % groups;
            int n = chunk / groups;
            float[] columns = ConvScratch.floats(ConvScratch.COLUMNS, rows * outPlane);
            // columns = weightᵀ · gradOutput: the gradient of every unfolded input cell
            GemmKernels.gemm(weight, weightOff + group * opg * rows, rows, true, gradOutput,
                    gradOutputOff + (n * g.outChannels() + group * opg) * outPlane, outPlane, false, columns, 0,
                    outPlane, rows, outPlane, opg, 1f, 0f);
            col2im(columns, gradInput, gradInputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, g);
        });
    }

    private static void gemmGradWeight(float[] input, int inputOff, float[] gradOutput, int gradOutputOff,
                                       float[] gradWeight, int gradWeightOff, ConvGeometry g) {
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int rows = cpg * g.kernelHeight() * g.kernelWidth();
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.height() * g.width();
        Parallel.forEach(groups, group -> {
            float[] columns = ConvScratch.floats(ConvScratch.COLUMNS, rows * outPlane);
            for (int n = 0; n < g.batch(); n++) {
                im2col(input, inputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, columns, g);
                // gradWeight (+)= gradOutput · columnsᵀ, images summed in order
                GemmKernels.gemm(gradOutput, gradOutputOff + (n * g.outChannels() + group * opg) * outPlane,
                        outPlane, false, columns, 0, outPlane, true, gradWeight, gradWeightOff + group * opg * rows,
                        rows, opg, rows, outPlane, 1f, n == 0 ? 0f : 1f);
            }
        });
    }

    /** Unfolds {@code channels} input planes into {@code columns: [channels * kh * kw, OH * OW]}, zeros for padding. */
    private static void im2col(float[] src, int srcOff, int channels, float[] columns, ConvGeometry g) {
        ConvSpec s = g.spec();
        int outHeight = g.outHeight();
        int outWidth = g.outWidth();
        int outPlane = outHeight * outWidth;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = srcOff + c * g.height() * g.width();
            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                for (int kw = 0; kw < g.kernelWidth(); kw++, row++) {
                    int base = row * outPlane;
                    for (int oh = 0; oh < outHeight; oh++) {
                        int ih = oh * s.strideHeight() + kh * s.dilationHeight() - s.padTop();
                        int at = base + oh * outWidth;
                        if (ih < 0 || ih >= g.height()) {
                            java.util.Arrays.fill(columns, at, at + outWidth, 0f);
                            continue;
                        }
                        int line = plane + ih * g.width();
                        for (int ow = 0; ow < outWidth; ow++) {
                            int iw = ow * s.strideWidth() + kw * s.dilationWidth() - s.padLeft();
                            columns[at + ow] = iw < 0 || iw >= g.width() ? 0f : src[line + iw];
                        }
                    }
                }
            }
        }
    }

    /** Folds {@code columns: [channels * kh * kw, OH * OW]} back into zeroed input planes, adding overlaps in a fixed order. */
    private static void col2im(float[] columns, float[] dst, int dstOff, int channels, ConvGeometry g) {
        ConvSpec s = g.spec();
        int outHeight = g.outHeight();
        int outWidth = g.outWidth();
        int outPlane = outHeight * outWidth;
        java.util.Arrays.fill(dst, dstOff, dstOff + channels * g.height() * g.width(), 0f);
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = dstOff + c * g.height() * g.width();
            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                for (int kw = 0; kw < g.kernelWidth(); kw++, row++) {
                    int base = row * outPlane;
                    for (int oh = 0; oh < outHeight; oh++) {
                        int ih = oh * s.strideHeight() + kh * s.dilationHeight() - s.padTop();
                        if (ih < 0 || ih >= g.height()) {
                            continue;
                        }
                        int line = plane + ih * g.width();
                        int at = base + oh * outWidth;
                        for (int ow = 0; ow < outWidth; ow++) {
                            int iw = ow * s.strideWidth() + kw * s.dilationWidth() - s.padLeft();
                            if (iw >= 0 && iw < g.width()) {
                                dst[line + iw] += columns[at + ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code sums[c] = sum of x[n, c, :]} over n, one chunk per channel, each summed in a fixed order. */
    private static void planeSums(String op, float[] x, int xOff, float[] sums, int sumsOff, int batch, int channels,
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

    private static void addPlaneBias(float[] x, int xOff, float[] bias, int biasOff, int batch, int channels,
                                     int plane) {
        Parallel.forEach(batch * channels, chunk -> {
            float b = bias[biasOff + chunk % channels];
            int base = xOff + chunk * plane;
            for (int i = 0; i < plane; i++) {
                x[base + i] += b;
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ float64

    /** Float64 overload. */
    public static void forward(double[] input, int inputOff, double[] weight, int weightOff, double[] bias, int biasOff,
                               double[] output, int outputOff, ConvGeometry g) {
        ConvArgs.forward("conv2d", input.length, inputOff, weight.length, weightOff, bias != null,
                bias == null ? 0 : bias.length, biasOff, output.length, outputOff, g);
        if (g.batch() == 0) {
            return;
        }
        if (ConvPlan.choose(g, ConvPlan.Pass.FORWARD) == ConvPlan.Algorithm.DIRECT) {
            directForward(input, inputOff, weight, weightOff, bias, biasOff, output, outputOff, g);
        } else {
            gemmForward(input, inputOff, weight, weightOff, bias, biasOff, output, outputOff, g);
        }
    }

    /** Float64 overload. */
    public static void gradInput(double[] gradOutput, int gradOutputOff, double[] weight, int weightOff,
                                 double[] gradInput, int gradInputOff, ConvGeometry g) {
        ConvArgs.gradInput("conv2d", gradOutput.length, gradOutputOff, weight.length, weightOff, gradInput.length,
                gradInputOff, g);
        if (g.batch() == 0) {
            return;
        }
        if (ConvPlan.choose(g, ConvPlan.Pass.GRAD_INPUT) == ConvPlan.Algorithm.DIRECT) {
            directGradInput(gradOutput, gradOutputOff, weight, weightOff, gradInput, gradInputOff, g);
        } else {
            gemmGradInput(gradOutput, gradOutputOff, weight, weightOff, gradInput, gradInputOff, g);
        }
    }

    /** Float64 overload. */
    public static void gradWeight(double[] input, int inputOff, double[] gradOutput, int gradOutputOff,
                                  double[] gradWeight, int gradWeightOff, ConvGeometry g) {
        ConvArgs.gradWeight("conv2d", input.length, inputOff, gradOutput.length, gradOutputOff, gradWeight.length,
                gradWeightOff, g);
        if (g.batch() == 0) {
            java.util.Arrays.fill(gradWeight, gradWeightOff, gradWeightOff + g.weightSize(), 0.0);
            return;
        }
        if (ConvPlan.choose(g, ConvPlan.Pass.GRAD_WEIGHT) == ConvPlan.Algorithm.DIRECT) {
            directGradWeight(input, inputOff, gradOutput, gradOutputOff, gradWeight, gradWeightOff, g);
        } else {
            gemmGradWeight(input, inputOff, gradOutput, gradOutputOff, gradWeight, gradWeightOff, g);
        }
    }

    /** Float64 overload. */
    public static void gradBias(double[] gradOutput, int gradOutputOff, double[] gradBias, int gradBiasOff,
                                ConvGeometry g) {
        ConvArgs.geometry("conv2d", g);
        planeSums("conv2d", gradOutput, gradOutputOff, gradBias, gradBiasOff, g.batch(), g.outChannels(),
                g.outHeight() * g.outWidth());
    }

    /** Float64 overload. */
    public static void transposeForward(double[] input, int inputOff, double[] weight, int weightOff, double[] bias,
                                        int biasOff, double[] output, int outputOff, ConvGeometry g) {
        ConvArgs.geometry("conv_transpose2d", g);
        if (bias != null) {
            KernelArgs.fits("conv_transpose2d", "bias", bias.length, biasOff, g.inChannels());
        }
        gradInput(input, inputOff, weight, weightOff, output, outputOff, g);
        if (bias != null) {
            addPlaneBias(output, outputOff, bias, biasOff, g.batch(), g.inChannels(), g.height() * g.width());
        }
    }

    /** Float64 overload. */
    public static void transposeGradInput(double[] gradOutput, int gradOutputOff, double[] weight, int weightOff,
                                          double[] gradInput, int gradInputOff, ConvGeometry g) {
        forward(gradOutput, gradOutputOff, weight, weightOff, null, 0, gradInput, gradInputOff, g);
    }

    /** Float64 overload. */
    public static void transposeGradWeight(double[] input, int inputOff, double[] gradOutput, int gradOutputOff,
                                           double[] gradWeight, int gradWeightOff, ConvGeometry g) {
        gradWeight(gradOutput, gradOutputOff, input, inputOff, gradWeight, gradWeightOff, g);
    }

    /** Float64 overload. */
    public static void transposeGradBias(double[] gradOutput, int gradOutputOff, double[] gradBias, int gradBiasOff,
                                         ConvGeometry g) {
        ConvArgs.geometry("conv_transpose2d", g);
        planeSums("conv_transpose2d", gradOutput, gradOutputOff, gradBias, gradBiasOff, g.batch(), g.inChannels(),
                g.height() * g.width());
    }

    private static void directForward(double[] input, int inputOff, double[] weight, int weightOff, double[] bias,
                                      int biasOff, double[] output, int outputOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int hp = g.height() + s.padTop() + s.padBottom();
        int wp = g.width() + s.padLeft() + s.padRight();
        int planeLen = hp * wp;
        int[] taps = tapOffsets(g.kernelHeight(), g.kernelWidth(), s.dilationHeight(), s.dilationWidth(), wp);
        int[][] vectors = rowVectors(g.outHeight(), g.outWidth(), wp, LD);
        int rowLength = cpg * taps.length;
        double[] packed = new double[groups * ceilDiv(opg, TILE) * TILE * rowLength];
        for (int group = 0; group < groups; group++) {
            pack(weight, weightOff + group * opg * rowLength, opg, rowLength, packed,
                    group * ceilDiv(opg, TILE) * TILE * rowLength);
        }
        int blockSize = channelBlock(g.batch() * groups, opg);
        int blocks = ceilDiv(opg, blockSize);
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
            padPlanes(input, inputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, g.height(), g.width(),
                    1, 1, planes, 0, planeLen, hp, wp, s.padTop(), s.padLeft());
            int co = group * opg + co0;
            correlate(planes, planeLen, cpg, packed, (group * ceilDiv(opg, TILE) * TILE + co0) * rowLength, taps,
                    count, bias, biasOff + co, output, outputOff + (n * g.outChannels() + co) * outPlane,
                    g.outHeight(), g.outWidth(), wp, vectors);
        });
    }

    private static void directGradInput(double[] gradOutput, int gradOutputOff, double[] weight, int weightOff,
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
        double[] flipped = new double[g.weightSize()];
        for (int group = 0; group < groups; group++) {
            for (int oi = 0; oi < opg; oi++) {
                for (int ci = 0; ci < cpg; ci++) {
                    int from = weightOff + ((group * opg + oi) * cpg + ci) * tapCount;
                    int to = ((group * cpg + ci) * opg + oi) * tapCount + tapCount - 1;
                    for (int t = 0; t < tapCount; t++) {
                        flipped[to - t] = weight[from + t];
                    }
                }
            }
        }
        int[] taps = tapOffsets(kh, kw, s.dilationHeight(), s.dilationWidth(), wq);
        int[][] vectors = rowVectors(g.height(), g.width(), wq, LD);
        int rowLength = opg * tapCount;
        double[] packed = new double[groups * ceilDiv(cpg, TILE) * TILE * rowLength];
        for (int group = 0; group < groups; group++) {
            pack(flipped, group * cpg * rowLength, cpg, rowLength, packed,
                    group * ceilDiv(cpg, TILE) * TILE * rowLength);
        }
        int blockSize = channelBlock(g.batch() * groups, cpg);
        int blocks = ceilDiv(cpg, blockSize);
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
            padPlanes(gradOutput, gradOutputOff + (n * g.outChannels() + group * opg) * outPlane, opg,
                    g.outHeight(), g.outWidth(), 1, 1, planes, 0, planeLen, hq, wq, spanH - s.padTop(),
                    spanW - s.padLeft());
            int c = group * cpg + ci0;
            correlate(planes, planeLen, opg, packed, (group * ceilDiv(cpg, TILE) * TILE + ci0) * rowLength, taps,
                    count, null, 0, gradInput, gradInputOff + (n * g.inChannels() + c) * inPlane, g.height(),
                    g.width(), wq, vectors);
        });
    }

    private static void directGradWeight(double[] input, int inputOff, double[] gradOutput, int gradOutputOff,
                                         double[] gradWeight, int gradWeightOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int channels = g.inChannels();
        int hp = g.height() + s.padTop() + s.padBottom();
        int wp = g.width() + s.padLeft() + s.padRight();
        int planeLen = hp * wp;
        int inPlane = g.height() * g.width();
        double[] padded = ConvScratch.doubles(ConvScratch.BATCH, g.batch() * channels * planeLen + LD);
        Parallel.forEach(g.batch(), n -> padPlanes(input, inputOff + n * channels * inPlane, channels, g.height(),
                g.width(), 1, 1, padded, n * channels * planeLen, planeLen, hp, wp, s.padTop(), s.padLeft()));
        // 3x3 kernels take every tap of 2 output channels in one pass over the batch (18 accumulators), so
        // each gradient row is read once; other kernels run 4 channels x 3 columns per kernel row.
        boolean nineTaps = g.kernelHeight() * g.kernelWidth() == 9 && g.kernelWidth() == 3;
        int width = nineTaps ? 2 : 4;
        int blocks = ceilDiv(opg, width);
        Parallel.forEach(g.groups() * blocks * cpg, chunk -> {
            int ci = chunk % cpg;
            int rest = chunk / cpg;
            int block = rest % blocks;
            int group = rest / blocks;
            int co = group * opg + block * width;
            int at = gradWeightOff + (co * cpg + ci) * g.kernelHeight() * g.kernelWidth();
            int coStride = cpg * g.kernelHeight() * g.kernelWidth();
            if (nineTaps) {
                weightTile2x9(padded, planeLen, wp, group * cpg + ci, gradOutput, gradOutputOff, co,
                        Math.min(2, opg - block * 2), gradWeight, at, coStride, g);
            } else {
                weightTile(padded, planeLen, wp, group * cpg + ci, gradOutput, gradOutputOff, co,
                        Math.min(4, opg - block * 4), gradWeight, at, coStride, g);
            }
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
        VectorMask<Double> tail = SD.indexInRange(0, outWidth - (ceilDiv(outWidth, LD) - 1) * LD);
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
        for (int tile = 0; tile < ceilDiv(rows, TILE); tile++) {
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

    /**
     * Weight gradient of 4 output channels (from {@code co}, {@code active} of them real) for one input
     * channel: for each kernel row and each block of up to 3 kernel columns, 12 vector accumulators run
     * over the whole batch, then reduce.
     */
    private static void weightTile(double[] padded, int planeLen, int pitch, int c, double[] gradOutput,
                                   int gradOutputOff, int co, int active, double[] gradWeight, int gradWeightOff,
                                   int gradWeightCoStride, ConvGeometry g) {
        ConvSpec s = g.spec();
        int outHeight = g.outHeight();
        int outWidth = g.outWidth();
        int outPlane = outHeight * outWidth;
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int channels = g.inChannels();
        int full = outWidth - outWidth % LD;
        VectorMask<Double> tail = SD.indexInRange(0, outWidth - full);
        int g1 = Math.min(1, active - 1) * outPlane;
        int g2 = Math.min(2, active - 1) * outPlane;
        int g3 = Math.min(3, active - 1) * outPlane;
        for (int r = 0; r < kh; r++) {
            for (int k0 = 0; k0 < kw; k0 += 3) {
                int cols = Math.min(3, kw - k0);
                int d0 = r * s.dilationHeight() * pitch + k0 * s.dilationWidth();
                int d1 = d0 + Math.min(1, cols - 1) * s.dilationWidth();
                int d2 = d0 + Math.min(2, cols - 1) * s.dilationWidth();
                DoubleVector a00 = DoubleVector.zero(SD);
                DoubleVector a01 = a00;
                DoubleVector a02 = a00;
                DoubleVector a10 = a00;
                DoubleVector a11 = a00;
                DoubleVector a12 = a00;
                DoubleVector a20 = a00;
                DoubleVector a21 = a00;
                DoubleVector a22 = a00;
                DoubleVector a30 = a00;
                DoubleVector a31 = a00;
                DoubleVector a32 = a00;
                for (int n = 0; n < g.batch(); n++) {
                    int plane = (n * channels + c) * planeLen;
                    int grad = gradOutputOff + (n * g.outChannels() + co) * outPlane;
                    for (int oh = 0; oh < outHeight; oh++) {
                        int p = plane + oh * pitch;
                        int gr = grad + oh * outWidth;
                        int j = 0;
                        for (; j < full; j += LD) {
                            DoubleVector x0 = DoubleVector.fromArray(SD, padded, p + j + d0);
                            DoubleVector x1 = DoubleVector.fromArray(SD, padded, p + j + d1);
                            DoubleVector x2 = DoubleVector.fromArray(SD, padded, p + j + d2);
                            DoubleVector y0 = DoubleVector.fromArray(SD, gradOutput, gr + j);
                            DoubleVector y1 = DoubleVector.fromArray(SD, gradOutput, gr + j + g1);
                            DoubleVector y2 = DoubleVector.fromArray(SD, gradOutput, gr + j + g2);
                            DoubleVector y3 = DoubleVector.fromArray(SD, gradOutput, gr + j + g3);
                            a00 = x0.fma(y0, a00);
                            a01 = x1.fma(y0, a01);
                            a02 = x2.fma(y0, a02);
                            a10 = x0.fma(y1, a10);
                            a11 = x1.fma(y1, a11);
                            a12 = x2.fma(y1, a12);
                            a20 = x0.fma(y2, a20);
                            a21 = x1.fma(y2, a21);
                            a22 = x2.fma(y2, a22);
                            a30 = x0.fma(y3, a30);
                            a31 = x1.fma(y3, a31);
                            a32 = x2.fma(y3, a32);
                        }
                        if (j < outWidth) { // masked tail: lanes past the row read nothing
                            DoubleVector x0 = DoubleVector.fromArray(SD, padded, p + j + d0, tail);
                            DoubleVector x1 = DoubleVector.fromArray(SD, padded, p + j + d1, tail);
                            DoubleVector x2 = DoubleVector.fromArray(SD, padded, p + j + d2, tail);
                            DoubleVector y0 = DoubleVector.fromArray(SD, gradOutput, gr + j, tail);
                            DoubleVector y1 = DoubleVector.fromArray(SD, gradOutput, gr + j + g1, tail);
                            DoubleVector y2 = DoubleVector.fromArray(SD, gradOutput, gr + j + g2, tail);
                            DoubleVector y3 = DoubleVector.fromArray(SD, gradOutput, gr + j + g3, tail);
                            a00 = x0.fma(y0, a00);
                            a01 = x1.fma(y0, a01);
                            a02 = x2.fma(y0, a02);
                            a10 = x0.fma(y1, a10);
                            a11 = x1.fma(y1, a11);
                            a12 = x2.fma(y1, a12);
                            a20 = x0.fma(y2, a20);
                            a21 = x1.fma(y2, a21);
                            a22 = x2.fma(y2, a22);
                            a30 = x0.fma(y3, a30);
                            a31 = x1.fma(y3, a31);
                            a32 = x2.fma(y3, a32);
                        }
                    }
                }
                int at = gradWeightOff + r * kw + k0;
                putWeightGrads(gradWeight, at, cols, Simd.sumLanes(a00), Simd.sumLanes(a01),
                        Simd.sumLanes(a02));
                if (active > 1) {
                    putWeightGrads(gradWeight, at + gradWeightCoStride, cols, Simd.sumLanes(a10),
                            Simd.sumLanes(a11), Simd.sumLanes(a12));
                }
                if (active > 2) {
                    putWeightGrads(gradWeight, at + 2 * gradWeightCoStride, cols, Simd.sumLanes(a20),
                            Simd.sumLanes(a21), Simd.sumLanes(a22));
                }
                if (active > 3) {
                    putWeightGrads(gradWeight, at + 3 * gradWeightCoStride, cols, Simd.sumLanes(a30),
                            Simd.sumLanes(a31), Simd.sumLanes(a32));
                }
            }
        }
    }

    /**
     * Weight gradient of a 3x3 kernel for 2 output channels (from {@code co}, {@code active} of them real)
     * and one input channel: 18 vector accumulators (2 channels x 9 taps) run over the whole batch, each
     * gradient vector loaded once and each of the 9 shifted input vectors once per output row vector.
     */
    private static void weightTile2x9(double[] padded, int planeLen, int pitch, int c, double[] gradOutput,
                                      int gradOutputOff, int co, int active, double[] gradWeight, int gradWeightOff,
                                      int gradWeightCoStride, ConvGeometry g) {
        ConvSpec s = g.spec();
        int outHeight = g.outHeight();
        int outWidth = g.outWidth();
        int outPlane = outHeight * outWidth;
        int channels = g.inChannels();
        int full = outWidth - outWidth % LD;
        VectorMask<Double> tail = SD.indexInRange(0, outWidth - full);
        int second = Math.min(1, active - 1) * outPlane;
        int dw = s.dilationWidth();
        int r1 = s.dilationHeight() * pitch;
        int r2 = 2 * r1;
        DoubleVector a0 = DoubleVector.zero(SD);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        DoubleVector a4 = a0;
        DoubleVector a5 = a0;
        DoubleVector a6 = a0;
        DoubleVector a7 = a0;
        DoubleVector a8 = a0;
        DoubleVector b0 = a0;
        DoubleVector b1 = a0;
        DoubleVector b2 = a0;
        DoubleVector b3 = a0;
        DoubleVector b4 = a0;
        DoubleVector b5 = a0;
        DoubleVector b6 = a0;
        DoubleVector b7 = a0;
        DoubleVector b8 = a0;
        for (int n = 0; n < g.batch(); n++) {
            int plane = (n * channels + c) * planeLen;
            int grad = gradOutputOff + (n * g.outChannels() + co) * outPlane;
            for (int oh = 0; oh < outHeight; oh++) {
                int row = plane + oh * pitch;
                int gr = grad + oh * outWidth;
                int j = 0;
                for (; j < full; j += LD) {
                    DoubleVector y0 = DoubleVector.fromArray(SD, gradOutput, gr + j);
                    DoubleVector y1 = DoubleVector.fromArray(SD, gradOutput, gr + j + second);
                    int p = row + j;
                    DoubleVector x = DoubleVector.fromArray(SD, padded, p);
                    a0 = x.fma(y0, a0);
                    b0 = x.fma(y1, b0);
                    x = DoubleVector.fromArray(SD, padded, p + dw);
                    a1 = x.fma(y0, a1);
                    b1 = x.fma(y1, b1);
                    x = DoubleVector.fromArray(SD, padded, p + 2 * dw);
                    a2 = x.fma(y0, a2);
                    b2 = x.fma(y1, b2);
                    x = DoubleVector.fromArray(SD, padded, p + r1);
                    a3 = x.fma(y0, a3);
                    b3 = x.fma(y1, b3);
                    x = DoubleVector.fromArray(SD, padded, p + r1 + dw);
                    a4 = x.fma(y0, a4);
                    b4 = x.fma(y1, b4);
                    x = DoubleVector.fromArray(SD, padded, p + r1 + 2 * dw);
                    a5 = x.fma(y0, a5);
                    b5 = x.fma(y1, b5);
                    x = DoubleVector.fromArray(SD, padded, p + r2);
                    a6 = x.fma(y0, a6);
                    b6 = x.fma(y1, b6);
                    x = DoubleVector.fromArray(SD, padded, p + r2 + dw);
                    a7 = x.fma(y0, a7);
                    b7 = x.fma(y1, b7);
                    x = DoubleVector.fromArray(SD, padded, p + r2 + 2 * dw);
                    a8 = x.fma(y0, a8);
                    b8 = x.fma(y1, b8);
                }
                if (j < outWidth) { // masked tail: lanes past the row read nothing
                    DoubleVector y0 = DoubleVector.fromArray(SD, gradOutput, gr + j, tail);
                    DoubleVector y1 = DoubleVector.fromArray(SD, gradOutput, gr + j + second, tail);
                    int p = row + j;
                    DoubleVector x = DoubleVector.fromArray(SD, padded, p, tail);
                    a0 = x.fma(y0, a0);
                    b0 = x.fma(y1, b0);
                    x = DoubleVector.fromArray(SD, padded, p + dw, tail);
                    a1 = x.fma(y0, a1);
                    b1 = x.fma(y1, b1);
                    x = DoubleVector.fromArray(SD, padded, p + 2 * dw, tail);
                    a2 = x.fma(y0, a2);
                    b2 = x.fma(y1, b2);
                    x = DoubleVector.fromArray(SD, padded, p + r1, tail);
                    a3 = x.fma(y0, a3);
                    b3 = x.fma(y1, b3);
                    x = DoubleVector.fromArray(SD, padded, p + r1 + dw, tail);
                    a4 = x.fma(y0, a4);
                    b4 = x.fma(y1, b4);
                    x = DoubleVector.fromArray(SD, padded, p + r1 + 2 * dw, tail);
                    a5 = x.fma(y0, a5);
                    b5 = x.fma(y1, b5);
                    x = DoubleVector.fromArray(SD, padded, p + r2, tail);
                    a6 = x.fma(y0, a6);
                    b6 = x.fma(y1, b6);
                    x = DoubleVector.fromArray(SD, padded, p + r2 + dw, tail);
                    a7 = x.fma(y0, a7);
                    b7 = x.fma(y1, b7);
                    x = DoubleVector.fromArray(SD, padded, p + r2 + 2 * dw, tail);
                    a8 = x.fma(y0, a8);
                    b8 = x.fma(y1, b8);
                }
            }
        }
        int at = gradWeightOff;
        gradWeight[at] = Simd.sumLanes(a0);
        gradWeight[at + 1] = Simd.sumLanes(a1);
        gradWeight[at + 2] = Simd.sumLanes(a2);
        gradWeight[at + 3] = Simd.sumLanes(a3);
        gradWeight[at + 4] = Simd.sumLanes(a4);
        gradWeight[at + 5] = Simd.sumLanes(a5);
        gradWeight[at + 6] = Simd.sumLanes(a6);
        gradWeight[at + 7] = Simd.sumLanes(a7);
        gradWeight[at + 8] = Simd.sumLanes(a8);
        if (active > 1) {
            at += gradWeightCoStride;
            gradWeight[at] = Simd.sumLanes(b0);
            gradWeight[at + 1] = Simd.sumLanes(b1);
            gradWeight[at + 2] = Simd.sumLanes(b2);
            gradWeight[at + 3] = Simd.sumLanes(b3);
            gradWeight[at + 4] = Simd.sumLanes(b4);
            gradWeight[at + 5] = Simd.sumLanes(b5);
            gradWeight[at + 6] = Simd.sumLanes(b6);
            gradWeight[at + 7] = Simd.sumLanes(b7);
            gradWeight[at + 8] = Simd.sumLanes(b8);
        }
    }

    private static void putWeightGrads(double[] gradWeight, int at, int cols, double first, double second,
                                       double third) {
        gradWeight[at] = first;
        if (cols > 1) {
            gradWeight[at + 1] = second;
        }
        if (cols > 2) {
            gradWeight[at + 2] = third;
        }
    }

    /**
     * Copies {@code channels} planes {@code [rows, cols]} into zeroed planes {@code [planeRows, pitch]}
     * ({@code planeLen} apart), source pixel (r, c) landing at {@code (r * rowStep + top, c * colStep + left)};
     * pixels that land outside are dropped (a negative {@code top} crops). The slack after the last plane
     * is zeroed too, because vector loads of dropped lanes read it.
     */
    private static void padPlanes(double[] src, int srcOff, int channels, int rows, int cols, int rowStep,
                                  int colStep, double[] dst, int dstOff, int planeLen, int planeRows, int pitch,
                                  int top, int left) {
        java.util.Arrays.fill(dst, dstOff, dstOff + channels * planeLen + LD, 0.0);
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

    private static void gemmForward(double[] input, int inputOff, double[] weight, int weightOff, double[] bias,
                                    int biasOff, double[] output, int outputOff, ConvGeometry g) {
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int rows = cpg * g.kernelHeight() * g.kernelWidth();
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.height() * g.width();
        Parallel.forEach(g.batch() * groups, chunk -> {
            int group = chunk % groups;
            int n = chunk / groups;
            double[] columns = ConvScratch.doubles(ConvScratch.COLUMNS, rows * outPlane);
            im2col(input, inputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, columns, g);
            int out = outputOff + (n * g.outChannels() + group * opg) * outPlane;
            if (bias != null) {
                for (int o = 0; o < opg; o++) {
                    java.util.Arrays.fill(output, out + o * outPlane, out + (o + 1) * outPlane,
                            bias[biasOff + group * opg + o]);
                }
            }
            GemmKernels.multiply(weight, weightOff + group * opg * rows, rows, columns, 0, outPlane, output, out,
                    outPlane, opg, outPlane, rows, bias != null);
        });
    }

    private static void gemmGradInput(double[] gradOutput, int gradOutputOff, double[] weight, int weightOff,
                                      double[] gradInput, int gradInputOff, ConvGeometry g) {
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int rows = cpg * g.kernelHeight() * g.kernelWidth();
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.height() * g.width();
        Parallel.forEach(g.batch() * groups, chunk -> {
            int group = chunk % groups;
            int n = chunk / groups;
            double[] columns = ConvScratch.doubles(ConvScratch.COLUMNS, rows * outPlane);
            // columns = weightᵀ · gradOutput: the gradient of every unfolded input cell
            GemmKernels.gemm(weight, weightOff + group * opg * rows, rows, true, gradOutput,
                    gradOutputOff + (n * g.outChannels() + group * opg) * outPlane, outPlane, false, columns, 0,
                    outPlane, rows, outPlane, opg, 1.0, 0.0);
            col2im(columns, gradInput, gradInputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, g);
        });
    }

    private static void gemmGradWeight(double[] input, int inputOff, double[] gradOutput, int gradOutputOff,
                                       double[] gradWeight, int gradWeightOff, ConvGeometry g) {
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int rows = cpg * g.kernelHeight() * g.kernelWidth();
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.height() * g.width();
        Parallel.forEach(groups, group -> {
            double[] columns = ConvScratch.doubles(ConvScratch.COLUMNS, rows * outPlane);
            for (int n = 0; n < g.batch(); n++) {
                im2col(input, inputOff + (n * g.inChannels() + group * cpg) * inPlane, cpg, columns, g);
                // gradWeight (+)= gradOutput · columnsᵀ, images summed in order
                GemmKernels.gemm(gradOutput, gradOutputOff + (n * g.outChannels() + group * opg) * outPlane,
                        outPlane, false, columns, 0, outPlane, true, gradWeight, gradWeightOff + group * opg * rows,
                        rows, opg, rows, outPlane, 1.0, n == 0 ? 0.0 : 1.0);
            }
        });
    }

    /** Unfolds {@code channels} input planes into {@code columns: [channels * kh * kw, OH * OW]}, zeros for padding. */
    private static void im2col(double[] src, int srcOff, int channels, double[] columns, ConvGeometry g) {
        ConvSpec s = g.spec();
        int outHeight = g.outHeight();
        int outWidth = g.outWidth();
        int outPlane = outHeight * outWidth;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = srcOff + c * g.height() * g.width();
            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                for (int kw = 0; kw < g.kernelWidth(); kw++, row++) {
                    int base = row * outPlane;
                    for (int oh = 0; oh < outHeight; oh++) {
                        int ih = oh * s.strideHeight() + kh * s.dilationHeight() - s.padTop();
                        int at = base + oh * outWidth;
                        if (ih < 0 || ih >= g.height()) {
                            java.util.Arrays.fill(columns, at, at + outWidth, 0.0);
                            continue;
                        }
                        int line = plane + ih * g.width();
                        for (int ow = 0; ow < outWidth; ow++) {
                            int iw = ow * s.strideWidth() + kw * s.dilationWidth() - s.padLeft();
                            columns[at + ow] = iw < 0 || iw >= g.width() ? 0.0 : src[line + iw];
                        }
                    }
                }
            }
        }
    }

    /** Folds {@code columns: [channels * kh * kw, OH * OW]} back into zeroed input planes, adding overlaps in a fixed order. */
    private static void col2im(double[] columns, double[] dst, int dstOff, int channels, ConvGeometry g) {
        ConvSpec s = g.spec();
        int outHeight = g.outHeight();
        int outWidth = g.outWidth();
        int outPlane = outHeight * outWidth;
        java.util.Arrays.fill(dst, dstOff, dstOff + channels * g.height() * g.width(), 0.0);
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = dstOff + c * g.height() * g.width();
            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                for (int kw = 0; kw < g.kernelWidth(); kw++, row++) {
                    int base = row * outPlane;
                    for (int oh = 0; oh < outHeight; oh++) {
                        int ih = oh * s.strideHeight() + kh * s.dilationHeight() - s.padTop();
                        if (ih < 0 || ih >= g.height()) {
                            continue;
                        }
                        int line = plane + ih * g.width();
                        int at = base + oh * outWidth;
                        for (int ow = 0; ow < outWidth; ow++) {
                            int iw = ow * s.strideWidth() + kw * s.dilationWidth() - s.padLeft();
                            if (iw >= 0 && iw < g.width()) {
                                dst[line + iw] += columns[at + ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code sums[c] = sum of x[n, c, :]} over n, one chunk per channel, each summed in a fixed order. */
    private static void planeSums(String op, double[] x, int xOff, double[] sums, int sumsOff, int batch, int channels,
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

    private static void addPlaneBias(double[] x, int xOff, double[] bias, int biasOff, int batch, int channels,
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
    private static int[] tapOffsets(int kernelHeight, int kernelWidth, int dilationHeight, int dilationWidth,
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
    private static int[][] rowVectors(int rows, int cols, int pitch, int lanes) {
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
     * blocks of a multiple of {@link #TILE} (the register tile) so that the chunk count approaches the target.
     * Depends on the geometry only, never on the thread count.
     */
    private static int channelBlock(int images, int channels) {
        if (images >= TARGET_CHUNKS || channels <= TILE) {
            return channels;
        }
        int blocks = Math.min(ceilDiv(TARGET_CHUNKS, images), ceilDiv(channels, TILE));
        return ceilDiv(ceilDiv(channels, blocks), TILE) * TILE;
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
