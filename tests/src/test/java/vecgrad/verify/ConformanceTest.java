package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vecgrad.autodiff.DType;
import vecgrad.verify.conformance.CaseResult;
import vecgrad.verify.conformance.ConformanceRunner;
import vecgrad.verify.conformance.ConformanceSummary;
import vecgrad.verify.conformance.OpHandlers;

/** Runs ../shared/conformance/cases in float64 and float32: no failure; only later-issue ops may be skipped. */
class ConformanceTest {
    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    void sharedCasesPass(DType dtype) {
        Path cases = SharedDir.resolve("conformance/cases");
        ConformanceSummary summary = ConformanceRunner.standard().run(cases, Set.of(dtype));
        String failures = summary.failures().stream().map(CaseResult::line).collect(Collectors.joining("\n"));
        assertEquals(0, summary.failed(), summary.countsLine() + "\n" + failures);
        assertTrue(summary.passed() > 100, summary.countsLine());
        for (CaseResult result : summary.results()) {
            if (result.status() == CaseResult.Status.SKIPPED) {
                String op = result.id().substring(0, result.id().indexOf('/'));
                assertTrue(OpHandlers.LATER_OPS.contains(op), "skipped a case of op " + op + ": " + result.line());
            }
        }
    }
}
