package vecgrad.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The cases a run measures, chosen from the catalog by suite, thread count, id regex and mode, and
 * the ones it leaves out on purpose (with the reason, for the report).
 *
 * @param cases   cases to run, in catalog order
 * @param omitted cases that matched the filters but that this mode does not run
 */
public record CaseSelection(List<BenchCase> cases, List<Omitted> omitted) {
    /** A case left out, and why. */
    public record Omitted(String id, String reason) {}

    public CaseSelection {
        cases = List.copyOf(cases);
        omitted = List.copyOf(omitted);
    }

    /** Applies the options to the catalog. */
    public static CaseSelection of(BenchOptions options) {
        return of(options, options.mode() == BenchOptions.Mode.SMOKE ? CaseCatalog.smoke() : CaseCatalog.all());
    }

    /** Applies the options to the given cases (the catalog, or a test's own list). */
    public static CaseSelection of(BenchOptions options, List<BenchCase> candidates) {
        List<String> suites = options.suites();
        if (suites.isEmpty()) {
            suites = new ArrayList<>(CaseCatalog.SUITES);
            if (options.mode() == BenchOptions.Mode.SMOKE) {
                suites.add(0, CaseCatalog.HARNESS_SUITE);
            }
        }
        int threads = options.threads();
        if (threads == 0 && options.mode() == BenchOptions.Mode.QUICK) {
            threads = Collections.max(CaseCatalog.THREADS);
        }
        List<BenchCase> chosen = new ArrayList<>();
        List<Omitted> omitted = new ArrayList<>();
        for (BenchCase c : candidates) {
            if (!suites.contains(c.suite()) || (threads != 0 && c.threads() != threads)) {
                continue;
            }
            if (options.only() != null && !options.only().matcher(c.id()).find()) {
                continue;
            }
            if (options.mode() == BenchOptions.Mode.QUICK && c.cost() == Cost.VERY_LONG && options.only() == null) {
                omitted.add(new Omitted(c.id(), "left out of --quick (tens of seconds per run); select it with --only"));
                continue;
            }
            chosen.add(c);
        }
        return new CaseSelection(chosen, omitted);
    }
}
