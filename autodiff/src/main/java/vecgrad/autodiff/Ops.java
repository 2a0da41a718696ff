package vecgrad.autodiff;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The catalog of differentiable ops, by their PyTorch names: the strings used in {@link Tape#record}, in error
 * messages and in conformance files. {@link Tape#record} refuses names that are not listed here, so every op
 * that can appear on a tape is enumerable, and the verification suite checks that each one has a gradient
 * property.
 *
 * <p>Aliases share an entry: {@code view} and {@code flatten} record as {@code reshape}, {@code t} as
 * {@code transpose}; {@code pow} covers both a tensor and a constant exponent.
 */
public final class Ops {
    private static final SortedSet<String> NAMES = new TreeSet<>(Set.of(
            // broadcasting binary (BroadcastOp)
            "add", "sub", "mul", "div", "pow", "maximum", "minimum",
            // elementwise unary (PointwiseOp / Pointwise)
            "neg", "exp", "log", "sqrt", "abs", "square", "tanh", "sigmoid", "relu",
            "leaky_relu", "elu", "softplus", "clamp",
            // reductions (ReduceOp)
            "sum", "mean", "max", "min", "var", "logsumexp",
            // layout (LayoutOp)
            "reshape", "transpose", "permute", "concat", "stack", "slice", "narrow", "index_select", "gather", "pad",
            // linear algebra and softmax
            "matmul", "softmax", "log_softmax",
            // losses (LossOp)
            "mse_loss", "l1_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
            "kl_div"));

    private Ops() {}

    /** Every registered op name, sorted. */
    public static SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(NAMES);
    }

    public static boolean contains(String op) {
        return NAMES.contains(op);
    }
}
