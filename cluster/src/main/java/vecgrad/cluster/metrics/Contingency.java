package vecgrad.cluster.metrics;

import java.util.HashMap;
import java.util.Map;

/** Contingency table [classes][clusters] of two labelings of the same n samples (labels may be any ints). */
final class Contingency {
    final int[][] counts;
    final int[] rowSums;
    final int[] colSums;
    final int n;

    private Contingency(int[][] counts, int n) {
        this.counts = counts;
        this.n = n;
        this.rowSums = new int[counts.length];
        this.colSums = new int[counts.length == 0 ? 0 : counts[0].length];
        for (int r = 0; r < counts.length; r++) {
            for (int c = 0; c < colSums.length; c++) {
                rowSums[r] += counts[r][c];
                colSums[c] += counts[r][c];
            }
        }
    }

    static Contingency of(String op, int[] truth, int[] predicted) {
        if (truth == null || predicted == null || truth.length != predicted.length) {
            throw new IllegalArgumentException(op + ": labelings differ in length; got "
                    + (truth == null ? "null" : truth.length) + " and " + (predicted == null ? "null" : predicted.length)
                    + ", expected equal lengths");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException(op + ": input is empty; got 0 labels, expected at least 1");
        }
        int[] rows = dense(truth), cols = dense(predicted);
        int[][] counts = new int[max(rows) + 1][max(cols) + 1];
        for (int i = 0; i < truth.length; i++) {
            counts[rows[i]][cols[i]]++;
        }
        return new Contingency(counts, truth.length);
    }

    /** Labels renamed to 0, 1, ... in order of first appearance. */
    static int[] dense(int[] labels) {
        Map<Integer, Integer> ids = new HashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = ids.computeIfAbsent(labels[i], v -> ids.size());
        }
        return out;
    }

    private static int max(int[] values) {
        int m = 0;
        for (int v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    static double entropy(int[] sums, int n) {
        double h = 0;
        for (int s : sums) {
            if (s > 0) {
                double p = (double) s / n;
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
