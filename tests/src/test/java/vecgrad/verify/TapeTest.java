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

    @Test
    void layoutConveniences() {
        Tensor x = Tensor.arange(0, 24, 1, DType.F64).reshape(2, 3, 4);
        assertArrayEquals(new int[] {2, 12}, x.flatten(1, 2).shape());
        assertArrayEquals(new int[] {6, 4}, x.flatten(0, 1).shape());
        assertArrayEquals(new int[] {24}, x.flatten().shape());
        assertEquals(23, x.get(1, 2, 3));
        assertArrayEquals(new int[] {4, 3}, x.narrow(0, 1, 1).reshape(3, 4).t().shape());
        assertArrayEquals(new double[] {5, 3, 1}, Tensor.arange(5, 0, -2, DType.F64).toDoubleArray());
        assertEquals(DType.F64, DType.parse("float64"));
        String text = Tensor.zeros(DType.F64, 8, 8).toString();
        assertTrue(text.startsWith("tensor([8, 8], float64) [[0.0, 0.0, 0.0, ..., 0.0, 0.0, 0.0], [0.0"), text);
        assertTrue(text.contains("..., [0.0"), text);
        float[] rounded = Tensor.of(new double[] {0.1}, 1).to(DType.F32).toFloatArray();
        assertEquals(0.1f, rounded[0]);
    }

    /** Degenerate shapes behave as in PyTorch: scalars reduce and transpose over dim 0/-1, empty logsumexp is -Inf. */
    @Test
    void scalarAndEmptyEdgeCases() {
        Tensor scalar = Tensor.full(2.5, DType.F64).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            Tensor y = scalar.sum(0, true).add(scalar.max(-1, false)).add(scalar.transpose(0, -1)).add(scalar.softmax(0));
            assertArrayEquals(new int[0], y.shape());
            assertEquals(8.5, y.item());
            y.backward();
        }
        assertEquals(3.0, scalar.grad().item());
        Tensor empty = Tensor.zeros(DType.F64, 3, 0).requiresGrad(true);
        Tensor lse;
        try (Tape tape = Tape.begin()) {
            lse = empty.logsumexp(1, false);
            lse.backward(Tensor.ones(DType.F64, 3));
        }
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                lse.toDoubleArray());
        assertArrayEquals(new int[] {3, 0}, empty.grad().shape());
        assertArrayEquals(new int[] {0}, Tensor.zeros(0, 3).max(1, false).shape()); // empty outer dims are fine
    }

    @Test
    void argmaxTakesTheFirstMaximumAlongADim() {
        Tensor x = Tensor.of(new float[] {1, 5, 5, 0, 2, -1}, 2, 3);
        assertArrayEquals(new int[] {1, 1}, x.argmax(1));
        assertArrayEquals(new int[] {0, 0, 0}, x.argmax(0));
        assertArrayEquals(new int[] {1, 0, 0}, Tensor.of(new float[] {1, 5, 5, 7, 2, -1}, 2, 3).argmax(-2));
    }

    /** Gradients handed to leaves never share storage with each other, the seed or a tensor of the graph. */
    @Test
    void leafGradientsDoNotAlias() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3, 4}, 2).requiresGrad(true);
        Tensor c = Tensor.of(new double[] {5, 6}, 2).requiresGrad(true);
        Tensor seed = Tensor.of(new double[] {1, 1}, 2);
        try (Tape tape = Tape.begin()) {
            a.add(b).add(c.reshape(1, 2).reshape(2)).backward(seed);
        }
        a.grad().scaleInPlace(10); // e.g. gradient clipping in place
        assertArrayEquals(new double[] {1, 1}, b.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, c.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, seed.toDoubleArray());
        assertArrayEquals(new double[] {10, 10}, a.grad().toDoubleArray());
    }

    /** The float32 fast paths (bias-row add/sub/mul, relu) give exactly the float64 definition rounded to float. */
    @Test
    void float32FastPathsMatchTheirDefinitionBitForBit() {
        SplittableRandom rng = new SplittableRandom(32);
        double[] a = Cases.uniform(rng, 5 * 7, -3, 3);
        double[] row = Cases.uniform(rng, 7, -3, 3);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) a[i]; // values representable in float, so both dtypes start from the same numbers
        }
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) row[i];
        }
        Tensor a32 = Tensor.of(a, DType.F32, 5, 7);
        Tensor row32 = Tensor.of(row, DType.F32, 1, 7);
        Tensor a64 = Tensor.of(a, 5, 7);
        Tensor row64 = Tensor.of(row, 1, 7);
        assertArrayEquals(a64.add(row64).toFloatArray(), a32.add(row32).toFloatArray());
        assertArrayEquals(row64.sub(a64).toFloatArray(), row32.sub(a32).toFloatArray());
        assertArrayEquals(a64.mul(row64.reshape(7)).toFloatArray(), a32.mul(row32.reshape(7)).toFloatArray());
        assertArrayEquals(a64.relu().toFloatArray(), a32.relu().toFloatArray());
        Tensor leaf = Tensor.of(a, DType.F32, 5, 7).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            leaf.relu().backward(Tensor.of(a, DType.F32, 5, 7));
        }
        float[] grad = leaf.grad().toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] > 0 ? (float) a[i] : 0f, grad[i]);
        }
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
