package vecgrad.cluster.manifold;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import vecgrad.kernels.Simd;

/**
 * A Barnes–Hut quadtree over 2-D points {@code y: [n, 2]}, stored in pre-order so that a
 * traversal is a forward scan: a summarised cell jumps past its subtree, an opened cell steps
 * to {@code node + 1} (its first child). Each cell keeps its centre of mass, point count, squared
 * side length and the range of the points it holds in {@link #order}, which tells whether a cell
 * contains the query point itself.
 *
 * <p>Cells are squares, halved at each level. A cell becomes a leaf when it holds one point, or
 * when it is {@link #MAX_DEPTH} levels deep (duplicates or points closer than the grid resolution:
 * they are summarised by their centre of mass).
 *
 * <p>The optimizer rebuilds the tree at every iteration, so {@link #rebuild} reuses every array
 * (no allocation once the capacity has settled) and partitions copies of the coordinates kept in
 * tree order, so that the build and the traversals read memory sequentially.
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

    /** Point indices in tree order: cell c holds {@code order[first(c) .. first(c) + count(c))}. */
    int[] order = new int[0];
    /** {@code position[i]}: where point i sits in {@link #order}. */
    int[] position = new int[0];
    /** Coordinates in tree order: {@code orderedX[at] = y[2 * order[at]]}. */
    double[] orderedX = new double[0];
    double[] orderedY = new double[0];
    /** Number of cells. */
    int size;
    /** Traversal copy, one cache line per two cells: centre x, centre y, width, count. */
    double[] packed = new double[0];
    /** Traversal links per cell: first point position, and the next cell after the subtree (negated for leaves). */
    int[] links = new int[0];
    /** Query groups: tree-order position ranges [groupStart[g], groupEnd[g]) of whole subtrees. */
    int[] groupStart = new int[0];
    int[] groupEnd = new int[0];
    int groups;
    private int n;

    QuadTree(double[] y, int n) {
        rebuild(y, n);
    }

    /** Rebuilds the tree over the n points of {@code y: [n, 2]}, reusing the arrays. */
    void rebuild(double[] y, int n) {
        this.n = n;
        if (order.length < n) {
            order = new int[n];
            position = new int[n];
            orderedX = new double[n];
            orderedY = new double[n];
            groupStart = new int[n];
            groupEnd = new int[n];
        }
        ensureCapacity(4 * n + 8);
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double px = y[2 * i], py = y[2 * i + 1];
            order[i] = i;
            orderedX[i] = px;
            orderedY[i] = py;
            minX = Math.min(minX, px);
            maxX = Math.max(maxX, px);
            minY = Math.min(minY, py);
            maxY = Math.max(maxY, py);
        }
        double side = Math.max(maxX - minX, maxY - minY);
        // A margin keeps the points on the upper edge strictly inside the root square.
        side = side > 0 ? side * (1 + 1e-9) : 1;
        size = 0;
        groups = 0;
        build(0, n, minX, minY, side, 0, false);
        for (int at = 0; at < n; at++) {
            position[order[at]] = at;
        }
    }

    /** Scratch lists of one traversal: summarised cells (centre of mass and count), grown on demand. */
    static final class Scratch {
        double[] cellX = new double[256];
        double[] cellY = new double[256];
        double[] cellCount = new double[256];
        int cells;
        /** Output of {@link #summarise}: Σ count·w, Σ count·w²·dx, Σ count·w²·dy. */
        double sumW;
        double forceX;
        double forceY;

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
     * summarised when width &lt; θ·(D − r), D the distance from the group's centre to the cell's
     * centre of mass and r the group's radius, so the test holds for every point of the group
     * (a stricter, more accurate criterion than per point). The group's own points interact
     * exactly with each other. Adds Σ size·w²·(y_i − com) to {@code force[2i], force[2i+1]} and
     * writes Σ size·w to {@code sumW[i]} for each point i of the group.
     */
    void groupRepulsion(int g, double theta, double[] force, double[] sumW, Scratch scratch) {
        double inverseTheta = 1 / theta; // θ = 0: +∞, every cell but a leaf is opened
        int from = groupStart[g], to = groupEnd[g];
        double[] xs = orderedX, ys = orderedY;
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int at = from; at < to; at++) {
            minX = Math.min(minX, xs[at]);
            maxX = Math.max(maxX, xs[at]);
            minY = Math.min(minY, ys[at]);
            maxY = Math.max(maxY, ys[at]);
        }
        double gx = (minX + maxX) / 2, gy = (minY + maxY) / 2;
        double radius = Math.sqrt((maxX - minX) * (maxX - minX) + (maxY - minY) * (maxY - minY)) / 2;
        scratch.cells = 0;
        double[] cells = packed;
        int[] next = links;
        int node = 0, cellCount = size;
        while (node < cellCount) {
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
            // D − r > width/θ, squared (both sides positive): no square root in the loop.
            double bound = radius + cells[at + 2] * inverseTheta;
            if (skipTo < 0 || dx * dx + dy * dy > bound * bound) {
                scratch.add(cells[at], cells[at + 1], cells[at + 3]);
                node = after;
            } else {
                node++;
            }
        }
        boolean collapsed = to - from > GROUP_POINTS; // a max-depth leaf of near-duplicates
        for (int at = from; at < to; at++) {
            int i = order[at];
            double qx = xs[at], qy = ys[at];
            summarise(qx, qy, scratch);
            double w = scratch.sumW, fx = scratch.forceX, fy = scratch.forceY;
            if (collapsed) {
                double dx = qx - gx, dy = qy - gy;
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
                    double dx = qx - xs[other], dy = qy - ys[other];
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

    /**
     * Σ_cells (count·w, count·w²·dx, count·w²·dy) for the query point, in SIMD lanes then a scalar
     * tail, into the scratch's sumW, forceX, forceY.
     */
    private static void summarise(double qx, double qy, Scratch scratch) {
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
        scratch.sumW = w;
        scratch.forceX = fx;
        scratch.forceY = fy;
    }

    /**
     * Builds the cell for positions [from, to) in the square [x0, x0 + side) × [y0, y0 + side) and
     * its subtree; records query groups (the first subtree of at most {@link #GROUP_POINTS} points
     * on each path, or a leaf) unless {@code grouped} (an ancestor already is a group).
     */
    private void build(int from, int to, double x0, double y0, double side, int depth, boolean grouped) {
        int node = size++;
        ensureCapacity(size);
        int points = to - from;
        boolean leaf = points == 1 || depth >= MAX_DEPTH;
        if (!grouped && (leaf || points <= GROUP_POINTS)) {
            groupStart[groups] = from;
            groupEnd[groups++] = to;
            grouped = true;
        }
        double sumX = 0, sumY = 0;
        double[] xs = orderedX, ys = orderedY;
        for (int at = from; at < to; at++) {
            sumX += xs[at];
            sumY += ys[at];
        }
        int at = 4 * node;
        packed[at] = sumX / points;
        packed[at + 1] = sumY / points;
        packed[at + 2] = side;
        packed[at + 3] = points;
        links[2 * node] = from;
        if (leaf) {
            links[2 * node + 1] = -size;
            return;
        }
        double half = side / 2, midX = x0 + half, midY = y0 + half;
        // Partition into the four quadrants: left/right by x, then bottom/top by y within each half.
        int splitX = partition(from, to, xs, midX);
        int splitLeft = partition(from, splitX, ys, midY);
        int splitRight = partition(splitX, to, ys, midY);
        if (splitLeft > from) {
            build(from, splitLeft, x0, y0, half, depth + 1, grouped);
        }
        if (splitX > splitLeft) {
            build(splitLeft, splitX, x0, midY, half, depth + 1, grouped);
        }
        if (splitRight > splitX) {
            build(splitX, splitRight, midX, y0, half, depth + 1, grouped);
        }
        if (to > splitRight) {
            build(splitRight, to, midX, midY, half, depth + 1, grouped);
        }
        links[2 * node + 1] = size;
    }

    /**
     * Reorders positions [from, to) (order and both coordinate copies together) so that those
     * with {@code key[at] < mid} come first; returns the split.
     */
    private int partition(int from, int to, double[] key, double mid) {
        int[] ord = order;
        double[] xs = orderedX, ys = orderedY;
        int lo = from, hi = to - 1;
        while (lo <= hi) {
            if (key[lo] < mid) {
                lo++;
            } else {
                int t = ord[lo];
                ord[lo] = ord[hi];
                ord[hi] = t;
                double tx = xs[lo];
                xs[lo] = xs[hi];
                xs[hi] = tx;
                double ty = ys[lo];
                ys[lo] = ys[hi];
                ys[hi--] = ty;
            }
        }
        return lo;
    }

    /** Grows the cell arrays when full: chains of one-child cells (close pairs) can exceed 4n. */
    private void ensureCapacity(int needed) {
        if (4 * needed > packed.length) {
            int capacity = Math.max(needed, 2 * (packed.length / 4));
            packed = Arrays.copyOf(packed, 4 * capacity);
            links = Arrays.copyOf(links, 2 * capacity);
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
            if (skipTo < 0 || cells[at + 2] * cells[at + 2] < thetaSquared * d2) {
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
