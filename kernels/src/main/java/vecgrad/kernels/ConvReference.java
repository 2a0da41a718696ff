package vecgrad.kernels;

/**
 * Plain-loop twin of {@link ConvKernels}: same public signatures, no SIMD, no threads, every sum
 * accumulated in double in a fixed order. The oracle of the conv kernel properties.
 *
 * <p>Convolution here is PyTorch's cross-correlation (no kernel flip) on NCHW tensors: {@code
 * output[n, co, oh, ow] = bias[co] + sum over ci, kh, kw of input[n, g * C/G + ci, oh * sh + kh * dh - padTop,
 * ow * sw + kw * dw - padLeft] * weight[co, ci, kh, kw]} with zeros outside the input, where {@code g} is
 * the group of {@code co}.
 */
public final class ConvReference {
    private ConvReference() {}

    /** {@code output = conv2d(input, weight) + bias}; see {@link ConvKernels#forward(float[], int, float[], int, float[], int, float[], int, ConvGeometry)}. */
    public static void forward(float[] input, int inputOff, float[] weight, int weightOff, float[] bias, int biasOff,
                               float[] output, int outputOff, ConvGeometry g) {
        ConvArgs.forward("conv2d", input.length, inputOff, weight.length, weightOff, bias != null,
                bias == null ? 0 : bias.length, biasOff, output.length, outputOff, g);
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        for (int n = 0; n < g.batch(); n++) {
            for (int co = 0; co < g.outChannels(); co++) {
                int group = co / opg;
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = 0; ow < g.outWidth(); ow++) {
                        double sum = bias == null ? 0 : bias[biasOff + co];
                        for (int ci = 0; ci < cpg; ci++) {
                            int c = group * cpg + ci;
                            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                                int ih = oh * s.strideHeight() + kh * s.dilationHeight() - s.padTop();
                                if (ih < 0 || ih >= g.height()) {
                                    continue;
                                }
                                for (int kw = 0; kw < g.kernelWidth(); kw++) {
                                    int iw = ow * s.strideWidth() + kw * s.dilationWidth() - s.padLeft();
                                    if (iw < 0 || iw >= g.width()) {
                                        continue;
                                    }
                                    sum += (double) input[inputOff + ((n * g.inChannels() + c) * g.height() + ih)
                                            * g.width() + iw]
                                            * weight[weightOff + ((co * cpg + ci) * g.kernelHeight() + kh)
                                            * g.kernelWidth() + kw];
                                }
                            }
                        }
                        output[outputOff + ((n * g.outChannels() + co) * g.outHeight() + oh) * g.outWidth() + ow] =
                                (float) sum;
                    }
                }
            }
        }
    }

    /** {@code gradInput = dL/dinput} of conv2d (overwritten); see {@link ConvKernels#gradInput(float[], int, float[], int, float[], int, ConvGeometry)}. */
    public static void gradInput(float[] gradOutput, int gradOutputOff, float[] weight, int weightOff,
                                 float[] gradInput, int gradInputOff, ConvGeometry g) {
        ConvArgs.gradInput("conv2d", gradOutput.length, gradOutputOff, weight.length, weightOff, gradInput.length,
                gradInputOff, g);
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        for (int n = 0; n < g.batch(); n++) {
            for (int c = 0; c < g.inChannels(); c++) {
                int group = c / cpg;
                int ci = c - group * cpg;
                for (int ih = 0; ih < g.height(); ih++) {
                    for (int iw = 0; iw < g.width(); iw++) {
                        double sum = 0;
                        for (int kh = 0; kh < g.kernelHeight(); kh++) {
                            int rowNumerator = ih + s.padTop() - kh * s.dilationHeight();
                            if (rowNumerator < 0 || rowNumerator % s.strideHeight() != 0) {
                                continue;
                            }
                            int oh = rowNumerator / s.strideHeight();
                            if (oh >= g.outHeight()) {
                                continue;
                            }
                            for (int kw = 0; kw < g.kernelWidth(); kw++) {
                                int colNumerator = iw + s.padLeft() - kw * s.dilationWidth();
                                if (colNumerator < 0 || colNumerator % s.strideWidth() != 0) {
                                    continue;
                                }
                                int ow = colNumerator / s.strideWidth();
                                if (ow >= g.outWidth()) {
                                    continue;
                                }
                                for (int oi = 0; oi < opg; oi++) {
                                    int co = group * opg + oi;
                                    sum += (double) gradOutput[gradOutputOff + ((n * g.outChannels() + co)
                                            * g.outHeight() + oh) * g.outWidth() + ow]
                                            * weight[weightOff + ((co * cpg + ci) * g.kernelHeight() + kh)
                                            * g.kernelWidth() + kw];
                                }
                            }
                        }
                        gradInput[gradInputOff + ((n * g.inChannels() + c) * g.height() + ih) * g.width() + iw] =
                                (float) sum;
                    }
                }
            }
        }
    }

    /** {@code gradWeight = dL/dweight} of conv2d, summed over the batch (overwritten). */
    public static void gradWeight(float[] input, int inputOff, float[] gradOutput, int gradOutputOff,
                                  float[] gradWeight, int gradWeightOff, ConvGeometry g) {
        ConvArgs.gradWeight("conv2d", input.length, inputOff, gradOutput.length, gradOutputOff, gradWeight.length,
                gradWeightOff, g);
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        for (int co = 0; co < g.outChannels(); co++) {
            int group = co / opg;
            for (int ci = 0; ci < cpg; ci++) {
                int c = group * cpg + ci;
                for (int kh = 0; kh < g.kernelHeight(); kh++) {
                    for (int kw = 0; kw < g.kernelWidth(); kw++) {
                        double sum = 0;
                        for (int n = 0; n < g.batch(); n++) {
                            for (int oh = 0; oh < g.outHeight(); oh++) {
                                int ih = oh * s.strideHeight() + kh * s.dilationHeight() - s.padTop();
                                if (ih < 0 || ih >= g.height()) {
                                    continue;
                                }
                                for (int ow = 0; ow < g.outWidth(); ow++) {
                                    int iw = ow * s.strideWidth() + kw * s.dilationWidth() - s.padLeft();
                                    if (iw < 0 || iw >= g.width()) {
                                        continue;
                                    }
                                    sum += (double) input[inputOff + ((n * g.inChannels() + c) * g.height() + ih)
                                            * g.width() + iw]
                                            * gradOutput[gradOutputOff + ((n * g.outChannels() + co) * g.outHeight()
                                            + oh) * g.outWidth() + ow];
                                }
                            }
                        }
                        gradWeight[gradWeightOff + ((co * cpg + ci) * g.kernelHeight() + kh) * g.kernelWidth() + kw] =
                                (float) sum;
                    }
                }
            }
        }
    }

    /** {@code gradBias[co] = sum over n, oh, ow of gradOutput[n, co, oh, ow]} (overwritten). */
    public static void gradBias(float[] gradOutput, int gradOutputOff, float[] gradBias, int gradBiasOff,
                                ConvGeometry g) {
        ConvArgs.geometry("conv2d", g);
        planeSums("conv2d", gradOutput, gradOutputOff, gradBias, gradBiasOff, g.batch(), g.outChannels(),
                g.outHeight() * g.outWidth());
    }

    /**
     * conv_transpose2d forward: {@code output = gradInput of the convolution g applied to input} plus bias.
     * {@code input} has the convolution's output shape, {@code output} its input shape.
     */
    public static void transposeForward(float[] input, int inputOff, float[] weight, int weightOff, float[] bias,
                                        int biasOff, float[] output, int outputOff, ConvGeometry g) {
        ConvArgs.geometry("conv_transpose2d", g);
        if (bias != null) {
            KernelArgs.fits("conv_transpose2d", "bias", bias.length, biasOff, g.inChannels());
        }
        gradInput(input, inputOff, weight, weightOff, output, outputOff, g);
        if (bias != null) {
            int plane = g.height() * g.width();
            for (int n = 0; n < g.batch(); n++) {
                for (int c = 0; c < g.inChannels(); c++) {
                    int base = outputOff + (n * g.inChannels() + c) * plane;
                    for (int i = 0; i < plane; i++) {
                        output[base + i] = (float) ((double) output[base + i] + bias[biasOff + c]);
                    }
                }
            }
        }
    }

    /** conv_transpose2d: gradient for its input, which is the convolution g's forward of {@code gradOutput}. */
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

    private static void planeSums(String op, float[] x, int xOff, float[] sums, int sumsOff, int batch, int channels,
                                  int plane) {
        ConvArgs.gradBias(op, x.length, xOff, sums.length, sumsOff, batch * channels, channels, plane);
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                int base = xOff + (n * channels + c) * plane;
                for (int i = 0; i < plane; i++) {
                    sum += x[base + i];
                }
            }
            sums[sumsOff + c] = (float) sum;
        }
    }

    /** Float64 overload. */
    public static void forward(double[] input, int inputOff, double[] weight, int weightOff, double[] bias, int biasOff,
                               double[] output, int outputOff, ConvGeometry g) {
        ConvArgs.forward("conv2d", input.length, inputOff, weight.length, weightOff, bias != null,
                bias == null ? 0 : bias.length, biasOff, output.length, outputOff, g);
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        for (int n = 0; n < g.batch(); n++) {
            for (int co = 0; co < g.outChannels(); co++) {
                int group = co / opg;
                for (int oh = 0; oh < g.outHeight(); oh++) {
                    for (int ow = 0; ow < g.outWidth(); ow++) {
                        double sum = bias == null ? 0 : bias[biasOff + co];
                        for (int ci = 0; ci < cpg; ci++) {
                            int c = group * cpg + ci;
                            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                                int ih = oh * s.strideHeight() + kh * s.dilationHeight() - s.padTop();
                                if (ih < 0 || ih >= g.height()) {
                                    continue;
                                }
                                for (int kw = 0; kw < g.kernelWidth(); kw++) {
                                    int iw = ow * s.strideWidth() + kw * s.dilationWidth() - s.padLeft();
                                    if (iw < 0 || iw >= g.width()) {
                                        continue;
                                    }
                                    sum += input[inputOff + ((n * g.inChannels() + c) * g.height() + ih)
                                            * g.width() + iw]
                                            * weight[weightOff + ((co * cpg + ci) * g.kernelHeight() + kh)
                                            * g.kernelWidth() + kw];
                                }
                            }
                        }
                        output[outputOff + ((n * g.outChannels() + co) * g.outHeight() + oh) * g.outWidth() + ow] =
                                sum;
                    }
                }
            }
        }
    }

    /** Float64 overload. */
    public static void gradInput(double[] gradOutput, int gradOutputOff, double[] weight, int weightOff,
                                 double[] gradInput, int gradInputOff, ConvGeometry g) {
        ConvArgs.gradInput("conv2d", gradOutput.length, gradOutputOff, weight.length, weightOff, gradInput.length,
                gradInputOff, g);
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        for (int n = 0; n < g.batch(); n++) {
            for (int c = 0; c < g.inChannels(); c++) {
                int group = c / cpg;
                int ci = c - group * cpg;
                for (int ih = 0; ih < g.height(); ih++) {
                    for (int iw = 0; iw < g.width(); iw++) {
                        double sum = 0;
                        for (int kh = 0; kh < g.kernelHeight(); kh++) {
                            int rowNumerator = ih + s.padTop() - kh * s.dilationHeight();
                            if (rowNumerator < 0 || rowNumerator % s.strideHeight() != 0) {
                                continue;
                            }
                            int oh = rowNumerator / s.strideHeight();
                            if (oh >= g.outHeight()) {
                                continue;
                            }
                            for (int kw = 0; kw < g.kernelWidth(); kw++) {
                                int colNumerator = iw + s.padLeft() - kw * s.dilationWidth();
                                if (colNumerator < 0 || colNumerator % s.strideWidth() != 0) {
                                    continue;
                                }
                                int ow = colNumerator / s.strideWidth();
                                if (ow >= g.outWidth()) {
                                    continue;
                                }
                                for (int oi = 0; oi < opg; oi++) {
                                    int co = group * opg + oi;
                                    sum += gradOutput[gradOutputOff + ((n * g.outChannels() + co)
                                            * g.outHeight() + oh) * g.outWidth() + ow]
                                            * weight[weightOff + ((co * cpg + ci) * g.kernelHeight() + kh)
                                            * g.kernelWidth() + kw];
                                }
                            }
                        }
                        gradInput[gradInputOff + ((n * g.inChannels() + c) * g.height() + ih) * g.width() + iw] =
                                sum;
                    }
                }
            }
        }
    }

    /** Float64 overload. */
    public static void gradWeight(double[] input, int inputOff, double[] gradOutput, int gradOutputOff,
                                  double[] gradWeight, int gradWeightOff, ConvGeometry g) {
        ConvArgs.gradWeight("conv2d", input.length, inputOff, gradOutput.length, gradOutputOff, gradWeight.length,
                gradWeightOff, g);
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        for (int co = 0; co < g.outChannels(); co++) {
            int group = co / opg;
            for (int ci = 0; ci < cpg; ci++) {
                int c = group * cpg + ci;
                for (int kh = 0; kh < g.kernelHeight(); kh++) {
                    for (int kw = 0; kw < g.kernelWidth(); kw++) {
                        double sum = 0;
                        for (int n = 0; n < g.batch(); n++) {
                            for (int oh = 0; oh < g.outHeight(); oh++) {
                                int ih = oh * s.strideHeight() + kh * s.dilationHeight() - s.padTop();
                                if (ih < 0 || ih >= g.height()) {
                                    continue;
                                }
                                for (int ow = 0; ow < g.outWidth(); ow++) {
                                    int iw = ow * s.strideWidth() + kw * s.dilationWidth() - s.padLeft();
                                    if (iw < 0 || iw >= g.width()) {
                                        continue;
                                    }
                                    sum += input[inputOff + ((n * g.inChannels() + c) * g.height() + ih)
                                            * g.width() + iw]
                                            * gradOutput[gradOutputOff + ((n * g.outChannels() + co) * g.outHeight()
                                            + oh) * g.outWidth() + ow];
                                }
                            }
                        }
                        gradWeight[gradWeightOff + ((co * cpg + ci) * g.kernelHeight() + kh) * g.kernelWidth() + kw] =
                                sum;
                    }
                }
            }
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
            int plane = g.height() * g.width();
            for (int n = 0; n < g.batch(); n++) {
                for (int c = 0; c < g.inChannels(); c++) {
                    int base = outputOff + (n * g.inChannels() + c) * plane;
                    for (int i = 0; i < plane; i++) {
                        output[base + i] = (output[base + i] + bias[biasOff + c]);
                    }
                }
            }
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

    private static void planeSums(String op, double[] x, int xOff, double[] sums, int sumsOff, int batch, int channels,
                                  int plane) {
        ConvArgs.gradBias(op, x.length, xOff, sums.length, sumsOff, batch * channels, channels, plane);
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                int base = xOff + (n * channels + c) * plane;
                for (int i = 0; i < plane; i++) {
                    sum += x[base + i];
                }
            }
            sums[sumsOff + c] = sum;
        }
    }
}
