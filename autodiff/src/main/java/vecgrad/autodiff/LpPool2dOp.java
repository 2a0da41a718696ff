package vecgrad.autodiff;

import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.PoolGeometry;
import vecgrad.kernels.PoolKernels;
import vecgrad.kernels.PoolSpec;

/**
 * Power-average (LP) pooling like {@code torch.nn.functional.lp_pool2d}: {@code y = (Σ_window x^p)^(1/p)}
 * over {@code x: [N, C, H, W]}, the "SpatialLPPooling" of seed 004. A window whose sum is 0 gives 0 with
 * gradient 0. The backward saves the output: {@code dL/dx = grad · x^(p−1) / y^(p−1)}.
 */
public final class LpPool2dOp {
    private LpPool2dOp() {}

    public static Tensor apply(Tensor x, double normType, PoolSpec spec) {
        ImageOps.present("lp_pool2d", "PoolSpec", spec);
        ImageOps.nchw("lp_pool2d", x);
        if (!(normType > 0) || Double.isInfinite(normType)) {
            throw Check.fail("lp_pool2d", "norm_type must be positive and finite", "norm_type " + normType
                    + " for input " + x.shapeString(), "0 < norm_type < infinity");
        }
        PoolGeometry g = ConvShapes.pool2d("lp_pool2d", x.shapeRef(), spec);
        Tensor out = ImageOps.empty(x.dtype(), g.outputShape());
        if (x.dtype() == DType.F32) {
            PoolKernels.lpForward(x.floats(), 0, out.floats(), 0, g, normType);
        } else {
            PoolKernels.lpForward(x.doubles(), 0, out.doubles(), 0, g, normType);
        }
        return Tape.record("lp_pool2d", out, new Tensor[] {x}, (grad, needs) -> {
            Tensor dx = ImageOps.empty(x.dtype(), g.inputShape()); // dL/dx = grad · x^(p−1) / out^(p−1)
            if (grad.dtype() == DType.F32) {
                PoolKernels.lpBackward(x.floats(), 0, out.floats(), 0, grad.floats(), 0, dx.floats(), 0, g, normType);
            } else {
                PoolKernels.lpBackward(x.doubles(), 0, out.doubles(), 0, grad.doubles(), 0, dx.doubles(), 0, g,
                        normType);
            }
            return new Tensor[] {dx};
        });
    }
}
