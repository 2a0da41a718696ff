package vecgrad.bench.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The command line of {@code ./vecgrad bench}, parsed and checked.
 *
 * @param suites  suites to run, in catalog order; empty means the default ones ({@link CaseCatalog#SUITES})
 * @param threads only cases with this thread count; 0 means every count ({@code --quick}: the largest only)
 * @param mode    how long to measure
 * @param only    a regex that case ids must contain (find, not full match), or null
 * @param json    where to write the JSON report (the Markdown goes beside it), or null for bench/results/
 * @param peers   whether to run the Python peers
 * @param list    print the cases and whether each is available, run nothing
 */
public record BenchOptions(List<String> suites, int threads, Mode mode, Pattern only, Path json, boolean peers,
                           boolean list) {
    /** How long each case is measured. */
    public enum Mode {
        FULL,
        QUICK,
        SMOKE
    }

    public BenchOptions {
        suites = List.copyOf(suites);
    }

    public static final String USAGE = """
            usage: ./vecgrad bench [suite...] [--threads N] [--quick] [--only REGEX] [--json FILE] [--no-peers]
                   ./vecgrad bench --smoke
                   ./vecgrad bench [suite...] --list
              Runs the JMH benchmarks and, interleaved with them, the same work in PyTorch / scikit-learn
              (bench/peers/), then writes bench/results/<date>-<host>.md and .json.
              suites: kernels, conv, train, cluster (default: all four), harness (the runner's own check)
              --threads N   only the cases for N threads (cases exist for 1 and 2)
              --quick       few short iterations, 2 threads only unless --threads is given, no full t-SNE;
                            all suites in under 5 minutes
              --only REGEX  only cases whose id contains a match, e.g. --only 'sgemm/n=2048'
              --json FILE   write the JSON report to FILE and the Markdown table beside it
              --no-peers    measure vecgrad alone
              --smoke       one tiny case per suite, no peers, minimal iterations (CI)
              --list        show the selected cases and whether their benchmark is on the classpath""";

    /** Parses the arguments after {@code bench}; throws IllegalArgumentException with the problem. */
    public static BenchOptions parse(String[] args) {
        List<String> suites = new ArrayList<>();
        int threads = 0;
        boolean quick = false, smoke = false, noPeers = false, list = false;
        Pattern only = null;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--smoke" -> smoke = true;
                case "--no-peers" -> noPeers = true;
                case "--list" -> list = true;
                case "--threads" -> {
                    String value = value(args, ++i, arg);
                    try {
                        threads = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        threads = -1;
                    }
                    if (!CaseCatalog.THREADS.contains(threads)) {
                        throw new IllegalArgumentException("bench: --threads; got " + value + ", expected one of "
                                + CaseCatalog.THREADS);
                    }
                }
                case "--only" -> {
                    String value = value(args, ++i, arg);
                    try {
                        only = Pattern.compile(value);
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException("bench: --only is not a valid regex; got " + value + " ("
                                + e.getDescription() + ")");
                    }
                }
                case "--json" -> json = Path.of(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("bench: unknown option '" + arg + "' (see --help)");
                    }
                    if (!CaseCatalog.SUITES.contains(arg) && !arg.equals(CaseCatalog.HARNESS_SUITE)) {
                        throw new IllegalArgumentException("bench: unknown suite; got " + arg + ", expected one of "
                                + CaseCatalog.SUITES + " or " + CaseCatalog.HARNESS_SUITE);
                    }
                    if (!suites.contains(arg)) {
                        suites.add(arg);
                    }
                }
            }
        }
        if (quick && smoke) {
            throw new IllegalArgumentException("bench: --quick and --smoke exclude each other; got both, expected one");
        }
        if (json != null && !json.getFileName().toString().endsWith(".json")) {
            throw new IllegalArgumentException("bench: --json; got " + json + ", expected a file name ending in .json");
        }
        Mode mode = smoke ? Mode.SMOKE : quick ? Mode.QUICK : Mode.FULL;
        return new BenchOptions(suites, threads, mode, only, json, !noPeers && !smoke, list);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("bench: " + option + " needs a value; got none");
        }
        return args[i];
    }
}
