package vecgrad.autodiff;

import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.PoolKernels;

/**
 * Adaptive average pooling like {@code torch.nn.functional.adaptive_avg_pool2d}: {@code x: [N, C, H, W]} to
 * {@code [N, C, outHeight, outWidth]}, output cell i averaging input rows {@code [floor(i·H/OH), ceil((i+1)·H/OH))}
 * (and likewise for columns). An output size of 1x1 is global average pooling.
 */
public final class AdaptiveAvgPool2dOp {
    private AdaptiveAvgPool2dOp() {}

    public static Tensor apply(Tensor x, int outHeight, int outWidth) {
        ImageOps.nchw("adaptive_avg_pool2d", x);
        int[] in = x.shapeRef();
        int[] shape = ConvShapes.resize2d("adaptive_avg_pool2d", in, outHeight, outWidth);
        Tensor out = ImageOps.empty(x.dtype(), shape);
        if (x.dtype() == DType.F32) {
            PoolKernels.adaptiveAvgForward(x.floats(), 0, out.floats(), 0, in[0], in[1], in[2], in[3], outHeight,
                    outWidth);
        } else {
            PoolKernels.adaptiveAvgForward(x.doubles(), 0, out.doubles(), 0, in[0], in[1], in[2], in[3], outHeight,
                    outWidth);
        }
        return Tape.record("adaptive_avg_pool2d", out, new Tensor[] {x}, (grad, needs) -> {
            Tensor dx = ImageOps.empty(x.dtype(), in); // dL/dx = each output's grad spread evenly over its window
            if (grad.dtype() == DType.F32) {
                PoolKernels.adaptiveAvgBackward(grad.floats(), 0, dx.floats(), 0, in[0], in[1], in[2], in[3],
                        outHeight, outWidth);
            } else {
                PoolKernels.adaptiveAvgBackward(grad.doubles(), 0, dx.doubles(), 0, in[0], in[1], in[2], in[3],
                        outHeight, outWidth);
            }
            return new Tensor[] {dx};
        });
    }
}
