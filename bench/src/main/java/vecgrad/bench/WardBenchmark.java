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
import org.openjdk.jmh.annotations.Warmup;
import vecgrad.cluster.Agglomerative;
import vecgrad.cluster.Dendrogram;
import vecgrad.cluster.Linkage;
import vecgrad.kernels.Parallel;

/**
 * Ward linkage (full merge tree: distances, NN-chain, sort and relabel) of n = 10,000 points in 50
 * dimensions, single shot, on 1 and 2 threads. The data are 50-D Gaussian blobs (10 clusters); the
 * scikit-learn/SciPy anchor (3.3 s) is SciPy's {@code linkage(X, "ward")} on Fashion-MNIST PCA-50 —
 * {@code bench/peers/embedding_peers.py} times SciPy on the same blobs file for a like-for-like ratio.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class WardBenchmark {
    @State(Scope.Benchmark)
    public static class Problem {
        @Param({"10000"})
        public int n;

        @Param({"1", "2"})
        public int threads;

        double[][] x;

        @Setup(Level.Trial)
        public void setUp() {
            x = EmbeddingBenchData.blobs(n, 10, 50, 7);
        }

    }

    @Benchmark
    public Dendrogram ward(Problem problem) {
        try (Parallel.Scope scope = Parallel.withThreads(problem.threads)) {
            return Agglomerative.linkage(problem.x, Linkage.WARD);
        }
    }
}
