package vecgrad.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * The cases' side in JMH: which ones the classpath holds (from JMH's generated benchmark list), and
 * running one case through the JMH Java API in a forked JVM.
 *
 * <p>JMH builds the fork's classpath from the host's {@code java.class.path}; under
 * {@code ./vecgrad} (which runs {@code java -jar vecgrad.jar}) that is the shaded jar, which holds
 * every module, JMH itself and the benchmark list, so forks find everything.
 */
public final class JmhCases {
    static final String VECTOR_FLAG = "--add-modules=jdk.incubator.vector";

    private final Map<String, BenchmarkListEntry> byName;

    JmhCases(Collection<BenchmarkListEntry> entries) {
        Map<String, BenchmarkListEntry> map = new TreeMap<>();
        for (BenchmarkListEntry entry : entries) {
            map.putIfAbsent(entry.getUsername(), entry);
        }
        this.byName = map;
    }

    /** The benchmarks JMH's annotation processor listed in this classpath's META-INF/BenchmarkList. */
    public static JmhCases fromClasspath() {
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        BenchmarkList list = BenchmarkList.defaultList();
        return new JmhCases(list.getAll(OutputFormatFactory.createFormatInstance(silent, VerboseMode.SILENT), List.of()));
    }

    /**
     * A case ready to run: every {@code @Param} of its benchmark pinned.
     *
     * @param benchCase the case
     * @param params    all parameter values passed to JMH
     * @param defaulted parameters the case did not pin, run at their first declared value
     * @param opsPerInvocation the method's {@code @OperationsPerInvocation} (1 without it); the runner
     *                  multiplies JMH's time per op by it, so a case's time is always one method call
     * @param jvmArgsAppend the fork's extra JVM arguments: the benchmark's own {@code @Fork(jvmArgsAppend)}
     *                  (heap sizes, the vector module) and {@code -Dvecgrad.threads=T}
     */
    public record Resolved(BenchCase benchCase, Map<String, String> params, List<String> defaulted, int opsPerInvocation,
                           List<String> jvmArgsAppend) {
        public Resolved {
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
            defaulted = List.copyOf(defaulted);
            jvmArgsAppend = List.copyOf(jvmArgsAppend);
        }
    }

    /** Name of the JMH auxiliary counter ({@code @AuxCounters}) that counts FLOPs, as GemmBenchmark and PeakFlopsBenchmark do. */
    public static final String FLOPS_COUNTER = "flops";
    /** The {@code @Param} that carries a case's thread count, where a benchmark declares it. */
    public static final String THREADS_PARAM = "threads";

    /** Either a resolved case or the reason it cannot run on this classpath. */
    public record Availability(Resolved resolved, String reason) {
        public boolean available() {
            return resolved != null;
        }
    }

    /** Checks that the case's class, method and parameters exist in the benchmark list. */
    public Availability check(BenchCase c) {
        JmhTarget target = c.jmh();
        BenchmarkListEntry entry = byName.get(target.benchmarkName());
        if (entry == null) {
            List<String> methods = new ArrayList<>();
            for (BenchmarkListEntry e : byName.values()) {
                if (e.getUserClassQName().equals(target.className())) {
                    methods.add(e.getUsername().substring(target.className().length() + 1));
                }
            }
            if (methods.isEmpty()) {
                return new Availability(null, "benchmark class " + simpleName(target.className()) + " is not on the classpath");
            }
            return new Availability(null, "no @Benchmark method '" + target.method() + "' in "
                    + simpleName(target.className()) + " (it has " + String.join(", ", methods) + ")");
        }
        Map<String, String[]> declared = entry.getParams().hasValue() ? entry.getParams().get() : Map.of();
        Map<String, String> pinned = new LinkedHashMap<>(target.params());
        if (!declared.containsKey(THREADS_PARAM)) {
            pinned.remove(THREADS_PARAM); // the fork's -Dvecgrad.threads sets the pool size instead
        }
        for (String name : pinned.keySet()) {
            if (!declared.containsKey(name)) {
                return new Availability(null, simpleName(target.className()) + "." + target.method() + " has no @Param '"
                        + name + "' (it has " + (declared.isEmpty() ? "none" : String.join(", ", new TreeSet<>(declared.keySet())))
                        + ")");
            }
        }
        Map<String, String> params = new LinkedHashMap<>(pinned);
        List<String> defaulted = new ArrayList<>();
        for (Map.Entry<String, String[]> param : new TreeMap<>(declared).entrySet()) {
            if (!params.containsKey(param.getKey()) && param.getValue().length > 0) {
                params.put(param.getKey(), param.getValue()[0]);
                if (param.getValue().length > 1) {
                    defaulted.add(param.getKey() + "=" + param.getValue()[0]);
                }
            }
        }
        int ops = entry.getOperationsPerInvocation().hasValue() ? entry.getOperationsPerInvocation().get() : 1;
        // Options replace the annotation's jvmArgsAppend rather than adding to it: carry its arguments over.
        List<String> jvmArgs = new ArrayList<>(entry.getJvmArgsAppend().hasValue() ? entry.getJvmArgsAppend().get() : List.of());
        if (!jvmArgs.contains(VECTOR_FLAG)) {
            jvmArgs.add(VECTOR_FLAG);
        }
        jvmArgs.add("-Dvecgrad.threads=" + c.threads());
        return new Availability(new Resolved(c, params, defaulted, Math.max(1, ops), jvmArgs), null);
    }

    /** JMH settings for one case: mode, iterations and their length (null length: single shot). */
    public record Schedule(org.openjdk.jmh.annotations.Mode mode, int warmups, TimeValue warmupTime, int measurements,
                    TimeValue measurementTime) {}

    /** How a case of this cost is measured in this mode. */
    public static Schedule schedule(Cost cost, BenchOptions.Mode mode) {
        var avgt = org.openjdk.jmh.annotations.Mode.AverageTime;
        var single = org.openjdk.jmh.annotations.Mode.SingleShotTime;
        boolean singleShot = cost == Cost.LONG || cost == Cost.VERY_LONG;
        return switch (mode) {
            case SMOKE -> singleShot ? new Schedule(single, 0, null, 1, null)
                    : new Schedule(avgt, 0, null, 1, TimeValue.milliseconds(100));
            case QUICK -> switch (cost) {
                // two warm-ups at least, so WarmupCheck can compare them; more come as repeated attempts when needed
                case FAST -> new Schedule(avgt, 2, TimeValue.milliseconds(200), 3, TimeValue.milliseconds(200));
                case SLOW -> new Schedule(avgt, 2, TimeValue.milliseconds(300), 3, TimeValue.milliseconds(300));
                case LONG -> new Schedule(single, 1, null, 1, null);
                case VERY_LONG -> new Schedule(single, 0, null, 1, null);
            };
            case FULL -> switch (cost) {
                case FAST -> new Schedule(avgt, 5, TimeValue.seconds(1), 10, TimeValue.seconds(1));
                case SLOW -> new Schedule(avgt, 3, TimeValue.seconds(2), 8, TimeValue.seconds(2));
                case LONG -> new Schedule(single, 2, null, 5, null);
                case VERY_LONG -> new Schedule(single, 1, null, 3, null);
            };
        };
    }

    /**
     * What a case's measurement gave.
     *
     * @param timing       time of one call over the measured iterations of the final attempt
     * @param flopsPerCall FLOPs of one call from the benchmark's own counter, NaN without one
     * @param attemptsMs   median of each attempt, in order (more than one when the warm-up had not settled)
     * @param trusted      false when the warm-up had still not settled after the last attempt
     *                     ({@link WarmupCheck#trusted})
     */
    public record Outcome(Timing timing, double flopsPerCall, List<Double> attemptsMs, boolean trusted) {
        public Outcome {
            attemptsMs = List.copyOf(attemptsMs);
        }

        /** For the report: why this figure may be too high, or null when it is trusted. */
        public String warmupNote() {
            if (trusted) {
                return null;
            }
            StringBuilder medians = new StringBuilder();
            for (double ms : attemptsMs) {
                medians.append(medians.isEmpty() ? "" : ", ").append(ReportWriter.significant(ms));
            }
            return "UNSETTLED: still warming up when measured (the JIT compiling, or the time falling; medians " + medians
                    + " ms over " + attemptsMs.size()
                    + " attempt" + (attemptsMs.size() == 1 ? "" : "s") + "); a longer warm-up may give less";
        }
    }

    /** Attempts per case before the runner gives up on a settled warm-up (the same JVM, warmer each time). */
    static int maxAttempts(BenchOptions.Mode mode) {
        return mode == BenchOptions.Mode.QUICK ? 4 : 1;
    }

    /**
     * No new attempt starts once a case has taken this long: on a machine busy with other work the
     * warm-up may never settle, and the quick run must still end (one attempt of the slowest quick
     * case, conv (e) forward+backward, takes about 5 s on a quiet machine).
     */
    static final long ATTEMPT_BUDGET_SECONDS = 20;

    /**
     * Runs one case in a JVM forked by JMH (one JVM per case, as JMH intends; the full run) and returns
     * the time of one call. The warm-up is checked ({@link WarmupCheck}) but not repeated: a new fork
     * would start cold again. JMH's own output is appended to {@code log}.
     */
    public static Outcome run(Resolved resolved, BenchOptions.Mode mode, Path log) throws RunnerException, IOException {
        Attempt attempt = attempt(resolved, mode, 1, 1, log, resolved.benchCase().id());
        WarmupCheck.Verdict verdict = WarmupCheck.of(attempt.warmupMs(), attempt.measuredMs(), attempt.jit());
        return new Outcome(attempt.timing(), attempt.flopsPerCall(), List.of(attempt.timing().medianMs()),
                WarmupCheck.trusted(verdict));
    }

    /**
     * Measures a case in this JVM until its warm-up settles ({@link WarmupCheck}), at most
     * {@link #maxAttempts} times and while within {@link #ATTEMPT_BUDGET_SECONDS}, each attempt with twice
     * the previous one's warm-up iterations: the shared-JVM path of {@link JmhWorker}.
     */
    static Outcome runHere(Resolved resolved, BenchOptions.Mode mode, Path log) throws RunnerException, IOException {
        List<Double> medians = new ArrayList<>();
        int max = maxAttempts(mode);
        long deadline = System.nanoTime() + ATTEMPT_BUDGET_SECONDS * 1_000_000_000L;
        while (true) {
            String header = resolved.benchCase().id() + (medians.isEmpty() ? "" : " (attempt " + (medians.size() + 1) + ")");
            // each new attempt warms up twice as long: the JIT needs time more than repetitions
            Attempt attempt = attempt(resolved, mode, 0, 1 << medians.size(), log, header);
            medians.add(attempt.timing().medianMs());
            WarmupCheck.Verdict verdict = WarmupCheck.of(attempt.warmupMs(), attempt.measuredMs(), attempt.jit());
            if (!WarmupCheck.again(medians.size(), verdict, max) || System.nanoTime() > deadline) {
                return new Outcome(attempt.timing(), attempt.flopsPerCall(), medians, WarmupCheck.trusted(verdict));
            }
        }
    }

    /**
     * One JMH run of a case: the time of one call, its FLOPs, each warm-up and measured iteration's time
     * of one call, and the JIT's work from the last warm-up on (null when the case ran in another JVM).
     */
    record Attempt(Timing timing, double flopsPerCall, List<Double> warmupMs, List<Double> measuredMs, WarmupCheck.Jit jit) {}

    /**
     * Runs JMH once for a case: in a fork of its own ({@code forks} 1) or in this JVM ({@code forks} 0),
     * with the schedule's warm-up iterations times {@code warmupFactor}. JMH's text output is appended to
     * {@code log} under {@code header}.
     */
    static Attempt attempt(Resolved resolved, BenchOptions.Mode mode, int forks, int warmupFactor, Path log, String header)
            throws RunnerException, IOException {
        BenchCase c = resolved.benchCase();
        Schedule schedule = schedule(c.cost(), mode);
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(c.jmh().includeRegex())
                .forks(forks)
                .warmupForks(0)
                .mode(schedule.mode())
                .timeUnit(TimeUnit.MILLISECONDS)
                .warmupIterations(schedule.warmups() * warmupFactor)
                .measurementIterations(schedule.measurements())
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL);
        if (forks > 0) {
            builder.jvmArgsAppend(resolved.jvmArgsAppend().toArray(String[]::new));
        }
        if (schedule.warmupTime() != null) {
            builder.warmupTime(schedule.warmupTime());
        }
        if (schedule.measurementTime() != null) {
            builder.measurementTime(schedule.measurementTime());
        }
        for (Map.Entry<String, String> param : resolved.params().entrySet()) {
            builder.param(param.getKey(), param.getValue());
        }
        int ops = resolved.opsPerInvocation();
        Collection<RunResult> results;
        try (LogStream text = LogStream.open(log, header)) {
            WarmupRecorder format = new WarmupRecorder(
                    OutputFormatFactory.createFormatInstance(text.stream(), VerboseMode.NORMAL), ops, forks == 0);
            results = new Runner(builder.build(), format).run();
            if (results.size() != 1) {
                throw new RunnerException("expected one JMH result for " + c.id() + ", got " + results.size()
                        + (log == null ? "" : " (see " + log + ")"));
            }
            RunResult result = results.iterator().next();
            Timing perOp = toTiming(result.getPrimaryResult().getStatistics(), result.getPrimaryResult().getScoreUnit());
            Timing perCall = ops == 1 ? perOp
                    : new Timing(perOp.medianMs() * ops, perOp.minMs() * ops, perOp.maxMs() * ops, perOp.samples());
            return new Attempt(perCall, flopsPerCall(result, ops), format.warmupMs(), format.measuredMs(), format.tailJit());
        }
    }

    /** JMH's text output going to the run's log (appended) under a header, or nowhere without a log. */
    private record LogStream(PrintStream stream) implements AutoCloseable {
        static LogStream open(Path log, String header) throws IOException {
            if (log == null) {
                return new LogStream(new PrintStream(OutputStream.nullOutputStream()));
            }
            Path parent = log.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            PrintStream stream = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), true, java.nio.charset.StandardCharsets.UTF_8);
            stream.print("\n===== " + header + " =====\n");
            return new LogStream(stream);
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    /**
     * FLOPs of one call from the benchmark's {@value #FLOPS_COUNTER} counter: in average-time mode JMH
     * reports both the primary score and the counter as time per unit, so time per call over time per
     * FLOP is FLOPs per call. NaN when the benchmark has no such counter.
     */
    static double flopsPerCall(RunResult result, int opsPerInvocation) {
        var counter = result.getSecondaryResults().get(FLOPS_COUNTER);
        double perOp = result.getPrimaryResult().getScore();
        if (counter == null || result.getParams().getMode() != org.openjdk.jmh.annotations.Mode.AverageTime
                || !(counter.getScore() > 0) || !(perOp > 0)) {
            return Double.NaN;
        }
        return perOp * opsPerInvocation / counter.getScore();
    }

    /** Median (50th percentile), min and max of JMH's per-iteration scores, converted to milliseconds. */
    public static Timing toTiming(Statistics statistics, String unit) {
        double scale = msPerUnit(unit);
        return new Timing(statistics.getPercentile(50) * scale, statistics.getMin() * scale,
                statistics.getMax() * scale, (int) statistics.getN());
    }

    /** Milliseconds in one unit of a JMH score unit such as {@code ms/op} or {@code us/op}. */
    public static double msPerUnit(String unit) {
        String time = unit.contains("/") ? unit.substring(0, unit.indexOf('/')) : unit;
        return switch (time) {
            case "ns" -> 1e-6;
            case "us", "\u00b5s" -> 1e-3;
            case "ms" -> 1;
            case "s" -> 1e3;
            case "min" -> 60e3;
            default -> throw new IllegalArgumentException("jmh: unexpected score unit; got " + unit
                    + ", expected a time per operation such as ms/op");
        };
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
