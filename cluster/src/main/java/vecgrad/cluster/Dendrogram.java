package vecgrad.cluster;

import java.util.Arrays;

/**
 * The merge tree of agglomerative clustering on n points, in SciPy's linkage-matrix convention:
 * the original points are clusters 0 … n−1, merge s (0-based) joins clusters {@code left(s)} &lt;
 * {@code right(s)} at {@code height(s)} into cluster n + s of {@code size(s)} points, and merges
 * are in non-decreasing height order. Deeply immutable: arrays are copied in and out. Records with
 * array components compare by reference.
 *
 * @param n       number of points
 * @param left    [n − 1] smaller cluster id of each merge
 * @param right   [n − 1] larger cluster id of each merge
 * @param heights [n − 1] merge distances (the linkage distance between the two clusters)
 * @param sizes   [n − 1] points in each new cluster
 */
public record Dendrogram(int n, int[] left, int[] right, double[] heights, int[] sizes) {
    public Dendrogram {
        int merges = Math.max(0, n - 1);
        if (n < 1 || left.length != merges || right.length != merges || heights.length != merges
                || sizes.length != merges) {
            throw new IllegalArgumentException("dendrogram: merge arrays do not match n; got n = " + n + " with "
                    + left.length + "/" + right.length + "/" + heights.length + "/" + sizes.length
                    + " entries, expected n - 1 = " + merges + " each");
        }
        left = left.clone();
        right = right.clone();
        heights = heights.clone();
        sizes = sizes.clone();
    }

    @Override
    public int[] left() {
        return left.clone();
    }

    @Override
    public int[] right() {
        return right.clone();
    }

    @Override
    public double[] heights() {
        return heights.clone();
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /** Number of merges, n − 1. */
    public int merges() {
        return left.length;
    }

    public int left(int s) {
        return left[s];
    }

    public int right(int s) {
        return right[s];
    }

    public double height(int s) {
        return heights[s];
    }

    public int size(int s) {
        return sizes[s];
    }

    /** SciPy's Z: [n − 1][4] rows (left, right, height, size). */
    public double[][] linkageMatrix() {
        double[][] z = new double[merges()][];
        for (int s = 0; s < z.length; s++) {
            z[s] = new double[] {left[s], right[s], heights[s], sizes[s]};
        }
        return z;
    }

    /**
     * Flat clusters: labels [n] in 0 … K'−1, numbered by first occurrence in point order.
     * Applies the first n − K merges, as SciPy's {@code fcluster(Z, K, "maxclust")}, and, like it,
     * never separates merges of equal height: with ties at the cut it applies every merge up to
     * that height and returns fewer than K clusters (all-identical points give one cluster).
     * K ≥ n gives every point its own cluster. (SciPy's bisection never tries the lowest height, so
     * for K = n − 1 it returns n − 2 clusters; this cut returns n − 1.)
     */
    public int[] cut(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("dendrogram cut: k must be >= 1; got " + k);
        }
        int applied = Math.max(0, n - k);
        if (applied > 0) {
            double threshold = heights[applied - 1];
            while (applied < merges() && heights[applied] <= threshold) {
                applied++;
            }
        }
        int[] parent = new int[n + merges()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (int s = 0; s < applied; s++) {
            parent[left[s]] = n + s;
            parent[right[s]] = n + s;
        }
        int[] labels = new int[n];
        int[] labelOfRoot = new int[n + merges()];
        Arrays.fill(labelOfRoot, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int root = i;
            while (parent[root] != root) { // path halving keeps long single-linkage chains cheap
                parent[root] = parent[parent[root]];
                root = parent[root];
            }
            if (labelOfRoot[root] < 0) {
                labelOfRoot[root] = next++;
            }
            labels[i] = labelOfRoot[root];
        }
        return labels;
    }

    /**
     * Leaves in dendrogram drawing order: for each merge, the leaves of {@code left} then those of
     * {@code right}, starting from the root (SciPy's {@code leaves_list}).
     */
    public int[] leafOrder() {
        int[] order = new int[n];
        int at = 0;
        int[] stack = new int[n + merges()];
        int top = 0;
        stack[top++] = n + merges() - 1;
        while (top > 0) {
            int node = stack[--top];
            if (node < n) {
                order[at++] = node;
            } else {
                stack[top++] = right[node - n]; // pushed first so that left is visited first
                stack[top++] = left[node - n];
            }
        }
        return order;
    }
}
