package vecgrad.verify;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import vecgrad.autodiff.Tensor;

/** Gradient specs of the elementwise unary ops; each generator stays on the op's smooth domain. */
final class PointwiseSpecs {
    private PointwiseSpecs() {}

    /** Where an op's inputs are drawn from: n values from the seeded generator. */
    @FunctionalInterface
    interface Domain {
        double[] draw(SplittableRandom rng, int n);
    }

    static final Domain ANY = (rng, n) -> Cases.uniform(rng, n, -2, 2);
    /** log and sqrt: [0.1, 5], away from the singularity at 0 (STYLE.md §9). */
    static final Domain POSITIVE = (rng, n) -> Cases.uniform(rng, n, 0.1, 5);
    /** Kinks at 0 (abs, relu, leaky_relu, elu): |x| >= 1e-3, far beyond eps = 1e-6. */
    static final Domain AWAY_FROM_ZERO = (rng, n) -> Cases.awayFromZero(rng, n, 1e-3, 3);

    static final Map<String, GradSpec> ALL = build();

    private static Map<String, GradSpec> build() {
        Map<String, GradSpec> specs = new TreeMap<>();
        unary(specs, "neg", ANY, Tensor::neg);
        unary(specs, "exp", ANY, Tensor::exp);
        unary(specs, "log", POSITIVE, Tensor::log);
        unary(specs, "sqrt", POSITIVE, Tensor::sqrt);
        unary(specs, "abs", AWAY_FROM_ZERO, Tensor::abs);
        unary(specs, "square", ANY, Tensor::square);
        unary(specs, "tanh", ANY, Tensor::tanh);
        unary(specs, "sigmoid", (rng, n) -> Cases.uniform(rng, n, -4, 4), Tensor::sigmoid);
        unary(specs, "relu", AWAY_FROM_ZERO, Tensor::relu);
        specs.put("leaky_relu", new GradSpec("leaky_relu", 25, (rng, maxSize) -> {
            double slope = rng.nextDouble(0.01, 0.5);
            return one(rng, maxSize, AWAY_FROM_ZERO, "leaky_relu(" + slope + ")", x -> x.leakyRelu(slope));
        }));
        specs.put("elu", new GradSpec("elu", 25, (rng, maxSize) -> {
            double alpha = rng.nextDouble(0.1, 2);
            return one(rng, maxSize, AWAY_FROM_ZERO, "elu(" + alpha + ")", x -> x.elu(alpha));
        }));
        specs.put("softplus", new GradSpec("softplus", 25, (rng, maxSize) -> {
            double beta = new double[] {0.5, 1, 2}[rng.nextInt(3)];
            // |βx| <= 8 stays far below the threshold 20, where PyTorch switches to the identity.
            return one(rng, maxSize, (r, n) -> Cases.uniform(r, n, -4, 4), "softplus(" + beta + ", 20)",
                    x -> x.softplus(beta, 20));
        }));
        specs.put("clamp", new GradSpec("clamp", 25, (rng, maxSize) -> {
            Double min = rng.nextInt(4) == 0 ? null : rng.nextDouble(-1.5, -0.2);
            Double max = rng.nextInt(4) == 0 ? null : rng.nextDouble(0.2, 1.5);
            // Values within 1e-3 of a bound are pushed off it: the bounds are kinks.
            Domain domain = (r, n) -> {
                double[] x = Cases.uniform(r, n, -2, 2);
                for (int i = 0; i < n; i++) {
                    for (Double bound : new Double[] {min, max}) {
                        if (bound != null && Math.abs(x[i] - bound) < 1e-3) {
                            x[i] = bound + 0.01;
                        }
                    }
                }
                return x;
            };
            return one(rng, maxSize, domain, "clamp(" + min + ", " + max + ")", x -> x.clamp(min, max));
        }));
        return specs;
    }

    private static void unary(Map<String, GradSpec> specs, String op, Domain domain, Function<Tensor, Tensor> f) {
        specs.put(op, new GradSpec(op, 25, (rng, maxSize) -> one(rng, maxSize, domain, op, f)));
    }

    static GradSpec.Case one(SplittableRandom rng, int maxSize, Domain domain, String description,
                             Function<Tensor, Tensor> f) {
        int[] shape = GradSpec.shape(rng, 0, 3, maxSize, true);
        Tensor x = GradSpec.leaf(domain.draw(rng, GradSpec.numel(shape)), shape);
        return new GradSpec.Case(description, in -> f.apply(in[0]), x);
    }
}
