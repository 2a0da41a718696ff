package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** Direct stride-1 weight gradient of {@link ConvKernels}, float64. */
final class ConvWeightGradF64 {
    private static final VectorSpecies<Double> SD = Simd.F64;
    private static final int LD = SD.length();

    private ConvWeightGradF64() {}

    static void gradWeight(double[] input, int inputOff, double[] gradOutput, int gradOutputOff,
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
        Parallel.forEach(g.batch(), n -> ConvPlanes.padPlanes(input, inputOff + n * channels * inPlane, channels, g.height(),
                g.width(), 1, 1, padded, n * channels * planeLen, planeLen, hp, wp, s.padTop(), s.padLeft()));
        java.util.Arrays.fill(padded, g.batch() * channels * planeLen, g.batch() * channels * planeLen + LD, 0.0);
        // 3x3 kernels take every tap of 2 output channels in one pass over the batch (18 accumulators), so
        // each gradient row is read once; other kernels run 4 channels x 3 columns per kernel row.
        boolean nineTaps = g.kernelHeight() * g.kernelWidth() == 9 && g.kernelWidth() == 3;
        int width = nineTaps ? 2 : 4;
        int blocks = ConvPlanes.ceilDiv(opg, width);
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

}
