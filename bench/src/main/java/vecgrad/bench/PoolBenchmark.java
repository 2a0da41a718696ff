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
import vecgrad.kernels.UpsampleKernels;

/**
 * Pooling and upsampling kernels, float32 NCHW, forward and forward + backward, on 1 and 2 threads:
 * max_pool2d 2x2 stride 2 (with argmax) through {@link PoolKernels} on the outputs of {@link ConvBenchmark}'s
 * layers (a) [128, 16, 28, 28] and (d) [8, 64, 298, 198]; nearest and bilinear x2 upsampling through
 * {@link UpsampleKernels} of a decoder's [128, 16, 14, 14]. Time per call in ms.
 * {@link #referenceMaxPoolForward} is the scalar twin on (a). Case ids and the PyTorch peer
 * ({@code bench/peers/conv_peer.py}) are in {@code vecgrad.bench.harness.CaseCatalog}.
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
        /** The conv layer whose output is pooled: (a) [128, 16, 28, 28] or (d) [8, 64, 298, 198]. */
        @Param({"a", "d"})
        public String layer;

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
            g = geometry(layer);
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
        PoolGeometry g = geometry("a");
        float[] x = ConvBenchmark.random(new SplittableRandom(3), g.inputSize());
        float[] y = new float[g.outputSize()];
        int[] argmax = new int[g.outputSize()];
    }

    static PoolGeometry geometry(String layer) {
        return ConvShapes.pool2d("max_pool2d", ConvBenchmark.geometry(layer).outputShape(), PoolSpec.of(2, 2));
    }

    /** A decoder's feature map [128, 16, 14, 14], doubled to 28 x 28. */
    @State(Scope.Benchmark)
    public static class Upsample {
        static final int BATCH = 128;
        static final int CHANNELS = 16;
        static final int SIZE = 14;

        @Param({"1", "2"})
        public int threads;

        float[] x;
        float[] y;
        float[] grad;
        float[] gradInput;

        @Setup(Level.Trial)
        public void allocate() {
            x = ConvBenchmark.random(new SplittableRandom(5), BATCH * CHANNELS * SIZE * SIZE);
            grad = ConvBenchmark.random(new SplittableRandom(6), 4 * x.length);
            y = new float[4 * x.length];
            gradInput = new float[x.length];
        }
    }

    @Benchmark
    public float[] maxPoolForward(Input in) {
        try (var scope = Parallel.withThreads(in.threads)) {
            PoolKernels.maxForward(in.x, 0, in.y, 0, in.argmax, 0, in.g);
        }
        return in.y;
    }

    @Benchmark
    public float[] maxPoolForwardBackward(Input in) {
        try (var scope = Parallel.withThreads(in.threads)) {
            PoolKernels.maxForward(in.x, 0, in.y, 0, in.argmax, 0, in.g);
            PoolKernels.maxBackward(in.grad, 0, in.argmax, 0, in.gradInput, 0, in.g);
        }
        return in.gradInput;
    }

    @Benchmark
    public float[] referenceMaxPoolForward(ReferenceInput in) {
        PoolReference.maxForward(in.x, 0, in.y, 0, in.argmax, 0, in.g);
        return in.y;
    }

    @Benchmark
    public float[] upsampleNearestForward(Upsample u) {
        try (var scope = Parallel.withThreads(u.threads)) {
            UpsampleKernels.nearestForward(u.x, 0, u.y, 0, Upsample.BATCH, Upsample.CHANNELS, Upsample.SIZE,
                    Upsample.SIZE, 2, 2);
        }
        return u.y;
    }

    @Benchmark
    public float[] upsampleNearestForwardBackward(Upsample u) {
        try (var scope = Parallel.withThreads(u.threads)) {
            UpsampleKernels.nearestForward(u.x, 0, u.y, 0, Upsample.BATCH, Upsample.CHANNELS, Upsample.SIZE,
                    Upsample.SIZE, 2, 2);
            UpsampleKernels.nearestBackward(u.grad, 0, u.gradInput, 0, Upsample.BATCH, Upsample.CHANNELS,
                    Upsample.SIZE, Upsample.SIZE, 2, 2);
        }
        return u.gradInput;
    }

    @Benchmark
    public float[] upsampleBilinearForward(Upsample u) {
        try (var scope = Parallel.withThreads(u.threads)) {
            UpsampleKernels.bilinearForward(u.x, 0, u.y, 0, Upsample.BATCH, Upsample.CHANNELS, Upsample.SIZE,
                    Upsample.SIZE, 2 * Upsample.SIZE, 2 * Upsample.SIZE);
        }
        return u.y;
    }

    @Benchmark
    public float[] upsampleBilinearForwardBackward(Upsample u) {
        try (var scope = Parallel.withThreads(u.threads)) {
            UpsampleKernels.bilinearForward(u.x, 0, u.y, 0, Upsample.BATCH, Upsample.CHANNELS, Upsample.SIZE,
                    Upsample.SIZE, 2 * Upsample.SIZE, 2 * Upsample.SIZE);
            UpsampleKernels.bilinearBackward(u.grad, 0, u.gradInput, 0, Upsample.BATCH, Upsample.CHANNELS,
                    Upsample.SIZE, Upsample.SIZE, 2 * Upsample.SIZE, 2 * Upsample.SIZE);
        }
        return u.gradInput;
    }
}
