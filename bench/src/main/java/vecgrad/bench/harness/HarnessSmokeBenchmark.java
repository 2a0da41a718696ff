package vecgrad.bench.harness;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import vecgrad.kernels.GemmKernels;
import vecgrad.kernels.Parallel;

/**
 * The runner's own benchmark, so that {@code ./vecgrad bench --smoke} always has one case to run
 * end to end (fork, classpath, parameters, result parsing) whichever suites have landed: a small
 * float32 product {@code C[n, n] = A[n, n] · B[n, n]} through {@link GemmKernels#multiply}.
 *
 * <p>It counts its FLOPs ({@code 2·n³} per call) in an auxiliary counter named {@code flops}, the
 * convention the runner reads GFLOP/s from when the catalog has no count of its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class HarnessSmokeBenchmark {
    @Param({"64", "128"})
    int n;

    @Param({"1", "2"})
    int threads;

    /** FLOPs done in the current iteration; JMH reports the counter normalized like the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class FlopCounter {
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(20261123L);
        a = uniform(rng, n * n);
        b = uniform(rng, n * n);
        c = new float[n * n];
    }

    @Benchmark
    public float[] sgemm(FlopCounter counter) {
        try (Parallel.Scope scope = Parallel.withThreads(threads)) {
            GemmKernels.multiply(a, 0, n, b, 0, n, c, 0, n, n, n, n, false);
        }
        counter.flops += 2L * n * n * n;
        return c;
    }

    private static float[] uniform(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }
}
