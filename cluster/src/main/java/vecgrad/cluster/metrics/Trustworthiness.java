package vecgrad.cluster.metrics;

import vecgrad.cluster.manifold.DenseInput;
import vecgrad.cluster.manifold.KnnGraph;
import vecgrad.cluster.manifold.Neighbors;
import vecgrad.kernels.Parallel;

/**
 * Trustworthiness of an embedding {@code embedded: [n, c]} of {@code x: [n, d]} (scikit-learn's
 * {@code sklearn.manifold.trustworthiness}, Euclidean):
 * <pre>
 *   T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^embedded(i)} max(0, r(i, j) − k)
 * </pre>
 * where r(i, j) is the rank of j among i's neighbours in the input space (1 = nearest, ties by
 * index). 1 means every embedded neighbourhood holds only true neighbours; points that intrude
 * from far away lower it. Needs k &lt; n / 2.
 *
 * <p>Reference: Venna and Kaski, Neighborhood preservation in nonlinear projection methods (2001).
 */
public final class Trustworthiness {
    private static final int CHUNK_ROWS = 64;

    private Trustworthiness() {}

    /** T(k) of {@code embedded: [n, c]} for {@code x: [n, d]}. */
    public static double score(double[][] x, double[][] embedded, int neighbours) {
        return score(DenseInput.of("trustworthiness", x), DenseInput.of("trustworthiness", embedded), neighbours);
    }

    /** Float32 overload: T(k) of {@code embedded} for {@code x}. */
    public static double score(float[][] x, double[][] embedded, int neighbours) {
        return score(DenseInput.of("trustworthiness", x), DenseInput.of("trustworthiness", embedded), neighbours);
    }

    public static double score(DenseInput x, DenseInput embedded, int neighbours) {
        int n = x.rows(), d = x.cols();
        if (embedded.rows() != n) {
            throw new IllegalArgumentException("trustworthiness: sample counts differ; got x with " + n
                    + " rows and the embedding with " + embedded.rows() + ", expected the same");
        }
        if (neighbours < 1 || !(neighbours < n / 2.0)) {
            throw new IllegalArgumentException("trustworthiness: n_neighbors must be >= 1 and < n_samples / 2; got "
                    + neighbours + " with n_samples " + n + ", expected 1 <= k < " + (n / 2.0));
        }
        KnnGraph near = Neighbors.exact(embedded.values(), n, embedded.cols(), neighbours);
        double[] data = x.values();
        long[] penalty = new long[n];
        double[] norms = Neighbors.squaredNorms(data, n, d);
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int r0 = chunk * CHUNK_ROWS, r1 = Math.min(n, r0 + CHUNK_ROWS);
            double[] block = new double[(r1 - r0) * n];
            Neighbors.rowBlock(data, norms, n, d, r0, r1, block);
            for (int i = r0; i < r1; i++) {
                int base = (i - r0) * n;
                long sum = 0;
                for (int r = 0; r < neighbours; r++) {
                    int j = near.index(i, r);
                    double dij = block[base + j];
                    int rank = 1; // 1 + the points before j in i's input-space order (ties by index)
                    for (int l = 0; l < n; l++) {
                        if (l != i && l != j && (block[base + l] < dij || (block[base + l] == dij && l < j))) {
                            rank++;
                        }
                    }
                    sum += Math.max(0, rank - neighbours);
                }
                penalty[i] = sum;
            }
        });
        long total = 0;
        for (long p : penalty) {
            total += p;
        }
        double k = neighbours;
        return 1.0 - total * (2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)));
    }
}
