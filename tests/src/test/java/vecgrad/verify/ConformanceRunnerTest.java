package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.autodiff.DType;
import vecgrad.verify.conformance.CaseResult;
import vecgrad.verify.conformance.ConformanceRunner;
import vecgrad.verify.conformance.ConformanceSummary;

/** The runner itself: it can fail, skips only later-issue ops, and dispatches other formats cleanly. */
class ConformanceRunnerTest {
    @TempDir
    Path dir;

    private static String negCase(String id, String op, double expectedFirst) {
        return """
                {"id": "%s", "op": "%s", "attrs": {}, "dtype": "float64", "check_dtypes": ["float64", "float32"],
                 "category": "regular",
                 "inputs": [{"name": "x", "dtype": "float64", "requires_grad": true, "shape": [2], "data": [1.5, -2.0]}],
                 "output": {"shape": [2], "data": [%s, 2.0]},
                 "grad_output": {"shape": [2], "data": [0.25, -0.5]},
                 "grads": [{"shape": [2], "data": [-0.25, 0.5]}]}""".formatted(id, op, expectedFirst);
    }

    private void write(String name, String format, String... cases) throws IOException {
        Files.writeString(dir.resolve(name), "{\"format\": \"" + format + "\", \"cases\": [\n" + String.join(",\n", cases) + "]}");
    }

    @Test
    void passesFailsAndSkipsAsSpecified() throws IOException {
        write("neg.json", "vecgrad-conformance/1", negCase("neg/ok", "neg", -1.5), negCase("neg/wrong", "neg", -1.51));
        write("conv2d.json", "vecgrad-conformance/1", negCase("conv2d/later", "conv2d", -1.5));
        write("nonsense.json", "vecgrad-conformance/1", negCase("frobnicate/x", "frobnicate", -1.5));
        ConformanceSummary summary = ConformanceRunner.standard().run(dir, Set.of(DType.F64, DType.F32));
        assertEquals(2, summary.passed(), summary.countsLine()); // neg/ok in both precisions
        assertEquals(2 + 2, summary.failed(), summary.countsLine()); // neg/wrong and the unknown op, twice each
        assertEquals(2, summary.skipped(), summary.countsLine());
        CaseResult wrong = summary.results().stream().filter(r -> r.id().equals("neg/wrong") && r.dtype().equals("float64"))
                .findFirst().orElseThrow();
        assertTrue(wrong.message().contains("output at [0]"), wrong.message());
        assertTrue(summary.failures().stream().anyMatch(r -> r.message().contains("unknown op 'frobnicate'")));

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        summary.print(new PrintStream(text, true), false);
        String[] lines = text.toString().strip().split("\n");
        assertEquals("2 passed, 4 failed, 2 skipped", lines[lines.length - 1]);

        Path out = dir.resolve("results.json");
        summary.writeResults(out, "float64");
        var results = new ObjectMapper().readTree(out.toFile()).get("results");
        assertEquals(3, results.size()); // skipped cases are absent
    }

    @Test
    void otherFormatsAreDispatchedToTheirRunner() throws IOException {
        write("kmeans_lloyd.json", "cluster-conformance/1", "{\"id\": \"kmeans_lloyd/x\", \"kind\": \"kmeans_lloyd\"}");
        ConformanceSummary unwired = ConformanceRunner.standard().run(dir, Set.of(DType.F64));
        assertEquals(1, unwired.failed());
        assertTrue(unwired.failures().get(0).message().contains("no runner for format 'cluster-conformance/1'"));

        ConformanceSummary wired = ConformanceRunner.standard()
                .with("cluster-conformance/1", (file, root, dtypes) -> List.of(new CaseResult(file.getFileName().toString(),
                        root.get("cases").get(0).get("id").asText(), null, CaseResult.Status.PASSED, "", 0,
                        JsonNodeFactory.instance.objectNode())))
                .run(dir, Set.of(DType.F64));
        assertEquals(1, wired.passed());
    }
}
