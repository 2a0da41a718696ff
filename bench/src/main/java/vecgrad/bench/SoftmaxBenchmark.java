package vecgrad.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vecgrad.kernels.SoftmaxKernels;
import vecgrad.kernels.SoftmaxReference;

/**
 * float32 row-wise softmax and log-softmax of a {@code [rows, cols]} block, SIMD against the scalar
 * reference. cols are odd (15, 1021, 65537) so the tail is measured; rows = 16, and 60000 x 10 is the
 * MNIST-batch-of-everything classifier shape.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SoftmaxBenchmark {
    @Param({"16x15", "16x1021", "16x65537", "60000x10"})
    public String shape;

    private int rows;
    private int cols;
    private float[] x;
    private float[] out;

    @Setup
    public void setUp() {
        String[] parts = shape.split("x");
        rows = Integer.parseInt(parts[0]);
        cols = Integer.parseInt(parts[1]);
        SplittableRandom rng = new SplittableRandom(3);
        x = new float[rows * cols];
        out = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-8, 8);
        }
    }

    @Benchmark
    public float[] softmaxSimd() {
        SoftmaxKernels.softmax(x, 0, cols, out, 0, cols, rows, cols);
        return out;
    }

    @Benchmark
    public float[] softmaxReference() {
        SoftmaxReference.softmax(x, 0, cols, out, 0, cols, rows, cols);
        return out;
    }

    @Benchmark
    public float[] logSoftmaxSimd() {
        SoftmaxKernels.logSoftmax(x, 0, cols, out, 0, cols, rows, cols);
        return out;
    }

    @Benchmark
    public float[] logSoftmaxReference() {
        SoftmaxReference.logSoftmax(x, 0, cols, out, 0, cols, rows, cols);
        return out;
    }
}
