package vecgrad.cluster.metrics;

/**
 * Unsupervised clustering accuracy: the fraction of samples whose cluster maps to their class under the
 * one-to-one cluster→class mapping that maximises the number of matches (Hungarian algorithm on the
 * contingency table, O(m³) for m = max(classes, clusters)). Extra clusters or classes stay unmatched.
 *
 * <p>References: H. W. Kuhn, The Hungarian method for the assignment problem (1955); J. Xie, R. Girshick and
 * A. Farhadi, Unsupervised deep embedding for clustering analysis (2016), eq. 10.
 */
public final class ClusteringAccuracy {
    private ClusteringAccuracy() {}

    /** Accuracy in [0, 1] of predicted [n] against truth [n] under the best one-to-one matching. */
    public static double score(int[] truth, int[] predicted) {
        Contingency table = Contingency.of("clustering_accuracy", truth, predicted);
        int[] match = bestMatching(table.counts);
        long matched = 0;
        for (int r = 0; r < table.counts.length; r++) {
            if (match[r] >= 0) {
                matched += table.counts[r][match[r]];
            }
        }
        return (double) matched / table.n;
    }

    /**
     * For a [rows][cols] table of counts, the column matched to each row (or -1) maximising the total
     * count of matched cells, with each column used at most once.
     */
    static int[] bestMatching(int[][] counts) {
        int rows = counts.length, cols = counts[0].length, m = Math.max(rows, cols);
        long maxCount = 0;
        for (int[] row : counts) {
            for (int v : row) {
                maxCount = Math.max(maxCount, v);
            }
        }
        // Minimise cost = maxCount − count on a square matrix padded with zero-count cells.
        long[][] cost = new long[m + 1][m + 1];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < m; c++) {
                long count = r < rows && c < cols ? counts[r][c] : 0;
                cost[r + 1][c + 1] = maxCount - count;
            }
        }
        int[] assignment = hungarian(cost, m);
        int[] match = new int[rows];
        for (int r = 0; r < rows; r++) {
            match[r] = assignment[r] < cols ? assignment[r] : -1;
        }
        return match;
    }

    /** Minimum-cost perfect matching on the 1-based square cost matrix [m+1][m+1]; returns row → column (0-based). */
    private static int[] hungarian(long[][] cost, int m) {
        long[] u = new long[m + 1], v = new long[m + 1];
        int[] columnOwner = new int[m + 1]; // columnOwner[c] = row matched to column c (1-based), 0 if none
        int[] way = new int[m + 1];
        for (int row = 1; row <= m; row++) {
            columnOwner[0] = row;
            int freeColumn = 0;
            long[] minSlack = new long[m + 1];
            java.util.Arrays.fill(minSlack, Long.MAX_VALUE);
            boolean[] used = new boolean[m + 1];
            do {
                used[freeColumn] = true;
                int r = columnOwner[freeColumn], next = 0;
                long delta = Long.MAX_VALUE;
                for (int c = 1; c <= m; c++) {
                    if (!used[c]) {
                        long slack = cost[r][c] - u[r] - v[c];
                        if (slack < minSlack[c]) {
                            minSlack[c] = slack;
                            way[c] = freeColumn;
                        }
                        if (minSlack[c] < delta) {
                            delta = minSlack[c];
                            next = c;
                        }
                    }
                }
                for (int c = 0; c <= m; c++) {
                    if (used[c]) {
                        u[columnOwner[c]] += delta;
                        v[c] -= delta;
                    } else {
                        minSlack[c] -= delta;
                    }
                }
                freeColumn = next;
            } while (columnOwner[freeColumn] != 0);
            do { // augment along the alternating path
                int previous = way[freeColumn];
                columnOwner[freeColumn] = columnOwner[previous];
                freeColumn = previous;
            } while (freeColumn != 0);
        }
        int[] rowToColumn = new int[m];
        for (int c = 1; c <= m; c++) {
            rowToColumn[columnOwner[c] - 1] = c - 1;
        }
        return rowToColumn;
    }
}
