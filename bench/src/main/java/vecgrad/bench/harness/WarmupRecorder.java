package vecgrad.bench.harness;

import java.io.IOException;
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
 * JMH's text output, passed through, that also keeps every iteration's time in order: JMH's results
 * hold only the measured iterations, unordered, and {@link WarmupCheck} needs the warm-up and the order
 * to judge whether the measurement started in steady state.
 */
final class WarmupRecorder implements OutputFormat {
    private final OutputFormat text;
    private final int opsPerInvocation;
    private final List<Double> warmupMs = new ArrayList<>();
    private final List<Double> measuredMs = new ArrayList<>();

    /**
     * @param text             JMH's own output format, which still prints everything
     * @param opsPerInvocation the method's {@code @OperationsPerInvocation}: scores are per operation, times per call
     */
    WarmupRecorder(OutputFormat text, int opsPerInvocation) {
        this.text = text;
        this.opsPerInvocation = opsPerInvocation;
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
        (params.getType() == IterationType.WARMUP ? warmupMs : measuredMs).add(ms);
        text.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        text.iteration(benchParams, params, iteration);
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
