package vecgrad.cluster;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vecgrad.kernels.GemmKernels;
import vecgrad.kernels.Simd;

/**
 * Randomized subspace iteration for the top right singular vectors of a [n, d] matrix A (PCA's centered
 * data), on the GEMM kernel. The subspace is held as the rows of [w, n] and [w, d] matrices (w = k + oversamples),
 * so every product with A is one GEMM and every basis vector is contiguous.
 *
 * <p>Reference: N. Halko, P. G. Martinsson and J. A. Tropp, Finding structure with randomness (SIAM Review
 * 53(2), 2011), algorithms 4.4 (randomized subspace iteration) and 5.1 (direct SVD).
 */
final class PcaRandomized {
    private static final VectorSpecies<Double> S = Simd.F64;
    /**
     * Cholesky QR accepts a basis whose every vector keeps at least this fraction of its squared norm outside
     * the span of the earlier ones (an angle of about 1e-5): then the second Cholesky QR pass restores
     * orthonormality to rounding. A less independent basis goes through Gram-Schmidt instead.
     */
    private static final double MIN_PIVOT_FRACTION = 1e-10;
    /** One-sided Jacobi stops rotating a pair whose rows are orthogonal to this relative precision. */
    private static final double ORTHOGONAL = 1e-15;
    private static final int MAX_SWEEPS = 60;

    private PcaRandomized() {}

    /**
     * @param values  [w] singular values, descending
     * @param vectors [w, d] the matching unit right singular vectors as rows
     */
    record Result(double[] values, double[] vectors) {}

    /** The two products with the data matrix A [n, d] that subspace iteration needs, on [w, ·] row blocks. */
    interface Data {
        /** out [w, n] = rows [w, d] · Aᵀ. */
        void timesTransposed(double[] rows, double[] out, int w);

        /** out [w, d] = rows [w, n] · A. */
        void times(double[] rows, double[] out, int w);
    }

    /** A as float64 [n, d], row-major. */
    static Data of(double[] a, int n, int d) {
        return new Data() {
            @Override
            public void timesTransposed(double[] rows, double[] out, int w) {
                GemmKernels.gemm(rows, 0, d, false, a, 0, d, true, out, 0, n, w, n, d, 1.0, 0.0);
            }

            @Override
            public void times(double[] rows, double[] out, int w) {
                GemmKernels.gemm(rows, 0, n, false, a, 0, d, false, out, 0, d, w, d, n, 1.0, 0.0);
            }
        };
    }

    /**
     * A as float32 [n, d], row-major: the products run on the float32 GEMM (half the memory traffic and twice
     * the lanes of float64, as scikit-learn keeps float32 data in float32); the subspace bases, their
     * orthonormalization and the final SVD stay float64.
     */
    static Data of(float[] a, int n, int d) {
        return new Data() {
            @Override
            public void timesTransposed(double[] rows, double[] out, int w) {
                float[] result = new float[w * n];
                GemmKernels.gemm(toFloat(rows, w * d), 0, d, false, a, 0, d, true, result, 0, n, w, n, d, 1f, 0f);
                toDouble(result, out);
            }

            @Override
            public void times(double[] rows, double[] out, int w) {
                float[] result = new float[w * d];
                GemmKernels.gemm(toFloat(rows, w * n), 0, n, false, a, 0, d, false, result, 0, d, w, d, n, 1f, 0f);
                toDouble(result, out);
            }
        };
    }

    private static float[] toFloat(double[] values, int length) {
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static void toDouble(float[] values, double[] out) {
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
    }

    /** The top w singular values and right singular vectors of a [n, d] (row-major), after q power iterations. */
    static Result topRows(double[] a, int n, int d, int w, int q, long seed) {
        return topRows(of(a, n, d), n, d, w, q, seed);
    }

    /** The top w singular values and right singular vectors of the data A [n, d], after q power iterations. */
    static Result topRows(Data a, int n, int d, int w, int q, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] omega = new double[w * d];
        for (int t = 0; t < omega.length; t++) {
            omega[t] = rng.nextGaussian();
        }
        double[] rowsN = new double[w * n]; // the range basis Q as rows: Qᵀ [w, n]
        double[] rowsD = omega;             // the co-range basis as rows [w, d]
        double[] scratchN = new double[w * n], scratchD = new double[w * d];
        a.timesTransposed(rowsD, rowsN, w); // Qᵀ = Ωᵀ·Aᵀ [w, n]
        // Inside the iteration a basis only has to be well conditioned: one Cholesky QR pass; the basis that
        // B is projected on must be orthonormal to rounding: two.
        orthonormalizeRows(rowsN, scratchN, w, n, rng, q == 0 ? 2 : 1);
        for (int iteration = 0; iteration < q; iteration++) {
            // Zᵀ = Qᵀ·A [w, d], then Qᵀ = Zᵀ·Aᵀ [w, n], re-orthonormalized after each product (Halko alg. 4.4).
            a.times(rowsN, rowsD, w);
            orthonormalizeRows(rowsD, scratchD, w, d, rng, 1);
            a.timesTransposed(rowsD, rowsN, w);
            orthonormalizeRows(rowsN, scratchN, w, n, rng, iteration == q - 1 ? 2 : 1);
        }
        double[] b = new double[w * d]; // B = Qᵀ·A [w, d]: A ≈ Q·B, and B's right singular vectors are A's
        a.times(rowsN, b, w);
        return rowSvd(b, w, d);
    }

    /**
     * Makes the rows [rows, len] of v orthonormal (to rounding with passes = 2; well conditioned with 1), spanning
     * the same space (rows linearly dependent on earlier ones are replaced by random directions). Cholesky QR:
     * G = V·Vᵀ = L·Lᵀ, V ← L⁻¹·V, each a GEMM; Gram-Schmidt when the basis is too close to dependent for that.
     */
    static void orthonormalizeRows(double[] v, double[] scratch, int rows, int len, SplittableRandom rng, int passes) {
        for (int pass = 0; pass < passes; pass++) {
            if (!choleskyQr(v, scratch, rows, len)) {
                gramSchmidt(v, rows, len, rng);
                return;
            }
        }
    }

    private static boolean choleskyQr(double[] v, double[] scratch, int rows, int len) {
        double[] gram = new double[rows * rows];
        GemmKernels.gemm(v, 0, len, false, v, 0, len, true, gram, 0, rows, rows, rows, len, 1.0, 0.0);
        double[] minPivot = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = r + 1; c < rows; c++) { // exact symmetry
                double s = 0.5 * (gram[r * rows + c] + gram[c * rows + r]);
                gram[r * rows + c] = s;
                gram[c * rows + r] = s;
            }
            minPivot[r] = MIN_PIVOT_FRACTION * gram[r * rows + r];
        }
        double[] l = new double[rows * rows];
        if (Linalg.cholesky(gram, rows, l, minPivot) >= 0) {
            return false;
        }
        double[] inverseT = Linalg.inverseLowerTransposed(l, rows); // (L⁻¹)ᵀ
        GemmKernels.gemm(inverseT, 0, rows, true, v, 0, len, false, scratch, 0, len, rows, len, rows, 1.0, 0.0);
        System.arraycopy(scratch, 0, v, 0, rows * len);
        return true;
    }

    /** Modified Gram-Schmidt, each row projected out twice; a dependent row is replaced by a random direction. */
    private static void gramSchmidt(double[] v, int rows, int len, SplittableRandom rng) {
        for (int r = 0; r < rows; r++) {
            int off = r * len;
            for (int attempt = 0; ; attempt++) {
                double before = Math.sqrt(dot(v, off, v, off, len));
                for (int pass = 0; pass < 2; pass++) {
                    for (int p = 0; p < r; p++) {
                        axpy(-dot(v, p * len, v, off, len), v, p * len, v, off, len);
                    }
                }
                double after = Math.sqrt(dot(v, off, v, off, len));
                if (after > 1e-8 * before && after > 0) {
                    double inv = 1 / after;
                    for (int t = 0; t < len; t++) {
                        v[off + t] *= inv;
                    }
                    break;
                }
                if (attempt == 3) {
                    throw new IllegalStateException("pca: no direction independent of " + r + " basis vectors of length " + len);
                }
                for (int t = 0; t < len; t++) {
                    v[off + t] = rng.nextGaussian();
                }
            }
        }
    }

    /**
     * SVD of b [w, d] (w ≤ d) by one-sided Jacobi (Hestenes): plane rotations of row pairs until all rows are
     * orthogonal; then b = U·Σ·Vᵀ with the row norms as Σ and the normalized rows as Vᵀ. Works on b itself, so
     * the singular values are as accurate as b's rows (no squaring of the condition number).
     *
     * <p>Reference: J. Demmel and K. Veselić, Jacobi's method is more accurate than QR (SIAM J. Matrix Anal.
     * Appl. 13(4), 1992).
     */
    static Result rowSvd(double[] b, int w, int d) {
        double[] norms = new double[w];
        for (int r = 0; r < w; r++) {
            norms[r] = dot(b, r * d, b, r * d, d);
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < w; p++) {
                for (int q = p + 1; q < w; q++) {
                    double gamma = dot(b, p * d, b, q * d, d);
                    double alpha = norms[p], beta = norms[q];
                    if (Math.abs(gamma) <= ORTHOGONAL * Math.sqrt(alpha * beta) || gamma == 0) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t), s = c * t;
                    rotate(b, p * d, q * d, d, c, s);
                    norms[p] = dot(b, p * d, b, p * d, d);
                    norms[q] = dot(b, q * d, b, q * d, d);
                }
            }
            if (!rotated) {
                break;
            }
        }
        Integer[] order = new Integer[w];
        for (int r = 0; r < w; r++) {
            order[r] = r;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        double[] values = new double[w], vectors = new double[w * d];
        for (int r = 0; r < w; r++) {
            int from = order[r];
            double sigma = Math.sqrt(norms[from]);
            values[r] = sigma;
            for (int t = 0; t < d; t++) {
                vectors[r * d + t] = sigma > 0 ? b[from * d + t] / sigma : 0;
            }
        }
        return new Result(values, vectors);
    }

    /** (x_p, x_q) ← (c·x_p − s·x_q, s·x_p + c·x_q) for the rows at offsets p and q. */
    private static void rotate(double[] x, int p, int q, int len, double c, double s) {
        DoubleVector cv = DoubleVector.broadcast(S, c), sv = DoubleVector.broadcast(S, s);
        int t = 0;
        for (int bound = S.loopBound(len); t < bound; t += S.length()) {
            DoubleVector xp = DoubleVector.fromArray(S, x, p + t), xq = DoubleVector.fromArray(S, x, q + t);
            xp.mul(cv).sub(xq.mul(sv)).intoArray(x, p + t);
            xp.mul(sv).add(xq.mul(cv)).intoArray(x, q + t);
        }
        for (; t < len; t++) {
            double xp = x[p + t], xq = x[q + t];
            x[p + t] = c * xp - s * xq;
            x[q + t] = s * xp + c * xq;
        }
    }

    private static double dot(double[] x, int xOff, double[] y, int yOff, int len) {
        DoubleVector acc = DoubleVector.zero(S);
        int t = 0;
        for (int bound = S.loopBound(len); t < bound; t += S.length()) {
            acc = DoubleVector.fromArray(S, x, xOff + t).fma(DoubleVector.fromArray(S, y, yOff + t), acc);
        }
        double sum = Simd.sumLanes(acc);
        for (; t < len; t++) {
            sum = Math.fma(x[xOff + t], y[yOff + t], sum);
        }
        return sum;
    }

    /** y[yOff + t] += alpha · x[xOff + t]. */
    private static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int len) {
        DoubleVector av = DoubleVector.broadcast(S, alpha);
        int t = 0;
        for (int bound = S.loopBound(len); t < bound; t += S.length()) {
            DoubleVector.fromArray(S, x, xOff + t).fma(av, DoubleVector.fromArray(S, y, yOff + t)).intoArray(y, yOff + t);
        }
        for (; t < len; t++) {
            y[yOff + t] = Math.fma(x[xOff + t], alpha, y[yOff + t]);
        }
    }
}
