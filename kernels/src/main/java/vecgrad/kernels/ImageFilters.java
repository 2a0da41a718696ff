package vecgrad.kernels;

/**
 * Classic fixed 3x3 image filters (identity, three edge detectors, sharpen, normalized box blur) applied
 * through {@link ConvKernels}: every channel of {@code images: [N, C, H, W]} is convolved on its own
 * (a depthwise convolution) with zero padding, so the result has the input's shape.
 *
 * <p>The filter is applied as a true convolution, {@code g(x, y) = sum over s, t of w(s, t) f(x - s, y - t)},
 * i.e. the kernel is flipped before the cross-correlation the conv kernel computes. All six kernels
 * here are symmetric under that flip, so it only matters for kernels a caller builds with
 * {@link #apply(float[], float[], int, int, int, int)}.
 *
 * {@snippet :
 * float[] edges = ImageFilters.apply(ImageFilters.Filter.EDGE_8_NEIGHBOURS, image, 1, 1, 28, 28);
 * }
 */
public final class ImageFilters {
    /** The 3x3 kernels, row-major. */
    public enum Filter {
        /** Leaves the image unchanged. */
        IDENTITY(0, 0, 0, 0, 1, 0, 0, 0, 0),
        /** Diagonal edges: {@code [[1, 0, -1], [0, 0, 0], [-1, 0, 1]]}. */
        EDGE_DIAGONAL(1, 0, -1, 0, 0, 0, -1, 0, 1),
        /** Laplacian over the 4 direct neighbours: {@code [[0, 1, 0], [1, -4, 1], [0, 1, 0]]}. */
        EDGE_4_NEIGHBOURS(0, 1, 0, 1, -4, 1, 0, 1, 0),
        /** Laplacian over all 8 neighbours: {@code [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]}. */
        EDGE_8_NEIGHBOURS(-1, -1, -1, -1, 8, -1, -1, -1, -1),
        /** {@code [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]}: the image plus its negative 4-neighbour Laplacian. */
        SHARPEN(0, -1, 0, -1, 5, -1, 0, -1, 0),
        /** Mean of the 3x3 neighbourhood: every weight 1/9. */
        BOX_BLUR(1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0);

        private final double[] weights;

        Filter(double... weights) {
            this.weights = weights;
        }

        /** The kernel as 9 row-major values (a copy). */
        public double[] kernel() {
            return weights.clone();
        }
    }

    private ImageFilters() {}

    /** Applies {@code filter} to every channel of {@code images: [N, C, H, W]}; returns a new array of the same shape. */
    public static float[] apply(Filter filter, float[] images, int batch, int channels, int height, int width) {
        float[] kernel = new float[9];
        for (int i = 0; i < 9; i++) {
            kernel[i] = (float) filter.weights[i];
        }
        return apply(kernel, images, batch, channels, height, width);
    }

    /** Float64 overload of {@link #apply(Filter, float[], int, int, int, int)}. */
    public static double[] apply(Filter filter, double[] images, int batch, int channels, int height, int width) {
        return apply(filter.weights.clone(), images, batch, channels, height, width);
    }

    /** Convolves every channel of {@code images: [N, C, H, W]} with a custom 3x3 {@code kernel} (row-major). */
    public static float[] apply(float[] kernel, float[] images, int batch, int channels, int height, int width) {
        ConvGeometry g = geometry(kernel.length, images.length, batch, channels, height, width);
        float[] weight = new float[channels * 9];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < 9; i++) {
                weight[c * 9 + i] = kernel[8 - i]; // flipped: convolution, not correlation
            }
        }
        float[] out = new float[g.outputSize()];
        ConvKernels.forward(images, 0, weight, 0, null, 0, out, 0, g);
        return out;
    }

    /** Float64 overload of {@link #apply(float[], float[], int, int, int, int)}. */
    public static double[] apply(double[] kernel, double[] images, int batch, int channels, int height, int width) {
        ConvGeometry g = geometry(kernel.length, images.length, batch, channels, height, width);
        double[] weight = new double[channels * 9];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < 9; i++) {
                weight[c * 9 + i] = kernel[8 - i];
            }
        }
        double[] out = new double[g.outputSize()];
        ConvKernels.forward(images, 0, weight, 0, null, 0, out, 0, g);
        return out;
    }

    private static ConvGeometry geometry(int kernelLength, int imagesLength, int batch, int channels, int height,
                                         int width) {
        if (kernelLength != 9) {
            throw KernelArgs.fail("image_filter", "kernel must be 3x3", kernelLength + " values", "9 (row-major)");
        }
        ConvGeometry g = ConvShapes.conv2d("image_filter", new int[] {batch, channels, height, width},
                new int[] {channels, 1, 3, 3}, ConvSpec.same(3, 3).withGroups(Math.max(1, channels)));
        if ((long) batch * channels * height * width != imagesLength) {
            throw KernelArgs.fail("image_filter", "image array size differs from its shape", imagesLength
                    + " values", "[" + batch + ", " + channels + ", " + height + ", " + width + "] = "
                    + ((long) batch * channels * height * width));
        }
        return g;
    }
}
