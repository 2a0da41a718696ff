package vecgrad.cluster.metrics;

/**
 * Normalized mutual information of two labelings, MI(U, V) / mean(H(U), H(V)) (arithmetic mean, scikit-learn's
 * default), in [0, 1]; 1 for identical partitions whatever the label names.
 *
 * <p>Reference: N. X. Vinh, J. Epps and J. Bailey, Information theoretic measures for clusterings comparison
 * (2010).
 */
public final class NormalizedMutualInfo {
    private NormalizedMutualInfo() {}

    public static double score(int[] truth, int[] predicted) {
        Contingency table = Contingency.of("normalized_mutual_info", truth, predicted);
        int rows = table.rowSums.length, cols = table.colSums.length;
        if (rows == cols && rows == 1) {
            return 1.0; // both labelings put everything in one cluster: identical partitions (as scikit-learn)
        }
        double n = table.n, mi = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int count = table.counts[r][c];
                if (count > 0) {
                    mi += count / n * Math.log(count * n / ((double) table.rowSums[r] * table.colSums[c]));
                }
            }
        }
        double normalizer = 0.5 * (Contingency.entropy(table.rowSums, table.n)
                + Contingency.entropy(table.colSums, table.n));
        if (normalizer <= 0) {
            return 0.0;
        }
        return Math.min(1.0, Math.max(0.0, mi / normalizer));
    }
}
