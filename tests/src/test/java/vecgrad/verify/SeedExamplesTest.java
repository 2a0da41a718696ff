package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.Reduction;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;

/** The worked gradient examples of ../shared/seeds, computed by the tape. */
class SeedExamplesTest {

    /**
     * Seed 004, "Chain rule": f(x, y) = (x² + σ(y)) / (3x + y − σ(x)) at (x, y) = (1, 0) has
     * ∂f/∂x = 0.0647 and ∂f/∂y = −0.1811 (to 4 decimals).
     */
    @Test
    void chainRuleExampleOfSeed004() {
        Tensor x = Tensor.of(new double[] {1}).requiresGrad(true);
        Tensor y = Tensor.of(new double[] {0}).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            Tensor a = x.square().add(y.sigmoid());
            Tensor b = x.mul(3).add(y).sub(x.sigmoid());
            a.div(b).backward();
        }
        // The seed rounds its intermediates (b = 2.269, ∂b/∂x = 2.803) before combining them, so its 0.0647 is
        // 5.5e-5 above the exact 0.0646454; both stated values hold to within 1e-4 (4 decimals).
        assertEquals(0.0647, x.grad().item(), 1e-4);
        assertEquals(-0.1811, y.grad().item(), 1e-4);
        // and exactly the closed form of the seed's eq. (16)
        double s1 = 1 / (1 + Math.exp(-1));
        double a = 1.5;
        double b = 3 - s1;
        assertEquals(2 / b - a / (b * b) * (3 - s1 * (1 - s1)), x.grad().item(), 1e-15);
        assertEquals(0.25 / b - a / (b * b), y.grad().item(), 1e-15);
    }

    /**
     * Seed 000, softmax: the full Jacobian is ∂s_j/∂z_l = s_j(δ_jl − s_l), i.e. diag(s) − s sᵀ. The seed's answer
     * f(z_j) − f(z_j)² is only its diagonal; the off-diagonal entries −s_j s_l are asserted too.
     */
    @Test
    void softmaxJacobianIsDiagMinusOuterProduct() {
        double[] z = {0.3, -1.2, 2.0, 0.7};
        int n = z.length;
        double[] s = Tensor.of(z, n).softmax(0).toDoubleArray();
        for (int j = 0; j < n; j++) {
            Tensor leaf = Tensor.of(z, n).requiresGrad(true);
            double[] seed = new double[n];
            seed[j] = 1;
            try (Tape tape = Tape.begin()) {
                leaf.softmax(0).backward(Tensor.of(seed, n)); // row j of the Jacobian
            }
            double[] row = leaf.grad().toDoubleArray();
            for (int l = 0; l < n; l++) {
                double expected = (j == l ? s[j] : 0) - s[j] * s[l];
                assertEquals(expected, row[l], 1e-15, "d s_" + j + " / d z_" + l);
            }
            assertEquals(s[j] - s[j] * s[j], row[j], 1e-15, "the seed's diagonal f(z_j) - f(z_j)^2");
        }
    }

    /** Seed 000, sigmoid neuron f = σ(wx + b): ∂f/∂w = f(1 − f)·x (and ∂f/∂b = f(1 − f)). */
    @Test
    void sigmoidWeightDerivativeIsFTimesOneMinusFTimesX() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int trial = 0; trial < 5; trial++) {
            double xValue = rng.nextDouble(-3, 3);
            Tensor w = Tensor.of(new double[] {rng.nextDouble(-2, 2)}).requiresGrad(true);
            Tensor b = Tensor.of(new double[] {rng.nextDouble(-1, 1)}).requiresGrad(true);
            Tensor f;
            try (Tape tape = Tape.begin()) {
                f = w.mul(Tensor.of(new double[] {xValue})).add(b).sigmoid();
                f.sum().backward();
            }
            double fv = f.item();
            assertEquals(fv * (1 - fv) * xValue, w.grad().item(), 1e-15);
            assertEquals(fv * (1 - fv), b.grad().item(), 1e-15);
        }
    }

    /**
     * Seed 004, softmax regression ŷ = softmax(Wx + b), l = −Σ yᵢ log ŷᵢ: ∂l/∂W = (ŷ − y) xᵀ and ∂l/∂b = ŷ − y.
     * The seed's eq. (15), ∂l/∂W_ij = −x_j y_i (1 − ŷ_i), drops the cross terms of the softmax Jacobian; it is
     * wrong for every row i that is not the true class (there it claims 0, the truth is ŷ_i x_j).
     */
    @Test
    void softmaxRegressionGradientIsPredictionMinusTargetTimesInput() {
        SplittableRandom rng = new SplittableRandom(15);
        int k = 4;
        int d = 3;
        int label = 2;
        double[] xData = Cases.uniform(rng, d, -1, 1);
        Tensor w = Tensor.of(Cases.uniform(rng, k * d, -1, 1), k, d).requiresGrad(true);
        Tensor b = Tensor.of(Cases.uniform(rng, k, -1, 1), k).requiresGrad(true);
        Tensor x = Tensor.of(xData, d, 1);
        Tensor prediction;
        try (Tape tape = Tape.begin()) {
            Tensor logits = w.matmul(x).reshape(1, k).add(b);
            prediction = logits.softmax(1);
            Functional.crossEntropy(logits, new int[] {label}, Reduction.SUM).backward();
        }
        double[] yHat = prediction.toDoubleArray();
        double[] dw = w.grad().toDoubleArray();
        boolean seedFormulaWrongSomewhere = false;
        for (int i = 0; i < k; i++) {
            double y = i == label ? 1 : 0;
            assertEquals(yHat[i] - y, b.grad().toDoubleArray()[i], 1e-15);
            for (int j = 0; j < d; j++) {
                assertEquals((yHat[i] - y) * xData[j], dw[i * d + j], 1e-15, "dl/dW[" + i + "][" + j + "]");
                double seedEq15 = -xData[j] * y * (1 - yHat[i]);
                seedFormulaWrongSomewhere |= Math.abs(seedEq15 - dw[i * d + j]) > 1e-3;
            }
        }
        assertTrue(seedFormulaWrongSomewhere, "the seed's eq. 15 should disagree with the true gradient");
    }

    /** The same gradient in float32 agrees with float64 to float32 precision. */
    @Test
    void softmaxRegressionGradientInFloat32() {
        SplittableRandom rng = new SplittableRandom(16);
        double[] wData = Cases.uniform(rng, 12, -1, 1);
        double[] xData = Cases.uniform(rng, 6, -1, 1);
        double[][] grads = new double[2][];
        int slot = 0;
        for (DType dtype : DType.values()) {
            Tensor w = Tensor.of(wData, dtype, 3, 4).requiresGrad(true);
            try (Tape tape = Tape.begin()) {
                Functional.crossEntropy(Tensor.of(xData, dtype, 2, 3).matmul(w), new int[] {1, 3}, Reduction.MEAN).backward();
            }
            grads[slot++] = w.grad().toDoubleArray();
        }
        for (int i = 0; i < grads[0].length; i++) {
            assertEquals(grads[1][i], grads[0][i], 1e-6);
        }
    }
}
