package vecgrad.kernels;

/** Shape and aliasing checks shared by {@link GemmKernels} and {@link GemmReference}. */
final class GemmArgs {
    private GemmArgs() {}

    static void check(String kernel, int aLength, int aOff, int lda, boolean transA, int bLength, int bOff, int ldb,
                      boolean transB, int cLength, int cOff, int ldc, int m, int n, int k,
                      boolean aIsC, boolean bIsC) {
        KernelArgs.nonNegative(kernel, "m", m);
        KernelArgs.nonNegative(kernel, "n", n);
        KernelArgs.nonNegative(kernel, "k", k);
        if (m == 0 || n == 0) {
            return; // nothing is read or written
        }
        KernelArgs.matrix(kernel, "a", aLength, aOff, lda, transA ? k : m, transA ? m : k);
        KernelArgs.matrix(kernel, "b", bLength, bOff, ldb, transB ? n : k, transB ? k : n);
        KernelArgs.matrix(kernel, "c", cLength, cOff, ldc, m, n);
        if (aIsC || bIsC) {
            throw KernelArgs.fail(kernel, "c aliases " + (aIsC ? "a" : "b"), "the same array for c and "
                    + (aIsC ? "a" : "b"), "c in storage of its own (GEMM reads its operands while writing c)");
        }
    }
}
