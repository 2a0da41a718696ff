package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.autodiff.GradCheck;
import vecgrad.autodiff.Ops;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;

/**
 * One gradient property per registered op (STYLE.md §9): central differences along 3 random directions plus
 * a per-element (full Jacobian on tiny shapes) check, float64, strict tolerances (eps 1e-6, rtol 1e-6,
 * atol 1e-9); GradCheck also asserts gradient shapes, reentrancy and zero-seed → zero gradients.
 */
class GradSpecTest {
    /** Dimension cap of generated shapes; failures are shrunk from here. */
    static final int MAX_SIZE = 6;

    @Test
    void everyOpInTheCatalogHasAGradientSpec() {
        assertEquals(Ops.names(), new TreeSet<>(GradSpec.ALL.keySet()), "ops without a gradient spec (or specs without an op)");
    }

    static Stream<Arguments> opsAndSeeds() {
        return GradSpec.ALL.keySet().stream().sorted()
                .flatMap(op -> Cases.seeds(GradSpec.ALL.get(op).seeds()).mapToObj(seed -> Arguments.of(op, seed)));
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("opsAndSeeds")
    void backwardMatchesCentralDifferences(String op, long seed) {
        GradSpec spec = GradSpec.ALL.get(op);
        Property.check(op, seed, MAX_SIZE, (rng, maxSize) -> {
            GradSpec.Case c = spec.cases().next(rng, maxSize);
            try {
                GradCheck.check(c.f(), GradCheck.Options.strict(seed), c.inputs());
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(c + ": " + e.getMessage(), e);
            }
        });
    }

    /** The checker can fail: a rule that forgets a factor 2 is rejected. */
    @Test
    void aDeliberatelyWrongBackwardRuleIsCaught() {
        Tensor x = Tensor.of(Cases.uniform(new SplittableRandom(1), 6, -2, 2), 2, 3);
        GradCheck.Failure failure = assertThrows(GradCheck.Failure.class,
                () -> GradCheck.check(in -> WrongSquare.apply(in[0]), GradCheck.Options.strict(1), x));
        assertTrue(failure.getMessage().contains("'square'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("analytic") && failure.getMessage().contains("numeric"),
                failure.getMessage());
        // and the correct rule passes with the same settings
        GradCheck.check(in -> in[0].square(), GradCheck.Options.strict(1), x);
    }

    /** x² whose backward returns grad·x instead of grad·2x, recorded through the public Tape API. */
    static final class WrongSquare {
        static Tensor apply(Tensor x) {
            Tensor y = Tensor.of(square(x.toDoubleArray()), x.shape());
            return Tape.record("square", y, new Tensor[] {x}, (grad, needs) -> new Tensor[] {grad.mul(x)});
        }

        private static double[] square(double[] values) {
            double[] out = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = values[i] * values[i];
            }
            return out;
        }
    }
}
