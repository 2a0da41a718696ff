package vecgrad.verify.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.Reduction;
import vecgrad.autodiff.Tensor;

/**
 * Handlers of the tensor ops of {@code conformance/FORMAT.md} §4 (elementwise, layout, reductions, softmax,
 * losses), plus the other catalog ops under PyTorch's argument names.
 */
public final class CoreOpHandlers {
    private CoreOpHandlers() {}

    /** Adds every core handler to {@code table}. */
    public static void registerInto(Map<String, OpHandler> table) {
        table.put("add", a -> a.tensor(0).add(a.tensor(1)));
        table.put("sub", a -> a.tensor(0).sub(a.tensor(1)));
        table.put("mul", a -> a.tensor(0).mul(a.tensor(1)));
        table.put("div", a -> a.tensor(0).div(a.tensor(1)));
        table.put("maximum", a -> a.tensor(0).maximum(a.tensor(1)));
        table.put("minimum", a -> a.tensor(0).minimum(a.tensor(1)));
        table.put("pow", a -> a.count() == 2 ? a.tensor(0).pow(a.tensor(1)) : a.tensor(0).pow(a.number("exponent")));

        table.put("neg", a -> a.tensor(0).neg());
        table.put("exp", a -> a.tensor(0).exp());
        table.put("log", a -> a.tensor(0).log());
        table.put("sqrt", a -> a.tensor(0).sqrt());
        table.put("abs", a -> a.tensor(0).abs());
        table.put("square", a -> a.tensor(0).square());
        table.put("tanh", a -> a.tensor(0).tanh());
        table.put("sigmoid", a -> a.tensor(0).sigmoid());
        table.put("relu", a -> a.tensor(0).relu());
        table.put("leaky_relu", a -> a.tensor(0).leakyRelu(a.number("negative_slope")));
        table.put("elu", a -> a.tensor(0).elu(a.number("alpha")));
        table.put("softplus", a -> a.tensor(0).softplus(a.number("beta"), a.number("threshold")));
        table.put("clamp", a -> a.tensor(0).clamp(a.numberOrNull("min"), a.numberOrNull("max")));

        table.put("sum", a -> a.tensor(0).sum(dims(a), a.flag("keepdim")));
        table.put("mean", a -> a.tensor(0).mean(dims(a), a.flag("keepdim")));
        table.put("max", a -> a.tensor(0).max(dims(a), a.flag("keepdim")));
        table.put("min", a -> a.tensor(0).min(dims(a), a.flag("keepdim")));
        table.put("logsumexp", a -> a.tensor(0).logsumexp(dims(a), a.flag("keepdim")));
        table.put("var", a -> a.tensor(0).var(dims(a), a.flag("keepdim"),
                a.has("correction") ? a.integer("correction") : 1));

        table.put("matmul", a -> a.tensor(0).matmul(a.tensor(1)));
        table.put("transpose", a -> a.tensor(0).transpose(a.integer("dim0"), a.integer("dim1")));
        table.put("permute", a -> a.tensor(0).permute(a.ints("dims")));
        table.put("reshape", a -> a.tensor(0).reshape(a.ints("shape")));
        table.put("concat", a -> Tensor.concat(all(a), a.integer("dim")));
        table.put("stack", a -> Tensor.stack(all(a), a.integer("dim")));
        table.put("narrow", a -> a.tensor(0).narrow(a.integer("dim"), a.integer("start"), a.integer("length")));
        table.put("slice", a -> a.tensor(0).slice(a.integer("dim"), a.integer("start"), a.integer("end"), a.integer("step")));
        table.put("index_select", a -> a.tensor(0).indexSelect(a.integer("dim"), a.label(1)));
        table.put("pad", a -> a.tensor(0).pad(a.ints("pad")));
        table.put("softmax", a -> a.tensor(0).softmax(a.integer("dim")));
        table.put("log_softmax", a -> a.tensor(0).logSoftmax(a.integer("dim")));

        table.put("mse_loss", a -> Functional.mseLoss(a.tensor(0), a.tensor(1), reduction(a)));
        table.put("l1_loss", a -> Functional.l1Loss(a.tensor(0), a.tensor(1), reduction(a)));
        table.put("binary_cross_entropy", a -> Functional.binaryCrossEntropy(a.tensor(0), a.tensor(1), reduction(a)));
        table.put("binary_cross_entropy_with_logits",
                a -> Functional.binaryCrossEntropyWithLogits(a.tensor(0), a.tensor(1), reduction(a)));
        table.put("cross_entropy", a -> Functional.crossEntropy(a.tensor(0), a.label(1), reduction(a)));
        table.put("kl_div", a -> Functional.klDiv(a.tensor(0), a.tensor(1), reduction(a)));
    }

    /** {@code dim}: an int, a list of ints, or null (= every dimension). */
    private static int[] dims(OpArgs a) {
        if (a.isNull("dim")) {
            return null;
        }
        var node = a.attrs().get("dim");
        return node.isArray() ? a.ints("dim") : new int[] {node.asInt()};
    }

    private static Reduction reduction(OpArgs a) {
        return a.has("reduction") ? Reduction.parse(a.text("reduction")) : Reduction.MEAN;
    }

    private static List<Tensor> all(OpArgs a) {
        List<Tensor> pieces = new ArrayList<>();
        for (int i = 0; i < a.count(); i++) {
            pieces.add(a.tensor(i));
        }
        return pieces;
    }
}
