package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import vecgrad.verify.conformance.CaseResult;
import vecgrad.verify.conformance.FormatRunner;

/**
 * Runner for {@code cluster-conformance/1} case files ({@code shared/conformance-cluster/FORMAT.md}):
 * dispatches each case on its {@code kind} to one of {@link #KINDS}, compares the outputs with the
 * expected ones by the rules of FORMAT.md §5 (with a case's {@code tolerance} overrides), prints one
 * line per failure and {@code N passed, N failed}, and can write the results for {@code check.py}
 * (JSON Lines, one {@code {"id", "outputs"}} or {@code {"id", "error"}} per case).
 * A case whose kind has no handler fails.
 */
public final class ClusterConformance {
    public static final String FORMAT = "cluster-conformance/1";

    /** The handlers, one per kind. New kinds are added here with one line. */
    public static final List<ClusterKind> KINDS = List.of(
            new KMeansLloydKind(),
            new KMeansInertiaPredictKind(),
            new GmmEmKind(),
            new PcaKind(),
            new TsneAffinitiesKind(),
            new TsneKlGradientKind(),
            new AgglomerativeKind());

    private ClusterConformance() {}

    /** Passed and failed case counts. */
    public record Counts(int passed, int failed) {}

    /** Runs every case in a case file or a directory of them, with all {@link #KINDS}; writes results when out != null. */
    public static Counts run(Path dirOrFile, Path outOrNull) {
        return run(dirOrFile, outOrNull, KINDS, null, System.out);
    }

    /**
     * Runs the cases whose kind is in {@code onlyKinds} (null: all cases) with the given handlers,
     * printing failures and the summary to {@code log}.
     */
    public static Counts run(Path dirOrFile, Path outOrNull, List<ClusterKind> handlers, Set<String> onlyKinds,
                             PrintStream log) {
        Map<String, ClusterKind> byKind = new HashMap<>();
        for (ClusterKind handler : handlers) {
            byKind.put(handler.kind(), handler);
        }
        int passed = 0, failed = 0;
        List<String> lines = new ArrayList<>();
        for (Path file : caseFiles(dirOrFile)) {
            JsonNode root = read(file);
            if (!FORMAT.equals(root.path("format").asText())) {
                continue;
            }
            for (JsonNode testCase : root.get("cases")) {
                if (onlyKinds != null && !onlyKinds.contains(testCase.path("kind").asText())) {
                    continue;
                }
                Outcome outcome = runCase(testCase, byKind);
                lines.add(outcome.result().toString());
                if (outcome.problems().isEmpty()) {
                    passed++;
                } else {
                    failed++;
                    log.println("FAIL " + outcome.id() + ": " + String.join("; ", outcome.problems()));
                }
            }
        }
        if (outOrNull != null) {
            write(outOrNull, lines);
        }
        log.println(passed + " passed, " + failed + " failed");
        return new Counts(passed, failed);
    }

    /** One case's result object ({@code {"id", "outputs"}} or {@code {"id", "error"}}) and what did not match. */
    private record Outcome(String id, ObjectNode result, List<String> problems) {}

    private static Outcome runCase(JsonNode testCase, Map<String, ClusterKind> byKind) {
        String kind = testCase.path("kind").asText();
        String id = testCase.path("id").asText();
        ObjectNode result = ClusterJson.object();
        result.put("id", id);
        List<String> problems = new ArrayList<>();
        ClusterKind handler = byKind.get(kind);
        if (handler == null) {
            problems.add("unknown kind '" + kind + "' (no handler)");
            result.put("error", problems.get(0));
        } else {
            try {
                ObjectNode outputs = handler.outputs(testCase);
                result.set("outputs", outputs);
                problems.addAll(compare(testCase, outputs));
            } catch (RuntimeException e) {
                problems.add("error: " + e);
                result.put("error", String.valueOf(e));
            }
        }
        return new Outcome(id, result, problems);
    }

    /**
     * This runner as a {@link FormatRunner} of {@code ./vecgrad conformance}, which dispatches files on
     * their {@code format}. Cluster cases have no precision: they always run in float64 (FORMAT.md §3).
     */
    public static FormatRunner formatRunner() {
        Map<String, ClusterKind> byKind = new HashMap<>();
        for (ClusterKind handler : KINDS) {
            byKind.put(handler.kind(), handler);
        }
        return (file, root, dtypes) -> {
            List<CaseResult> results = new ArrayList<>();
            for (JsonNode testCase : root.get("cases")) {
                Outcome outcome = runCase(testCase, byKind);
                boolean ok = outcome.problems().isEmpty();
                results.add(new CaseResult(file.toString(), outcome.id(), null,
                        ok ? CaseResult.Status.PASSED : CaseResult.Status.FAILED,
                        ok ? "" : String.join("; ", outcome.problems()), 0, outcome.result()));
            }
            return results;
        };
    }

    private enum Mode { CLOSE, EXACT, PARTITION, PAIRS, SIGNED }

    private record Rule(Mode mode, double rtol, double atol) {
        static Rule close(double rtol, double atol) {
            return new Rule(Mode.CLOSE, rtol, atol);
        }

        static Rule of(Mode mode) {
            return new Rule(mode, 0, 0);
        }
    }

    /** FORMAT.md §5, per kind and output. */
    private static final Map<String, Map<String, Rule>> RULES = Map.of(
            "kmeans_lloyd", Map.of("centers", Rule.close(1e-9, 1e-9), "labels", Rule.of(Mode.EXACT),
                    "n_iter", Rule.of(Mode.EXACT), "inertia", Rule.close(1e-9, 1e-9)),
            "kmeans_inertia_predict", Map.of("labels", Rule.of(Mode.EXACT), "inertia", Rule.close(1e-10, 1e-10),
                    "distances", Rule.close(1e-10, 1e-10)),
            "gmm_em", Map.of("weights", Rule.close(1e-7, 1e-9), "means", Rule.close(1e-7, 1e-8),
                    "covariances", Rule.close(1e-7, 1e-9), "lower_bound", Rule.close(1e-9, 1e-9),
                    "mean_loglik", Rule.close(1e-9, 1e-9), "score_samples", Rule.close(1e-7, 1e-7),
                    "predict_proba", Rule.close(1e-7, 1e-9)),
            "tsne_affinities", Map.of("conditional_P", Rule.close(1e-9, 1e-12), "beta", Rule.close(1e-12, 0),
                    "P", Rule.close(1e-9, 1e-12)),
            "tsne_kl_gradient", Map.of("kl", Rule.close(1e-9, 1e-12), "grad", Rule.close(1e-8, 1e-12)),
            "agglomerative", Map.of("merges", Rule.of(Mode.PAIRS), "heights", Rule.close(1e-9, 1e-12),
                    "sizes", Rule.of(Mode.EXACT), "labels", Rule.of(Mode.PARTITION)),
            "pca", Map.of("mean", Rule.close(1e-10, 1e-10), "components", new Rule(Mode.SIGNED, 1e-8, 1e-9),
                    "explained_variance", Rule.close(1e-9, 1e-12), "explained_variance_ratio", Rule.close(1e-9, 1e-12),
                    "singular_values", Rule.close(1e-9, 1e-12), "transformed", new Rule(Mode.SIGNED, 1e-8, 1e-8)));

    /** The problems found comparing outputs with the case's expected tensors (empty: the case passes). */
    static List<String> compare(JsonNode testCase, JsonNode outputs) {
        String kind = testCase.path("kind").asText();
        Map<String, Rule> rules = RULES.getOrDefault(kind, Map.of());
        JsonNode overrides = testCase.path("tolerance");
        List<String> problems = new ArrayList<>();
        double[] signs = "pca".equals(kind) ? pcaSigns(testCase, outputs) : null;
        for (Map.Entry<String, JsonNode> entry : testCase.get("expected").properties()) {
            String name = entry.getKey();
            Rule rule = rules.getOrDefault(name, Rule.close(0, 0));
            JsonNode actualNode = outputs.get(name);
            if (actualNode == null) {
                problems.add(name + ": missing");
                continue;
            }
            int[] expectedShape = ClusterJson.shape(entry.getValue());
            int[] actualShape = ClusterJson.shape(actualNode);
            double[] expected = ClusterJson.data(entry.getValue());
            double[] actual = ClusterJson.data(actualNode);
            if (!Arrays.equals(expectedShape, actualShape) || expected.length != actual.length) {
                problems.add(name + ": shape " + Arrays.toString(actualShape) + " != expected "
                        + Arrays.toString(expectedShape));
                continue;
            }
            switch (rule.mode()) {
                case EXACT -> {
                    for (int i = 0; i < expected.length; i++) {
                        if (actual[i] != expected[i]) {
                            problems.add(name + ": first difference at [" + i + "]: actual " + actual[i]
                                    + ", expected " + expected[i]);
                            break;
                        }
                    }
                }
                case PARTITION -> {
                    if (!Arrays.equals(canonical(actual), canonical(expected))) {
                        problems.add(name + ": partitions differ");
                    }
                }
                case PAIRS -> {
                    int width = expectedShape.length == 2 ? expectedShape[1] : 2;
                    for (int r = 0; r < expected.length / width; r++) {
                        double[] a = Arrays.copyOfRange(actual, r * width, (r + 1) * width);
                        double[] e = Arrays.copyOfRange(expected, r * width, (r + 1) * width);
                        Arrays.sort(a);
                        Arrays.sort(e);
                        if (!Arrays.equals(a, e)) {
                            problems.add(name + ": row " + r + " is " + Arrays.toString(a) + ", expected "
                                    + Arrays.toString(e) + " (as an unordered pair)");
                            break;
                        }
                    }
                }
                case CLOSE, SIGNED -> {
                    double rtol = overrides.path(name).path("rtol").asDouble(rule.rtol());
                    double atol = overrides.path(name).path("atol").asDouble(rule.atol());
                    if (rule.mode() == Mode.SIGNED) {
                        if (signs == null) {
                            problems.add(name + ": cannot align signs (components missing or misshapen)");
                            continue;
                        }
                        actual = actual.clone();
                        int cols = expectedShape[1];
                        for (int i = 0; i < actual.length; i++) {
                            // components [k, d]: row r follows component r; transformed [n, k]: column r does
                            actual[i] *= name.equals("components") ? signs[i / cols] : signs[i % cols];
                        }
                    }
                    String problem = close(name, actual, expected, rtol, atol);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
            }
        }
        return problems;
    }

    private static String close(String name, double[] actual, double[] expected, double rtol, double atol) {
        for (int i = 0; i < expected.length; i++) {
            double allowed = atol + rtol * Math.abs(expected[i]);
            double diff = Math.abs(actual[i] - expected[i]);
            if (!(diff <= allowed)) { // negated so that NaN fails
                return name + "[" + i + "]: actual " + actual[i] + ", expected " + expected[i] + ", |diff| "
                        + String.format("%.3e", diff) + " > allowed " + String.format("%.3e", allowed);
            }
        }
        return null;
    }

    private static double[] pcaSigns(JsonNode testCase, JsonNode outputs) {
        JsonNode expectedNode = testCase.get("expected").get("components");
        JsonNode actualNode = outputs.get("components");
        if (expectedNode == null || actualNode == null
                || !Arrays.equals(ClusterJson.shape(expectedNode), ClusterJson.shape(actualNode))) {
            return null;
        }
        int[] shape = ClusterJson.shape(expectedNode);
        double[] e = ClusterJson.data(expectedNode), a = ClusterJson.data(actualNode);
        double[] signs = new double[shape[0]];
        for (int r = 0; r < shape[0]; r++) {
            double dot = 0;
            for (int j = 0; j < shape[1]; j++) {
                dot += a[r * shape[1] + j] * e[r * shape[1] + j];
            }
            signs[r] = dot < 0 ? -1 : 1;
        }
        return signs;
    }

    private static int[] canonical(double[] labels) {
        Map<Double, Integer> seen = new LinkedHashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = seen.computeIfAbsent(labels[i], v -> seen.size());
        }
        return out;
    }

    private static List<Path> caseFiles(Path dirOrFile) {
        if (!Files.exists(dirOrFile)) {
            throw new IllegalArgumentException("cluster conformance: no such file or directory; got " + dirOrFile
                    + ", expected a case file or a directory of them");
        }
        if (!Files.isDirectory(dirOrFile)) {
            return List.of(dirOrFile);
        }
        try (Stream<Path> files = Files.list(dirOrFile)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().equals("manifest.json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cluster conformance: cannot list " + dirOrFile, e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return ClusterJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cluster conformance: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path out, List<String> lines) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter writer = Files.newBufferedWriter(out)) {
                for (String line : lines) {
                    writer.write(line);
                    writer.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cluster conformance: cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** {@code ClusterConformance DIR_OR_FILE [--out FILE] [--kind KIND]...}: exit status 0 only if nothing failed. */
    public static void main(String[] args) {
        Path cases = null, out = null;
        Set<String> kinds = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--kind" -> {
                    kinds = kinds == null ? new java.util.HashSet<>() : kinds;
                    kinds.add(args[++i]);
                }
                default -> cases = Path.of(args[i]);
            }
        }
        if (cases == null) {
            System.err.println("usage: ClusterConformance DIR_OR_FILE [--out FILE] [--kind KIND]...");
            System.exit(2);
        }
        Counts counts = run(cases, out, KINDS, kinds, System.out);
        System.exit(counts.failed() == 0 ? 0 : 1);
    }
}
