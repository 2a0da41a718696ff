package vecgrad.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.NoGrad;
import vecgrad.autodiff.Reduction;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;
import vecgrad.kernels.ElementwiseKernels;
import vecgrad.kernels.ElementwiseKernels.Binary;
import vecgrad.kernels.GemmKernels;
import vecgrad.kernels.ReduceKernels;
import vecgrad.kernels.SoftmaxKernels;

/**
 * One SGD training step (forward, backward, update) of a 784-256-10 MLP with relu and cross-entropy, batch
 * 128, float32: {@link #tape} through the autodiff tape, {@link #rawKernels} as the same math written directly
 * on preallocated arrays with the same kernels, no tape. The ratio tape / raw is the tape's overhead
 * (target: under 10%). {@code bench/peers/train_peer.py} times the same step in PyTorch
 * ({@code train/mlp_step/784-256-10/batch=128/threads=T}).
 *
 * <p>The tape step releases its gradients with {@link Tensor#recycleGrad()} (PyTorch's
 * {@code zero_grad(set_to_none=False)} counterpart), so backward writes the weight gradients into last step's
 * arrays as the raw step does; intermediate gradients come from the engine's pool. It records on a recycling
 * tape ({@link Tape#beginRecycling()}), which hands the forward activations back to that pool when it closes,
 * so the next step's forward writes into the same arrays instead of allocating and zeroing three new
 * [128, 256] ones (what PyTorch's caching allocator does once the graph is freed).
 *
 * <p>Setup runs one step both ways from the same parameters and refuses to start when they disagree, so the
 * raw baseline is known to do the same work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class MlpStepBenchmark {
    static final int BATCH = 128;
    static final int INPUT = 784;
    static final int HIDDEN = 256;
    static final int CLASSES = 10;
    static final float LEARNING_RATE = 0.01f;

    /** Parameters and data of one model, as tensors for the tape step. */
    static final class TapeModel {
        final Tensor w1;
        final Tensor b1;
        final Tensor w2;
        final Tensor b2;
        final Tensor x;
        final int[] labels;

        TapeModel(long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double scale1 = Math.sqrt(6.0 / INPUT); // He-uniform bounds, a realistic magnitude for relu layers
            double scale2 = Math.sqrt(6.0 / HIDDEN);
            w1 = Tensor.uniform(rng, -scale1, scale1, DType.F32, INPUT, HIDDEN).requiresGrad(true);
            b1 = Tensor.zeros(HIDDEN).requiresGrad(true);
            w2 = Tensor.uniform(rng, -scale2, scale2, DType.F32, HIDDEN, CLASSES).requiresGrad(true);
            b2 = Tensor.zeros(CLASSES).requiresGrad(true);
            x = Tensor.uniform(rng, 0, 1, DType.F32, BATCH, INPUT);
            labels = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = rng.nextInt(CLASSES);
            }
        }

        float step() {
            for (Tensor p : new Tensor[] {w1, b1, w2, b2}) {
                p.recycleGrad(); // the next backward overwrites last step's gradient arrays
            }
            double loss;
            try (Tape tape = Tape.beginRecycling()) {
                Tensor hidden = x.matmul(w1).add(b1).relu();
                Tensor out = Functional.crossEntropy(hidden.matmul(w2).add(b2), labels, Reduction.MEAN);
                out.backward();
                loss = out.item(); // before close: the recycling tape releases out with the activations
            }
            try (NoGrad off = NoGrad.enter()) {
                for (Tensor p : new Tensor[] {w1, b1, w2, b2}) {
                    p.axpyInPlace(-LEARNING_RATE, p.grad());
                }
            }
            return (float) loss;
        }
    }

    /**
     * The same model on plain arrays with preallocated activations and gradients, calling the kernels the tape
     * calls (GEMM with transpose flags, row-broadcast add, relu, row log-softmax, exp, column sums, axpy) and
     * working in place wherever the math allows: the lower bound for the tape step.
     */
    static final class RawModel {
        final float[] w1;
        final float[] b1;
        final float[] w2;
        final float[] b2;
        final float[] x;
        final int[] labels;
        final float[] hidden = new float[BATCH * HIDDEN];
        final float[] logits = new float[BATCH * CLASSES];
        final float[] logProbs = new float[BATCH * CLASSES];
        final float[] dLogits = new float[BATCH * CLASSES];
        final float[] dHidden = new float[BATCH * HIDDEN];
        final float[] dw1 = new float[INPUT * HIDDEN];
        final float[] dw2 = new float[HIDDEN * CLASSES];
        final float[] db1 = new float[HIDDEN];
        final float[] db2 = new float[CLASSES];

        RawModel(TapeModel model) {
            w1 = model.w1.toFloatArray();
            b1 = model.b1.toFloatArray();
            w2 = model.w2.toFloatArray();
            b2 = model.b2.toFloatArray();
            x = model.x.toFloatArray();
            labels = model.labels.clone();
        }

        float step() {
            // forward: hidden = relu(x · w1 + b1), logits = hidden · w2 + b2, in place
            GemmKernels.multiply(x, 0, INPUT, w1, 0, HIDDEN, hidden, 0, HIDDEN, BATCH, HIDDEN, INPUT, false);
            ElementwiseKernels.binaryRow(Binary.ADD, hidden, 0, HIDDEN, b1, 0, hidden, 0, HIDDEN, BATCH, HIDDEN);
            ElementwiseKernels.relu(hidden, 0, hidden, 0, BATCH * HIDDEN);
            GemmKernels.multiply(hidden, 0, HIDDEN, w2, 0, CLASSES, logits, 0, CLASSES, BATCH, CLASSES, HIDDEN, false);
            ElementwiseKernels.binaryRow(Binary.ADD, logits, 0, CLASSES, b2, 0, logits, 0, CLASSES, BATCH, CLASSES);
            // cross-entropy (mean) and dL/dlogits = (softmax − onehot) / batch
            SoftmaxKernels.logSoftmax(logits, 0, CLASSES, logProbs, 0, CLASSES, BATCH, CLASSES);
            double loss = 0;
            for (int i = 0; i < BATCH; i++) {
                loss -= logProbs[i * CLASSES + labels[i]];
            }
            ElementwiseKernels.exp(logProbs, 0, dLogits, 0, BATCH * CLASSES);
            for (int i = 0; i < BATCH; i++) {
                dLogits[i * CLASSES + labels[i]] -= 1;
            }
            ElementwiseKernels.scale(dLogits, 0, dLogits, 0, BATCH * CLASSES, (float) (1.0 / BATCH));
            // backward: dw2 = hiddenᵀ · dLogits, dHidden = dLogits · w2ᵀ ⊙ relu', dw1 = xᵀ · dHidden, biases: column sums
            GemmKernels.gemm(hidden, 0, HIDDEN, true, dLogits, 0, CLASSES, false, dw2, 0, CLASSES,
                    HIDDEN, CLASSES, BATCH, 1f, 0f);
            ReduceKernels.sumAxis(dLogits, 0, db2, 0, 1, BATCH, CLASSES);
            GemmKernels.gemm(dLogits, 0, CLASSES, false, w2, 0, CLASSES, true, dHidden, 0, HIDDEN,
                    BATCH, HIDDEN, CLASSES, 1f, 0f);
            // relu' from the output: hidden > 0 exactly where the pre-activation is > 0
            ElementwiseKernels.reluBackward(hidden, 0, dHidden, 0, dHidden, 0, BATCH * HIDDEN);
            ReduceKernels.sumAxis(dHidden, 0, db1, 0, 1, BATCH, HIDDEN);
            GemmKernels.gemm(x, 0, INPUT, true, dHidden, 0, HIDDEN, false, dw1, 0, HIDDEN, INPUT, HIDDEN, BATCH, 1f, 0f);
            // SGD
            ElementwiseKernels.axpy(dw1, 0, w1, 0, w1.length, -LEARNING_RATE);
            ElementwiseKernels.axpy(db1, 0, b1, 0, b1.length, -LEARNING_RATE);
            ElementwiseKernels.axpy(dw2, 0, w2, 0, w2.length, -LEARNING_RATE);
            ElementwiseKernels.axpy(db2, 0, b2, 0, b2.length, -LEARNING_RATE);
            return (float) (loss / BATCH);
        }
    }

    private TapeModel tapeModel;
    private RawModel rawModel;

    @Setup(Level.Trial)
    public void setUp() {
        TapeModel check = new TapeModel(7);
        RawModel raw = new RawModel(check);
        float tapeLoss = check.step();
        float rawLoss = raw.step();
        float[] tapeW1 = check.w1.toFloatArray();
        double worst = Math.abs(tapeLoss - rawLoss);
        for (int i = 0; i < tapeW1.length; i++) {
            worst = Math.max(worst, Math.abs(tapeW1[i] - raw.w1[i]));
        }
        if (!(worst < 1e-5)) {
            throw new IllegalStateException("MlpStepBenchmark: tape and raw steps disagree by " + worst
                    + " (losses " + tapeLoss + " and " + rawLoss + "); the baseline would not be comparable");
        }
        tapeModel = new TapeModel(11);
        rawModel = new RawModel(tapeModel);
    }

    /** One step through Tensor ops and the tape. */
    @Benchmark
    public float tape() {
        return tapeModel.step();
    }

    /** The same step on arrays: the same kernels, no tape, no allocation. */
    @Benchmark
    public float rawKernels() {
        return rawModel.step();
    }
}
