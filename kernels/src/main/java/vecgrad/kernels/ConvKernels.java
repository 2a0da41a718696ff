package vecgrad.kernels;

/**
 * 2-D convolution on NCHW tensors, float32 and float64, multi-threaded: forward, gradient with respect to
 * the input, the weight and the bias, and the transposed convolution (conv_transpose2d) built from the
 * same passes. SIMD twin of {@link ConvReference}, with identical public signatures.
 *
 * <p>Sizes come from a {@link ConvGeometry} ({@link ConvShapes#conv2d}); every array is followed by its
 * offset, and outputs are overwritten. How each pass is computed is decided in {@link ConvPlan}; the
 * passes live in {@link ConvDirectF32} / {@link ConvDirectF64} (direct forward and input gradient),
 * {@link ConvBlockedF32} (float32 direct passes with output channels in the vector lanes),
 * {@link ConvWeightGradF32} / {@link ConvWeightGradF64} (direct weight gradient) and {@link ConvIm2col}
 * (im2col + GEMM, any stride). Work is cut into chunks fixed by the geometry, and every sum runs in a fixed
 * order, so results are bit-identical for any thread count.
 */
public final class ConvKernels {
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
        switch (ConvPlan.choose(g, ConvPlan.Pass.FORWARD)) {
            case DIRECT -> ConvDirectF32.forward(input, inputOff, weight, weightOff, bias, biasOff, output, outputOff, g);
            case BLOCKED -> ConvBlockedF32.forward(input, inputOff, weight, weightOff, bias, biasOff, output, outputOff, g);
            case IM2COL_GEMM -> ConvIm2col.forward(input, inputOff, weight, weightOff, bias, biasOff, output, outputOff, g);
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
        switch (ConvPlan.choose(g, ConvPlan.Pass.GRAD_INPUT)) {
            case DIRECT -> ConvDirectF32.gradInput(gradOutput, gradOutputOff, weight, weightOff, gradInput, gradInputOff, g);
            case BLOCKED -> ConvBlockedF32.gradInput(gradOutput, gradOutputOff, weight, weightOff, gradInput, gradInputOff,
                    g);
            case IM2COL_GEMM -> ConvIm2col.gradInput(gradOutput, gradOutputOff, weight, weightOff, gradInput, gradInputOff,
                    g);
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
        ConvPlan.Algorithm algorithm = ConvPlan.choose(g, ConvPlan.Pass.GRAD_WEIGHT);
        if (algorithm == ConvPlan.Algorithm.DIRECT) {
            ConvWeightGradF32.gradWeight(input, inputOff, gradOutput, gradOutputOff, gradWeight, gradWeightOff, g);
        } else if (algorithm == ConvPlan.Algorithm.BLOCKED) {
            ConvBlockedF32.gradWeight(input, inputOff, gradOutput, gradOutputOff, gradWeight, gradWeightOff, g);
        } else {
            ConvIm2col.gradWeight(input, inputOff, gradOutput, gradOutputOff, gradWeight, gradWeightOff, g);
        }
    }

    /** {@code gradBias[co] = sum over n, oh, ow of gradOutput[n, co, oh, ow]}, {@code gradBias: [Cout]} (overwritten). */
    public static void gradBias(float[] gradOutput, int gradOutputOff, float[] gradBias, int gradBiasOff,
                                ConvGeometry g) {
        ConvArgs.geometry("conv2d", g);
        ConvPlanes.planeSums("conv2d", gradOutput, gradOutputOff, gradBias, gradBiasOff, g.batch(), g.outChannels(),
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
            ConvPlanes.addPlaneBias(output, outputOff, bias, biasOff, g.batch(), g.inChannels(), g.height() * g.width());
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
        ConvPlanes.planeSums("conv_transpose2d", gradOutput, gradOutputOff, gradBias, gradBiasOff, g.batch(), g.inChannels(),
                g.height() * g.width());
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
        if (ConvPlan.choose(g, ConvPlan.Pass.FORWARD) != ConvPlan.Algorithm.IM2COL_GEMM) {
            ConvDirectF64.forward(input, inputOff, weight, weightOff, bias, biasOff, output, outputOff, g);
        } else {
            ConvIm2col.forward(input, inputOff, weight, weightOff, bias, biasOff, output, outputOff, g);
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
        if (ConvPlan.choose(g, ConvPlan.Pass.GRAD_INPUT) != ConvPlan.Algorithm.IM2COL_GEMM) {
            ConvDirectF64.gradInput(gradOutput, gradOutputOff, weight, weightOff, gradInput, gradInputOff, g);
        } else {
            ConvIm2col.gradInput(gradOutput, gradOutputOff, weight, weightOff, gradInput, gradInputOff, g);
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
        if (ConvPlan.choose(g, ConvPlan.Pass.GRAD_WEIGHT) != ConvPlan.Algorithm.IM2COL_GEMM) {
            ConvWeightGradF64.gradWeight(input, inputOff, gradOutput, gradOutputOff, gradWeight, gradWeightOff, g);
        } else {
            ConvIm2col.gradWeight(input, inputOff, gradOutput, gradOutputOff, gradWeight, gradWeightOff, g);
        }
    }

    /** Float64 overload. */
    public static void gradBias(double[] gradOutput, int gradOutputOff, double[] gradBias, int gradBiasOff,
                                ConvGeometry g) {
        ConvArgs.geometry("conv2d", g);
        ConvPlanes.planeSums("conv2d", gradOutput, gradOutputOff, gradBias, gradBiasOff, g.batch(), g.outChannels(),
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
            ConvPlanes.addPlaneBias(output, outputOff, bias, biasOff, g.batch(), g.inChannels(), g.height() * g.width());
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
        ConvPlanes.planeSums("conv_transpose2d", gradOutput, gradOutputOff, gradBias, gradBiasOff, g.batch(), g.inChannels(),
                g.height() * g.width());
    }
}
