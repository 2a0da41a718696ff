package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.util.ListStatistics;
import vecgrad.bench.harness.BenchCase;
import vecgrad.bench.harness.BenchOptions;
import vecgrad.bench.harness.BenchRun;
import vecgrad.bench.harness.CaseCatalog;
import vecgrad.bench.harness.CaseSelection;
import vecgrad.bench.harness.Cost;
import vecgrad.bench.harness.JmhCases;
import vecgrad.bench.harness.JmhTarget;
import vecgrad.bench.harness.Machine;
import vecgrad.bench.harness.Measurement;
import vecgrad.bench.harness.PeerCase;
import vecgrad.bench.harness.PeerInfo;
import vecgrad.bench.harness.Peers;
import vecgrad.bench.harness.Precision;
import vecgrad.bench.harness.Report;
import vecgrad.bench.harness.ReportWriter;
import vecgrad.bench.harness.Timing;

/** The benchmark runner's pieces, without running JMH or a peer: catalog, filters, math, report files. */
class BenchHarnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BenchOptions options(String... args) {
        return BenchOptions.parse(args);
    }

    private static List<String> ids(CaseSelection selection) {
        return selection.cases().stream().map(BenchCase::id).toList();
    }

    // ---- catalog ----

    @Test
    void caseIdsAreUniqueStableAndSafeForThePeerProtocol() {
        Set<String> seen = new HashSet<>();
        List<BenchCase> all = new ArrayList<>(CaseCatalog.all());
        all.addAll(CaseCatalog.smoke());
        for (BenchCase c : CaseCatalog.all()) {
            assertTrue(seen.add(c.id()), "duplicate id " + c.id());
        }
        for (BenchCase c : all) {
            assertTrue(c.id().matches("[a-z]+/[a-z0-9_]+(/[A-Za-z0-9_.=-]+)*/threads=[0-9]+"), c.id());
            assertFalse(c.id().contains(","), c.id());
            if (c.peer() != null) {
                assertFalse(c.peer().id().contains(","), c.peer().id());
                assertTrue(c.peer().script().endsWith("_peer.py"), c.peer().script());
            }
        }
    }

    @Test
    void catalogHoldsTheIssuesCasesForOneAndTwoThreads() {
        Set<String> ids = new HashSet<>();
        CaseCatalog.all().forEach(c -> ids.add(c.id()));
        List<String> expected = new ArrayList<>();
        for (int t : CaseCatalog.THREADS) {
            String threads = "/threads=" + t;
            expected.add("kernels/peak_f32" + threads);
            expected.add("kernels/peak_f64" + threads);
            for (int n : new int[] {256, 512, 1024, 2048}) {
                expected.add("kernels/sgemm/n=" + n + threads);
                expected.add("kernels/dgemm/n=" + n + threads);
            }
            expected.add("kernels/sgemm/m=60000/k=784/n=10" + threads);
            expected.add("kernels/softmax/rows=60000/cols=10" + threads);
            expected.add("kernels/exp/n=1048573" + threads);
            expected.add("kernels/dot/n=1048573" + threads);
            for (String layer : new String[] {"a", "b", "c", "d", "e"}) {
                expected.add("conv/conv2d_fwd/" + layer + threads);
                expected.add("conv/conv2d_fwdbwd/" + layer + threads);
            }
            expected.add("conv/max_pool2d_fwd/a" + threads);
            expected.add("conv/max_pool2d_fwdbwd/d" + threads);
            expected.add("train/mlp_step/784-256-10/batch=128" + threads);
            expected.add("cluster/kmeans_lloyd/n=60000/d=784/k=10" + threads);
            expected.add("cluster/kmeans_pp/n=60000/d=784/k=10" + threads);
            expected.add("cluster/gmm_em_full/n=60000/d=50/k=10" + threads);
            expected.add("cluster/gmm_em_diag/n=60000/d=50/k=10" + threads);
            expected.add("cluster/tsne_bh_gradient/n=10000/d=50" + threads);
            expected.add("cluster/tsne_exact_gradient/n=1000/d=50" + threads);
            expected.add("cluster/tsne/n=10000" + threads);
            expected.add("cluster/ward/n=10000/d=50" + threads);
        }
        for (String id : expected) {
            assertTrue(ids.contains(id), "catalog lacks " + id);
        }
        for (String suite : CaseCatalog.SUITES) {
            assertTrue(CaseCatalog.all().stream().anyMatch(c -> c.suite().equals(suite)), suite);
        }
    }

    @Test
    void flopCountsFollowTheShapes() {
        assertEquals(2.0 * 2048 * 2048 * 2048, CaseCatalog.find("kernels/sgemm/n=2048/threads=2").orElseThrow().flops());
        assertEquals(2.0 * 60000 * 784 * 10, CaseCatalog.find("kernels/dgemm/m=60000/k=784/n=10/threads=1").orElseThrow().flops());
        // conv (a): 128 images, 16 output channels of 28x28, 1 input channel, 3x3 taps
        double convA = 2.0 * 128 * 16 * 28 * 28 * 1 * 9;
        assertEquals(convA, CaseCatalog.find("conv/conv2d_fwd/a/threads=1").orElseThrow().flops());
        assertEquals(3 * convA, CaseCatalog.find("conv/conv2d_fwdbwd/a/threads=1").orElseThrow().flops());
        // conv (e), valid: 149x99 -> 147x97
        assertEquals(2.0 * 8 * 256 * 147 * 97 * 64 * 9, CaseCatalog.find("conv/conv2d_fwd/e/threads=2").orElseThrow().flops());
        assertTrue(Double.isNaN(CaseCatalog.find("cluster/ward/n=10000/d=50/threads=2").orElseThrow().flops()));
        assertTrue(Double.isNaN(CaseCatalog.find("kernels/peak_f32/threads=1").orElseThrow().flops()),
                "peak FLOPs come from the benchmark's counter");
    }

    @Test
    void smokeRunsOneTinyCasePerSuiteAndTheRunnersOwnFirst() {
        List<BenchCase> smoke = CaseCatalog.smoke();
        assertEquals(CaseCatalog.HARNESS_SUITE, smoke.get(0).suite());
        List<String> suites = smoke.stream().map(BenchCase::suite).toList();
        assertEquals(suites.size(), new HashSet<>(suites).size(), "one case per suite: " + suites);
        assertTrue(suites.containsAll(CaseCatalog.SUITES), suites.toString());
        CaseSelection selection = CaseSelection.of(options("--smoke"));
        assertEquals(smoke.stream().map(BenchCase::id).toList(), ids(selection));
        assertFalse(options("--smoke").peers(), "smoke runs no peers");
        for (BenchCase c : selection.cases()) {
            JmhCases.Schedule schedule = JmhCases.schedule(c.cost(), BenchOptions.Mode.SMOKE);
            assertEquals(0, schedule.warmups());
            assertEquals(1, schedule.measurements());
        }
    }

    // ---- options and id filtering ----

    @Test
    void onlyFiltersOnTheIdAndThreadsOnTheCount() {
        assertEquals(List.of("kernels/sgemm/n=2048/threads=1", "kernels/sgemm/n=2048/threads=2"),
                ids(CaseSelection.of(options("--only", "sgemm/n=2048"))));
        assertEquals(List.of("kernels/sgemm/n=2048/threads=1"),
                ids(CaseSelection.of(options("kernels", "--only", "sgemm/n=2048", "--threads", "1"))));
        assertEquals(List.of(), ids(CaseSelection.of(options("conv", "--only", "sgemm"))), "suite filter applies too");
        List<String> conv = ids(CaseSelection.of(options("conv")));
        assertFalse(conv.isEmpty());
        assertTrue(conv.stream().allMatch(id -> id.startsWith("conv/")), conv.toString());
        assertTrue(ids(CaseSelection.of(options())).stream().noneMatch(id -> id.startsWith("harness/")),
                "the harness suite runs only when named");
        assertFalse(ids(CaseSelection.of(options("harness"))).isEmpty());
    }

    @Test
    void quickRunsTwoThreadsAndLeavesTheFullTsneOutUnlessAskedFor() {
        CaseSelection quick = CaseSelection.of(options("--quick"));
        assertTrue(quick.cases().stream().allMatch(c -> c.threads() == 2));
        assertTrue(quick.cases().stream().noneMatch(c -> c.cost() == Cost.VERY_LONG));
        assertTrue(quick.omitted().stream().anyMatch(o -> o.id().equals("cluster/tsne/n=10000/threads=2")
                && o.reason().contains("--quick")), quick.omitted().toString());
        assertEquals(List.of("cluster/tsne/n=10000/threads=2"),
                ids(CaseSelection.of(options("--quick", "--only", "cluster/tsne/"))));
        assertEquals(List.of("kernels/sgemm/n=256/threads=1"),
                ids(CaseSelection.of(options("--quick", "--threads", "1", "--only", "sgemm/n=256"))));
    }

    @Test
    void quickScheduleFitsTheFiveMinuteBudget() {
        // Nominal JMH time of one attempt per case, plus a second attempt (twice the warm-up) for the first,
        // cold, case of each shared JVM, 0.3 s of set-up per case and 1.5 s per JVM; vecgrad side only: the
        // peers take about as long again, so this side must stay well under half of the five minutes.
        JmhCases jmh = JmhCases.fromClasspath();
        List<JmhCases.Resolved> resolved = new ArrayList<>();
        for (BenchCase c : CaseSelection.of(options("--quick")).cases()) {
            JmhCases.Availability availability = jmh.check(c);
            if (availability.available()) {
                resolved.add(availability.resolved());
            }
        }
        double seconds = 0;
        for (List<JmhCases.Resolved> group : vecgrad.bench.harness.SharedJvm.groups(resolved)) {
            seconds += 1.5;
            for (int i = 0; i < group.size(); i++) {
                JmhCases.Schedule s = JmhCases.schedule(group.get(i).benchCase().cost(), BenchOptions.Mode.QUICK);
                seconds += 0.3 + nominalSeconds(s, 1) + (i == 0 ? nominalSeconds(s, 2) : 0);
            }
        }
        assertTrue(seconds < 150, "quick mode's vecgrad side alone would take about " + seconds + " s");
    }

    private static double nominalSeconds(JmhCases.Schedule s, int warmupFactor) {
        if (s.warmupTime() == null) {
            return (s.warmups() * warmupFactor + s.measurements()) * 4; // single shots: Ward is seconds per run
        }
        return (s.warmups() * warmupFactor * s.warmupTime().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS)
                + s.measurements() * s.measurementTime().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS)) / 1e3;
    }

    @Test
    void fullRunsInterleaveInRoundsOfAFewCasesAndQuickRunsPerGroup() {
        List<List<Integer>> groups = List.of(List.of(1, 2, 3, 4, 5, 6, 7, 8), List.of(9));
        assertEquals(List.of(List.of(1, 2, 3, 4, 5, 6), List.of(7, 8), List.of(9)),
                BenchRun.rounds(groups, BenchOptions.Mode.FULL));
        assertEquals(groups, BenchRun.rounds(groups, BenchOptions.Mode.QUICK));
    }

    @Test
    void badOptionsAreRejectedWithTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("--threads", "3")).getMessage()
                .contains("--threads; got 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("gpu")).getMessage()
                .contains("unknown suite; got gpu"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("--quick", "--smoke")).getMessage()
                .contains("exclude each other"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("--only", "(")).getMessage()
                .contains("not a valid regex"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("--json", "out.md")).getMessage()
                .contains("ending in .json"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("--only")).getMessage()
                .contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("--fast")).getMessage()
                .contains("unknown option"));
    }

    // ---- math ----

    @Test
    void ratioIsVecgradOverPeerAndMissingSidesGiveNaN() {
        assertEquals(2.0, Report.ratio(10, 5));
        assertEquals(0.5, Report.ratio(5, 10));
        assertTrue(Double.isNaN(Report.ratio(5, Double.NaN)));
        assertTrue(Double.isNaN(Report.ratio(Double.NaN, 5)));
        assertTrue(Double.isNaN(Report.ratio(5, 0)));
        assertEquals(2.0, Report.gflops(2e9, 1000)); // 2 GFLOP in one second
        assertEquals(171.8, Report.gflops(2.0 * 2048 * 2048 * 2048, 100), 0.1);
        assertTrue(Double.isNaN(Report.gflops(Double.NaN, 3)));
    }

    @Test
    void timingTakesTheMedianMinAndMaxAndConvertsJmhUnits() {
        Timing odd = Timing.of(3, 1, 2);
        assertEquals(2, odd.medianMs());
        assertEquals(1, odd.minMs());
        assertEquals(3, odd.maxMs());
        assertEquals(3, odd.samples());
        assertEquals(2.5, Timing.of(4, 1, 2, 3).medianMs());
        ListStatistics stats = new ListStatistics(new double[] {1500, 1000, 2000, 1200, 1900});
        Timing fromJmh = JmhCases.toTiming(stats, "us/op");
        assertEquals(1.5, fromJmh.medianMs(), 1e-12);
        assertEquals(1.0, fromJmh.minMs(), 1e-12);
        assertEquals(2.0, fromJmh.maxMs(), 1e-12);
        assertEquals(5, fromJmh.samples());
        assertEquals(1e3, JmhCases.msPerUnit("s/op"));
        assertEquals(1e-6, JmhCases.msPerUnit("ns/op"));
        assertThrows(IllegalArgumentException.class, () -> JmhCases.msPerUnit("ops/s"));
        assertThrows(IllegalArgumentException.class, () -> new Timing(1, 2, 3, 1), "min above median");
    }

    private static BenchCase testCase(String id, int threads, Precision precision, double flops, boolean peak) {
        return new BenchCase(id, "kernels", threads, new JmhTarget("x.Y", "m", Map.of()), Cost.FAST, precision, flops,
                peak ? null : new PeerCase("kernels_peer.py", id), peak, false);
    }

    private static Report sampleReport() {
        Machine machine = new Machine("Test CPU", 2, "JDK 25", 512, "testhost", Map.of("OPENBLAS_CORETYPE", "Haswell"));
        List<Measurement> measurements = List.of(
                // peak: 2e9 FLOP in 10 ms = 200 GFLOP/s on 2 threads
                new Measurement(testCase("kernels/peak_f32/threads=2", 2, Precision.F32, Double.NaN, true),
                        Timing.of(9, 10, 12), null, null, 2e9, null),
                // 1.6e9 FLOP in 10 ms = 160 GFLOP/s = 0.8 of peak; peer takes 8 ms
                new Measurement(testCase("kernels/sgemm/n=2048/threads=2", 2, Precision.F32, 1.6e9, false),
                        Timing.of(10, 9, 12), Timing.of(8, 7, 9), "pytorch 1.13", 1.6e9, null),
                // boxed vectors: 1.6e9 FLOP in 1000 ms = 1.6 GFLOP/s
                new Measurement(testCase("kernels/sgemm/n=1024/threads=2", 2, Precision.F32, 1.6e9, false),
                        Timing.of(1000), null, null, 1.6e9, "peer failed: test"),
                // a scalar baseline without a peer is slow by design: not flagged
                new Measurement(new BenchCase("kernels/sgemm_reference/n=256/threads=2", "kernels", 2,
                        new JmhTarget("x.Y", "r", Map.of()), Cost.FAST, Precision.F32, 1.6e9, null, false, false),
                        Timing.of(1000), null, null, 1.6e9, null),
                // no peak measured for 1 thread: no fraction
                new Measurement(testCase("kernels/exp/n=1048576/threads=1", 1, Precision.NONE, Double.NaN, false),
                        Timing.of(0.5, 0.4, 0.6), Timing.of(0.25), "pytorch 1.13", Double.NaN, null));
        return Report.of("2026-11-23", "quick", machine,
                List.of(new PeerInfo("kernels_peer.py", 2, "pytorch", "1.13", "openblas 0.3.21 (SkylakeX, 2 threads)")),
                measurements, List.of(new CaseSelection.Omitted("conv/conv2d_fwd/a/threads=2", "not available: test")));
    }

    @Test
    void reportDerivesPeakFractionFromThePeakOfTheSamePrecisionAndThreads() {
        Report report = sampleReport();
        assertEquals(200, report.peakF32().get(2), 1e-9);
        Report.Row sgemm = report.rows().get(1);
        assertEquals(160, sgemm.gflops(), 1e-9);
        assertEquals(0.8, sgemm.peakFraction(), 1e-12);
        assertEquals(1.25, sgemm.ratio(), 1e-12);
        assertEquals(200, sgemm.peerGflops(), 1e-9);
        assertNull(sgemm.note());
        Report.Row slow = report.rows().get(2);
        assertTrue(slow.note().contains("peer failed: test") && slow.note().contains("FAR BELOW PEAK"), slow.note());
        Report.Row reference = report.rows().get(3);
        assertEquals(0.008, reference.peakFraction(), 1e-12);
        assertNull(reference.note(), "a baseline without a peer is not flagged");
        Report.Row exp = report.rows().get(4);
        assertTrue(Double.isNaN(exp.peakFraction()));
        assertEquals(2.0, exp.ratio(), 1e-12);
    }

    @Test
    void jsonHasTheDocumentedShape() throws IOException {
        JsonNode root = JSON.readTree(ReportWriter.json(sampleReport()));
        JsonNode machine = root.get("machine");
        for (String key : new String[] {"cpu", "cores", "jdk", "vector_bits", "peak_gflops_f32", "peak_gflops_f64"}) {
            assertTrue(machine.has(key), "machine." + key);
        }
        assertEquals(200, machine.get("peak_gflops_f32").asDouble(), 1e-9);
        assertTrue(machine.get("peak_gflops_f64").isNull());
        assertEquals("Haswell", machine.get("env").get("OPENBLAS_CORETYPE").asText());
        assertEquals("openblas 0.3.21 (SkylakeX, 2 threads)", root.get("peers").get(0).get("blas").asText());
        JsonNode cases = root.get("cases");
        assertEquals(5, cases.size());
        JsonNode sgemm = cases.get(1);
        assertEquals("kernels/sgemm/n=2048/threads=2", sgemm.get("id").asText());
        assertEquals(10, sgemm.get("vecgrad").get("median_ms").asDouble());
        assertEquals(9, sgemm.get("vecgrad").get("min_ms").asDouble());
        assertEquals(12, sgemm.get("vecgrad").get("max_ms").asDouble());
        assertEquals("pytorch 1.13", sgemm.get("peer").get("name").asText());
        assertEquals(8, sgemm.get("peer").get("median_ms").asDouble());
        assertEquals(1.25, sgemm.get("ratio").asDouble(), 1e-12);
        assertEquals(160, sgemm.get("gflops").asDouble(), 1e-9);
        assertEquals(0.8, sgemm.get("peak_fraction").asDouble(), 1e-12);
        JsonNode noPeer = cases.get(2);
        assertTrue(noPeer.get("peer").isNull());
        assertTrue(noPeer.get("ratio").isNull());
        assertTrue(cases.get(4).get("gflops").isNull(), "NaN is written as null");
        assertEquals("conv/conv2d_fwd/a/threads=2", root.get("not_available").get(0).get("id").asText());
    }

    @Test
    void markdownShowsOneRowPerCaseAndWhatDidNotRun() {
        String md = ReportWriter.markdown(sampleReport());
        assertTrue(md.contains("| kernels/sgemm/n=2048/threads=2 | 10.0 [9.00, 12.0] | pytorch 1.13 | 8.00 [7.00, 9.00] | 1.25 | 160.0 | 200.0 | 0.80 |"),
                md);
        assertTrue(md.contains("f32 200.0 (2 threads)"), md);
        assertTrue(md.contains("OPENBLAS_CORETYPE=Haswell"), md);
        assertTrue(md.contains("## Not run") && md.contains("- conv/conv2d_fwd/a/threads=2: not available: test"), md);
        long rows = md.lines().filter(line -> line.startsWith("| kernels/")).count();
        assertEquals(5, rows);
    }

    @Test
    void reportsAreWrittenAtomicallyAndTheMarkdownGoesBesideTheJson(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("sub").resolve("run.json");
        ReportWriter.writeAtomically(json, "first");
        ReportWriter.writeAtomically(json, "second");
        assertEquals("second", Files.readString(json));
        try (Stream<Path> files = Files.list(json.getParent())) {
            assertEquals(List.of(json), files.toList(), "no temporary file left behind");
        }
        assertEquals(dir.resolve("sub").resolve("run.md"), ReportWriter.markdownBeside(json));
    }

    // ---- peers and the classpath ----

    @Test
    void peerAnswersAreParsedAndGarbageIsNamed() throws IOException {
        String json = """
                {"peer": {"name": "pytorch", "version": "1.13", "blas": "openblas"},
                 "cases": [{"id": "kernels/sgemm/n=64/threads=1", "median_ms": 0.5, "min_ms": 0.4, "max_ms": 0.9, "samples": 3}]}""";
        Peers.Answer answer = Peers.parse("kernels_peer.py", 1, json);
        assertEquals("pytorch", answer.info().name());
        Timing t = answer.timings().get("kernels/sgemm/n=64/threads=1");
        assertEquals(0.5, t.medianMs());
        assertEquals(3, t.samples());
        IOException garbage = assertThrows(IOException.class, () -> Peers.parse("conv_peer.py", 2, "Traceback ..."));
        assertTrue(garbage.getMessage().contains("conv_peer.py"), garbage.getMessage());
        assertThrows(IOException.class, () -> Peers.parse("x_peer.py", 2, "{\"cases\": []}"));
    }

    @Test
    void missingPeerScriptsAreReportedWithoutInstallingAnything(@TempDir Path dir) {
        Map<String, String> problems = new Peers(dir, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .prepare(Set.of("kernels_peer.py", "cluster_peer.py"));
        assertEquals(Set.of("kernels_peer.py", "cluster_peer.py"), problems.keySet());
        assertTrue(problems.get("kernels_peer.py").contains("not found"), problems.toString());
    }

    @Test
    void quickAndSmokeReportsNeverOverwriteTheFullRunsFile() {
        assertEquals("2026-11-23-vm.json", BenchRun.defaultReportName("2026-11-23", "vm", BenchOptions.Mode.FULL));
        assertEquals("2026-11-23-vm-quick.json", BenchRun.defaultReportName("2026-11-23", "vm", BenchOptions.Mode.QUICK));
        assertEquals("2026-11-23-vm-smoke.json", BenchRun.defaultReportName("2026-11-23", "vm", BenchOptions.Mode.SMOKE));
    }

    @Test
    void availabilityComesFromJmhsBenchmarkListWithTheReason() {
        JmhCases jmh = JmhCases.fromClasspath();
        BenchCase smoke = CaseCatalog.find("harness/sgemm/n=64/threads=1").orElseThrow();
        JmhCases.Availability ok = jmh.check(smoke);
        assertTrue(ok.available(), String.valueOf(ok.reason()));
        assertEquals(Map.of("n", "64", "threads", "1"), ok.resolved().params());
        assertEquals(1, ok.resolved().opsPerInvocation());
        String smokeClass = smoke.jmh().className();
        JmhCases.Availability noMethod = jmh.check(new BenchCase("harness/x/threads=1", "harness", 1,
                new JmhTarget(smokeClass, "dgemm", Map.of("threads", "1")), Cost.FAST, Precision.NONE, Double.NaN, null, false, false));
        assertFalse(noMethod.available());
        assertTrue(noMethod.reason().contains("no @Benchmark method 'dgemm'") && noMethod.reason().contains("sgemm"),
                noMethod.reason());
        JmhCases.Availability noParam = jmh.check(new BenchCase("harness/y/threads=1", "harness", 1,
                new JmhTarget(smokeClass, "sgemm", Map.of("size", "8")), Cost.FAST, Precision.NONE, Double.NaN, null, false, false));
        assertTrue(noParam.reason().contains("no @Param 'size'") && noParam.reason().contains("n, threads"), noParam.reason());
        JmhCases.Availability defaulted = jmh.check(new BenchCase("harness/z/threads=1", "harness", 1,
                new JmhTarget(smokeClass, "sgemm", Map.of("threads", "1")), Cost.FAST, Precision.NONE, Double.NaN, null, false, false));
        assertEquals(List.of("n=64"), defaulted.resolved().defaulted(), "an unpinned @Param runs at its first value");
        JmhCases.Availability noClass = jmh.check(new BenchCase("harness/w/threads=1", "harness", 1,
                new JmhTarget("vecgrad.bench.NoSuchBenchmark", "run", Map.of()), Cost.FAST, Precision.NONE, Double.NaN, null, false, false));
        assertTrue(noClass.reason().contains("NoSuchBenchmark is not on the classpath"), noClass.reason());
        assertTrue(ok.resolved().jvmArgsAppend().contains("--add-modules=jdk.incubator.vector"), ok.resolved().toString());
        assertTrue(ok.resolved().jvmArgsAppend().contains("-Dvecgrad.threads=1"), ok.resolved().toString());
    }
}
