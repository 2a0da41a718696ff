package vecgrad.kernels;

/** Size checks and source coordinates shared by {@link UpsampleKernels} and {@link UpsampleReference}. */
final class UpsampleArgs {
    private UpsampleArgs() {}

    static void nearest(int inLength, int inOff, int outLength, int outOff, int batch, int channels, int height,
                        int width, int scaleHeight, int scaleWidth) {
        int[] out = ConvShapes.upsampleNearest2d("upsample_nearest2d", new int[] {batch, channels, height, width},
                scaleHeight, scaleWidth);
        KernelArgs.fits("upsample_nearest2d", "input", inLength, inOff, (long) batch * channels * height * width);
        KernelArgs.fits("upsample_nearest2d", "output", outLength, outOff, (long) out[0] * out[1] * out[2] * out[3]);
    }

    static void bilinear(int inLength, int inOff, int outLength, int outOff, int batch, int channels, int height,
                         int width, int outHeight, int outWidth) {
        PoolArgs.resize("upsample_bilinear2d", inLength, inOff, outLength, outOff, batch, channels, height, width,
                outHeight, outWidth);
    }

    /** PyTorch's align_corners=false source coordinate of output cell {@code i}, clamped at 0. */
    static double source(int i, int in, int out) {
        double coordinate = (i + 0.5) * ((double) in / out) - 0.5;
        return Math.max(coordinate, 0);
    }
}
