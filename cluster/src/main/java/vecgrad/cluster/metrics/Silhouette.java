package vecgrad.cluster.metrics;

/**
 * Silhouette coefficients of a clustering of x [n][d] with Euclidean distances: for each sample,
 * s = (b − a) / max(a, b), where a is the mean distance to the other members of its cluster and b the
 * smallest mean distance to another cluster; 0 for a sample alone in its cluster. O(n²·d).
 *
 * <p>Reference: P. J. Rousseeuw, Silhouettes: a graphical aid to the interpretation and validation of
 * cluster analysis (1987).
 */
public final class Silhouette {
    private Silhouette() {}

    /** Mean silhouette coefficient over all samples. */
    public static double score(double[][] x, int[] labels) {
        double[] s = samples(x, labels);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return sum / s.length;
    }

    /** [n] silhouette coefficient of each sample; needs 2 <= clusters <= n − 1 (as scikit-learn). */
    public static double[] samples(double[][] x, int[] labels) {
        String op = "silhouette";
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException(op + ": input is empty; got 0 rows, expected at least 2");
        }
        if (labels == null || labels.length != x.length) {
            throw new IllegalArgumentException(op + ": labels do not match the samples; got "
                    + (labels == null ? "null" : labels.length) + " labels, expected " + x.length);
        }
        int d = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException(op + ": input rows differ in length; got row " + i + " of length "
                        + x[i].length + ", expected " + d);
            }
            for (int c = 0; c < d; c++) {
                if (!Double.isFinite(x[i][c])) {
                    throw new IllegalArgumentException(op + ": input contains " + x[i][c] + " at row " + i
                            + ", column " + c + "; got " + x[i][c] + ", expected finite values");
                }
            }
        }
        int[] dense = Contingency.dense(labels);
        int clusters = 0;
        for (int v : dense) {
            clusters = Math.max(clusters, v + 1);
        }
        if (clusters < 2 || clusters > x.length - 1) {
            throw new IllegalArgumentException(op + ": number of labels is invalid; got " + clusters
                    + ", expected 2 <= n_labels <= n_samples - 1 (" + (x.length - 1) + ")");
        }
        int[] sizes = new int[clusters];
        for (int v : dense) {
            sizes[v]++;
        }
        int n = x.length;
        double[] out = new double[n];
        vecgrad.kernels.Parallel.forEach(vecgrad.kernels.Parallel.chunks(n, 64), chunk -> {
            double[] sums = new double[sizes.length];
            for (int i = chunk * 64, end = Math.min(n, i + 64); i < end; i++) {
                java.util.Arrays.fill(sums, 0);
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        double sq = 0;
                        for (int c = 0; c < d; c++) {
                            double t = x[i][c] - x[j][c];
                            sq += t * t;
                        }
                        sums[dense[j]] += Math.sqrt(sq);
                    }
                }
                int own = dense[i];
                if (sizes[own] == 1) {
                    out[i] = 0;
                    continue;
                }
                double a = sums[own] / (sizes[own] - 1);
                double b = Double.POSITIVE_INFINITY;
                for (int c = 0; c < sizes.length; c++) {
                    if (c != own) {
                        b = Math.min(b, sums[c] / sizes[c]);
                    }
                }
                double max = Math.max(a, b);
                out[i] = max == 0 ? 0 : (b - a) / max;
            }
        });
        return out;
    }
}
