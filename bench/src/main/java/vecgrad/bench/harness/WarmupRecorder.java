package vecgrad.bench.harness;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's text output, passed through, that also keeps every iteration's time in order (JMH's results
 * hold only the measured iterations, unordered) and, when the benchmark runs in this JVM, how long the
 * JIT compilers worked during each iteration: {@link WarmupCheck} judges from them whether the
 * measurement started in steady state. The JIT time goes to the log too, one line per iteration.
 */
final class WarmupRecorder implements OutputFormat {
    private final OutputFormat text;
    private final int opsPerInvocation;
    private final List<Double> warmupMs = new ArrayList<>();
    private final List<Double> measuredMs = new ArrayList<>();
    /** This JVM's compilers, or null when the benchmark runs in another JVM or this one cannot tell. */
    private final CompilationMXBean jit;
    private long iterationStartNanos;
    private long iterationStartCompileMs;
    private double lastWarmupCompileMs = Double.NaN;
    private double lastWarmupWallMs = Double.NaN;
    private double measuredCompileMs;
    private double measuredWallMs;
    private boolean pendingAtEnd;

    /**
     * @param text             JMH's own output format, which still prints everything
     * @param opsPerInvocation the method's {@code @OperationsPerInvocation}: scores are per operation, times per call
     * @param inThisJvm        whether JMH runs the benchmark in this JVM (forks 0), so that this JVM's JIT is its JIT
     */
    WarmupRecorder(OutputFormat text, int opsPerInvocation, boolean inThisJvm) {
        this.text = text;
        this.opsPerInvocation = opsPerInvocation;
        CompilationMXBean bean = inThisJvm ? ManagementFactory.getCompilationMXBean() : null;
        this.jit = bean != null && bean.isCompilationTimeMonitoringSupported() ? bean : null;
    }

    /**
     * JIT work during the last warm-up iteration and the measured ones, or null when unknown (the
     * benchmark ran in another JVM, or there was no warm-up).
     */
    WarmupCheck.Jit tailJit() {
        if (jit == null || Double.isNaN(lastWarmupCompileMs)) {
            return null;
        }
        return new WarmupCheck.Jit(lastWarmupCompileMs + measuredCompileMs, lastWarmupWallMs + measuredWallMs, pendingAtEnd);
    }

    /**
     * Whether the JIT is compiling, or has queued, a method of vecgrad's (kernels, or the benchmark's
     * JMH stub) right now: the compile time above only counts compiles that finished, and a C2 compile
     * of a big kernel can take longer than a whole quick measurement on a busy machine. Read from
     * HotSpot's {@code Compiler.queue} diagnostic command; false when the JVM has none.
     */
    static boolean vecgradCompilePending() {
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            var name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
            Object queue = server.invoke(name, "compilerQueue", new Object[] {null}, new String[] {String[].class.getName()});
            return String.valueOf(queue).lines().anyMatch(line -> line.contains(" vecgrad."));
        } catch (javax.management.JMException | RuntimeException e) {
            return false;
        }
    }

    /** Time of one call in each warm-up iteration so far, in milliseconds, in order. */
    List<Double> warmupMs() {
        return List.copyOf(warmupMs);
    }

    /** Time of one call in each measured iteration so far, in milliseconds, in order. */
    List<Double> measuredMs() {
        return List.copyOf(measuredMs);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
        var primary = data.getPrimaryResult();
        double ms = primary.getScore() * JmhCases.msPerUnit(primary.getScoreUnit()) * opsPerInvocation;
        boolean warmup = params.getType() == IterationType.WARMUP;
        (warmup ? warmupMs : measuredMs).add(ms);
        text.iterationResult(benchParams, params, iteration, data);
        if (jit != null) {
            double compileMs = jit.getTotalCompilationTime() - iterationStartCompileMs;
            double wallMs = (System.nanoTime() - iterationStartNanos) / 1e6;
            if (warmup) {
                lastWarmupCompileMs = compileMs;
                lastWarmupWallMs = wallMs;
            } else {
                measuredCompileMs += compileMs;
                measuredWallMs += wallMs;
            }
            boolean last = !warmup && iteration == params.getCount();
            if (last) {
                pendingAtEnd = vecgradCompilePending();
            }
            text.println(String.format(java.util.Locale.ROOT, "                 jit: %.0f ms compiling in this %.0f ms iteration%s",
                    compileMs, wallMs, last && pendingAtEnd ? "; vecgrad methods still queued or compiling" : ""));
        }
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        text.iteration(benchParams, params, iteration);
        if (jit != null) {
            iterationStartCompileMs = jit.getTotalCompilationTime();
            iterationStartNanos = System.nanoTime();
        }
    }

    @Override
    public void startBenchmark(BenchmarkParams benchParams) {
        text.startBenchmark(benchParams);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        text.endBenchmark(result);
    }

    @Override
    public void startRun() {
        text.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        text.endRun(result);
    }

    @Override
    public void print(String s) {
        text.print(s);
    }

    @Override
    public void println(String s) {
        text.println(s);
    }

    @Override
    public void flush() {
        text.flush();
    }

    @Override
    public void close() {
        text.close();
    }

    @Override
    public void verbosePrintln(String s) {
        text.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        text.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        text.write(b);
    }
}
