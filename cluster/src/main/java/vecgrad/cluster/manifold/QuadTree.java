package vecgrad.cluster.manifold;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import vecgrad.kernels.Simd;

/**
 * A Barnes–Hut quadtree over 2-D points {@code y: [n, 2]}, stored in pre-order so that a
 * traversal is a forward scan: a summarised cell jumps to {@code skip[node]}, an opened cell steps
 * to {@code node + 1} (its first child). Each cell keeps its centre of mass, point count, side
 * length and the range of the points it holds in {@link #order}, which tells whether a cell
 * contains the query point itself.
 *
 * <p>Cells are squares, halved at each level. A cell becomes a leaf when it holds one point, or
 * when it is {@link #MAX_DEPTH} levels deep (duplicates or points closer than the grid resolution:
 * they are summarised by their centre of mass).
 *
 * <p>Reference: Barnes and Hut, A hierarchical O(N log N) force-calculation algorithm, Nature 324 (1986);
 * van der Maaten, Accelerating t-SNE using tree-based algorithms, JMLR 15 (2014).
 */
final class QuadTree {
    /** Points per query group at most: the largest subtrees of at most this many points share one traversal. */
    static final int GROUP_POINTS = 32;
    private static final VectorSpecies<Double> S = Simd.F64;
    /** Depth at which cells stop splitting: 2^-48 of the root width is below double resolution of coordinates. */
    static final int MAX_DEPTH = 48;

    double[] centerX;
    double[] centerY;
    double[] width;
    int[] count;
    int[] first;
    int[] skip;
    boolean[] leaf;
    /** Point indices in pre-order: cell c holds {@code order[first[c] .. first[c] + count[c])}. */
    final int[] order;
    /** {@code position[i]}: where point i sits in {@link #order}. */
    final int[] position;
    int size;
    /** Traversal copy, one cache line per cell: centre x, centre y, width², count. */
    double[] packed;
    /** Query groups: tree-order position ranges [groupStart[g], groupEnd[g]) of whole subtrees. */
    int[] groupStart;
    int[] groupEnd;
    /** Traversal links per cell: first point position, and the next cell after the subtree (negated for leaves). */
    int[] links;

    private final double[] y;

    QuadTree(double[] y, int n) {
        this.y = y;
        int capacity = 4 * n + 8;
        centerX = new double[capacity];
        centerY = new double[capacity];
        width = new double[capacity];
        count = new int[capacity];
        first = new int[capacity];
        skip = new int[capacity];
        leaf = new boolean[capacity];
        order = new int[n];
        position = new int[n];
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        double side = Math.max(maxX - minX, maxY - minY);
        // A margin keeps the points on the upper edge strictly inside the root square.
        side = side > 0 ? side * (1 + 1e-9) : 1;
        build(0, n, minX, minY, side, 0);
        for (int i = 0; i < n; i++) {
            position[order[i]] = i;
        }
        packed = new double[4 * size];
        links = new int[2 * size];
        for (int node = 0; node < size; node++) {
            packed[4 * node] = centerX[node];
            packed[4 * node + 1] = centerY[node];
            packed[4 * node + 2] = width[node] * width[node];
            packed[4 * node + 3] = count[node];
            links[2 * node] = first[node];
            links[2 * node + 1] = leaf[node] ? -skip[node] : skip[node];
        }
        int[] starts = new int[n], ends = new int[n];
        int groups = 0;
        for (int node = 0; node < size; ) {
            if (leaf[node] || count[node] <= GROUP_POINTS) {
                starts[groups] = first[node];
                ends[groups++] = first[node] + count[node];
                node = skip[node];
            } else {
                node++;
            }
        }
        groupStart = Arrays.copyOf(starts, groups);
        groupEnd = Arrays.copyOf(ends, groups);
    }

    /** Scratch lists of one traversal: summarised cells (centre of mass and count), grown on demand. */
    static final class Scratch {
        double[] cellX = new double[256];
        double[] cellY = new double[256];
        double[] cellCount = new double[256];
        int cells;

        void add(double x, double y, double points) {
            if (cells == cellX.length) {
                cellX = Arrays.copyOf(cellX, 2 * cells);
                cellY = Arrays.copyOf(cellY, 2 * cells);
                cellCount = Arrays.copyOf(cellCount, 2 * cells);
            }
            cellX[cells] = x;
            cellY[cells] = y;
            cellCount[cells++] = points;
        }
    }

    /**
     * Repulsion for every point of group g, with one traversal for the whole group: a cell is
     * summarised when width² &lt; θ²·(D − r)², D the distance from the group's centre to the cell's
     * centre of mass and r the group's radius, so the test holds for every point of the group
     * (a stricter, more accurate criterion than per point). The group's own points interact
     * exactly with each other. Adds Σ size·w²·(y_i − com) to {@code force[2i], force[2i+1]} and
     * writes Σ size·w to {@code sumW[i]} for each point i of the group.
     */
    void groupRepulsion(int g, double thetaSquared, double[] force, double[] sumW, Scratch scratch) {
        int from = groupStart[g], to = groupEnd[g];
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int at = from; at < to; at++) {
            int i = order[at];
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        double gx = (minX + maxX) / 2, gy = (minY + maxY) / 2;
        double radius = Math.sqrt((maxX - minX) * (maxX - minX) + (maxY - minY) * (maxY - minY)) / 2;
        scratch.cells = 0;
        double[] cells = packed;
        int[] next = links;
        int node = 0;
        while (node < size) {
            int at = 4 * node;
            int start = next[2 * node];
            int skipTo = next[2 * node + 1];
            int end = start + (int) cells[at + 3];
            int after = skipTo < 0 ? -skipTo : skipTo;
            if (start >= from && end <= to) { // inside the group: exact pairs below
                node = after;
                continue;
            }
            if (start < to && from < end) { // an ancestor of the group: open it
                node++;
                continue;
            }
            double dx = gx - cells[at], dy = gy - cells[at + 1];
            double reach = Math.sqrt(dx * dx + dy * dy) - radius;
            if (skipTo < 0 || (reach > 0 && cells[at + 2] < thetaSquared * reach * reach)) {
                scratch.add(cells[at], cells[at + 1], cells[at + 3]);
                node = after;
            } else {
                node++;
            }
        }
        boolean collapsed = to - from > GROUP_POINTS; // a max-depth leaf of near-duplicates
        for (int at = from; at < to; at++) {
            int i = order[at];
            double qx = y[2 * i], qy = y[2 * i + 1];
            double[] summary = summarise(qx, qy, scratch);
            double w = summary[0], fx = summary[1], fy = summary[2];
            if (collapsed) {
                double dx = qx - (minX + maxX) / 2, dy = qy - (minY + maxY) / 2;
                double wq = 1 / (1 + dx * dx + dy * dy);
                double others = to - from - 1;
                w += others * wq;
                fx += others * wq * wq * dx;
                fy += others * wq * wq * dy;
            } else {
                for (int other = from; other < to; other++) {
                    if (other == at) {
                        continue;
                    }
                    int j = order[other];
                    double dx = qx - y[2 * j], dy = qy - y[2 * j + 1];
                    double wq = 1 / (1 + dx * dx + dy * dy);
                    w += wq;
                    fx += wq * wq * dx;
                    fy += wq * wq * dy;
                }
            }
            sumW[i] = w;
            force[2 * i] += fx;
            force[2 * i + 1] += fy;
        }
    }

    /** Σ_cells (count·w, count·w²·dx, count·w²·dy) for the query point, in SIMD lanes then a scalar tail. */
    private static double[] summarise(double qx, double qy, Scratch scratch) {
        int cellsCount = scratch.cells;
        double[] cx = scratch.cellX, cy = scratch.cellY, cn = scratch.cellCount;
        int lanes = S.length();
        DoubleVector sumW = DoubleVector.zero(S), sumX = DoubleVector.zero(S), sumY = DoubleVector.zero(S);
        DoubleVector one = DoubleVector.broadcast(S, 1);
        int c = 0;
        for (int bound = S.loopBound(cellsCount); c < bound; c += lanes) {
            DoubleVector dx = DoubleVector.fromArray(S, cx, c).neg().add(qx);
            DoubleVector dy = DoubleVector.fromArray(S, cy, c).neg().add(qy);
            DoubleVector w = one.div(dx.fma(dx, dy.fma(dy, one)));
            DoubleVector weighted = w.mul(DoubleVector.fromArray(S, cn, c));
            sumW = sumW.add(weighted);
            DoubleVector weighted2 = weighted.mul(w);
            sumX = weighted2.fma(dx, sumX);
            sumY = weighted2.fma(dy, sumY);
        }
        double w = Simd.sumLanes(sumW); // fixed lane order: bit-reproducible
        double fx = Simd.sumLanes(sumX);
        double fy = Simd.sumLanes(sumY);
        for (; c < cellsCount; c++) { // scalar tail: the list length is not a multiple of the lane count
            double dx = qx - cx[c], dy = qy - cy[c];
            double wc = 1 / Math.fma(dx, dx, Math.fma(dy, dy, 1));
            double weighted = wc * cn[c];
            w += weighted;
            fx = Math.fma(weighted * wc, dx, fx);
            fy = Math.fma(weighted * wc, dy, fy);
        }
        return new double[] {w, fx, fy};
    }

    /** Builds the cell for order[from, to) in the square [x0, x0 + side) × [y0, y0 + side); returns its index. */
    private int build(int from, int to, double x0, double y0, double side, int depth) {
        int node = size++;
        ensureCapacity(size);
        int n = to - from;
        double sumX = 0, sumY = 0;
        for (int p = from; p < to; p++) {
            sumX += y[2 * order[p]];
            sumY += y[2 * order[p] + 1];
        }
        centerX[node] = sumX / n;
        centerY[node] = sumY / n;
        width[node] = side;
        count[node] = n;
        first[node] = from;
        if (n == 1 || depth >= MAX_DEPTH) {
            leaf[node] = true;
            skip[node] = size;
            return node;
        }
        double half = side / 2, midX = x0 + half, midY = y0 + half;
        // Partition into the four quadrants: left/right by x, then bottom/top by y within each half.
        int splitX = partition(from, to, 0, midX);
        int splitLeft = partition(from, splitX, 1, midY);
        int splitRight = partition(splitX, to, 1, midY);
        if (splitLeft > from) {
            build(from, splitLeft, x0, y0, half, depth + 1);
        }
        if (splitX > splitLeft) {
            build(splitLeft, splitX, x0, midY, half, depth + 1);
        }
        if (splitRight > splitX) {
            build(splitX, splitRight, midX, y0, half, depth + 1);
        }
        if (to > splitRight) {
            build(splitRight, to, midX, midY, half, depth + 1);
        }
        skip[node] = size;
        return node;
    }

    /** Reorders order[from, to) so points with coordinate axis &lt; mid come first; returns the split. */
    private int partition(int from, int to, int axis, double mid) {
        int lo = from, hi = to - 1;
        while (lo <= hi) {
            if (y[2 * order[lo] + axis] < mid) {
                lo++;
            } else {
                int t = order[lo];
                order[lo] = order[hi];
                order[hi--] = t;
            }
        }
        return lo;
    }

    /** Doubles the cell arrays when full: chains of one-child cells (close pairs) can exceed the initial 4n. */
    private void ensureCapacity(int needed) {
        if (needed > centerX.length) {
            int capacity = Math.max(needed, 2 * centerX.length);
            centerX = Arrays.copyOf(centerX, capacity);
            centerY = Arrays.copyOf(centerY, capacity);
            width = Arrays.copyOf(width, capacity);
            count = Arrays.copyOf(count, capacity);
            first = Arrays.copyOf(first, capacity);
            skip = Arrays.copyOf(skip, capacity);
            leaf = Arrays.copyOf(leaf, capacity);
        }
    }

    /**
     * Repulsive part for the query point (qx, qy): adds Σ_cells size·w·w·(q − com) to
     * {@code force[off], force[off + 1]} and returns Σ size·w, where w = 1 / (1 + ‖q − com‖²) and a
     * cell is summarised when it is a leaf or width² &lt; θ²·‖q − com‖². Point {@code self}
     * (or −1) is left out.
     */
    double repulsion(double qx, double qy, int self, double thetaSquared, double[] force, int off) {
        int selfAt = self >= 0 ? position[self] : -1;
        double[] cells = packed;
        int[] next = links;
        double sumW = 0, fx = 0, fy = 0;
        int node = 0;
        while (node < size) {
            int at = 4 * node;
            double dx = qx - cells[at], dy = qy - cells[at + 1];
            double d2 = dx * dx + dy * dy;
            int skipTo = next[2 * node + 1];
            if (skipTo < 0 || cells[at + 2] < thetaSquared * d2) {
                double points = cells[at + 3];
                int from = next[2 * node];
                if (selfAt >= from && selfAt < from + (int) points) {
                    points -= 1;
                }
                if (points > 0) {
                    double w = 1 / (1 + d2);
                    double sizeW = points * w;
                    sumW += sizeW;
                    fx += sizeW * w * dx;
                    fy += sizeW * w * dy;
                }
                node = skipTo < 0 ? -skipTo : skipTo;
            } else {
                node++;
            }
        }
        force[off] += fx;
        force[off + 1] += fy;
        return sumW;
    }
}
