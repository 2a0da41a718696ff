package vecgrad.autodiff;

import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.UpsampleKernels;

/**
 * Bilinear resize with {@code align_corners=false} like {@code torch.nn.functional.interpolate(mode="bilinear",
 * size=(outHeight, outWidth))}: {@code x: [N, C, H, W]} to {@code [N, C, outHeight, outWidth]}. Linear in x;
 * the gradient sends each output's gradient to its four source neighbours with the forward weights.
 */
public final class UpsampleBilinear2dOp {
    private UpsampleBilinear2dOp() {}

    public static Tensor apply(Tensor x, int outHeight, int outWidth) {
        ImageOps.nchw("upsample_bilinear2d", x);
        int[] in = x.shapeRef();
        int[] shape = ConvShapes.resize2d("upsample_bilinear2d", in, outHeight, outWidth);
        Tensor out = ImageOps.empty(x.dtype(), shape);
        if (x.dtype() == DType.F32) {
            UpsampleKernels.bilinearForward(x.floats(), 0, out.floats(), 0, in[0], in[1], in[2], in[3], outHeight,
                    outWidth);
        } else {
            UpsampleKernels.bilinearForward(x.doubles(), 0, out.doubles(), 0, in[0], in[1], in[2], in[3], outHeight,
                    outWidth);
        }
        return Tape.record("upsample_bilinear2d", out, new Tensor[] {x}, (grad, needs) -> {
            Tensor dx = ImageOps.empty(x.dtype(), in); // dL/dx = the forward's interpolation weights, transposed
            if (grad.dtype() == DType.F32) {
                UpsampleKernels.bilinearBackward(grad.floats(), 0, dx.floats(), 0, in[0], in[1], in[2], in[3],
                        outHeight, outWidth);
            } else {
                UpsampleKernels.bilinearBackward(grad.doubles(), 0, dx.doubles(), 0, in[0], in[1], in[2], in[3],
                        outHeight, outWidth);
            }
            return new Tensor[] {dx};
        });
    }
}
