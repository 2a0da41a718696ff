package vecgrad.verify.conformance;

import java.util.Map;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.Tensor;
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.ConvSpec;
import vecgrad.kernels.PoolSpec;

/**
 * Handlers of the image ops of {@code conformance/FORMAT.md} §4 (conv2d, max_pool2d, avg_pool2d, lp_pool2d,
 * upsample_nearest2d) under PyTorch's argument names, plus the other image ops of the catalog
 * (conv_transpose2d, adaptive_avg_pool2d, upsample_bilinear2d) for cases that name them. Attributes a case
 * may omit (dilation, groups, output_padding) take PyTorch's defaults.
 */
public final class ImageOpHandlers {
    private ImageOpHandlers() {}

    /** Adds every image-op handler to {@code table}. */
    public static void registerInto(Map<String, OpHandler> table) {
        table.put("conv2d", a -> {
            operands(a, "conv2d");
            Tensor input = a.tensor(0);
            Tensor weight = a.tensor(1);
            ConvSpec spec = ConvShapes.conv2d("conv2d", input.shape(), weight.shape(), a.ints("stride"),
                    a.ints("padding"), pairOr(a, "dilation", 1), a.has("groups") ? a.integer("groups") : 1).spec();
            return Functional.conv2d(input, weight, a.count() > 2 ? a.tensor(2) : null, spec);
        });
        table.put("conv_transpose2d", a -> {
            operands(a, "conv_transpose2d");
            int[] stride = a.ints("stride");
            int[] padding = a.ints("padding");
            int[] dilation = pairOr(a, "dilation", 1);
            int[] outputPadding = pairOr(a, "output_padding", 0);
            ConvSpec spec = new ConvSpec(stride[0], stride[1], padding[0], padding[0], padding[1], padding[1],
                    dilation[0], dilation[1], a.has("groups") ? a.integer("groups") : 1);
            return Functional.convTranspose2d(a.tensor(0), a.tensor(1), a.count() > 2 ? a.tensor(2) : null, spec,
                    outputPadding[0], outputPadding[1]);
        });
        table.put("max_pool2d", a -> Functional.maxPool2d(a.tensor(0), poolSpec(a, "max_pool2d", true)));
        table.put("avg_pool2d", a -> Functional.avgPool2d(a.tensor(0), poolSpec(a, "avg_pool2d", true),
                a.flag("count_include_pad")));
        table.put("lp_pool2d", a -> Functional.lpPool2d(a.tensor(0), a.number("norm_type"),
                poolSpec(a, "lp_pool2d", false)));
        table.put("adaptive_avg_pool2d", a -> {
            int[] size = a.ints("output_size");
            return Functional.adaptiveAvgPool2d(a.tensor(0), size[0], size[1]);
        });
        table.put("upsample_nearest2d", a -> {
            int[] scale = a.ints("scale_factor");
            return Functional.upsampleNearest2d(a.tensor(0), scale[0], scale[1]);
        });
        table.put("upsample_bilinear2d", a -> {
            int[] size = a.ints("output_size");
            return Functional.upsampleBilinear2d(a.tensor(0), size[0], size[1]);
        });
    }

    /** The window of a pooling case; LP pooling has no padding attribute in PyTorch. */
    private static PoolSpec poolSpec(OpArgs a, String op, boolean padded) {
        int[] padding = padded ? a.ints("padding") : new int[2];
        return ConvShapes.pool2d(op, a.tensor(0).shape(), a.ints("kernel_size"), a.ints("stride"), padding,
                a.flag("ceil_mode")).spec();
    }

    /** A convolution case holds input, weight and an optional bias. */
    private static void operands(OpArgs a, String op) {
        if (a.count() < 2 || a.count() > 3) {
            throw new IllegalArgumentException(op + ": wrong number of inputs; got " + a.count()
                    + ", expected input, weight and an optional bias");
        }
    }

    private static int[] pairOr(OpArgs a, String name, int fallback) {
        return a.has(name) && !a.isNull(name) ? a.ints(name) : new int[] {fallback, fallback};
    }
}
