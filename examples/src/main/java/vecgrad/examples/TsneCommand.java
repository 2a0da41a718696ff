package vecgrad.examples;

import java.nio.file.Path;
import vecgrad.cluster.manifold.Tsne;
import vecgrad.cluster.manifold.TsneConfig;
import vecgrad.cluster.manifold.TsneResult;
import vecgrad.cluster.metrics.KnnAccuracy;
import vecgrad.cluster.metrics.Trustworthiness;
import vecgrad.kernels.Parallel;

/** t-SNE of seeded blobs or a Fashion-MNIST subset: KL, trustworthiness, k-NN accuracy, time, and a scatter PNG. */
final class TsneCommand implements Command {
    @Override
    public String name() {
        return "tsne";
    }

    @Override
    public String summary() {
        return "t-SNE embedding (exact or Barnes-Hut) with KL, trustworthiness, k-NN accuracy and a scatter PNG";
    }

    @Override
    public String usage() {
        return """
                usage: ./vecgrad tsne [--n N] [--clusters C] [--dim D] [--fashion N] [--perplexity P] [--iter I]
                                      [--method bh|exact] [--init pca|random] [--theta T] [--seed S]
                                      [--neighbors K] [--first] [--out FILE.png] [--quiet]
                  Embeds N points (default 2000) of C seeded Gaussian blobs (default 10) in D dimensions
                  (default 50), or with --fashion N a seeded subset of N Fashion-MNIST training images
                  (/usr/share/datasets/fashion-mnist, pixels / 255; with --first the first N images, the
                  rows bench/peers/embedding_peers.py gives scikit-learn), into 2-D. Defaults are scikit-learn's:
                  perplexity 30, 1000 iterations, Barnes-Hut with theta 0.5, PCA init, learning rate auto.
                  Prints the KL divergence every 50 iterations and at the end, the trustworthiness and the
                  leave-one-out K-NN accuracy of the labels (K = 5 by default), the time, and writes a
                  scatter plot coloured by label (default tsne.png).""";
    }

    @Override
    public int run(String[] args) throws Exception {
        int n = 2000, clusters = 10, dim = 50, fashion = 0, iterations = 1000, neighbours = 5;
        double perplexity = 30, theta = 0.5;
        long seed = 0;
        boolean quiet = false, first = false;
        TsneConfig.Method method = TsneConfig.Method.BARNES_HUT;
        TsneConfig.Init init = TsneConfig.Init.PCA;
        Path out = Path.of("tsne.png");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--quiet") || option.equals("--first")) {
                quiet |= option.equals("--quiet");
                first |= option.equals("--first");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value (see --help)");
            }
            String value = args[++i];
            switch (option) {
                case "--n" -> n = Integer.parseInt(value);
                case "--clusters" -> clusters = Integer.parseInt(value);
                case "--dim" -> dim = Integer.parseInt(value);
                case "--fashion" -> fashion = Integer.parseInt(value);
                case "--perplexity" -> perplexity = Double.parseDouble(value);
                case "--iter" -> iterations = Integer.parseInt(value);
                case "--theta" -> theta = Double.parseDouble(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--neighbors" -> neighbours = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                case "--method" -> method = switch (value) {
                    case "bh", "barnes_hut", "barnes-hut" -> TsneConfig.Method.BARNES_HUT;
                    case "exact" -> TsneConfig.Method.EXACT;
                    default -> throw new IllegalArgumentException("--method: expected bh or exact; got " + value);
                };
                case "--init" -> init = switch (value) {
                    case "pca" -> TsneConfig.Init.PCA;
                    case "random" -> TsneConfig.Init.RANDOM;
                    default -> throw new IllegalArgumentException("--init: expected pca or random; got " + value);
                };
                default -> throw new IllegalArgumentException("unknown option '" + option + "' (see --help)");
            }
        }
        EmbeddingInputs.Labelled data;
        String source;
        if (fashion > 0) {
            data = EmbeddingInputs.fashion(fashion, seed, first);
            source = (first ? "the first " : "") + fashion + " Fashion-MNIST images";
        } else {
            data = EmbeddingInputs.blobs(n, clusters, dim, seed);
            source = n + " points, " + clusters + " blobs in " + dim + "-D";
        }
        TsneConfig config = TsneConfig.of(seed).withPerplexity(perplexity).withMaxIter(iterations).withMethod(method)
                .withInit(init).withTheta(theta);
        System.out.printf("t-SNE of %s: perplexity %s, %s, init %s, %d iterations, %d threads%n", source, perplexity,
                method, init, iterations, Parallel.threads());
        boolean print = !quiet;
        long start = System.nanoTime();
        TsneResult fit = Tsne.fit(config, data.x(), (iteration, kl) -> {
            if (print) {
                System.out.printf("  iteration %4d  KL %.4f  (%.1f s)%n", iteration, kl, (System.nanoTime() - start) / 1e9);
            }
            return true;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        double[][] y = fit.embedding();
        long metricStart = System.nanoTime();
        double trust = Trustworthiness.score(data.x(), y, neighbours);
        double accuracy = KnnAccuracy.score(y, data.labels(), neighbours);
        double metricSeconds = (System.nanoTime() - metricStart) / 1e9;
        System.out.printf("KL divergence          %.4f  (after %d iterations, learning rate %.1f)%n", fit.klDivergence(),
                fit.iterations(), fit.learningRate());
        System.out.printf("trustworthiness (k=%d)  %.4f%n", neighbours, trust);
        System.out.printf("%d-NN accuracy           %.4f%n", neighbours, accuracy);
        System.out.printf("time                   %.2f s fit, %.2f s metrics%n", seconds, metricSeconds);
        if (fit.unconvergedRows() > 0) {
            System.out.println("warning: the perplexity bisection did not converge for " + fit.unconvergedRows()
                    + " rows (duplicates?); their best beta was kept");
        }
        ScatterPlot.write(out, y, data.labels(), String.format("t-SNE, %s (KL %.3f)", source, fit.klDivergence()),
                fashion > 0 ? EmbeddingInputs.FASHION_CLASSES : null);
        System.out.println("wrote " + out);
        return 0;
    }
}
