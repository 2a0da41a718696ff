package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.NoGrad;
import vecgrad.autodiff.Reduction;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;

/** {@link Tensor#recycleGrad()}: the next backward overwrites the released gradient storage with correct values. */
class GradRecycleTest {

    /** Three SGD steps of a small relu MLP; returns the parameters afterwards, flattened. */
    private static float[][] train(boolean recycle, DType dtype) {
        SplittableRandom rng = new SplittableRandom(41);
        Tensor w1 = Tensor.uniform(rng, -0.5, 0.5, dtype, 6, 5).requiresGrad(true);
        Tensor b1 = Tensor.uniform(rng, -0.1, 0.1, dtype, 5).requiresGrad(true);
        Tensor w2 = Tensor.uniform(rng, -0.5, 0.5, dtype, 5, 3).requiresGrad(true);
        Tensor x = Tensor.uniform(rng, -1, 1, dtype, 4, 6);
        int[] labels = {0, 2, 1, 2};
        for (int step = 0; step < 3; step++) {
            for (Tensor p : new Tensor[] {w1, b1, w2}) {
                if (recycle) {
                    p.recycleGrad();
                } else {
                    p.zeroGrad();
                }
                assertNull(p.grad());
            }
            try (Tape tape = Tape.begin()) {
                Tensor hidden = x.matmul(w1).add(b1).relu();
                // w2 is used twice: its second contribution must not land in the same recycled array
                Tensor logits = hidden.matmul(w2).add(hidden.matmul(w2.mul(Tensor.full(0.5, dtype, 5, 3))));
                Functional.crossEntropy(logits, labels, Reduction.MEAN).backward();
            }
            try (NoGrad off = NoGrad.enter()) {
                for (Tensor p : new Tensor[] {w1, b1, w2}) {
                    p.axpyInPlace(-0.1, p.grad());
                }
            }
        }
        return new float[][] {w1.toFloatArray(), b1.toFloatArray(), w2.toFloatArray()};
    }

    @Test
    void recycledGradientsGiveTheSameTrainingAsFreshOnes() {
        for (DType dtype : DType.values()) {
            float[][] fresh = train(false, dtype);
            float[][] recycled = train(true, dtype);
            for (int i = 0; i < fresh.length; i++) {
                assertArrayEquals(fresh[i], recycled[i], dtype + " parameter " + i);
            }
        }
    }

    /**
     * Intermediate gradients go back to the engine's pool once consumed and are reused by later rules, with
     * stale contents: repeated backward passes over a graph with fan-out, pass-through (add) and accumulation
     * must keep giving the same bits, and leaf gradients handed out earlier must keep their values.
     */
    @Test
    void pooledIntermediateGradientsNeverLeakIntoResults() {
        for (DType dtype : DType.values()) {
            SplittableRandom rng = new SplittableRandom(9);
            Tensor x = Tensor.uniform(rng, -1, 1, dtype, 4, 3).requiresGrad(true);
            Tensor w = Tensor.uniform(rng, -1, 1, dtype, 3, 5).requiresGrad(true);
            float[][] first = null;
            Tensor[] handedOut = new Tensor[2];
            float[][] handedOutValues = new float[2][];
            for (int run = 0; run < 5; run++) {
                x.zeroGrad();
                w.zeroGrad();
                try (Tape tape = Tape.begin()) {
                    Tensor h = x.matmul(w);
                    Tensor a = h.tanh();
                    Tensor b = h.sigmoid();
                    Tensor loss = a.mul(b).add(a).add(h.relu()).logSoftmax(1).sum()
                            .add(Functional.crossEntropy(h, new int[] {0, 4, 2, 1}, Reduction.SUM));
                    loss.backward();
                }
                float[][] got = {x.grad().toFloatArray(), w.grad().toFloatArray()};
                if (first == null) {
                    first = got;
                    handedOut[0] = x.grad();
                    handedOut[1] = w.grad();
                    handedOutValues = new float[][] {got[0].clone(), got[1].clone()};
                } else {
                    assertArrayEquals(first[0], got[0], dtype + " x.grad, run " + run);
                    assertArrayEquals(first[1], got[1], dtype + " w.grad, run " + run);
                }
            }
            assertArrayEquals(handedOutValues[0], handedOut[0].toFloatArray(), dtype + " first x.grad kept its values");
            assertArrayEquals(handedOutValues[1], handedOut[1].toFloatArray(), dtype + " first w.grad kept its values");
        }
    }

    @Test
    void aGradientHeldAcrossRecycleIsOverwrittenAndCannotBeBackpropagated() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor w = Tensor.uniform(rng, -1, 1, DType.F64, 3, 2).requiresGrad(true);
        Tensor x = Tensor.uniform(rng, -1, 1, DType.F64, 4, 3);
        try (Tape tape = Tape.begin()) {
            x.matmul(w).sum().backward();
        }
        Tensor held = w.grad();
        Tensor probe = Tensor.uniform(rng, -1, 1, DType.F64, 3, 2).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            Tensor saved = probe.mul(held).sum(); // the tape saves held as an input of mul
            w.recycleGrad();
            IllegalStateException error = assertThrows(IllegalStateException.class, saved::backward);
            assertEquals(true, error.getMessage().contains("modified in place"), error.getMessage());
        }
    }

    @Test
    void emptyProductsStillGiveZeroGradients() {
        Tensor w = Tensor.zeros(DType.F32, 0, 3).requiresGrad(true);
        Tensor x = Tensor.zeros(DType.F32, 2, 0);
        for (int step = 0; step < 2; step++) {
            w.recycleGrad();
            try (Tape tape = Tape.begin()) {
                x.matmul(w).sum().backward();
            }
            assertEquals(0, w.grad().numel());
        }
        Tensor v = Tensor.ones(DType.F32, 3, 2).requiresGrad(true);
        Tensor empty = Tensor.zeros(DType.F32, 0, 3);
        for (int step = 0; step < 2; step++) {
            v.recycleGrad();
            try (Tape tape = Tape.begin()) {
                empty.matmul(v).sum().backward();
            }
            assertArrayEquals(new float[6], v.grad().toFloatArray(), "step " + step);
        }
    }
}
