package vecgrad.kernels;

/**
 * Window of a 2-D pooling: kernel size, stride, symmetric padding per axis and PyTorch's
 * {@code ceil_mode}. Shapes live in {@link PoolGeometry}; {@link ConvShapes#pool2d} combines the two.
 *
 * @param kernelHeight window rows (>= 1)
 * @param kernelWidth  window columns (>= 1)
 * @param strideHeight step between windows along the height (>= 1)
 * @param strideWidth  step between windows along the width (>= 1)
 * @param padHeight    padding above and below (>= 0, at most kernelHeight / 2)
 * @param padWidth     padding left and right (>= 0, at most kernelWidth / 2)
 * @param ceilMode     round the output size up, keeping a last partial window that starts inside
 *                     the input or its leading padding
 */
public record PoolSpec(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight,
                       int padWidth, boolean ceilMode) {
    public PoolSpec {
        ConvShapes.checkPoolWindow("pool2d", null, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight,
                padWidth);
    }

    /** Square window with stride, no padding, floor mode ({@code kernel 2, stride 2} is the common halving). */
    public static PoolSpec of(int kernel, int stride) {
        return new PoolSpec(kernel, kernel, stride, stride, 0, 0, false);
    }

    /** Square window with stride and symmetric padding, floor mode. */
    public static PoolSpec of(int kernel, int stride, int padding) {
        return new PoolSpec(kernel, kernel, stride, stride, padding, padding, false);
    }

    public PoolSpec withCeilMode(boolean ceilMode) {
        return new PoolSpec(kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, ceilMode);
    }

    @Override
    public String toString() {
        return "kernel [" + kernelHeight + ", " + kernelWidth + "], stride [" + strideHeight + ", " + strideWidth
                + "], padding [" + padHeight + ", " + padWidth + "], ceil_mode " + ceilMode;
    }
}
