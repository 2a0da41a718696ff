package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.GradCheck;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;
import vecgrad.kernels.Parallel;

/**
 * Algebraic properties of every op's vector-Jacobian product, independent of finite differences: zero
 * upstream gives exactly zero, the VJP is linear in the upstream gradient, runs are bit-identical (also for
 * 1 vs 2 threads), gradients have their input's shape, and float32 agrees with float64 within a bound that
 * grows with the op's reduction length.
 */
class VjpAlgebraTest {
    static final int SEEDS = 5;

    static Stream<Arguments> opsAndSeeds() {
        return GradSpec.ALL.keySet().stream().sorted()
                .flatMap(op -> Cases.seeds(SEEDS).mapToObj(seed -> Arguments.of(op, seed)));
    }

    private static Tensor[] vjp(GradSpec.Case c, Tensor seed) {
        Tensor[] leaves = new Tensor[c.inputs().length];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = c.inputs()[i].copy().requiresGrad(c.inputs()[i].requiresGrad());
        }
        try (Tape tape = Tape.begin()) {
            Tensor out = c.f().apply(leaves);
            java.util.List<Tensor> wrt = new java.util.ArrayList<>();
            for (Tensor leaf : leaves) {
                if (leaf.requiresGrad()) {
                    wrt.add(leaf);
                }
            }
            return Tape.gradients(out, seed.to(out.dtype()), wrt.toArray(new Tensor[0]));
        }
    }

    private static int[] outputShape(GradSpec.Case c) {
        return c.f().apply(c.inputs()).shape();
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("opsAndSeeds")
    void zeroUpstreamGivesZeroGradients(String op, long seed) {
        GradSpec.Case c = GradSpec.ALL.get(op).cases().next(new SplittableRandom(seed), 5);
        for (Tensor g : vjp(c, Tensor.zeros(DType.F64, outputShape(c)))) {
            for (double value : g.toDoubleArray()) {
                assertEquals(0.0, value, 0.0, c + ": gradient of a zero upstream is " + value);
            }
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("opsAndSeeds")
    void vjpIsLinearInTheUpstreamGradient(String op, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        GradSpec.Case c = GradSpec.ALL.get(op).cases().next(rng, 5);
        int[] shape = outputShape(c);
        Tensor v = Tensor.uniform(rng, -1, 1, DType.F64, shape);
        Tensor w = Tensor.uniform(rng, -1, 1, DType.F64, shape);
        double a = rng.nextDouble(-2, 2);
        double b = rng.nextDouble(-2, 2);
        Tensor[] combined = vjp(c, v.mul(a).add(w.mul(b)));
        Tensor[] gv = vjp(c, v);
        Tensor[] gw = vjp(c, w);
        for (int i = 0; i < combined.length; i++) {
            double[] lhs = combined[i].toDoubleArray();
            double[] x = gv[i].toDoubleArray();
            double[] y = gw[i].toDoubleArray();
            double scale = 0;
            for (int j = 0; j < lhs.length; j++) {
                scale = Math.max(scale, Math.abs(a * x[j]) + Math.abs(b * y[j]));
            }
            for (int j = 0; j < lhs.length; j++) {
                double rhs = a * x[j] + b * y[j];
                assertTrue(Math.abs(lhs[j] - rhs) <= 1e-12 * scale, c + ": vjp(a·v + b·w) = " + lhs[j]
                        + " but a·vjp(v) + b·vjp(w) = " + rhs + " at element " + j + " of gradient " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("opsAndSeeds")
    void runsAreBitIdenticalForAnyThreadCountAndShapedLikeInputs(String op, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        GradSpec.Case c = GradSpec.ALL.get(op).cases().next(rng, 5);
        Tensor v = Tensor.uniform(rng, -1, 1, DType.F64, outputShape(c));
        Tensor[] one;
        Tensor[] two;
        try (Parallel.Scope single = Parallel.withThreads(1)) {
            one = vjp(c, v);
        }
        try (Parallel.Scope pair = Parallel.withThreads(2)) {
            two = vjp(c, v);
        }
        int k = 0;
        for (Tensor input : c.inputs()) {
            if (input.requiresGrad()) {
                assertArrayEquals(input.shape(), one[k].shape(), c + ": gradient shape of input " + k);
                assertArrayEquals(one[k].toDoubleArray(), two[k].toDoubleArray(), c + ": 1 vs 2 threads");
                k++;
            }
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("opsAndSeeds")
    void float32AgreesWithFloat64(String op, long seed) {
        GradSpec.Case c = GradSpec.ALL.get(op).cases().next(new SplittableRandom(seed), 5);
        // FORMAT.md §6 float32 bounds (rtol 1e-4, atol 1e-5·scale), widened by the reduction length's square root:
        // float32 rounding errors of a sum of n terms grow like √n on average.
        double scale = Math.max(1, Math.sqrt(c.reductionLength()));
        GradCheck.Options options = GradCheck.Options.strict(seed).withDirections(0).withFullJacobianMaxNumel(0)
                .withCompareFloat32(true, scale);
        GradCheck.check(c.f(), options, c.inputs());
    }
}
