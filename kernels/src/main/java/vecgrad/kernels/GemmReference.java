package vecgrad.kernels;

/**
 * Scalar twin of {@link GemmKernels}: the simplest correct triple loop, accumulating in double for
 * float32. Property tests compare the SIMD kernel with it.
 */
public final class GemmReference {
    private GemmReference() {}

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
        boolean readsOperands = alpha != 0; // BLAS: alpha == 0 leaves A and B unread, so NaN there cannot leak
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; readsOperands && p < k; p++) {
                    float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += (double) x * y;
                }
                int at = cOff + i * ldc + j;
                double old = beta == 0 ? 0 : (double) beta * c[at];
                c[at] = (float) (alpha * sum + old);
            }
        }
    }

    /** Float64 overload of {@link #gemm(float[], int, int, boolean, float[], int, int, boolean, float[], int, int, int, int, int, float, float)}. */
    public static void gemm(double[] a, int aOff, int lda, boolean transA, double[] b, int bOff, int ldb, boolean transB,
                            double[] c, int cOff, int ldc, int m, int n, int k, double alpha, double beta) {
        GemmArgs.check("gemm", a.length, aOff, lda, transA, b.length, bOff, ldb, transB, c.length, cOff, ldc, m, n, k,
                a == c, b == c);
        boolean readsOperands = alpha != 0; // BLAS: alpha == 0 leaves A and B unread, so NaN there cannot leak
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; readsOperands && p < k; p++) {
                    double x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += x * y;
                }
                int at = cOff + i * ldc + j;
                double old = beta == 0 ? 0 : beta * c[at];
                c[at] = alpha * sum + old;
            }
        }
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
