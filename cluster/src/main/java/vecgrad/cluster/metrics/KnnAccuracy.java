package vecgrad.cluster.metrics;

import vecgrad.cluster.manifold.DenseInput;
import vecgrad.cluster.manifold.KnnGraph;
import vecgrad.cluster.manifold.Neighbors;

/**
 * Leave-one-out k-nearest-neighbour accuracy of labels in an embedding {@code embedded: [n, c]}:
 * each point is classified by the majority label among its k nearest other points (Euclidean,
 * ties in distance by index; a tie in the vote goes to the smallest label, as scikit-learn's
 * {@code KNeighborsClassifier}), and the fraction of points whose label is recovered is returned.
 * It measures how well an embedding keeps classes apart.
 */
public final class KnnAccuracy {
    private KnnAccuracy() {}

    /** Fraction in [0, 1] of points whose k-NN vote equals their label; labels are in [0, max]. */
    public static double score(double[][] embedded, int[] labels, int neighbours) {
        DenseInput input = DenseInput.of("knn accuracy", embedded);
        int n = input.rows();
        if (labels.length != n) {
            throw new IllegalArgumentException("knn accuracy: label count differs; got " + labels.length
                    + " labels for " + n + " points, expected " + n);
        }
        if (neighbours < 1 || neighbours > n - 1) {
            throw new IllegalArgumentException("knn accuracy: k out of range; got k = " + neighbours + " with "
                    + n + " points, expected 1 <= k <= n - 1 = " + (n - 1));
        }
        int classes = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("knn accuracy: negative label at index " + i + "; got "
                        + labels[i] + ", expected labels >= 0");
            }
            classes = Math.max(classes, labels[i] + 1);
        }
        KnnGraph graph = Neighbors.exact(input.values(), n, input.cols(), neighbours);
        int[] votes = new int[classes];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(votes, 0);
            for (int r = 0; r < neighbours; r++) {
                votes[labels[graph.index(i, r)]]++;
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return (double) correct / n;
    }
}
