package vecgrad.verify;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.Reduction;
import vecgrad.autodiff.Tensor;

/** Gradient specs of the losses, with every reduction; targets held constant where the op takes no target gradient. */
final class LossSpecs {
    private LossSpecs() {}

    @FunctionalInterface
    interface Loss {
        Tensor apply(Tensor input, Tensor target, Reduction reduction);
    }

    static final Map<String, GradSpec> ALL = build();

    private static Map<String, GradSpec> build() {
        Map<String, GradSpec> specs = new TreeMap<>();
        specs.put("mse_loss", loss("mse_loss", Functional::mseLoss, true, (rng, n) -> Cases.uniform(rng, n, -2, 2), null));
        // l1: |x − t| >= 1e-2, away from the kink at x == t.
        specs.put("l1_loss", loss("l1_loss", Functional::l1Loss, true, null, null));
        specs.put("binary_cross_entropy", loss("binary_cross_entropy", Functional::binaryCrossEntropy, false,
                (rng, n) -> Cases.uniform(rng, n, 0.05, 0.95), (rng, n) -> Cases.uniform(rng, n, 0, 1)));
        specs.put("binary_cross_entropy_with_logits", loss("binary_cross_entropy_with_logits",
                Functional::binaryCrossEntropyWithLogits, true, (rng, n) -> Cases.uniform(rng, n, -4, 4),
                (rng, n) -> Cases.uniform(rng, n, 0, 1)));
        specs.put("kl_div", loss("kl_div", Functional::klDiv, true, (rng, n) -> Cases.uniform(rng, n, -3, -0.1),
                (rng, n) -> Cases.uniform(rng, n, 0.05, 1)));
        specs.put("cross_entropy", new GradSpec("cross_entropy", 25, (rng, maxSize) -> {
            Reduction reduction = Reduction.values()[rng.nextInt(3)];
            int n = rng.nextInt(reduction == Reduction.NONE ? 0 : 1, maxSize + 1);
            int classes = rng.nextInt(1, maxSize + 1);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rng.nextInt(classes);
            }
            Tensor logits = GradSpec.leaf(Cases.uniform(rng, n * classes, -3, 3), n, classes);
            return new GradSpec.Case("cross_entropy(" + reduction + ")",
                    in -> Functional.crossEntropy(in[0], labels, reduction), logits).withReduction(Math.max(n, classes));
        }));
        return specs;
    }

    private static GradSpec loss(String op, Loss loss, boolean targetTakesGrad, PointwiseSpecs.Domain inputs,
                                 PointwiseSpecs.Domain targets) {
        return new GradSpec(op, 25, (rng, maxSize) -> {
            Reduction reduction = Reduction.values()[rng.nextInt(3)];
            int[] shape = GradSpec.shape(rng, 0, 3, maxSize, reduction == Reduction.NONE);
            int count = GradSpec.numel(shape);
            double[] t;
            double[] x;
            if (inputs == null) { // l1: input = target + an offset of at least 1e-2
                t = Cases.uniform(rng, count, -2, 2);
                double[] offset = Cases.awayFromZero(rng, count, 1e-2, 1);
                x = new double[count];
                for (int i = 0; i < count; i++) {
                    x[i] = t[i] + offset[i];
                }
            } else {
                x = inputs.draw(rng, count);
                t = (targets == null ? inputs : targets).draw(rng, count);
            }
            Tensor input = GradSpec.leaf(x, shape);
            Tensor target = targetTakesGrad ? GradSpec.leaf(t, shape) : GradSpec.constant(t, shape);
            return new GradSpec.Case(op + "(" + reduction + ")", in -> loss.apply(in[0], in[1], reduction), input, target)
                    .withReduction(count);
        });
    }
}
