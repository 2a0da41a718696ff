package vecgrad.verify;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.Tensor;
import vecgrad.kernels.ConvGeometry;
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.ConvSpec;
import vecgrad.kernels.PoolSpec;

/**
 * Gradient specs of the image ops: convolution (random N, C, H, W, kernel, stride, per-side padding,
 * dilation, groups), transposed convolution, max / average / LP / adaptive pooling and nearest / bilinear
 * upsampling. Max-pool inputs come from {@link Cases#distinctSpaced}, so no window holds a tie; LP-pool
 * inputs are positive, so no window sums to 0 (its kink) and x^p is real for every p.
 */
final class ImageSpecs {
    private ImageSpecs() {}

    /** Seeds per op: convolutions are the heavy rows of the suite. */
    private static final int SEEDS = 10;

    static final Map<String, GradSpec> ALL = build();

    private static Map<String, GradSpec> build() {
        Map<String, GradSpec> specs = new TreeMap<>();
        specs.put("conv2d", new GradSpec("conv2d", SEEDS, (rng, maxSize) -> {
            ConvGeometry g = convGeometry(rng, maxSize);
            Tensor x = leaf(rng, g.inputShape());
            Tensor w = leaf(rng, g.weightShape());
            boolean withBias = rng.nextBoolean();
            ConvSpec spec = g.spec();
            GradSpec.Case c = withBias
                    ? new GradSpec.Case("conv2d(" + spec + ")", in -> Functional.conv2d(in[0], in[1], in[2], spec), x,
                            w, leaf(rng, g.outChannels()))
                    : new GradSpec.Case("conv2d(" + spec + ")", in -> Functional.conv2d(in[0], in[1], null, spec), x, w);
            return c.withReduction(Math.max(g.inChannelsPerGroup() * g.kernelHeight() * g.kernelWidth(),
                    g.batch() * g.outHeight() * g.outWidth()));
        }));
        specs.put("conv_transpose2d", new GradSpec("conv_transpose2d", SEEDS, (rng, maxSize) -> {
            ConvGeometry conv = convGeometry(rng, maxSize);
            int padH = rng.nextInt(conv.spec().strideHeight());
            int padW = rng.nextInt(conv.spec().strideWidth());
            ConvSpec spec = conv.spec();
            int[] inputShape = conv.outputShape();
            int[] weightShape = conv.weightShape();
            ConvGeometry g = ConvShapes.convTranspose2d("conv_transpose2d", inputShape, weightShape, spec, padH, padW);
            Tensor x = leaf(rng, inputShape);
            Tensor w = leaf(rng, weightShape);
            Tensor b = leaf(rng, g.inChannels());
            return new GradSpec.Case("conv_transpose2d(" + spec + ", output padding [" + padH + ", " + padW + "])",
                    in -> Functional.convTranspose2d(in[0], in[1], in[2], spec, padH, padW), x, w, b)
                    .withReduction(Math.max(g.outChannelsPerGroup() * g.kernelHeight() * g.kernelWidth(),
                            g.batch() * g.outHeight() * g.outWidth()));
        }));
        specs.put("max_pool2d", new GradSpec("max_pool2d", SEEDS, (rng, maxSize) -> {
            PoolSpec spec = poolSpec(rng, true);
            int[] shape = poolInput(rng, maxSize, spec);
            Tensor x = Tensor.of(Cases.distinctSpaced(rng, GradSpec.numel(shape), 0.1), shape).requiresGrad(true);
            return new GradSpec.Case("max_pool2d(" + spec + ")", in -> Functional.maxPool2d(in[0], spec), x)
                    .withReduction(spec.kernelHeight() * spec.kernelWidth());
        }));
        specs.put("avg_pool2d", new GradSpec("avg_pool2d", SEEDS, (rng, maxSize) -> {
            PoolSpec spec = poolSpec(rng, true);
            boolean include = rng.nextBoolean();
            int[] shape = poolInput(rng, maxSize, spec);
            return new GradSpec.Case("avg_pool2d(" + spec + ", count_include_pad " + include + ")",
                    in -> Functional.avgPool2d(in[0], spec, include), leaf(rng, shape))
                    .withReduction(spec.kernelHeight() * spec.kernelWidth());
        }));
        specs.put("lp_pool2d", new GradSpec("lp_pool2d", SEEDS, (rng, maxSize) -> {
            PoolSpec spec = poolSpec(rng, false);
            double p = new double[] {1.5, 2, 3}[rng.nextInt(3)];
            int[] shape = poolInput(rng, maxSize, spec);
            Tensor x = Tensor.of(Cases.uniform(rng, GradSpec.numel(shape), 0.5, 2), shape).requiresGrad(true);
            return new GradSpec.Case("lp_pool2d(p " + p + ", " + spec + ")", in -> Functional.lpPool2d(in[0], p, spec), x)
                    .withReduction(spec.kernelHeight() * spec.kernelWidth());
        }));
        specs.put("adaptive_avg_pool2d", new GradSpec("adaptive_avg_pool2d", SEEDS, (rng, maxSize) -> {
            int[] shape = image(rng, maxSize, 1, 1);
            int outHeight = rng.nextInt(1, maxSize + 1);
            int outWidth = rng.nextInt(1, maxSize + 1);
            return new GradSpec.Case("adaptive_avg_pool2d(" + outHeight + ", " + outWidth + ")",
                    in -> Functional.adaptiveAvgPool2d(in[0], outHeight, outWidth), leaf(rng, shape))
                    .withReduction(shape[2] * shape[3]);
        }));
        specs.put("upsample_nearest2d", new GradSpec("upsample_nearest2d", SEEDS, (rng, maxSize) -> {
            int[] shape = image(rng, maxSize, 1, 1);
            int sh = rng.nextInt(1, 4);
            int sw = rng.nextInt(1, 4);
            return new GradSpec.Case("upsample_nearest2d(" + sh + ", " + sw + ")",
                    in -> Functional.upsampleNearest2d(in[0], sh, sw), leaf(rng, shape)).withReduction(sh * sw);
        }));
        specs.put("upsample_bilinear2d", new GradSpec("upsample_bilinear2d", SEEDS, (rng, maxSize) -> {
            int[] shape = image(rng, maxSize, 1, 1);
            int outHeight = rng.nextInt(1, 2 * maxSize + 1);
            int outWidth = rng.nextInt(1, 2 * maxSize + 1);
            return new GradSpec.Case("upsample_bilinear2d(" + outHeight + ", " + outWidth + ")",
                    in -> Functional.upsampleBilinear2d(in[0], outHeight, outWidth), leaf(rng, shape))
                    .withReduction(4 * (outHeight / shape[2] + 2) * (outWidth / shape[3] + 2));
        }));
        return specs;
    }

    /** A random convolution: groups 1-2, up to 3 channels per group each way, kernel 1-3, stride 1-2, dilation 1-2. */
    static ConvGeometry convGeometry(SplittableRandom rng, int maxSize) {
        int cap = Math.max(1, maxSize);
        int groups = rng.nextInt(1, 3);
        int cpg = rng.nextInt(1, Math.min(3, cap) + 1);
        int opg = rng.nextInt(1, Math.min(3, cap) + 1);
        int kh = rng.nextInt(1, Math.min(3, cap) + 1);
        int kw = rng.nextInt(1, Math.min(3, cap) + 1);
        int dh = rng.nextInt(1, 3);
        int dw = rng.nextInt(1, 3);
        int[] pads = {rng.nextInt(3), rng.nextInt(3), rng.nextInt(3), rng.nextInt(3)};
        ConvSpec spec = new ConvSpec(rng.nextInt(1, 3), rng.nextInt(1, 3), pads[0], pads[1], pads[2], pads[3], dh, dw,
                groups);
        int minH = Math.max(1, (kh - 1) * dh + 1 - pads[0] - pads[1]);
        int minW = Math.max(1, (kw - 1) * dw + 1 - pads[2] - pads[3]);
        int height = rng.nextInt(minH, Math.max(minH, cap) + 1);
        int width = rng.nextInt(minW, Math.max(minW, cap) + 1);
        return ConvShapes.conv2d(new int[] {rng.nextInt(1, 3), groups * cpg, height, width},
                new int[] {groups * opg, cpg, kh, kw}, spec);
    }

    /** Kernel 1-3, stride 1-3, padding up to half the kernel (none for LP pooling), ceil mode either way. */
    private static PoolSpec poolSpec(SplittableRandom rng, boolean padded) {
        int kh = rng.nextInt(1, 4);
        int kw = rng.nextInt(1, 4);
        return new PoolSpec(kh, kw, rng.nextInt(1, 4), rng.nextInt(1, 4), padded ? rng.nextInt(kh / 2 + 1) : 0,
                padded ? rng.nextInt(kw / 2 + 1) : 0, rng.nextBoolean());
    }

    private static int[] poolInput(SplittableRandom rng, int maxSize, PoolSpec spec) {
        return image(rng, maxSize, Math.max(1, spec.kernelHeight() - 2 * spec.padHeight()),
                Math.max(1, spec.kernelWidth() - 2 * spec.padWidth()));
    }

    /** {@code [N, C, H, W]} with N 1-2, C 1-3, H and W between the minimum and the cap. */
    private static int[] image(SplittableRandom rng, int maxSize, int minHeight, int minWidth) {
        int height = rng.nextInt(minHeight, Math.max(minHeight, maxSize) + 1);
        int width = rng.nextInt(minWidth, Math.max(minWidth, maxSize) + 1);
        return new int[] {rng.nextInt(1, 3), rng.nextInt(1, 4), height, width};
    }

    private static Tensor leaf(SplittableRandom rng, int... shape) {
        return GradSpec.leaf(Cases.uniform(rng, GradSpec.numel(shape), -1, 1), shape);
    }
}
