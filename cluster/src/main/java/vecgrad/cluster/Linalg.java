package vecgrad.cluster;

/** Small dense linear algebra on row-major [d, d] float64 matrices: Cholesky, triangular inverse, symmetric eigen. */
final class Linalg {
    private Linalg() {}

    /**
     * Lower Cholesky factor L of the symmetric matrix a [d, d] (a = L·Lᵀ), written into l [d, d] (upper part
     * zeroed). Returns the index of the first pivot that is not positive (or not above
     * {@code minPivot[j]} when given), or -1 on success.
     */
    static int cholesky(double[] a, int d, double[] l, double[] minPivot) {
        java.util.Arrays.fill(l, 0, d * d, 0);
        for (int j = 0; j < d; j++) {
            double pivot = a[j * d + j];
            for (int p = 0; p < j; p++) {
                pivot -= l[j * d + p] * l[j * d + p];
            }
            if (!(pivot > 0) || (minPivot != null && !(pivot > minPivot[j]))) {
                return j;
            }
            double root = Math.sqrt(pivot);
            l[j * d + j] = root;
            for (int i = j + 1; i < d; i++) {
                double sum = a[i * d + j];
                for (int p = 0; p < j; p++) {
                    sum -= l[i * d + p] * l[j * d + p];
                }
                l[i * d + j] = sum / root;
            }
        }
        return -1;
    }

    /** (L⁻¹)ᵀ [d, d] (upper triangular) of a lower triangular l [d, d]. */
    static double[] inverseLowerTransposed(double[] l, int d) {
        double[] inv = new double[d * d]; // inv = L⁻¹, lower triangular, by forward substitution per column
        for (int c = 0; c < d; c++) {
            for (int i = c; i < d; i++) {
                double sum = i == c ? 1 : 0;
                for (int p = c; p < i; p++) {
                    sum -= l[i * d + p] * inv[p * d + c];
                }
                inv[i * d + c] = sum / l[i * d + i];
            }
        }
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = inv[j * d + i];
            }
        }
        return out;
    }

    /** Eigen-decomposition of a symmetric [d, d] matrix. */
    record Eigen(double[] values, double[] vectors) {}

    /** Cyclic Jacobi converges quadratically, in well under 100 sweeps for any d used here. */
    private static final int MAX_SWEEPS = 100;
    /** Stop when Σ off-diagonal² ≤ this × Σ diagonal²: off-diagonal entries below ~1e-15 of the diagonal, i.e. rounding. */
    private static final double CONVERGED_OFF_DIAGONAL = 1e-30;

    /**
     * Cyclic Jacobi eigen-decomposition of the symmetric matrix a [d, d] (not modified). Returns the
     * eigenvalues in descending order and the matching unit eigenvectors as the rows of a [d, d] matrix.
     * Jacobi is chosen for its accuracy: eigenvectors of well-separated eigenvalues come out to
     * near machine precision, which the PCA conformance tolerances (1e-8) need.
     *
     * <p>Reference: G. H. Golub and C. F. Van Loan, Matrix Computations, §8.5 (cyclic Jacobi).
     */
    static Eigen symmetricEigen(double[] a, int d) {
        double[] m = a.clone();
        double[] v = new double[d * d];
        for (int i = 0; i < d; i++) {
            v[i * d + i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < d; i++) {
                diag += m[i * d + i] * m[i * d + i];
                for (int j = i + 1; j < d; j++) {
                    off += m[i * d + j] * m[i * d + j];
                }
            }
            if (off == 0 || off <= CONVERGED_OFF_DIAGONAL * diag) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    double apq = m[p * d + q];
                    if (apq == 0) {
                        continue;
                    }
                    double app = m[p * d + p], aqq = m[q * d + q];
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int r = 0; r < d; r++) { // columns p and q: m = m·J
                        double mrp = m[r * d + p], mrq = m[r * d + q];
                        m[r * d + p] = c * mrp - s * mrq;
                        m[r * d + q] = s * mrp + c * mrq;
                    }
                    for (int r = 0; r < d; r++) { // rows p and q: m = Jᵀ·m
                        double mpr = m[p * d + r], mqr = m[q * d + r];
                        m[p * d + r] = c * mpr - s * mqr;
                        m[q * d + r] = s * mpr + c * mqr;
                    }
                    m[p * d + q] = 0;
                    m[q * d + p] = 0;
                    for (int r = 0; r < d; r++) { // accumulate rotations: v = v·J (eigenvectors in columns)
                        double vrp = v[r * d + p], vrq = v[r * d + q];
                        v[r * d + p] = c * vrp - s * vrq;
                        v[r * d + q] = s * vrp + c * vrq;
                    }
                }
            }
        }
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        double[] diagonal = new double[d];
        for (int i = 0; i < d; i++) {
            diagonal[i] = m[i * d + i];
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(diagonal[y], diagonal[x]));
        double[] values = new double[d];
        double[] vectors = new double[d * d];
        for (int r = 0; r < d; r++) {
            values[r] = diagonal[order[r]];
            for (int i = 0; i < d; i++) {
                vectors[r * d + i] = v[i * d + order[r]];
            }
        }
        return new Eigen(values, vectors);
    }
}
