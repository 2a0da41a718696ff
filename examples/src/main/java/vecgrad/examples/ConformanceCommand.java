package vecgrad.examples;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import vecgrad.autodiff.DType;
import vecgrad.verify.conformance.ConformanceRunner;
import vecgrad.verify.conformance.ConformanceSummary;

/** Runs conformance case files against vecgrad and reports failures; exit status 0 only when nothing failed. */
final class ConformanceCommand implements Command {
    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public String summary() {
        return "run conformance case files (e.g. ../shared/conformance/cases) against vecgrad";
    }

    @Override
    public String usage() {
        return """
                usage: ./vecgrad conformance DIR|FILE [--dtype float64|float32|all] [--out FILE] [-v]
                  Runs every case file in DIR (format vecgrad-conformance/1, see FORMAT.md) in the given
                  precision(s) (default: all precisions a case lists), compares output and gradients with
                  the reference tolerances, prints one line per failing case with its worst error, and ends
                  with "N passed, N failed, N skipped". Cases of ops from a later issue (conv2d, pooling,
                  upsampling) are skipped, never passed; an unknown op is a failure.
                  --out FILE   also write the results (FORMAT.md section 3) for check_cases.py; with
                               several precisions, one file each: FILE.float64.json, FILE.float32.json
                  -v           print every case, not only failures
                  Exit status: 0 when nothing failed, 1 otherwise.""";
    }

    @Override
    public int run(String[] args) throws Exception {
        Path cases = null;
        Path out = null;
        Set<DType> dtypes = EnumSet.allOf(DType.class);
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dtype" -> dtypes = parseDtypes(value(args, ++i, "--dtype"));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "-v", "--verbose" -> verbose = true;
                default -> {
                    if (args[i].startsWith("-") || cases != null) {
                        throw new IllegalArgumentException("unexpected argument '" + args[i] + "' (see --help)");
                    }
                    cases = Path.of(args[i]);
                }
            }
        }
        if (cases == null) {
            throw new IllegalArgumentException("missing the case directory (see --help)");
        }
        ConformanceSummary summary = ConformanceRunner.standard().run(cases, dtypes);
        summary.print(System.out, verbose);
        if (out != null && dtypes.size() == 1) {
            summary.writeResults(out, dtypes.iterator().next().label());
        } else if (out != null) {
            for (DType dtype : dtypes) { // check_cases.py takes one precision per results file
                Path file = perDtype(out, dtype);
                summary.writeResults(file, dtype.label());
                System.out.println("results (" + dtype.label() + "): " + file);
            }
        }
        return summary.failed() == 0 ? 0 : 1;
    }

    /** {@code results.json} -> {@code results.float32.json}. */
    static Path perDtype(Path out, DType dtype) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String file = dot > 0 ? name.substring(0, dot) + "." + dtype.label() + name.substring(dot)
                : name + "." + dtype.label();
        return out.resolveSibling(file);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value (see --help)");
        }
        return args[i];
    }

    private static Set<DType> parseDtypes(String text) {
        return switch (text) {
            case "all" -> EnumSet.allOf(DType.class);
            case "float64" -> EnumSet.of(DType.F64);
            case "float32" -> EnumSet.of(DType.F32);
            default -> throw new IllegalArgumentException("--dtype: got '" + text + "', expected float64, float32 or all");
        };
    }
}
