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

    /** What one JMH run measured: the time of one call, and the FLOPs of one call when the benchmark counts them. */
    public record Outcome(Timing timing, double flopsPerCall) {}

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
                case FAST -> new Schedule(avgt, 1, TimeValue.milliseconds(300), 3, TimeValue.milliseconds(200));
                case SLOW -> new Schedule(avgt, 1, TimeValue.milliseconds(300), 3, TimeValue.milliseconds(300));
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
     * Runs one case in a forked JVM and returns the time per operation. JMH's own output is appended
     * to {@code log}.
     */
    public static Outcome run(Resolved resolved, BenchOptions.Mode mode, Path log) throws RunnerException, IOException {
        BenchCase c = resolved.benchCase();
        Schedule schedule = schedule(c.cost(), mode);
        Path jmhOut = Files.createTempFile("vecgrad-jmh", ".log");
        try {
            ChainedOptionsBuilder builder = new OptionsBuilder()
                    .include(c.jmh().includeRegex())
                    .forks(1)
                    .warmupForks(0)
                    .jvmArgsAppend(resolved.jvmArgsAppend().toArray(String[]::new))
                    .mode(schedule.mode())
                    .timeUnit(TimeUnit.MILLISECONDS)
                    .warmupIterations(schedule.warmups())
                    .measurementIterations(schedule.measurements())
                    .shouldFailOnError(true)
                    .verbosity(VerboseMode.NORMAL)
                    .output(jmhOut.toString());
            if (schedule.warmupTime() != null) {
                builder.warmupTime(schedule.warmupTime());
            }
            if (schedule.measurementTime() != null) {
                builder.measurementTime(schedule.measurementTime());
            }
            for (Map.Entry<String, String> param : resolved.params().entrySet()) {
                builder.param(param.getKey(), param.getValue());
            }
            Collection<RunResult> results;
            try {
                results = new Runner(builder.build()).run();
            } finally {
                appendLog(log, c.id(), jmhOut);
            }
            if (results.size() != 1) {
                throw new RunnerException("expected one JMH result for " + c.id() + ", got " + results.size()
                        + " (see " + log + ")");
            }
            RunResult result = results.iterator().next();
            Timing perOp = toTiming(result.getPrimaryResult().getStatistics(), result.getPrimaryResult().getScoreUnit());
            int ops = resolved.opsPerInvocation();
            Timing perCall = ops == 1 ? perOp
                    : new Timing(perOp.medianMs() * ops, perOp.minMs() * ops, perOp.maxMs() * ops, perOp.samples());
            return new Outcome(perCall, flopsPerCall(result, ops));
        } finally {
            Files.deleteIfExists(jmhOut);
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

    private static void appendLog(Path log, String id, Path jmhOut) throws IOException {
        if (log == null) {
            return;
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        String header = "\n===== " + id + " =====\n";
        Files.writeString(log, header, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (Files.exists(jmhOut)) {
            Files.write(log, Files.readAllBytes(jmhOut), StandardOpenOption.APPEND);
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
