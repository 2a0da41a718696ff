package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vecgrad.verify.cluster.ClusterConformance;

/** Runs shared/conformance-cluster/cases through {@link ClusterConformance} for the kinds handled on this branch. */
class ClusterConformanceTest {
    static final Path CASES = SharedDir.resolve("conformance-cluster/cases");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kmeans_lloyd", "kmeans_inertia_predict", "gmm_em", "pca"})
    void everyCaseOfTheKindPasses(String kind) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ClusterConformance.Counts counts = ClusterConformance.run(CASES, dir.resolve(kind + ".jsonl"),
                ClusterConformance.KINDS, Set.of(kind), new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, counts.failed(), text);
        assertTrue(counts.passed() >= 6, "too few cases ran: " + text);
    }

    @Test
    void unknownKindFailsAndWrongOutputsAreCaught() throws IOException {
        String lloyd = Files.readAllLines(CASES.resolve("kmeans_lloyd.json")).stream()
                .filter(l -> l.contains("\"kind\": \"kmeans_lloyd\"") || l.contains("\"kind\":\"kmeans_lloyd\""))
                .findFirst().orElseThrow().trim();
        if (lloyd.endsWith(",")) {
            lloyd = lloyd.substring(0, lloyd.length() - 1);
        }
        String unknown = lloyd.replaceFirst("\"kind\": ?\"kmeans_lloyd\"", "\"kind\": \"no_such_kind\"");
        String wrongCenters = lloyd.replaceFirst("\"max_iter\": ?(\\d+)", "\"max_iter\": 1");
        Path file = dir.resolve("cases.json");
        Files.writeString(file, "{\"format\": \"cluster-conformance/1\", \"cases\": [\n" + lloyd + ",\n" + unknown
                + ",\n" + wrongCenters + "\n]}\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path out = dir.resolve("out.jsonl");
        ClusterConformance.Counts counts = ClusterConformance.run(file, out, ClusterConformance.KINDS, null,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, counts.passed(), text);
        assertEquals(2, counts.failed(), text);
        assertTrue(text.contains("unknown kind 'no_such_kind'"), text);
        assertTrue(text.contains("2 failed"), text);
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).contains("\"error\""), lines.get(1));
    }
}
