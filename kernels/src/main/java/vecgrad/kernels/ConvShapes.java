package vecgrad.kernels;

import java.util.Arrays;

/**
 * Output-size arithmetic of convolution, pooling and upsampling, in one place, with the error a user
 * needs when a shape does not fit. Every message names the op, all shapes and the broken rule, e.g.
 * {@code conv2d: input channels differ from weight channels; got input [2, 3, 8, 8], weight [4, 2, 3, 3]
 * with groups 1, expected input.shape[1] == weight.shape[1] * groups (3 != 2 * 1)}.
 *
 * <p>Sizes follow PyTorch: {@code out = floor((in + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1};
 * a 5x5 input with a 3x3 kernel, stride 1 and no padding gives 3x3; 300x200 with a valid 3x3 gives 298x198.
 */
public final class ConvShapes {
    private ConvShapes() {}

    /**
     * Output length of a convolution along one axis; zero or negative when the dilated kernel does not
     * fit in the padded input (callers report that as an error).
     */
    public static int outputSize(int input, int kernel, int stride, int padBefore, int padAfter, int dilation) {
        long span = (long) input + padBefore + padAfter - (long) dilation * (kernel - 1) - 1;
        return (int) (Math.floorDiv(span, stride) + 1);
    }

    /**
     * Output length of a pooling along one axis (PyTorch's {@code pooling_output_shape}): with
     * {@code ceilMode} the count rounds up, but a last window must start inside the input or its
     * leading padding, never entirely in the trailing padding.
     */
    public static int poolOutputSize(int input, int kernel, int stride, int pad, boolean ceilMode) {
        long span = (long) input + 2L * pad - kernel;
        long out = (ceilMode ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceilMode && out > 1 && (out - 1) * stride >= (long) input + pad) {
            out--;
        }
        return (int) out;
    }

    /** {@link #conv2d(String, int[], int[], ConvSpec)} for the op {@code conv2d}. */
    public static ConvGeometry conv2d(int[] inputShape, int[] weightShape, ConvSpec spec) {
        return conv2d("conv2d", inputShape, weightShape, spec);
    }

    /**
     * Checks a convolution of {@code input: [N, C, H, W]} with {@code weight: [Cout, C / groups, kh, kw]}
     * and returns its geometry.
     *
     * @throws IllegalArgumentException naming {@code op} and both shapes when the input is not 4-D, the
     *         channels or groups do not match, or the dilated kernel is larger than the padded input
     */
    public static ConvGeometry conv2d(String op, int[] inputShape, int[] weightShape, ConvSpec spec) {
        String shapes = "input " + Arrays.toString(inputShape) + ", weight " + Arrays.toString(weightShape);
        if (spec == null) {
            throw KernelArgs.fail(op, "spec is missing", shapes + " and no spec", "a ConvSpec");
        }
        String context = shapes + " with " + spec;
        rank(op, "input", inputShape, 4, context, "[batch, channels, height, width] (NCHW)");
        rank(op, "weight", weightShape, 4, context, "[outChannels, inChannels / groups, kernelHeight, kernelWidth]");
        positiveDims(op, "weight", weightShape, context);
        nonNegativeDims(op, "input", inputShape, context);
        int groups = spec.groups();
        int channels = inputShape[1];
        if (channels % groups != 0) {
            throw KernelArgs.fail(op, "groups do not divide the input channels", context,
                    "input.shape[1] % groups == 0 (" + channels + " % " + groups + " != 0)");
        }
        if (weightShape[0] % groups != 0) {
            throw KernelArgs.fail(op, "groups do not divide the output channels", context,
                    "weight.shape[0] % groups == 0 (" + weightShape[0] + " % " + groups + " != 0)");
        }
        if (channels != weightShape[1] * groups) {
            throw KernelArgs.fail(op, "input channels differ from weight channels", context,
                    "input.shape[1] == weight.shape[1] * groups (" + channels + " != " + weightShape[1] + " * "
                            + groups + ")");
        }
        if (inputShape[2] < 1 || inputShape[3] < 1 || channels < 1) {
            throw KernelArgs.fail(op, "empty image", context, "channels, height and width >= 1");
        }
        int outHeight = fitted(op, "height", inputShape[2], weightShape[2], spec.strideHeight(), spec.padTop(),
                spec.padBottom(), spec.dilationHeight(), context);
        int outWidth = fitted(op, "width", inputShape[3], weightShape[3], spec.strideWidth(), spec.padLeft(),
                spec.padRight(), spec.dilationWidth(), context);
        return new ConvGeometry(inputShape[0], channels, inputShape[2], inputShape[3], weightShape[0],
                weightShape[2], weightShape[3], spec, outHeight, outWidth);
    }

    /**
     * The user-facing form: PyTorch-style attribute arrays of length 2 ({@code [height, width]},
     * symmetric padding). Bad strides, paddings or dilations are reported with both shapes.
     */
    public static ConvGeometry conv2d(String op, int[] inputShape, int[] weightShape, int[] stride, int[] padding,
                                      int[] dilation, int groups) {
        String context = "input " + Arrays.toString(inputShape) + ", weight " + Arrays.toString(weightShape)
                + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", dilation "
                + Arrays.toString(dilation) + ", groups " + groups;
        pair(op, "stride", stride, 1, context);
        pair(op, "padding", padding, 0, context);
        pair(op, "dilation", dilation, 1, context);
        if (groups < 1) {
            throw KernelArgs.fail(op, "groups must be positive", context, "groups >= 1");
        }
        return conv2d(op, inputShape, weightShape, new ConvSpec(stride[0], stride[1], padding[0], padding[0],
                padding[1], padding[1], dilation[0], dilation[1], groups));
    }

    /**
     * Checks a transposed convolution of {@code input: [N, Cin, H, W]} with {@code weight: [Cin, Cout / groups,
     * kh, kw]} (PyTorch's layout) and returns the geometry of the <em>equivalent convolution</em>: the one
     * whose input is the transposed convolution's output {@code [N, Cout, Hout, Wout]} with
     * {@code Hout = (H - 1) * stride - padTop - padBottom + dilation * (kh - 1) + outputPadding + 1}, and
     * whose output is this op's input. {@code outputPadding} adds rows at the bottom (columns at the right)
     * and must be smaller than the stride.
     */
    public static ConvGeometry convTranspose2d(String op, int[] inputShape, int[] weightShape, ConvSpec spec,
                                               int outputPaddingHeight, int outputPaddingWidth) {
        String shapes = "input " + Arrays.toString(inputShape) + ", weight " + Arrays.toString(weightShape);
        if (spec == null) {
            throw KernelArgs.fail(op, "spec is missing", shapes + " and no spec", "a ConvSpec");
        }
        String context = shapes + " with " + spec + ", output padding [" + outputPaddingHeight + ", "
                + outputPaddingWidth + "]";
        rank(op, "input", inputShape, 4, context, "[batch, channels, height, width] (NCHW)");
        rank(op, "weight", weightShape, 4, context, "[inChannels, outChannels / groups, kernelHeight, kernelWidth]");
        positiveDims(op, "weight", weightShape, context);
        nonNegativeDims(op, "input", inputShape, context);
        int groups = spec.groups();
        if (inputShape[1] != weightShape[0]) {
            throw KernelArgs.fail(op, "input channels differ from weight channels", context,
                    "input.shape[1] == weight.shape[0] (" + inputShape[1] + " != " + weightShape[0] + ")");
        }
        if (inputShape[1] % groups != 0) {
            throw KernelArgs.fail(op, "groups do not divide the input channels", context,
                    "input.shape[1] % groups == 0 (" + inputShape[1] + " % " + groups + " != 0)");
        }
        if (inputShape[2] < 1 || inputShape[3] < 1) {
            throw KernelArgs.fail(op, "empty image", context, "height and width >= 1");
        }
        if (outputPaddingHeight < 0 || outputPaddingWidth < 0 || outputPaddingHeight >= spec.strideHeight()
                || outputPaddingWidth >= spec.strideWidth()) {
            throw KernelArgs.fail(op, "output padding out of range", context,
                    "0 <= output padding < stride per axis");
        }
        long outHeight = (long) (inputShape[2] - 1) * spec.strideHeight() - spec.padTop() - spec.padBottom()
                + (long) spec.dilationHeight() * (weightShape[2] - 1) + outputPaddingHeight + 1;
        long outWidth = (long) (inputShape[3] - 1) * spec.strideWidth() - spec.padLeft() - spec.padRight()
                + (long) spec.dilationWidth() * (weightShape[3] - 1) + outputPaddingWidth + 1;
        if (outHeight < 1 || outWidth < 1 || outHeight > Integer.MAX_VALUE || outWidth > Integer.MAX_VALUE) {
            throw KernelArgs.fail(op, "padding removes the whole output", context + " gives output "
                    + outHeight + "x" + outWidth, "an output of at least 1x1");
        }
        int outChannels = weightShape[1] * groups;
        return new ConvGeometry(inputShape[0], outChannels, (int) outHeight, (int) outWidth, inputShape[1],
                weightShape[2], weightShape[3], spec, inputShape[2], inputShape[3]);
    }

    /**
     * Checks a pooling of {@code input: [N, C, H, W]} and returns its geometry.
     *
     * @throws IllegalArgumentException naming {@code op} and the shape when the input is not 4-D or
     *         the window does not fit
     */
    public static PoolGeometry pool2d(String op, int[] inputShape, PoolSpec spec) {
        String context = "input " + Arrays.toString(inputShape) + " with " + spec;
        rank(op, "input", inputShape, 4, context, "[batch, channels, height, width] (NCHW)");
        nonNegativeDims(op, "input", inputShape, context);
        if (inputShape[2] < 1 || inputShape[3] < 1) {
            throw KernelArgs.fail(op, "empty image", context, "height and width >= 1");
        }
        int outHeight = poolOutputSize(inputShape[2], spec.kernelHeight(), spec.strideHeight(), spec.padHeight(),
                spec.ceilMode());
        int outWidth = poolOutputSize(inputShape[3], spec.kernelWidth(), spec.strideWidth(), spec.padWidth(),
                spec.ceilMode());
        if (outHeight < 1 || outWidth < 1) {
            throw KernelArgs.fail(op, "window larger than the padded input", context + " gives output " + outHeight
                    + "x" + outWidth, "kernel <= input + 2 * padding per axis");
        }
        return new PoolGeometry(inputShape[0], inputShape[1], inputShape[2], inputShape[3], spec, outHeight,
                outWidth);
    }

    /** The user-facing form with PyTorch-style {@code [height, width]} attribute arrays. */
    public static PoolGeometry pool2d(String op, int[] inputShape, int[] kernel, int[] stride, int[] padding,
                                      boolean ceilMode) {
        String context = "input " + Arrays.toString(inputShape) + ", kernel " + Arrays.toString(kernel)
                + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding);
        pair(op, "kernel", kernel, 1, context);
        pair(op, "stride", stride, 1, context);
        pair(op, "padding", padding, 0, context);
        checkPoolWindow(op, inputShape, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
        return pool2d(op, inputShape, new PoolSpec(kernel[0], kernel[1], stride[0], stride[1], padding[0],
                padding[1], ceilMode));
    }

    /**
     * Window rules shared by every pooling: kernel and stride positive, padding between 0 and half the
     * kernel (PyTorch: "pad should be at most half of kernel size"). {@code inputShape} may be null.
     */
    public static void checkPoolWindow(String op, int[] inputShape, int kernelHeight, int kernelWidth,
                                       int strideHeight, int strideWidth, int padHeight, int padWidth) {
        String context = (inputShape == null ? "" : "input " + Arrays.toString(inputShape) + ", ") + "kernel ["
                + kernelHeight + ", " + kernelWidth + "], stride [" + strideHeight + ", " + strideWidth
                + "], padding [" + padHeight + ", " + padWidth + "]";
        if (kernelHeight < 1 || kernelWidth < 1) {
            throw KernelArgs.fail(op, "kernel must be positive", context, "kernel >= 1 per axis");
        }
        if (strideHeight < 1 || strideWidth < 1) {
            throw KernelArgs.fail(op, "stride must be positive", context, "stride >= 1 per axis");
        }
        if (padHeight < 0 || padWidth < 0) {
            throw KernelArgs.fail(op, "padding must not be negative", context, "padding >= 0 per axis");
        }
        if (padHeight > kernelHeight / 2 || padWidth > kernelWidth / 2) {
            throw KernelArgs.fail(op, "padding should be at most half of the kernel size", context,
                    "padding <= kernel / 2 per axis (" + kernelHeight / 2 + ", " + kernelWidth / 2 + ")");
        }
    }

    /** Output shape {@code [N, C, H * scaleHeight, W * scaleWidth]} of nearest upsampling by integer factors. */
    public static int[] upsampleNearest2d(String op, int[] inputShape, int scaleHeight, int scaleWidth) {
        String context = "input " + Arrays.toString(inputShape) + ", scale [" + scaleHeight + ", " + scaleWidth + "]";
        rank(op, "input", inputShape, 4, context, "[batch, channels, height, width] (NCHW)");
        nonNegativeDims(op, "input", inputShape, context);
        if (scaleHeight < 1 || scaleWidth < 1) {
            throw KernelArgs.fail(op, "scale factor must be a positive integer", context, "scale >= 1 per axis");
        }
        long height = (long) inputShape[2] * scaleHeight;
        long width = (long) inputShape[3] * scaleWidth;
        checkSize(op, context, (long) inputShape[0] * inputShape[1] * height * width);
        return new int[] {inputShape[0], inputShape[1], (int) height, (int) width};
    }

    /** Output shape {@code [N, C, outHeight, outWidth]} of a resize (bilinear upsampling, adaptive pooling). */
    public static int[] resize2d(String op, int[] inputShape, int outHeight, int outWidth) {
        String context = "input " + Arrays.toString(inputShape) + ", output size [" + outHeight + ", " + outWidth
                + "]";
        rank(op, "input", inputShape, 4, context, "[batch, channels, height, width] (NCHW)");
        nonNegativeDims(op, "input", inputShape, context);
        if (inputShape[2] < 1 || inputShape[3] < 1) {
            throw KernelArgs.fail(op, "empty image", context, "height and width >= 1");
        }
        if (outHeight < 1 || outWidth < 1) {
            throw KernelArgs.fail(op, "output size must be positive", context, "output size >= 1 per axis");
        }
        checkSize(op, context, (long) inputShape[0] * inputShape[1] * outHeight * outWidth);
        return new int[] {inputShape[0], inputShape[1], outHeight, outWidth};
    }

    private static int fitted(String op, String axis, int input, int kernel, int stride, int padBefore, int padAfter,
                              int dilation, String context) {
        long padded = (long) input + padBefore + padAfter;
        long dilated = (long) dilation * (kernel - 1) + 1;
        if (dilated > padded) {
            throw KernelArgs.fail(op, "kernel larger than the padded input along the " + axis, context,
                    "padded " + axis + " " + input + " + " + padBefore + " + " + padAfter + " = " + padded
                            + " >= dilated kernel " + dilated);
        }
        return outputSize(input, kernel, stride, padBefore, padAfter, dilation);
    }

    private static void rank(String op, String name, int[] shape, int rank, String context, String expected) {
        if (shape == null || shape.length != rank) {
            throw KernelArgs.fail(op, name + " must be " + rank + "-D", context, name + " " + expected);
        }
    }

    private static void positiveDims(String op, String name, int[] shape, String context) {
        for (int d : shape) {
            if (d < 1) {
                throw KernelArgs.fail(op, name + " has an empty dimension", context, "every " + name
                        + " dimension >= 1");
            }
        }
    }

    private static void nonNegativeDims(String op, String name, int[] shape, String context) {
        for (int d : shape) {
            if (d < 0) {
                throw KernelArgs.fail(op, name + " has a negative dimension", context, "dimensions >= 0");
            }
        }
    }

    private static void pair(String op, String name, int[] values, int min, String context) {
        if (values == null || values.length != 2) {
            throw KernelArgs.fail(op, name + " must have two entries [height, width]", context, name
                    + " of length 2");
        }
        if (values[0] < min || values[1] < min) {
            throw KernelArgs.fail(op, name + (min == 0 ? " must not be negative" : " must be positive"), context,
                    name + " >= " + min + " per axis");
        }
    }

    private static void checkSize(String op, String context, long size) {
        if (size > Integer.MAX_VALUE - 64) {
            throw KernelArgs.fail(op, "output too large for one array", context + " gives " + size + " elements",
                    "at most " + (Integer.MAX_VALUE - 64));
        }
    }
}
