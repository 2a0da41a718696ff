package vecgrad.examples;

import java.nio.file.Path;
import java.util.Set;
import vecgrad.cluster.KMeans;
import vecgrad.cluster.KMeansConfig;
import vecgrad.cluster.KMeansResult;
import vecgrad.cluster.metrics.AdjustedRand;
import vecgrad.cluster.metrics.ClusteringAccuracy;
import vecgrad.cluster.metrics.NormalizedMutualInfo;
import vecgrad.nn.data.IdxReader;

/** k-means on Fashion-MNIST (seeds 001 and 003): inertia, accuracy against the classes, NMI, time, and the centers as images. */
final class KMeansCommand implements Command {
    @Override
    public String name() {
        return "kmeans";
    }

    @Override
    public String summary() {
        return "k-means on Fashion-MNIST: inertia, accuracy, NMI, time; centers as a PNG";
    }

    @Override
    public String usage() {
        return """
                usage: ./vecgrad kmeans [--k 10] [--n 60000] [--algorithm lloyd|elkan] [--n-init 1]
                                        [--max-iter 300] [--data DIR] [--seed 42] [--out out]
                  Clusters the Fashion-MNIST training images (pixels / 255, float32) with k-means++ seeding
                  and prints the inertia, iterations, clustering accuracy (Hungarian matching of clusters to
                  classes), NMI and ARI against the labels, and the fit time. Writes OUT/kmeans_centers.png
                  (the k centers as 28x28 images). --n uses the first N images. The data come from
                  /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist) or --data DIR.""";
    }

    @Override
    public int run(String[] args) throws Exception {
        CliArgs options = new CliArgs(args, Set.of("k", "n", "algorithm", "n-init", "max-iter", "data", "seed", "out"));
        int k = options.integer("k", 10);
        Path dir = Path.of(options.string("data", IdxReader.FASHION_MNIST_DIR.toString()));
        long start = System.nanoTime();
        IdxReader.Dataset data = IdxReader.fashionMnist(dir, true);
        if (options.has("n")) {
            data = data.head(options.integer("n", 60000));
        }
        float[][] x = data.images().toFloatRows();
        System.out.printf("Fashion-MNIST train: %d images of %dx%d (loaded in %.2f s)%n", x.length,
                data.images().rows(), data.images().cols(), (System.nanoTime() - start) / 1e9);
        KMeansConfig.Algorithm algorithm = switch (options.string("algorithm", "lloyd")) {
            case "lloyd" -> KMeansConfig.Algorithm.LLOYD;
            case "elkan" -> KMeansConfig.Algorithm.ELKAN;
            default -> throw new IllegalArgumentException("--algorithm expects lloyd or elkan; got '"
                    + options.string("algorithm", "") + "'");
        };
        KMeansConfig config = KMeansConfig.of(k, options.seed()).withAlgorithm(algorithm)
                .withNInit(options.integer("n-init", 1)).withMaxIter(options.integer("max-iter", 300));
        start = System.nanoTime();
        KMeansResult fit = KMeans.fit(config, x);
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] labels = data.labels();
        System.out.printf("k-means k=%d (%s, n_init=%d): inertia %.6g after %d iterations (%s)%n", k,
                algorithm.name().toLowerCase(), config.nInit(), fit.inertia(), fit.iterations(),
                fit.converged() ? "converged" : "not converged");
        System.out.printf("  accuracy %.4f   NMI %.4f   ARI %.4f%n", ClusteringAccuracy.score(labels, fit.labels()),
                NormalizedMutualInfo.score(labels, fit.labels()), AdjustedRand.score(labels, fit.labels()));
        System.out.printf("  time %.2f s (%.1f ms per iteration)%n", seconds, 1e3 * seconds / fit.iterations());
        for (String warning : fit.warnings()) {
            System.out.println("  warning: " + warning);
        }
        Path png = options.outDir("out").resolve("kmeans_centers.png");
        Plot.write(Plot.grid(fit.centers(), data.images().rows(), data.images().cols(), Math.min(k, 10), 4), png);
        System.out.println("wrote " + png);
        return 0;
    }
}
