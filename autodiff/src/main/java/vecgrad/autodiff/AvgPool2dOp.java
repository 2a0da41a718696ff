package vecgrad.autodiff;

import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.PoolGeometry;
import vecgrad.kernels.PoolKernels;
import vecgrad.kernels.PoolSpec;

/**
 * Average pooling like {@code torch.nn.functional.avg_pool2d}: {@code x: [N, C, H, W]} to {@code [N, C, OH, OW]},
 * padding counting as 0. With {@code countIncludePad} the divisor is the window clipped to the padded
 * input, else the number of cells inside the input (PyTorch's rule, ceil mode included).
 */
public final class AvgPool2dOp {
    private AvgPool2dOp() {}

    public static Tensor apply(Tensor x, PoolSpec spec, boolean countIncludePad) {
        ImageOps.present("avg_pool2d", "PoolSpec", spec);
        ImageOps.nchw("avg_pool2d", x);
        PoolGeometry g = ConvShapes.pool2d("avg_pool2d", x.shapeRef(), spec);
        Tensor out = ImageOps.empty(x.dtype(), g.outputShape());
        if (x.dtype() == DType.F32) {
            PoolKernels.avgForward(x.floats(), 0, out.floats(), 0, g, countIncludePad);
        } else {
            PoolKernels.avgForward(x.doubles(), 0, out.doubles(), 0, g, countIncludePad);
        }
        return Tape.record("avg_pool2d", out, new Tensor[] {x}, (grad, needs) -> {
            Tensor dx = ImageOps.empty(x.dtype(), g.inputShape()); // dL/dx = Σ over windows of grad / divisor
            if (grad.dtype() == DType.F32) {
                PoolKernels.avgBackward(grad.floats(), 0, dx.floats(), 0, g, countIncludePad);
            } else {
                PoolKernels.avgBackward(grad.doubles(), 0, dx.doubles(), 0, g, countIncludePad);
            }
            return new Tensor[] {dx};
        });
    }
}
