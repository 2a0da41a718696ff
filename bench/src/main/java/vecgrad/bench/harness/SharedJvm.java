package vecgrad.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.runner.CompilerHints;

/**
 * Runs several cases of one benchmark class and thread count in one JVM ({@link JmhWorker}), for
 * {@code --quick} and {@code --smoke}: the JVM starts once and the class's kernels warm up once,
 * instead of once per case. The JVM gets what JMH would give a fork of that class: this JVM's own
 * arguments, the class's {@code @Fork(jvmArgsAppend)} and {@code -Dvecgrad.threads=T}, JMH's compiler
 * hints (blackholes), and this JVM's
 * classpath (under {@code ./vecgrad} the shaded jar, which holds every module and the benchmark list).
 */
public final class SharedJvm {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SharedJvm() {}

    /** What the caller hears about each case, in order, as the worker measures. */
    public interface Listener {
        /** The worker started measuring this case. */
        void started(JmhCases.Resolved resolved);

        /** The case was measured. */
        void finished(JmhCases.Resolved resolved, JmhCases.Outcome outcome);

        /** The case could not be measured: message says why. */
        void failed(JmhCases.Resolved resolved, String message);

        /** Something the user should know while waiting (e.g. another JMH run holds the lock). */
        void note(String text);
    }

    /**
     * The groups whose cases can share a JVM, in first-appearance order: same benchmark class and the
     * same JVM arguments (which include the thread count).
     */
    public static List<List<JmhCases.Resolved>> groups(List<JmhCases.Resolved> cases) {
        Map<String, List<JmhCases.Resolved>> groups = new LinkedHashMap<>();
        for (JmhCases.Resolved r : cases) {
            String key = r.benchCase().jmh().className() + "|" + String.join(" ", r.jvmArgsAppend());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        return List.copyOf(groups.values());
    }

    /** The worker's command line for a group (every case with the same JVM arguments). */
    static List<String> command(List<JmhCases.Resolved> group, BenchOptions.Mode mode, Path log) {
        Set<List<String>> jvmArgs = new LinkedHashSet<>();
        group.forEach(r -> jvmArgs.add(r.jvmArgsAppend()));
        if (group.isEmpty() || jvmArgs.size() != 1) {
            throw new IllegalArgumentException("shared JVM: cases must share their JVM arguments; got " + jvmArgs.size()
                    + " different sets, expected 1");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(group.get(0).jvmArgsAppend());
        // What JMH gives its forks: the compile-command file with its hints (@CompilerControl, and the
        // blackhole intrinsic with -DcompilerBlackholesEnabled); without it Blackhole.consume could let C2
        // drop a benchmark's work.
        CompilerHints.addCompilerHints(command);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JmhWorker.class.getName());
        command.add("--mode");
        command.add(mode.name());
        if (log != null) {
            command.add("--log");
            command.add(log.toString());
        }
        group.forEach(r -> command.add(r.benchCase().id()));
        return command;
    }

    /**
     * Runs the group's cases in one new JVM and tells {@code listener} about each; a case the worker
     * never reported (it died) is reported as failed. The worker's stderr is appended to {@code log}.
     */
    public static void run(List<JmhCases.Resolved> group, BenchOptions.Mode mode, Path log, Listener listener)
            throws IOException, InterruptedException {
        Map<String, JmhCases.Resolved> byId = new LinkedHashMap<>();
        group.forEach(r -> byId.put(r.benchCase().id(), r));
        ProcessBuilder builder = new ProcessBuilder(command(group, mode, log));
        if (log != null) {
            Path parent = log.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        } else {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        Set<String> answered = new LinkedHashSet<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.startsWith(JmhWorker.PREFIX)) {
                    continue; // nothing else should reach stdout, but a stray line must not break the run
                }
                JsonNode event = JSON.readTree(line.substring(JmhWorker.PREFIX.length()));
                String kind = event.path("event").asText();
                if (kind.equals("note")) {
                    listener.note(event.path("text").asText());
                    continue;
                }
                JmhCases.Resolved r = byId.get(event.path("id").asText());
                if (r == null) {
                    continue;
                }
                switch (kind) {
                    case "start" -> listener.started(r);
                    case "done" -> {
                        answered.add(r.benchCase().id());
                        listener.finished(r, outcome(event));
                    }
                    case "failed" -> {
                        answered.add(r.benchCase().id());
                        listener.failed(r, event.path("message").asText("?"));
                    }
                    default -> { }
                }
            }
        }
        int status = process.waitFor();
        for (JmhCases.Resolved r : group) {
            if (!answered.contains(r.benchCase().id())) {
                listener.failed(r, "the benchmark JVM exited with status " + status + " before this case finished"
                        + (log == null ? "" : " (see " + log + ")"));
            }
        }
    }

    /** A worker's "done" event as an outcome. */
    static JmhCases.Outcome outcome(JsonNode done) {
        Timing timing = new Timing(done.path("median_ms").asDouble(), done.path("min_ms").asDouble(),
                done.path("max_ms").asDouble(), done.path("samples").asInt(1));
        JsonNode flops = done.path("flops_per_call");
        List<Double> attempts = new ArrayList<>();
        done.path("attempts_ms").forEach(a -> attempts.add(a.asDouble()));
        if (attempts.isEmpty()) {
            attempts.add(timing.medianMs());
        }
        return new JmhCases.Outcome(timing, flops.isNumber() ? flops.asDouble() : Double.NaN, attempts,
                done.path("trusted").asBoolean(true));
    }
}
