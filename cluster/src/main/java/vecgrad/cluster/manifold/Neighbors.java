package vecgrad.cluster.manifold;

import vecgrad.kernels.Simd;

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
        if (d >= FLOAT_CANDIDATES_MIN_DIM && k + CANDIDATE_MARGIN < available) {
            return queryWithFloatCandidates(queries, q, reference, m, d, k, excludeSelf);
        }
        int[] indices = new int[q * k];
        double[] distances = new double[q * k];
        if (!excludeSelf) {
            // New points against a reference set: each row's distances computed directly, so that a
            // point's neighbours do not depend on the other rows of its batch (a GEMM's rounding can).
            Parallel.forEach(Parallel.chunks(q, BLOCK_ROWS), chunk -> {
                int r0 = chunk * BLOCK_ROWS, r1 = Math.min(q, r0 + BLOCK_ROWS);
                double[] row = new double[m];
                int[] heapIndex = new int[k];
                double[] heapDistance = new double[k];
                for (int i = r0; i < r1; i++) {
                    for (int j = 0; j < m; j++) {
                        row[j] = directSimd(queries, i * d, reference, j * d, d);
                    }
                    select(row, 0, m, -1, k, heapIndex, heapDistance, indices, distances, i * k);
                }
            });
            return new KnnGraph(q, k, indices, distances);
        }
        double[] queryNorms = squaredNorms(queries, q, d);
        double[] referenceNorms = queries == reference ? queryNorms : squaredNorms(reference, m, d);
        Parallel.forEach(Parallel.chunks(q, BLOCK_ROWS), chunk -> {
            int r0 = chunk * BLOCK_ROWS, r1 = Math.min(q, r0 + BLOCK_ROWS);
            double[] block = new double[(r1 - r0) * m];
            squaredDistanceBlock(queries, queryNorms, r0, r1, reference, referenceNorms, 0, m, d, block);
            int[] heapIndex = new int[k];
            double[] heapDistance = new double[k];
            for (int i = r0; i < r1; i++) {
                select(block, (i - r0) * m, m, excludeSelf ? i : -1, k, heapIndex, heapDistance, indices, distances, i * k);
            }
        });
        return new KnnGraph(q, k, indices, distances);
    }

    /** Dimension from which the float32 candidate search pays off (the GEMM dominates). */
    static final int FLOAT_CANDIDATES_MIN_DIM = 32;
    /** Candidates kept beyond k by the float32 search before the exact float64 re-ranking. */
    static final int CANDIDATE_MARGIN = 16;
    /** Unit roundoff of float32. */
    private static final double FLOAT_UNIT = 0x1p-24;

    /**
     * The same k nearest neighbours as the float64 search, found faster: a float32 GEMM on the
     * centred data proposes k + {@link #CANDIDATE_MARGIN} candidates per row, which are re-ranked by
     * exact float64 distances Σ(a − b)². The float32 error of every distance is bounded by
     * E = 2(d + 8)·u·(‖a‖² + max‖b‖²) (the GEMM's γ_d bound plus the rounding of the data); if
     * the k-th exact distance is not below (largest candidate's float32 distance) − E, a point
     * outside the candidates could belong to the k nearest, and the row is searched in float64.
     */
    private static KnnGraph queryWithFloatCandidates(double[] queries, int q, double[] reference, int m, int d, int k,
                                                     boolean excludeSelf) {
        double[] mean = new double[d];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < d; c++) {
                mean[c] += reference[j * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= m;
        }
        float[] queryFloats = centredFloats(queries, q, d, mean);
        float[] referenceFloats = queries == reference ? queryFloats : centredFloats(reference, m, d, mean);
        double[] queryNorms = floatNorms(queryFloats, q, d);
        double[] referenceNorms = queries == reference ? queryNorms : floatNorms(referenceFloats, m, d);
        double maxReferenceNorm = 0;
        for (double norm : referenceNorms) {
            maxReferenceNorm = Math.max(maxReferenceNorm, norm);
        }
        double largestNorm = maxReferenceNorm;
        int candidates = k + CANDIDATE_MARGIN;
        int[] indices = new int[q * k];
        double[] distances = new double[q * k];
        int blockRows = candidateBlockRows(m);
        Parallel.forEach(Parallel.chunks(q, blockRows), chunk -> {
            int r0 = chunk * blockRows, r1 = Math.min(q, r0 + blockRows);
            float[] block = new float[(r1 - r0) * m];
            GemmKernels.gemm(queryFloats, r0 * d, d, false, referenceFloats, 0, d, true, block, 0, m, r1 - r0, m, d,
                    -2f, 0f);
            double[] row = new double[m];
            int[] heapIndex = new int[Math.max(candidates, k)];
            double[] heapDistance = new double[heapIndex.length];
            int[] candidateIndex = new int[candidates];
            double[] candidateFloat = new double[candidates];
            double[] exact = new double[candidates];
            for (int i = r0; i < r1; i++) {
                int base = (i - r0) * m;
                for (int j = 0; j < m; j++) {
                    row[j] = queryNorms[i] + referenceNorms[j] + block[base + j];
                }
                int skip = excludeSelf ? i : -1;
                select(row, 0, m, skip, candidates, heapIndex, heapDistance, candidateIndex, candidateFloat, 0);
                for (int c = 0; c < candidates; c++) {
                    exact[c] = directSimd(queries, i * d, reference, candidateIndex[c] * d, d);
                }
                sortByDistance(candidateIndex, exact, candidates);
                double bound = 2.0 * (d + 8) * FLOAT_UNIT * (queryNorms[i] + largestNorm);
                if (exact[k - 1] < candidateFloat[candidates - 1] - bound) {
                    System.arraycopy(candidateIndex, 0, indices, i * k, k);
                    System.arraycopy(exact, 0, distances, i * k, k);
                } else { // the float32 ranking cannot certify this row: search it in float64
                    for (int j = 0; j < m; j++) {
                        row[j] = directSimd(queries, i * d, reference, j * d, d);
                    }
                    select(row, 0, m, skip, k, heapIndex, heapDistance, indices, distances, i * k);
                }
            }
        });
        return new KnnGraph(q, k, indices, distances);
    }

    /**
     * Query rows per float32 GEMM block: the GEMM packs the whole reference matrix for every call, so
     * a block takes as many rows as keep its [rows, m] distances within {@link #CANDIDATE_BLOCK_FLOATS}
     * (between {@link #BLOCK_ROWS} and {@link #MAX_CANDIDATE_BLOCK_ROWS}); fixed by m, never by the thread count.
     */
    static int candidateBlockRows(int m) {
        int rows = (int) Math.min(MAX_CANDIDATE_BLOCK_ROWS, CANDIDATE_BLOCK_FLOATS / Math.max(1, m));
        return Math.max(BLOCK_ROWS, rows / BLOCK_ROWS * BLOCK_ROWS);
    }

    /** Distances held per float32 candidate block (16 MB). */
    static final long CANDIDATE_BLOCK_FLOATS = 4L << 20;
    static final int MAX_CANDIDATE_BLOCK_ROWS = 512;

    private static float[] centredFloats(double[] x, int n, int d, double[] mean) {
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                out[i * d + c] = (float) (x[i * d + c] - mean[c]);
            }
        }
        return out;
    }

    private static double[] floatNorms(float[] x, int n, int d) {
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < d; c++) {
                sum += (double) x[i * d + c] * x[i * d + c];
            }
            norms[i] = sum;
        }
        return norms;
    }

    /**
     * Squared Euclidean distance Σ_c (a[aOff + c] − b[bOff + c])² of two rows of length d, computed
     * directly (no cancellation), in SIMD lanes summed in a fixed order.
     */
    public static double squaredDistance(double[] a, int aOff, double[] b, int bOff, int d) {
        java.util.Objects.checkFromIndexSize(aOff, d, a.length);
        java.util.Objects.checkFromIndexSize(bOff, d, b.length);
        return directSimd(a, aOff, b, bOff, d);
    }

    /** Σ_c (a[aOff + c] − b[bOff + c])² in SIMD lanes, then a scalar tail. */
    static double directSimd(double[] a, int aOff, double[] b, int bOff, int d) {
        var species = vecgrad.kernels.Simd.F64;
        int lanes = species.length();
        // Two accumulators: the loop is bound by the FMA latency (and by reads of b, often from memory).
        jdk.incubator.vector.DoubleVector acc = jdk.incubator.vector.DoubleVector.zero(species), acc2 = acc;
        int c = 0;
        for (int bound = d - 2 * lanes; c <= bound; c += 2 * lanes) {
            var diff = jdk.incubator.vector.DoubleVector.fromArray(species, a, aOff + c)
                    .sub(jdk.incubator.vector.DoubleVector.fromArray(species, b, bOff + c));
            acc = diff.fma(diff, acc);
            var diff2 = jdk.incubator.vector.DoubleVector.fromArray(species, a, aOff + c + lanes)
                    .sub(jdk.incubator.vector.DoubleVector.fromArray(species, b, bOff + c + lanes));
            acc2 = diff2.fma(diff2, acc2);
        }
        for (int bound = species.loopBound(d); c < bound; c += lanes) {
            var diff = jdk.incubator.vector.DoubleVector.fromArray(species, a, aOff + c)
                    .sub(jdk.incubator.vector.DoubleVector.fromArray(species, b, bOff + c));
            acc = diff.fma(diff, acc);
        }
        double sum = Simd.sumLanes(acc.add(acc2));
        for (; c < d; c++) {
            double diff = a[aOff + c] - b[bOff + c];
            sum = Math.fma(diff, diff, sum);
        }
        return sum;
    }


    /** Insertion sort of (distance, index) pairs, ascending, ties by index. */
    private static void sortByDistance(int[] index, double[] distance, int count) {
        for (int a = 1; a < count; a++) {
            int idx = index[a];
            double dist = distance[a];
            int b = a - 1;
            while (b >= 0 && before(dist, idx, distance[b], index[b])) {
                index[b + 1] = index[b];
                distance[b + 1] = distance[b];
                b--;
            }
            index[b + 1] = idx;
            distance[b + 1] = dist;
        }
    }

    /**
     * The k smallest (value, index) of {@code row[base .. base + m)} except position {@code skip}
     * (or −1), written ascending to {@code outIndex/outDistance} from {@code outOff}.
     */
    private static void select(double[] row, int base, int m, int skip, int k, int[] heapIndex, double[] heapDistance,
                               int[] outIndex, double[] outDistance, int outOff) {
        int size = 0;
        for (int j = 0; j < m; j++) {
            if (j == skip) {
                continue;
            }
            double value = row[base + j];
            if (size < k) {
                siftUp(heapIndex, heapDistance, size++, j, value);
            } else if (before(value, j, heapDistance[0], heapIndex[0])) {
                siftDown(heapIndex, heapDistance, k, j, value);
            }
        }
        // Pop the max-heap from the back: the result is sorted ascending.
        for (int slot = k - 1; slot >= 0; slot--) {
            outIndex[outOff + slot] = heapIndex[0];
            outDistance[outOff + slot] = heapDistance[0];
            int lastIndex = heapIndex[slot];
            double lastDistance = heapDistance[slot];
            if (slot > 0) {
                siftDown(heapIndex, heapDistance, slot, lastIndex, lastDistance);
            }
        }
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
