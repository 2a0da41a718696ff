package vecgrad.kernels;

import java.util.Arrays;

/**
 * Every size of one 2-D pooling, checked: input {@code [batch, channels, height, width]} and output
 * {@code [batch, channels, outHeight, outWidth]}, NCHW and row-major. Build it with
 * {@link ConvShapes#pool2d}, which explains a shape that does not fit.
 */
public record PoolGeometry(int batch, int channels, int height, int width, PoolSpec spec, int outHeight,
                           int outWidth) {
    public PoolGeometry {
        if (spec == null) {
            throw KernelArgs.fail("pool2d", "spec is missing", "null", "a PoolSpec");
        }
        if (batch < 0 || channels < 0 || height < 1 || width < 1
                || outHeight != ConvShapes.poolOutputSize(height, spec.kernelHeight(), spec.strideHeight(),
                        spec.padHeight(), spec.ceilMode())
                || outWidth != ConvShapes.poolOutputSize(width, spec.kernelWidth(), spec.strideWidth(),
                        spec.padWidth(), spec.ceilMode())
                || outHeight < 1 || outWidth < 1) {
            throw KernelArgs.fail("pool2d", "inconsistent geometry", "batch " + batch + ", channels " + channels
                    + ", " + height + "x" + width + ", " + spec + ", output " + outHeight + "x" + outWidth,
                    "a geometry built by ConvShapes.pool2d");
        }
        long largest = (long) batch * channels * height * width;
        if (largest > Integer.MAX_VALUE - 64) {
            throw KernelArgs.fail("pool2d", "tensor too large for one array", largest + " elements",
                    "at most " + (Integer.MAX_VALUE - 64));
        }
    }

    /** {@code [batch, channels, height, width]} */
    public int[] inputShape() {
        return new int[] {batch, channels, height, width};
    }

    /** {@code [batch, channels, outHeight, outWidth]} */
    public int[] outputShape() {
        return new int[] {batch, channels, outHeight, outWidth};
    }

    public int inputSize() {
        return batch * channels * height * width;
    }

    public int outputSize() {
        return batch * channels * outHeight * outWidth;
    }

    /** Planes (image x channel) pooled independently. */
    public int planes() {
        return batch * channels;
    }

    @Override
    public String toString() {
        return "input " + Arrays.toString(inputShape()) + ", output " + Arrays.toString(outputShape()) + ", " + spec;
    }
}
