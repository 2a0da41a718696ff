package vecgrad.autodiff;

/** Vector-Jacobian product of one recorded op. */
@FunctionalInterface
public interface Backward {
    /**
     * @param grad      gradient of the loss with respect to the op's output (shaped like the output)
     * @param needsGrad needsGrad[i] is false when input i needs no gradient; skip that work
     * @return one gradient per input, shaped like that input or broadcast-compatible with it (the engine sums
     *         it back with {@link Shapes#sumToShape}), or null where needsGrad[i] is false or the input is not
     *         differentiable. Return the upstream {@code grad}, a view of it, or tensors the rule allocates;
     *         never a tensor captured from elsewhere (a constant, a cache), since a returned gradient may
     *         become a leaf's {@code grad()} without a copy
     */
    Tensor[] apply(Tensor grad, boolean[] needsGrad);
}
