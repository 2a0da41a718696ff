package vecgrad.cluster.manifold;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.Simd;

/**
 * The PCA start of t-SNE: the projection of the centred data {@code x: [n, d]} on its top principal
 * axes {@code [n, components]}, found by randomized subspace iteration (a block of components + 10
 * vectors, {@link #POWER_ITERATIONS} passes) and a Rayleigh–Ritz step. Each axis is signed so that
 * its largest-magnitude entry is positive.
 *
 * <p>The block is only ~12 vectors wide, so the products X·V [n, b] and Xᵀ·U [d, b] are written
 * here as dot products and row updates in SIMD lanes (block vectors stored as rows) rather than
 * through the general GEMM: they are two short loops that the JIT compiles at once, which matters
 * because the init runs once per fit in a fresh JVM. Work is split in chunks fixed by n and d, so the
 * result is bit-identical for any thread count.
 *
 * <p>Reference: Halko, Martinsson and Tropp, Finding structure with randomness (2011), Alg. 4.4,
 * the solver scikit-learn's {@code PCA(svd_solver="randomized")} uses for the t-SNE init.
 */
final class PcaInit {
    /** scikit-learn's {@code n_oversamples = 10}. */
    static final int OVERSAMPLES = 10;
    /** scikit-learn's {@code n_iter="auto"} gives 7 passes when few components are kept. */
    static final int POWER_ITERATIONS = 7;
    private static final VectorSpecies<Double> S = Simd.F64;
    /** Rows of X per parallel chunk of X·V. */
    private static final int CHUNK_ROWS = 128;
    /** Columns of X per parallel chunk of Xᵀ·U: each chunk owns its slice of the output. */
    private static final int CHUNK_COLUMNS = 64;

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
        // vt [block, d] holds the block's vectors V as rows; ut [block, n] holds U = X·V as rows.
        double[] vt = new double[block * d];
        for (int row = 0; row < d; row++) {
            for (int b = 0; b < block; b++) {
                vt[b * d + row] = rng.nextGaussian();
            }
        }
        double[] ut = new double[block * n];
        orthonormalizeRows(vt, block, d);
        for (int pass = 0; pass < POWER_ITERATIONS; pass++) {
            timesRows(centred, n, d, vt, block, ut);
            orthonormalizeRows(ut, block, n);
            transposeTimesRows(centred, n, d, ut, block, vt);
            orthonormalizeRows(vt, block, d);
        }
        double[] mt = new double[block * n]; // M = X·V, as rows
        timesRows(centred, n, d, vt, block, mt);
        double[] gram = new double[block * block];
        for (int a = 0; a < block; a++) {
            for (int b = 0; b <= a; b++) {
                double dot = dot(mt, a * n, mt, b * n, n);
                gram[a * block + b] = dot;
                gram[b * block + a] = dot;
            }
        }
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
            double sign = axisSign(vt, d, block, vectors, col);
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int b = 0; b < block; b++) {
                    sum += mt[b * n + i] * vectors[b * block + col];
                }
                projected[i * components + c] = sign * sum;
            }
        }
        return projected;
    }

    /** +1 or −1 so that the largest-magnitude entry of the axis V·e (in data space) is positive. */
    private static double axisSign(double[] vt, int d, int block, double[] vectors, int col) {
        double best = 0;
        for (int j = 0; j < d; j++) {
            double entry = 0;
            for (int b = 0; b < block; b++) {
                entry += vt[b * d + j] * vectors[b * block + col];
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

    /** {@code ut[b, i] = x_i · vt_b} for x [n, d] and the block vt [block, d]: U = X·V stored as rows. */
    static void timesRows(double[] x, int n, int d, double[] vt, int block, double[] ut) {
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int r1 = Math.min(n, (chunk + 1) * CHUNK_ROWS);
            for (int i = chunk * CHUNK_ROWS; i < r1; i++) {
                for (int b = 0; b < block; b++) {
                    ut[b * n + i] = dot(x, i * d, vt, b * d, d);
                }
            }
        });
    }

    /**
     * {@code vt[b, c] = Σ_i ut[b, i] · x[i, c]}: V = Xᵀ·U stored as rows, each chunk of columns
     * summing over the rows in order, four rows per read-modify-write of the output slice.
     */
    static void transposeTimesRows(double[] x, int n, int d, double[] ut, int block, double[] vt) {
        java.util.Arrays.fill(vt, 0, block * d, 0);
        Parallel.forEach(Parallel.chunks(d, CHUNK_COLUMNS), chunk -> {
            int c0 = chunk * CHUNK_COLUMNS, c1 = Math.min(d, c0 + CHUNK_COLUMNS);
            int lanes = S.length();
            int bound = c0 + S.loopBound(c1 - c0);
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                int r0 = i * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
                for (int b = 0; b < block; b++) {
                    int u = b * n + i;
                    double s0 = ut[u], s1 = ut[u + 1], s2 = ut[u + 2], s3 = ut[u + 3];
                    int out = b * d;
                    int c = c0;
                    for (; c < bound; c += lanes) {
                        DoubleVector acc = DoubleVector.fromArray(S, vt, out + c);
                        acc = DoubleVector.fromArray(S, x, r0 + c).fma(DoubleVector.broadcast(S, s0), acc);
                        acc = DoubleVector.fromArray(S, x, r1 + c).fma(DoubleVector.broadcast(S, s1), acc);
                        acc = DoubleVector.fromArray(S, x, r2 + c).fma(DoubleVector.broadcast(S, s2), acc);
                        acc = DoubleVector.fromArray(S, x, r3 + c).fma(DoubleVector.broadcast(S, s3), acc);
                        acc.intoArray(vt, out + c);
                    }
                    for (; c < c1; c++) {
                        double acc = vt[out + c];
                        acc = Math.fma(x[r0 + c], s0, acc);
                        acc = Math.fma(x[r1 + c], s1, acc);
                        acc = Math.fma(x[r2 + c], s2, acc);
                        vt[out + c] = Math.fma(x[r3 + c], s3, acc);
                    }
                }
            }
            for (; i < n; i++) {
                int row = i * d;
                for (int b = 0; b < block; b++) {
                    double scale = ut[b * n + i];
                    int out = b * d;
                    for (int c = c0; c < c1; c++) {
                        vt[out + c] = Math.fma(x[row + c], scale, vt[out + c]);
                    }
                }
            }
        });
    }

    /** Σ_c a[aOff + c]·b[bOff + c] in four SIMD accumulators (summed in a fixed order), then a scalar tail. */
    static double dot(double[] a, int aOff, double[] b, int bOff, int length) {
        int lanes = S.length();
        DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int c = 0;
        for (int bound = length - 4 * lanes; c <= bound; c += 4 * lanes) {
            acc0 = DoubleVector.fromArray(S, a, aOff + c).fma(DoubleVector.fromArray(S, b, bOff + c), acc0);
            acc1 = DoubleVector.fromArray(S, a, aOff + c + lanes).fma(DoubleVector.fromArray(S, b, bOff + c + lanes), acc1);
            acc2 = DoubleVector.fromArray(S, a, aOff + c + 2 * lanes)
                    .fma(DoubleVector.fromArray(S, b, bOff + c + 2 * lanes), acc2);
            acc3 = DoubleVector.fromArray(S, a, aOff + c + 3 * lanes)
                    .fma(DoubleVector.fromArray(S, b, bOff + c + 3 * lanes), acc3);
        }
        for (int bound = S.loopBound(length); c < bound; c += lanes) {
            acc0 = DoubleVector.fromArray(S, a, aOff + c).fma(DoubleVector.fromArray(S, b, bOff + c), acc0);
        }
        double sum = Simd.sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        for (; c < length; c++) {
            sum = Math.fma(a[aOff + c], b[bOff + c], sum);
        }
        return sum;
    }

    /** Modified Gram–Schmidt on the rows of a: [rows, length]; a row that vanishes is set to 0. */
    static void orthonormalizeRows(double[] a, int rows, int length) {
        for (int j = 0; j < rows; j++) {
            int at = j * length;
            for (int k = 0; k < j; k++) {
                double projection = dot(a, at, a, k * length, length);
                for (int i = 0; i < length; i++) {
                    a[at + i] -= projection * a[k * length + i];
                }
            }
            double norm = Math.sqrt(dot(a, at, a, at, length));
            double scale = norm > 1e-300 ? 1 / norm : 0;
            for (int i = 0; i < length; i++) {
                a[at + i] *= scale;
            }
        }
    }
}
