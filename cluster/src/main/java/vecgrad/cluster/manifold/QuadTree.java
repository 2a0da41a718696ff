package vecgrad.cluster.manifold;

import java.util.Arrays;

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
