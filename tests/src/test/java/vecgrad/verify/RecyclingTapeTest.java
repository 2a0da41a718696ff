package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import vecgrad.kernels.Parallel;

/**
 * {@link Tape#beginRecycling()}: the results a recycling tape recorded are released when it closes and their
 * arrays serve the next step's forward (with stale contents); training must give the same bits as with a plain
 * tape, released tensors must refuse to be read, and nothing the user owns (leaves, parameters, gradients,
 * kept results, views of inputs) may be released.
 */
class RecyclingTapeTest {

    /** A small model whose graph has fan-out, a pass-through add, a view of a parameter and every hot op. */
    private static final class Model {
        final Tensor w1;
        final Tensor b1;
        final Tensor w2;
        final Tensor x;
        final int[] labels = {0, 2, 1, 2, 1, 0};

        Model(DType dtype) {
            SplittableRandom rng = new SplittableRandom(17);
            w1 = Tensor.uniform(rng, -0.5, 0.5, dtype, 7, 6).requiresGrad(true);
            b1 = Tensor.uniform(rng, -0.1, 0.1, dtype, 6).requiresGrad(true);
            w2 = Tensor.uniform(rng, -0.5, 0.5, dtype, 6, 3).requiresGrad(true);
            x = Tensor.uniform(rng, -1, 1, dtype, 6, 7);
        }

        /** One SGD step; returns the loss, read before the tape closes. */
        double step(boolean recycling) {
            for (Tensor p : new Tensor[] {w1, b1, w2}) {
                p.recycleGrad();
            }
            double loss;
            try (Tape tape = recycling ? Tape.beginRecycling() : Tape.begin()) {
                Tensor hidden = x.matmul(w1).add(b1).relu();
                Tensor gate = hidden.sigmoid().mul(hidden.tanh()); // fan-out of hidden
                Tensor w2Flat = w2.reshape(-1).reshape(6, 3); // views of a parameter, recorded
                Tensor logits = hidden.add(gate).matmul(w2Flat).sub(hidden.matmul(w2).mul(Tensor.full(0.25,
                        hidden.dtype(), 1, 3)));
                Tensor out = Functional.crossEntropy(logits, labels, Reduction.MEAN);
                out.backward();
                loss = out.item();
            }
            try (NoGrad off = NoGrad.enter()) {
                for (Tensor p : new Tensor[] {w1, b1, w2}) {
                    p.axpyInPlace(-0.2, p.grad());
                }
            }
            return loss;
        }

        double[][] parameters() {
            return new double[][] {w1.toDoubleArray(), b1.toDoubleArray(), w2.toDoubleArray()};
        }
    }

    @Test
    void recyclingTrainsBitIdenticallyToAPlainTapeForAnyThreadCount() {
        for (DType dtype : DType.values()) {
            for (int threads : new int[] {1, 2}) {
                try (Parallel.Scope scope = Parallel.withThreads(threads)) {
                    Model plain = new Model(dtype);
                    Model recycled = new Model(dtype);
                    // interleaved, so the recycled model keeps getting arrays with the other model's stale values
                    for (int step = 0; step < 6; step++) {
                        double expected = plain.step(false);
                        double got = recycled.step(true);
                        assertEquals(expected, got, dtype + " loss at step " + step + ", threads " + threads);
                    }
                    double[][] expected = plain.parameters();
                    double[][] got = recycled.parameters();
                    for (int i = 0; i < expected.length; i++) {
                        assertArrayEquals(expected[i], got[i], dtype + " parameter " + i + ", threads " + threads);
                    }
                }
            }
        }
    }

    @Test
    void releasedResultsRefuseToBeReadAndKeptOnesStay() {
        Model model = new Model(DType.F32);
        Tensor hidden;
        Tensor hiddenView;
        Tensor logits;
        Tensor loss;
        float[] logitsBefore;
        try (Tape tape = Tape.beginRecycling()) {
            assertTrue(tape.recycles());
            hidden = model.x.matmul(model.w1).add(model.b1).relu().named("hidden");
            try (NoGrad off = NoGrad.enter()) {
                hiddenView = hidden.detach(); // shares hidden's storage, not recorded
            }
            logits = tape.keep(hidden.matmul(model.w2));
            loss = Functional.crossEntropy(logits, model.labels, Reduction.SUM);
            loss.backward();
            logitsBefore = logits.toFloatArray();
            assertFalse(hidden.isReleased(), "released before the tape closed");
        }
        assertTrue(hidden.isReleased());
        assertTrue(hiddenView.isReleased(), "a view shares the released storage");
        assertTrue(loss.isReleased());
        IllegalStateException error = assertThrows(IllegalStateException.class, hidden::toFloatArray);
        assertTrue(error.getMessage().contains("'hidden'") && error.getMessage().contains("relu")
                && error.getMessage().contains("keep"), error.getMessage());
        assertThrows(IllegalStateException.class, loss::item);
        assertThrows(IllegalStateException.class, () -> hiddenView.get(0, 0));
        assertThrows(IllegalStateException.class, hidden::copy);
        assertTrue(hidden.toString().contains("released"), hidden.toString());
        assertFalse(logits.isReleased());
        assertArrayEquals(logitsBefore, logits.toFloatArray(), "a kept result keeps its values");
        // what the user owns stays readable: leaves, the data, the gradients
        for (Tensor owned : new Tensor[] {model.w1, model.b1, model.w2, model.x, model.w1.grad(), model.w2.grad()}) {
            assertFalse(owned.isReleased());
            owned.toFloatArray();
        }
    }

    @Test
    void viewsOfInputsAreNotReleased() {
        Tensor w = Tensor.uniform(new SplittableRandom(3), -1, 1, DType.F64, 4, 3).requiresGrad(true);
        double[] values = w.toDoubleArray();
        Tensor flat;
        try (Tape tape = Tape.beginRecycling()) {
            flat = w.reshape(12); // a recorded view of a leaf: its storage is w's
            flat.square().sum().backward();
        }
        assertFalse(w.isReleased());
        assertFalse(flat.isReleased());
        assertArrayEquals(values, w.toDoubleArray());
        assertArrayEquals(values, flat.toDoubleArray());
        double[] grad = w.grad().toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            assertEquals(2 * values[i], grad[i]);
        }
    }

    @Test
    void aPlainTapeReleasesNothingAndKeepAfterCloseIsRefused() {
        Model model = new Model(DType.F32);
        Tensor hidden;
        Tape closed;
        try (Tape tape = Tape.begin()) {
            assertFalse(tape.recycles());
            hidden = model.x.matmul(model.w1).relu();
            hidden.sum().backward();
            closed = tape;
        }
        assertFalse(hidden.isReleased());
        hidden.toFloatArray();
        Tensor done = hidden;
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> closed.keep(done));
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
    }

    /** Released storage goes back to the pool: many steps keep the live entries at zero and stay correct. */
    @Test
    void manyRecyclingStepsLeaveNoEntriesAndKeepTraining() {
        Model model = new Model(DType.F32);
        long before = Tape.liveEntries();
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            losses.add(model.step(true));
            assertEquals(before, Tape.liveEntries(), "entries still held after step " + step);
        }
        assertTrue(losses.get(losses.size() - 1) < losses.get(0), "training does not reduce the loss: " + losses.get(0)
                + " -> " + losses.get(losses.size() - 1));
    }
}
