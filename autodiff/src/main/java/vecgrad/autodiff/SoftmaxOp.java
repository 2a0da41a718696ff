package vecgrad.autodiff;

import vecgrad.kernels.SoftmaxKernels;

/**
 * {@code softmax(x, dim) = e^(x−max) / Σ e^(x−max)} and {@code log_softmax(x, dim) = x − max − ln Σ e^(x−max)}
 * along one dimension, shape preserved. The max-shift keeps logits of magnitude 1e3 finite and exact. Both
 * directions run on {@link SoftmaxKernels} along the middle axis of {@code x} viewed as
 * {@code [outer, size, inner]}.
 */
final class SoftmaxOp {
    private SoftmaxOp() {}

    static Tensor softmax(Tensor x, int dim) {
        int d = Check.dim("softmax", dim, Math.max(1, x.rank()));
        int[] block = block(x.shapeRef(), d);
        Tensor out = forward(x, block, false);
        return Tape.record("softmax", out, new Tensor[] {x}, (grad, needs) -> new Tensor[] {
            backward(out, grad, block, false), // dL/dx = s ⊙ (grad − Σ grad·s)
        });
    }

    static Tensor logSoftmax(Tensor x, int dim) {
        int d = Check.dim("log_softmax", dim, Math.max(1, x.rank()));
        int[] block = block(x.shapeRef(), d);
        Tensor out = forward(x, block, true);
        return Tape.record("log_softmax", out, new Tensor[] {x}, (grad, needs) -> new Tensor[] {
            backward(out, grad, block, true), // dL/dx = grad − softmax(x)·Σ grad
        });
    }

    /** log_softmax along the last dimension of a 2-D tensor: the log-probabilities of cross-entropy. */
    static Tensor logSoftmaxRows(Tensor x) {
        return forward(x, block(x.shapeRef(), 1), true);
    }

    /** {@code {outer, size, inner}} of a row-major shape split at dim d (a rank-0 tensor is one row of one). */
    private static int[] block(int[] shape, int d) {
        if (shape.length == 0) {
            return new int[] {1, 1, 1};
        }
        return new int[] {Shapes.outer(shape, d), shape[d], Shapes.inner(shape, d)};
    }

    private static Tensor forward(Tensor x, int[] block, boolean log) {
        int n = x.numel();
        if (x.dtype() == DType.F32) {
            float[] y = new float[n];
            if (log) {
                SoftmaxKernels.logSoftmaxAxis(x.floats(), 0, y, 0, block[0], block[1], block[2]);
            } else {
                SoftmaxKernels.softmaxAxis(x.floats(), 0, y, 0, block[0], block[1], block[2]);
            }
            return Tensor.wrap(y, x.shape());
        }
        double[] y = new double[n];
        if (log) {
            SoftmaxKernels.logSoftmaxAxis(x.doubles(), 0, y, 0, block[0], block[1], block[2]);
        } else {
            SoftmaxKernels.softmaxAxis(x.doubles(), 0, y, 0, block[0], block[1], block[2]);
        }
        return Tensor.wrap(y, DType.F64, x.shape());
    }

    /** The backward kernel from the saved output (probabilities, or log-probabilities when {@code log}). */
    private static Tensor backward(Tensor out, Tensor grad, int[] block, boolean log) {
        int n = out.numel();
        if (out.dtype() == DType.F32) {
            float[] dx = GradPool.floats(n);
            if (log) {
                SoftmaxKernels.logSoftmaxAxisBackward(out.floats(), 0, grad.floats(), 0, dx, 0, block[0], block[1],
                        block[2]);
            } else {
                SoftmaxKernels.softmaxAxisBackward(out.floats(), 0, grad.floats(), 0, dx, 0, block[0], block[1],
                        block[2]);
            }
            return Tensor.wrap(dx, out.shape());
        }
        double[] dx = GradPool.doubles(n);
        if (log) {
            SoftmaxKernels.logSoftmaxAxisBackward(out.doubles(), 0, grad.doubles(), 0, dx, 0, block[0], block[1],
                    block[2]);
        } else {
            SoftmaxKernels.softmaxAxisBackward(out.doubles(), 0, grad.doubles(), 0, dx, 0, block[0], block[1],
                    block[2]);
        }
        return Tensor.wrap(dx, DType.F64, out.shape());
    }
}
