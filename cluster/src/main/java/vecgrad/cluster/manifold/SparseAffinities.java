package vecgrad.cluster.manifold;

import java.util.Arrays;

/**
 * A sparse symmetric joint P [n, n] in compressed sparse rows: row i holds the columns
 * {@code columns[rowStart[i] .. rowStart[i+1])}, increasing, with values {@code values[...]}.
 * Built from a kNN graph's conditionals as P = (C + Cᵀ) / Σ(C + Cᵀ), so it sums to 1.
 *
 * @param n           number of points
 * @param rowStart    [n + 1] offsets into columns and values
 * @param columns     column of each stored entry
 * @param values      P_ij of each stored entry
 * @param unconverged rows whose perplexity bisection did not reach the tolerance
 */
public record SparseAffinities(int n, int[] rowStart, int[] columns, double[] values, int unconverged) {
    public SparseAffinities {
        if (rowStart.length != n + 1 || columns.length != values.length || rowStart[n] != columns.length) {
            throw new IllegalArgumentException("sparse affinities: inconsistent CSR arrays; got rowStart of "
                    + rowStart.length + ", " + columns.length + " columns and " + values.length
                    + " values, expected n + 1 = " + (n + 1) + " offsets ending at the number of entries");
        }
        rowStart = rowStart.clone();
        columns = columns.clone();
        values = values.clone();
    }

    @Override
    public int[] rowStart() {
        return rowStart.clone();
    }

    @Override
    public int[] columns() {
        return columns.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** Number of stored entries. */
    public int entries() {
        return columns.length;
    }

    /** P_ij (0 when not stored). */
    public double get(int i, int j) {
        int at = Arrays.binarySearch(columns, rowStart[i], rowStart[i + 1], j);
        return at >= 0 ? values[at] : 0;
    }

    int[] rowStartArray() {
        return rowStart;
    }

    int[] columnArray() {
        return columns;
    }

    double[] valueArray() {
        return values;
    }

    /** P = (C + Cᵀ) / max(Σ, eps) for C with k entries per row at {@code neighbours} [n, k]. */
    static SparseAffinities symmetrize(int n, int k, int[] neighbours, double[] conditional, int unconverged) {
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++) {
            count[i] += k;
            for (int r = 0; r < k; r++) {
                count[neighbours[i * k + r]]++;
            }
        }
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) {
            start[i + 1] = start[i] + count[i];
        }
        int[] fill = Arrays.copyOf(start, n);
        int[] rawColumns = new int[start[n]];
        double[] rawValues = new double[start[n]];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < k; r++) {
                int j = neighbours[i * k + r];
                double value = conditional[i * k + r];
                rawColumns[fill[i]] = j;
                rawValues[fill[i]++] = value;
                rawColumns[fill[j]] = i;
                rawValues[fill[j]++] = value;
            }
        }
        // Sort each row by column and add the entries stored twice (i in j's list and j in i's).
        int[] rowStart = new int[n + 1];
        int[] columns = new int[start[n]];
        double[] values = new double[start[n]];
        int out = 0;
        double total = 0;
        long[] order = new long[0];
        for (int i = 0; i < n; i++) {
            int from = start[i], len = start[i + 1] - from;
            if (order.length < len) {
                order = new long[len];
            }
            for (int e = 0; e < len; e++) { // (column, position) packed in one long: a primitive sort, stable by position
                order[e] = ((long) rawColumns[from + e] << 32) | (from + e);
            }
            Arrays.sort(order, 0, len);
            rowStart[i] = out;
            for (int e = 0; e < len; e++) {
                int at = (int) order[e];
                if (out > rowStart[i] && columns[out - 1] == rawColumns[at]) {
                    values[out - 1] += rawValues[at];
                } else {
                    columns[out] = rawColumns[at];
                    values[out++] = rawValues[at];
                }
            }
            for (int e = rowStart[i]; e < out; e++) {
                total += values[e];
            }
        }
        rowStart[n] = out;
        double sum = Math.max(total, TsneAffinities.MACHINE_EPSILON);
        for (int e = 0; e < out; e++) {
            values[e] /= sum;
        }
        return new SparseAffinities(n, rowStart, Arrays.copyOf(columns, out), Arrays.copyOf(values, out), unconverged);
    }
}
