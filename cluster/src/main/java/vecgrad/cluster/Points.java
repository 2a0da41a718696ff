package vecgrad.cluster;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vecgrad.kernels.Simd;

/**
 * Read-only view of the samples [n][d] that k-means works on, in the caller's precision: float64 rows
 * are used as float64, float32 rows as float32 (half the memory traffic in the assignment pass, which
 * is bound by reading X). Centers are always held in float64; the float32 path also receives a float32
 * copy of them. The rows are not copied, so callers must not change them during a fit.
 */
abstract sealed class Points permits Points.F64, Points.F32 {
    final int n;
    final int d;

    private Points(int n, int d) {
        this.n = n;
        this.d = d;
    }

    static Points of(double[][] x) {
        return new F64(x);
    }

    static Points of(float[][] x) {
        return new F32(x);
    }

    /** Whether assignment distances are computed in float32 (so callers keep a float32 copy of the centers). */
    abstract boolean single();

    /**
     * Throws the {@code op}-named IllegalArgumentException of {@link Check#matrix} if x holds NaN or ±Inf, and
     * computes what later passes reuse (float32: the row norms). A no-op once done. The k-means passes make
     * this pass unnecessary: the first of them computes the norms as it goes, then calls {@link #confirm}.
     */
    abstract void prepare(String op);

    /**
     * After a pass over all rows that went through the assignment kernels: if that pass computed the row
     * norms, screens them (throws as {@link #prepare}) and marks the points prepared. A no-op once prepared.
     */
    abstract void confirm(String op);

    abstract double value(int i, int j);

    /** Σ_t (x[i][t] − c[cOff + t])², computed directly (not expanded), so that coinciding points give exactly 0. */
    abstract double sqDist(int i, double[] c, float[] cf, int cOff);

    /** acc[off + t] += w · x[i][t]. */
    abstract void addTo(int i, double w, double[] acc, int off);

    abstract void copyRow(int i, double[] dst, int off);

    /**
     * The centres c [k][d] (flattened float64) and cf (their float32 copy when {@link #single()}, else null) of
     * one pass, with what the assignment kernels derive from them (float32: the centre norms and packed copies).
     * Built once per pass and shared read-only by the pass's chunks, so that no chunk repeats that work.
     */
    static class Centres {
        final double[] c;
        final float[] cf;
        final int k;

        Centres(double[] c, float[] cf, int k) {
            this.c = c;
            this.cf = cf;
            this.k = k;
        }
    }

    /** The centres of a pass as {@link #assign} and the Lloyd passes use them; c and cf must not change while in use. */
    Centres centres(double[] c, float[] cf, int k) {
        return new Centres(c, cf, k);
    }

    /**
     * For rows [from, to): labels[i] = argmin_j ‖x_i − c_j‖² (lowest j on an exact tie) and
     * minDist[i] = that squared distance. c is [k][d] flattened.
     */
    final void assign(double[] c, float[] cf, int k, int from, int to, int[] labels, double[] minDist) {
        assign(centres(c, cf, k), from, to, labels, minDist);
    }

    /** {@link #assign(double[], float[], int, int, int, int[], double[])} with centres prepared for the pass. */
    abstract void assign(Centres centres, int from, int to, int[] labels, double[] minDist);

    /**
     * acc[labels[i]·d + t] += w[i]·x[i][t] and weights[labels[i]] += w[i] for rows [from, to): the sums of
     * the center update. acc [k·d] and weights [k] are float64.
     */
    abstract void accumulate(int from, int to, int[] labels, double[] w, double[] acc, double[] weights);

    /** out[(i − from)·m + j] = ‖x_i − c_j‖² for rows [from, to) and the m centers c [m, d]. */
    abstract void distances(double[] c, float[] cf, int m, int from, int to, double[] out);

    /**
     * One Lloyd pass over rows [from, to): {@link #assign} to the centers, then {@link #accumulate} the
     * assigned rows. Implementations may fuse the two so that each row is read from memory once.
     */
    void assignAndAccumulate(Centres centres, int from, int to, int[] labels, double[] minDist,
                             double[] w, double[] acc, double[] weights) {
        assign(centres, from, to, labels, minDist);
        accumulate(from, to, labels, w, acc, weights);
    }

    /**
     * A later Lloyd pass over rows [from, to) that moves the center sums instead of recomputing them. On entry
     * labels[i] is the center whose sum holds row i (the previous pass's label, after any relocation); on exit
     * it is the nearest center, with minDist as {@link #assign}. For each row whose label changed,
     * w[i]·x_i is added to acc[new·d ..] and subtracted from acc[old·d ..] (acc [k·d] is a change of the
     * sums); weights[labels[i]] += w[i] for every row (the cluster weights are recomputed, so that an emptied
     * cluster has weight exactly 0). Rows that keep their label cost no accumulation at all.
     */
    void assignAndMove(Centres centres, int from, int to, int[] labels, double[] minDist,
                       double[] w, double[] acc, double[] weights) {
        int[] old = java.util.Arrays.copyOfRange(labels, from, to);
        assign(centres, from, to, labels, minDist);
        for (int i = from; i < to; i++) {
            int now = labels[i], was = old[i - from];
            weights[now] += w[i];
            if (now != was) {
                addTo(i, w[i], acc, now * d);
                addTo(i, -w[i], acc, was * d);
            }
        }
    }

    /** Population variance of each column, averaged over the columns (scikit-learn's scale for {@code tol}). */
    double meanColumnVariance() {
        // Two row-major passes (mean, then squared deviations): cache-friendly and as accurate as per-column loops.
        double[] mean = new double[d];
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            copyRow(i, row, 0);
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            copyRow(i, row, 0);
            for (int j = 0; j < d; j++) {
                double t = row[j] - mean[j];
                sq[j] += t * t;
            }
        }
        double total = 0;
        for (int j = 0; j < d; j++) {
            total += sq[j] / n;
        }
        return total / d;
    }

    static final class F64 extends Points {
        private static final VectorSpecies<Double> S = Simd.F64;
        private final double[][] x;

        F64(double[][] x) {
            super(x.length, x[0].length);
            this.x = x;
        }

        @Override
        boolean single() {
            return false;
        }

        /** Float64 rows are screened by {@link Check#matrix} before they get here, and need no row norms. */
        @Override
        void prepare(String op) {}

        @Override
        void confirm(String op) {}

        @Override
        double value(int i, int j) {
            return x[i][j];
        }

        @Override
        double sqDist(int i, double[] c, float[] cf, int cOff) {
            double[] row = x[i];
            int t = 0;
            DoubleVector acc = DoubleVector.zero(S);
            for (int bound = S.loopBound(d); t < bound; t += S.length()) {
                DoubleVector diff = DoubleVector.fromArray(S, row, t).sub(DoubleVector.fromArray(S, c, cOff + t));
                acc = diff.fma(diff, acc);
            }
            double sum = Simd.sumLanes(acc);
            for (; t < d; t++) {
                double diff = row[t] - c[cOff + t];
                sum = Math.fma(diff, diff, sum);
            }
            return sum;
        }

        @Override
        void addTo(int i, double w, double[] acc, int off) {
            double[] row = x[i];
            for (int t = 0; t < d; t++) {
                acc[off + t] += w * row[t];
            }
        }

        @Override
        void copyRow(int i, double[] dst, int off) {
            System.arraycopy(x[i], 0, dst, off, d);
        }

        @Override
        void accumulate(int from, int to, int[] labels, double[] w, double[] acc, double[] weights) {
            int bound = S.loopBound(d);
            for (int i = from; i < to; i++) {
                double[] row = x[i];
                int off = labels[i] * d;
                double wi = w[i];
                weights[labels[i]] += wi;
                DoubleVector wv = DoubleVector.broadcast(S, wi);
                int t = 0;
                for (; t < bound; t += S.length()) {
                    DoubleVector.fromArray(S, row, t).fma(wv, DoubleVector.fromArray(S, acc, off + t))
                            .intoArray(acc, off + t);
                }
                for (; t < d; t++) {
                    acc[off + t] = Math.fma(row[t], wi, acc[off + t]);
                }
            }
        }

        @Override
        void distances(double[] c, float[] cf, int m, int from, int to, double[] out) {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < m; j++) {
                    out[(i - from) * m + j] = sqDist(i, c, cf, j * d);
                }
            }
        }

        @Override
        void assign(Centres centres, int from, int to, int[] labels, double[] minDist) {
            double[] c = centres.c;
            float[] cf = centres.cf;
            int k = centres.k;
            int lanes = S.length();
            int bound = S.loopBound(d);
            int i = from;
            // Two rows per step: each center vector loaded once serves both rows.
            for (; i + 1 < to; i += 2) {
                double[] r0 = x[i], r1 = x[i + 1];
                double best0 = Double.POSITIVE_INFINITY, best1 = Double.POSITIVE_INFINITY;
                int arg0 = 0, arg1 = 0;
                int j = 0;
                // Four centers × two rows per step: eight independent FMA chains hide the FMA latency, which
                // otherwise bounds this loop (one chain per distance waits 4 cycles per step).
                for (; j + 4 <= k; j += 4) {
                    int o0 = j * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
                    DoubleVector a00 = DoubleVector.zero(S), a01 = DoubleVector.zero(S), a02 = DoubleVector.zero(S), a03 = DoubleVector.zero(S);
                    DoubleVector a10 = DoubleVector.zero(S), a11 = DoubleVector.zero(S), a12 = DoubleVector.zero(S), a13 = DoubleVector.zero(S);
                    int t = 0;
                    for (; t < bound; t += lanes) {
                        DoubleVector x0 = DoubleVector.fromArray(S, r0, t), x1 = DoubleVector.fromArray(S, r1, t);
                        DoubleVector cv = DoubleVector.fromArray(S, c, o0 + t);
                        DoubleVector e0 = x0.sub(cv), e1 = x1.sub(cv);
                        a00 = e0.fma(e0, a00);
                        a10 = e1.fma(e1, a10);
                        cv = DoubleVector.fromArray(S, c, o1 + t);
                        e0 = x0.sub(cv);
                        e1 = x1.sub(cv);
                        a01 = e0.fma(e0, a01);
                        a11 = e1.fma(e1, a11);
                        cv = DoubleVector.fromArray(S, c, o2 + t);
                        e0 = x0.sub(cv);
                        e1 = x1.sub(cv);
                        a02 = e0.fma(e0, a02);
                        a12 = e1.fma(e1, a12);
                        cv = DoubleVector.fromArray(S, c, o3 + t);
                        e0 = x0.sub(cv);
                        e1 = x1.sub(cv);
                        a03 = e0.fma(e0, a03);
                        a13 = e1.fma(e1, a13);
                    }
                    double s00 = Simd.sumLanes(a00), s01 = Simd.sumLanes(a01);
                    double s02 = Simd.sumLanes(a02), s03 = Simd.sumLanes(a03);
                    double s10 = Simd.sumLanes(a10), s11 = Simd.sumLanes(a11);
                    double s12 = Simd.sumLanes(a12), s13 = Simd.sumLanes(a13);
                    for (; t < d; t++) {
                        double x0 = r0[t], x1 = r1[t];
                        double e;
                        e = x0 - c[o0 + t];
                        s00 = Math.fma(e, e, s00);
                        e = x0 - c[o1 + t];
                        s01 = Math.fma(e, e, s01);
                        e = x0 - c[o2 + t];
                        s02 = Math.fma(e, e, s02);
                        e = x0 - c[o3 + t];
                        s03 = Math.fma(e, e, s03);
                        e = x1 - c[o0 + t];
                        s10 = Math.fma(e, e, s10);
                        e = x1 - c[o1 + t];
                        s11 = Math.fma(e, e, s11);
                        e = x1 - c[o2 + t];
                        s12 = Math.fma(e, e, s12);
                        e = x1 - c[o3 + t];
                        s13 = Math.fma(e, e, s13);
                    }
                    // In index order with strict <, so an exact tie keeps the lower index.
                    if (s00 < best0) { best0 = s00; arg0 = j; }
                    if (s01 < best0) { best0 = s01; arg0 = j + 1; }
                    if (s02 < best0) { best0 = s02; arg0 = j + 2; }
                    if (s03 < best0) { best0 = s03; arg0 = j + 3; }
                    if (s10 < best1) { best1 = s10; arg1 = j; }
                    if (s11 < best1) { best1 = s11; arg1 = j + 1; }
                    if (s12 < best1) { best1 = s12; arg1 = j + 2; }
                    if (s13 < best1) { best1 = s13; arg1 = j + 3; }
                }
                for (; j < k; j++) {
                    int cOff = j * d;
                    DoubleVector acc0 = DoubleVector.zero(S), acc1 = DoubleVector.zero(S);
                    int t = 0;
                    for (; t < bound; t += lanes) {
                        DoubleVector cv = DoubleVector.fromArray(S, c, cOff + t);
                        DoubleVector d0 = DoubleVector.fromArray(S, r0, t).sub(cv);
                        DoubleVector d1 = DoubleVector.fromArray(S, r1, t).sub(cv);
                        acc0 = d0.fma(d0, acc0);
                        acc1 = d1.fma(d1, acc1);
                    }
                    double s0 = Simd.sumLanes(acc0), s1 = Simd.sumLanes(acc1);
                    for (; t < d; t++) {
                        double e0 = r0[t] - c[cOff + t], e1 = r1[t] - c[cOff + t];
                        s0 = Math.fma(e0, e0, s0);
                        s1 = Math.fma(e1, e1, s1);
                    }
                    if (s0 < best0) { // strict: an exact tie keeps the lower index
                        best0 = s0;
                        arg0 = j;
                    }
                    if (s1 < best1) {
                        best1 = s1;
                        arg1 = j;
                    }
                }
                labels[i] = arg0;
                minDist[i] = best0;
                labels[i + 1] = arg1;
                minDist[i + 1] = best1;
            }
            for (; i < to; i++) {
                double best = Double.POSITIVE_INFINITY;
                int arg = 0;
                for (int j = 0; j < k; j++) {
                    double s = sqDist(i, c, cf, j * d);
                    if (s < best) {
                        best = s;
                        arg = j;
                    }
                }
                labels[i] = arg;
                minDist[i] = best;
            }
        }
    }

    static final class F32 extends Points {
        private static final VectorSpecies<Float> S = Simd.F32;
        private final float[][] x;

        /** ‖x_i‖² [n] as float32 dot products (the value the expanded distances use). */
        private final float[] norms;
        /** Whether norms holds every row's norm and has been screened; until then each kernel call computes its own. */
        private volatile boolean ready;

        F32(float[][] x) {
            super(x.length, x[0].length);
            this.x = x;
            this.norms = new float[x.length];
        }

        @Override
        boolean single() {
            return true;
        }

        @Override
        void prepare(String op) {
            if (!ready) {
                vecgrad.kernels.Parallel.forEach(vecgrad.kernels.Parallel.chunks(n, KMeans.CHUNK_ROWS), chunk -> {
                    float[] scratch = new float[scratchLength()];
                    for (int i = chunk * KMeans.CHUNK_ROWS, end = Math.min(n, i + KMeans.CHUNK_ROWS); i < end; i++) {
                        norms[i] = squaredNorm(x[i], scratch);
                    }
                });
                confirm(op);
            }
        }

        @Override
        void confirm(String op) {
            if (ready) {
                return;
            }
            boolean finite = true;
            for (float v : norms) {
                finite &= Float.isFinite(v);
            }
            if (!finite) { // NaN or ±Inf in x (or squares beyond float32): the full screen names the first bad value
                Check.matrix(op, x);
            }
            ready = true;
        }

        /** ‖x_i‖²: stored once ready, else computed here and stored for {@link #confirm}. */
        private double norm(int i, float[] scratch) {
            if (ready) {
                return norms[i];
            }
            float v = squaredNorm(x[i], scratch);
            norms[i] = v;
            return v;
        }

        @Override
        double value(int i, int j) {
            return x[i][j];
        }

        @Override
        double sqDist(int i, double[] c, float[] cf, int cOff) {
            float[] row = x[i];
            int t = 0;
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(d); t < bound; t += S.length()) {
                FloatVector diff = FloatVector.fromArray(S, row, t).sub(FloatVector.fromArray(S, cf, cOff + t));
                acc = diff.fma(diff, acc);
            }
            float sum = Simd.sumLanes(acc);
            for (; t < d; t++) {
                float diff = row[t] - cf[cOff + t];
                sum = Math.fma(diff, diff, sum);
            }
            return sum;
        }

        @Override
        void addTo(int i, double w, double[] acc, int off) {
            float[] row = x[i];
            for (int t = 0; t < d; t++) {
                acc[off + t] += w * row[t];
            }
        }

        @Override
        void copyRow(int i, double[] dst, int off) {
            float[] row = x[i];
            for (int t = 0; t < d; t++) {
                dst[off + t] = row[t];
            }
        }

        /** Adds the float32 block sums of the touched centers [k][d] into the float64 sums and clears them. */
        private static void flushTouched(float[] block, boolean[] touched, double[] acc, int d) {
            for (int j = 0; j < touched.length; j++) {
                if (touched[j]) {
                    for (int t = j * d, e = t + d; t < e; t++) {
                        acc[t] += block[t];
                        block[t] = 0;
                    }
                    touched[j] = false;
                }
            }
        }

        /** Rows summed in float32 before they are added to the float64 sums, as scikit-learn's 256-row chunks. */
        static final int BLOCK_ROWS = 256;

        @Override
        void accumulate(int from, int to, int[] labels, double[] w, double[] acc, double[] weights) {
            int bound = S.loopBound(d);
            int k = weights.length;
            float[] block = new float[k * d];
            boolean[] touched = new boolean[k];
            for (int start = from; start < to; start += BLOCK_ROWS) {
                int end = Math.min(to, start + BLOCK_ROWS);
                for (int i = start; i < end; i++) {
                    float[] row = x[i];
                    int j = labels[i];
                    int off = j * d;
                    touched[j] = true;
                    weights[j] += w[i];
                    float wi = (float) w[i];
                    FloatVector wv = FloatVector.broadcast(S, wi);
                    int t = 0;
                    for (; t < bound; t += S.length()) {
                        FloatVector.fromArray(S, row, t).fma(wv, FloatVector.fromArray(S, block, off + t))
                                .intoArray(block, off + t);
                    }
                    for (; t < d; t++) {
                        block[off + t] = Math.fma(row[t], wi, block[off + t]);
                    }
                }
                flushTouched(block, touched, acc, d);
            }
        }

        /**
         * Float32 assignment through the expanded form ‖x‖² − 2·x·c + ‖c‖², as scikit-learn does for float32:
         * one FMA per element and center instead of a subtraction and an FMA, which halves the vector work
         * of the pass that dominates k-means. Dot products are float32, the combination float64.
         */
        /**
         * The float32 centres of a pass: their norms ‖c_j‖² and the kernel chosen by {@link #centreLanesWin}
         * with its packed centres.
         */
        final class Prepared extends Centres {
            final double[] cc;
            final CentreLanes lanes;
            final QuadLayout quad;

            Prepared(double[] c, float[] cf, int k) {
                super(c, cf, k);
                this.cc = squaredNorms(c, k);
                this.lanes = centreLanesWin(k) ? new CentreLanes(cf, cc, k, d) : null;
                this.quad = lanes == null && k >= QUAD_WIDE ? new QuadLayout(cf, cc, k, d) : null;
            }
        }

        @Override
        Centres centres(double[] c, float[] cf, int k) {
            return new Prepared(c, cf, k);
        }

        @Override
        void assign(Centres centres, int from, int to, int[] labels, double[] minDist) {
            Nearest near = new Nearest((Prepared) centres);
            for (int i = from; i < to; ) {
                i += near.rows(i, to, labels, minDist);
            }
        }

        /** Package-private switch for A/B measurements of the two assignment kernels in one JVM (tests, benchmarks). */
        static boolean centreLanesEnabled = true;

        /**
         * The one rule that chooses the assignment kernel: {@link CentreLanes} (centres in the lanes) when the k
         * centres fill at least 3/4 of the lanes of the vectors they occupy, else the 4-row × 5-centre dot products
         * with lane folding (d in the lanes). The center-lane loop runs near one FMA per cycle but wastes the
         * lanes beyond k; the d-lane blocks use every lane but run at a lower FMA rate (folding, finish). Measured on Fashion-MNIST 60000×784, one thread, a whole
         * assignment pass over x (CPU time, median of 10-24 interleaved runs, loaded 2-vCPU machine), centre lanes
         * / d lanes: k = 10 1.05 (31.0 vs 29.4 ms: 10 of 16 lanes), k = 12 0.84, k = 14 0.81, k = 16 0.79 (31.7 vs
         * 40.1 ms), k = 24 0.97, k = 28 0.76, k = 32 0.79 (45.5 vs 57.8 ms); in-cache rows k = 5 2.4.
         */
        static boolean centreLanesWin(int k) {
            int lanes = S.length();
            int occupied = (k + lanes - 1) / lanes * lanes;
            return centreLanesEnabled && 4 * k >= 3 * occupied;
        }

        /** Per-call state of the assignment passes: the chosen kernel, its packed centres and scratch. */
        private final class Nearest {
            /** Most rows a call of {@link #rows} assigns. */
            static final int MAX_ROWS = Math.max(QUAD, CentreLanes.ROWS);

            final float[] cf;
            final double[] cc;
            final int k;
            final CentreLanes lanes;
            final double[] dist;
            final float[] scratch = new float[scratchLength()];
            final float[] laneScratch;
            final float[] xx = new float[CentreLanes.ROWS];
            final QuadBlocks quad;

            Nearest(Prepared centres) {
                this.cf = centres.cf;
                this.cc = centres.cc;
                this.k = centres.k;
                this.lanes = centres.lanes;
                this.dist = lanes == null ? new double[QUAD * k] : null;
                this.laneScratch = lanes == null ? null : new float[lanes.scratchLength()];
                this.quad = centres.quad == null ? null : new QuadBlocks(centres.quad);
            }

            /**
             * Assigns the next rows from i (at most {@link #MAX_ROWS}, none at or past {@code to}): labels and
             * minDist as {@link Points#assign}; returns the number of rows.
             */
            int rows(int i, int to, int[] labels, double[] minDist) {
                if (lanes != null) {
                    int rows = Math.min(CentreLanes.ROWS, to - i);
                    for (int r = 0; r < rows; r++) {
                        xx[r] = (float) norm(i + r, scratch);
                    }
                    lanes.nearest(x, i, rows, xx, labels, minDist, laneScratch);
                    return rows;
                }
                if (quad != null && to - i >= QUAD) {
                    quad.nearest(i, dist, scratch, labels, minDist);
                    return QUAD;
                }
                int rows = distancesOfRows(i, to, cf, cc, k, dist, scratch);
                for (int r = 0; r < rows; r++) {
                    double best = Double.POSITIVE_INFINITY;
                    int arg = 0;
                    for (int j = 0; j < k; j++) {
                        if (dist[r * k + j] < best) { // strict: an exact tie keeps the lower index
                            best = dist[r * k + j];
                            arg = j;
                        }
                    }
                    labels[i + r] = arg;
                    minDist[i + r] = best;
                }
                return rows;
            }
        }

        /**
         * The four-row steps of {@link Nearest} for k ≥ {@link #QUAD_WIDE}, per pass: the centres of the blocks of five are
         * packed so that each step of the dot-product loop reads five consecutive vectors, the 4 rows × blocked
         * centres accumulators of all blocks are stored where one {@link LaneFold#fold} leaves their sums in
         * centre-major order (p = j·4 + r), and the distances ‖x‖² − 2·x·c + ‖c‖² are formed from those sums in
         * float64 vectors. Before (one fold per block, distances one at a time) that finishing work was about a
         * quarter of the in-cache time of a pass on Fashion-MNIST (K = 10). The dot products, their fold order
         * and the float64 formula are those of {@link #expandedDistances}, so the distances are bit-identical.
         */
        static final class QuadLayout {
            final float[] cf;
            final double[] cc;
            final int k;
            /** Centres in the blocks of five (the rest, k mod 5, go through the pair kernels). */
            final int blocked;
            /** Sums of the blocks, p = j·4 + r for j < blocked. */
            final int sums;
            /** [blocked / 5][loopBound(d) / L][5][L]: the five centres of a block side by side per vector step. */
            final float[] packed;
            /** Where the accumulator of sum p is stored: LaneFold then leaves that sum at fold[p]. */
            final int[] slot;
            /** Vector cells of the fold input that no accumulator uses (zeroed before every fold). */
            final int[] unused;
            final int foldCount;
            /** ‖c_j‖² at p = j·4 + r. */
            final double[] ccLanes;

            QuadLayout(float[] cf, double[] cc, int k, int d) {
                this.cf = cf;
                this.cc = cc;
                this.k = k;
                int lanes = S.length(), bound = S.loopBound(d);
                this.blocked = k / QUAD_WIDE * QUAD_WIDE;
                this.sums = QUAD * blocked;
                this.packed = new float[blocked * bound];
                for (int j = 0; j < blocked; j++) {
                    int block = j / QUAD_WIDE, u = j % QUAD_WIDE;
                    for (int t = 0; t < bound; t += lanes) {
                        System.arraycopy(cf, j * d + t, packed,
                                block * QUAD_WIDE * bound + t * QUAD_WIDE + u * lanes, lanes);
                    }
                }
                this.slot = new int[sums];
                int count = 0;
                for (int p = 0; p < sums; p++) {
                    int v = LaneFold.floatPosition(p); // the position map is its own inverse within a vector
                    slot[p] = v * lanes;
                    count = Math.max(count, v + 1);
                }
                this.foldCount = count;
                boolean[] used = new boolean[count];
                for (int p = 0; p < sums; p++) {
                    used[slot[p] / lanes] = true;
                }
                int free = 0;
                for (boolean u : used) {
                    free += u ? 0 : 1;
                }
                this.unused = new int[free];
                for (int v = 0, f = 0; v < count; v++) {
                    if (!used[v]) {
                        unused[f++] = v * lanes;
                    }
                }
                this.ccLanes = new double[sums];
                for (int p = 0; p < sums; p++) {
                    ccLanes[p] = cc[p / QUAD];
                }
            }
        }

        /**
         * A thread's scratch for the four-row steps of {@link QuadLayout} (whose fields a step reads into locals once).
         */
        private final class QuadBlocks {
            private static final VectorSpecies<Double> D = Simd.F64;
            /** Float species with as many lanes as D: its vectors convert to one float64 vector each. */
            private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class,
                    jdk.incubator.vector.VectorShape.forBitSize(Simd.BITS / 2));

            final QuadLayout layout;
            final float[] fold;
            /** The row norms repeated every four cells. */
            final double[] xxLanes = new double[Math.max(QUAD, D.length())];
            /** Distances of the blocked centres, p order. */
            final double[] quadDist;

            QuadBlocks(QuadLayout layout) {
                this.layout = layout;
                this.fold = new float[Math.max(layout.foldCount * S.length(), layout.sums + D.length())];
                this.quadDist = new double[layout.sums];
            }

            /** labels and minDist of rows i .. i + 3 ({@link Points#assign}); rest holds [4][k] scratch distances. */
            void nearest(int i, double[] rest, float[] scratch, int[] labels, double[] minDist) {
                float[] cf = layout.cf, packed = layout.packed;
                double[] cc = layout.cc, ccLanes = layout.ccLanes;
                int k = layout.k, blocked = layout.blocked, sums = layout.sums, foldCount = layout.foldCount;
                int[] slot = layout.slot, unused = layout.unused;
                float[] r0 = x[i], r1 = x[i + 1], r2 = x[i + 2], r3 = x[i + 3];
                double xx0 = norm(i, scratch), xx1 = norm(i + 1, scratch);
                double xx2 = norm(i + 2, scratch), xx3 = norm(i + 3, scratch);
                int bound = S.loopBound(d);
                for (int b = 0, o = 0; b < blocked; b += QUAD_WIDE, o += QUAD_WIDE * bound) {
                    dotsQuad(r0, r1, r2, r3, packed, o, fold, slot, b * QUAD);
                }
                for (int cell : unused) {
                    FloatVector.zero(S).intoArray(fold, cell);
                }
                LaneFold.fold(fold, foldCount);
                if (bound < d) { // the scalar tail of every dot product, added after its vector sum as in finish
                    for (int p = 0; p < sums; p++) {
                        int r = p % QUAD, o = p / QUAD * d;
                        float[] row = r == 0 ? r0 : r == 1 ? r1 : r == 2 ? r2 : r3;
                        float f = fold[p];
                        for (int t = bound; t < d; t++) {
                            f = Math.fma(row[t], cf[o + t], f);
                        }
                        fold[p] = f;
                    }
                }
                for (int q = 0; q < xxLanes.length; q++) {
                    int r = q % QUAD;
                    xxLanes[q] = r == 0 ? xx0 : r == 1 ? xx1 : r == 2 ? xx2 : xx3;
                }
                int dl = D.length();
                int p = 0;
                for (; p + dl <= sums; p += dl) {
                    DoubleVector f = (DoubleVector) FloatVector.fromArray(HALF, fold, p)
                            .convertShape(VectorOperators.F2D, D, 0);
                    DoubleVector.fromArray(D, xxLanes, p % QUAD).sub(f.mul(2.0))
                            .add(DoubleVector.fromArray(D, ccLanes, p)).max(0.0).intoArray(quadDist, p);
                }
                for (; p < sums; p++) {
                    quadDist[p] = Math.max(0, xxLanes[p % QUAD] - 2.0 * fold[p] + ccLanes[p]);
                }
                int j = blocked;
                for (; j + NARROW <= k; j += NARROW) {
                    dotsNarrow(r0, r1, cf, j * d, scratch);
                    finish(r0, r1, cf, j, NARROW, xx0, xx1, cc, k, rest, scratch, 0);
                    dotsNarrow(r2, r3, cf, j * d, scratch);
                    finish(r2, r3, cf, j, NARROW, xx2, xx3, cc, k, rest, scratch, 2 * k);
                }
                for (; j < k; j++) {
                    dotsOne(r0, r1, cf, j * d, scratch);
                    finish(r0, r1, cf, j, 1, xx0, xx1, cc, k, rest, scratch, 0);
                    dotsOne(r2, r3, cf, j * d, scratch);
                    finish(r2, r3, cf, j, 1, xx2, xx3, cc, k, rest, scratch, 2 * k);
                }
                for (int r = 0; r < QUAD; r++) {
                    double best = Double.POSITIVE_INFINITY;
                    int arg = 0;
                    for (int c = 0, at = r; c < blocked; c++, at += QUAD) {
                        double v = quadDist[at];
                        if (v < best) { // strict: an exact tie keeps the lower index
                            best = v;
                            arg = c;
                        }
                    }
                    for (int c = blocked; c < k; c++) {
                        double v = rest[r * k + c];
                        if (v < best) {
                            best = v;
                            arg = c;
                        }
                    }
                    labels[i + r] = arg;
                    minDist[i + r] = best;
                }
            }
        }

        @Override
        void distances(double[] c, float[] cf, int m, int from, int to, double[] out) {
            double[] cc = squaredNorms(c, m);
            double[] pair = new double[2 * m];
            float[] scratch = new float[scratchLength()];
            for (int i = from; i < to; i += 2) {
                int rows = Math.min(2, to - i);
                expandedDistances(i, rows, cf, cc, m, pair, scratch);
                System.arraycopy(pair, 0, out, (i - from) * m, rows * m);
            }
        }

        /** Fused: each step's rows are added to the float32 block sums right after their assignment, while in L1. */
        @Override
        void assignAndAccumulate(Centres centres, int from, int to, int[] labels, double[] minDist,
                                 double[] w, double[] acc, double[] weights) {
            Nearest near = new Nearest((Prepared) centres);
            int k = centres.k;
            float[] block = new float[k * d];
            int lanes = S.length();
            int bound = S.loopBound(d);
            for (int blockStart = from; blockStart < to; blockStart += BLOCK_ROWS) {
                int blockEnd = Math.min(to, blockStart + BLOCK_ROWS);
                for (int i = blockStart, rows; i < blockEnd; i += rows) {
                    rows = near.rows(i, blockEnd, labels, minDist);
                    for (int r = 0; r < rows; r++) {
                        int arg = labels[i + r];
                        weights[arg] += w[i + r];
                        float[] row = x[i + r];
                        int off = arg * d;
                        FloatVector wv = FloatVector.broadcast(S, (float) w[i + r]);
                        int t = 0;
                        for (; t < bound; t += lanes) {
                            FloatVector.fromArray(S, row, t).fma(wv, FloatVector.fromArray(S, block, off + t))
                                    .intoArray(block, off + t);
                        }
                        for (; t < d; t++) {
                            block[off + t] = Math.fma(row[t], (float) w[i + r], block[off + t]);
                        }
                    }
                }
                for (int t = 0; t < k * d; t++) {
                    acc[t] += block[t];
                    block[t] = 0;
                }
            }
        }

        /**
         * Fused {@link Points#assignAndMove}: a row that changes its label is added to its new center's and
         * subtracted from its old center's float32 block change while it is in L1; the block changes go to the
         * float64 acc every {@link #BLOCK_ROWS} rows, as the sums of {@link #assignAndAccumulate} do.
         */
        @Override
        void assignAndMove(Centres centres, int from, int to, int[] labels, double[] minDist,
                           double[] w, double[] acc, double[] weights) {
            Nearest near = new Nearest((Prepared) centres);
            int k = centres.k;
            int[] previous = new int[Nearest.MAX_ROWS];
            float[] block = new float[k * d];
            boolean[] touched = new boolean[k];
            int lanes = S.length();
            int bound = S.loopBound(d);
            for (int blockStart = from; blockStart < to; blockStart += BLOCK_ROWS) {
                int blockEnd = Math.min(to, blockStart + BLOCK_ROWS);
                for (int i = blockStart, rows; i < blockEnd; i += rows) {
                    System.arraycopy(labels, i, previous, 0, Math.min(Nearest.MAX_ROWS, blockEnd - i));
                    rows = near.rows(i, blockEnd, labels, minDist);
                    for (int r = 0; r < rows; r++) {
                        int arg = labels[i + r], was = previous[r];
                        weights[arg] += w[i + r];
                        if (arg == was) {
                            continue;
                        }
                        touched[arg] = true;
                        touched[was] = true;
                        float[] row = x[i + r];
                        float wi = (float) w[i + r];
                        int add = arg * d, sub = was * d;
                        FloatVector plus = FloatVector.broadcast(S, wi), minus = FloatVector.broadcast(S, -wi);
                        int t = 0;
                        for (; t < bound; t += lanes) {
                            FloatVector v = FloatVector.fromArray(S, row, t);
                            v.fma(plus, FloatVector.fromArray(S, block, add + t)).intoArray(block, add + t);
                            v.fma(minus, FloatVector.fromArray(S, block, sub + t)).intoArray(block, sub + t);
                        }
                        for (; t < d; t++) {
                            block[add + t] = Math.fma(row[t], wi, block[add + t]);
                            block[sub + t] = Math.fma(row[t], -wi, block[sub + t]);
                        }
                    }
                }
                flushTouched(block, touched, acc, d);
            }
        }

        /** ‖c_j‖² in float64 of the centers c [m, d]. */
        double[] squaredNorms(double[] c, int m) {
            double[] cc = new double[m];
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int t = j * d, e = t + d; t < e; t++) {
                    double v = (float) c[t]; // the float32 center the dot products see
                    sum += v * v;
                }
                cc[j] = sum;
            }
            return cc;
        }
        /**
         * out[r·m + j] = max(0, ‖x_{i+r}‖² − 2·x_{i+r}·c_j + ‖c_j‖²) for rows i and i + 1 (rows = 2; with rows = 1
         * row i is used twice), centers cf [m, d] with squared norms cc [m]; out holds 2·m values. scratch holds
         * {@link #scratchLength()} cells.
         */
        void expandedDistances(int i, int rows, float[] cf, double[] cc, int m, double[] out, float[] scratch) {
            float[] r0 = x[i], r1 = rows == 2 ? x[i + 1] : x[i];
            double xx0 = norm(i, scratch), xx1 = rows == 2 ? norm(i + 1, scratch) : xx0;
            int j = 0;
            for (; j + WIDE <= m; j += WIDE) {
                dotsWide(r0, r1, cf, j * d, scratch);
                finish(r0, r1, cf, j, WIDE, xx0, xx1, cc, m, out, scratch, 0);
            }
            for (; j + NARROW <= m; j += NARROW) {
                dotsNarrow(r0, r1, cf, j * d, scratch);
                finish(r0, r1, cf, j, NARROW, xx0, xx1, cc, m, out, scratch, 0);
            }
            for (; j < m; j++) {
                dotsOne(r0, r1, cf, j * d, scratch);
                finish(r0, r1, cf, j, 1, xx0, xx1, cc, m, out, scratch, 0);
            }
        }

        /*
         * No loads of rows ahead of use ("touches"). On this machine (2 vCPUs, Fashion-MNIST 60000×784, K = 10) a
         * pass over x costs its arithmetic plus the time to stream x from memory, whatever is done to overlap the
         * two: touching one float per cache line of the rows 2, 8 or 32 rows ahead, touching a whole block of rows
         * before computing on it, or nothing, all left the memory part at 15-20 ms of one thread's time per pass
         * (a touch that misses stalls the core like any load), and the touches' own loads made the assignment pass
         * about 2.5 ms slower (29.4 vs 32 ms of thread CPU time, one thread, median of 5, loaded machine).
         * Re-measured with the raw 4-row dot-product loops alone (one thread, 60000 rows, medians of 5): 22.4 ms
         * untouched; one or two 512-bit vector touches per loop step for the rows 4, 8 or 16 ahead 26-28 ms; four
         * scalar touches per step of the second centre block for the next four rows 23-31 ms; a tight vector
         * read of the current four rows before their blocks 23.8 ms (no gain). A plain two-thread read of x takes
         * 6.8 ms, one thread's 14.7 ms: each core streams at about 13 GB/s, and the assignment loop adds its
         * arithmetic to that rather than hiding it.
         */

        /** Rows per step of the assignment passes. */
        static final int QUAD = 4;
        /** Centers per block of a four-row step: 4 rows × 5 centers are twenty FMA chains for nine loads. */
        static final int QUAD_WIDE = 5;

        /**
         * Distances of rows i .. i + rows − 1 (four rows while four remain before {@code to}, else at most two) to the
         * m centers into out[r·m + j], as {@link #expandedDistances}; returns rows.
         */
        private int distancesOfRows(int i, int to, float[] cf, double[] cc, int m, double[] out, float[] scratch) {
            if (to - i >= QUAD) {
                quadDistances(i, cf, cc, m, out, scratch);
                return QUAD;
            }
            int rows = Math.min(2, to - i);
            expandedDistances(i, rows, cf, cc, m, out, scratch);
            return rows;
        }

        /**
         * {@link #expandedDistances} for the four rows i .. i + 3 when k < {@link #QUAD_WIDE} (larger k go through
         * {@link QuadBlocks}): pair blocks of {@link #NARROW} centres, then single centres.
         */
        private void quadDistances(int i, float[] cf, double[] cc, int m, double[] out, float[] scratch) {
            float[] r0 = x[i], r1 = x[i + 1], r2 = x[i + 2], r3 = x[i + 3];
            double xx0 = norm(i, scratch), xx1 = norm(i + 1, scratch);
            double xx2 = norm(i + 2, scratch), xx3 = norm(i + 3, scratch);
            int j = 0;
            for (; j + NARROW <= m; j += NARROW) {
                dotsNarrow(r0, r1, cf, j * d, scratch);
                finish(r0, r1, cf, j, NARROW, xx0, xx1, cc, m, out, scratch, 0);
                dotsNarrow(r2, r3, cf, j * d, scratch);
                finish(r2, r3, cf, j, NARROW, xx2, xx3, cc, m, out, scratch, 2 * m);
            }
            for (; j < m; j++) {
                dotsOne(r0, r1, cf, j * d, scratch);
                finish(r0, r1, cf, j, 1, xx0, xx1, cc, m, out, scratch, 0);
                dotsOne(r2, r3, cf, j * d, scratch);
                finish(r2, r3, cf, j, 1, xx2, xx3, cc, m, out, scratch, 2 * m);
            }
        }

        /**
         * Dot products of rows r0 .. r3 with the {@link #QUAD_WIDE} centres packed at packed[o ..] (five vectors
         * per step, {@link QuadBlocks#packed}), vector-wise: the accumulator of row r and centre u is stored at
         * scratch[slot[base + 4·u + r]].
         */
        private void dotsQuad(float[] r0, float[] r1, float[] r2, float[] r3, float[] packed, int o, float[] scratch,
                              int[] slot, int base) {
            int lanes = S.length();
            int bound = S.loopBound(d);
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S);
            FloatVector a03 = FloatVector.zero(S), a04 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S);
            FloatVector a13 = FloatVector.zero(S), a14 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S);
            FloatVector a23 = FloatVector.zero(S), a24 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S);
            FloatVector a33 = FloatVector.zero(S), a34 = FloatVector.zero(S);
            for (int t = 0, c = o; t < bound; t += lanes, c += QUAD_WIDE * lanes) {
                FloatVector x0 = FloatVector.fromArray(S, r0, t), x1 = FloatVector.fromArray(S, r1, t);
                FloatVector x2 = FloatVector.fromArray(S, r2, t), x3 = FloatVector.fromArray(S, r3, t);
                FloatVector cv = FloatVector.fromArray(S, packed, c);
                a00 = x0.fma(cv, a00);
                a10 = x1.fma(cv, a10);
                a20 = x2.fma(cv, a20);
                a30 = x3.fma(cv, a30);
                cv = FloatVector.fromArray(S, packed, c + 1 * lanes);
                a01 = x0.fma(cv, a01);
                a11 = x1.fma(cv, a11);
                a21 = x2.fma(cv, a21);
                a31 = x3.fma(cv, a31);
                cv = FloatVector.fromArray(S, packed, c + 2 * lanes);
                a02 = x0.fma(cv, a02);
                a12 = x1.fma(cv, a12);
                a22 = x2.fma(cv, a22);
                a32 = x3.fma(cv, a32);
                cv = FloatVector.fromArray(S, packed, c + 3 * lanes);
                a03 = x0.fma(cv, a03);
                a13 = x1.fma(cv, a13);
                a23 = x2.fma(cv, a23);
                a33 = x3.fma(cv, a33);
                cv = FloatVector.fromArray(S, packed, c + 4 * lanes);
                a04 = x0.fma(cv, a04);
                a14 = x1.fma(cv, a14);
                a24 = x2.fma(cv, a24);
                a34 = x3.fma(cv, a34);
            }
a00.intoArray(scratch, slot[base + 0]);
            a01.intoArray(scratch, slot[base + 4]);
            a02.intoArray(scratch, slot[base + 8]);
            a03.intoArray(scratch, slot[base + 12]);
            a04.intoArray(scratch, slot[base + 16]);
            a10.intoArray(scratch, slot[base + 1]);
            a11.intoArray(scratch, slot[base + 5]);
            a12.intoArray(scratch, slot[base + 9]);
            a13.intoArray(scratch, slot[base + 13]);
            a14.intoArray(scratch, slot[base + 17]);
            a20.intoArray(scratch, slot[base + 2]);
            a21.intoArray(scratch, slot[base + 6]);
            a22.intoArray(scratch, slot[base + 10]);
            a23.intoArray(scratch, slot[base + 14]);
            a24.intoArray(scratch, slot[base + 18]);
            a30.intoArray(scratch, slot[base + 3]);
            a31.intoArray(scratch, slot[base + 7]);
            a32.intoArray(scratch, slot[base + 11]);
            a33.intoArray(scratch, slot[base + 15]);
            a34.intoArray(scratch, slot[base + 19]);
        }

        /** Centers per wide block: 2 rows × 10 centers are twenty independent FMA chains, each loaded vector used twice or ten times. */
        static final int WIDE = 10;
        /** Centers per narrow block (k-means++ trials, remainders): eight chains. */
        static final int NARROW = 4;

        /** Scratch cells {@link #expandedDistances} needs. */
        static int scratchLength() {
            return LaneFold.floatScratch(Math.max(2 * WIDE, QUAD * QUAD_WIDE));
        }

        /**
         * Folds the 2·count accumulators left in scratch by a dots method (row 0's count, then row 1's), adds the
         * scalar tail t ≥ loopBound(d) and writes the distances of centers [j, j + count) at out[base ..] (row 0)
         * and out[base + m ..] (row 1).
         */
        private void finish(float[] r0, float[] r1, float[] cf, int j, int count, double xx0, double xx1, double[] cc,
                            int m, double[] out, float[] scratch, int base) {
            LaneFold.fold(scratch, 2 * count);
            int bound = S.loopBound(d);
            for (int u = 0; u < count; u++) {
                float f0 = scratch[LaneFold.floatPosition(u)], f1 = scratch[LaneFold.floatPosition(count + u)];
                int o = (j + u) * d;
                for (int t = bound; t < d; t++) {
                    f0 = Math.fma(r0[t], cf[o + t], f0);
                    f1 = Math.fma(r1[t], cf[o + t], f1);
                }
                out[base + j + u] = Math.max(0, xx0 - 2.0 * f0 + cc[j + u]);
                out[base + m + j + u] = Math.max(0, xx1 - 2.0 * f1 + cc[j + u]);
            }
        }

        /**
         * Dot products of rows r0, r1 with the WIDE centers at cf[o ..], vector-wise: the 2·WIDE accumulators are
         * stored to scratch (row 0's first). Kept apart from the fold so that this loop compiles small, with every vector in a register.
         */
        private void dotsWide(float[] r0, float[] r1, float[] cf, int o, float[] scratch) {
            int lanes = S.length();
            int bound = S.loopBound(d);
            int o0 = o, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d, o4 = o3 + d;
            int o5 = o4 + d, o6 = o5 + d, o7 = o6 + d, o8 = o7 + d, o9 = o8 + d;
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S);
            FloatVector a03 = FloatVector.zero(S), a04 = FloatVector.zero(S), a05 = FloatVector.zero(S);
            FloatVector a06 = FloatVector.zero(S), a07 = FloatVector.zero(S), a08 = FloatVector.zero(S);
            FloatVector a09 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S);
            FloatVector a13 = FloatVector.zero(S), a14 = FloatVector.zero(S), a15 = FloatVector.zero(S);
            FloatVector a16 = FloatVector.zero(S), a17 = FloatVector.zero(S), a18 = FloatVector.zero(S);
            FloatVector a19 = FloatVector.zero(S);
            for (int t = 0; t < bound; t += lanes) {
                FloatVector x0 = FloatVector.fromArray(S, r0, t), x1 = FloatVector.fromArray(S, r1, t);
                FloatVector cv = FloatVector.fromArray(S, cf, o0 + t);
                a00 = x0.fma(cv, a00);
                a10 = x1.fma(cv, a10);
                cv = FloatVector.fromArray(S, cf, o1 + t);
                a01 = x0.fma(cv, a01);
                a11 = x1.fma(cv, a11);
                cv = FloatVector.fromArray(S, cf, o2 + t);
                a02 = x0.fma(cv, a02);
                a12 = x1.fma(cv, a12);
                cv = FloatVector.fromArray(S, cf, o3 + t);
                a03 = x0.fma(cv, a03);
                a13 = x1.fma(cv, a13);
                cv = FloatVector.fromArray(S, cf, o4 + t);
                a04 = x0.fma(cv, a04);
                a14 = x1.fma(cv, a14);
                cv = FloatVector.fromArray(S, cf, o5 + t);
                a05 = x0.fma(cv, a05);
                a15 = x1.fma(cv, a15);
                cv = FloatVector.fromArray(S, cf, o6 + t);
                a06 = x0.fma(cv, a06);
                a16 = x1.fma(cv, a16);
                cv = FloatVector.fromArray(S, cf, o7 + t);
                a07 = x0.fma(cv, a07);
                a17 = x1.fma(cv, a17);
                cv = FloatVector.fromArray(S, cf, o8 + t);
                a08 = x0.fma(cv, a08);
                a18 = x1.fma(cv, a18);
                cv = FloatVector.fromArray(S, cf, o9 + t);
                a09 = x0.fma(cv, a09);
                a19 = x1.fma(cv, a19);
            }
            a00.intoArray(scratch, 0);
            a01.intoArray(scratch, lanes);
            a02.intoArray(scratch, 2 * lanes);
            a03.intoArray(scratch, 3 * lanes);
            a04.intoArray(scratch, 4 * lanes);
            a05.intoArray(scratch, 5 * lanes);
            a06.intoArray(scratch, 6 * lanes);
            a07.intoArray(scratch, 7 * lanes);
            a08.intoArray(scratch, 8 * lanes);
            a09.intoArray(scratch, 9 * lanes);
            a10.intoArray(scratch, 10 * lanes);
            a11.intoArray(scratch, 11 * lanes);
            a12.intoArray(scratch, 12 * lanes);
            a13.intoArray(scratch, 13 * lanes);
            a14.intoArray(scratch, 14 * lanes);
            a15.intoArray(scratch, 15 * lanes);
            a16.intoArray(scratch, 16 * lanes);
            a17.intoArray(scratch, 17 * lanes);
            a18.intoArray(scratch, 18 * lanes);
            a19.intoArray(scratch, 19 * lanes);
        }

        /** {@link #dotsWide} for NARROW centers. */
        private void dotsNarrow(float[] r0, float[] r1, float[] cf, int o, float[] scratch) {
            int lanes = S.length();
            int bound = S.loopBound(d);
            int o0 = o, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S);
            FloatVector a03 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S);
            FloatVector a13 = FloatVector.zero(S);
            for (int t = 0; t < bound; t += lanes) {
                FloatVector x0 = FloatVector.fromArray(S, r0, t), x1 = FloatVector.fromArray(S, r1, t);
                FloatVector cv = FloatVector.fromArray(S, cf, o0 + t);
                a00 = x0.fma(cv, a00);
                a10 = x1.fma(cv, a10);
                cv = FloatVector.fromArray(S, cf, o1 + t);
                a01 = x0.fma(cv, a01);
                a11 = x1.fma(cv, a11);
                cv = FloatVector.fromArray(S, cf, o2 + t);
                a02 = x0.fma(cv, a02);
                a12 = x1.fma(cv, a12);
                cv = FloatVector.fromArray(S, cf, o3 + t);
                a03 = x0.fma(cv, a03);
                a13 = x1.fma(cv, a13);
            }
            a00.intoArray(scratch, 0);
            a01.intoArray(scratch, lanes);
            a02.intoArray(scratch, 2 * lanes);
            a03.intoArray(scratch, 3 * lanes);
            a10.intoArray(scratch, 4 * lanes);
            a11.intoArray(scratch, 5 * lanes);
            a12.intoArray(scratch, 6 * lanes);
            a13.intoArray(scratch, 7 * lanes);
        }

        /** {@link #dotsWide} for one center (two chains: only for the last k mod 4 centers). */
        private void dotsOne(float[] r0, float[] r1, float[] cf, int o, float[] scratch) {
            int lanes = S.length();
            int bound = S.loopBound(d);
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
            for (int t = 0; t < bound; t += lanes) {
                FloatVector cv = FloatVector.fromArray(S, cf, o + t);
                a0 = FloatVector.fromArray(S, r0, t).fma(cv, a0);
                a1 = FloatVector.fromArray(S, r1, t).fma(cv, a1);
            }
            a0.intoArray(scratch, 0);
            a1.intoArray(scratch, lanes);
        }

        /**
         * Σ_t row[t]² in float32: vector accumulation, lanes summed in {@link Simd#sumLanes}'s order (scratch
         * holds at least one vector), then the scalar tail. The one definition of a row norm, wherever it is computed.
         */
        private float squaredNorm(float[] row, float[] scratch) {
            int lanes = S.length();
            // Four chains so that the FMA latency does not bound the loop; combined in a fixed order.
            FloatVector acc = FloatVector.zero(S), acc1 = FloatVector.zero(S);
            FloatVector acc2 = FloatVector.zero(S), acc3 = FloatVector.zero(S);
            int t = 0;
            for (int bound = d - 4 * lanes; t <= bound; t += 4 * lanes) {
                FloatVector v0 = FloatVector.fromArray(S, row, t), v1 = FloatVector.fromArray(S, row, t + lanes);
                FloatVector v2 = FloatVector.fromArray(S, row, t + 2 * lanes);
                FloatVector v3 = FloatVector.fromArray(S, row, t + 3 * lanes);
                acc = v0.fma(v0, acc);
                acc1 = v1.fma(v1, acc1);
                acc2 = v2.fma(v2, acc2);
                acc3 = v3.fma(v3, acc3);
            }
            for (int bound = S.loopBound(d); t < bound; t += lanes) {
                FloatVector v = FloatVector.fromArray(S, row, t);
                acc = v.fma(v, acc);
            }
            acc = acc.add(acc1).add(acc2.add(acc3));
            acc.intoArray(scratch, 0);
            LaneFold.fold(scratch, 1);
            float sum = scratch[LaneFold.floatPosition(0)];
            for (; t < d; t++) {
                sum = Math.fma(row[t], row[t], sum);
            }
            return sum;
        }
    }
}
