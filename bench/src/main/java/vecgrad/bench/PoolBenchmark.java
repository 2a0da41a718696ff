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
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.PoolGeometry;
import vecgrad.kernels.PoolKernels;
import vecgrad.kernels.PoolReference;
import vecgrad.kernels.PoolSpec;

/**
 * max_pool2d 2x2 stride 2 through {@link PoolKernels}, float32 NCHW, forward (with argmax) and forward +
 * backward, on 1 and 2 threads, on the outputs of {@link ConvBenchmark}'s layers (a) [128, 16, 28, 28] and
 * (d) [8, 64, 298, 198]. Time per call in ms. {@link #referenceForward} is the scalar twin on (a).
 * PyTorch peer: {@code bench/peers/conv_peer.py}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class PoolBenchmark {
    /** One input and the thread count. */
    @State(Scope.Benchmark)
    public static class Input {
        /** {@code N x C x H x W}: the outputs of conv layers (a) and (d). */
        @Param({"128x16x28x28", "8x64x298x198"})
        public String shape;

        @Param({"1", "2"})
        public int threads;

        PoolGeometry g;
        float[] x;
        float[] y;
        int[] argmax;
        float[] grad;
        float[] gradInput;

        @Setup(Level.Trial)
        public void allocate() {
            g = geometry(shape);
            x = ConvBenchmark.random(new SplittableRandom(3), g.inputSize());
            grad = ConvBenchmark.random(new SplittableRandom(4), g.outputSize());
            y = new float[g.outputSize()];
            argmax = new int[g.outputSize()];
            gradInput = new float[g.inputSize()];
        }
    }

    /** The scalar twin on (a)'s output. */
    @State(Scope.Benchmark)
    public static class ReferenceInput {
        PoolGeometry g = geometry("128x16x28x28");
        float[] x = ConvBenchmark.random(new SplittableRandom(3), g.inputSize());
        float[] y = new float[g.outputSize()];
        int[] argmax = new int[g.outputSize()];
    }

    static PoolGeometry geometry(String shape) {
        String[] sizes = shape.split("x");
        int[] dims = new int[4];
        for (int i = 0; i < 4; i++) {
            dims[i] = Integer.parseInt(sizes[i]);
        }
        return ConvShapes.pool2d("max_pool2d", dims, PoolSpec.of(2, 2));
    }

    @Benchmark
    public float[] forward(Input in) {
        try (var scope = Parallel.withThreads(in.threads)) {
            PoolKernels.maxForward(in.x, 0, in.y, 0, in.argmax, 0, in.g);
        }
        return in.y;
    }

    @Benchmark
    public float[] forwardBackward(Input in) {
        try (var scope = Parallel.withThreads(in.threads)) {
            PoolKernels.maxForward(in.x, 0, in.y, 0, in.argmax, 0, in.g);
            PoolKernels.maxBackward(in.grad, 0, in.argmax, 0, in.gradInput, 0, in.g);
        }
        return in.gradInput;
    }

    @Benchmark
    public float[] referenceForward(ReferenceInput in) {
        PoolReference.maxForward(in.x, 0, in.y, 0, in.argmax, 0, in.g);
        return in.y;
    }
}
