package vecgrad.verify;

import java.util.SplittableRandom;

/** Seeded data sets for the t-SNE, linkage and embedding-metric tests. */
final class EmbeddingData {
    private EmbeddingData() {}

    /** {@code perCluster} points around each of {@code clusters} centres in d dimensions, spread 1 around centres 10 apart. */
    static double[][] blobs(SplittableRandom rng, int clusters, int perCluster, int d) {
        double[][] centres = new double[clusters][d];
        for (int c = 0; c < clusters; c++) {
            for (int j = 0; j < d; j++) {
                centres[c][j] = rng.nextDouble(-10, 10);
            }
            centres[c][c % d] += 10 * (c + 1); // keeps the centres apart whatever the draw
        }
        double[][] x = new double[clusters * perCluster][d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = centres[i / perCluster][j] + rng.nextGaussian();
            }
        }
        return x;
    }

    /** Labels 0..clusters-1 of {@link #blobs}: point i belongs to cluster i / perCluster. */
    static int[] blobLabels(int clusters, int perCluster) {
        int[] labels = new int[clusters * perCluster];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perCluster;
        }
        return labels;
    }

    static double[][] uniform(SplittableRandom rng, int n, int d, double lo, double hi) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextDouble(lo, hi);
            }
        }
        return x;
    }

    /** A symmetric P [n, n] with zero diagonal, positive off-diagonal entries, summing to 1. */
    static double[] jointP(SplittableRandom rng, int n) {
        double[] p = new double[n * n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = rng.nextDouble(0.1, 1);
                p[i * n + j] = v;
                p[j * n + i] = v;
                total += 2 * v;
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    static double[] flat(double[][] x) {
        int d = x[0].length;
        double[] out = new double[x.length * d];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, out, i * d, d);
        }
        return out;
    }
}
