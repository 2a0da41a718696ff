package vecgrad.verify;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import vecgrad.autodiff.Tensor;

/**
 * Gradient specs of the reductions: one dim, several dims or all, with and without keepdim. max/min draw
 * from a spaced ladder so no slice holds a tie; reductions that refuse empty input get no zero-size reduced dim.
 */
final class ReductionSpecs {
    private ReductionSpecs() {}

    @FunctionalInterface
    interface Reduce {
        Tensor apply(Tensor x, int[] dims, boolean keepdim);
    }

    static final Map<String, GradSpec> ALL = build();

    private static Map<String, GradSpec> build() {
        Map<String, GradSpec> specs = new TreeMap<>();
        reduction(specs, "sum", true, PointwiseSpecs.ANY, (x, dims, keep) -> dims == null && !keep ? x.sum() : x.sum(all(x, dims), keep));
        reduction(specs, "mean", false, PointwiseSpecs.ANY, (x, dims, keep) -> x.mean(all(x, dims), keep));
        PointwiseSpecs.Domain spaced = (rng, n) -> Cases.distinctSpaced(rng, n, 0.01);
        reduction(specs, "max", false, spaced, (x, dims, keep) -> dims == null ? (keep ? x.max(all(x, null), true) : x.max())
                : dims.length == 1 ? x.max(dims[0], keep) : x.max(dims, keep));
        reduction(specs, "min", false, spaced, (x, dims, keep) -> dims == null ? (keep ? x.min(all(x, null), true) : x.min())
                : dims.length == 1 ? x.min(dims[0], keep) : x.min(dims, keep));
        reduction(specs, "logsumexp", false, (rng, n) -> Cases.uniform(rng, n, -3, 3),
                (x, dims, keep) -> x.logsumexp(all(x, dims), keep));
        specs.put("var", new GradSpec("var", 25, (rng, maxSize) -> {
            int[] shape;
            int[] dims;
            int correction = rng.nextInt(2);
            do { // the reduced count must exceed the correction
                shape = GradSpec.shape(rng, 1, 3, Math.max(2, maxSize), false);
                dims = GradSpec.dims(rng, shape.length);
            } while (GradSpec.reducedCount(shape, dims) <= correction);
            int[] picked = dims;
            boolean keep = rng.nextBoolean();
            int count = GradSpec.reducedCount(shape, dims);
            Tensor x = GradSpec.leaf(Cases.uniform(rng, GradSpec.numel(shape), -2, 2), shape);
            return new GradSpec.Case("var(dims " + Arrays.toString(dims) + ", keepdim " + keep + ", correction "
                    + correction + ")", in -> in[0].var(all(in[0], picked), keep, correction), x).withReduction(count);
        }));
        return specs;
    }

    private static int[] all(Tensor x, int[] dims) {
        if (dims != null) {
            return dims;
        }
        int[] every = new int[x.rank()];
        for (int d = 0; d < every.length; d++) {
            every[d] = d;
        }
        return every;
    }

    private static void reduction(Map<String, GradSpec> specs, String op, boolean emptyAllowed,
                                  PointwiseSpecs.Domain domain, Reduce reduce) {
        specs.put(op, new GradSpec(op, 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 0, 3, maxSize, true);
            int[] dims = GradSpec.dims(rng, shape.length);
            if (!emptyAllowed && GradSpec.reducedCount(shape, dims) == 0) {
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = Math.max(shape[d], 1);
                }
            }
            boolean keep = rng.nextBoolean();
            int[] picked = dims;
            Tensor x = GradSpec.leaf(domain.draw(rng, GradSpec.numel(shape)), shape);
            return new GradSpec.Case(op + "(dims " + Arrays.toString(dims) + ", keepdim " + keep + ")",
                    in -> reduce.apply(in[0], picked, keep), x).withReduction(GradSpec.reducedCount(shape, dims));
        }));
    }
}
