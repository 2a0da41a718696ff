package vecgrad.kernels;

/**
 * The im2col + GEMM passes of {@link ConvKernels}, float32 and float64: any stride, padding, dilation and
 * groups. The input is unfolded into columns {@code [C/G * kh * kw, OH * OW]} per image and group and
 * multiplied with {@link GemmKernels}; the input gradient folds the columns back (col2im).
 */
final class ConvIm2col {
    private ConvIm2col() {}

    static void forward(float[] input, int inputOff, float[] weight, int weightOff, float[] bias,
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

    static void gradInput(float[] gradOutput, int gradOutputOff, float[] weight, int weightOff,
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

    static void gradWeight(float[] input, int inputOff, float[] gradOutput, int gradOutputOff,
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


    static void forward(double[] input, int inputOff, double[] weight, int weightOff, double[] bias,
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

    static void gradInput(double[] gradOutput, int gradOutputOff, double[] weight, int weightOff,
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

    static void gradWeight(double[] input, int inputOff, double[] gradOutput, int gradOutputOff,
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

}
