package vecgrad.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The JVM that {@link SharedJvm} starts for several cases of one benchmark class: runs each case
 * through JMH in this JVM ({@code forks 0}), one after the other, measuring again while the warm-up
 * has not settled ({@link JmhCases#runHere}), and reports each case as one line on stdout.
 *
 * <p>Why one JVM for several cases: a fork per case pays JVM start-up and, worse, the JIT warm-up of
 * the same kernels again for every shape (seconds for the convolution kernels); cases of one class
 * share their kernels, so after the first case the next ones start warm.
 *
 * <p>Usage: {@code java <the class's JVM arguments> -cp <classpath> vecgrad.bench.harness.JmhWorker
 * --mode QUICK|SMOKE|FULL [--log FILE] id...}. Each line on stdout starts with {@link #PREFIX} and holds one
 * JSON event: {@code {"event": "start", "id"}}, {@code {"event": "done", "id", "median_ms", "min_ms",
 * "max_ms", "samples", "flops_per_call" (or null), "attempts_ms": [...], "trusted"}},
 * {@code {"event": "failed", "id", "message"}} or {@code {"event": "note", "text"}}. JMH's text output
 * goes to the log; everything the benchmarks print goes to stderr.
 */
public final class JmhWorker {
    /** Marks the worker's event lines on stdout. */
    static final String PREFIX = "@@vecgrad-bench ";

    private static final ObjectMapper JSON = new ObjectMapper();

    private JmhWorker() {}

    public static void main(String[] args) throws InterruptedException {
        PrintStream events = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // JMH in this JVM and the benchmarks print to System.out: keep stdout for events
        BenchOptions.Mode mode = null;
        Path log = null;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = BenchOptions.Mode.valueOf(args[++i]);
                case "--log" -> log = Path.of(args[++i]);
                default -> ids.add(args[i]);
            }
        }
        if (mode == null || ids.isEmpty()) {
            System.err.println("usage: JmhWorker --mode QUICK|SMOKE|FULL [--log FILE] id...");
            System.exit(2);
        }
        JmhCases jmh = JmhCases.fromClasspath();
        for (String id : ids) {
            ObjectNode start = JSON.createObjectNode().put("event", "start").put("id", id);
            events.println(PREFIX + start);
            events.println(PREFIX + measure(jmh, id, mode, log, events));
        }
    }

    private static ObjectNode measure(JmhCases jmh, String id, BenchOptions.Mode mode, Path log, PrintStream events)
            throws InterruptedException {
        BenchCase c = CaseCatalog.find(id).orElse(null);
        if (c == null) {
            return failed(id, "no case with this id in the catalog");
        }
        JmhCases.Availability availability = jmh.check(c);
        if (!availability.available()) {
            return failed(id, "not available: " + availability.reason());
        }
        long deadline = System.nanoTime() + BenchRun.LOCK_WAIT_SECONDS * 1_000_000_000L;
        boolean told = false;
        while (true) {
            try {
                JmhCases.Outcome outcome = JmhCases.runHere(availability.resolved(), mode, log);
                ObjectNode done = JSON.createObjectNode().put("event", "done").put("id", id)
                        .put("median_ms", outcome.timing().medianMs()).put("min_ms", outcome.timing().minMs())
                        .put("max_ms", outcome.timing().maxMs()).put("samples", outcome.timing().samples())
                        .put("trusted", outcome.trusted());
                if (Double.isNaN(outcome.flopsPerCall())) {
                    done.putNull("flops_per_call");
                } else {
                    done.put("flops_per_call", outcome.flopsPerCall());
                }
                var attempts = done.putArray("attempts_ms");
                outcome.attemptsMs().forEach(attempts::add);
                return done;
            } catch (RunnerException e) {
                boolean locked = String.valueOf(e.getMessage()).contains("JMH lock");
                if (!locked || System.nanoTime() > deadline) {
                    return failed(id, firstLine(e));
                }
                if (!told) {
                    events.println(PREFIX + JSON.createObjectNode().put("event", "note").put("text",
                            "another JMH run holds /tmp/jmh.lock; waiting up to " + BenchRun.LOCK_WAIT_SECONDS
                                    + " s for it to finish"));
                    told = true;
                }
                Thread.sleep(5_000);
            } catch (Exception | OutOfMemoryError e) {
                return failed(id, firstLine(e));
            }
        }
    }

    private static ObjectNode failed(String id, String message) {
        return JSON.createObjectNode().put("event", "failed").put("id", id).put("message", message);
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
