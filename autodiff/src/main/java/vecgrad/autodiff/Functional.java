package vecgrad.autodiff;

import java.util.List;

/**
 * Static facade over every differentiable op, by PyTorch's names in camelCase ({@code torch.nn.functional}
 * style). Each method is the same op as the corresponding {@link Tensor} method.
 *
 * {@snippet :
 * Tensor logits = Functional.matmul(x, w).add(b);               // [batch, classes]
 * Tensor loss = Functional.crossEntropy(logits, labels, Reduction.MEAN);
 * }
 */
public final class Functional {
    private Functional() {}

    public static Tensor add(Tensor a, Tensor b) { return a.add(b); }
    public static Tensor sub(Tensor a, Tensor b) { return a.sub(b); }
    public static Tensor mul(Tensor a, Tensor b) { return a.mul(b); }
    public static Tensor div(Tensor a, Tensor b) { return a.div(b); }
    public static Tensor pow(Tensor a, Tensor exponent) { return a.pow(exponent); }
    public static Tensor pow(Tensor a, double exponent) { return a.pow(exponent); }
    public static Tensor maximum(Tensor a, Tensor b) { return a.maximum(b); }
    public static Tensor minimum(Tensor a, Tensor b) { return a.minimum(b); }

    public static Tensor neg(Tensor x) { return x.neg(); }
    public static Tensor exp(Tensor x) { return x.exp(); }
    public static Tensor log(Tensor x) { return x.log(); }
    public static Tensor sqrt(Tensor x) { return x.sqrt(); }
    public static Tensor abs(Tensor x) { return x.abs(); }
    public static Tensor square(Tensor x) { return x.square(); }
    public static Tensor tanh(Tensor x) { return x.tanh(); }
    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }
    public static Tensor relu(Tensor x) { return x.relu(); }
    public static Tensor leakyRelu(Tensor x, double negativeSlope) { return x.leakyRelu(negativeSlope); }
    public static Tensor elu(Tensor x, double alpha) { return x.elu(alpha); }
    public static Tensor softplus(Tensor x, double beta, double threshold) { return x.softplus(beta, threshold); }
    public static Tensor clamp(Tensor x, Double min, Double max) { return x.clamp(min, max); }

    public static Tensor matmul(Tensor a, Tensor b) { return a.matmul(b); }
    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }
    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }
    public static Tensor concat(List<Tensor> pieces, int dim) { return Tensor.concat(pieces, dim); }
    public static Tensor stack(List<Tensor> pieces, int dim) { return Tensor.stack(pieces, dim); }

    /** Mean squared error {@code (input − target)²}. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return LossOp.mse(input, target, reduction);
    }

    /** Mean absolute error {@code |input − target|}. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return LossOp.l1(input, target, reduction);
    }

    /** Binary cross-entropy on probabilities in [0, 1] (log clamped at −100); target takes no gradient. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Reduction reduction) {
        return LossOp.binaryCrossEntropy(input, target, reduction);
    }

    /** Binary cross-entropy on logits, numerically stable. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        return LossOp.binaryCrossEntropyWithLogits(input, target, reduction);
    }

    /** Cross-entropy of logits {@code [N, C]} with integer class targets {@code [N]} in [0, C). */
    public static Tensor crossEntropy(Tensor logits, int[] target, Reduction reduction) {
        return LossOp.crossEntropy(logits, target, reduction);
    }

    /** KL divergence with log-probability input and probability target, PyTorch's {@code kl_div}. */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction) {
        return LossOp.klDiv(input, target, reduction);
    }
}
