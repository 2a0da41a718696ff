package vecgrad.cluster;

/**
 * Principal component analysis of x [n][d]: the top-k unit eigenvectors of the sample covariance
 * (ddof = 1) of x, as scikit-learn's {@code PCA(n_components=k)}. Two solvers ({@link PcaConfig.Solver}):
 * <ul>
 * <li>FULL ({@code svd_solver="full"}): the covariance [d, d] is formed with the GEMM kernel and
 * diagonalised by cyclic Jacobi, accurate to rounding, for small and moderate d (cost O(n·d² + d³));</li>
 * <li>RANDOMIZED ({@code svd_solver="randomized"}): subspace iteration on the centered data through the
 * GEMM kernel, for large d (Fashion-MNIST's d = 784): a Gaussian [k + p, d] start, power iterations that
 * multiply by Xᵀ and X in turn and re-orthonormalize after every product (Cholesky QR, twice), then the
 * exact SVD (one-sided Jacobi) of the projected [k + p, d] matrix. Accurate where the spectrum decays past
 * k + p; cost O(n·d·(k + p)·(2·q + 2)) for q power iterations.</li>
 * </ul>
 * {@link Pca#fit(double[][], int)} uses {@link PcaConfig#of(int)}: RANDOMIZED for d > 500, else FULL.
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

    /** {@link #fit(PcaConfig, double[][])} with {@link PcaConfig#of(int)} (the default solver rule). */
    public static PcaResult fit(double[][] x, int k) {
        return fit(PcaConfig.of(k), x);
    }

    /** Float32 twin of {@link #fit(double[][], int)}: the rows are widened to float64. */
    public static PcaResult fit(float[][] x, int k) {
        return fit(PcaConfig.of(k), x);
    }

    /**
     * Float32 twin of {@link #fit(PcaConfig, double[][])}. The exact solver widens the values to float64 as it
     * centers them; the randomized solver keeps the centered data float32 for its products (float32 GEMM).
     */
    public static PcaResult fit(PcaConfig config, float[][] x) {
        Check.matrix(OP, x);
        int n = x.length, d = x[0].length;
        checkSizes(config.components(), n, d);
        double[] mean = new double[d];
        for (float[] row : x) {
            for (int c = 0; c < d; c++) {
                mean[c] += row[c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        if (config.resolvedSolver(n, d) == PcaConfig.Solver.RANDOMIZED) {
            // Float32 data stay float32 for the products with the data (scikit-learn keeps their dtype too).
            float[] centered = new float[n * d];
            double total = 0;
            for (int i = 0; i < n; i++) {
                float[] row = x[i];
                for (int c = 0; c < d; c++) {
                    float v = (float) (row[c] - mean[c]);
                    centered[i * d + c] = v;
                    total += (double) v * v;
                }
            }
            return randomized(config, mean, PcaRandomized.of(centered, n, d), total / (n - 1), n, d);
        }
        double[] centered = new double[n * d];
        for (int i = 0; i < n; i++) {
            float[] row = x[i];
            for (int c = 0; c < d; c++) {
                centered[i * d + c] = row[c] - mean[c];
            }
        }
        return fitCentered(config, mean, centered, n, d);
    }

    /** The top {@code config.components()} principal axes of x [n][d] with the configured solver. */
    public static PcaResult fit(PcaConfig config, double[][] x) {
        Check.matrix(OP, x);
        int n = x.length, d = x[0].length;
        checkSizes(config.components(), n, d);
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
        return fitCentered(config, mean, centered, n, d);
    }

    private static void checkSizes(int k, int n, int d) {
        if (k < 1 || k > Math.min(n, d)) {
            throw Check.fail(OP, "n_components must be between 1 and min(n_samples, n_features)", "k = " + k,
                    "1 <= k <= " + Math.min(n, d));
        }
        if (n < 2) {
            throw Check.fail(OP, "the sample covariance needs at least 2 samples", n + " sample", "n >= 2");
        }
    }

    /** The solvers on centered [n, d] (row-major) with column means mean [d]. */
    private static PcaResult fitCentered(PcaConfig config, double[] mean, double[] centered, int n, int d) {
        if (config.resolvedSolver(n, d) == PcaConfig.Solver.RANDOMIZED) {
            double total = 0;
            for (double v : centered) {
                total += v * v;
            }
            return randomized(config, mean, PcaRandomized.of(centered, n, d), total / (n - 1), n, d);
        }
        int k = config.components();
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
        checkVariance(total);
        Linalg.Eigen eigen = Linalg.symmetricEigen(covariance, d);
        double[][] components = new double[k][d];
        double[] variance = new double[k];
        for (int j = 0; j < k; j++) {
            System.arraycopy(eigen.vectors(), j * d, components[j], 0, d);
            // Rounding can leave the eigenvalue of a rank-deficient direction slightly negative.
            variance[j] = Math.max(0, eigen.values()[j]);
        }
        return result(mean, components, variance, total, n);
    }

    /** The randomized solver on centered data with total variance {@code total} (ddof = 1). */
    private static PcaResult randomized(PcaConfig config, double[] mean, PcaRandomized.Data centered, double total,
                                        int n, int d) {
        checkVariance(total);
        int k = config.components();
        int width = Math.min(k + config.oversamples(), Math.min(n, d));
        PcaRandomized.Result svd = PcaRandomized.topRows(centered, n, d, width, config.resolvedPowerIterations(n, d),
                config.seed());
        double[][] components = new double[k][d];
        double[] variance = new double[k];
        for (int j = 0; j < k; j++) {
            System.arraycopy(svd.vectors(), j * d, components[j], 0, d);
            variance[j] = svd.values()[j] * svd.values()[j] / (n - 1);
        }
        return result(mean, components, variance, total, n);
    }

    /** Applies the sign convention and derives the ratios and singular values. */
    private static PcaResult result(double[] mean, double[][] components, double[] variance, double total, int n) {
        int k = components.length, d = mean.length;
        double[] ratio = new double[k], singular = new double[k];
        for (int j = 0; j < k; j++) {
            int largest = 0;
            for (int c = 0; c < d; c++) {
                if (Math.abs(components[j][c]) > Math.abs(components[j][largest])) {
                    largest = c;
                }
            }
            if (components[j][largest] < 0) {
                for (int c = 0; c < d; c++) {
                    components[j][c] = -components[j][c];
                }
            }
            ratio[j] = variance[j] / total;
            singular[j] = Math.sqrt(variance[j] * (n - 1));
        }
        return new PcaResult(mean, components, variance, ratio, singular, n);
    }

    private static void checkVariance(double total) {
        if (!(total > 0)) {
            throw Check.fail(OP, "every feature has zero variance", "total variance " + total,
                    "at least one varying feature");
        }
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
