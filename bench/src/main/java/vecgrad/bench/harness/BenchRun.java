package vecgrad.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./vecgrad bench}: selects the cases, runs vecgrad's JMH benchmarks and the Python peers
 * interleaved round by round, and writes the report.
 *
 * <p>Interleaving: cases are grouped by peer script and thread count, and a full run cuts the groups
 * into rounds of a few cases (see {@link #rounds}); each round is one peer process, so the peer's
 * start-up, about 2 s for torch, is not paid per case. Even rounds run vecgrad first, odd rounds
 * the peer first, so a slow drift of the machine (heat, a neighbour's load) touches both sides alike.
 *
 * <p>vecgrad's side: a full run gives every case a JVM forked by JMH; quick and smoke runs give every
 * benchmark class (and thread count) one JVM ({@link SharedJvm}) in which each case is measured until
 * its warm-up has settled ({@link WarmupCheck}).
 */
public final class BenchRun {
    private final BenchOptions options;
    private final Path home;
    private final PrintStream out;
    private final PrintStream progress;

    /**
     * @param options  parsed command line
     * @param home     the project root (bench/peers and bench/results live under it)
     * @param out      where the final table goes
     * @param progress where progress and warnings go (stderr)
     */
    public BenchRun(BenchOptions options, Path home, PrintStream out, PrintStream progress) {
        this.options = options;
        this.home = home;
        this.out = out;
        this.progress = progress;
    }

    /** Runs and returns the exit status: 0 when every available case ran on both sides that were asked for. */
    public int run() throws IOException, InterruptedException {
        long runStart = System.nanoTime();
        CaseSelection selection = CaseSelection.of(options);
        JmhCases jmh = JmhCases.fromClasspath();
        List<JmhCases.Resolved> runnable = new ArrayList<>();
        List<CaseSelection.Omitted> notRun = new ArrayList<>(selection.omitted());
        for (BenchCase c : selection.cases()) {
            JmhCases.Availability availability = jmh.check(c);
            if (availability.available()) {
                runnable.add(availability.resolved());
            } else {
                notRun.add(new CaseSelection.Omitted(c.id(), "not available: " + availability.reason()));
            }
        }
        if (options.list()) {
            list(runnable, notRun);
            return 0;
        }
        if (runnable.isEmpty()) {
            progress.println("bench: no case to run (" + selection.cases().size() + " selected, none available)");
            notRun.forEach(o -> progress.println("  " + o.id() + ": " + o.reason()));
            return options.mode() == BenchOptions.Mode.SMOKE ? 1 : 0;
        }

        Peers peers = new Peers(home.resolve("bench").resolve("peers"), progress);
        Map<String, String> peerProblems = Map.of();
        if (options.peers()) {
            Set<String> scripts = new LinkedHashSet<>();
            runnable.stream().map(r -> r.benchCase().peer()).filter(p -> p != null).forEach(p -> scripts.add(p.script()));
            peerProblems = peers.prepare(scripts);
        }

        String date = LocalDate.now().toString();
        Machine machine = Machine.current();
        Path json = options.json() != null ? options.json() : home.resolve("bench").resolve("results").resolve(
                defaultReportName(date, machine.host(), options.mode()));
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "vecgrad-bench-" + date + "-" + machine.host() + ".jmh.log");
        java.nio.file.Files.deleteIfExists(log); // one log per run, not a day's worth
        progress.println("bench: " + runnable.size() + " case(s), mode " + mode() + ", " + machine.cores() + " cores, SIMD "
                + machine.vectorBits() + " bits; JMH log: " + log);

        Map<String, List<JmhCases.Resolved>> groups = new LinkedHashMap<>();
        for (JmhCases.Resolved r : runnable) {
            BenchCase c = r.benchCase();
            String script = c.peer() == null ? "" : c.peer().script();
            // cases without a peer (PeakFlops, the raw MLP step) form groups of their own
            String key = script.isEmpty() ? c.jmh().className() + "|" + c.threads() : script + "|" + c.threads();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }

        List<List<JmhCases.Resolved>> rounds = rounds(groups.values(), options.mode());
        Map<String, Timing> ours = new LinkedHashMap<>();
        Map<String, Double> countedFlops = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, Timing> theirs = new LinkedHashMap<>();
        Map<String, String> peerNames = new LinkedHashMap<>();
        List<PeerInfo> peerInfos = new ArrayList<>();
        int failures = 0;
        int done = 0;
        int round = 0;
        Map<String, double[]> secondsBySuite = new LinkedHashMap<>(); // suite -> {vecgrad, peer}
        double setUpSeconds = (System.nanoTime() - runStart) / 1e9;
        for (List<JmhCases.Resolved> cases : rounds) {
            boolean peerFirst = round++ % 2 == 1;
            for (int side = 0; side < 2; side++) {
                long start = System.nanoTime();
                if ((side == 0) == peerFirst) {
                    failures += runPeer(peers, peerProblems, cases, theirs, peerNames, peerInfos, notes);
                    addSeconds(secondsBySuite, cases.get(0), 1, start);
                } else if (options.mode() == BenchOptions.Mode.FULL) {
                    for (JmhCases.Resolved r : cases) {
                        done++;
                        start = System.nanoTime();
                        failures += runOurs(r, done, runnable.size(), log, ours, countedFlops, notes);
                        addSeconds(secondsBySuite, r, 0, start);
                    }
                } else {
                    for (List<JmhCases.Resolved> group : SharedJvm.groups(cases)) {
                        start = System.nanoTime();
                        Shared shared = new Shared(done, runnable.size(), ours, countedFlops, notes);
                        runShared(group, log, shared);
                        done += group.size();
                        failures += shared.failures;
                        addSeconds(secondsBySuite, group.get(0), 0, start);
                    }
                }
            }
        }

        List<Measurement> measurements = new ArrayList<>();
        for (JmhCases.Resolved r : runnable) {
            BenchCase c = r.benchCase();
            String note = notes.get(c.id());
            if (!r.defaulted().isEmpty()) {
                note = (note == null ? "" : note + "; ") + "ran with defaulted @Param " + String.join(", ", r.defaulted());
            }
            // the catalog's count where it has one; otherwise what the benchmark's "flops" counter reported
            double flops = c.hasFlops() ? c.flops() : countedFlops.getOrDefault(c.id(), Double.NaN);
            if (c.peak() && Double.isNaN(flops)) {
                note = (note == null ? "" : note + "; ") + "FLOP count unknown: " + simple(c.jmh().className())
                        + " has no @AuxCounters field '" + JmhCases.FLOPS_COUNTER + "'";
            }
            measurements.add(new Measurement(c, ours.get(c.id()), theirs.get(c.id()), peerNames.get(c.id()), flops, note));
        }
        Report report = Report.of(date, mode(), machine, peerInfos, measurements, notRun);
        ReportWriter.writeAtomically(json, ReportWriter.json(report));
        Path md = ReportWriter.markdownBeside(json);
        ReportWriter.writeAtomically(md, ReportWriter.markdown(report));
        out.println(ReportWriter.markdown(report));
        progress.println("bench: wrote " + json + " and " + md + (failures > 0 ? "; " + failures + " failure(s)" : ""));
        progress.println("bench: " + timeBreakdown((System.nanoTime() - runStart) / 1e9, setUpSeconds, secondsBySuite));
        return failures > 0 ? 1 : 0;
    }

    /**
     * Where the run's wall time went, e.g. {@code wall time 212 s: set-up 6 s; kernels 70 s (vecgrad 45,
     * peer 25); ...}: set-up is everything before the first case (classpath scan, the peers' check).
     *
     * @param secondsBySuite per suite, seconds spent on {vecgrad, peer}
     */
    public static String timeBreakdown(double totalSeconds, double setUpSeconds, Map<String, double[]> secondsBySuite) {
        StringBuilder text = new StringBuilder(String.format(java.util.Locale.ROOT, "wall time %.0f s: set-up %.0f s",
                totalSeconds, setUpSeconds));
        for (Map.Entry<String, double[]> suite : secondsBySuite.entrySet()) {
            double[] s = suite.getValue();
            text.append(String.format(java.util.Locale.ROOT, "; %s %.0f s (vecgrad %.0f, peer %.0f)", suite.getKey(),
                    s[0] + s[1], s[0], s[1]));
        }
        return text.toString();
    }

    /** Adds the time since {@code start} to the case's suite, on vecgrad's side (0) or the peer's (1). */
    private static void addSeconds(Map<String, double[]> secondsBySuite, JmhCases.Resolved r, int side, long start) {
        secondsBySuite.computeIfAbsent(r.benchCase().suite(), k -> new double[2])[side] += (System.nanoTime() - start) / 1e9;
    }

    /** Cases per round in a full run: each case takes about 15 s a side, so a round spans a few minutes. */
    static final int FULL_ROUND = 6;

    /**
     * Splits groups into rounds of vecgrad-then-peer (or peer-then-vecgrad). A full run cuts groups
     * into rounds of {@link #FULL_ROUND} cases so both sides stay minutes apart at most; a quick run
     * keeps whole groups, where the peer's start-up would otherwise dominate.
     */
    public static <T> List<List<T>> rounds(java.util.Collection<List<T>> groups, BenchOptions.Mode mode) {
        List<List<T>> rounds = new ArrayList<>();
        for (List<T> group : groups) {
            int size = mode == BenchOptions.Mode.FULL ? FULL_ROUND : Math.max(1, group.size());
            for (int from = 0; from < group.size(); from += size) {
                rounds.add(List.copyOf(group.subList(from, Math.min(group.size(), from + size))));
            }
        }
        return rounds;
    }

    private int runOurs(JmhCases.Resolved r, int index, int total, Path log, Map<String, Timing> ours,
                        Map<String, Double> countedFlops, Map<String, String> notes) {
        String id = r.benchCase().id();
        progress.printf("[%d/%d] %s: vecgrad ...%n", index, total, id);
        long start = System.nanoTime();
        try {
            JmhCases.Outcome outcome = runWaitingForLock(r, log);
            Timing t = outcome.timing();
            record(id, outcome, ours, countedFlops, notes);
            progress.printf("[%d/%d] %s: vecgrad %s ms [%s, %s] (%.0f s)%n", index, total, id,
                    ReportWriter.significant(t.medianMs()), ReportWriter.significant(t.minMs()),
                    ReportWriter.significant(t.maxMs()), (System.nanoTime() - start) / 1e9);
            if (!outcome.trusted()) {
                progress.println("  " + outcome.warmupNote());
            }
            return 0;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            notes.merge(id, "vecgrad failed: " + message, (a, b) -> a + "; " + b);
            progress.println("[" + index + "/" + total + "] " + id + ": vecgrad FAILED: " + message + " (see " + log + ")");
            return 1;
        }
    }

    /**
     * Runs a group of cases in one JVM ({@link SharedJvm}); a worker that cannot even start fails the
     * whole group.
     */
    private void runShared(List<JmhCases.Resolved> group, Path log, Shared shared) {
        try {
            SharedJvm.run(group, options.mode(), log, shared);
        } catch (IOException e) {
            group.forEach(r -> shared.failed(r, "could not start the benchmark JVM: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.forEach(r -> shared.failed(r, "interrupted"));
        }
    }

    /** Progress and results of one shared JVM, into the run's maps. */
    private final class Shared implements SharedJvm.Listener {
        private final int before;
        private final int total;
        private final Map<String, Timing> ours;
        private final Map<String, Double> countedFlops;
        private final Map<String, String> notes;
        private final Map<String, Integer> index = new LinkedHashMap<>();
        private long start = System.nanoTime();
        int failures;

        Shared(int before, int total, Map<String, Timing> ours, Map<String, Double> countedFlops, Map<String, String> notes) {
            this.before = before;
            this.total = total;
            this.ours = ours;
            this.countedFlops = countedFlops;
            this.notes = notes;
        }

        private int indexOf(JmhCases.Resolved r) {
            return index.computeIfAbsent(r.benchCase().id(), id -> before + index.size() + 1);
        }

        @Override
        public void started(JmhCases.Resolved r) {
            start = System.nanoTime();
            progress.printf("[%d/%d] %s: vecgrad ...%n", indexOf(r), total, r.benchCase().id());
        }

        @Override
        public void finished(JmhCases.Resolved r, JmhCases.Outcome outcome) {
            String id = r.benchCase().id();
            record(id, outcome, ours, countedFlops, notes);
            Timing t = outcome.timing();
            progress.printf("[%d/%d] %s: vecgrad %s ms [%s, %s] (%.0f s%s)%n", indexOf(r), total, id,
                    ReportWriter.significant(t.medianMs()), ReportWriter.significant(t.minMs()),
                    ReportWriter.significant(t.maxMs()), (System.nanoTime() - start) / 1e9,
                    outcome.attemptsMs().size() > 1 ? ", " + outcome.attemptsMs().size() + " attempts" : "");
            if (!outcome.trusted()) {
                progress.println("  " + outcome.warmupNote());
            }
        }

        @Override
        public void failed(JmhCases.Resolved r, String message) {
            notes.merge(r.benchCase().id(), "vecgrad failed: " + message, (a, b) -> a + "; " + b);
            progress.println("[" + indexOf(r) + "/" + total + "] " + r.benchCase().id() + ": vecgrad FAILED: " + message);
            failures++;
        }

        @Override
        public void note(String text) {
            progress.println("  " + text);
        }
    }

    /** Keeps a measured outcome: its time, its counted FLOPs, and a warning when its warm-up never settled. */
    private static void record(String id, JmhCases.Outcome outcome, Map<String, Timing> ours, Map<String, Double> countedFlops,
                               Map<String, String> notes) {
        ours.put(id, outcome.timing());
        if (!Double.isNaN(outcome.flopsPerCall())) {
            countedFlops.put(id, outcome.flopsPerCall());
        }
        if (outcome.warmupNote() != null) {
            notes.merge(id, outcome.warmupNote(), (a, b) -> a + "; " + b);
        }
    }

    /** Longest wait for another JMH run on this machine (JMH's /tmp/jmh.lock) before a case gives up. */
    static final long LOCK_WAIT_SECONDS = 900;

    /**
     * Runs a case; while another JMH process holds JMH's machine-wide lock, waits and retries rather
     * than measuring next to it (two benchmarks at once would both be wrong).
     */
    private JmhCases.Outcome runWaitingForLock(JmhCases.Resolved r, Path log) throws Exception {
        long deadline = System.nanoTime() + LOCK_WAIT_SECONDS * 1_000_000_000L;
        boolean told = false;
        while (true) {
            try {
                return JmhCases.run(r, options.mode(), log);
            } catch (org.openjdk.jmh.runner.RunnerException e) {
                boolean locked = String.valueOf(e.getMessage()).contains("JMH lock");
                if (!locked || System.nanoTime() > deadline) {
                    throw e;
                }
                if (!told) {
                    progress.println("  another JMH run holds /tmp/jmh.lock; waiting up to " + LOCK_WAIT_SECONDS
                            + " s for it to finish");
                    told = true;
                }
                Thread.sleep(5_000);
            }
        }
    }

    private int runPeer(Peers peers, Map<String, String> problems, List<JmhCases.Resolved> cases, Map<String, Timing> theirs,
                        Map<String, String> peerNames, List<PeerInfo> infos, Map<String, String> notes) {
        if (!options.peers()) {
            return 0;
        }
        List<BenchCase> withPeer = cases.stream().map(JmhCases.Resolved::benchCase).filter(c -> c.peer() != null).toList();
        if (withPeer.isEmpty()) {
            return 0;
        }
        String script = withPeer.get(0).peer().script();
        int threads = withPeer.get(0).threads();
        if (problems.containsKey(script)) {
            withPeer.forEach(c -> notes.merge(c.id(), "no peer: " + problems.get(script), (a, b) -> a + "; " + b));
            return 0;
        }
        List<String> ids = withPeer.stream().map(c -> c.peer().id()).distinct().toList();
        progress.println("  peer " + script + " --threads " + threads + ": " + ids.size() + " case(s) ...");
        try {
            Peers.Answer answer = peers.run(script, threads, ids, options.mode() != BenchOptions.Mode.FULL);
            if (infos.stream().noneMatch(i -> i.script().equals(script) && i.threads() == threads)) {
                infos.add(answer.info());
            }
            int failures = 0;
            for (BenchCase c : withPeer) {
                Timing t = answer.timings().get(c.peer().id());
                if (t == null) {
                    notes.merge(c.id(), "peer reported no time for " + c.peer().id(), (a, b) -> a + "; " + b);
                    failures++;
                } else {
                    theirs.put(c.id(), t);
                    peerNames.put(c.id(), answer.info().name() + " " + answer.info().version());
                    progress.printf("  peer %s: %s ms [%s, %s]%n", c.id(), ReportWriter.significant(t.medianMs()),
                            ReportWriter.significant(t.minMs()), ReportWriter.significant(t.maxMs()));
                }
            }
            return failures;
        } catch (IOException e) {
            progress.println("  peer " + script + " FAILED: " + e.getMessage());
            withPeer.forEach(c -> notes.merge(c.id(), "peer failed: " + e.getMessage(), (a, b) -> a + "; " + b));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void list(List<JmhCases.Resolved> runnable, List<CaseSelection.Omitted> notRun) {
        for (JmhCases.Resolved r : runnable) {
            BenchCase c = r.benchCase();
            out.printf("%-58s available  %s%s%n", c.id(), c.jmh().benchmarkName() + " " + r.params(),
                    c.peer() == null ? "" : "  peer " + c.peer().script());
        }
        for (CaseSelection.Omitted o : notRun) {
            out.printf("%-58s %s%n", o.id(), o.reason());
        }
        out.println(runnable.size() + " available, " + notRun.size() + " not run");
    }

    /**
     * {@code <date>-<host>.json} for a full run; quick and smoke runs add their mode so that they never
     * overwrite the day's full figures.
     */
    public static String defaultReportName(String date, String host, BenchOptions.Mode mode) {
        String suffix = mode == BenchOptions.Mode.FULL ? "" : "-" + mode.name().toLowerCase(java.util.Locale.ROOT);
        return date + "-" + host + suffix + ".json";
    }

    private String mode() {
        return options.mode().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
