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
import vecgrad.kernels.ReduceKernels;
import vecgrad.kernels.ReduceReference;

/**
 * float32 sum and dot: the chunked SIMD reductions against the scalar references. 1048573 is above
 * {@link ReduceKernels#PARALLEL_MIN}, so it runs on the pool with {@code -Dvecgrad.threads} threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ReduceBenchmark {
    @Param({"15", "1021", "65537", "1048573"})
    public int size;

    private float[] x;
    private float[] y;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(7);
        x = new float[size];
        y = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
            y[i] = (float) rng.nextDouble(-1, 1);
        }
    }

    @Benchmark
    public float sumSimd() {
        return ReduceKernels.sum(x, 0, size);
    }

    @Benchmark
    public float sumReference() {
        return ReduceReference.sum(x, 0, size);
    }

    @Benchmark
    public float dotSimd() {
        return ReduceKernels.dot(x, 0, y, 0, size);
    }

    @Benchmark
    public float dotReference() {
        return ReduceReference.dot(x, 0, y, 0, size);
    }
}
