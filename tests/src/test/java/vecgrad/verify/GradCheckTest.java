package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.GradCheck;
import vecgrad.autodiff.Reduction;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;

/** GradCheck as users run it: on whole models, with a report, and failing loudly on a subtly wrong rule. */
class GradCheckTest {

    private static Tensor mlpLoss(Tensor[] in, int[] labels) {
        Tensor hidden = in[0].matmul(in[1]).add(in[2]).tanh();
        return Functional.crossEntropy(hidden.matmul(in[3]), labels, Reduction.MEAN);
    }

    @Test
    void wholeModelPassesWithUserDefaultsAndStrictSettings() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = Tensor.uniform(rng, -1, 1, DType.F64, 6, 5);
        Tensor w1 = Tensor.uniform(rng, -1, 1, DType.F64, 5, 4).requiresGrad(true);
        Tensor b1 = Tensor.uniform(rng, -1, 1, DType.F64, 4).requiresGrad(true);
        Tensor w2 = Tensor.uniform(rng, -1, 1, DType.F64, 4, 3).requiresGrad(true);
        int[] labels = {0, 2, 1, 1, 0, 2};
        GradCheck.Report report = GradCheck.check(in -> mlpLoss(in, labels), x, w1, b1, w2);
        assertEquals("cross_entropy", report.op());
        assertEquals(3, report.directions());
        assertEquals(20 + 4 + 12, report.elements()); // x is held constant: it does not require grad
        assertTrue(report.fullJacobian()); // scalar output: every Jacobian entry compared
        assertTrue(report.worstRatio() < 1, "worst " + report.worstRatio());
        GradCheck.check(in -> mlpLoss(in, labels), GradCheck.Options.strict(3).withCompareFloat32(true, 4), x, w1, b1, w2);
    }

    @Test
    void largeInputsUseTheProjectedCheckOnly() {
        SplittableRandom rng = new SplittableRandom(6);
        Tensor a = Tensor.uniform(rng, -1, 1, DType.F64, 9, 13);
        Tensor b = Tensor.uniform(rng, -1, 1, DType.F64, 13, 7);
        GradCheck.Report report = GradCheck.check(in -> in[0].matmul(in[1]).sigmoid(), GradCheck.Options.strict(1), a, b);
        assertEquals(0, report.elements());
        assertFalse(report.fullJacobian());
    }

    @Test
    void aSlightlyWrongRuleInsideAModelIsReportedWithItsWorstElement() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor x = Tensor.uniform(rng, 0.5, 2, DType.F64, 3, 2);
        // 1.01·grad: a 1% error, far beyond the strict relative bound of 1e-6
        GradCheck.Failure failure = assertThrows(GradCheck.Failure.class, () -> GradCheck.check(
                in -> Tape.record("log", in[0].log(), new Tensor[] {in[0]},
                        (grad, needs) -> new Tensor[] {grad.div(in[0]).mul(1.01)}).sum(),
                GradCheck.Options.strict(2), x));
        assertTrue(failure.getMessage().contains("relative error"), failure.getMessage());
        assertTrue(failure.getMessage().contains("analytic") && failure.getMessage().contains("numeric"), failure.getMessage());
    }

    @Test
    void float32ComparisonFindsAFloat32OnlyBug() {
        Tensor x = Tensor.uniform(new SplittableRandom(8), -1, 1, DType.F64, 4);
        // a function that is right in float64 and loses precision in float32 beyond the FORMAT.md bounds
        GradCheck.Failure failure = assertThrows(GradCheck.Failure.class, () -> GradCheck.check(
                in -> in[0].dtype() == DType.F32 ? in[0].add(1e-3).exp() : in[0].exp(),
                GradCheck.Options.strict(1).withCompareFloat32(true, 1), x));
        assertTrue(failure.getMessage().contains("float32"), failure.getMessage());
    }
}
