package vecgrad.cluster.manifold;

import vecgrad.kernels.Simd;

import vecgrad.kernels.Parallel;

/**
 * The t-SNE objective KL(P ‖ Q) and its gradient with respect to the embedding {@code y: [n, dims]}
 * (Student-t kernel, one degree of freedom):
 * <pre>
 *   w_ij = 1 / (1 + ‖y_i − y_j‖²),   Q_ij = max(w_ij / Σ_{a≠b} w_ab, eps)
 *   KL   = Σ_{i≠j} P_ij ln(max(P_ij, eps) / Q_ij)            (P_ij = 0 contributes 0)
 *   ∂KL/∂y_i = 4 Σ_{j≠i} (P_ij − Q_ij) w_ij (y_i − y_j)
 * </pre>
 * The factor w_ij = (1 + ‖y_i − y_j‖²)⁻¹ is part of the gradient: it is what makes far pairs pull
 * weakly (a heavy-tailed kernel), and dropping it (as some derivations do) gives the wrong gradient.
 * P may be multiplied by an exaggeration factor without copying it.
 *
 * <p>Work is split in fixed row chunks and partial sums are combined in row order, so results are
 * bit-identical for any thread count.
 *
 * <p>References: van der Maaten and Hinton (2008), eq. 5; van der Maaten (2014) for Barnes–Hut;
 * scikit-learn {@code _kl_divergence} and {@code _kl_divergence_bh} (1.2).
 */
public final class TsneGradient {
    /** 2(ν + 1)/ν for ν = 1 degree of freedom. */
    static final double GRADIENT_FACTOR = 4;
    private static final double EPS = TsneAffinities.MACHINE_EPSILON;
    private static final int CHUNK_ROWS = 64;
    private static final jdk.incubator.vector.VectorSpecies<Double> LANES = vecgrad.kernels.Simd.F64;
    /** Query groups per parallel chunk (a group holds up to {@link QuadTree#GROUP_POINTS} points). */
    private static final int GROUPS_PER_CHUNK = 8;

    private TsneGradient() {}

    /**
     * Exact O(n²) gradient for a dense P [n, n] (row-major, symmetric, zero diagonal) scaled by
     * {@code exaggeration}. Writes {@code grad: [n, dims]} and returns KL, or NaN when
     * {@code computeKl} is false.
     */
    public static double exact(double[] p, double[] y, int n, int dims, double exaggeration, double[] grad,
                               boolean computeKl) {
        checkSizes("tsne exact gradient", p.length, (long) n * n, y.length, grad.length, n, dims);
        if (!computeKl && dims == 2 && exactOnePass(p, y, n, exaggeration, grad)) {
            return Double.NaN;
        }
        int chunks = Parallel.chunks(n, CHUNK_ROWS);
        double[] rowW = new double[n];
        Parallel.forEach(chunks, chunk -> {
            int r1 = Math.min(n, (chunk + 1) * CHUNK_ROWS);
            for (int i = chunk * CHUNK_ROWS; i < r1; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        sum += 1 / (1 + squaredDistance(y, i, j, dims));
                    }
                }
                rowW[i] = sum;
            }
        });
        double z = 0;
        for (int i = 0; i < n; i++) {
            z += rowW[i];
        }
        double sumW = z;
        double[] rowKl = new double[n];
        Parallel.forEach(chunks, chunk -> {
            int r1 = Math.min(n, (chunk + 1) * CHUNK_ROWS);
            double[] acc = new double[dims];
            for (int i = chunk * CHUNK_ROWS; i < r1; i++) {
                java.util.Arrays.fill(acc, 0);
                double kl = 0;
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    double w = 1 / (1 + squaredDistance(y, i, j, dims));
                    double q = Math.max(w / sumW, EPS);
                    double pij = exaggeration * p[i * n + j];
                    double coefficient = (pij - q) * w; // (P_ij − Q_ij) w_ij
                    for (int c = 0; c < dims; c++) {
                        acc[c] += coefficient * (y[i * dims + c] - y[j * dims + c]);
                    }
                    if (computeKl && pij > 0) {
                        kl += pij * Math.log(Math.max(pij, EPS) / q);
                    }
                }
                for (int c = 0; c < dims; c++) {
                    grad[i * dims + c] = GRADIENT_FACTOR * acc[c];
                }
                rowKl[i] = kl;
            }
        });
        return computeKl ? sumInOrder(rowKl) : Double.NaN;
    }

    /**
     * The exact 2-D gradient in one pass over the pairs, in SIMD lanes: since (P_ij − Q_ij)·w_ij =
     * P_ij·w_ij − w_ij²/Z while the floor Q_ij ≥ eps is inactive, each row accumulates
     * A_i = Σ P_ij w_ij (y_i − y_j), R_i = Σ w_ij² (y_i − y_j) and Σ w_ij, and the gradient is
     * 4(A_i − R_i/Z). Returns false (writing nothing) when some w_ij/Z falls below eps, so that the
     * caller applies the floor pair by pair. The diagonal needs no branch: P_ii = 0 and y_i − y_i = 0,
     * and its w_ii = 1 is taken out of the row sum.
     */
    private static boolean exactOnePass(double[] p, double[] y, int n, double exaggeration, double[] grad) {
        double[] xs = new double[n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = y[2 * i];
            ys[i] = y[2 * i + 1];
        }
        double[] attraction = new double[2 * n], repulsion = new double[2 * n], rowW = new double[n], rowMin = new double[n];
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int r1 = Math.min(n, (chunk + 1) * CHUNK_ROWS);
            int lanes = LANES.length();
            jdk.incubator.vector.DoubleVector one = jdk.incubator.vector.DoubleVector.broadcast(LANES, 1);
            for (int i = chunk * CHUNK_ROWS; i < r1; i++) {
                double qx = xs[i], qy = ys[i];
                var ax = jdk.incubator.vector.DoubleVector.zero(LANES);
                var ay = ax;
                var rx = ax;
                var ry = ax;
                var sw = ax;
                var minW = one;
                int j = 0, row = i * n;
                for (int bound = LANES.loopBound(n); j < bound; j += lanes) {
                    var dx = jdk.incubator.vector.DoubleVector.fromArray(LANES, xs, j).neg().add(qx);
                    var dy = jdk.incubator.vector.DoubleVector.fromArray(LANES, ys, j).neg().add(qy);
                    var w = one.div(dx.fma(dx, dy.fma(dy, one)));
                    var pw = jdk.incubator.vector.DoubleVector.fromArray(LANES, p, row + j).mul(w);
                    var ww = w.mul(w);
                    ax = pw.fma(dx, ax);
                    ay = pw.fma(dy, ay);
                    rx = ww.fma(dx, rx);
                    ry = ww.fma(dy, ry);
                    sw = sw.add(w);
                    minW = minW.min(w);
                }
                double sumAx = Simd.sumLanes(ax), sumAy = Simd.sumLanes(ay);
                double sumRx = Simd.sumLanes(rx), sumRy = Simd.sumLanes(ry);
                double sumW = Simd.sumLanes(sw);
                double min = minW.reduceLanes(jdk.incubator.vector.VectorOperators.MIN); // exact in any order
                for (; j < n; j++) { // scalar tail
                    double dx = qx - xs[j], dy = qy - ys[j];
                    double w = 1 / Math.fma(dx, dx, Math.fma(dy, dy, 1));
                    double pw = p[row + j] * w, ww = w * w;
                    sumAx = Math.fma(pw, dx, sumAx);
                    sumAy = Math.fma(pw, dy, sumAy);
                    sumRx = Math.fma(ww, dx, sumRx);
                    sumRy = Math.fma(ww, dy, sumRy);
                    sumW += w;
                    min = Math.min(min, w);
                }
                attraction[2 * i] = exaggeration * sumAx;
                attraction[2 * i + 1] = exaggeration * sumAy;
                repulsion[2 * i] = sumRx;
                repulsion[2 * i + 1] = sumRy;
                rowW[i] = sumW - 1; // w_ii = 1
                rowMin[i] = min;
            }
        });
        double z = sumInOrder(rowW);
        double min = Double.POSITIVE_INFINITY;
        for (double m : rowMin) {
            min = Math.min(min, m);
        }
        if (!(z > 0 && min / z >= EPS)) {
            return false;
        }
        for (int c = 0; c < 2 * n; c++) {
            grad[c] = GRADIENT_FACTOR * (attraction[c] - repulsion[c] / z);
        }
        return true;
    }

    /**
     * Barnes–Hut gradient for a sparse P (2-D embedding {@code y: [n, 2]}): attraction over the
     * stored P_ij exactly, repulsion Σ_j w_ij² (y_i − y_j) / Z approximated with a quadtree and
     * opening angle θ, Z = Σ_{i≠j} w_ij approximated by the same traversal. Points are queried in
     * groups of up to {@link QuadTree#GROUP_POINTS} (whole subtrees) sharing one traversal with a
     * criterion that holds for every point of the group; points of a group interact exactly. Writes {@code grad} and
     * returns KL over the stored entries (with the approximate Z), or NaN when not computed.
     */
    public static double barnesHut(SparseAffinities p, double[] y, double theta, double exaggeration, double[] grad,
                                   boolean computeKl) {
        return barnesHut(p, y, theta, exaggeration, grad, computeKl, new Workspace());
    }

    /**
     * The arrays of one Barnes–Hut gradient, kept between the optimizer's iterations so that an
     * iteration allocates nothing: the quadtree, the repulsion and row sums, and y split into
     * coordinate columns (for the gathers of the attraction).
     */
    static final class Workspace {
        private QuadTree tree;
        private double[] repulsion = new double[0];
        private double[] attraction = new double[0];
        private double[] rowW = new double[0];
        private double[] rowKl = new double[0];
        private double[] xs = new double[0];
        private double[] ys = new double[0];
        private final ThreadLocal<QuadTree.Scratch> scratch = ThreadLocal.withInitial(QuadTree.Scratch::new);

        private void prepare(double[] y, int n) {
            if (rowW.length != n) {
                repulsion = new double[2 * n];
                attraction = new double[2 * n];
                rowW = new double[n];
                rowKl = new double[n];
                xs = new double[n];
                ys = new double[n];
            }
            for (int i = 0; i < n; i++) {
                xs[i] = y[2 * i];
                ys[i] = y[2 * i + 1];
            }
        }

        /** Rebuilds the quadtree over y and clears the repulsion sums. */
        private void buildTree(double[] y, int n) {
            java.util.Arrays.fill(repulsion, 0);
            if (tree == null) {
                tree = new QuadTree(y, n);
            } else {
                tree.rebuild(y, n);
            }
        }
    }

    /** {@link #barnesHut(SparseAffinities, double[], double, double, double[], boolean)} reusing {@code work}. */
    static double barnesHut(SparseAffinities p, double[] y, double theta, double exaggeration, double[] grad,
                            boolean computeKl, Workspace work) {
        int n = p.n();
        checkSizes("tsne barnes-hut gradient", 0, 0, y.length, grad.length, n, 2);
        work.prepare(y, n);
        double[] repulsion = work.repulsion, attraction = work.attraction, rowW = work.rowW, rowKl = work.rowKl;
        double[] xs = work.xs, ys = work.ys;
        int[] rowStart = p.rowStartArray();
        int[] columns = p.columnArray();
        double[] values = p.valueArray();
        // The tree build is serial: one chunk builds it while the others sum the attraction, which needs no tree.
        Parallel.forEach(1 + Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            if (chunk == 0) {
                work.buildTree(y, n);
                return;
            }
            int r0 = (chunk - 1) * CHUNK_ROWS, r1 = Math.min(n, r0 + CHUNK_ROWS);
            for (int i = r0; i < r1; i++) {
                attraction(i, rowStart[i], rowStart[i + 1], columns, values, xs, ys, attraction);
            }
        });
        QuadTree tree = work.tree;
        int groups = tree.groups;
        Parallel.forEach(Parallel.chunks(groups, GROUPS_PER_CHUNK), chunk -> {
            QuadTree.Scratch scratch = work.scratch.get();
            int g1 = Math.min(groups, (chunk + 1) * GROUPS_PER_CHUNK);
            for (int g = chunk * GROUPS_PER_CHUNK; g < g1; g++) {
                tree.groupRepulsion(g, theta, repulsion, rowW, scratch);
            }
        });
        double sumW = Math.max(sumInOrder(rowW, n), EPS);
        for (int c = 0; c < 2 * n; c++) {
            grad[c] = GRADIENT_FACTOR * (exaggeration * attraction[c] - repulsion[c] / sumW);
        }
        if (!computeKl) {
            return Double.NaN;
        }
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int r1 = Math.min(n, (chunk + 1) * CHUNK_ROWS);
            for (int i = chunk * CHUNK_ROWS; i < r1; i++) {
                rowKl[i] = rowKl(i, rowStart[i], rowStart[i + 1], columns, values, xs, ys, exaggeration, sumW);
            }
        });
        return sumInOrder(rowKl, n);
    }

    /**
     * Σ_e P_e w_ij (y_i − y_j) over the stored entries e = [from, to) of row i into
     * {@code out[2i], out[2i + 1]}, the columns gathered into SIMD lanes, then a scalar tail.
     */
    private static void attraction(int i, int from, int to, int[] columns, double[] values, double[] xs, double[] ys,
                                   double[] out) {
        double qx = xs[i], qy = ys[i];
        int lanes = LANES.length();
        jdk.incubator.vector.DoubleVector one = jdk.incubator.vector.DoubleVector.broadcast(LANES, 1);
        var ax = jdk.incubator.vector.DoubleVector.zero(LANES);
        var ay = ax;
        int e = from;
        for (int bound = from + LANES.loopBound(to - from); e < bound; e += lanes) {
            var dx = jdk.incubator.vector.DoubleVector.fromArray(LANES, xs, 0, columns, e).neg().add(qx);
            var dy = jdk.incubator.vector.DoubleVector.fromArray(LANES, ys, 0, columns, e).neg().add(qy);
            var pw = jdk.incubator.vector.DoubleVector.fromArray(LANES, values, e).div(dx.fma(dx, dy.fma(dy, one)));
            ax = pw.fma(dx, ax); // P_ij w_ij (y_i − y_j)
            ay = pw.fma(dy, ay);
        }
        double sumX = Simd.sumLanes(ax), sumY = Simd.sumLanes(ay);
        for (; e < to; e++) {
            int j = columns[e];
            double dx = qx - xs[j], dy = qy - ys[j];
            double pw = values[e] / Math.fma(dx, dx, Math.fma(dy, dy, 1));
            sumX = Math.fma(pw, dx, sumX);
            sumY = Math.fma(pw, dy, sumY);
        }
        out[2 * i] = sumX;
        out[2 * i + 1] = sumY;
    }

    /** Σ_e P_ij ln(max(P_ij, eps) / max(w_ij / Z, eps)) over the stored entries [from, to) of row i. */
    private static double rowKl(int i, int from, int to, int[] columns, double[] values, double[] xs, double[] ys,
                                double exaggeration, double sumW) {
        double qx = xs[i], qy = ys[i], kl = 0;
        for (int e = from; e < to; e++) {
            int j = columns[e];
            double dx = qx - xs[j], dy = qy - ys[j];
            double w = 1 / (1 + dx * dx + dy * dy);
            double pij = exaggeration * values[e];
            if (pij > 0) {
                kl += pij * Math.log(Math.max(pij, EPS) / Math.max(w / sumW, EPS));
            }
        }
        return kl;
    }

    static double squaredDistance(double[] y, int i, int j, int dims) {
        double sum = 0;
        for (int c = 0; c < dims; c++) {
            double diff = y[i * dims + c] - y[j * dims + c];
            sum += diff * diff;
        }
        return sum;
    }

    static double sumInOrder(double[] values, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i];
        }
        return sum;
    }

    static double sumInOrder(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    private static void checkSizes(String op, int pLength, long pExpected, int yLength, int gradLength, int n, int dims) {
        if (pLength != pExpected) {
            throw new IllegalArgumentException(op + ": P has the wrong size; got " + pLength + " values, expected n * n = "
                    + pExpected);
        }
        if (yLength != (long) n * dims || gradLength != (long) n * dims) {
            throw new IllegalArgumentException(op + ": y or grad has the wrong size; got y " + yLength + " and grad "
                    + gradLength + " values, expected n * dims = " + ((long) n * dims));
        }
    }
}
