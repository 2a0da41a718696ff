package vecgrad.kernels;

/**
 * Matrix multiply {@code C = alpha * op(A) * op(B) + beta * C} with SIMD register tiles, packed cache
 * blocks and the shared {@link Parallel} pool. Scalar twin: {@link GemmReference}.
 *
 * <p>Three paths, chosen from the sizes and strides alone: up to 256 multiply-adds, plain loops; a narrow C
 * (at most 16 columns, or 16 rows) whose long operand is contiguous along k, vector dot products that read that
 * operand in place (the k-means shape, 60000 x 784 points against 10 centroids); otherwise packed cache blocks
 * and a 12 x 2-vector register tile (Goto and van de Geijn), with C transposed internally when that wastes less
 * of the tile on padding. The float32 and float64 engines are {@code GemmF32} and {@code GemmF64}.
 *
 * <p>Each element of C is summed over k in an order fixed by the sizes alone, never by the chunking, so results
 * are bit-identical for any thread count. They differ from {@link GemmReference} by rounding only: float32 sums
 * here in float32 with fused multiply-adds, the reference in double.
 */
public final class GemmKernels {
    private GemmKernels() {}

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} where {@code op(A): [m, k]}, {@code op(B): [k, n]},
     * {@code C: [m, n]}, all row-major with leading dimensions. {@code transA} means A is stored as
     * {@code [k, m]}. With {@code beta == 0}, C is overwritten (NaN in C does not propagate), and with
     * {@code alpha == 0} or {@code k == 0} A and B are not read ({@code C = beta * C}), as in BLAS.
     */
    public static void gemm(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb, boolean transB,
                            float[] c, int cOff, int ldc, int m, int n, int k, float alpha, float beta) {
        GemmArgs.check("gemm", a.length, aOff, lda, transA, b.length, bOff, ldb, transB, c.length, cOff, ldc, m, n, k,
                a == c, b == c);
        GemmF32.run(a, aOff, transA ? 1 : lda, transA ? lda : 1, b, bOff, transB ? 1 : ldb, transB ? ldb : 1,
                c, cOff, ldc, 1, m, n, k, alpha, beta);
    }

    /** Float64 overload of {@link #gemm(float[], int, int, boolean, float[], int, int, boolean, float[], int, int, int, int, int, float, float)}. */
    public static void gemm(double[] a, int aOff, int lda, boolean transA, double[] b, int bOff, int ldb, boolean transB,
                            double[] c, int cOff, int ldc, int m, int n, int k, double alpha, double beta) {
        GemmArgs.check("gemm", a.length, aOff, lda, transA, b.length, bOff, ldb, transB, c.length, cOff, ldc, m, n, k,
                a == c, b == c);
        GemmF64.run(a, aOff, transA ? 1 : lda, transA ? lda : 1, b, bOff, transB ? 1 : ldb, transB ? ldb : 1,
                c, cOff, ldc, 1, m, n, k, alpha, beta);
    }

    /** {@code C = A · B} (or {@code C += A · B} when accumulating) for plain row-major operands. */
    public static void multiply(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        gemm(a, aOff, lda, false, b, bOff, ldb, false, c, cOff, ldc, m, n, k, 1f, accumulate ? 1f : 0f);
    }

    /** Float64 overload of {@link #multiply(float[], int, int, float[], int, int, float[], int, int, int, int, int, boolean)}. */
    public static void multiply(double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                double[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        gemm(a, aOff, lda, false, b, bOff, ldb, false, c, cOff, ldc, m, n, k, 1.0, accumulate ? 1.0 : 0.0);
    }
}
