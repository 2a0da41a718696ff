package vecgrad.verify;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import vecgrad.autodiff.Tensor;

/** Gradient specs of the broadcasting binary ops: random shapes where either side may be stretched. */
final class BroadcastSpecs {
    private BroadcastSpecs() {}

    static final Map<String, GradSpec> ALL = build();

    private static Map<String, GradSpec> build() {
        Map<String, GradSpec> specs = new TreeMap<>();
        PointwiseSpecs.Domain any = PointwiseSpecs.ANY;
        binary(specs, "add", any, any, Tensor::add);
        binary(specs, "sub", any, any, Tensor::sub);
        binary(specs, "mul", any, any, Tensor::mul);
        binary(specs, "div", any, (rng, n) -> Cases.awayFromZero(rng, n, 0.5, 2), Tensor::div);
        // maximum/minimum: a and b on interleaved ladders (a near even, b near odd multiples of 0.01), so
        // |a − b| >= 0.006 for every broadcast pair and no tie (a kink) is ever hit.
        PointwiseSpecs.Domain even = (rng, n) -> ladder(rng, n, 0);
        PointwiseSpecs.Domain odd = (rng, n) -> ladder(rng, n, 0.01);
        binary(specs, "maximum", even, odd, Tensor::maximum);
        binary(specs, "minimum", even, odd, Tensor::minimum);
        specs.put("pow", new GradSpec("pow", 25, (rng, maxSize) -> {
            if (rng.nextBoolean()) { // tensor exponent: positive base, any exponent
                return pair(rng, maxSize, (r, n) -> Cases.uniform(r, n, 0.5, 2), (r, n) -> Cases.uniform(r, n, -2, 2),
                        "pow(tensor)", Tensor::pow);
            }
            double exponent = new double[] {0, 1, 2, 3, -1, 0.5, 1.5, -2.5}[rng.nextInt(8)];
            boolean integer = exponent == Math.rint(exponent) && exponent >= 0;
            PointwiseSpecs.Domain domain = integer ? PointwiseSpecs.ANY : (r, n) -> Cases.uniform(r, n, 0.5, 2);
            return PointwiseSpecs.one(rng, maxSize, domain, "pow(" + exponent + ")", x -> x.pow(exponent));
        }));
        return specs;
    }

    private static double[] ladder(SplittableRandom rng, int n, double offset) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 0.02 * rng.nextInt(-100, 100) + offset + rng.nextDouble(-0.002, 0.002);
        }
        return x;
    }

    private static void binary(Map<String, GradSpec> specs, String op, PointwiseSpecs.Domain left,
                               PointwiseSpecs.Domain right, BinaryOperator<Tensor> f) {
        specs.put(op, new GradSpec(op, 25, (rng, maxSize) -> pair(rng, maxSize, left, right, op, f)));
    }

    static GradSpec.Case pair(SplittableRandom rng, int maxSize, PointwiseSpecs.Domain left,
                              PointwiseSpecs.Domain right, String op, BinaryOperator<Tensor> f) {
        int[] full = GradSpec.shape(rng, 0, 3, maxSize, true);
        int[] partner = GradSpec.broadcastPartner(rng, full);
        boolean swap = rng.nextBoolean();
        int[] shapeA = swap ? partner : full;
        int[] shapeB = swap ? full : partner;
        Tensor a = GradSpec.leaf(left.draw(rng, GradSpec.numel(shapeA)), shapeA);
        Tensor b = GradSpec.leaf(right.draw(rng, GradSpec.numel(shapeB)), shapeB);
        return new GradSpec.Case(op, in -> f.apply(in[0], in[1]), a, b);
    }
}
