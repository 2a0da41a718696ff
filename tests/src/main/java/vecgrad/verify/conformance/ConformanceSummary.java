package vecgrad.verify.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Every case result of one conformance run, with the counts and the two outputs (console and --out file). */
public record ConformanceSummary(List<CaseResult> results) {
    public ConformanceSummary {
        results = List.copyOf(results);
    }

    public long passed() {
        return count(CaseResult.Status.PASSED);
    }

    public long failed() {
        return count(CaseResult.Status.FAILED);
    }

    public long skipped() {
        return count(CaseResult.Status.SKIPPED);
    }

    private long count(CaseResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    public List<CaseResult> failures() {
        return results.stream().filter(r -> r.status() == CaseResult.Status.FAILED).toList();
    }

    /** {@code N passed, N failed, N skipped}. */
    public String countsLine() {
        return passed() + " passed, " + failed() + " failed, " + skipped() + " skipped";
    }

    /** One line per failing case (every case when verbose), then the counts line. */
    public void print(PrintStream out, boolean verbose) {
        for (CaseResult result : results) {
            if (verbose || result.status() == CaseResult.Status.FAILED) {
                out.println(result.line());
            }
        }
        out.println(countsLine());
    }

    /** Writes {@code {"results": [...]}} (FORMAT.md §3) with every result that ran (skipped cases are absent). */
    public void writeResults(Path file) throws IOException {
        writeResults(file, null);
    }

    /**
     * Writes the results of one precision ({@code dtype} label such as {@code float32}; null = all), plus the
     * results of formats without a precision (cluster cases). The checker takes one precision per results
     * file, since a case id may be answered only once.
     */
    public void writeResults(Path file, String dtype) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("results");
        for (CaseResult result : results) {
            if (result.result() != null && (dtype == null || result.dtype() == null || dtype.equals(result.dtype()))) {
                list.add(result.result());
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        mapper.writeValue(file.toFile(), root);
    }
}
