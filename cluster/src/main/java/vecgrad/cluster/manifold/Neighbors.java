package vecgrad.cluster.manifold;

import vecgrad.kernels.GemmKernels;
import vecgrad.kernels.Parallel;

/**
 * Exact squared Euclidean distances and k-nearest-neighbour graphs for row-major data
 * {@code x: [n, d]}, through the GEMM kernel: a block of rows at a time, ‖a‖² + ‖b‖² − 2·a·b.
 *
 * <p>The expanded form cancels when two points are close relative to their norms, so such pairs
 * (squared distance below {@link #REFINE_RATIO} of ‖a‖² + ‖b‖²) are recomputed directly as
 * Σ(a − b)². For data on a dyadic grid (multiples of 1/16, |x| &lt; 16) both forms are exact.
 * Blocks are fixed by n, so results are bit-identical for any thread count.
 */
public final class Neighbors {
    /** Rows per GEMM block: a [64, n] block of dot products stays small next to the data. */
    static final int BLOCK_ROWS = 64;
    /** Below this fraction of ‖a‖² + ‖b‖², the expanded form has lost more than ~1e-13 relative: recompute. */
    static final double REFINE_RATIO = 1.0 / 64;

    private Neighbors() {}

    /** Row norms ‖x_i‖² [n] of {@code x: [n, d]}. */
    public static double[] squaredNorms(double[] x, int n, int d) {
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < d; c++) {
                double v = x[i * d + c];
                sum += v * v;
            }
            norms[i] = sum;
        }
        return norms;
    }

    /**
     * Squared distances from rows {@code [r0, r1)} of {@code a: [*, d]} to rows {@code [c0, c1)} of
     * {@code b: [*, d]}, written to {@code out: [r1 − r0, c1 − c0]}; never negative.
     */
    static void squaredDistanceBlock(double[] a, double[] aNorms, int r0, int r1, double[] b, double[] bNorms, int c0,
                                     int c1, int d, double[] out) {
        int rows = r1 - r0, cols = c1 - c0;
        if (rows == 0 || cols == 0) {
            return;
        }
        GemmKernels.gemm(a, r0 * d, d, false, b, c0 * d, d, true, out, 0, cols, rows, cols, d, -2.0, 0.0);
        for (int r = 0; r < rows; r++) {
            int i = r0 + r;
            double ni = aNorms[i];
            for (int col = 0; col < cols; col++) {
                int j = c0 + col;
                double scale = ni + bNorms[j];
                double value = out[r * cols + col] + scale;
                if (value < REFINE_RATIO * scale) {
                    value = direct(a, i * d, b, j * d, d);
                }
                out[r * cols + col] = value;
            }
        }
    }

    /**
     * Euclidean distances of {@code x: [n, d]} in SciPy's condensed order: the pair i &lt; j is at
     * {@code n·i − i(i+1)/2 + j − i − 1}; n(n − 1)/2 values.
     */
    public static double[] condensedDistances(double[] x, int n, int d) {
        long size = (long) n * (n - 1) / 2;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("pairwise distances: too many points for one condensed array; got n = " + n
                    + ", expected n(n - 1)/2 < 2^31 (n <= 65536)");
        }
        double[] norms = squaredNorms(x, n, d);
        double[] condensed = new double[(int) size];
        Parallel.forEach(Parallel.chunks(n, BLOCK_ROWS), chunk -> {
            int r0 = chunk * BLOCK_ROWS, r1 = Math.min(n, r0 + BLOCK_ROWS);
            int c0 = r0 + 1;
            if (c0 >= n) {
                return;
            }
            int cols = n - c0;
            double[] block = new double[(r1 - r0) * cols];
            squaredDistanceBlock(x, norms, r0, r1, x, norms, c0, n, d, block);
            for (int i = r0; i < r1; i++) {
                long base = (long) n * i - (long) i * (i + 1) / 2 - i - 1;
                for (int j = i + 1; j < n; j++) {
                    condensed[(int) (base + j)] = Math.sqrt(block[(i - r0) * cols + (j - c0)]);
                }
            }
        });
        return condensed;
    }

    /**
     * Squared distances from rows {@code [r0, r1)} of {@code x: [n, d]} to all n rows, written to
     * {@code out: [r1 − r0, n]}; {@code norms} are {@link #squaredNorms} of x. For callers that
     * scan whole rows block by block (ranks, trustworthiness).
     */
    public static void rowBlock(double[] x, double[] norms, int n, int d, int r0, int r1, double[] out) {
        squaredDistanceBlock(x, norms, r0, r1, x, norms, 0, n, d, out);
    }

    /** Σ_c (a[aOff + c] − b[bOff + c])². */
    static double direct(double[] a, int aOff, double[] b, int bOff, int d) {
        double sum = 0;
        for (int c = 0; c < d; c++) {
            double diff = a[aOff + c] - b[bOff + c];
            sum += diff * diff;
        }
        return sum;
    }

    /** The full matrix of squared distances D [n, n] of {@code x: [n, d]}, zero diagonal, exactly symmetric. */
    public static double[] squaredDistances(double[] x, int n, int d) {
        if ((long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("pairwise distances: too many points for one [n, n] array; got n = " + n
                    + ", expected n <= 46340");
        }
        double[] norms = squaredNorms(x, n, d);
        double[] distances = new double[n * n];
        int blocks = Parallel.chunks(n, BLOCK_ROWS);
        // Upper triangle by row blocks (columns from the block's first row on): half the GEMM work.
        Parallel.forEach(blocks, chunk -> {
            int r0 = chunk * BLOCK_ROWS, r1 = Math.min(n, r0 + BLOCK_ROWS);
            int cols = n - r0;
            double[] block = new double[(r1 - r0) * cols];
            squaredDistanceBlock(x, norms, r0, r1, x, norms, r0, n, d, block);
            for (int i = r0; i < r1; i++) {
                System.arraycopy(block, (i - r0) * cols + (i - r0), distances, i * n + i, n - i);
                distances[i * n + i] = 0;
            }
        });
        // Mirror to the lower triangle tile by tile (cache-friendly transposes); the GEMM may round a·b
        // and b·a differently, so copying keeps D exactly symmetric.
        Parallel.forEach(blocks, chunk -> {
            int r0 = chunk * BLOCK_ROWS, r1 = Math.min(n, r0 + BLOCK_ROWS);
            for (int c0 = 0; c0 <= r0; c0 += BLOCK_ROWS) {
                int c1 = Math.min(n, c0 + BLOCK_ROWS);
                for (int i = r0; i < r1; i++) {
                    for (int j = c0; j < Math.min(c1, i); j++) {
                        distances[i * n + j] = distances[j * n + i];
                    }
                }
            }
        });
        return distances;
    }

    /**
     * The k nearest other rows of every row of {@code x: [n, d]} (self excluded), sorted by
     * increasing distance, ties by index. Needs {@code 1 <= k < n}.
     */
    public static KnnGraph exact(double[] x, int n, int d, int k) {
        return query(x, n, x, n, d, k, true);
    }

    /**
     * The k nearest rows of {@code reference: [m, d]} for every row of {@code queries: [q, d]};
     * with {@code excludeSelf}, row i of the queries is the same point as row i of the reference
     * and is skipped.
     */
    static KnnGraph query(double[] queries, int q, double[] reference, int m, int d, int k, boolean excludeSelf) {
        int available = excludeSelf ? m - 1 : m;
        if (k < 1 || k > available) {
            throw new IllegalArgumentException("neighbors: k out of range; got k = " + k + " with " + m
                    + " reference points, expected 1 <= k <= " + available);
        }
        double[] queryNorms = squaredNorms(queries, q, d);
        double[] referenceNorms = queries == reference ? queryNorms : squaredNorms(reference, m, d);
        int[] indices = new int[q * k];
        double[] distances = new double[q * k];
        Parallel.forEach(Parallel.chunks(q, BLOCK_ROWS), chunk -> {
            int r0 = chunk * BLOCK_ROWS, r1 = Math.min(q, r0 + BLOCK_ROWS);
            double[] block = new double[(r1 - r0) * m];
            squaredDistanceBlock(queries, queryNorms, r0, r1, reference, referenceNorms, 0, m, d, block);
            int[] heapIndex = new int[k];
            double[] heapDistance = new double[k];
            for (int i = r0; i < r1; i++) {
                int base = (i - r0) * m;
                int size = 0;
                for (int j = 0; j < m; j++) {
                    if (excludeSelf && j == i) {
                        continue;
                    }
                    double value = block[base + j];
                    if (size < k) {
                        siftUp(heapIndex, heapDistance, size++, j, value);
                    } else if (before(value, j, heapDistance[0], heapIndex[0])) {
                        siftDown(heapIndex, heapDistance, k, j, value);
                    }
                }
                // Pop the max-heap from the back: the result is sorted ascending.
                for (int slot = k - 1; slot >= 0; slot--) {
                    indices[i * k + slot] = heapIndex[0];
                    distances[i * k + slot] = heapDistance[0];
                    int lastIndex = heapIndex[slot];
                    double lastDistance = heapDistance[slot];
                    if (slot > 0) {
                        siftDown(heapIndex, heapDistance, slot, lastIndex, lastDistance);
                    }
                }
            }
        });
        return new KnnGraph(q, k, indices, distances);
    }

    /** Strict order on (distance, index): smaller distance first, then smaller index. */
    private static boolean before(double distance, int index, double otherDistance, int otherIndex) {
        return distance < otherDistance || (distance == otherDistance && index < otherIndex);
    }

    /** Inserts at position {@code at} of a max-heap (largest (distance, index) at the root). */
    private static void siftUp(int[] index, double[] distance, int at, int newIndex, double newDistance) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(distance[parent], index[parent], newDistance, newIndex)) {
                break;
            }
            index[at] = index[parent];
            distance[at] = distance[parent];
            at = parent;
        }
        index[at] = newIndex;
        distance[at] = newDistance;
    }

    /** Replaces the root of a max-heap of {@code size} entries and restores the heap. */
    private static void siftDown(int[] index, double[] distance, int size, int newIndex, double newDistance) {
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(distance[child], index[child], distance[child + 1], index[child + 1])) {
                child++;
            }
            if (!before(newDistance, newIndex, distance[child], index[child])) {
                break;
            }
            index[at] = index[child];
            distance[at] = distance[child];
            at = child;
        }
        index[at] = newIndex;
        distance[at] = newDistance;
    }
}
