package vecgrad.autodiff;

import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.PoolGeometry;
import vecgrad.kernels.PoolKernels;
import vecgrad.kernels.PoolSpec;

/**
 * Max pooling like {@code torch.nn.functional.max_pool2d}: {@code x: [N, C, H, W]} to {@code [N, C, OH, OW]},
 * padding counting as −∞. The forward records each window's argmax (the first maximum in row-major scan
 * order; a NaN wins so it propagates) and the backward sends the whole gradient there, as PyTorch's
 * {@code max_pool2d_with_indices} does (STYLE §2 rule 7).
 */
public final class MaxPool2dOp {
    private MaxPool2dOp() {}

    public static Tensor apply(Tensor x, PoolSpec spec) {
        ImageOps.present("max_pool2d", "PoolSpec", spec);
        ImageOps.nchw("max_pool2d", x);
        PoolGeometry g = ConvShapes.pool2d("max_pool2d", x.shapeRef(), spec);
        Tensor out = ImageOps.empty(x.dtype(), g.outputShape());
        int[] argmax = new int[g.outputSize()];
        if (x.dtype() == DType.F32) {
            PoolKernels.maxForward(x.floats(), 0, out.floats(), 0, argmax, 0, g);
        } else {
            PoolKernels.maxForward(x.doubles(), 0, out.doubles(), 0, argmax, 0, g);
        }
        return Tape.record("max_pool2d", out, new Tensor[] {x}, (grad, needs) -> {
            Tensor dx = ImageOps.empty(x.dtype(), g.inputShape()); // dL/dx = grad routed to each window's argmax
            if (grad.dtype() == DType.F32) {
                PoolKernels.maxBackward(grad.floats(), 0, argmax, 0, dx.floats(), 0, g);
            } else {
                PoolKernels.maxBackward(grad.doubles(), 0, argmax, 0, dx.doubles(), 0, g);
            }
            return new Tensor[] {dx};
        });
    }
}
