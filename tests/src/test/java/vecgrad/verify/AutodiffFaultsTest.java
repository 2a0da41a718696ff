package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.Anomaly;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.GradCheck;
import vecgrad.autodiff.Pointwise;
import vecgrad.autodiff.Reduction;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;
import vecgrad.kernels.Parallel;

/** FAULTS.md §1 (cases 1–20) and case 23: each bad input has a test named after its number. */
class AutodiffFaultsTest {

    private static String iae(org.junit.jupiter.api.function.Executable call, String... fragments) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(error.getMessage().contains(fragment), "message lacks '" + fragment + "': " + error.getMessage());
        }
        return error.getMessage();
    }

    private static Tensor f64(int... shape) {
        return Tensor.zeros(DType.F64, shape);
    }

    @Test
    void fault01_addIncompatibleShapes() {
        String message = iae(() -> Tensor.zeros(3, 4).add(Tensor.zeros(4, 3)), "add", "[3, 4]", "[4, 3]", "dimension 0", "3 vs 4");
        assertTrue(message.startsWith("add: "), message);
    }

    @Test
    void fault02_matmulInnerSizesDiffer() {
        iae(() -> Tensor.zeros(5, 7).matmul(Tensor.zeros(6, 3)), "matmul", "[5, 7]", "[6, 3]", "7 != 6");
        iae(() -> Tensor.zeros(7).matmul(Tensor.zeros(7, 3)), "matmul", "2-D or 3-D");
        iae(() -> Tensor.zeros(2, 2, 5, 7).matmul(Tensor.zeros(7, 3)), "matmul", "[2, 2, 5, 7]");
        iae(() -> Tensor.zeros(2, 5, 7).matmul(Tensor.zeros(3, 7, 3)), "matmul", "batch sizes differ");
    }

    @Test
    void fault03_mixedDtypesNeedAnExplicitCast() {
        iae(() -> Tensor.zeros(2).add(f64(2)), "add", "float32", "float64", "cast explicitly");
        iae(() -> Tensor.zeros(2, 2).matmul(f64(2, 2)), "matmul", "cast explicitly");
        iae(() -> Tensor.concat(List.of(Tensor.zeros(2), f64(2)), 0), "concat", "cast explicitly");
    }

    @Test
    void fault04_reshapeToAnotherElementCount() {
        iae(() -> Tensor.zeros(2, 3).reshape(4, 2), "reshape", "[2, 3]", "numel 6", "[4, 2]", "numel 8");
        iae(() -> Tensor.zeros(2, 3).reshape(-1, -1), "reshape", "more than one -1", "[2, 3]");
        iae(() -> Tensor.zeros(2, 3).reshape(4, -1), "reshape", "[2, 3]", "numel 6");
    }

    @Test
    void fault05_dimOutOfRangeStatesTheRank() {
        Tensor x = Tensor.zeros(2, 3);
        iae(() -> x.sum(2, false), "sum", "rank 2");
        iae(() -> x.softmax(-3), "softmax", "rank 2");
        iae(() -> Tensor.concat(List.of(x, x), 2), "concat", "rank 2");
        iae(() -> x.narrow(5, 0, 1), "narrow", "rank 2");
        iae(() -> x.transpose(0, 2), "transpose", "rank 2");
    }

    @Test
    void fault06_concatOfNothingMismatchedRanksOrSizes() {
        iae(() -> Tensor.concat(List.of(), 0), "concat", "no tensors");
        iae(() -> Tensor.concat(List.of(Tensor.zeros(2, 3), Tensor.zeros(3)), 0), "concat", "same rank", "[2, 3]", "[3]");
        iae(() -> Tensor.concat(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4)), 0), "concat", "dim 1", "[2, 4]");
        Tensor joined = Tensor.concat(List.of(Tensor.ones(2, 3), Tensor.zeros(0, 3)), 0); // a zero-size piece is valid
        assertArrayEquals(new int[] {2, 3}, joined.shape());
    }

    @Test
    void fault07_narrowAndSliceOutOfBounds() {
        Tensor x = Tensor.zeros(4, 5);
        iae(() -> x.narrow(1, 3, 3), "narrow", "start 3, end 6", "<= 5");
        iae(() -> x.narrow(1, -1, 2), "narrow", "start -1");
        iae(() -> x.slice(0, 0, 4, 0), "slice", "step 0", "step >= 1");
        assertArrayEquals(new int[] {4, 0}, x.narrow(1, 2, 0).shape()); // length 0 is valid
    }

    @Test
    void fault08_zeroSizeTensorsAndEmptyReductions() {
        Tensor empty = Tensor.zeros(DType.F64, 2, 0);
        assertArrayEquals(new int[] {2, 0}, empty.exp().add(empty).shape());
        assertEquals(0.0, empty.sum().item());
        assertArrayEquals(new double[] {0, 0}, empty.sum(1, false).toDoubleArray());
        iae(() -> empty.max(1, false), "max", "zero elements", "[2, 0]");
        // differs from PyTorch on purpose: torch.mean over an empty dim returns NaN
        iae(() -> empty.mean(1, false), "mean", "zero elements", "[2, 0]");
        iae(empty::mean, "mean", "zero elements");
    }

    @Test
    void fault09_largeLogitsStayFiniteAndExact() {
        double[] logits = {1000, 1001, 999, -1000};
        Tensor x = Tensor.of(logits, 1, 4).requiresGrad(true);
        Tensor softmax = x.softmax(1);
        double total = Math.exp(0) + Math.exp(1) + Math.exp(-1); // terms of x − 1000; e^-2000 underflows to 0
        assertEquals(Math.exp(1) / total, softmax.get(0, 1), 1e-15);
        assertEquals(-Math.log(total) - 1, x.logSoftmax(1).get(0, 2), 1e-12);
        assertEquals(1000 + Math.log(total), x.logsumexp(1, false).item(), 1e-12);
        try (Tape tape = Tape.begin()) {
            Tensor loss = Functional.crossEntropy(x, new int[] {1}, Reduction.MEAN);
            assertEquals(Math.log(total) - 1, loss.item(), 1e-12);
            loss.backward();
        }
        for (double g : x.grad().toDoubleArray()) {
            assertTrue(Double.isFinite(g));
        }
        Tensor allLarge = Tensor.of(new double[] {1e3, 1e3 + 1e-3, 1e3 - 1e-3}, 3);
        assertEquals(1.0, allLarge.softmax(0).sum().item(), 1e-15);
    }

    @Test
    void fault10_binaryCrossEntropyAtZeroAndOneAndOutOfRange() {
        Tensor p = Tensor.of(new double[] {0, 1, 0, 1}, 4).requiresGrad(true);
        Tensor t = Tensor.of(new double[] {1, 0, 0, 1}, 4);
        try (Tape tape = Tape.begin()) {
            Tensor loss = Functional.binaryCrossEntropy(p, t, Reduction.MEAN);
            assertEquals(50.0, loss.item(), 1e-12); // two terms clamped at -100, averaged over 4
            loss.backward();
        }
        for (double g : p.grad().toDoubleArray()) {
            assertTrue(Double.isFinite(g), "gradient " + g);
        }
        iae(() -> Functional.binaryCrossEntropy(Tensor.of(new double[] {0.5, 1.5}, 2), Tensor.of(new double[] {0, 1}, 2),
                Reduction.MEAN), "binary_cross_entropy", "flat index 1", "1.5", "between 0 and 1");
        iae(() -> Functional.binaryCrossEntropy(Tensor.of(new double[] {Double.NaN}, 1), Tensor.of(new double[] {0}, 1),
                Reduction.MEAN), "binary_cross_entropy", "NaN");
    }

    @Test
    void fault11_logitsLossSoftplusAndSigmoidAtThousand() {
        Tensor x = Tensor.of(new double[] {1000, -1000, 1000, -1000}, 4).requiresGrad(true);
        Tensor t = Tensor.of(new double[] {0, 1, 1, 0}, 4);
        try (Tape tape = Tape.begin()) {
            Tensor loss = Functional.binaryCrossEntropyWithLogits(x, t, Reduction.SUM);
            assertEquals(2000.0, loss.item(), 1e-9);
            loss.backward();
        }
        assertArrayEquals(new double[] {1, -1, 0, 0}, x.grad().toDoubleArray(), 1e-15);
        for (DType dtype : DType.values()) {
            Tensor big = Tensor.of(new double[] {1000, -1000}, dtype, 2);
            assertArrayEquals(new double[] {1000, 0}, big.softplus(1, 20).toDoubleArray(), 0);
            assertArrayEquals(new double[] {1000, 0}, big.softplus(1, 1e9).toDoubleArray(), 0); // no threshold shortcut
            assertArrayEquals(new double[] {1, 0}, big.sigmoid().toDoubleArray(), 0);
        }
    }

    @Test
    void fault12_crossEntropyLabelOutOfRangeOrWrongShape() {
        Tensor logits = Tensor.zeros(3, 4);
        iae(() -> Functional.crossEntropy(logits, new int[] {0, 5, 1}, Reduction.MEAN), "cross_entropy",
                "index 1", "target[1] = 5", "C = 4");
        iae(() -> Functional.crossEntropy(logits, new int[] {0, -1, 9}, Reduction.MEAN), "index 1", "C = 4");
        iae(() -> Functional.crossEntropy(logits, new int[] {0, 1}, Reduction.MEAN), "cross_entropy", "[3, 4]",
                "target of shape [3]");
    }

    @Test
    void fault13_sqrtOfZeroInBackwardGivesZeroNotNaN() {
        Tensor x = Tensor.zeros(DType.F64, 3).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            x.square().sum().sqrt().backward(); // the L2 norm of an all-zero vector
        }
        assertArrayEquals(new double[] {0, 0, 0}, x.grad().toDoubleArray());
    }

    @Test
    void fault14_anomalyModeNamesTheOpThatProducedNaNOrInf() {
        Tensor x = Tensor.of(new double[] {0, 1}, 2).requiresGrad(true);
        try (Anomaly on = Anomaly.enable(); Tape tape = Tape.begin()) {
            Tensor y = x.pow(0.5).sum(); // finite forward; d/dx x^0.5 at 0 is Inf
            IllegalStateException error = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(error.getMessage().startsWith("pow backward produced Inf in output 0"), error.getMessage());
            assertTrue(error.getMessage().contains("step 0"), error.getMessage());
        }
        try (Anomaly on = Anomaly.enable(); Tape tape = Tape.begin()) {
            Tensor z = Tensor.of(new double[] {-1, 4}, 2).requiresGrad(true);
            IllegalStateException error = assertThrows(IllegalStateException.class, z::sqrt);
            assertTrue(error.getMessage().startsWith("sqrt forward produced NaN"), error.getMessage());
        }
        x.zeroGrad();
        try (Tape tape = Tape.begin()) { // mode off: IEEE values, no exception
            x.pow(0.5).sum().backward();
        }
        assertEquals(Double.POSITIVE_INFINITY, x.grad().toDoubleArray()[0]);
    }

    @Test
    void fault15_nanPropagatesThroughMaxAndRelu() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 3}, 3);
        assertTrue(Double.isNaN(x.max().item()));
        assertTrue(Double.isNaN(x.max(0, false).item()));
        assertTrue(Double.isNaN(x.min().item()));
        assertTrue(Double.isNaN(x.relu().toDoubleArray()[1]));
        assertTrue(Double.isNaN(x.maximum(Tensor.of(new double[] {5}, 1)).toDoubleArray()[1]));
        Tensor y = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, Float.NaN}, 9); // NaN in a tail position
        assertTrue(Double.isNaN(y.max().item()));
        assertTrue(Float.isNaN(y.relu().toFloatArray()[8]));
    }

    @Test
    void fault16_elementwiseOpsMatchTheirScalarDefinitionOnTailLengths() {
        SplittableRandom rng = new SplittableRandom(16);
        for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 33, 65}) {
            double[] values = Cases.uniform(rng, n, 0.1, 3);
            for (Pointwise op : Pointwise.values()) {
                double[] got = switch (op) {
                    case NEG -> Tensor.of(values, n).neg().toDoubleArray();
                    case EXP -> Tensor.of(values, n).exp().toDoubleArray();
                    case LOG -> Tensor.of(values, n).log().toDoubleArray();
                    case SQRT -> Tensor.of(values, n).sqrt().toDoubleArray();
                    case ABS -> Tensor.of(values, n).abs().toDoubleArray();
                    case SQUARE -> Tensor.of(values, n).square().toDoubleArray();
                    case TANH -> Tensor.of(values, n).tanh().toDoubleArray();
                    case SIGMOID -> Tensor.of(values, n).sigmoid().toDoubleArray();
                    case RELU -> Tensor.of(values, n).relu().toDoubleArray();
                };
                for (int i = 0; i < n; i++) {
                    assertEquals(op.value(values[i]), got[i], 0.0, op.op() + " at length " + n + ", element " + i);
                }
            }
        }
    }

    @Test
    void fault17_threadCountDoesNotChangeResults() {
        SplittableRandom rng = new SplittableRandom(17);
        double[] a = Cases.uniform(rng, 3 * 40 * 33, -1, 1);
        double[] b = Cases.uniform(rng, 33 * 29, -1, 1);
        float[][] results = new float[2][];
        int slot = 0;
        for (int threads : new int[] {1, 2}) {
            try (Parallel.Scope scope = Parallel.withThreads(threads)) {
                Tensor w = Tensor.of(b, DType.F32, 33, 29).requiresGrad(true);
                try (Tape tape = Tape.begin()) {
                    Tensor.of(a, DType.F32, 3, 40, 33).matmul(w).tanh().sum().backward();
                }
                results[slot++] = w.grad().toFloatArray();
            }
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void fault18_sharedTensorGradientsAddAndBackwardTwiceIsBitIdentical() {
        Tensor x = Tensor.of(new double[] {1.5, -2}, 2).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            Tensor loss = x.mul(x).sum(); // x used twice in one op
            loss.backward();
            double[] first = x.grad().toDoubleArray();
            assertArrayEquals(new double[] {3, -4}, first);
            x.zeroGrad();
            loss.backward();
            assertArrayEquals(first, x.grad().toDoubleArray());
        }
    }

    @Test
    void fault19_nonScalarBackwardNeedsASeedAndAClosedTapeRefuses() {
        Tensor x = Tensor.zeros(4, 3).requiresGrad(true);
        Tensor y;
        try (Tape tape = Tape.begin()) {
            y = x.exp();
            iae(y::backward, "backward", "seed required for output of shape [4, 3]");
        }
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> y.backward(Tensor.ones(4, 3)));
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
    }

    @Test
    void fault20_inPlaceChangeBetweenForwardAndBackwardNamesTheTensor() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true).named("w1");
        try (Tape tape = Tape.begin()) {
            Tensor loss = w.mul(w).sum();
            w.subInPlace(Tensor.of(new double[] {0.1, 0.1}, 2)); // an optimizer step too early
            IllegalStateException error = assertThrows(IllegalStateException.class, loss::backward);
            assertTrue(error.getMessage().contains("'w1'"), error.getMessage());
            assertTrue(error.getMessage().contains("modified in place"), error.getMessage());
        }
    }

    @Test
    void fault23_gradCheckRefusesFloat32AndChecksStructure() {
        Tensor x32 = Tensor.ones(3);
        iae(() -> GradCheck.check(in -> in[0].exp().sum(), x32), "gradcheck", "float32");
        GradCheck.Options defaults = GradCheck.Options.defaults();
        assertEquals(new GradCheck.Tolerance(1e-6, 1e-3, 1e-5), defaults.tolerance());
        assertDoesNotThrow(() -> GradCheck.check(in -> in[0].exp().sum(), defaults.withAllowFloat32(true), x32));

        Tensor x = Tensor.of(new double[] {0.5, -1, 2}, 3);
        // a rule that ignores the upstream gradient is caught by the zero-seed check
        GradCheck.Failure ignoresGrad = assertThrows(GradCheck.Failure.class, () -> GradCheck.check(in ->
                Tape.record("exp", in[0].copy(), new Tensor[] {in[0]}, (grad, needs) -> new Tensor[] {Tensor.ones(DType.F64, 3)}), x));
        assertTrue(ignoresGrad.getMessage().contains("zero upstream"), ignoresGrad.getMessage());
        // a rule with hidden state is caught by the reentrancy check
        AtomicInteger calls = new AtomicInteger();
        GradCheck.Failure stateful = assertThrows(GradCheck.Failure.class, () -> GradCheck.check(in ->
                Tape.record("exp", in[0].copy(), new Tensor[] {in[0]}, (grad, needs) -> new Tensor[] {
                    grad.mul(calls.incrementAndGet())}), x));
        assertTrue(stateful.getMessage().contains("reentrant"), stateful.getMessage());
        // a rule returning a gradient of the wrong shape is refused
        assertThrows(IllegalArgumentException.class, () -> GradCheck.check(in ->
                Tape.record("exp", in[0].copy(), new Tensor[] {in[0]}, (grad, needs) -> new Tensor[] {Tensor.ones(DType.F64, 2)}), x));
    }
}
