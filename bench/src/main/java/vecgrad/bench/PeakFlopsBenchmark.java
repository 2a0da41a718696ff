package vecgrad.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
import vecgrad.kernels.Parallel;
import vecgrad.kernels.Simd;

/**
 * The machine's fused multiply-add peak as the JVM sees it: the ceiling every kernel is judged against.
 *
 * <p>Each thread runs {@link #ROUNDS} rounds of 12 independent vector FMA chains ({@code acc = acc * x + y},
 * each chain started from a different value so the JIT cannot merge them). Twelve chains cover the FMA
 * latency (4 cycles) times the two FMA ports with room to spare. The total work is fixed and split over
 * {@code threads} chunks of {@link Parallel}, so the score is directly comparable across thread counts.
 *
 * <p>Score: the primary score is invocations per second; the secondary score {@code flops} (a JMH
 * auxiliary counter, {@link FlopCounter}) is <b>FLOP/s</b>: divide by 1e9 for GFLOP/s. One FMA on a vector
 * of L lanes counts as 2·L FLOPs, so one invocation is {@code 2 · 12 · ROUNDS · L} FLOPs whatever the
 * thread count.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class PeakFlopsBenchmark {
    /** FMA rounds over all threads per invocation (each round is 12 vector FMAs). */
    static final int ROUNDS = 1 << 22;
    private static final int CHAINS = 12;
    private static final long F32_FLOPS = 2L * CHAINS * ROUNDS * Simd.F32_LANES;
    private static final long F64_FLOPS = 2L * CHAINS * ROUNDS * Simd.F64_LANES;

    @Param({"1", "2"})
    public int threads;

    /** Per-chunk results, summed after the run so the chains are live (never dead code). */
    private final double[] sinks = new double[64];

    /** FLOPs done by the benchmark thread's invocations; JMH reports it as a rate (FLOP/s). */
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
    public double float32(FlopCounter counter) {
        counter.flops += F32_FLOPS;
        try (Parallel.Scope scope = Parallel.withThreads(threads)) {
            Parallel.forEach(threads, chunk -> sinks[chunk] = float32Chains(ROUNDS / threads, 1f + chunk * 1e-7f));
        }
        return total();
    }

    @Benchmark
    public double float64(FlopCounter counter) {
        counter.flops += F64_FLOPS;
        try (Parallel.Scope scope = Parallel.withThreads(threads)) {
            Parallel.forEach(threads, chunk -> sinks[chunk] = float64Chains(ROUNDS / threads, 1 + chunk * 1e-12));
        }
        return total();
    }

    private double total() {
        double sum = 0;
        for (int i = 0; i < threads; i++) {
            sum += sinks[i];
        }
        return sum;
    }

    private static double float32Chains(int rounds, float seed) {
        FloatVector x = FloatVector.broadcast(Simd.F32, 0.999f * seed);
        FloatVector y = FloatVector.broadcast(Simd.F32, 1e-3f);
        FloatVector a0 = y, a1 = y.mul(2), a2 = y.mul(3), a3 = y.mul(4), a4 = y.mul(5), a5 = y.mul(6);
        FloatVector a6 = y.mul(7), a7 = y.mul(8), a8 = y.mul(9), a9 = y.mul(10), a10 = y.mul(11), a11 = y.mul(12);
        for (int r = 0; r < rounds; r++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    private static double float64Chains(int rounds, double seed) {
        DoubleVector x = DoubleVector.broadcast(Simd.F64, 0.999 * seed);
        DoubleVector y = DoubleVector.broadcast(Simd.F64, 1e-3);
        DoubleVector a0 = y, a1 = y.mul(2), a2 = y.mul(3), a3 = y.mul(4), a4 = y.mul(5), a5 = y.mul(6);
        DoubleVector a6 = y.mul(7), a7 = y.mul(8), a8 = y.mul(9), a9 = y.mul(10), a10 = y.mul(11), a11 = y.mul(12);
        for (int r = 0; r < rounds; r++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
