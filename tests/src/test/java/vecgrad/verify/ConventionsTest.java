package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.Reduction;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;

/** The written conventions at kinks and ties (conformance FORMAT.md §5, STYLE.md §2 rule 7), one assertion each. */
class ConventionsTest {

    private static double[] gradient(double[] x, int[] shape, Function<Tensor, Tensor> f) {
        Tensor leaf = Tensor.of(x, shape).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            Tensor y = f.apply(leaf);
            y.backward(Tensor.ones(y.dtype(), y.shape()));
        }
        return leaf.grad().toDoubleArray();
    }

    @Test
    void kinksOfPointwiseOps() {
        double[] x = {0.0, -0.0, 1.0, -1.0};
        assertArrayEquals(new double[] {0, 0, 1, 0}, gradient(x, new int[] {4}, Tensor::relu));
        assertArrayEquals(new double[] {0, 0, 1, -1}, gradient(x, new int[] {4}, Tensor::abs), 0);
        assertArrayEquals(new double[] {0.2, 0.2, 1, 0.2}, gradient(x, new int[] {4}, t -> t.leakyRelu(0.2)));
        assertArrayEquals(new double[] {0.5, 0.5, 1, 0.5 * Math.exp(-1)}, gradient(x, new int[] {4}, t -> t.elu(0.5)), 1e-15);
        // clamp bounds are inclusive: slope 1 exactly at min and max
        assertArrayEquals(new double[] {1, 1, 0, 1}, gradient(new double[] {-0.5, 0.75, 0.8, 0.0}, new int[] {4},
                t -> t.clamp(-0.5, 0.75)));
    }

    @Test
    void tiesOfMaxAndMin() {
        double[] x = {3, 1, 3, 2, 2, 2};
        // along a dim: everything to the first maximum of each row
        assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0}, gradient(x, new int[] {2, 3}, t -> t.max(1, false)));
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, gradient(x, new int[] {2, 3}, t -> t.min(1, false)));
        // over all elements: split evenly among the tied maxima
        assertArrayEquals(new double[] {0.5, 0, 0.5, 0, 0, 0}, gradient(x, new int[] {2, 3}, Tensor::max));
        assertArrayEquals(new double[] {0.5, 0, 0.5, 0, 0, 0}, gradient(x, new int[] {2, 3}, t -> t.max(null, true)));
        // elementwise maximum/minimum: a tie splits the gradient between both operands
        assertArrayEquals(new double[] {0.5, 0, 1, 0, 0.5, 1}, gradient(x, new int[] {2, 3},
                t -> t.maximum(Tensor.of(new double[] {3, 2, 1}, 3))));
    }

    @Test
    void lossConventions() {
        // l1 at input == target: gradient 0 for both
        Tensor input = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor target = Tensor.of(new double[] {1, 3}, 2).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            Functional.l1Loss(input, target, Reduction.SUM).backward();
        }
        assertArrayEquals(new double[] {0, -1}, input.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {0, 1}, target.grad().toDoubleArray(), 0);
    }
}
