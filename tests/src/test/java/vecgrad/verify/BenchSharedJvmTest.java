package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.bench.harness.BenchCase;
import vecgrad.bench.harness.BenchOptions;
import vecgrad.bench.harness.CaseCatalog;
import vecgrad.bench.harness.Cost;
import vecgrad.bench.harness.JmhCases;
import vecgrad.bench.harness.JmhTarget;
import vecgrad.bench.harness.Precision;
import vecgrad.bench.harness.SharedJvm;
import vecgrad.bench.harness.WarmupCheck;
import vecgrad.bench.harness.WarmupCheck.Verdict;

/** The quick run's machinery: the warm-up check, grouping cases into shared JVMs, and one real shared JVM. */
class BenchSharedJvmTest {

    // ---- warm-up check ----

    @Test
    void withTheJitInViewCompilingIsWhatCounts() {
        var steady = new WarmupCheck.Jit(3, 800, false);
        var compiling = new WarmupCheck.Jit(400, 800, false);
        assertFalse(steady.compiling());
        assertTrue(compiling.compiling());
        assertFalse(new WarmupCheck.Jit(30, 10_000, false).compiling(), "2% of a long window");
        assertTrue(new WarmupCheck.Jit(30, 1_000, false).compiling());
        assertTrue(new WarmupCheck.Jit(0, 1_000, true).compiling(), "a kernel's compile still running at the end");
        // the JIT's view wins over noisy times either way
        assertEquals(Verdict.SETTLED, WarmupCheck.of(List.of(100.0, 50.0), List.of(60.0, 40.0, 30.0), steady));
        assertEquals(Verdict.WARMING, WarmupCheck.of(List.of(50.0, 50.0), List.of(50.0, 50.0, 50.0), compiling));
        assertEquals(Verdict.UNKNOWN, WarmupCheck.of(List.of(50.0), List.of(50.0), compiling), "smoke: no warm-up to judge");
    }

    @Test
    void withoutTheJitOnlyAFallingTimeIsAWarmupProblem() {
        assertEquals(Verdict.SETTLED, WarmupCheck.of(List.of(900.0, 50.0, 49.0), List.of(49.5), null));
        assertEquals(Verdict.WARMING, WarmupCheck.of(List.of(100.0, 50.0), List.of(49.0), null), "last warm-up half the one before");
        assertEquals(Verdict.WARMING, WarmupCheck.of(List.of(50.0, 49.5), List.of(40.0), null), "still getting faster while measured");
        assertEquals(Verdict.SETTLED, WarmupCheck.of(List.of(50.0, 49.5), List.of(60.0), null),
                "a slower measurement (a neighbour's load) is not a warm-up problem");
        assertEquals(Verdict.SETTLED, WarmupCheck.of(List.of(40.0, 60.0), List.of(58.0), null), "rising: noise, not warm-up");
        assertEquals(Verdict.WARMING, WarmupCheck.of(List.of(900.0, 1000.0), List.of(1058.0, 510.0, 95.6), null),
                "falling during the measurement, though the median is not below the warm-up");
        assertEquals(Verdict.SETTLED, WarmupCheck.of(List.of(50.0, 49.5), List.of(48.0, 55.0, 49.0), null));
        assertEquals(Verdict.SETTLED, WarmupCheck.of(List.of(50.0, 49.5), List.of(52.0, 47.0, 49.0, 48.0, 51.0, 49.0), null),
                "halves 49 and 49: one low iteration at the end is not a trend");
        assertEquals(Verdict.UNKNOWN, WarmupCheck.of(List.of(50.0), List.of(50.0), null));
        assertEquals(Verdict.UNKNOWN, WarmupCheck.of(List.of(), List.of(50.0), null));
        assertFalse(WarmupCheck.fell(100, 95.5));
        assertTrue(WarmupCheck.fell(100, 94.5));
        assertFalse(WarmupCheck.fell(100, 300));
    }

    @Test
    void attemptsRepeatWhileWarmingUpToTheCapAndOnlyASettledFigureIsTrusted() {
        assertTrue(WarmupCheck.again(1, Verdict.WARMING, 4));
        assertTrue(WarmupCheck.again(3, Verdict.WARMING, 4));
        assertFalse(WarmupCheck.again(4, Verdict.WARMING, 4), "cap");
        assertFalse(WarmupCheck.again(1, Verdict.SETTLED, 4));
        assertFalse(WarmupCheck.again(1, Verdict.UNKNOWN, 4));
        assertFalse(WarmupCheck.again(1, Verdict.WARMING, 1), "full runs do not repeat");
        assertFalse(WarmupCheck.trusted(Verdict.WARMING));
        assertTrue(WarmupCheck.trusted(Verdict.SETTLED));
        assertTrue(WarmupCheck.trusted(Verdict.UNKNOWN));
    }

    @Test
    void anUnsettledOutcomeSaysSoInItsNote() {
        var timing = new vecgrad.bench.harness.Timing(20, 19, 22, 3);
        assertNull(new JmhCases.Outcome(timing, Double.NaN, List.of(70.0, 20.0), true).warmupNote());
        String note = new JmhCases.Outcome(timing, Double.NaN, List.of(70.0, 40.0, 30.0, 20.0), false).warmupNote();
        assertTrue(note.startsWith("UNSETTLED") && note.contains("70.0, 40.0, 30.0, 20.0 ms over 4 attempts"), note);
    }

    @Test
    void theRunEndsWithWhereItsTimeWent() {
        Map<String, double[]> bySuite = new LinkedHashMap<>();
        bySuite.put("kernels", new double[] {45.2, 24.6});
        bySuite.put("conv", new double[] {30, 0});
        assertEquals("wall time 104 s: set-up 4 s; kernels 70 s (vecgrad 45, peer 25); conv 30 s (vecgrad 30, peer 0)",
                vecgrad.bench.harness.BenchRun.timeBreakdown(104.4, 4.1, bySuite));
    }

    // ---- shared JVMs ----

    private static JmhCases.Resolved resolved(String id) {
        BenchCase c = CaseCatalog.find(id).orElseThrow();
        JmhCases.Availability availability = JmhCases.fromClasspath().check(c);
        assertTrue(availability.available(), String.valueOf(availability.reason()));
        return availability.resolved();
    }

    private static JmhCases.Resolved fake(String id, String className, int threads) {
        BenchCase c = new BenchCase(id, "harness", threads, new JmhTarget(className, "sgemm", Map.of()), Cost.FAST,
                Precision.NONE, Double.NaN, null, false, false);
        return new JmhCases.Resolved(c, Map.of(), List.of(), 1,
                List.of("--add-modules=jdk.incubator.vector", "-Dvecgrad.threads=" + threads));
    }

    @Test
    void casesShareAJvmPerBenchmarkClassAndThreadCountInOrderOfAppearance() {
        JmhCases.Resolved a1 = fake("harness/a1/threads=1", "x.A", 1);
        JmhCases.Resolved b1 = fake("harness/b1/threads=1", "x.B", 1);
        JmhCases.Resolved a1bis = fake("harness/a1bis/threads=1", "x.A", 1);
        JmhCases.Resolved a2 = fake("harness/a2/threads=2", "x.A", 2);
        assertEquals(List.of(List.of(a1, a1bis), List.of(b1), List.of(a2)), SharedJvm.groups(List.of(a1, b1, a1bis, a2)));
    }

    /** Collects what a shared JVM reports. */
    private static final class Events implements SharedJvm.Listener {
        final List<String> started = new ArrayList<>();
        final Map<String, JmhCases.Outcome> finished = new LinkedHashMap<>();
        final Map<String, String> failed = new LinkedHashMap<>();

        @Override
        public void started(JmhCases.Resolved r) {
            started.add(r.benchCase().id());
        }

        @Override
        public void finished(JmhCases.Resolved r, JmhCases.Outcome outcome) {
            finished.put(r.benchCase().id(), outcome);
        }

        @Override
        public void failed(JmhCases.Resolved r, String message) {
            failed.put(r.benchCase().id(), message);
        }

        @Override
        public void note(String text) {}
    }

    @Test
    void oneJvmMeasuresEveryCaseOfItsGroupAndNamesTheOnesItCannot(@TempDir Path dir) throws Exception {
        JmhCases.Resolved n64 = resolved("harness/sgemm/n=64/threads=1");
        JmhCases.Resolved n128 = resolved("harness/sgemm/n=128/threads=1");
        JmhCases.Resolved unknown = fake("harness/nosuch/threads=1", n64.benchCase().jmh().className(), 1);
        Path log = dir.resolve("jmh.log");
        Events events = new Events();
        SharedJvm.run(List.of(n64, unknown, n128), BenchOptions.Mode.SMOKE, log, events);

        assertEquals(List.of("harness/sgemm/n=64/threads=1", "harness/nosuch/threads=1", "harness/sgemm/n=128/threads=1"),
                events.started);
        assertEquals(List.of("harness/sgemm/n=64/threads=1", "harness/sgemm/n=128/threads=1"),
                List.copyOf(events.finished.keySet()));
        assertTrue(events.failed.get("harness/nosuch/threads=1").contains("no case with this id"), events.failed.toString());
        for (int n : new int[] {64, 128}) {
            JmhCases.Outcome outcome = events.finished.get("harness/sgemm/n=" + n + "/threads=1");
            assertTrue(outcome.timing().medianMs() > 0, outcome.toString());
            assertEquals(1, outcome.attemptsMs().size(), "smoke runs have no warm-up to judge: one attempt");
            assertTrue(outcome.trusted());
            // the benchmark's own "flops" counter, read back through JMH's per-op scores
            assertEquals(2.0 * n * n * n, outcome.flopsPerCall(), 1e-3 * n * n * n, outcome.toString());
        }
        String text = Files.readString(log);
        assertTrue(text.contains("===== harness/sgemm/n=128/threads=1 ====="), "JMH's output goes to the log");
        assertTrue(text.contains("-DcompilerBlackholesEnabled=true"), "the JVM gets JMH's compiler hints like a fork");
        assertTrue(text.contains("ms compiling in this"), "the JIT's work per iteration is logged");
    }

    @Test
    void aGroupMustShareItsJvmArguments() {
        JmhCases.Resolved one = fake("harness/a/threads=1", "x.A", 1);
        JmhCases.Resolved two = fake("harness/b/threads=2", "x.A", 2);
        assertThrows(IllegalArgumentException.class,
                () -> SharedJvm.run(List.of(one, two), BenchOptions.Mode.SMOKE, null, new Events()));
    }

    @Test
    void aWorkerThatDiesFailsTheCasesItDidNotReport(@TempDir Path dir) throws IOException, InterruptedException {
        // A heap too small for the JVM to start: the worker never answers.
        BenchCase c = CaseCatalog.find("harness/sgemm/n=64/threads=1").orElseThrow();
        JmhCases.Resolved broken = new JmhCases.Resolved(c, Map.of(), List.of(), 1, List.of("-Xmx1k"));
        Events events = new Events();
        SharedJvm.run(List.of(broken), BenchOptions.Mode.SMOKE, dir.resolve("jmh.log"), events);
        assertTrue(events.finished.isEmpty());
        assertTrue(events.failed.get(c.id()).contains("exited with status"), events.failed.toString());
    }
}
