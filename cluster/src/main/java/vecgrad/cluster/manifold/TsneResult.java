package vecgrad.cluster.manifold;

import java.util.List;

/**
 * A fitted t-SNE embedding. Deeply immutable: arrays are copied in and out. Records with array
 * components compare by reference ({@code equals} is identity on the arrays).
 *
 * @param embedding       [n][components] the embedded points
 * @param klDivergence    KL(P ‖ Q) at the last iteration (scikit-learn's {@code kl_divergence_})
 * @param history         KL at every check (every {@code checkEvery} iterations and the last one)
 * @param historyIterations the iteration (1-based) of each history entry
 * @param iterations      iterations run (scikit-learn reports the last 0-based index, {@code n_iter_} = iterations − 1)
 * @param learningRate    the learning rate used (resolved from {@code auto})
 * @param unconvergedRows rows whose perplexity bisection did not reach the tolerance (their best β was kept)
 * @param config          the configuration of the fit
 * @param training        the training data (null when fitted on precomputed distances), for {@link #transform}
 */
public record TsneResult(double[][] embedding, double klDivergence, List<Double> history,
                         List<Integer> historyIterations, int iterations, double learningRate, int unconvergedRows,
                         TsneConfig config, DenseInput training) {
    public TsneResult {
        embedding = copy(embedding);
        history = List.copyOf(history);
        historyIterations = List.copyOf(historyIterations);
    }

    @Override
    public double[][] embedding() {
        return copy(embedding);
    }

    /** Coordinate c of embedded point i, without a copy. */
    public double coordinate(int i, int c) {
        return embedding[i][c];
    }

    /** Number of embedded points. */
    public int size() {
        return embedding.length;
    }

    /**
     * Places new points {@code points: [m, d]} into this embedding with the fitted points held
     * fixed (as openTSNE does): see {@link Tsne#transform(TsneResult, double[][])}.
     */
    public double[][] transform(double[][] points) {
        return Tsne.transform(this, points);
    }

    /** Float32 overload of {@link #transform(double[][])}. */
    public double[][] transform(float[][] points) {
        return Tsne.transform(this, DenseInput.of("tsne transform", points));
    }

    /** Row-major copy of the embedding [n * components]. */
    double[] flatEmbedding() {
        int dims = embedding.length == 0 ? 0 : embedding[0].length;
        double[] flat = new double[embedding.length * dims];
        for (int i = 0; i < embedding.length; i++) {
            System.arraycopy(embedding[i], 0, flat, i * dims, dims);
        }
        return flat;
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
