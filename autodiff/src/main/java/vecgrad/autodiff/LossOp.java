package vecgrad.autodiff;

import java.util.Arrays;
import vecgrad.kernels.ElementwiseKernels;

/**
 * Losses as single ops (one tape entry each), with PyTorch's names, formulas and reductions
 * ({@link Reduction}): mse_loss, l1_loss, binary_cross_entropy, binary_cross_entropy_with_logits,
 * cross_entropy and kl_div. Input and target must have the same shape (no broadcasting: a silently broadcast
 * loss is a classic bug). A reduction over zero elements is refused, like {@code mean} (FAULTS 8).
 */
final class LossOp {
    /** PyTorch clamps log terms of binary_cross_entropy at −100 so that p = 0 or 1 gives a finite loss. */
    static final double LOG_FLOOR = -100;
    /**
     * PyTorch's floor for p(1−p) in the binary_cross_entropy gradient. ATen stores it as the float literal
     * {@code 1e-12f}, so the float64 value is 9.999999960041972e-13, not 1e-12: at p = 0 or 1 the gradient
     * differs by 4e-9 relative, which the float64 conformance tolerance (1e-9) notices.
     */
    static final double BCE_GRAD_EPS = 1e-12f;

    private LossOp() {}

    /** Per-element derivative of the loss value with respect to one operand. */
    @FunctionalInterface
    private interface Slope {
        double at(int i);
    }

    /** Squared error {@code (x − t)²}; both operands take gradients {@code ±2(x − t)}. */
    static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mse_loss", input, target);
        double[] x = input.readDoubles();
        double[] t = target.readDoubles();
        double[] loss = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - t[i];
            loss[i] = d * d;
        }
        return reduced("mse_loss", input, target, loss, input.shapeRef(), reduction,
                i -> 2 * (x[i] - t[i]), // dl/dx = 2(x − t)
                i -> -2 * (x[i] - t[i])); // dl/dt = −2(x − t)
    }

    /** Absolute error {@code |x − t|}; gradients {@code ±sign(x − t)} with sign(0) = 0. */
    static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        sameShape("l1_loss", input, target);
        double[] x = input.readDoubles();
        double[] t = target.readDoubles();
        double[] loss = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            loss[i] = Math.abs(x[i] - t[i]);
        }
        return reduced("l1_loss", input, target, loss, input.shapeRef(), reduction,
                i -> Math.signum(x[i] - t[i]), // dl/dx = sign(x − t)
                i -> -Math.signum(x[i] - t[i])); // dl/dt = −sign(x − t)
    }

    /**
     * {@code −(t·max(ln p, −100) + (1 − t)·max(ln(1 − p), −100))} for probabilities p in [0, 1] (anything else,
     * NaN included, is refused). The target takes no gradient. {@code dl/dp = (p − t) / max(p(1 − p), 1e-12)}.
     */
    static Tensor binaryCrossEntropy(Tensor input, Tensor target, Reduction reduction) {
        sameShape("binary_cross_entropy", input, target);
        double[] p = input.readDoubles();
        double[] t = target.readDoubles();
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw Check.fail("binary_cross_entropy", "input is not a probability at flat index " + i,
                        "input[" + i + "] = " + p[i] + " in " + input.shapeString(),
                        "all elements of input between 0 and 1 (use binary_cross_entropy_with_logits for logits)");
            }
        }
        double[] loss = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            loss[i] = -(t[i] * Math.max(Math.log(p[i]), LOG_FLOOR) + (1 - t[i]) * Math.max(Math.log1p(-p[i]), LOG_FLOOR));
        }
        return reduced("binary_cross_entropy", input, target, loss, input.shapeRef(), reduction,
                i -> (p[i] - t[i]) / Math.max(p[i] * (1 - p[i]), BCE_GRAD_EPS), // dl/dp = (p − t)/(p(1 − p))
                null);
    }

    /**
     * {@code max(x, 0) − x·t + ln(1 + e^(−|x|))}, stable for |x| up to 1e3 and beyond.
     * {@code dl/dx = σ(x) − t}; the target also takes a gradient, {@code dl/dt = −x}.
     */
    static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        sameShape("binary_cross_entropy_with_logits", input, target);
        double[] x = input.readDoubles();
        double[] t = target.readDoubles();
        double[] loss = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            loss[i] = Math.max(x[i], 0) - x[i] * t[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
        }
        return reduced("binary_cross_entropy_with_logits", input, target, loss, input.shapeRef(), reduction,
                i -> Pointwise.sigmoid(x[i]) - t[i], // dl/dx = σ(x) − t
                i -> -x[i]); // dl/dt = −x
    }

    /**
     * {@code −log_softmax(x)[n, target[n]]} per row for logits {@code [N, C]} and integer class targets
     * {@code [N]} in [0, C) (no gradient). {@code dl/dx = softmax(x) − onehot(target)}; MEAN divides by N.
     */
    static Tensor crossEntropy(Tensor logits, int[] target, Reduction reduction) {
        Check.rank("cross_entropy", "input", logits, 2);
        int n = logits.dim(0);
        int classes = logits.dim(1);
        if (target.length != n) {
            throw Check.fail("cross_entropy", "target length differs from the batch size", "input "
                    + logits.shapeString() + " and target [" + target.length + "]", "target of shape [" + n + "]");
        }
        for (int i = 0; i < n; i++) {
            if (target[i] < 0 || target[i] >= classes) {
                throw Check.fail("cross_entropy", "target out of range at index " + i, "target[" + i + "] = "
                        + target[i] + " with C = " + classes, "0 <= target < " + classes);
            }
        }
        int[] labels = target.clone();
        Tensor logProbs = SoftmaxOp.logSoftmaxRows(logits);
        boolean f32 = logits.dtype() == DType.F32;
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            int at = i * classes + labels[i];
            loss[i] = -(f32 ? logProbs.floats()[at] : logProbs.doubles()[at]);
        }
        if (reduction != Reduction.NONE && n == 0) {
            throw emptyReduction("cross_entropy", logits);
        }
        double[] reducedValue = reduce(loss, reduction);
        Tensor out = Tensor.wrap(reducedValue, logits.dtype(), reduction == Reduction.NONE ? new int[] {n} : new int[0]);
        return Tape.record("cross_entropy", out, new Tensor[] {logits}, (grad, needs) -> {
            // dl/dx = g · (softmax(x) − onehot(target)), softmax read back from the saved log-probabilities
            int cells = n * classes;
            double scale = reduction == Reduction.NONE ? 1 : grad.readDoubles()[0] / (reduction == Reduction.MEAN ? n : 1);
            if (f32) {
                float[] dx = GradPool.floats(cells);
                ElementwiseKernels.exp(logProbs.floats(), 0, dx, 0, cells);
                for (int i = 0; i < n; i++) {
                    dx[i * classes + labels[i]] -= 1;
                }
                if (reduction == Reduction.NONE) {
                    ElementwiseKernels.binaryColumn(ElementwiseKernels.Binary.MUL, dx, 0, Math.max(1, classes), grad.floats(), 0,
                            dx, 0, Math.max(1, classes), n, classes);
                } else {
                    ElementwiseKernels.scale(dx, 0, dx, 0, cells, (float) scale);
                }
                return new Tensor[] {Tensor.wrap(dx, logits.shape())};
            }
            double[] dx = GradPool.doubles(cells);
            ElementwiseKernels.exp(logProbs.doubles(), 0, dx, 0, cells);
            for (int i = 0; i < n; i++) {
                dx[i * classes + labels[i]] -= 1;
            }
            if (reduction == Reduction.NONE) {
                ElementwiseKernels.binaryColumn(ElementwiseKernels.Binary.MUL, dx, 0, Math.max(1, classes), grad.doubles(), 0,
                        dx, 0, Math.max(1, classes), n, classes);
            } else {
                ElementwiseKernels.scale(dx, 0, dx, 0, cells, scale);
            }
            return new Tensor[] {Tensor.wrap(dx, DType.F64, logits.shape())};
        });
    }

    /**
     * PyTorch {@code kl_div(input, target)} with input as log-probabilities and target as probabilities:
     * {@code t·(ln t − x)}, 0 where t = 0. {@code dl/dx = −t}; {@code dl/dt = ln t + 1 − x} (target > 0).
     * MEAN averages over every element, as PyTorch's default; divide a SUM by the batch size for "batchmean".
     */
    static Tensor klDiv(Tensor input, Tensor target, Reduction reduction) {
        sameShape("kl_div", input, target);
        double[] x = input.readDoubles();
        double[] t = target.readDoubles();
        double[] loss = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            loss[i] = t[i] == 0 ? 0 : t[i] * (Math.log(t[i]) - x[i]);
        }
        return reduced("kl_div", input, target, loss, input.shapeRef(), reduction,
                i -> -t[i], // dl/dx = −t
                i -> t[i] == 0 ? 0 : Math.log(t[i]) + 1 - x[i]); // dl/dt = ln t + 1 − x
    }

    private static void sameShape(String op, Tensor input, Tensor target) {
        Check.sameDType(op, input, target);
        if (!Arrays.equals(input.shapeRef(), target.shapeRef())) {
            throw Check.fail(op, "input and target shapes differ", "input " + input.shapeString() + " and target "
                    + target.shapeString(), "equal shapes (losses do not broadcast)");
        }
    }

    private static IllegalArgumentException emptyReduction(String op, Tensor input) {
        return Check.fail(op, "reduction over zero elements", "input " + input.shapeString(),
                "at least one element for reduction mean or sum (use Reduction.NONE)");
    }

    private static double[] reduce(double[] loss, Reduction reduction) {
        if (reduction == Reduction.NONE) {
            return loss;
        }
        double sum = 0;
        for (double value : loss) {
            sum += value;
        }
        return new double[] {reduction == Reduction.MEAN ? sum / loss.length : sum};
    }

    /** The upstream gradient at each element: grad itself (NONE), grad (SUM) or grad / count (MEAN). */
    private static double[] perElement(Tensor grad, Reduction reduction, int count) {
        double[] g = grad.readDoubles();
        if (reduction == Reduction.NONE) {
            return g;
        }
        double[] out = new double[count];
        Arrays.fill(out, reduction == Reduction.MEAN ? g[0] / count : g[0]);
        return out;
    }

    /** Reduces per-element losses and records {@code dL/dinput = g ⊙ dInput}, {@code dL/dtarget = g ⊙ dTarget}. */
    private static Tensor reduced(String op, Tensor input, Tensor target, double[] loss, int[] shape,
                                  Reduction reduction, Slope dInput, Slope dTarget) {
        if (reduction != Reduction.NONE && loss.length == 0) {
            throw emptyReduction(op, input);
        }
        Tensor out = Tensor.wrap(reduce(loss, reduction), input.dtype(), reduction == Reduction.NONE ? shape.clone() : new int[0]);
        int count = loss.length;
        return Tape.record(op, out, new Tensor[] {input, target}, (grad, needs) -> {
            double[] g = perElement(grad, reduction, count);
            Tensor gi = null;
            Tensor gt = null;
            if (needs[0]) {
                double[] d = new double[count];
                for (int i = 0; i < count; i++) {
                    d[i] = g[i] * dInput.at(i);
                }
                gi = Tensor.wrap(d, input.dtype(), input.shape());
            }
            if (needs[1] && dTarget != null) {
                double[] d = new double[count];
                for (int i = 0; i < count; i++) {
                    d[i] = g[i] * dTarget.at(i);
                }
                gt = Tensor.wrap(d, target.dtype(), target.shape());
            }
            return new Tensor[] {gi, gt};
        });
    }
}
