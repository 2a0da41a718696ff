package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.NoGrad;
import vecgrad.autodiff.Reduction;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;

class TapeTest {

    @Test
    void scalarBackwardGivesLeafGradients() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            Tensor loss = x.mul(x).sum(); // d/dx Σx² = 2x
            loss.backward();
        }
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray());
    }

    @Test
    void tensorUsedTwiceGetsSummedGradients() {
        Tensor x = Tensor.of(new double[] {3}, 1).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            x.mul(x).add(x).sum().backward(); // d/dx (x² + x) = 2x + 1
        }
        assertEquals(7, x.grad().item());
    }

    @Test
    void nonScalarBackwardTakesASeed() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            Tensor y = x.mul(Tensor.of(new double[] {10, 20}, 2));
            y.backward(Tensor.of(new double[] {1, 0, 0, 1}, 2, 2));
        }
        assertArrayEquals(new double[] {10, 0, 0, 20}, x.grad().toDoubleArray());
    }

    @Test
    void leafGradientsAccumulateUntilZeroGrad() {
        Tensor x = Tensor.of(new double[] {2}, 1).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            Tensor loss = x.square().sum();
            loss.backward();
            loss.backward(); // allowed while the tape is open: adds the same contribution again
        }
        assertEquals(8, x.grad().item());
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void backwardTwiceGivesBitIdenticalContributions() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor w = Tensor.uniform(rng, -1, 1, DType.F32, 5, 4).requiresGrad(true);
        Tensor x = Tensor.uniform(rng, -1, 1, DType.F32, 3, 5);
        try (Tape tape = Tape.begin()) {
            Tensor loss = x.matmul(w).tanh().logSoftmax(1).mean();
            loss.backward();
            float[] first = w.grad().toFloatArray();
            w.zeroGrad();
            loss.backward();
            assertArrayEquals(first, w.grad().toFloatArray());
        }
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.ones(DType.F64, 3).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            try (NoGrad off = NoGrad.enter()) {
                Tensor y = x.exp();
                assertFalse(y.requiresGrad());
            }
            assertEquals(0, tape.size());
            assertTrue(x.exp().requiresGrad());
            assertEquals(1, tape.size());
        }
    }

    @Test
    void detachStopsTheGradient() {
        Tensor x = Tensor.of(new double[] {2}, 1).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            x.mul(x.detach()).sum().backward(); // the detached factor is a constant: d/dx = 2
        }
        assertEquals(2, x.grad().item());
    }

    @Test
    void reshapeIsAViewSharingStorage() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, y.shape());
        x.fillInPlace(0);
        assertEquals(0, y.get(2, 1));
    }

    @Test
    void secondTapeOnOneThreadIsRefused() {
        try (Tape tape = Tape.begin()) {
            IllegalStateException error = assertThrows(IllegalStateException.class, Tape::begin);
            assertTrue(error.getMessage().contains("already open"), error.getMessage());
        }
    }

    @Test
    void toStringShowsShapeDtypeAndAClippedPreview() {
        String text = Tensor.arange(0, 10, 1, DType.F64).toString();
        assertTrue(text.startsWith("tensor([10], float64)"), text);
        assertTrue(text.contains("0.0, 1.0, 2.0, ..., 7.0, 8.0, 9.0"), text);
        assertEquals("tensor([], float32) 2.5", Tensor.full(2.5).toString());
    }

    @Test
    void factoriesAreSeeded() {
        assertArrayEquals(Tensor.normal(5L, 0, 1, DType.F64, 4).toDoubleArray(),
                Tensor.normal(5L, 0, 1, DType.F64, 4).toDoubleArray());
        assertArrayEquals(Tensor.uniform(9L, -1, 1, DType.F32, 4).toFloatArray(),
                Tensor.uniform(9L, -1, 1, DType.F32, 4).toFloatArray());
        assertEquals(DType.F64, Tensor.ones(2).to(DType.F64).dtype());
    }

    /** Memory is bounded by one tape: 1,000 recorded training steps leave no entries and no graph behind. */
    @Test
    void memoryDoesNotGrowOverOneThousandTrainingSteps() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor w = Tensor.uniform(rng, -0.1, 0.1, 8, 4).requiresGrad(true);
        Tensor b = Tensor.zeros(4).requiresGrad(true);
        Tensor x = Tensor.uniform(rng, -1, 1, 16, 8);
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 4;
        }
        long before = Tape.liveEntries();
        List<WeakReference<Tensor>> losses = new ArrayList<>();
        for (int step = 0; step < 1000; step++) {
            w.zeroGrad();
            b.zeroGrad();
            try (Tape tape = Tape.begin()) {
                Tensor loss = Functional.crossEntropy(x.matmul(w).add(b).relu(), labels, Reduction.MEAN);
                loss.backward();
                if (step % 100 == 0) {
                    losses.add(new WeakReference<>(loss));
                }
            }
            try (NoGrad off = NoGrad.enter()) {
                w.axpyInPlace(-0.1, w.grad());
                b.axpyInPlace(-0.1, b.grad());
            }
            assertEquals(before, Tape.liveEntries(), "entries still held after step " + step);
        }
        System.gc();
        long collected = losses.stream().filter(ref -> ref.get() == null).count();
        assertTrue(collected >= losses.size() - 1, "graphs of closed tapes are still reachable: " + collected
                + " of " + losses.size() + " collected");
    }
}
