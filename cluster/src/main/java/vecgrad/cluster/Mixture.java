package vecgrad.cluster;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vecgrad.kernels.ElementwiseKernels;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.Simd;

/**
 * Parameters of a Gaussian mixture with precomputed precision factors, and the E and M steps on samples
 * x [n, d] (flat, row-major, float64).
 *
 * <p>Each component's density is evaluated through a factor W of its precision Λ = W·Wᵀ:
 * log N(x | μ, Σ) = −½·d·log 2π + log det W − ½·‖(x − μ)ᵀ·W‖². From a covariance Σ = L·Lᵀ (Cholesky),
 * W = (L⁻¹)ᵀ, which is scikit-learn's {@code precisions_cholesky_}; from a given precision, W is its
 * own lower Cholesky factor. The full-covariance E step evaluates {@code ‖x·W − μ·W‖²} (scikit-learn's
 * formula) four samples at a time with x·W over only the non-zero rows of the triangular W and the products
 * kept in registers (about d²/2 FMAs per sample and component); the tied type takes x·W for a tile of
 * {@link #TILE} samples from one GEMM. The M step forms each scatter matrix Σ r·(x − μ)(x − μ)ᵀ from tiles of
 * √r·(x − μ), per row chunk in parallel with the components inner, on the upper block triangle. The k
 * per-sample quadratic forms are lane-summed together ({@link LaneFold}) and the exponentials of the
 * log-sum-exp go through the kernels' vectorized exp, both independent of JIT state.
 */
final class Mixture {
    static final String OP = "gaussian_mixture";
    /** Samples per E-step tile (tied: one GEMM of [TILE, d] products per tile). */
    static final int TILE = 256;
    /**
     * Samples per parallel E-step chunk; fixed by problem size so sums combine in the same order for any thread
     * count, and small enough that 60,000 samples make 30 chunks (an even split over two threads).
     */
    static final int CHUNK_ROWS = 2048;
    /** sklearn adds 10·eps to each N_k to avoid 0/0 for an empty component. */
    static final double NK_FLOOR = 10 * Math.ulp(1.0);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final VectorSpecies<Double> S = Simd.F64;
    /** Rows per parallel chunk of the M step's sums (partial sums combined in chunk order). */
    static final int M_CHUNK_ROWS = 2048;

    final CovarianceType type;
    final int k;
    final int d;
    final double[] weights;
    final double[] means;
    /** Per type: FULL [k][d*d], TIED [1][d*d], DIAG [k][d], SPHERICAL [k][1]; null when built from precisions. */
    final double[][] covariances;
    /** Precision factors, same layout as covariances (DIAG/SPHERICAL: square roots of the precisions). */
    final double[][] factors;
    /** log det W per component (half the log-determinant of the precision). */
    final double[] logDet;
    /** TIED: the factor as [d, d], so that x·W for a tile is one GEMM (null for the other types). */
    final double[] stackedFactors;
    /** FULL: each component's factor with its rows padded to {@link #paddedWidth} columns (zeros beyond d). */
    final double[][] paddedFactors;
    /** FULL: μ_j·W_j with the same padding, [k, paddedWidth(d)]. */
    final double[] paddedShifts;
    /** FULL/TIED: μ_j·W_j [k, d], subtracted from x·W_j (log N uses ‖x·W − μ·W‖², as scikit-learn). */
    final double[] shifts;
    /** DIAG: the factors side by side [k, d] (square roots of the precisions), for the E step; else null. */
    final double[] diagonalFactors;
    /** Whether the FULL/TIED factors are lower (from precisions) rather than upper (from covariances) triangular. */
    final boolean lowerFactor;

    private Mixture(CovarianceType type, int k, int d, double[] weights, double[] means, double[][] covariances,
                    double[][] factors, boolean lowerFactor) {
        this.lowerFactor = lowerFactor;
        if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
            stackedFactors = type == CovarianceType.TIED ? factors[0] : null;
            shifts = new double[k * d];
            for (int j = 0; j < k; j++) { // μ_j·W_j, summed over r in index order as the GEMM does
                double[] w = factors[type == CovarianceType.TIED ? 0 : j];
                for (int c = 0; c < d; c++) {
                    double sum = 0;
                    for (int r = 0; r < d; r++) {
                        sum = Math.fma(means[j * d + r], w[r * d + c], sum);
                    }
                    shifts[j * d + c] = sum;
                }
            }
        } else {
            stackedFactors = null;
            shifts = null;
        }
        if (type == CovarianceType.FULL) {
            int width = paddedWidth(d);
            paddedFactors = new double[k][d * width];
            paddedShifts = new double[k * width];
            for (int j = 0; j < k; j++) {
                for (int r = 0; r < d; r++) {
                    System.arraycopy(factors[j], r * d, paddedFactors[j], r * width, d);
                }
                System.arraycopy(shifts, j * d, paddedShifts, j * width, d);
            }
        } else {
            paddedFactors = null;
            paddedShifts = null;
        }
        if (type == CovarianceType.DIAG) {
            diagonalFactors = new double[k * d];
            for (int j = 0; j < k; j++) {
                System.arraycopy(factors[j], 0, diagonalFactors, j * d, d);
            }
        } else {
            diagonalFactors = null;
        }
        this.type = type;
        this.k = k;
        this.d = d;
        this.weights = weights;
        this.means = means;
        this.covariances = covariances;
        this.factors = factors;
        this.logDet = new double[k];
        for (int j = 0; j < k; j++) {
            double[] w = factors[type == CovarianceType.TIED ? 0 : j];
            double sum = 0;
            switch (type) {
                case FULL, TIED -> {
                    for (int c = 0; c < d; c++) {
                        sum += Math.log(w[c * d + c]);
                    }
                }
                case DIAG -> {
                    for (int c = 0; c < d; c++) {
                        sum += Math.log(w[c]);
                    }
                }
                case SPHERICAL -> sum = d * Math.log(w[0]);
            }
            logDet[j] = sum;
        }
    }

    /**
     * From covariances (layout of {@link #covariances}). A covariance that is not positive definite, or
     * whose Cholesky pivot on feature c is at most {@code minPivot[c]} (when given), is ill-defined: IAE.
     */
    static Mixture fromCovariances(CovarianceType type, int k, int d, double[] weights, double[] means,
                                   double[][] covariances, double[] minPivot, double regCovar) {
        double[][] factors = new double[covariances.length][];
        double[] l = new double[d * d];
        for (int j = 0; j < covariances.length; j++) {
            double[] cov = covariances[j];
            switch (type) {
                case FULL, TIED -> {
                    int bad = Linalg.cholesky(cov, d, l, minPivot);
                    if (bad >= 0) {
                        throw illDefined(j, bad, cov[bad * d + bad], regCovar);
                    }
                    factors[j] = Linalg.inverseLowerTransposed(l, d);
                }
                case DIAG -> {
                    factors[j] = new double[d];
                    for (int c = 0; c < d; c++) {
                        if (!(cov[c] > 0) || (minPivot != null && !(cov[c] > minPivot[c]))) {
                            throw illDefined(j, c, cov[c], regCovar);
                        }
                        factors[j][c] = 1 / Math.sqrt(cov[c]);
                    }
                }
                case SPHERICAL -> {
                    double floor = 0;
                    if (minPivot != null) {
                        for (double p : minPivot) {
                            floor = Math.max(floor, p);
                        }
                    }
                    if (!(cov[0] > floor)) {
                        throw illDefined(j, 0, cov[0], regCovar);
                    }
                    factors[j] = new double[] {1 / Math.sqrt(cov[0])};
                }
            }
        }
        return new Mixture(type, k, d, weights, means, covariances, factors, false);
    }


    static int paddedWidth(int d) {
        int step = Math.max(4, S.length());
        return (d + step - 1) / step * step;
    }

    private static IllegalArgumentException illDefined(int component, int feature, double variance, double regCovar) {
        return Check.fail(OP, "ill-defined empirical covariance for component " + component
                        + " (collapsed or singleton samples); reduce the number of components or increase regCovar",
                "variance " + variance + " at feature " + feature + " with regCovar = " + regCovar,
                "a positive definite covariance");
    }

    /** From flat precisions in the layout of {@link CovarianceType}; IAE unless each is positive definite. */
    static Mixture fromPrecisions(CovarianceType type, int k, int d, double[] weights, double[] means,
                                  double[] precisions) {
        int blocks = type == CovarianceType.TIED ? 1 : k;
        double[][] factors = new double[blocks][];
        for (int j = 0; j < blocks; j++) {
            switch (type) {
                case FULL, TIED -> {
                    double[] p = Arrays.copyOfRange(precisions, j * d * d, (j + 1) * d * d);
                    for (int r = 0; r < d; r++) {
                        for (int c = 0; c < r; c++) {
                            if (Math.abs(p[r * d + c] - p[c * d + r]) > 1e-10 * (Math.abs(p[r * d + c]) + Math.abs(p[c * d + r]))) {
                                throw Check.fail(OP, "precisionsInit of component " + j + " is not symmetric",
                                        "[" + r + ", " + c + "] = " + p[r * d + c] + " and [" + c + ", " + r + "] = "
                                                + p[c * d + r], "a symmetric matrix");
                            }
                        }
                    }
                    double[] l = new double[d * d];
                    int bad = Linalg.cholesky(p, d, l, null);
                    if (bad >= 0) {
                        throw Check.fail(OP, "precisionsInit of component " + j + " is not positive definite",
                                "a non-positive pivot at feature " + bad, "a symmetric positive definite matrix");
                    }
                    factors[j] = l; // Λ = L·Lᵀ, so W = L
                }
                case DIAG -> {
                    factors[j] = new double[d];
                    for (int c = 0; c < d; c++) {
                        double p = precisions[j * d + c];
                        if (!(p > 0) || p == Double.POSITIVE_INFINITY) {
                            throw Check.fail(OP, "precisionsInit of component " + j + " is not positive",
                                    "precision " + p + " at feature " + c, "finite values > 0");
                        }
                        factors[j][c] = Math.sqrt(p);
                    }
                }
                case SPHERICAL -> {
                    double p = precisions[j];
                    if (!(p > 0) || p == Double.POSITIVE_INFINITY) {
                        throw Check.fail(OP, "precisionsInit of component " + j + " is not positive",
                                "precision " + p, "a finite value > 0");
                    }
                    factors[j] = new double[] {Math.sqrt(p)};
                }
            }
        }
        return new Mixture(type, k, d, weights, means, null, factors, true);
    }

    /** This mixture with other weights and means (same precision factors). */
    Mixture withWeightsAndMeans(double[] newWeights, double[] newMeans) {
        return new Mixture(type, k, d, newWeights, newMeans, covariances, factors, lowerFactor);
    }

    /**
     * out[(i − from)·k + j] = log w_j + log N(x_i | μ_j, Σ_j) for rows [from, to) of x [n, d].
     * scratch holds at least {@link #scratchLength()} cells.
     */
    void weightedLogProb(double[] x, int from, int to, double[] out, double[] scratch) {
        double constant = -0.5 * d * LOG_2PI;
        double[] base = new double[k];
        for (int j = 0; j < k; j++) {
            base[j] = constant + logDet[j] + Math.log(weights[j]);
        }
        double[] quad = new double[k];
        double[] lanes = new double[LaneFold.doubleScratch(k)];
        double[] lanes1 = new double[lanes.length], lanes2 = new double[lanes.length], lanes3 = new double[lanes.length];
        for (int tileStart = from; tileStart < to; tileStart += TILE) {
            int rows = Math.min(TILE, to - tileStart);
            switch (type) {
                case FULL -> {
                    for (int t = 0; t < rows; t += 4) {
                        int i = tileStart + t, valid = Math.min(4, to - i);
                        // A short last group repeats its last sample; only the valid results are kept.
                        int o0 = i * d, o1 = Math.min(i + 1, to - 1) * d;
                        int o2 = Math.min(i + 2, to - 1) * d, o3 = Math.min(i + 3, to - 1) * d;
                        for (int j = 0; j < k; j++) {
                            fullQuads(x, o0, o1, o2, o3, j, lanes, lanes1, lanes2, lanes3, j * S.length());
                        }
                        for (int u = 0; u < valid; u++) {
                            double[] folded = u == 0 ? lanes : u == 1 ? lanes1 : u == 2 ? lanes2 : lanes3;
                            LaneFold.fold(folded, k);
                            int outOff = (i + u - from) * k;
                            for (int j = 0; j < k; j++) {
                                out[outOff + j] = base[j] - 0.5 * folded[LaneFold.doublePosition(j)];
                            }
                        }
                    }
                }
                case TIED -> {
                    // y = x·W − μ_j·W for every component from one GEMM of the tile with the shared factor.
                    vecgrad.kernels.GemmKernels.gemm(x, tileStart * d, d, false, stackedFactors, 0, d, false,
                            scratch, 0, d, rows, d, d, 1.0, 0.0);
                    for (int t = 0; t < rows; t++) {
                        squaredDistances(scratch, t * d, 0, shifts, null, quad, lanes);
                        int outOff = (tileStart + t - from) * k;
                        for (int j = 0; j < k; j++) {
                            out[outOff + j] = base[j] - 0.5 * quad[j];
                        }
                    }
                }
                case DIAG, SPHERICAL -> {
                    for (int t = 0; t < rows; t++) {
                        int xOff = (tileStart + t) * d, outOff = (tileStart + t - from) * k;
                        squaredDistances(x, xOff, 0, means, type == CovarianceType.DIAG ? diagonalFactors : null, quad,
                                lanes);
                        for (int j = 0; j < k; j++) {
                            double scale = type == CovarianceType.SPHERICAL ? factors[j][0] * factors[j][0] : 1;
                            out[outOff + j] = base[j] - 0.5 * scale * quad[j];
                        }
                    }
                }
            }
        }
    }

    /**
     * quad[j] = Σ_c ((y[yOff + j·yStep + c] − m[j·d + c]) · p[j·d + c])² for every component j (p null: no scaling).
     * The k vector accumulators are folded together ({@link LaneFold}, in {@link Simd#sumLanes}'s order), so a
     * sample costs one fold instead of k lane reductions; lanes holds {@code LaneFold.doubleScratch(k)} cells.
     */
    private void squaredDistances(double[] y, int yOff, int yStep, double[] m, double[] p, double[] quad,
                                  double[] lanes) {
        int bound = S.loopBound(d);
        for (int j = 0; j < k; j++) {
            int o = yOff + j * yStep, mOff = j * d;
            DoubleVector acc = DoubleVector.zero(S);
            for (int c = 0; c < bound; c += S.length()) {
                DoubleVector v = DoubleVector.fromArray(S, y, o + c).sub(DoubleVector.fromArray(S, m, mOff + c));
                if (p != null) {
                    v = v.mul(DoubleVector.fromArray(S, p, mOff + c));
                }
                acc = v.fma(v, acc);
            }
            acc.intoArray(lanes, j * S.length());
        }
        LaneFold.fold(lanes, k);
        for (int j = 0; j < k; j++) {
            double sum = lanes[LaneFold.doublePosition(j)];
            int o = yOff + j * yStep, mOff = j * d;
            for (int c = bound; c < d; c++) {
                double v = y[o + c] - m[mOff + c];
                if (p != null) {
                    v *= p[mOff + c];
                }
                sum += v * v;
            }
            quad[j] = sum;
        }
    }

    /** Scratch cells {@link #weightedLogProb} needs: one tile of x·W for the tied factor. */
    int scratchLength() {
        return stackedFactors == null ? 0 : TILE * d;
    }

    /**
     * FULL, four samples at x offsets o0..o3, component j: one vector of per-lane partial sums of
     * ‖x·W_j − μ_j·W_j‖² per sample, into q0..q3 at index at (folded by the caller). W_j is triangular, so each
     * block of columns only runs over the rows r where it is non-zero: x·W costs about d²/2 FMAs per sample, and
     * the products never leave registers. Four samples × two column vectors keep eight FMA chains in flight.
     */
    private void fullQuads(double[] x, int o0, int o1, int o2, int o3, int j, double[] q0, double[] q1, double[] q2,
                           double[] q3, int at) {
        int lanes = S.length();
        int width = paddedWidth(d);
        double[] w = paddedFactors[j];
        int hOff = j * width;
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S), s3 = DoubleVector.zero(S);
        int c0 = 0;
        for (; c0 + 2 * lanes <= width; c0 += 2 * lanes) {
            // Non-zero rows of these columns: r >= c for a lower factor, r <= c for an upper one.
            int rFrom = lowerFactor ? c0 : 0, rTo = lowerFactor ? d : Math.min(d, c0 + 2 * lanes);
            DoubleVector a00 = DoubleVector.zero(S), a01 = DoubleVector.zero(S);
            DoubleVector a10 = DoubleVector.zero(S), a11 = DoubleVector.zero(S);
            DoubleVector a20 = DoubleVector.zero(S), a21 = DoubleVector.zero(S);
            DoubleVector a30 = DoubleVector.zero(S), a31 = DoubleVector.zero(S);
            for (int r = rFrom; r < rTo; r++) {
                DoubleVector w0 = DoubleVector.fromArray(S, w, r * width + c0);
                DoubleVector w1 = DoubleVector.fromArray(S, w, r * width + c0 + lanes);
                DoubleVector b = DoubleVector.broadcast(S, x[o0 + r]);
                a00 = w0.fma(b, a00);
                a01 = w1.fma(b, a01);
                b = DoubleVector.broadcast(S, x[o1 + r]);
                a10 = w0.fma(b, a10);
                a11 = w1.fma(b, a11);
                b = DoubleVector.broadcast(S, x[o2 + r]);
                a20 = w0.fma(b, a20);
                a21 = w1.fma(b, a21);
                b = DoubleVector.broadcast(S, x[o3 + r]);
                a30 = w0.fma(b, a30);
                a31 = w1.fma(b, a31);
            }
            DoubleVector h0 = DoubleVector.fromArray(S, paddedShifts, hOff + c0);
            DoubleVector h1 = DoubleVector.fromArray(S, paddedShifts, hOff + c0 + lanes);
            DoubleVector e = a00.sub(h0);
            s0 = e.fma(e, s0);
            e = a01.sub(h1);
            s0 = e.fma(e, s0);
            e = a10.sub(h0);
            s1 = e.fma(e, s1);
            e = a11.sub(h1);
            s1 = e.fma(e, s1);
            e = a20.sub(h0);
            s2 = e.fma(e, s2);
            e = a21.sub(h1);
            s2 = e.fma(e, s2);
            e = a30.sub(h0);
            s3 = e.fma(e, s3);
            e = a31.sub(h1);
            s3 = e.fma(e, s3);
        }
        for (; c0 < width; c0 += lanes) {
            int rFrom = lowerFactor ? c0 : 0, rTo = lowerFactor ? d : Math.min(d, c0 + lanes);
            DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
            DoubleVector a2 = DoubleVector.zero(S), a3 = DoubleVector.zero(S);
            for (int r = rFrom; r < rTo; r++) {
                DoubleVector w0 = DoubleVector.fromArray(S, w, r * width + c0);
                a0 = w0.fma(DoubleVector.broadcast(S, x[o0 + r]), a0);
                a1 = w0.fma(DoubleVector.broadcast(S, x[o1 + r]), a1);
                a2 = w0.fma(DoubleVector.broadcast(S, x[o2 + r]), a2);
                a3 = w0.fma(DoubleVector.broadcast(S, x[o3 + r]), a3);
            }
            DoubleVector h0 = DoubleVector.fromArray(S, paddedShifts, hOff + c0);
            DoubleVector e = a0.sub(h0);
            s0 = e.fma(e, s0);
            e = a1.sub(h0);
            s1 = e.fma(e, s1);
            e = a2.sub(h0);
            s2 = e.fma(e, s2);
            e = a3.sub(h0);
            s3 = e.fma(e, s3);
        }
        s0.intoArray(q0, at);
        s1.intoArray(q1, at);
        s2.intoArray(q2, at);
        s3.intoArray(q3, at);
    }

    /**
     * E step: resp [n, k] (responsibilities, each row sums to 1) and logNorm [n] (log-sum-exp of the
     * weighted log densities, the per-sample log-likelihood). Runs in the log domain so that samples
     * far from every component still get finite responsibilities.
     */
    void expectation(double[] x, int n, double[] resp, double[] logNorm) {
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int from = chunk * CHUNK_ROWS, to = Math.min(n, from + CHUNK_ROWS);
            double[] scratch = new double[scratchLength()];
            double[] block = new double[(to - from) * k];
            weightedLogProb(x, from, to, block, scratch);
            double[] max = new double[to - from];
            for (int i = from; i < to; i++) {
                int off = (i - from) * k;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    m = Math.max(m, block[off + j]);
                }
                max[i - from] = m;
                for (int j = 0; j < k; j++) {
                    block[off + j] -= m;
                }
            }
            // One vectorized exp over the whole block (the kernels' exp gives the same bits compiled or not).
            ElementwiseKernels.exp(block, 0, block, 0, block.length);
            for (int i = from; i < to; i++) {
                int off = (i - from) * k;
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += block[off + j];
                }
                double m = max[i - from];
                logNorm[i] = m + Math.log(sum);
                if (resp != null) {
                    // exp(log p_j − norm) = exp(log p_j − max) / Σ: one exp per entry instead of two.
                    double inv = 1 / sum;
                    for (int j = 0; j < k; j++) {
                        resp[i * k + j] = block[off + j] * inv;
                    }
                }
            }
        });
    }

    /** Mean of values [n], summed in index order. */
    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * M step: weights, means and covariances (+ regCovar on the diagonal) from responsibilities resp [n, k]
     * with the two-pass (centered) formulas. Sums run over row chunks in parallel and are combined in chunk
     * order; the full scatter matrices run per component in parallel.
     */
    static Mixture maximization(CovarianceType type, double[] x, int n, int d, double[] resp, int k, double regCovar,
                                double[] minPivot) {
        int chunks = Parallel.chunks(n, M_CHUNK_ROWS);
        double[][] partialNk = new double[chunks][k];
        double[][] partialSums = new double[chunks][k * d];
        Parallel.forEach(chunks, chunk -> {
            double[] nk = partialNk[chunk], sums = partialSums[chunk];
            for (int i = chunk * M_CHUNK_ROWS, end = Math.min(n, i + M_CHUNK_ROWS); i < end; i++) {
                for (int j = 0; j < k; j++) {
                    double r = resp[i * k + j];
                    nk[j] += r;
                    axpy(r, x, i * d, sums, j * d, d);
                }
            }
        });
        double[] nk = new double[k];
        double[] means = new double[k * d];
        for (int chunk = 0; chunk < chunks; chunk++) {
            for (int j = 0; j < k; j++) {
                nk[j] += partialNk[chunk][j];
            }
            for (int t = 0; t < k * d; t++) {
                means[t] += partialSums[chunk][t];
            }
        }
        for (int j = 0; j < k; j++) {
            nk[j] += NK_FLOOR;
            for (int c = 0; c < d; c++) {
                means[j * d + c] /= nk[j];
            }
        }
        double nTotal = 0;
        for (int j = 0; j < k; j++) {
            nTotal += nk[j];
        }
        double[] weights = new double[k];
        for (int j = 0; j < k; j++) {
            weights[j] = nk[j] / nTotal;
        }
        int blocks = type == CovarianceType.TIED ? 1 : k;
        double[][] covariances = new double[blocks][];
        switch (type) {
            case FULL, TIED -> {
                double[][] scatter = fullScatters(x, n, d, resp, k, means);
                if (type == CovarianceType.FULL) {
                    for (int j = 0; j < k; j++) {
                        covariances[j] = scatter[j];
                        for (int t = 0; t < d * d; t++) {
                            covariances[j][t] /= nk[j];
                        }
                        addDiagonal(covariances[j], d, regCovar);
                    }
                } else {
                    double[] sum = new double[d * d];
                    for (int j = 0; j < k; j++) {
                        for (int t = 0; t < d * d; t++) {
                            sum[t] += scatter[j][t];
                        }
                    }
                    for (int t = 0; t < d * d; t++) {
                        sum[t] /= nTotal;
                    }
                    addDiagonal(sum, d, regCovar);
                    covariances[0] = sum;
                }
            }
            case DIAG, SPHERICAL -> {
                double[][] partialSquares = new double[chunks][k * d];
                Parallel.forEach(chunks, chunk -> {
                    double[] squares = partialSquares[chunk];
                    for (int i = chunk * M_CHUNK_ROWS, end = Math.min(n, i + M_CHUNK_ROWS); i < end; i++) {
                        for (int j = 0; j < k; j++) {
                            weightedSquares(resp[i * k + j], x, i * d, means, j * d, squares, d);
                        }
                    }
                });
                double[] squares = new double[k * d];
                for (int chunk = 0; chunk < chunks; chunk++) {
                    for (int t = 0; t < k * d; t++) {
                        squares[t] += partialSquares[chunk][t];
                    }
                }
                for (int j = 0; j < k; j++) {
                    double[] variances = new double[d];
                    double total = 0;
                    for (int c = 0; c < d; c++) {
                        variances[c] = squares[j * d + c] / nk[j] + regCovar;
                        total += variances[c];
                    }
                    covariances[j] = type == CovarianceType.DIAG ? variances : new double[] {total / d};
                }
            }
        }
        return fromCovariances(type, k, d, weights, means, covariances, minPivot, regCovar);
    }

    /** acc[accOff + c] += a · x[xOff + c] for c in [0, d). */
    private static void axpy(double a, double[] x, int xOff, double[] acc, int accOff, int d) {
        DoubleVector av = DoubleVector.broadcast(S, a);
        int c = 0;
        for (int bound = S.loopBound(d); c < bound; c += S.length()) {
            DoubleVector.fromArray(S, x, xOff + c).fma(av, DoubleVector.fromArray(S, acc, accOff + c))
                    .intoArray(acc, accOff + c);
        }
        for (; c < d; c++) {
            acc[accOff + c] = Math.fma(x[xOff + c], a, acc[accOff + c]);
        }
    }

    /** acc[c] += r · (x[xOff + c] − m[mOff + c])² for c in [0, d), at acc offset mOff. */
    private static void weightedSquares(double r, double[] x, int xOff, double[] m, int mOff, double[] acc, int d) {
        DoubleVector rv = DoubleVector.broadcast(S, r);
        int c = 0;
        for (int bound = S.loopBound(d); c < bound; c += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, xOff + c).sub(DoubleVector.fromArray(S, m, mOff + c));
            v.mul(rv).fma(v, DoubleVector.fromArray(S, acc, mOff + c)).intoArray(acc, mOff + c);
        }
        for (; c < d; c++) {
            double v = x[xOff + c] - m[mOff + c];
            acc[mOff + c] = Math.fma(r * v, v, acc[mOff + c]);
        }
    }

    /** Samples per tile of the M step's scatter sums. */
    static final int SCATTER_TILE = 64;

    /**
     * Σ_i r_ij (x_i − μ_j)(x_i − μ_j)ᵀ [d, d] for every component j. Samples run in fixed chunks of M_CHUNK_ROWS in
     * parallel (partial scatters added in chunk order, so any thread count gives the same bits), and within a
     * chunk in tiles of SCATTER_TILE samples with the components inner: a tile of x is read from memory once for
     * all k components instead of once per component.
     */
    private static double[][] fullScatters(double[] x, int n, int d, double[] resp, int k, double[] means) {
        int padded = paddedWidth(d);
        int chunks = Parallel.chunks(n, M_CHUNK_ROWS);
        double[][][] partial = new double[chunks][][];
        Parallel.forEach(chunks, chunk -> {
            double[][] acc = new double[k][padded * padded]; // rows padded to a multiple of 4 as well
            double[] scaled = new double[SCATTER_TILE * padded];
            int end = Math.min(n, (chunk + 1) * M_CHUNK_ROWS);
            for (int start = chunk * M_CHUNK_ROWS; start < end; start += SCATTER_TILE) {
                int rows = Math.min(SCATTER_TILE, end - start);
                for (int j = 0; j < k; j++) {
                    centerTile(x, start, rows, d, padded, means, resp, k, j, scaled);
                    scatterTile(scaled, scaled, rows, d, padded, acc[j]);
                }
            }
            partial[chunk] = acc;
        });
        double[][] out = new double[k][];
        for (int j = 0; j < k; j++) {
            double[] acc = partial[0][j];
            for (int chunk = 1; chunk < chunks; chunk++) {
                double[] more = partial[chunk][j];
                for (int t = 0; t < acc.length; t++) {
                    acc[t] += more[t];
                }
            }
            out[j] = mirrored(acc, d, padded);
        }
        return out;
    }

    /**
     * scaled[t, :] = √r_{start+t, j} · (x_{start+t} − μ_j) for the rows samples of a tile (rows padded to padded
     * cells): Σ_t scaled_t·scaled_tᵀ is the weighted scatter, so one array serves both operands of the kernel
     * and the tile stays in L1. A method of its own so that it compiles small, apart from the scatter kernel.
     */
    private static void centerTile(double[] x, int start, int rows, int d, int padded, double[] means, double[] resp,
                                   int k, int j, double[] scaled) {
        int mOff = j * d;
        int bound = S.loopBound(d);
        for (int t = 0; t < rows; t++) {
            double root = Math.sqrt(resp[(start + t) * k + j]);
            DoubleVector rv = DoubleVector.broadcast(S, root);
            int xOff = (start + t) * d, tOff = t * padded;
            int c = 0;
            for (; c < bound; c += S.length()) {
                DoubleVector.fromArray(S, x, xOff + c).sub(DoubleVector.fromArray(S, means, mOff + c)).mul(rv)
                        .intoArray(scaled, tOff + c);
            }
            for (; c < d; c++) {
                scaled[tOff + c] = root * (x[xOff + c] - means[mOff + c]);
            }
        }
    }

    /**
     * acc += weightedᵀ·diff on the upper triangle (by whole vector blocks) for a tile of rows samples: four matrix
     * rows × two vectors of columns at a time, the eight accumulators in registers across the tile.
     */
    private static void scatterTile(double[] diff, double[] weighted, int rows, int d, int padded, double[] acc) {
        int lanes = S.length();
        for (int a0 = 0; a0 < d; a0 += 4) {
            int c0 = a0 / lanes * lanes;
            // Four rows of the scatter × two vectors of columns: eight accumulators per loaded sample pair.
            for (; c0 + 2 * lanes <= padded; c0 += 2 * lanes) {
                int s0 = a0 * padded + c0;
                DoubleVector s00 = DoubleVector.fromArray(S, acc, s0);
                DoubleVector s01 = DoubleVector.fromArray(S, acc, s0 + padded);
                DoubleVector s02 = DoubleVector.fromArray(S, acc, s0 + 2 * padded);
                DoubleVector s03 = DoubleVector.fromArray(S, acc, s0 + 3 * padded);
                DoubleVector s10 = DoubleVector.fromArray(S, acc, s0 + lanes);
                DoubleVector s11 = DoubleVector.fromArray(S, acc, s0 + padded + lanes);
                DoubleVector s12 = DoubleVector.fromArray(S, acc, s0 + 2 * padded + lanes);
                DoubleVector s13 = DoubleVector.fromArray(S, acc, s0 + 3 * padded + lanes);
                for (int t = 0; t < rows; t++) {
                    DoubleVector dv = DoubleVector.fromArray(S, diff, t * padded + c0);
                    DoubleVector ev = DoubleVector.fromArray(S, diff, t * padded + c0 + lanes);
                    int wOff = t * padded + a0;
                    DoubleVector w0 = DoubleVector.broadcast(S, weighted[wOff]);
                    DoubleVector w1 = DoubleVector.broadcast(S, weighted[wOff + 1]);
                    DoubleVector w2 = DoubleVector.broadcast(S, weighted[wOff + 2]);
                    DoubleVector w3 = DoubleVector.broadcast(S, weighted[wOff + 3]);
                    s00 = dv.fma(w0, s00);
                    s01 = dv.fma(w1, s01);
                    s02 = dv.fma(w2, s02);
                    s03 = dv.fma(w3, s03);
                    s10 = ev.fma(w0, s10);
                    s11 = ev.fma(w1, s11);
                    s12 = ev.fma(w2, s12);
                    s13 = ev.fma(w3, s13);
                }
                s00.intoArray(acc, s0);
                s01.intoArray(acc, s0 + padded);
                s02.intoArray(acc, s0 + 2 * padded);
                s03.intoArray(acc, s0 + 3 * padded);
                s10.intoArray(acc, s0 + lanes);
                s11.intoArray(acc, s0 + padded + lanes);
                s12.intoArray(acc, s0 + 2 * padded + lanes);
                s13.intoArray(acc, s0 + 3 * padded + lanes);
            }
            for (; c0 < padded; c0 += lanes) {
                int s0 = a0 * padded + c0;
                DoubleVector s00 = DoubleVector.fromArray(S, acc, s0);
                DoubleVector s01 = DoubleVector.fromArray(S, acc, s0 + padded);
                DoubleVector s02 = DoubleVector.fromArray(S, acc, s0 + 2 * padded);
                DoubleVector s03 = DoubleVector.fromArray(S, acc, s0 + 3 * padded);
                for (int t = 0; t < rows; t++) {
                    DoubleVector dv = DoubleVector.fromArray(S, diff, t * padded + c0);
                    int wOff = t * padded + a0;
                    s00 = dv.fma(DoubleVector.broadcast(S, weighted[wOff]), s00);
                    s01 = dv.fma(DoubleVector.broadcast(S, weighted[wOff + 1]), s01);
                    s02 = dv.fma(DoubleVector.broadcast(S, weighted[wOff + 2]), s02);
                    s03 = dv.fma(DoubleVector.broadcast(S, weighted[wOff + 3]), s03);
                }
                s00.intoArray(acc, s0);
                s01.intoArray(acc, s0 + padded);
                s02.intoArray(acc, s0 + 2 * padded);
                s03.intoArray(acc, s0 + 3 * padded);
            }
        }
    }

    /** The [d, d] scatter from its accumulated upper block triangle acc [padded, padded], exactly symmetric. */
    private static double[] mirrored(double[] acc, int d, int padded) {
        int lanes = S.length();
        double[] out = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int c = 0; c < d; c++) {
                // Entries at or right of the diagonal block were accumulated; mirror the rest from them.
                out[a * d + c] = c >= a / lanes * lanes ? acc[a * padded + c] : acc[c * padded + a];
            }
        }
        for (int a = 0; a < d; a++) { // exact symmetry for the Cholesky factorization
            for (int c = a + 1; c < d; c++) {
                double v = 0.5 * (out[a * d + c] + out[c * d + a]);
                out[a * d + c] = v;
                out[c * d + a] = v;
            }
        }
        return out;
    }

    private static void addDiagonal(double[] m, int d, double value) {
        for (int c = 0; c < d; c++) {
            m[c * d + c] += value;
        }
    }

    /** Covariance of component j as a full [d][d] matrix. */
    double[][] fullCovariance(int j) {
        double[][] out = new double[d][d];
        double[] cov = covariances[type == CovarianceType.TIED ? 0 : j];
        for (int r = 0; r < d; r++) {
            switch (type) {
                case FULL, TIED -> System.arraycopy(cov, r * d, out[r], 0, d);
                case DIAG -> out[r][r] = cov[r];
                case SPHERICAL -> out[r][r] = cov[0];
            }
        }
        return out;
    }
}
