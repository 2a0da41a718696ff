package vecgrad.verify.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import vecgrad.autodiff.DType;

/**
 * Runs every case of one parsed case file of a given {@code format} (e.g. {@code vecgrad-conformance/1},
 * {@code cluster-conformance/1}). {@link ConformanceRunner} dispatches files to runners by that field.
 */
@FunctionalInterface
public interface FormatRunner {
    /**
     * @param file   where the cases came from (for messages)
     * @param root   the parsed file: {@code {"format": ..., "cases": [...]}}
     * @param dtypes precisions requested on the command line; a format without precisions may ignore them
     */
    List<CaseResult> run(Path file, JsonNode root, Set<DType> dtypes);
}
