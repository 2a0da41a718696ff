package vecgrad.kernels;

import java.util.Arrays;

/**
 * Every size of one 2-D convolution, checked: input {@code [batch, inChannels, height, width]}, weight
 * {@code [outChannels, inChannels / groups, kernelHeight, kernelWidth]}, output
 * {@code [batch, outChannels, outHeight, outWidth]}, all NCHW and row-major. Build it with
 * {@link ConvShapes#conv2d}, which explains a shape that does not fit; the constructor only rejects
 * inconsistent numbers.
 */
public record ConvGeometry(int batch, int inChannels, int height, int width, int outChannels, int kernelHeight,
                           int kernelWidth, ConvSpec spec, int outHeight, int outWidth) {
    public ConvGeometry {
        if (spec == null) {
            throw KernelArgs.fail("conv2d", "spec is missing", "null", "a ConvSpec");
        }
        if (batch < 0 || inChannels < 1 || height < 1 || width < 1 || outChannels < 1 || kernelHeight < 1
                || kernelWidth < 1 || inChannels % spec.groups() != 0 || outChannels % spec.groups() != 0
                || outHeight != ConvShapes.outputSize(height, kernelHeight, spec.strideHeight(), spec.padTop(),
                        spec.padBottom(), spec.dilationHeight())
                || outWidth != ConvShapes.outputSize(width, kernelWidth, spec.strideWidth(), spec.padLeft(),
                        spec.padRight(), spec.dilationWidth())
                || outHeight < 1 || outWidth < 1) {
            throw KernelArgs.fail("conv2d", "inconsistent geometry", "batch " + batch + ", inChannels " + inChannels
                    + ", " + height + "x" + width + ", outChannels " + outChannels + ", kernel " + kernelHeight + "x"
                    + kernelWidth + ", " + spec + ", output " + outHeight + "x" + outWidth,
                    "a geometry built by ConvShapes.conv2d");
        }
        long largest = Math.max((long) batch * inChannels * height * width,
                Math.max((long) batch * outChannels * outHeight * outWidth,
                        (long) outChannels * (inChannels / spec.groups()) * kernelHeight * kernelWidth));
        if (largest > Integer.MAX_VALUE - 64) {
            throw KernelArgs.fail("conv2d", "tensor too large for one array", largest + " elements",
                    "at most " + (Integer.MAX_VALUE - 64));
        }
    }

    public int groups() {
        return spec.groups();
    }

    public int inChannelsPerGroup() {
        return inChannels / spec.groups();
    }

    public int outChannelsPerGroup() {
        return outChannels / spec.groups();
    }

    /** {@code [batch, inChannels, height, width]} */
    public int[] inputShape() {
        return new int[] {batch, inChannels, height, width};
    }

    /** {@code [outChannels, inChannels / groups, kernelHeight, kernelWidth]} */
    public int[] weightShape() {
        return new int[] {outChannels, inChannelsPerGroup(), kernelHeight, kernelWidth};
    }

    /** {@code [batch, outChannels, outHeight, outWidth]} */
    public int[] outputShape() {
        return new int[] {batch, outChannels, outHeight, outWidth};
    }

    public int inputSize() {
        return batch * inChannels * height * width;
    }

    public int weightSize() {
        return outChannels * inChannelsPerGroup() * kernelHeight * kernelWidth;
    }

    public int outputSize() {
        return batch * outChannels * outHeight * outWidth;
    }

    /** Multiply-adds of the forward pass; benchmarks report GFLOP/s as {@code 2 * macs / seconds}. */
    public long macs() {
        return (long) batch * outChannels * outHeight * outWidth * inChannelsPerGroup() * kernelHeight * kernelWidth;
    }

    @Override
    public String toString() {
        return "input " + Arrays.toString(inputShape()) + ", weight " + Arrays.toString(weightShape()) + ", output "
                + Arrays.toString(outputShape()) + ", " + spec;
    }
}
