package vecgrad.cluster;

/**
 * Principal component analysis of x [n][d]: the top-k unit eigenvectors of the sample covariance
 * (ddof = 1) of x, as scikit-learn's {@code PCA(n_components=k, svd_solver="full")}. The covariance
 * [d, d] is formed with the GEMM kernel and diagonalised by cyclic Jacobi, which is accurate for the
 * small and moderate d this class is meant for (d up to a few hundred; cost O(n·d² + d³)).
 *
 * <p>Sign convention: each component is flipped so that its entry of largest magnitude is positive
 * (the rule of {@code conformance-cluster/FORMAT.md} §4.7; scikit-learn's {@code svd_flip} decides on the
 * scores instead), so results do not depend on the solver.
 *
 * {@snippet :
 * PcaResult pca = Pca.fit(x, 2);            // x: double[n][d]
 * double[][] scores = pca.transform(x);     // [n][2]
 * }
 *
 * <p>Reference: I. T. Jolliffe, Principal Component Analysis (2002).
 */
public final class Pca {
    private static final String OP = "pca";

    private Pca() {}

    public static PcaResult fit(double[][] x, int k) {
        Check.matrix(OP, x);
        int n = x.length, d = x[0].length;
        if (k < 1 || k > Math.min(n, d)) {
            throw Check.fail(OP, "n_components must be between 1 and min(n_samples, n_features)", "k = " + k,
                    "1 <= k <= " + Math.min(n, d));
        }
        if (n < 2) {
            throw Check.fail(OP, "the sample covariance needs at least 2 samples", n + " sample", "n >= 2");
        }
        double[] mean = new double[d];
        for (double[] row : x) {
            for (int c = 0; c < d; c++) {
                mean[c] += row[c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        double[] centered = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                centered[i * d + c] = x[i][c] - mean[c];
            }
        }
        double[] covariance = new double[d * d];
        vecgrad.kernels.GemmKernels.gemm(centered, 0, d, true, centered, 0, d, false, covariance, 0, d, d, d, n,
                1.0 / (n - 1), 0.0);
        for (int i = 0; i < d; i++) { // exact symmetry for Jacobi
            for (int j = i + 1; j < d; j++) {
                double s = 0.5 * (covariance[i * d + j] + covariance[j * d + i]);
                covariance[i * d + j] = s;
                covariance[j * d + i] = s;
            }
        }
        double total = 0;
        for (int c = 0; c < d; c++) {
            total += covariance[c * d + c];
        }
        if (!(total > 0)) {
            throw Check.fail(OP, "every feature has zero variance", "total variance " + total,
                    "at least one varying feature");
        }
        Linalg.Eigen eigen = Linalg.symmetricEigen(covariance, d);
        double[][] components = new double[k][d];
        double[] variance = new double[k], ratio = new double[k], singular = new double[k];
        for (int j = 0; j < k; j++) {
            int largest = 0;
            for (int c = 0; c < d; c++) {
                components[j][c] = eigen.vectors()[j * d + c];
                if (Math.abs(components[j][c]) > Math.abs(components[j][largest])) {
                    largest = c;
                }
            }
            if (components[j][largest] < 0) {
                for (int c = 0; c < d; c++) {
                    components[j][c] = -components[j][c];
                }
            }
            // Rounding can leave the eigenvalue of a rank-deficient direction slightly negative.
            variance[j] = Math.max(0, eigen.values()[j]);
            ratio[j] = variance[j] / total;
            singular[j] = Math.sqrt(variance[j] * (n - 1));
        }
        return new PcaResult(mean, components, variance, ratio, singular, n);
    }

    /** Float32 twin of {@link #fit(double[][], int)}: the rows are widened to float64. */
    public static PcaResult fit(float[][] x, int k) {
        return fit(widen(OP, x), k);
    }

    static double[][] widen(String op, float[][] x) {
        Check.matrix(op, x);
        double[][] out = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < x[i].length; c++) {
                out[i][c] = x[i][c];
            }
        }
        return out;
    }
}
