package vecgrad.kernels;

/**
 * Hyperparameters of a 2-D convolution: stride, zero padding per side, dilation and groups.
 * Shapes live in {@link ConvGeometry}; {@link ConvShapes#conv2d} combines the two.
 *
 * <p>Padding is explicit per side ({@code padTop, padBottom, padLeft, padRight}) because
 * "same" padding with an even effective kernel is asymmetric. {@link #valid()} and
 * {@link #same(int, int)} are the two named conventions of Keras.
 *
 * @param strideHeight   step between output rows, in input rows (>= 1)
 * @param strideWidth    step between output columns (>= 1)
 * @param padTop         zero rows added above the input (>= 0)
 * @param padBottom      zero rows added below the input (>= 0)
 * @param padLeft        zero columns added left of the input (>= 0)
 * @param padRight       zero columns added right of the input (>= 0)
 * @param dilationHeight distance between kernel taps along the height (>= 1)
 * @param dilationWidth  distance between kernel taps along the width (>= 1)
 * @param groups         number of channel groups (>= 1); {@code groups == inChannels} is depthwise
 */
public record ConvSpec(int strideHeight, int strideWidth, int padTop, int padBottom, int padLeft, int padRight,
                       int dilationHeight, int dilationWidth, int groups) {
    public ConvSpec {
        positive("strideHeight", strideHeight);
        positive("strideWidth", strideWidth);
        nonNegative("padTop", padTop);
        nonNegative("padBottom", padBottom);
        nonNegative("padLeft", padLeft);
        nonNegative("padRight", padRight);
        positive("dilationHeight", dilationHeight);
        positive("dilationWidth", dilationWidth);
        positive("groups", groups);
    }

    /** Square stride and symmetric padding on all four sides; no dilation, one group. */
    public static ConvSpec of(int stride, int padding) {
        return new ConvSpec(stride, stride, padding, padding, padding, padding, 1, 1, 1);
    }

    /** Stride and symmetric padding per axis, as PyTorch's {@code stride=(sh, sw), padding=(ph, pw)}. */
    public static ConvSpec of(int strideHeight, int strideWidth, int padHeight, int padWidth) {
        return new ConvSpec(strideHeight, strideWidth, padHeight, padHeight, padWidth, padWidth, 1, 1, 1);
    }

    /** No padding, stride 1: the output shrinks by {@code kernel - 1} per axis (Keras {@code "valid"}). */
    public static ConvSpec valid() {
        return of(1, 0);
    }

    /**
     * Stride 1 and padding {@code (k - 1) / 2} per side, so the output has the input's size (Keras
     * {@code "same"}). Only odd kernels have a symmetric answer; even ones are rejected.
     */
    public static ConvSpec same(int kernelHeight, int kernelWidth) {
        if (kernelHeight < 1 || kernelWidth < 1 || kernelHeight % 2 == 0 || kernelWidth % 2 == 0) {
            throw KernelArgs.fail("conv2d", "same padding needs an odd kernel",
                    "kernel [" + kernelHeight + ", " + kernelWidth + "]", "odd kernel sizes >= 1");
        }
        int ph = (kernelHeight - 1) / 2;
        int pw = (kernelWidth - 1) / 2;
        return new ConvSpec(1, 1, ph, ph, pw, pw, 1, 1, 1);
    }

    public ConvSpec withStride(int strideHeight, int strideWidth) {
        return new ConvSpec(strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight,
                dilationWidth, groups);
    }

    public ConvSpec withPadding(int padTop, int padBottom, int padLeft, int padRight) {
        return new ConvSpec(strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight,
                dilationWidth, groups);
    }

    public ConvSpec withDilation(int dilationHeight, int dilationWidth) {
        return new ConvSpec(strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight,
                dilationWidth, groups);
    }

    public ConvSpec withGroups(int groups) {
        return new ConvSpec(strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight,
                dilationWidth, groups);
    }

    @Override
    public String toString() {
        return "stride [" + strideHeight + ", " + strideWidth + "], padding [top " + padTop + ", bottom " + padBottom
                + ", left " + padLeft + ", right " + padRight + "], dilation [" + dilationHeight + ", "
                + dilationWidth + "], groups " + groups;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw KernelArgs.fail("conv2d", name + " must be positive", name + " = " + value, name + " >= 1");
        }
    }

    private static void nonNegative(String name, int value) {
        if (value < 0) {
            throw KernelArgs.fail("conv2d", name + " must not be negative", name + " = " + value, name + " >= 0");
        }
    }
}
