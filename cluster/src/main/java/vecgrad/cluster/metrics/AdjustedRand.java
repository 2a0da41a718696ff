package vecgrad.cluster.metrics;

/**
 * Adjusted Rand index of two labelings: the Rand index corrected for chance, 1 for identical partitions,
 * about 0 for independent ones (can be negative).
 *
 * <p>Reference: L. Hubert and P. Arabie, Comparing partitions (1985).
 */
public final class AdjustedRand {
    private AdjustedRand() {}

    public static double score(int[] truth, int[] predicted) {
        Contingency table = Contingency.of("adjusted_rand", truth, predicted);
        double sumCells = 0, sumRows = 0, sumCols = 0;
        for (int[] row : table.counts) {
            for (int v : row) {
                sumCells += pairs(v);
            }
        }
        for (int v : table.rowSums) {
            sumRows += pairs(v);
        }
        for (int v : table.colSums) {
            sumCols += pairs(v);
        }
        double total = pairs(table.n);
        double expected = total == 0 ? 0 : sumRows * sumCols / total;
        double max = 0.5 * (sumRows + sumCols);
        if (max == expected) {
            return 1.0; // both are one cluster, or both all singletons: identical partitions (as scikit-learn)
        }
        return (sumCells - expected) / (max - expected);
    }

    private static double pairs(long count) {
        return count * (count - 1) / 2.0;
    }
}
