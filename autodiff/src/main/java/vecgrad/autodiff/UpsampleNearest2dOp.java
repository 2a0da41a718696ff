package vecgrad.autodiff;

import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.UpsampleKernels;

/**
 * Nearest upsampling by integer factors like {@code torch.nn.functional.interpolate(mode="nearest")} and
 * Keras {@code UpSampling2D}: {@code out[n, c, i, j] = x[n, c, i / sh, j / sw]}, {@code x: [N, C, H, W]} to
 * {@code [N, C, H·sh, W·sw]}. The gradient of an input cell sums its sh×sw block.
 */
public final class UpsampleNearest2dOp {
    private UpsampleNearest2dOp() {}

    public static Tensor apply(Tensor x, int scaleHeight, int scaleWidth) {
        ImageOps.nchw("upsample_nearest2d", x);
        int[] in = x.shapeRef();
        int[] shape = ConvShapes.upsampleNearest2d("upsample_nearest2d", in, scaleHeight, scaleWidth);
        Tensor out = ImageOps.empty(x.dtype(), shape);
        if (x.dtype() == DType.F32) {
            UpsampleKernels.nearestForward(x.floats(), 0, out.floats(), 0, in[0], in[1], in[2], in[3], scaleHeight,
                    scaleWidth);
        } else {
            UpsampleKernels.nearestForward(x.doubles(), 0, out.doubles(), 0, in[0], in[1], in[2], in[3], scaleHeight,
                    scaleWidth);
        }
        return Tape.record("upsample_nearest2d", out, new Tensor[] {x}, (grad, needs) -> {
            Tensor dx = ImageOps.empty(x.dtype(), in); // dL/dx[i, j] = Σ over its sh×sw block of grad
            if (grad.dtype() == DType.F32) {
                UpsampleKernels.nearestBackward(grad.floats(), 0, dx.floats(), 0, in[0], in[1], in[2], in[3],
                        scaleHeight, scaleWidth);
            } else {
                UpsampleKernels.nearestBackward(grad.doubles(), 0, dx.doubles(), 0, in[0], in[1], in[2], in[3],
                        scaleHeight, scaleWidth);
            }
            return new Tensor[] {dx};
        });
    }
}
