package vecgrad.autodiff;

import java.util.Arrays;

/** Shared plumbing of the image ops (conv, pooling, upsampling): argument checks and output allocation. */
final class ImageOps {
    private ImageOps() {}

    /** Requires an NCHW tensor. */
    static void nchw(String op, Tensor x) {
        if (x.rank() != 4) {
            throw Check.fail(op, "input must be 4-D", "input " + x.shapeString(),
                    "[batch, channels, height, width] (NCHW)");
        }
    }

    /** Requires a null spec to be reported, not dereferenced. */
    static void present(String op, String name, Object value) {
        if (value == null) {
            throw Check.fail(op, name + " is missing", "null", "a " + name);
        }
    }

    /** A new tensor of {@code shape} whose storage the kernels fill completely. */
    static Tensor empty(DType dtype, int[] shape) {
        int n = Shapes.numel(shape);
        return dtype == DType.F32 ? Tensor.wrap(new float[n], shape.clone())
                : Tensor.wrap(new double[n], DType.F64, shape.clone());
    }

    static String shapes(int[] shape) {
        return Arrays.toString(shape);
    }
}
