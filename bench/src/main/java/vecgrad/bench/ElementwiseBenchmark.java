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
import vecgrad.kernels.ElementwiseKernels;
import vecgrad.kernels.ElementwiseReference;

/**
 * float32 exp, relu and add: the SIMD kernels against their scalar references (the baseline).
 * Sizes include odd ones so the masked tail is part of the measurement. Reports ns per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ElementwiseBenchmark {
    @Param({"15", "1021", "65537"})
    public int size;

    private float[] x;
    private float[] y;
    private float[] out;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(42);
        x = new float[size];
        y = new float[size];
        out = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextDouble(-5, 5);
            y[i] = (float) rng.nextDouble(-5, 5);
        }
    }

    @Benchmark
    public float[] expSimd() {
        ElementwiseKernels.exp(x, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public float[] expReference() {
        ElementwiseReference.exp(x, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public float[] reluSimd() {
        ElementwiseKernels.relu(x, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public float[] reluReference() {
        ElementwiseReference.relu(x, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public float[] addSimd() {
        ElementwiseKernels.add(x, 0, y, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public float[] addReference() {
        ElementwiseReference.add(x, 0, y, 0, out, 0, size);
        return out;
    }
}
