package vecgrad.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct stride-1 weight gradient of {@link ConvKernels}, float32:
 * {@code gradWeight[co, ci, t] = sum over n, q of rows[n, co, q] * padded[n, ci, q + tap(t)]}, where
 * {@code padded} is the zero-padded input (pitch {@code wp}), {@code rows} is the output gradient laid out
 * with the same pitch (the columns past the output row hold zero gradient) and {@code tap(t)} is the fixed
 * flat offset of kernel tap t. With both operands on one pitch, every (channel, tap) pair is one contiguous
 * dot product over the plane, with no row ends and no masks.
 *
 * <p>Work: the batch is cut into blocks of images whose operands fit in L2, the output channels into
 * blocks; one chunk per (image block, group, channel block) writes its own partial gradient, and the
 * partials are added in image-block order. Both cuts depend on the geometry only, so the result is
 * bit-identical for any thread count. Inside a chunk, positions are cut into blocks that keep one tile's
 * gradient rows in L1 while it visits every input channel.
 */
final class ConvWeightGradF32 {
    private static final VectorSpecies<Float> SF = Simd.F32;
    private static final int LF = SF.length();
    /** Floats of input and gradient one image block may hold: 1 MB, half of this machine's L2. */
    private static final int BLOCK_ELEMENTS = 1 << 18;
    /**
     * At most this many images per block; the L2 budget usually binds first (17 images for 32 channels of
     * 14 x 14). More images per tile call amortize its set-up: 32 x 32 channels took 6.4-7.0 ms with this cap
     * against 6.9-7.5 with 16 and 7.6-7.8 with 8 (one thread).
     */
    private static final int MAX_BLOCK_IMAGES = 32;
    /** Positions of one plane a tile covers per call: 8 KB per gradient row, two rows stay in L1. */
    private static final int POSITION_BLOCK = 2048;

    private ConvWeightGradF32() {}

    static void gradWeight(float[] input, int inputOff, float[] gradOutput, int gradOutputOff, float[] gradWeight,
                           int gradWeightOff, ConvGeometry g) {
        ConvWeightGradLayout l = ConvWeightGradLayout.of(g, LF, BLOCK_ELEMENTS, MAX_BLOCK_IMAGES, POSITION_BLOCK);
        ConvSpec s = g.spec();
        int channels = g.inChannels();
        int inPlane = g.height() * g.width();
        float[] padded = ConvScratch.floats(ConvScratch.BATCH, l.paddedLength());
        Parallel.forEach(g.batch(), n -> ConvPlanes.padPlanes(input, inputOff + n * channels * inPlane, channels,
                g.height(), g.width(), 1, 1, padded, n * channels * l.planeLen(), l.planeLen(), l.planeRows(),
                l.pitch(), s.padTop(), s.padLeft()));
        java.util.Arrays.fill(padded, g.batch() * channels * l.planeLen(), l.paddedLength(), 0f);
        // one image block writes the result in place; several write partials, added in block order
        boolean oneBlock = l.imageBlocks() == 1;
        float[] partials = oneBlock ? gradWeight
                : ConvScratch.floats(ConvScratch.PARTIALS, l.imageBlocks() * g.weightSize());
        int partialsOff = oneBlock ? gradWeightOff : 0;
        Parallel.forEach(l.chunks(), chunk -> chunk(padded, gradOutput, gradOutputOff, partials,
                partialsOff + l.imageBlockOf(chunk) * g.weightSize(), chunk, l, g));
        if (!oneBlock) {
            sumBlocks(partials, l.imageBlocks(), g.weightSize(), gradWeight, gradWeightOff);
        }
    }

    /** One (image block, group, output-channel block): gradient rows padded to the pitch, then the tiles. */
    private static void chunk(float[] padded, float[] gradOutput, int gradOutputOff, float[] out, int outOff,
                              int chunk, ConvWeightGradLayout l, ConvGeometry g) {
        int n0 = l.firstImage(chunk);
        int images = l.images(chunk);
        int group = l.groupOf(chunk);
        int co0 = group * g.outChannelsPerGroup() + l.firstChannel(chunk);
        int count = l.channels(chunk);
        int span = l.span();
        int outPlane = g.outHeight() * g.outWidth();
        // rows[co][n][q]: the chunk's gradient planes, each row followed by pitch - outWidth zeros
        float[] rows = ConvScratch.floats(ConvScratch.ROWS, count * images * span);
        java.util.Arrays.fill(rows, 0, count * images * span, 0f);
        VectorMask<Float> tail = SF.indexInRange(0, g.outWidth() % LF);
        for (int c = 0; c < count; c++) {
            for (int n = 0; n < images; n++) {
                int from = gradOutputOff + ((n0 + n) * g.outChannels() + co0 + c) * outPlane;
                int to = (c * images + n) * span;
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    ConvPlanes.copyRow(gradOutput, from + oh * g.outWidth(), rows, to + oh * l.pitch(), g.outWidth(),
                            tail);
                }
            }
        }
        int cpg = g.inChannelsPerGroup();
        int tapCount = g.kernelHeight() * g.kernelWidth();
        java.util.Arrays.fill(out, outOff + co0 * cpg * tapCount, outOff + (co0 + count) * cpg * tapCount, 0f);
        int[] taps = ConvPlanes.tapOffsets(g.kernelHeight(), g.kernelWidth(), g.spec().dilationHeight(),
                g.spec().dilationWidth(), l.pitch());
        int width = ConvWeightGradLayout.tileChannels(g);
        boolean nineTaps = width == 2;
        int xImage = g.inChannels() * l.planeLen();
        float[] lanes = new float[12 * LF];
        for (int p0 = 0; p0 < span; p0 += l.positionBlock()) {
            int length = Math.min(l.positionBlock(), span - p0);
            for (int c = 0; c < count; c += width) {
                int active = Math.min(width, count - c);
                int grads = c * images * span + p0;
                int second = Math.min(1, active - 1) * images * span;
                for (int ci = 0; ci < cpg; ci++) {
                    int x = (n0 * g.inChannels() + group * cpg + ci) * l.planeLen() + p0;
                    int at = outOff + ((co0 + c) * cpg + ci) * tapCount;
                    if (nineTaps) {
                        tile2x9(padded, x, xImage, rows, grads, second, span, images, length, taps[3], lanes, out, at,
                                active > 1 ? cpg * tapCount : 0);
                    } else {
                        for (int t = 0; t < tapCount; t += 3) {
                            tile4x3(padded, x, xImage, rows, grads, images * span, span, images, length, taps, t,
                                    Math.min(3, tapCount - t), lanes, out, at, cpg * tapCount, active);
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds to {@code out[at + t]} (and {@code out[at + secondOut + t]} when {@code secondOut > 0}) the dot products
     * of two gradient rows with the input shifted by each tap of a 3x3 kernel (rows {@code rowStep} apart, unit
     * column dilation), over {@code images} planes and {@code length} positions: 18 accumulators, each
     * gradient vector and shifted input vector loaded once.
     */
    private static void tile2x9(float[] padded, int x, int xImage, float[] rows, int grads, int second, int span,
                                int images, int length, int rowStep, float[] lanes, float[] out, int at,
                                int secondOut) {
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
        for (int n = 0; n < images; n++) {
            int top = x + n * xImage;
            int middle = top + rowStep;
            int bottom = middle + rowStep;
            int r0 = grads + n * span;
            int r1 = r0 + second;
            for (int q = 0; q < length; q += LF) {
                FloatVector y0 = FloatVector.fromArray(SF, rows, r0 + q);
                FloatVector y1 = FloatVector.fromArray(SF, rows, r1 + q);
                FloatVector v = FloatVector.fromArray(SF, padded, top + q);
                a0 = v.fma(y0, a0);
                b0 = v.fma(y1, b0);
                v = FloatVector.fromArray(SF, padded, top + q + 1);
                a1 = v.fma(y0, a1);
                b1 = v.fma(y1, b1);
                v = FloatVector.fromArray(SF, padded, top + q + 2);
                a2 = v.fma(y0, a2);
                b2 = v.fma(y1, b2);
                v = FloatVector.fromArray(SF, padded, middle + q);
                a3 = v.fma(y0, a3);
                b3 = v.fma(y1, b3);
                v = FloatVector.fromArray(SF, padded, middle + q + 1);
                a4 = v.fma(y0, a4);
                b4 = v.fma(y1, b4);
                v = FloatVector.fromArray(SF, padded, middle + q + 2);
                a5 = v.fma(y0, a5);
                b5 = v.fma(y1, b5);
                v = FloatVector.fromArray(SF, padded, bottom + q);
                a6 = v.fma(y0, a6);
                b6 = v.fma(y1, b6);
                v = FloatVector.fromArray(SF, padded, bottom + q + 1);
                a7 = v.fma(y0, a7);
                b7 = v.fma(y1, b7);
                v = FloatVector.fromArray(SF, padded, bottom + q + 2);
                a8 = v.fma(y0, a8);
                b8 = v.fma(y1, b8);
            }
        }
        // lanes are summed by scalar code from memory: a vector passed to a helper C2 declines to inline
        // would be boxed, and reduceLanes sums in a different order in compiled and interpreted code
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, LF);
        a2.intoArray(lanes, 2 * LF);
        a3.intoArray(lanes, 3 * LF);
        a4.intoArray(lanes, 4 * LF);
        a5.intoArray(lanes, 5 * LF);
        a6.intoArray(lanes, 6 * LF);
        a7.intoArray(lanes, 7 * LF);
        a8.intoArray(lanes, 8 * LF);
        addLaneSums(lanes, 0, 9, out, at);
        if (secondOut > 0) {
            b0.intoArray(lanes, 0);
            b1.intoArray(lanes, LF);
            b2.intoArray(lanes, 2 * LF);
            b3.intoArray(lanes, 3 * LF);
            b4.intoArray(lanes, 4 * LF);
            b5.intoArray(lanes, 5 * LF);
            b6.intoArray(lanes, 6 * LF);
            b7.intoArray(lanes, 7 * LF);
            b8.intoArray(lanes, 8 * LF);
            addLaneSums(lanes, 0, 9, out, at + secondOut);
        }
    }

    /** {@code out[at + k] += sum of lanes[from + k * LF ..][LF]} for k in [0, count), lanes added in order. */
    private static void addLaneSums(float[] lanes, int from, int count, float[] out, int at) {
        for (int k = 0; k < count; k++) {
            int base = from + k * LF;
            float sum = 0f;
            for (int i = 0; i < LF; i++) {
                sum += lanes[base + i];
            }
            out[at + k] += sum;
        }
    }

    /**
     * Any kernel: 4 gradient rows (from {@code grads}, {@code channelStride} apart, {@code active} of them real)
     * x taps {@code t0 .. t0 + cols - 1} (at most 3), 12 accumulators, added to
     * {@code out[at + j * outStride + t0 + k]}.
     */
    private static void tile4x3(float[] padded, int x, int xImage, float[] rows, int grads, int channelStride,
                                int span, int images, int length, int[] taps, int t0, int cols, float[] lanes, float[] out,
                                int at, int outStride, int active) {
        int d0 = taps[t0];
        int d1 = taps[t0 + Math.min(1, cols - 1)];
        int d2 = taps[t0 + Math.min(2, cols - 1)];
        int g1 = Math.min(1, active - 1) * channelStride;
        int g2 = Math.min(2, active - 1) * channelStride;
        int g3 = Math.min(3, active - 1) * channelStride;
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
        for (int n = 0; n < images; n++) {
            int p = x + n * xImage;
            int r = grads + n * span;
            for (int q = 0; q < length; q += LF) {
                FloatVector x0 = FloatVector.fromArray(SF, padded, p + q + d0);
                FloatVector x1 = FloatVector.fromArray(SF, padded, p + q + d1);
                FloatVector x2 = FloatVector.fromArray(SF, padded, p + q + d2);
                FloatVector y = FloatVector.fromArray(SF, rows, r + q);
                a00 = x0.fma(y, a00);
                a01 = x1.fma(y, a01);
                a02 = x2.fma(y, a02);
                y = FloatVector.fromArray(SF, rows, r + q + g1);
                a10 = x0.fma(y, a10);
                a11 = x1.fma(y, a11);
                a12 = x2.fma(y, a12);
                y = FloatVector.fromArray(SF, rows, r + q + g2);
                a20 = x0.fma(y, a20);
                a21 = x1.fma(y, a21);
                a22 = x2.fma(y, a22);
                y = FloatVector.fromArray(SF, rows, r + q + g3);
                a30 = x0.fma(y, a30);
                a31 = x1.fma(y, a31);
                a32 = x2.fma(y, a32);
            }
        }
        a00.intoArray(lanes, 0);
        a01.intoArray(lanes, LF);
        a02.intoArray(lanes, 2 * LF);
        a10.intoArray(lanes, 3 * LF);
        a11.intoArray(lanes, 4 * LF);
        a12.intoArray(lanes, 5 * LF);
        a20.intoArray(lanes, 6 * LF);
        a21.intoArray(lanes, 7 * LF);
        a22.intoArray(lanes, 8 * LF);
        a30.intoArray(lanes, 9 * LF);
        a31.intoArray(lanes, 10 * LF);
        a32.intoArray(lanes, 11 * LF);
        for (int j = 0; j < active; j++) {
            addLaneSums(lanes, 3 * j * LF, cols, out, at + j * outStride + t0);
        }
    }

    /** {@code out[i] = sum over b of partials[b * size + i]}, blocks added in order, cut into fixed chunks. */
    static void sumBlocks(float[] partials, int blocks, int size, float[] out, int outOff) {
        int chunk = 4096;
        Parallel.forEach(ConvPlanes.ceilDiv(size, chunk), c -> {
            int from = c * chunk;
            int to = Math.min(size, from + chunk);
            for (int i = from; i < to; i++) {
                float sum = partials[i];
                for (int b = 1; b < blocks; b++) {
                    sum += partials[b * size + i];
                }
                out[outOff + i] = sum;
            }
        });
    }
}
