package vecgrad.verify;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import vecgrad.autodiff.Tensor;

/** Gradient specs of matmul (all three forms, batch broadcasting) and the softmax family. */
final class LinalgSpecs {
    private LinalgSpecs() {}

    static final Map<String, GradSpec> ALL = build();

    private static Map<String, GradSpec> build() {
        Map<String, GradSpec> specs = new TreeMap<>();
        specs.put("matmul", new GradSpec("matmul", 25, (rng, maxSize) -> {
            int cap = Math.min(maxSize, 13);
            int m = size(rng, cap);
            int k = size(rng, cap);
            int n = size(rng, cap);
            int batch = rng.nextInt(1, 4);
            int form = rng.nextInt(5);
            int[] shapeA = switch (form) {
                case 0, 3 -> new int[] {m, k};
                case 4 -> new int[] {1, m, k};
                default -> new int[] {batch, m, k};
            };
            int[] shapeB = switch (form) {
                case 0, 2 -> new int[] {k, n};
                default -> new int[] {batch, k, n};
            };
            Tensor a = GradSpec.leaf(Cases.uniform(rng, GradSpec.numel(shapeA), -2, 2), shapeA);
            Tensor b = GradSpec.leaf(Cases.uniform(rng, GradSpec.numel(shapeB), -2, 2), shapeB);
            return new GradSpec.Case("matmul", in -> in[0].matmul(in[1]), a, b).withReduction(k * batch);
        }));
        specs.put("softmax", softmaxSpec("softmax", false));
        specs.put("log_softmax", softmaxSpec("log_softmax", true));
        return specs;
    }

    /** Sizes up to the cap, with 1 and (rarely) 0 in the mix. */
    private static int size(SplittableRandom rng, int cap) {
        int pick = rng.nextInt(12);
        return pick == 0 ? 0 : pick == 1 ? 1 : rng.nextInt(1, Math.max(1, cap) + 1);
    }

    private static GradSpec softmaxSpec(String op, boolean log) {
        return new GradSpec(op, 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 1, 3, maxSize, true);
            int dim = rng.nextInt(-shape.length, shape.length);
            Tensor x = GradSpec.leaf(Cases.uniform(rng, GradSpec.numel(shape), -3, 3), shape);
            return new GradSpec.Case(op + "(dim " + dim + ")", in -> log ? in[0].logSoftmax(dim) : in[0].softmax(dim), x)
                    .withReduction(shape[dim < 0 ? dim + shape.length : dim]);
        });
    }
}
