package vecgrad.examples;

import java.nio.file.Path;
import vecgrad.bench.harness.BenchOptions;
import vecgrad.bench.harness.BenchRun;

/** {@code ./vecgrad bench}: vecgrad's JMH benchmarks side by side with PyTorch and scikit-learn. */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmarks side by side with PyTorch / scikit-learn; writes bench/results/";
    }

    @Override
    public String usage() {
        return BenchOptions.USAGE;
    }

    @Override
    public int run(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        // The launcher passes the project root; from elsewhere, the working directory is taken as it.
        Path home = Path.of(System.getProperty("vecgrad.home", "")).toAbsolutePath();
        return new BenchRun(options, home, System.out, System.err).run();
    }
}
