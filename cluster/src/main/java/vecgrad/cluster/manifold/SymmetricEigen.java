package vecgrad.cluster.manifold;

/**
 * Eigen-decomposition of a small symmetric matrix {@code a: [n, n]} by cyclic Jacobi rotations.
 * Used on the Rayleigh–Ritz matrices of the PCA init, where n is at most components + 10.
 *
 * <p>Reference: Golub and Van Loan, Matrix Computations, §8.5 (cyclic Jacobi).
 */
final class SymmetricEigen {
    /** Sweeps after which the off-diagonal mass is below double resolution for any small matrix. */
    static final int MAX_SWEEPS = 100;

    private SymmetricEigen() {}

    /** Returns the eigenvalues [n] (unordered) and writes the eigenvectors as columns of {@code vectors: [n, n]}. */
    static double[] jacobi(double[] matrix, int n, double[] vectors) {
        double[] a = matrix.clone();
        for (int i = 0; i < n * n; i++) {
            vectors[i] = i % (n + 1) == 0 ? 1 : 0;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0, total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i * n + j] * a[i * n + j];
                    if (i != j) {
                        off += a[i * n + j] * a[i * n + j];
                    }
                }
            }
            if (off <= 1e-30 * total || off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) { // A ← A·J
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // A ← Jᵀ·A
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) { // V ← V·J
                        double vkp = vectors[k * n + p], vkq = vectors[k * n + q];
                        vectors[k * n + p] = c * vkp - s * vkq;
                        vectors[k * n + q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i * n + i];
        }
        return values;
    }
}
