package vecgrad.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vecgrad.cluster.manifold.Neighbors;
import vecgrad.cluster.manifold.SparseAffinities;
import vecgrad.cluster.manifold.Tsne;
import vecgrad.cluster.manifold.TsneAffinities;
import vecgrad.cluster.manifold.TsneConfig;
import vecgrad.cluster.manifold.TsneGradient;
import vecgrad.cluster.manifold.TsneResult;
import vecgrad.cluster.metrics.Trustworthiness;
import vecgrad.kernels.Parallel;

/**
 * t-SNE costs, on 1 and 2 threads:
 * <ul>
 *   <li>{@code exactGradient}: one exact O(n²) KL gradient (with KL) on n = 1000 (dense P of 50-D blobs);</li>
 *   <li>{@code barnesHutGradient}: one Barnes–Hut gradient (θ = 0.5, with KL) on n = 10,000, sparse P
 *       over 90 neighbours (perplexity 30), a final-stage-like embedding;</li>
 *   <li>{@code fullBarnesHut}: a whole fit (kNN, P, PCA init, 1000 iterations) on the first 10,000
 *       Fashion-MNIST training images (/255; 50-D blobs when the data set is absent), single shot. The
 *       KL divergence and trustworthiness (k = 5) are printed to stderr for the comparison with
 *       scikit-learn's 40 s, KL 1.457, trustworthiness 0.9953 (bench/peers/embedding_peers.py).</li>
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
public class TsneBenchmark {

    @State(Scope.Benchmark)
    public static class ExactProblem {
        @Param({"1", "2"})
        public int threads;

        double[] p;
        double[] y;
        double[] grad;
        int n = 1000;

        @Setup(Level.Trial)
        public void setUp() {
            double[][] x = EmbeddingBenchData.blobs(n, 10, 50, 1);
            p = TsneAffinities.dense(x, 30).joint();
            y = EmbeddingBenchData.embedding(n, 2);
            grad = new double[2 * n];
        }

    }

    @State(Scope.Benchmark)
    public static class BarnesHutProblem {
        @Param({"1", "2"})
        public int threads;

        SparseAffinities p;
        double[] y;
        double[] grad;
        int n = 10_000;

        @Setup(Level.Trial)
        public void setUp() {
            double[][] x = EmbeddingBenchData.blobs(n, 10, 50, 3);
            p = TsneAffinities.sparse(Neighbors.exact(EmbeddingBenchData.flat(x), n, 50, 90), 30);
            y = EmbeddingBenchData.embedding(n, 4);
            grad = new double[2 * n];
        }

    }

    @State(Scope.Benchmark)
    public static class FullProblem {
        @Param({"1", "2"})
        public int threads;

        double[][] x;
        TsneResult last;

        @Setup(Level.Trial)
        public void setUp() {
            x = EmbeddingBenchData.fashionFirst(10_000);
            if (x == null) {
                x = EmbeddingBenchData.blobs(10_000, 10, 50, 5);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (last != null) {
                System.err.printf("%nfull Barnes-Hut t-SNE, n = %d: KL %.4f after %d iterations, trustworthiness(5) %.4f%n",
                        x.length, last.klDivergence(), last.iterations(), Trustworthiness.score(x, last.embedding(), 5));
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public double exactGradient(ExactProblem problem) {
        try (Parallel.Scope scope = Parallel.withThreads(problem.threads)) {
            return TsneGradient.exact(problem.p, problem.y, problem.n, 2, 1, problem.grad, true);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public double barnesHutGradient(BarnesHutProblem problem) {
        try (Parallel.Scope scope = Parallel.withThreads(problem.threads)) {
            return TsneGradient.barnesHut(problem.p, problem.y, 0.5, 1, problem.grad, true);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public TsneResult fullBarnesHut(FullProblem problem) {
        try (Parallel.Scope scope = Parallel.withThreads(problem.threads)) {
            problem.last = Tsne.fit(TsneConfig.of(0), problem.x);
            return problem.last;
        }
    }
}
