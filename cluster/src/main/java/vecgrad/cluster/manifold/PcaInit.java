package vecgrad.cluster.manifold;

import java.util.SplittableRandom;
import vecgrad.kernels.GemmKernels;

/**
 * The PCA start of t-SNE: the projection of the centred data {@code x: [n, d]} on its top principal
 * axes {@code [n, components]}, found by randomized subspace iteration (a block of components + 10
 * vectors, {@link #POWER_ITERATIONS} passes through the GEMM kernel) and a Rayleigh–Ritz step.
 * Each axis is signed so that its largest-magnitude entry is positive.
 *
 * <p>Reference: Halko, Martinsson and Tropp, Finding structure with randomness (2011), Alg. 4.4,
 * the solver scikit-learn's {@code PCA(svd_solver="randomized")} uses for the t-SNE init.
 */
final class PcaInit {
    /** scikit-learn's {@code n_oversamples = 10}. */
    static final int OVERSAMPLES = 10;
    /** scikit-learn's {@code n_iter="auto"} gives 7 passes when few components are kept. */
    static final int POWER_ITERATIONS = 7;

    private PcaInit() {}

    static double[] project(double[] x, int n, int d, int components, long seed) {
        int rank = Math.min(n, d);
        if (components > rank) {
            throw new IllegalArgumentException("tsne: init PCA needs components <= min(n_samples, n_features); got "
                    + components + " components for data [" + n + ", " + d + "], expected <= " + rank
                    + " (use Init.RANDOM)");
        }
        int block = Math.min(rank, components + OVERSAMPLES);
        double[] centred = centre(x, n, d);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[d * block];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        double[] u = new double[n * block];
        orthonormalizeColumns(v, d, block);
        for (int pass = 0; pass < POWER_ITERATIONS; pass++) {
            GemmKernels.gemm(centred, 0, d, false, v, 0, block, false, u, 0, block, n, block, d, 1.0, 0.0);
            orthonormalizeColumns(u, n, block);
            GemmKernels.gemm(centred, 0, d, true, u, 0, block, false, v, 0, block, d, block, n, 1.0, 0.0);
            orthonormalizeColumns(v, d, block);
        }
        double[] m = new double[n * block];
        GemmKernels.gemm(centred, 0, d, false, v, 0, block, false, m, 0, block, n, block, d, 1.0, 0.0);
        double[] gram = new double[block * block];
        GemmKernels.gemm(m, 0, block, true, m, 0, block, false, gram, 0, block, block, block, n, 1.0, 0.0);
        double[] vectors = new double[block * block];
        double[] values = SymmetricEigen.jacobi(gram, block, vectors);
        Integer[] order = new Integer[block];
        for (int i = 0; i < block; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[] projected = new double[n * components];
        for (int c = 0; c < components; c++) {
            int col = order[c];
            double sign = axisSign(v, d, block, vectors, col);
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int b = 0; b < block; b++) {
                    sum += m[i * block + b] * vectors[b * block + col];
                }
                projected[i * components + c] = sign * sum;
            }
        }
        return projected;
    }

    /** +1 or −1 so that the largest-magnitude entry of the axis V·e (in data space) is positive. */
    private static double axisSign(double[] v, int d, int block, double[] vectors, int col) {
        double best = 0;
        for (int j = 0; j < d; j++) {
            double entry = 0;
            for (int b = 0; b < block; b++) {
                entry += v[j * block + b] * vectors[b * block + col];
            }
            if (Math.abs(entry) > Math.abs(best)) {
                best = entry;
            }
        }
        return best < 0 ? -1 : 1;
    }

    private static double[] centre(double[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += x[i * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        double[] centred = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                centred[i * d + c] = x[i * d + c] - mean[c];
            }
        }
        return centred;
    }

    /** Modified Gram–Schmidt on the columns of a: [rows, cols]; a column that vanishes is set to 0. */
    static void orthonormalizeColumns(double[] a, int rows, int cols) {
        for (int j = 0; j < cols; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < rows; i++) {
                    dot += a[i * cols + j] * a[i * cols + k];
                }
                for (int i = 0; i < rows; i++) {
                    a[i * cols + j] -= dot * a[i * cols + k];
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++) {
                norm += a[i * cols + j] * a[i * cols + j];
            }
            norm = Math.sqrt(norm);
            double scale = norm > 1e-300 ? 1 / norm : 0;
            for (int i = 0; i < rows; i++) {
                a[i * cols + j] *= scale;
            }
        }
    }
}
