package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pairwise squared Euclidean distances between two row sets: {@code out[i, j] = ‖x_i − y_j‖²} for
 * {@code x: [n, d]}, {@code y: [m, d]}, {@code out: [n, m]}, all row-major with leading dimensions.
 * SIMD twin of {@link DistanceReference}.
 *
 * <p>Computed as {@code ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j} with the cross term from one
 * {@link GemmKernels#gemm} call ({@code −2 X Yᵀ}), which is what makes it fast for k-means and t-SNE;
 * the cancellation can leave tiny negative values where x_i ≈ y_j, so results are clamped at 0
 * (NaN stays NaN). When y is x itself (same array, offset and leading dimension, n == m) the
 * diagonal is set to exactly 0, as scikit-learn does. The absolute error is about
 * {@code (d + 2)·u·(‖x_i‖² + ‖y_j‖²)} for unit roundoff u; the reference sums (x − y)² directly.
 *
 * <p>Allocates two norm vectors ({@code n + m} cells) per call. out must not overlap x or y.
 */
public final class DistanceKernels {
    private static final VectorSpecies<Float> S32 = Simd.F32;
    private static final VectorSpecies<Double> S64 = Simd.F64;

    private DistanceKernels() {}

    static void check(String kernel, Object x, int xLength, int xOff, int ldx, Object y, int yLength, int yOff,
                      int ldy, Object out, int outLength, int outOff, int ldo, int n, int m, int d) {
        KernelArgs.nonNegative(kernel, "n", n);
        KernelArgs.nonNegative(kernel, "m", m);
        KernelArgs.nonNegative(kernel, "d", d);
        KernelArgs.matrix(kernel, "x", xLength, xOff, ldx, n, d);
        KernelArgs.matrix(kernel, "y", yLength, yOff, ldy, m, d);
        KernelArgs.matrix(kernel, "out", outLength, outOff, ldo, n, m);
        if (n > 0 && m > 0 && (out == x || out == y)) {
            // GEMM writes out while reading x and y, so even disjoint regions of one array are refused
            throw KernelArgs.fail(kernel, "out aliases " + (out == x ? "x" : "y"), "the same array for out and "
                    + (out == x ? "x" : "y"), "out in storage of its own");
        }
    }

    // ---- float32 ----

    /** {@code out[i, j] = max(0, ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j)} for {@code x: [n, d]}, {@code y: [m, d]}, {@code out: [n, m]}. */
    public static void squaredEuclidean(float[] x, int xOff, int ldx, float[] y, int yOff, int ldy, float[] out,
                                        int outOff, int ldo, int n, int m, int d) {
        check("squared_distances", x, x.length, xOff, ldx, y, y.length, yOff, ldy, out, out.length, outOff, ldo, n, m,
                d);
        if (n == 0 || m == 0) {
            return;
        }
        float[] xNorms = new float[n];
        float[] yNorms = new float[m];
        ReduceKernels.squaredNormRows(x, xOff, ldx, xNorms, 0, n, d);
        ReduceKernels.squaredNormRows(y, yOff, ldy, yNorms, 0, m, d);
        GemmKernels.gemm(x, xOff, ldx, false, y, yOff, ldy, true, out, outOff, ldo, n, m, d, -2f, 0f);
        boolean self = x == y && xOff == yOff && ldx == ldy && n == m;
        ReduceKernels.forRows(n, m, i -> {
            int row = outOff + i * ldo;
            FloatVector xNorm = FloatVector.broadcast(S32, xNorms[i]);
            int j = 0;
            for (int bound = S32.loopBound(m); j < bound; j += S32.length()) {
                FloatVector.fromArray(S32, out, row + j).add(xNorm).add(FloatVector.fromArray(S32, yNorms, j))
                        .max(0f).intoArray(out, row + j);
            }
            if (j < m) {
                VectorMask<Float> tail = S32.indexInRange(j, m);
                FloatVector.fromArray(S32, out, row + j, tail).add(xNorm)
                        .add(FloatVector.fromArray(S32, yNorms, j, tail)).max(0f).intoArray(out, row + j, tail);
            }
            if (self) {
                out[row + i] = 0; // a point's distance to itself, without the cancellation residue
            }
        });
    }
    // ---- float64: the float32 code above, with double lanes ----

    /** {@code out[i, j] = max(0, ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j)} for {@code x: [n, d]}, {@code y: [m, d]}, {@code out: [n, m]}. */
    public static void squaredEuclidean(double[] x, int xOff, int ldx, double[] y, int yOff, int ldy, double[] out,
                                        int outOff, int ldo, int n, int m, int d) {
        check("squared_distances", x, x.length, xOff, ldx, y, y.length, yOff, ldy, out, out.length, outOff, ldo, n, m,
                d);
        if (n == 0 || m == 0) {
            return;
        }
        double[] xNorms = new double[n];
        double[] yNorms = new double[m];
        ReduceKernels.squaredNormRows(x, xOff, ldx, xNorms, 0, n, d);
        ReduceKernels.squaredNormRows(y, yOff, ldy, yNorms, 0, m, d);
        GemmKernels.gemm(x, xOff, ldx, false, y, yOff, ldy, true, out, outOff, ldo, n, m, d, -2.0, 0.0);
        boolean self = x == y && xOff == yOff && ldx == ldy && n == m;
        ReduceKernels.forRows(n, m, i -> {
            int row = outOff + i * ldo;
            DoubleVector xNorm = DoubleVector.broadcast(S64, xNorms[i]);
            int j = 0;
            for (int bound = S64.loopBound(m); j < bound; j += S64.length()) {
                DoubleVector.fromArray(S64, out, row + j).add(xNorm).add(DoubleVector.fromArray(S64, yNorms, j))
                        .max(0.0).intoArray(out, row + j);
            }
            if (j < m) {
                VectorMask<Double> tail = S64.indexInRange(j, m);
                DoubleVector.fromArray(S64, out, row + j, tail).add(xNorm)
                        .add(DoubleVector.fromArray(S64, yNorms, j, tail)).max(0.0).intoArray(out, row + j, tail);
            }
            if (self) {
                out[row + i] = 0; // a point's distance to itself, without the cancellation residue
            }
        });
    }
}
