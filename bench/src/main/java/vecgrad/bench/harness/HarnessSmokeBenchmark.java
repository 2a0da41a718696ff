package vecgrad.bench.harness;

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
import vecgrad.kernels.GemmKernels;
import vecgrad.kernels.Parallel;

/**
 * The runner's own benchmark, so that {@code ./vecgrad bench --smoke} always has one case to run
 * end to end (fork, classpath, parameters, result parsing) whichever suites have landed: a small
 * float32 product {@code C[n, n] = A[n, n] · B[n, n]} through {@link GemmKernels#multiply}.
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
    public float[] sgemm() {
        try (Parallel.Scope scope = Parallel.withThreads(threads)) {
            GemmKernels.multiply(a, 0, n, b, 0, n, c, 0, n, n, n, n, false);
        }
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
