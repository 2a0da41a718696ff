package vecgrad.verify.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import vecgrad.autodiff.DType;

/**
 * Runs a directory (or one file) of conformance case files. Each file is dispatched by its {@code format}
 * field to a {@link FormatRunner}: {@code vecgrad-conformance/1} to {@link OpCaseRunner}. Other formats are
 * added with {@link #with}, e.g. the cluster runner:
 * {@code ConformanceRunner.standard().with("cluster-conformance/1", clusterRunner)}. A file whose format has
 * no runner, or that cannot be parsed, counts as one failure.
 *
 * {@snippet :
 * ConformanceSummary summary = ConformanceRunner.standard()
 *         .run(Path.of("../shared/conformance/cases"), Set.of(DType.F64, DType.F32));
 * summary.print(System.out, false);            // failing cases, then "N passed, N failed, N skipped"
 * summary.writeResults(Path.of("results.json")); // FORMAT.md §3, for check_cases.py
 * }
 */
public final class ConformanceRunner {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, FormatRunner> formats;

    private ConformanceRunner(Map<String, FormatRunner> formats) {
        this.formats = Map.copyOf(formats);
    }

    /** The runner with every format this module knows: today the op cases of {@code vecgrad-conformance/1}. */
    public static ConformanceRunner standard() {
        Map<String, FormatRunner> formats = new LinkedHashMap<>();
        formats.put(OpCaseRunner.FORMAT, new OpCaseRunner(OpHandlers.standard()));
        // Further formats register here, one line each: "cluster-conformance/1" goes to the cluster runner
        // (vecgrad.verify.cluster.ClusterConformance) as a FormatRunner.
        return new ConformanceRunner(formats);
    }

    /** A copy that also dispatches files of {@code format} to {@code runner}. */
    public ConformanceRunner with(String format, FormatRunner runner) {
        Map<String, FormatRunner> more = new LinkedHashMap<>(formats);
        more.put(format, runner);
        return new ConformanceRunner(more);
    }

    /** Runs every case file under {@code path} (a directory: its {@code *.json} files except the manifest). */
    public ConformanceSummary run(Path path, Set<DType> dtypes) {
        List<CaseResult> results = new ArrayList<>();
        for (Path file : caseFiles(path)) {
            results.addAll(runFile(file, dtypes));
        }
        return new ConformanceSummary(results);
    }

    private static List<Path> caseFiles(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("conformance: no such file or directory: " + path);
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().equals("manifest.json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("conformance: cannot list " + path, e);
        }
    }

    private List<CaseResult> runFile(Path file, Set<DType> dtypes) {
        String name = file.getFileName().toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            return List.of(fileFailure(name, "cannot parse " + file + ": " + e.getMessage()));
        }
        String format = root.path("format").asText("");
        FormatRunner runner = formats.get(format);
        if (runner == null) {
            return List.of(fileFailure(name, "no runner for format '" + format + "' (known: " + formats.keySet() + ")"));
        }
        return runner.run(file, root, dtypes);
    }

    private static CaseResult fileFailure(String file, String message) {
        return new CaseResult(file, file, null, CaseResult.Status.FAILED, message, Double.POSITIVE_INFINITY, null);
    }
}
