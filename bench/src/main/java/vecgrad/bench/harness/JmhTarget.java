package vecgrad.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a case lives in JMH: one benchmark method and the {@code @Param} values that pin it to one
 * measurement. Every {@code @Param} the benchmark declares but the case does not pin runs at its
 * first declared value (see {@link JmhCases}).
 *
 * @param className fully qualified benchmark class, e.g. {@code vecgrad.bench.GemmBenchmark}
 * @param method    the {@code @Benchmark} method name
 * @param params    {@code @Param} name to value, in a stable order
 */
public record JmhTarget(String className, String method, Map<String, String> params) {
    public JmhTarget {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The JMH benchmark name, {@code className.method}. */
    public String benchmarkName() {
        return className + "." + method;
    }

    /** An include regex that matches this benchmark method and nothing else. */
    public String includeRegex() {
        return "^" + Pattern.quote(benchmarkName()) + "$";
    }
}
