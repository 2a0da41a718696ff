package vecgrad.verify.conformance;

import vecgrad.autodiff.Tensor;

/** Applies one op of a conformance case to its inputs and attributes; returns the (recorded) output. */
@FunctionalInterface
public interface OpHandler {
    Tensor apply(OpArgs args);
}
