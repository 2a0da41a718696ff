package vecgrad.autodiff;

import vecgrad.kernels.ConvGeometry;
import vecgrad.kernels.ConvKernels;
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.ConvSpec;

/**
 * Transposed 2-D convolution like {@code torch.nn.functional.conv_transpose2d}: {@code input: [N, Cin, H, W]},
 * {@code weight: [Cin, Cout / groups, kh, kw]}, optional {@code bias: [Cout]}, giving {@code [N, Cout, Hout, Wout]}
 * with {@code Hout = (H - 1) * stride - padTop - padBottom + dilation * (kh - 1) + outputPadding + 1}.
 *
 * <p>It is the input gradient of the convolution whose output it consumes, so its passes are that
 * convolution's: forward = {@code gradInput}, {@code dL/dinput} = conv2d forward of the gradient,
 * {@code dL/dweight} = conv2d {@code gradWeight} with the roles of input and gradient swapped.
 */
public final class ConvTranspose2dOp {
    private ConvTranspose2dOp() {}

    /** {@code conv_transpose2d(input, weight, bias, spec, outputPadding)}; {@code bias} may be null. */
    public static Tensor apply(Tensor input, Tensor weight, Tensor bias, ConvSpec spec, int outputPaddingHeight,
                               int outputPaddingWidth) {
        ImageOps.present("conv_transpose2d", "ConvSpec", spec);
        Check.sameDType("conv_transpose2d", input, weight);
        ConvGeometry g = ConvShapes.convTranspose2d("conv_transpose2d", input.shapeRef(), weight.shapeRef(), spec,
                outputPaddingHeight, outputPaddingWidth);
        if (bias != null) {
            Check.sameDType("conv_transpose2d", input, bias);
            if (bias.rank() != 1 || bias.dim(0) != g.inChannels()) {
                throw Check.fail("conv_transpose2d", "bias must have one value per output channel", "input "
                        + input.shapeString() + ", weight " + weight.shapeString() + ", bias " + bias.shapeString(),
                        "bias [" + g.inChannels() + "]");
            }
        }
        Tensor out = ImageOps.empty(input.dtype(), g.inputShape());
        if (input.dtype() == DType.F32) {
            ConvKernels.transposeForward(input.floats(), 0, weight.floats(), 0, bias == null ? null : bias.floats(),
                    0, out.floats(), 0, g);
        } else {
            ConvKernels.transposeForward(input.doubles(), 0, weight.doubles(), 0,
                    bias == null ? null : bias.doubles(), 0, out.doubles(), 0, g);
        }
        Tensor[] inputs = bias == null ? new Tensor[] {input, weight} : new Tensor[] {input, weight, bias};
        return Tape.record("conv_transpose2d", out, inputs, (grad, needs) -> {
            Tensor[] grads = new Tensor[inputs.length];
            boolean single = grad.dtype() == DType.F32;
            if (needs[0]) { // dL/dinput = conv2d(grad, weight)
                grads[0] = ImageOps.empty(input.dtype(), g.outputShape());
                if (single) {
                    ConvKernels.transposeGradInput(grad.floats(), 0, weight.floats(), 0, grads[0].floats(), 0, g);
                } else {
                    ConvKernels.transposeGradInput(grad.doubles(), 0, weight.doubles(), 0, grads[0].doubles(), 0, g);
                }
            }
            if (needs[1]) { // dL/dweight[ci, co, kh, kw] = Σ grad[n, co, tap] · input[n, ci, oh, ow]
                grads[1] = ImageOps.empty(weight.dtype(), g.weightShape());
                if (single) {
                    ConvKernels.transposeGradWeight(input.floats(), 0, grad.floats(), 0, grads[1].floats(), 0, g);
                } else {
                    ConvKernels.transposeGradWeight(input.doubles(), 0, grad.doubles(), 0, grads[1].doubles(), 0, g);
                }
            }
            if (bias != null && needs[2]) { // dL/dbias[co] = Σ_n,h,w grad[n, co, h, w]
                grads[2] = ImageOps.empty(bias.dtype(), new int[] {g.inChannels()});
                if (single) {
                    ConvKernels.transposeGradBias(grad.floats(), 0, grads[2].floats(), 0, g);
                } else {
                    ConvKernels.transposeGradBias(grad.doubles(), 0, grads[2].doubles(), 0, g);
                }
            }
            return grads;
        });
    }
}
