package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.verify.cluster.AgglomerativeKind;
import vecgrad.verify.cluster.ClusterKind;
import vecgrad.verify.cluster.TsneAffinitiesKind;
import vecgrad.verify.cluster.TsneKlGradientKind;

/**
 * Runs the {@code tsne_affinities}, {@code tsne_kl_gradient} and {@code agglomerative} cases of
 * {@code shared/conformance-cluster/cases} (and their {@code -large} files) through the handlers and
 * compares every output with {@code expected} under the rules and tolerances of FORMAT.md §5.
 */
class ManifoldConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, ClusterKind> HANDLERS = Map.of(
            "tsne_affinities", new TsneAffinitiesKind(),
            "tsne_kl_gradient", new TsneKlGradientKind(),
            "agglomerative", new AgglomerativeKind());
    private static final String[] FILES = {"tsne_affinities.json", "tsne_affinities-large.json",
            "tsne_kl_gradient.json", "tsne_kl_gradient-large.json", "agglomerative.json"};

    static Stream<Arguments> cases() throws IOException {
        Path dir = SharedDir.resolve("conformance-cluster/cases");
        List<Arguments> all = new ArrayList<>();
        for (String file : FILES) {
            JsonNode root = JSON.readTree(Files.readString(dir.resolve(file)));
            for (JsonNode testCase : root.path("cases")) {
                all.add(Arguments.of(testCase.path("id").asText(), testCase));
            }
        }
        return all.stream();
    }

    @Test
    void everyCaseFileOfTheThreeKindsIsFound() throws IOException {
        long count = cases().count();
        assertTrue(count >= 6 + 6 + 13, "expected at least 25 cases of the three kinds, found " + count);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputsMatchTheReference(String id, JsonNode testCase) {
        ObjectNode outputs = HANDLERS.get(testCase.path("kind").asText()).outputs(testCase);
        List<String> problems = Comparison.compare(testCase, outputs);
        assertTrue(problems.isEmpty(), id + ":\n  " + String.join("\n  ", problems));
    }

    /** The gradient of seed 004 eq. 31 (without the (1 + d²)⁻¹ factor) is rejected by the same comparison. */
    @Test
    void gradientWithoutTheStudentTFactorFails() throws IOException {
        JsonNode testCase = JSON.readTree(Files.readString(SharedDir.resolve("conformance-cluster/cases")
                .resolve("tsne_kl_gradient.json"))).path("cases").get(0);
        ObjectNode outputs = HANDLERS.get("tsne_kl_gradient").outputs(testCase);
        JsonNode yShape = testCase.path("inputs").path("Y").path("shape");
        int n = yShape.get(0).asInt(), dims = yShape.get(1).asInt();
        double[] p = values(testCase.path("inputs").path("P"));
        double[] y = values(testCase.path("inputs").path("Y"));
        double z = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    z += 1 / (1 + distance2(y, i, j, dims));
                }
            }
        }
        ObjectNode wrong = outputs.deepCopy();
        var data = ((ObjectNode) wrong.get("grad")).putArray("data");
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dims; c++) {
                double g = 0;
                for (int j = 0; j < n; j++) {
                    if (i != j) {
                        double q = 1 / (1 + distance2(y, i, j, dims)) / z;
                        g += 4 * (p[i * n + j] - q) * (y[i * dims + c] - y[j * dims + c]); // eq. 31: no w_ij
                    }
                }
                data.add(g);
            }
        }
        assertTrue(Comparison.compare(testCase, outputs).isEmpty(), "the right gradient passes");
        assertFalse(Comparison.compare(testCase, wrong).isEmpty(), "the gradient without w_ij must fail");
    }

    /** A perturbed linkage height and a wrong partition are caught: the comparison can fail. */
    @Test
    void comparisonRejectsWrongHeightsAndPartitions() throws IOException {
        JsonNode testCase = JSON.readTree(Files.readString(SharedDir.resolve("conformance-cluster/cases")
                .resolve("agglomerative.json"))).path("cases").get(0);
        ObjectNode outputs = HANDLERS.get("agglomerative").outputs(testCase);
        ObjectNode badHeight = outputs.deepCopy();
        var heights = (com.fasterxml.jackson.databind.node.ArrayNode) badHeight.get("heights").get("data");
        heights.set(0, heights.get(0).asDouble() * (1 + 1e-7));
        assertFalse(Comparison.compare(testCase, badHeight).isEmpty());
        ObjectNode badLabels = outputs.deepCopy();
        var labels = (com.fasterxml.jackson.databind.node.ArrayNode) badLabels.get("labels").get("data");
        labels.set(0, labels.get(0).asInt() == 1 ? 2 : 1);
        assertFalse(Comparison.compare(testCase, badLabels).isEmpty());
    }

    private static double distance2(double[] y, int i, int j, int dims) {
        double s = 0;
        for (int c = 0; c < dims; c++) {
            double d = y[i * dims + c] - y[j * dims + c];
            s += d * d;
        }
        return s;
    }

    private static double[] values(JsonNode tensor) {
        JsonNode data = tensor.path("data");
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).asDouble();
        }
        return out;
    }

    /** FORMAT.md §5 for the three kinds: close within (rtol, atol), exact integers, unordered pairs, partitions. */
    static final class Comparison {
        private record Rule(String kind, double rtol, double atol) {}

        private static final Map<String, Rule> RULES = new HashMap<>();

        static {
            RULES.put("tsne_affinities/conditional_P", new Rule("close", 1e-9, 1e-12));
            RULES.put("tsne_affinities/P", new Rule("close", 1e-9, 1e-12));
            RULES.put("tsne_affinities/beta", new Rule("close", 1e-12, 0));
            RULES.put("tsne_kl_gradient/kl", new Rule("close", 1e-9, 1e-12));
            RULES.put("tsne_kl_gradient/grad", new Rule("close", 1e-8, 1e-12));
            RULES.put("agglomerative/merges", new Rule("pairs", 0, 0));
            RULES.put("agglomerative/sizes", new Rule("exact", 0, 0));
            RULES.put("agglomerative/heights", new Rule("close", 1e-9, 1e-12));
            RULES.put("agglomerative/labels", new Rule("partition", 0, 0));
        }

        static List<String> compare(JsonNode testCase, JsonNode outputs) {
            List<String> problems = new ArrayList<>();
            String kind = testCase.path("kind").asText();
            var names = testCase.path("expected").fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                JsonNode expected = testCase.path("expected").path(name);
                JsonNode actual = outputs.path(name);
                if (actual.isMissingNode()) {
                    problems.add(name + ": missing");
                    continue;
                }
                if (!expected.path("shape").equals(actual.path("shape"))) {
                    problems.add(name + ": shape " + actual.path("shape") + ", expected " + expected.path("shape"));
                    continue;
                }
                Rule rule = RULES.get(kind + "/" + name);
                JsonNode override = testCase.path("tolerance").path(name);
                double rtol = override.path("rtol").asDouble(rule.rtol());
                double atol = override.path("atol").asDouble(rule.atol());
                JsonNode e = expected.path("data"), a = actual.path("data");
                switch (rule.kind()) {
                    case "close" -> {
                        for (int i = 0; i < e.size(); i++) {
                            double want = e.get(i).asDouble(), got = a.get(i).asDouble();
                            if (!(Math.abs(got - want) <= atol + rtol * Math.abs(want))) {
                                problems.add(name + "[" + i + "]: " + got + ", expected " + want + " (rtol " + rtol
                                        + ", atol " + atol + ")");
                                if (problems.size() > 10) {
                                    return problems;
                                }
                            }
                        }
                    }
                    case "exact" -> {
                        for (int i = 0; i < e.size(); i++) {
                            if (e.get(i).asDouble() != a.get(i).asDouble()) {
                                problems.add(name + "[" + i + "]: " + a.get(i) + ", expected " + e.get(i));
                            }
                        }
                    }
                    case "pairs" -> {
                        for (int i = 0; i + 1 < e.size(); i += 2) {
                            long e0 = e.get(i).asLong(), e1 = e.get(i + 1).asLong();
                            long a0 = a.get(i).asLong(), a1 = a.get(i + 1).asLong();
                            if (!((e0 == a0 && e1 == a1) || (e0 == a1 && e1 == a0))) {
                                problems.add(name + " row " + i / 2 + ": (" + a0 + ", " + a1 + "), expected (" + e0
                                        + ", " + e1 + ")");
                            }
                        }
                    }
                    case "partition" -> {
                        if (!firstOccurrence(e).equals(firstOccurrence(a))) {
                            problems.add(name + ": partition " + a + ", expected " + e);
                        }
                    }
                    default -> throw new IllegalStateException("unknown rule " + rule.kind());
                }
            }
            return problems;
        }

        private static List<Integer> firstOccurrence(JsonNode labels) {
            Map<Long, Integer> names = new HashMap<>();
            List<Integer> out = new ArrayList<>();
            for (JsonNode label : labels) {
                out.add(names.computeIfAbsent(label.asLong(), key -> names.size()));
            }
            return out;
        }
    }
}
