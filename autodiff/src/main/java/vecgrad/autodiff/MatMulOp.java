package vecgrad.autodiff;

import vecgrad.kernels.GemmKernels;

/**
 * Matrix product like {@code torch.matmul} in three forms: {@code [m, k] @ [k, n] -> [m, n]};
 * {@code [b, m, k] @ [b, k, n] -> [b, m, n]}; and a batch against a shared matrix,
 * {@code [b, m, k] @ [k, n]} or {@code [m, k] @ [b, k, n] -> [b, m, n]} (a batch size of 1 also broadcasts).
 * A shared operand's gradient sums over the batch. 1-D and 4-D operands are refused rather than reshaped.
 *
 * <p>Bilinear: both gradients are the same GEMM with transposed operands, {@code dL/da = grad · bᵀ} and
 * {@code dL/db = aᵀ · grad}, computed by {@link GemmKernels} in the tensors' dtype.
 */
final class MatMulOp {
    private MatMulOp() {}

    private record Dims(int batch, int m, int k, int n, boolean aBatched, boolean bBatched) {
        int[] outShape(boolean batchedOut) {
            return batchedOut ? new int[] {batch, m, n} : new int[] {m, n};
        }
    }

    static Tensor apply(Tensor a, Tensor b) {
        Check.sameDType("matmul", a, b);
        Dims dims = dims(a, b);
        boolean batchedOut = a.rank() == 3 || b.rank() == 3;
        int[] outShape = dims.outShape(batchedOut);
        // Every element of the output and of both gradients is written by a GEMM with beta 0 when no size is 0,
        // so pooled arrays with stale contents (GradPool, a recycled leaf gradient) need no zeroing first.
        boolean overwrites = dims.batch > 0 && dims.m > 0 && dims.k > 0 && dims.n > 0;
        Tensor y = overwrites ? Tensor.uninitialized(a.dtype(), outShape) : Tensor.zeros(a.dtype(), outShape);
        product(a, false, b, false, y, dims.batch, dims.m, dims.n, dims.k,
                dims.aBatched ? dims.m * dims.k : 0, dims.bBatched ? dims.k * dims.n : 0, dims.m * dims.n, false);
        return Tape.record("matmul", y, new Tensor[] {a, b}, (grad, needs) -> {
            Tensor da = null;
            Tensor db = null;
            if (needs[0]) { // dL/da = grad · bᵀ, summed over the batch when a is shared
                da = overwrites ? a.gradientBuffer() : Tensor.zeros(a.dtype(), a.shapeRef());
                product(grad, false, b, true, da, dims.batch, dims.m, dims.k, dims.n,
                        dims.m * dims.n, dims.bBatched ? dims.k * dims.n : 0, dims.aBatched ? dims.m * dims.k : 0,
                        !dims.aBatched);
            }
            if (needs[1]) { // dL/db = aᵀ · grad, summed over the batch when b is shared
                db = overwrites ? b.gradientBuffer() : Tensor.zeros(b.dtype(), b.shapeRef());
                product(a, true, grad, false, db, dims.batch, dims.k, dims.n, dims.m,
                        dims.aBatched ? dims.m * dims.k : 0, dims.m * dims.n, dims.bBatched ? dims.k * dims.n : 0,
                        !dims.bBatched);
            }
            return new Tensor[] {da, db};
        });
    }

    private static Dims dims(Tensor a, Tensor b) {
        if (a.rank() < 2 || a.rank() > 3 || b.rank() < 2 || b.rank() > 3) {
            throw Check.fail("matmul", "operands must be 2-D or 3-D", "a " + a.shapeString() + " and b " + b.shapeString(),
                    "[m, k] or [batch, m, k] operands (no implicit reshape of 1-D or 4-D tensors)");
        }
        int[] as = a.shapeRef();
        int[] bs = b.shapeRef();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int kb = bs[bs.length - 2];
        int n = bs[bs.length - 1];
        if (k != kb) {
            throw Check.fail("matmul", "inner dimensions differ", "a " + a.shapeString() + " and b " + b.shapeString(),
                    "a.shape[-1] == b.shape[-2] (" + k + " != " + kb + ")");
        }
        int batchA = as.length == 3 ? as[0] : 1;
        int batchB = bs.length == 3 ? bs[0] : 1;
        if (batchA != batchB && batchA != 1 && batchB != 1) {
            throw Check.fail("matmul", "batch sizes differ", "a " + a.shapeString() + " and b " + b.shapeString(),
                    "equal batch sizes, or a batch of 1 or a 2-D operand (" + batchA + " != " + batchB + ")");
        }
        int batch = Math.max(batchA, batchB);
        if (batchA == 0 || batchB == 0) {
            batch = 0;
        }
        // An operand with batch size 1 (2-D, or [1, m, k]) is shared: stride 0 over the batch.
        return new Dims(batch, m, k, n, batchA > 1, batchB > 1);
    }

    /**
     * For each batch index: {@code c[i] (+)= op(x[i]) · op(y[i])} with {@code op(x): [m, k]}, {@code op(y): [k, n]};
     * a stride of 0 reuses one matrix for every batch; {@code accumulate} adds into c (shared operand's gradient).
     */
    private static void product(Tensor x, boolean transX, Tensor y, boolean transY, Tensor c, int batch, int m,
                                int n, int k, int xStride, int yStride, int cStride, boolean accumulate) {
        // Leading dimensions of at least 1 keep the kernel's argument checks happy for zero-size operands.
        int lda = Math.max(1, transX ? m : k);
        int ldb = Math.max(1, transY ? k : n);
        int ldc = Math.max(1, n);
        for (int i = 0; i < batch; i++) {
            boolean add = accumulate && i > 0;
            if (c.dtype() == DType.F32) {
                GemmKernels.gemm(x.floats(), i * xStride, lda, transX, y.floats(), i * yStride, ldb, transY,
                        c.floats(), i * cStride, ldc, m, n, k, 1f, add ? 1f : 0f);
            } else {
                GemmKernels.gemm(x.doubles(), i * xStride, lda, transX, y.doubles(), i * yStride, ldb, transY,
                        c.doubles(), i * cStride, ldc, m, n, k, 1.0, add ? 1.0 : 0.0);
            }
        }
    }
}
