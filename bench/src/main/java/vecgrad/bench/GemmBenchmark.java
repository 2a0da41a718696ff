package vecgrad.bench;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vecgrad.kernels.GemmKernels;
import vecgrad.kernels.GemmReference;
import vecgrad.kernels.Parallel;

/**
 * {@code C = A · B} through {@link GemmKernels} for {@code A: [m, k]}, {@code B: [k, n]}, {@code C: [m, n]},
 * float32 and float64, square n = 256, 512, 1024, 2048 and the tall-skinny k-means shape
 * (m = 60000 points, k = 784 features, n = 10 centroids), on 1 and 2 threads; {@link GemmReference} at
 * 256 x 256 x 256 is the scalar baseline.
 *
 * <p>FLOP count: one product is {@code 2·m·n·k} FLOPs (a multiply and an add per term). The primary score
 * is products per second; the secondary score {@code flops} ({@link FlopCounter}) is that times
 * {@code 2·m·n·k}, in <b>FLOP/s</b> (divide by 1e9 for GFLOP/s); compare it with
 * {@link PeakFlopsBenchmark} for the fraction of peak.
 *
 * <p>A run far below the expected speed (a micro-kernel that failed to compile and runs with boxed vectors is
 * 50-100 times slower) is flagged on stderr at the end of each iteration.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {
    /** GFLOP/s below which a run is flagged: a tenth of what the boxed-vector failure mode would beat. */
    private static final double SUSPICIOUSLY_SLOW_GFLOPS = 5;

    /** The problem, its operands and the thread count of one benchmark configuration. */
    @State(Scope.Benchmark)
    public static class Problem {
        /** {@code m x k x n}. */
        @Param({"256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "60000x784x10"})
        public String shape;

        @Param({"1", "2"})
        public int threads;

        int m;
        int k;
        int n;
        float[] a32;
        float[] b32;
        float[] c32;
        double[] a64;
        double[] b64;
        double[] c64;
        long flops;
        long started;
        long calls;

        @Setup(Level.Trial)
        public void allocate() {
            String[] sizes = shape.split("x");
            m = Integer.parseInt(sizes[0]);
            k = Integer.parseInt(sizes[1]);
            n = Integer.parseInt(sizes[2]);
            flops = 2L * m * n * k;
            SplittableRandom rng = new SplittableRandom(42);
            a32 = new float[m * k];
            b32 = new float[k * n];
            c32 = new float[m * n];
            a64 = new double[m * k];
            b64 = new double[k * n];
            c64 = new double[m * n];
            for (int i = 0; i < a32.length; i++) {
                a64[i] = rng.nextDouble(-1, 1);
                a32[i] = (float) a64[i];
            }
            for (int i = 0; i < b32.length; i++) {
                b64[i] = rng.nextDouble(-1, 1);
                b32[i] = (float) b64[i];
            }
        }

        @Setup(Level.Iteration)
        public void startClock() {
            started = System.nanoTime();
            calls = 0;
        }

        @TearDown(Level.Iteration)
        public void flagSlowRuns() {
            double seconds = (System.nanoTime() - started) * 1e-9;
            double gflops = calls * (double) flops / seconds / 1e9;
            if (calls > 0 && gflops < SUSPICIOUSLY_SLOW_GFLOPS) {
                System.err.printf("GemmBenchmark: %s on %d thread(s) ran at %.2f GFLOP/s, far below expected;"
                        + " check for a micro-kernel that fell back to boxed vectors%n", shape, threads, gflops);
            }
        }
    }

    /** The fixed small problem of the scalar baseline. */
    @State(Scope.Benchmark)
    public static class SmallProblem {
        static final int SIZE = 256;
        final float[] a = new float[SIZE * SIZE];
        final float[] b = new float[SIZE * SIZE];
        final float[] c = new float[SIZE * SIZE];

        @Setup(Level.Trial)
        public void fill() {
            SplittableRandom rng = new SplittableRandom(7);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextDouble(-1, 1);
                b[i] = (float) rng.nextDouble(-1, 1);
            }
        }
    }

    /** FLOPs done by this thread's invocations; JMH reports it as a rate (FLOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class FlopCounter {
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    @Benchmark
    public float[] float32(Problem p, FlopCounter counter) {
        try (Parallel.Scope scope = Parallel.withThreads(p.threads)) {
            GemmKernels.multiply(p.a32, 0, p.k, p.b32, 0, p.n, p.c32, 0, p.n, p.m, p.n, p.k, false);
        }
        p.calls++;
        counter.flops += p.flops;
        return p.c32;
    }

    @Benchmark
    public double[] float64(Problem p, FlopCounter counter) {
        try (Parallel.Scope scope = Parallel.withThreads(p.threads)) {
            GemmKernels.multiply(p.a64, 0, p.k, p.b64, 0, p.n, p.c64, 0, p.n, p.m, p.n, p.k, false);
        }
        p.calls++;
        counter.flops += p.flops;
        return p.c64;
    }

    /** The scalar twin at 256 x 256 x 256, float32: the baseline the SIMD kernel is measured against. */
    @Benchmark
    public float[] referenceFloat32At256(SmallProblem p, FlopCounter counter) {
        int size = SmallProblem.SIZE;
        GemmReference.multiply(p.a, 0, size, p.b, 0, size, p.c, 0, size, size, size, size, false);
        counter.flops += 2L * size * size * size;
        return p.c;
    }
}
