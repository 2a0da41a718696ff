package vecgrad.cluster;

import java.util.Arrays;
import vecgrad.kernels.GemmKernels;
import vecgrad.kernels.Parallel;

/**
 * Parameters of a Gaussian mixture with precomputed precision factors, and the E and M steps on samples
 * x [n, d] (flat, row-major, float64).
 *
 * <p>Each component's density is evaluated through a factor W of its precision Λ = W·Wᵀ:
 * log N(x | μ, Σ) = −½·d·log 2π + log det W − ½·‖(x − μ)ᵀ·W‖². From a covariance Σ = L·Lᵀ (Cholesky),
 * W = (L⁻¹)ᵀ, which is scikit-learn's {@code precisions_cholesky_}; from a given precision, W is its
 * own lower Cholesky factor. For full and tied types the products (x − μ)·W run through the GEMM
 * kernel on tiles of {@link #TILE} samples.
 */
final class Mixture {
    static final String OP = "gaussian_mixture";
    /** Samples per GEMM tile: [TILE, d] blocks of differences stay in cache for d up to a few hundred. */
    static final int TILE = 64;
    /** Samples per parallel E-step chunk; fixed by problem size so sums combine in the same order for any thread count. */
    static final int CHUNK_ROWS = 1024;
    /** sklearn adds 10·eps to each N_k to avoid 0/0 for an empty component. */
    static final double NK_FLOOR = 10 * Math.ulp(1.0);
    private static final double LOG_2PI = Math.log(2 * Math.PI);

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

    private Mixture(CovarianceType type, int k, int d, double[] weights, double[] means, double[][] covariances,
                    double[][] factors) {
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
        return new Mixture(type, k, d, weights, means, covariances, factors);
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
        return new Mixture(type, k, d, weights, means, null, factors);
    }

    /** This mixture with other weights and means (same precision factors). */
    Mixture withWeightsAndMeans(double[] newWeights, double[] newMeans) {
        return new Mixture(type, k, d, newWeights, newMeans, covariances, factors);
    }

    /**
     * out[(i − from)·k + j] = log w_j + log N(x_i | μ_j, Σ_j) for rows [from, to) of x [n, d].
     * diff and y are scratch of at least TILE·d cells.
     */
    void weightedLogProb(double[] x, int from, int to, double[] out, double[] diff, double[] y) {
        double constant = -0.5 * d * LOG_2PI;
        for (int tileStart = from; tileStart < to; tileStart += TILE) {
            int rows = Math.min(TILE, to - tileStart);
            for (int j = 0; j < k; j++) {
                double base = constant + logDet[j] + Math.log(weights[j]);
                int mOff = j * d;
                switch (type) {
                    case FULL, TIED -> {
                        for (int t = 0; t < rows; t++) {
                            int xOff = (tileStart + t) * d;
                            for (int c = 0; c < d; c++) {
                                diff[t * d + c] = x[xOff + c] - means[mOff + c];
                            }
                        }
                        double[] w = factors[type == CovarianceType.TIED ? 0 : j];
                        GemmKernels.gemm(diff, 0, d, false, w, 0, d, false, y, 0, d, rows, d, d, 1.0, 0.0);
                        for (int t = 0; t < rows; t++) {
                            double quad = 0;
                            for (int c = 0; c < d; c++) {
                                double v = y[t * d + c];
                                quad += v * v;
                            }
                            out[(tileStart + t - from) * k + j] = base - 0.5 * quad;
                        }
                    }
                    case DIAG, SPHERICAL -> {
                        double[] p = factors[j];
                        boolean spherical = type == CovarianceType.SPHERICAL;
                        for (int t = 0; t < rows; t++) {
                            int xOff = (tileStart + t) * d;
                            double quad = 0;
                            for (int c = 0; c < d; c++) {
                                double v = (x[xOff + c] - means[mOff + c]) * p[spherical ? 0 : c];
                                quad += v * v;
                            }
                            out[(tileStart + t - from) * k + j] = base - 0.5 * quad;
                        }
                    }
                }
            }
        }
    }

    /**
     * E step: resp [n, k] (responsibilities, each row sums to 1) and logNorm [n] (log-sum-exp of the
     * weighted log densities, the per-sample log-likelihood). Runs in the log domain so that samples
     * far from every component still get finite responsibilities.
     */
    void expectation(double[] x, int n, double[] resp, double[] logNorm) {
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int from = chunk * CHUNK_ROWS, to = Math.min(n, from + CHUNK_ROWS);
            double[] diff = new double[TILE * d], y = new double[TILE * d];
            double[] block = new double[(to - from) * k];
            weightedLogProb(x, from, to, block, diff, y);
            for (int i = from; i < to; i++) {
                int off = (i - from) * k;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, block[off + j]);
                }
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += Math.exp(block[off + j] - max);
                }
                double norm = max + Math.log(sum);
                logNorm[i] = norm;
                if (resp != null) {
                    for (int j = 0; j < k; j++) {
                        resp[i * k + j] = Math.exp(block[off + j] - norm);
                    }
                }
            }
        });
    }

    /** Mean of logNorm [n], summed in index order. */
    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * M step: weights, means and covariances (+ regCovar on the diagonal) from responsibilities resp [n, k]
     * with the two-pass (centered) formulas; components run in parallel.
     */
    static Mixture maximization(CovarianceType type, double[] x, int n, int d, double[] resp, int k, double regCovar,
                                double[] minPivot) {
        double[] nk = new double[k];
        double[] means = new double[k * d];
        int blocks = type == CovarianceType.TIED ? 1 : k;
        double[][] scatter = new double[k][];
        Parallel.forEach(k, j -> {
            double total = 0;
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                double r = resp[i * k + j];
                total += r;
                for (int c = 0; c < d; c++) {
                    mean[c] += r * x[i * d + c];
                }
            }
            total += NK_FLOOR;
            for (int c = 0; c < d; c++) {
                mean[c] /= total;
            }
            nk[j] = total;
            System.arraycopy(mean, 0, means, j * d, d);
            scatter[j] = switch (type) {
                case FULL, TIED -> fullScatter(x, n, d, resp, k, j, mean);
                case DIAG, SPHERICAL -> {
                    double[] s = new double[d];
                    for (int i = 0; i < n; i++) {
                        double r = resp[i * k + j];
                        for (int c = 0; c < d; c++) {
                            double v = x[i * d + c] - mean[c];
                            s[c] += r * v * v;
                        }
                    }
                    yield s;
                }
            };
        });
        double nTotal = 0;
        for (int j = 0; j < k; j++) {
            nTotal += nk[j];
        }
        double[] weights = new double[k];
        for (int j = 0; j < k; j++) {
            weights[j] = nk[j] / nTotal;
        }
        double[][] covariances = new double[blocks][];
        switch (type) {
            case FULL -> {
                for (int j = 0; j < k; j++) {
                    covariances[j] = scatter[j];
                    for (int t = 0; t < d * d; t++) {
                        covariances[j][t] /= nk[j];
                    }
                    addDiagonal(covariances[j], d, regCovar);
                }
            }
            case TIED -> {
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
            case DIAG -> {
                for (int j = 0; j < k; j++) {
                    covariances[j] = scatter[j];
                    for (int c = 0; c < d; c++) {
                        covariances[j][c] = covariances[j][c] / nk[j] + regCovar;
                    }
                }
            }
            case SPHERICAL -> {
                for (int j = 0; j < k; j++) {
                    double sum = 0;
                    for (int c = 0; c < d; c++) {
                        sum += scatter[j][c] / nk[j] + regCovar;
                    }
                    covariances[j] = new double[] {sum / d};
                }
            }
        }
        return fromCovariances(type, k, d, weights, means, covariances, minPivot, regCovar);
    }

    /** Σ_i r_ij (x_i − μ)(x_i − μ)ᵀ [d, d] through GEMM on tiles: (r ∘ D)ᵀ·D. */
    private static double[] fullScatter(double[] x, int n, int d, double[] resp, int k, int j, double[] mean) {
        double[] s = new double[d * d];
        double[] diff = new double[TILE * d], weighted = new double[TILE * d];
        for (int start = 0; start < n; start += TILE) {
            int rows = Math.min(TILE, n - start);
            for (int t = 0; t < rows; t++) {
                double r = resp[(start + t) * k + j];
                for (int c = 0; c < d; c++) {
                    double v = x[(start + t) * d + c] - mean[c];
                    diff[t * d + c] = v;
                    weighted[t * d + c] = r * v;
                }
            }
            GemmKernels.gemm(weighted, 0, d, true, diff, 0, d, false, s, 0, d, d, d, rows, 1.0, 1.0);
        }
        for (int r = 0; r < d; r++) { // exact symmetry for the Cholesky factorization
            for (int c = r + 1; c < d; c++) {
                double v = 0.5 * (s[r * d + c] + s[c * d + r]);
                s[r * d + c] = v;
                s[c * d + r] = v;
            }
        }
        return s;
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
