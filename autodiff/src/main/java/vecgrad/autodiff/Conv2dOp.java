package vecgrad.autodiff;

import vecgrad.kernels.ConvGeometry;
import vecgrad.kernels.ConvKernels;
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.ConvSpec;

/**
 * 2-D convolution like {@code torch.nn.functional.conv2d} (cross-correlation, zero padding):
 * {@code input: [N, C, H, W]}, {@code weight: [Cout, C / groups, kh, kw]}, optional {@code bias: [Cout]},
 * giving {@code [N, Cout, OH, OW]} with sizes from {@link ConvShapes#conv2d}. Stride, per-side padding,
 * dilation and groups come from a {@link ConvSpec}.
 *
 * <p>Bilinear in (input, weight): {@code dL/dinput} is the transposed convolution of the gradient with the
 * weight, {@code dL/dweight} correlates the input with the gradient, {@code dL/dbias} sums the gradient over
 * batch and positions; all three are {@link ConvKernels} passes in the tensors' dtype.
 */
public final class Conv2dOp {
    private Conv2dOp() {}

    /** {@code conv2d(input, weight, bias, spec)}; {@code bias} may be null. */
    public static Tensor apply(Tensor input, Tensor weight, Tensor bias, ConvSpec spec) {
        ImageOps.present("conv2d", "ConvSpec", spec);
        Check.sameDType("conv2d", input, weight);
        ConvGeometry g = ConvShapes.conv2d("conv2d", input.shapeRef(), weight.shapeRef(), spec);
        if (bias != null) {
            Check.sameDType("conv2d", input, bias);
            if (bias.rank() != 1 || bias.dim(0) != g.outChannels()) {
                throw Check.fail("conv2d", "bias must have one value per output channel", "input "
                        + input.shapeString() + ", weight " + weight.shapeString() + ", bias " + bias.shapeString(),
                        "bias [" + g.outChannels() + "]");
            }
        }
        Tensor out = ImageOps.empty(input.dtype(), g.outputShape());
        if (input.dtype() == DType.F32) {
            ConvKernels.forward(input.floats(), 0, weight.floats(), 0, bias == null ? null : bias.floats(), 0,
                    out.floats(), 0, g);
        } else {
            ConvKernels.forward(input.doubles(), 0, weight.doubles(), 0, bias == null ? null : bias.doubles(), 0,
                    out.doubles(), 0, g);
        }
        Tensor[] inputs = bias == null ? new Tensor[] {input, weight} : new Tensor[] {input, weight, bias};
        return Tape.record("conv2d", out, inputs, (grad, needs) -> {
            Tensor[] grads = new Tensor[inputs.length];
            boolean single = grad.dtype() == DType.F32;
            if (needs[0]) { // dL/dinput = conv_transpose2d(grad, weight)
                grads[0] = ImageOps.empty(input.dtype(), g.inputShape());
                if (single) {
                    ConvKernels.gradInput(grad.floats(), 0, weight.floats(), 0, grads[0].floats(), 0, g);
                } else {
                    ConvKernels.gradInput(grad.doubles(), 0, weight.doubles(), 0, grads[0].doubles(), 0, g);
                }
            }
            if (needs[1]) { // dL/dweight[co, ci, kh, kw] = Σ_n,oh,ow grad[n, co, oh, ow] · input[n, ci, tap]
                grads[1] = ImageOps.empty(weight.dtype(), g.weightShape());
                if (single) {
                    ConvKernels.gradWeight(input.floats(), 0, grad.floats(), 0, grads[1].floats(), 0, g);
                } else {
                    ConvKernels.gradWeight(input.doubles(), 0, grad.doubles(), 0, grads[1].doubles(), 0, g);
                }
            }
            if (bias != null && needs[2]) { // dL/dbias[co] = Σ_n,oh,ow grad[n, co, oh, ow]
                grads[2] = ImageOps.empty(bias.dtype(), new int[] {g.outChannels()});
                if (single) {
                    ConvKernels.gradBias(grad.floats(), 0, grads[2].floats(), 0, g);
                } else {
                    ConvKernels.gradBias(grad.doubles(), 0, grads[2].doubles(), 0, g);
                }
            }
            return grads;
        });
    }
}
