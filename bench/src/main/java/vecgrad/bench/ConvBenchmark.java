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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vecgrad.kernels.ConvGeometry;
import vecgrad.kernels.ConvKernels;
import vecgrad.kernels.ConvPlan;
import vecgrad.kernels.ConvReference;
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.ConvSpec;
import vecgrad.kernels.Parallel;

/**
 * conv2d through {@link ConvKernels}, float32, 3x3 kernels, forward and forward + backward (grad-input,
 * grad-weight and grad-bias), on 1 and 2 threads, for the layers of the project's models:
 * <ul>
 *   <li>(a) N=128, 1 -> 16, 28x28, padding 1 (first layer of the MNIST conv autoencoder)</li>
 *   <li>(b) N=128, 16 -> 8, 14x14, padding 1</li>
 *   <li>(c) N=128, 32 -> 32, 14x14, padding 1</li>
 *   <li>(d) N=8, 2 -> 64, 300x200, valid (first layer of the inpainting CNN, seed 000)</li>
 *   <li>(e) N=8, 64 -> 256, 149x99, valid</li>
 * </ul>
 * Time per call in ms; GFLOP/s = {@code 2 * N * Cout * OH * OW * Cin * 9 / time} for the forward (three
 * times that for forward + backward). {@link #forward} and {@link #forwardBackward} run {@link ConvPlan}'s
 * choice; the {@code ...Direct}, {@code ...Blocked} (output channels in the lanes) and {@code ...Im2colGemm}
 * variants force one path (the measurement behind the plan). {@link #referenceForward} is the scalar
 * baseline, on layer (b) only because it takes seconds on
 * the large ones. Case ids and the PyTorch peer ({@code bench/peers/conv_peer.py}) are in
 * {@code vecgrad.bench.harness.CaseCatalog}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ConvBenchmark {
    /** One layer's operands and the thread count. */
    @State(Scope.Benchmark)
    public static class Layer {
        @Param({"a", "b", "c", "d", "e"})
        public String layer;

        @Param({"1", "2"})
        public int threads;

        ConvGeometry g;
        float[] input;
        float[] weight;
        float[] bias;
        float[] output;
        float[] gradOutput;
        float[] gradInput;
        float[] gradWeight;
        float[] gradBias;

        @Setup(Level.Trial)
        public void allocate() {
            g = geometry(layer);
            SplittableRandom rng = new SplittableRandom(7);
            input = random(rng, g.inputSize());
            weight = random(rng, g.weightSize());
            bias = random(rng, g.outChannels());
            gradOutput = random(rng, g.outputSize());
            output = new float[g.outputSize()];
            gradInput = new float[g.inputSize()];
            gradWeight = new float[g.weightSize()];
            gradBias = new float[g.outChannels()];
        }
    }

    /** The scalar twin on layer (b). */
    @State(Scope.Benchmark)
    public static class ReferenceLayer {
        ConvGeometry g = geometry("b");
        float[] input = random(new SplittableRandom(7), g.inputSize());
        float[] weight = random(new SplittableRandom(8), g.weightSize());
        float[] bias = random(new SplittableRandom(9), g.outChannels());
        float[] output = new float[g.outputSize()];
    }

    static ConvGeometry geometry(String layer) {
        return switch (layer) {
            case "a" -> ConvShapes.conv2d(new int[] {128, 1, 28, 28}, new int[] {16, 1, 3, 3}, ConvSpec.of(1, 1));
            case "b" -> ConvShapes.conv2d(new int[] {128, 16, 14, 14}, new int[] {8, 16, 3, 3}, ConvSpec.of(1, 1));
            case "c" -> ConvShapes.conv2d(new int[] {128, 32, 14, 14}, new int[] {32, 32, 3, 3}, ConvSpec.of(1, 1));
            case "d" -> ConvShapes.conv2d(new int[] {8, 2, 300, 200}, new int[] {64, 2, 3, 3}, ConvSpec.valid());
            case "e" -> ConvShapes.conv2d(new int[] {8, 64, 149, 99}, new int[] {256, 64, 3, 3}, ConvSpec.valid());
            default -> throw new IllegalArgumentException("ConvBenchmark: unknown layer; got " + layer
                    + ", expected a, b, c, d or e");
        };
    }

    static float[] random(SplittableRandom rng, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) rng.nextDouble(-1, 1);
        }
        return values;
    }

    private static float[] forward(Layer l, ConvPlan.Algorithm algorithm) {
        try (var scope = Parallel.withThreads(l.threads);
             var forced = algorithm == null ? (Parallel.Scope) () -> { } : ConvPlan.force(algorithm)) {
            ConvKernels.forward(l.input, 0, l.weight, 0, l.bias, 0, l.output, 0, l.g);
        }
        return l.output;
    }

    private static float[] forwardBackward(Layer l, ConvPlan.Algorithm algorithm) {
        try (var scope = Parallel.withThreads(l.threads);
             var forced = algorithm == null ? (Parallel.Scope) () -> { } : ConvPlan.force(algorithm)) {
            ConvKernels.forward(l.input, 0, l.weight, 0, l.bias, 0, l.output, 0, l.g);
            ConvKernels.gradInput(l.gradOutput, 0, l.weight, 0, l.gradInput, 0, l.g);
            ConvKernels.gradWeight(l.input, 0, l.gradOutput, 0, l.gradWeight, 0, l.g);
            ConvKernels.gradBias(l.gradOutput, 0, l.gradBias, 0, l.g);
        }
        return l.gradWeight;
    }

    @Benchmark
    public float[] forward(Layer l) {
        return forward(l, null);
    }

    @Benchmark
    public float[] forwardBackward(Layer l) {
        return forwardBackward(l, null);
    }

    @Benchmark
    public float[] forwardDirect(Layer l) {
        return forward(l, ConvPlan.Algorithm.DIRECT);
    }

    @Benchmark
    public float[] forwardBackwardDirect(Layer l) {
        return forwardBackward(l, ConvPlan.Algorithm.DIRECT);
    }

    @Benchmark
    public float[] forwardBlocked(Layer l) {
        return forward(l, ConvPlan.Algorithm.BLOCKED);
    }

    @Benchmark
    public float[] forwardBackwardBlocked(Layer l) {
        return forwardBackward(l, ConvPlan.Algorithm.BLOCKED);
    }

    @Benchmark
    public float[] forwardIm2colGemm(Layer l) {
        return forward(l, ConvPlan.Algorithm.IM2COL_GEMM);
    }

    @Benchmark
    public float[] forwardBackwardIm2colGemm(Layer l) {
        return forwardBackward(l, ConvPlan.Algorithm.IM2COL_GEMM);
    }

    @Benchmark
    public float[] referenceForward(ReferenceLayer l) {
        ConvReference.forward(l.input, 0, l.weight, 0, l.bias, 0, l.output, 0, l.g);
        return l.output;
    }
}
