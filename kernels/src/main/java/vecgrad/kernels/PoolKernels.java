package vecgrad.kernels;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.LE;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2-D pooling on NCHW tensors, float32 and float64, multi-threaded: max (with argmax for backward),
 * average (count_include_pad either way), LP (p-norm), adaptive and global average, each with its
 * backward. SIMD twin of {@link PoolReference}, with identical public signatures.
 *
 * <p>Planes (image x channel) are independent; chunks are fixed blocks of planes, so results do not depend
 * on the thread count. The 2x2 stride-2 window without padding, by far the most common, has a vector path
 * that splits even and odd columns with a two-vector shuffle; every other window runs a scalar loop.
 */
public final class PoolKernels {
    private static final VectorSpecies<Float> SF = Simd.F32;
    private static final VectorSpecies<Double> SD = Simd.F64;
    private static final int LF = SF.length();
    private static final int LD = SD.length();
    /** Int lanes matching the float lanes (argmax of one float vector). */
    private static final VectorSpecies<Integer> SIF = IntVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(Simd.BITS)).check(int.class);
    /** Int lanes matching the double lanes: half the width. */
    private static final VectorSpecies<Integer> SID = IntVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(Simd.BITS / 2)).check(int.class);
    private static final VectorShuffle<Float> EVEN_F = VectorShuffle.fromOp(SF, i -> 2 * i);
    private static final VectorShuffle<Float> ODD_F = VectorShuffle.fromOp(SF, i -> 2 * i + 1);
    private static final VectorShuffle<Double> EVEN_D = VectorShuffle.fromOp(SD, i -> 2 * i);
    private static final VectorShuffle<Double> ODD_D = VectorShuffle.fromOp(SD, i -> 2 * i + 1);
    private static final int[] IOTA_TIMES_TWO = iotaTimesTwo(LF);
    private static final int[] IOTA_TIMES_TWO_D = iotaTimesTwo(LD);
    /** Input elements per chunk: large enough to amortize a task, small enough to split a batch. */
    private static final int CHUNK_ELEMENTS = 1 << 14;

    private PoolKernels() {}

    // ------------------------------------------------------------------------------------------------ float32

    /**
     * {@code y[p, oh, ow] = max of x[p, window]}, {@code argmax[p, oh, ow] = ih * width + iw} of the first
     * maximum in scan order (row by row); a NaN in a window wins over numbers (the first NaN), so NaN
     * propagates. Padding never wins. {@code x: [N, C, H, W]}, {@code y, argmax: [N, C, OH, OW]}.
     */
    public static void maxForward(float[] x, int xOff, float[] y, int yOff, int[] argmax, int argmaxOff,
                                  PoolGeometry g) {
        PoolArgs.forward("max_pool2d", x.length, xOff, y.length, yOff, g);
        KernelArgs.fits("max_pool2d", "argmax", argmax.length, argmaxOff, g.outputSize());
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int per = planesPerChunk(g);
        boolean halving = halving(g.spec());
        // Every row ends with the same short group: its masks are made once per call.
        int shortGroup = Math.min(g.outWidth(), g.width() / 2) % LF;
        VectorMask<Float>[] masks = halvingMasks(shortGroup);
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            for (int p = chunk * per; p < Math.min(g.planes(), (chunk + 1) * per); p++) {
                int in = xOff + p * inPlane;
                int out = p * outPlane;
                int rows = 0;
                int cols = 0;
                if (halving) {
                    rows = Math.min(g.outHeight(), g.height() / 2);
                    cols = Math.min(g.outWidth(), g.width() / 2);
                    for (int oh = 0; oh < rows; oh++) {
                        for (int ow = 0; ow < cols; ow += LF) {
                            // a short group is loaded through masks; its extra output lanes spill into the
                            // next rows, written later, unless they would reach past the plane
                            maxHalving(x, in, g.width(), oh, ow, ow + LF <= cols ? null : masks,
                                    oh * g.outWidth() + ow + LF > outPlane, y,
                                    yOff + out + oh * g.outWidth() + ow, argmax, argmaxOff + out + oh * g.outWidth() + ow);
                        }
                    }
                }
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = oh < rows ? cols : 0; ow < g.outWidth(); ow++) {
                        maxAt(x, in, g, oh, ow, y, yOff + out + oh * g.outWidth() + ow, argmax,
                                argmaxOff + out + oh * g.outWidth() + ow);
                    }
                }
            }
        });
    }

    /** {@code gradInput[p, argmax[p, o]] += grad[p, o]} over outputs o in order, zeros elsewhere (overwritten). */
    public static void maxBackward(float[] grad, int gradOff, int[] argmax, int argmaxOff, float[] gradInput,
                                   int gradInputOff, PoolGeometry g) {
        PoolArgs.backward("max_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        KernelArgs.fits("max_pool2d", "argmax", argmax.length, argmaxOff, g.outputSize());
        PoolArgs.argmaxInRange("max_pool2d", argmax, argmaxOff, g);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int per = planesPerChunk(g);
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            int first = chunk * per;
            int last = Math.min(g.planes(), (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * inPlane, gradInputOff + last * inPlane, 0f);
            for (int p = first; p < last; p++) {
                int in = gradInputOff + p * inPlane;
                int out = p * outPlane;
                for (int o = 0; o < outPlane; o++) {
                    gradInput[in + argmax[argmaxOff + out + o]] += grad[gradOff + out + o];
                }
            }
        });
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
        int per = planesPerChunk(g);
        boolean halving = halving(g.spec());
        int shortGroup = Math.min(g.outWidth(), g.width() / 2) % LF;
        VectorMask<Float>[] masks = halvingMasks(shortGroup);
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            for (int p = chunk * per; p < Math.min(g.planes(), (chunk + 1) * per); p++) {
                int in = xOff + p * inPlane;
                int out = yOff + p * outPlane;
                int rows = 0;
                int cols = 0;
                if (halving) {
                    rows = Math.min(g.outHeight(), g.height() / 2);
                    cols = Math.min(g.outWidth(), g.width() / 2);
                    for (int oh = 0; oh < rows; oh++) {
                        for (int ow = 0; ow < cols; ow += LF) {
                            avgHalving(x, in, g.width(), oh, ow, ow + LF <= cols ? null : masks,
                                    oh * g.outWidth() + ow + LF > outPlane, y,
                                    out + oh * g.outWidth() + ow);
                        }
                    }
                }
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = oh < rows ? cols : 0; ow < g.outWidth(); ow++) {
                        int[] w = PoolArgs.window(g, oh, ow, countIncludePad);
                        float sum = 0f;
                        for (int ih = w[0]; ih < w[1]; ih++) {
                            for (int iw = w[2]; iw < w[3]; iw++) {
                                sum += x[in + ih * g.width() + iw];
                            }
                        }
                        y[out + oh * g.outWidth() + ow] = sum / w[4];
                    }
                }
            }
        });
    }

    /** {@code gradInput[cell] = sum over windows containing cell of grad / divisor} (overwritten). */
    public static void avgBackward(float[] grad, int gradOff, float[] gradInput, int gradInputOff, PoolGeometry g,
                                   boolean countIncludePad) {
        PoolArgs.backward("avg_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int per = planesPerChunk(g);
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            int first = chunk * per;
            int last = Math.min(g.planes(), (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * inPlane, gradInputOff + last * inPlane, 0f);
            for (int p = first; p < last; p++) {
                int in = gradInputOff + p * inPlane;
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = 0; ow < g.outWidth(); ow++) {
                        int[] w = PoolArgs.window(g, oh, ow, countIncludePad);
                        float share = grad[gradOff + p * outPlane + oh * g.outWidth() + ow] / w[4];
                        for (int ih = w[0]; ih < w[1]; ih++) {
                            for (int iw = w[2]; iw < w[3]; iw++) {
                                gradInput[in + ih * g.width() + iw] += share;
                            }
                        }
                    }
                }
            }
        });
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
        int per = planesPerChunk(g);
        boolean square = normType == 2;
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            for (int p = chunk * per; p < Math.min(g.planes(), (chunk + 1) * per); p++) {
                int in = xOff + p * inPlane;
                int out = yOff + p * outPlane;
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = 0; ow < g.outWidth(); ow++) {
                        int[] w = PoolArgs.window(g, oh, ow, false);
                        float sum = 0f;
                        for (int ih = w[0]; ih < w[1]; ih++) {
                            for (int iw = w[2]; iw < w[3]; iw++) {
                                float v = x[in + ih * g.width() + iw];
                                sum += square ? v * v : (float) Math.pow(v, normType);
                            }
                        }
                        y[out + oh * g.outWidth() + ow] = sum == 0 ? 0f
                                : square ? (float) Math.sqrt(sum) : (float) Math.pow(sum, 1 / normType);
                    }
                }
            }
        });
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
        int per = planesPerChunk(g);
        boolean square = normType == 2;
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            int first = chunk * per;
            int last = Math.min(g.planes(), (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * inPlane, gradInputOff + last * inPlane, 0f);
            for (int p = first; p < last; p++) {
                int in = p * inPlane;
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = 0; ow < g.outWidth(); ow++) {
                        int o = p * outPlane + oh * g.outWidth() + ow;
                        float out = y[yOff + o];
                        if (out == 0) {
                            continue; // the convention at an all-zero window: no gradient
                        }
                        float scale = grad[gradOff + o] / (square ? out : (float) Math.pow(out, normType - 1));
                        int[] w = PoolArgs.window(g, oh, ow, false);
                        for (int ih = w[0]; ih < w[1]; ih++) {
                            for (int iw = w[2]; iw < w[3]; iw++) {
                                float v = x[xOff + in + ih * g.width() + iw];
                                gradInput[gradInputOff + in + ih * g.width() + iw] +=
                                        scale * (square ? v : (float) Math.pow(v, normType - 1));
                            }
                        }
                    }
                }
            }
        });
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
        int planes = batch * channels;
        int per = Math.max(1, CHUNK_ELEMENTS / inPlane);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            for (int p = chunk * per; p < Math.min(planes, (chunk + 1) * per); p++) {
                for (int oh = 0; oh < outHeight; oh++) {
                    int h0 = PoolArgs.adaptiveStart(oh, height, outHeight);
                    int h1 = PoolArgs.adaptiveEnd(oh, height, outHeight);
                    for (int ow = 0; ow < outWidth; ow++) {
                        int w0 = PoolArgs.adaptiveStart(ow, width, outWidth);
                        int w1 = PoolArgs.adaptiveEnd(ow, width, outWidth);
                        float sum = 0f;
                        for (int ih = h0; ih < h1; ih++) {
                            sum += rowSum(x, xOff + p * inPlane + ih * width + w0, w1 - w0);
                        }
                        y[yOff + p * outPlane + oh * outWidth + ow] = sum / ((h1 - h0) * (w1 - w0));
                    }
                }
            }
        });
    }

    /** Gradient of {@link #adaptiveAvgForward}: each output's gradient spread evenly over its window (overwritten). */
    public static void adaptiveAvgBackward(float[] grad, int gradOff, float[] gradInput, int gradInputOff, int batch,
                                           int channels, int height, int width, int outHeight, int outWidth) {
        PoolArgs.resize("adaptive_avg_pool2d", gradInput.length, gradInputOff, grad.length, gradOff, batch, channels,
                height, width, outHeight, outWidth);
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        int planes = batch * channels;
        int per = Math.max(1, CHUNK_ELEMENTS / inPlane);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            int first = chunk * per;
            int last = Math.min(planes, (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * inPlane, gradInputOff + last * inPlane, 0f);
            for (int p = first; p < last; p++) {
                for (int oh = 0; oh < outHeight; oh++) {
                    int h0 = PoolArgs.adaptiveStart(oh, height, outHeight);
                    int h1 = PoolArgs.adaptiveEnd(oh, height, outHeight);
                    for (int ow = 0; ow < outWidth; ow++) {
                        int w0 = PoolArgs.adaptiveStart(ow, width, outWidth);
                        int w1 = PoolArgs.adaptiveEnd(ow, width, outWidth);
                        float share = grad[gradOff + p * outPlane + oh * outWidth + ow] / ((h1 - h0) * (w1 - w0));
                        for (int ih = h0; ih < h1; ih++) {
                            int row = gradInputOff + p * inPlane + ih * width;
                            for (int iw = w0; iw < w1; iw++) {
                                gradInput[row + iw] += share;
                            }
                        }
                    }
                }
            }
        });
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

    /**
     * LF outputs (fewer with {@code masks}) of a 2x2 stride-2 max pool from two input rows: even and odd columns are
     * split by a two-vector shuffle, then the four candidates are compared in scan order, so ties keep the
     * first. A short group (a narrow plane, the row's end) uses masked loads; its store is whole (the extra
     * lanes are overwritten by the next rows) unless it would reach past the plane ({@code lastRow}).
     */
    private static void maxHalving(float[] x, int plane, int width, int oh, int ow, VectorMask<Float>[] masks,
                                   boolean lastRow, float[] y, int yAt, int[] argmax, int argmaxAt) {
        int top = plane + 2 * oh * width + 2 * ow;
        FloatVector a;
        FloatVector b;
        FloatVector c;
        FloatVector d;
        if (masks == null) {
            a = FloatVector.fromArray(SF, x, top);
            b = FloatVector.fromArray(SF, x, top + LF);
            c = FloatVector.fromArray(SF, x, top + width);
            d = FloatVector.fromArray(SF, x, top + width + LF);
        } else {
            a = FloatVector.fromArray(SF, x, top, masks[0]);
            b = FloatVector.fromArray(SF, x, top + LF, masks[1]);
            c = FloatVector.fromArray(SF, x, top + width, masks[0]);
            d = FloatVector.fromArray(SF, x, top + width + LF, masks[1]);
        }
        FloatVector best = a.rearrange(EVEN_F, b);
        IntVector which = IntVector.zero(SIF);
        FloatVector next = a.rearrange(ODD_F, b);
        VectorMask<Float> wins = wins(next, best);
        best = best.blend(next, wins);
        which = which.blend(1, wins.cast(SIF));
        next = c.rearrange(EVEN_F, d);
        wins = wins(next, best);
        best = best.blend(next, wins);
        which = which.blend(width, wins.cast(SIF));
        next = c.rearrange(ODD_F, d);
        wins = wins(next, best);
        best = best.blend(next, wins);
        which = which.blend(width + 1, wins.cast(SIF));
        // flat index of the window's top-left cell, plus the offset of the winning candidate
        IntVector where = which.add(IntVector.fromArray(SIF, IOTA_TIMES_TWO, 0)).add(2 * oh * width + 2 * ow);
        if (masks == null || !lastRow) {
            best.intoArray(y, yAt);
            where.intoArray(argmax, argmaxAt);
        } else {
            best.intoArray(y, yAt, masks[2]);
            where.intoArray(argmax, argmaxAt, masks[2].cast(SIF));
        }
    }

    /**
     * Masks of a group of {@code count < LF} outputs of the 2x2 stride-2 path: the first and second input
     * vector of a row pair, and the outputs.
     */
    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] halvingMasks(int count) {
        return new VectorMask[] {SF.indexInRange(0, 2 * count), SF.indexInRange(LF, 2 * count),
                SF.indexInRange(0, count)};
    }

    /** Lanes where a later candidate replaces the current best: larger, or NaN over a number. */
    private static VectorMask<Float> wins(FloatVector candidate, FloatVector best) {
        return candidate.compare(LE, best).not().and(best.compare(EQ, best));
    }

    private static void avgHalving(float[] x, int plane, int width, int oh, int ow, VectorMask<Float>[] masks,
                                   boolean lastRow, float[] y, int yAt) {
        int top = plane + 2 * oh * width + 2 * ow;
        FloatVector a;
        FloatVector b;
        FloatVector c;
        FloatVector d;
        if (masks == null) {
            a = FloatVector.fromArray(SF, x, top);
            b = FloatVector.fromArray(SF, x, top + LF);
            c = FloatVector.fromArray(SF, x, top + width);
            d = FloatVector.fromArray(SF, x, top + width + LF);
        } else {
            a = FloatVector.fromArray(SF, x, top, masks[0]);
            b = FloatVector.fromArray(SF, x, top + LF, masks[1]);
            c = FloatVector.fromArray(SF, x, top + width, masks[0]);
            d = FloatVector.fromArray(SF, x, top + width + LF, masks[1]);
        }
        FloatVector mean = a.rearrange(EVEN_F, b).add(a.rearrange(ODD_F, b)).add(c.rearrange(EVEN_F, d))
                .add(c.rearrange(ODD_F, d)).div(4f);
        if (masks == null || !lastRow) {
            mean.intoArray(y, yAt);
        } else {
            mean.intoArray(y, yAt, masks[2]);
        }
    }

    /** One output of a max pool with any window, in the scan order and NaN rule of the vector path. */
    private static void maxAt(float[] x, int plane, PoolGeometry g, int oh, int ow, float[] y, int yAt, int[] argmax,
                              int argmaxAt) {
        PoolSpec s = g.spec();
        int h0 = oh * s.strideHeight() - s.padHeight();
        int w0 = ow * s.strideWidth() - s.padWidth();
        int h1 = Math.min(h0 + s.kernelHeight(), g.height());
        int w1 = Math.min(w0 + s.kernelWidth(), g.width());
        float best = 0f;
        int where = -1;
        for (int ih = Math.max(h0, 0); ih < h1; ih++) {
            for (int iw = Math.max(w0, 0); iw < w1; iw++) {
                float v = x[plane + ih * g.width() + iw];
                if (where < 0 || v > best || (v != v && best == best)) {
                    best = v;
                    where = ih * g.width() + iw;
                }
            }
        }
        y[yAt] = best;
        argmax[argmaxAt] = where;
    }

    private static float rowSum(float[] x, int from, int n) {
        FloatVector acc = FloatVector.zero(SF);
        int i = 0;
        for (int bound = SF.loopBound(n); i < bound; i += LF) {
            acc = acc.add(FloatVector.fromArray(SF, x, from + i));
        }
        float sum = Simd.sumLanes(acc);
        for (; i < n; i++) {
            sum += x[from + i];
        }
        return sum;
    }

    // ------------------------------------------------------------------------------------------------ float64

    /** Float64 overload. */
    public static void maxForward(double[] x, int xOff, double[] y, int yOff, int[] argmax, int argmaxOff,
                                  PoolGeometry g) {
        PoolArgs.forward("max_pool2d", x.length, xOff, y.length, yOff, g);
        KernelArgs.fits("max_pool2d", "argmax", argmax.length, argmaxOff, g.outputSize());
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int per = planesPerChunk(g);
        boolean halving = halving(g.spec());
        // Every row ends with the same short group: its masks are made once per call.
        int shortGroup = Math.min(g.outWidth(), g.width() / 2) % LD;
        VectorMask<Double>[] masks = halvingMasksD(shortGroup);
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            for (int p = chunk * per; p < Math.min(g.planes(), (chunk + 1) * per); p++) {
                int in = xOff + p * inPlane;
                int out = p * outPlane;
                int rows = 0;
                int cols = 0;
                if (halving) {
                    rows = Math.min(g.outHeight(), g.height() / 2);
                    cols = Math.min(g.outWidth(), g.width() / 2);
                    for (int oh = 0; oh < rows; oh++) {
                        for (int ow = 0; ow < cols; ow += LD) {
                            // a short group is loaded through masks; its extra output lanes spill into the
                            // next rows, written later, unless they would reach past the plane
                            maxHalving(x, in, g.width(), oh, ow, ow + LD <= cols ? null : masks,
                                    oh * g.outWidth() + ow + LD > outPlane, y,
                                    yOff + out + oh * g.outWidth() + ow, argmax, argmaxOff + out + oh * g.outWidth() + ow);
                        }
                    }
                }
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = oh < rows ? cols : 0; ow < g.outWidth(); ow++) {
                        maxAt(x, in, g, oh, ow, y, yOff + out + oh * g.outWidth() + ow, argmax,
                                argmaxOff + out + oh * g.outWidth() + ow);
                    }
                }
            }
        });
    }

    /** Float64 overload. */
    public static void maxBackward(double[] grad, int gradOff, int[] argmax, int argmaxOff, double[] gradInput,
                                   int gradInputOff, PoolGeometry g) {
        PoolArgs.backward("max_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        KernelArgs.fits("max_pool2d", "argmax", argmax.length, argmaxOff, g.outputSize());
        PoolArgs.argmaxInRange("max_pool2d", argmax, argmaxOff, g);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int per = planesPerChunk(g);
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            int first = chunk * per;
            int last = Math.min(g.planes(), (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * inPlane, gradInputOff + last * inPlane, 0.0);
            for (int p = first; p < last; p++) {
                int in = gradInputOff + p * inPlane;
                int out = p * outPlane;
                for (int o = 0; o < outPlane; o++) {
                    gradInput[in + argmax[argmaxOff + out + o]] += grad[gradOff + out + o];
                }
            }
        });
    }

    /** Float64 overload. */
    public static void avgForward(double[] x, int xOff, double[] y, int yOff, PoolGeometry g,
                                  boolean countIncludePad) {
        PoolArgs.forward("avg_pool2d", x.length, xOff, y.length, yOff, g);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int per = planesPerChunk(g);
        boolean halving = halving(g.spec());
        int shortGroup = Math.min(g.outWidth(), g.width() / 2) % LD;
        VectorMask<Double>[] masks = halvingMasksD(shortGroup);
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            for (int p = chunk * per; p < Math.min(g.planes(), (chunk + 1) * per); p++) {
                int in = xOff + p * inPlane;
                int out = yOff + p * outPlane;
                int rows = 0;
                int cols = 0;
                if (halving) {
                    rows = Math.min(g.outHeight(), g.height() / 2);
                    cols = Math.min(g.outWidth(), g.width() / 2);
                    for (int oh = 0; oh < rows; oh++) {
                        for (int ow = 0; ow < cols; ow += LD) {
                            avgHalving(x, in, g.width(), oh, ow, ow + LD <= cols ? null : masks,
                                    oh * g.outWidth() + ow + LD > outPlane, y,
                                    out + oh * g.outWidth() + ow);
                        }
                    }
                }
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = oh < rows ? cols : 0; ow < g.outWidth(); ow++) {
                        int[] w = PoolArgs.window(g, oh, ow, countIncludePad);
                        double sum = 0.0;
                        for (int ih = w[0]; ih < w[1]; ih++) {
                            for (int iw = w[2]; iw < w[3]; iw++) {
                                sum += x[in + ih * g.width() + iw];
                            }
                        }
                        y[out + oh * g.outWidth() + ow] = sum / w[4];
                    }
                }
            }
        });
    }

    /** Float64 overload. */
    public static void avgBackward(double[] grad, int gradOff, double[] gradInput, int gradInputOff, PoolGeometry g,
                                   boolean countIncludePad) {
        PoolArgs.backward("avg_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int per = planesPerChunk(g);
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            int first = chunk * per;
            int last = Math.min(g.planes(), (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * inPlane, gradInputOff + last * inPlane, 0.0);
            for (int p = first; p < last; p++) {
                int in = gradInputOff + p * inPlane;
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = 0; ow < g.outWidth(); ow++) {
                        int[] w = PoolArgs.window(g, oh, ow, countIncludePad);
                        double share = grad[gradOff + p * outPlane + oh * g.outWidth() + ow] / w[4];
                        for (int ih = w[0]; ih < w[1]; ih++) {
                            for (int iw = w[2]; iw < w[3]; iw++) {
                                gradInput[in + ih * g.width() + iw] += share;
                            }
                        }
                    }
                }
            }
        });
    }

    /** Float64 overload. */
    public static void lpForward(double[] x, int xOff, double[] y, int yOff, PoolGeometry g, double normType) {
        PoolArgs.forward("lp_pool2d", x.length, xOff, y.length, yOff, g);
        PoolArgs.normType("lp_pool2d", normType);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int per = planesPerChunk(g);
        boolean square = normType == 2;
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            for (int p = chunk * per; p < Math.min(g.planes(), (chunk + 1) * per); p++) {
                int in = xOff + p * inPlane;
                int out = yOff + p * outPlane;
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = 0; ow < g.outWidth(); ow++) {
                        int[] w = PoolArgs.window(g, oh, ow, false);
                        double sum = 0.0;
                        for (int ih = w[0]; ih < w[1]; ih++) {
                            for (int iw = w[2]; iw < w[3]; iw++) {
                                double v = x[in + ih * g.width() + iw];
                                sum += square ? v * v : Math.pow(v, normType);
                            }
                        }
                        y[out + oh * g.outWidth() + ow] = sum == 0 ? 0.0
                                : square ? Math.sqrt(sum) : Math.pow(sum, 1 / normType);
                    }
                }
            }
        });
    }

    /** Float64 overload. */
    public static void lpBackward(double[] x, int xOff, double[] y, int yOff, double[] grad, int gradOff,
                                  double[] gradInput, int gradInputOff, PoolGeometry g, double normType) {
        PoolArgs.forward("lp_pool2d", x.length, xOff, y.length, yOff, g);
        PoolArgs.backward("lp_pool2d", grad.length, gradOff, gradInput.length, gradInputOff, g);
        PoolArgs.normType("lp_pool2d", normType);
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int per = planesPerChunk(g);
        boolean square = normType == 2;
        Parallel.forEach(Parallel.chunks(g.planes(), per), chunk -> {
            int first = chunk * per;
            int last = Math.min(g.planes(), (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * inPlane, gradInputOff + last * inPlane, 0.0);
            for (int p = first; p < last; p++) {
                int in = p * inPlane;
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = 0; ow < g.outWidth(); ow++) {
                        int o = p * outPlane + oh * g.outWidth() + ow;
                        double out = y[yOff + o];
                        if (out == 0) {
                            continue; // the convention at an all-zero window: no gradient
                        }
                        double scale = grad[gradOff + o] / (square ? out : Math.pow(out, normType - 1));
                        int[] w = PoolArgs.window(g, oh, ow, false);
                        for (int ih = w[0]; ih < w[1]; ih++) {
                            for (int iw = w[2]; iw < w[3]; iw++) {
                                double v = x[xOff + in + ih * g.width() + iw];
                                gradInput[gradInputOff + in + ih * g.width() + iw] +=
                                        scale * (square ? v : Math.pow(v, normType - 1));
                            }
                        }
                    }
                }
            }
        });
    }

    /** Float64 overload. */
    public static void adaptiveAvgForward(double[] x, int xOff, double[] y, int yOff, int batch, int channels,
                                          int height, int width, int outHeight, int outWidth) {
        PoolArgs.resize("adaptive_avg_pool2d", x.length, xOff, y.length, yOff, batch, channels, height, width,
                outHeight, outWidth);
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        int planes = batch * channels;
        int per = Math.max(1, CHUNK_ELEMENTS / inPlane);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            for (int p = chunk * per; p < Math.min(planes, (chunk + 1) * per); p++) {
                for (int oh = 0; oh < outHeight; oh++) {
                    int h0 = PoolArgs.adaptiveStart(oh, height, outHeight);
                    int h1 = PoolArgs.adaptiveEnd(oh, height, outHeight);
                    for (int ow = 0; ow < outWidth; ow++) {
                        int w0 = PoolArgs.adaptiveStart(ow, width, outWidth);
                        int w1 = PoolArgs.adaptiveEnd(ow, width, outWidth);
                        double sum = 0.0;
                        for (int ih = h0; ih < h1; ih++) {
                            sum += rowSum(x, xOff + p * inPlane + ih * width + w0, w1 - w0);
                        }
                        y[yOff + p * outPlane + oh * outWidth + ow] = sum / ((h1 - h0) * (w1 - w0));
                    }
                }
            }
        });
    }

    /** Float64 overload. */
    public static void adaptiveAvgBackward(double[] grad, int gradOff, double[] gradInput, int gradInputOff, int batch,
                                           int channels, int height, int width, int outHeight, int outWidth) {
        PoolArgs.resize("adaptive_avg_pool2d", gradInput.length, gradInputOff, grad.length, gradOff, batch, channels,
                height, width, outHeight, outWidth);
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        int planes = batch * channels;
        int per = Math.max(1, CHUNK_ELEMENTS / inPlane);
        Parallel.forEach(Parallel.chunks(planes, per), chunk -> {
            int first = chunk * per;
            int last = Math.min(planes, (chunk + 1) * per);
            java.util.Arrays.fill(gradInput, gradInputOff + first * inPlane, gradInputOff + last * inPlane, 0.0);
            for (int p = first; p < last; p++) {
                for (int oh = 0; oh < outHeight; oh++) {
                    int h0 = PoolArgs.adaptiveStart(oh, height, outHeight);
                    int h1 = PoolArgs.adaptiveEnd(oh, height, outHeight);
                    for (int ow = 0; ow < outWidth; ow++) {
                        int w0 = PoolArgs.adaptiveStart(ow, width, outWidth);
                        int w1 = PoolArgs.adaptiveEnd(ow, width, outWidth);
                        double share = grad[gradOff + p * outPlane + oh * outWidth + ow] / ((h1 - h0) * (w1 - w0));
                        for (int ih = h0; ih < h1; ih++) {
                            int row = gradInputOff + p * inPlane + ih * width;
                            for (int iw = w0; iw < w1; iw++) {
                                gradInput[row + iw] += share;
                            }
                        }
                    }
                }
            }
        });
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

    /**
     * LD outputs (fewer with {@code masks}) of a 2x2 stride-2 max pool from two input rows: even and odd columns are
     * split by a two-vector shuffle, then the four candidates are compared in scan order, so ties keep the
     * first. A short group (a narrow plane, the row's end) uses masked loads; its store is whole (the extra
     * lanes are overwritten by the next rows) unless it would reach past the plane ({@code lastRow}).
     */
    private static void maxHalving(double[] x, int plane, int width, int oh, int ow, VectorMask<Double>[] masks,
                                   boolean lastRow, double[] y, int yAt, int[] argmax, int argmaxAt) {
        int top = plane + 2 * oh * width + 2 * ow;
        DoubleVector a;
        DoubleVector b;
        DoubleVector c;
        DoubleVector d;
        if (masks == null) {
            a = DoubleVector.fromArray(SD, x, top);
            b = DoubleVector.fromArray(SD, x, top + LD);
            c = DoubleVector.fromArray(SD, x, top + width);
            d = DoubleVector.fromArray(SD, x, top + width + LD);
        } else {
            a = DoubleVector.fromArray(SD, x, top, masks[0]);
            b = DoubleVector.fromArray(SD, x, top + LD, masks[1]);
            c = DoubleVector.fromArray(SD, x, top + width, masks[0]);
            d = DoubleVector.fromArray(SD, x, top + width + LD, masks[1]);
        }
        DoubleVector best = a.rearrange(EVEN_D, b);
        IntVector which = IntVector.zero(SID);
        DoubleVector next = a.rearrange(ODD_D, b);
        VectorMask<Double> wins = wins(next, best);
        best = best.blend(next, wins);
        which = which.blend(1, wins.cast(SID));
        next = c.rearrange(EVEN_D, d);
        wins = wins(next, best);
        best = best.blend(next, wins);
        which = which.blend(width, wins.cast(SID));
        next = c.rearrange(ODD_D, d);
        wins = wins(next, best);
        best = best.blend(next, wins);
        which = which.blend(width + 1, wins.cast(SID));
        // flat index of the window's top-left cell, plus the offset of the winning candidate
        IntVector where = which.add(IntVector.fromArray(SID, IOTA_TIMES_TWO_D, 0)).add(2 * oh * width + 2 * ow);
        if (masks == null || !lastRow) {
            best.intoArray(y, yAt);
            where.intoArray(argmax, argmaxAt);
        } else {
            best.intoArray(y, yAt, masks[2]);
            where.intoArray(argmax, argmaxAt, masks[2].cast(SID));
        }
    }

    /**
     * Masks of a group of {@code count < LD} outputs of the 2x2 stride-2 path: the first and second input
     * vector of a row pair, and the outputs.
     */
    @SuppressWarnings("unchecked")
    private static VectorMask<Double>[] halvingMasksD(int count) {
        return new VectorMask[] {SD.indexInRange(0, 2 * count), SD.indexInRange(LD, 2 * count),
                SD.indexInRange(0, count)};
    }

    /** Lanes where a later candidate replaces the current best: larger, or NaN over a number. */
    private static VectorMask<Double> wins(DoubleVector candidate, DoubleVector best) {
        return candidate.compare(LE, best).not().and(best.compare(EQ, best));
    }

    private static void avgHalving(double[] x, int plane, int width, int oh, int ow, VectorMask<Double>[] masks,
                                   boolean lastRow, double[] y, int yAt) {
        int top = plane + 2 * oh * width + 2 * ow;
        DoubleVector a;
        DoubleVector b;
        DoubleVector c;
        DoubleVector d;
        if (masks == null) {
            a = DoubleVector.fromArray(SD, x, top);
            b = DoubleVector.fromArray(SD, x, top + LD);
            c = DoubleVector.fromArray(SD, x, top + width);
            d = DoubleVector.fromArray(SD, x, top + width + LD);
        } else {
            a = DoubleVector.fromArray(SD, x, top, masks[0]);
            b = DoubleVector.fromArray(SD, x, top + LD, masks[1]);
            c = DoubleVector.fromArray(SD, x, top + width, masks[0]);
            d = DoubleVector.fromArray(SD, x, top + width + LD, masks[1]);
        }
        DoubleVector mean = a.rearrange(EVEN_D, b).add(a.rearrange(ODD_D, b)).add(c.rearrange(EVEN_D, d))
                .add(c.rearrange(ODD_D, d)).div(4.0);
        if (masks == null || !lastRow) {
            mean.intoArray(y, yAt);
        } else {
            mean.intoArray(y, yAt, masks[2]);
        }
    }

    /** One output of a max pool with any window, in the scan order and NaN rule of the vector path. */
    private static void maxAt(double[] x, int plane, PoolGeometry g, int oh, int ow, double[] y, int yAt, int[] argmax,
                              int argmaxAt) {
        PoolSpec s = g.spec();
        int h0 = oh * s.strideHeight() - s.padHeight();
        int w0 = ow * s.strideWidth() - s.padWidth();
        int h1 = Math.min(h0 + s.kernelHeight(), g.height());
        int w1 = Math.min(w0 + s.kernelWidth(), g.width());
        double best = 0.0;
        int where = -1;
        for (int ih = Math.max(h0, 0); ih < h1; ih++) {
            for (int iw = Math.max(w0, 0); iw < w1; iw++) {
                double v = x[plane + ih * g.width() + iw];
                if (where < 0 || v > best || (v != v && best == best)) {
                    best = v;
                    where = ih * g.width() + iw;
                }
            }
        }
        y[yAt] = best;
        argmax[argmaxAt] = where;
    }

    private static double rowSum(double[] x, int from, int n) {
        DoubleVector acc = DoubleVector.zero(SD);
        int i = 0;
        for (int bound = SD.loopBound(n); i < bound; i += LD) {
            acc = acc.add(DoubleVector.fromArray(SD, x, from + i));
        }
        double sum = Simd.sumLanes(acc);
        for (; i < n; i++) {
            sum += x[from + i];
        }
        return sum;
    }

    private static boolean halving(PoolSpec s) {
        return s.kernelHeight() == 2 && s.kernelWidth() == 2 && s.strideHeight() == 2 && s.strideWidth() == 2
                && s.padHeight() == 0 && s.padWidth() == 0;
    }

    private static int planesPerChunk(PoolGeometry g) {
        return Math.max(1, CHUNK_ELEMENTS / (g.height() * g.width()));
    }

    private static int[] iotaTimesTwo(int lanes) {
        int[] values = new int[lanes];
        for (int i = 0; i < lanes; i++) {
            values[i] = 2 * i;
        }
        return values;
    }
}
