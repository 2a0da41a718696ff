package vecgrad.autodiff;

import vecgrad.kernels.ReduceKernels;

/**
 * Reductions over one dimension, several, or all ({@code dims == null}), with {@code keepdim}: sum, mean,
 * max, min, var and logsumexp. With {@code keepdim} the reduced dimensions stay with size 1; otherwise they
 * are removed (all of them: shape {@code []}).
 *
 * <p>Every reduction maps input element i to its output slot with the strided loops of {@link Shapes}: the
 * output, viewed with the kept-dimension shape, is read with stride 0 along reduced dimensions.
 *
 * <p>Ties of max/min: along a single dimension the whole gradient goes to the first extremal element (lowest
 * index), as {@code torch.max(x, dim)}; over several or all dimensions it is split evenly among the tied
 * elements, as {@code torch.max(x)} and {@code amax}. Reducing over a dimension of size 0 is an error for
 * mean, max, min and var (FAULTS 8; PyTorch returns NaN for such a mean, vecgrad refuses on purpose); the
 * sum of nothing is 0 and its logsumexp −Inf, as in PyTorch. A rank-0 tensor reduces over dim 0 or −1 to
 * itself.
 */
final class ReduceOp {
    private ReduceOp() {}

    /** Which dimensions are reduced and the shapes on both sides. */
    private record Plan(String op, int[] inShape, int[] keptShape, int[] outShape, boolean[] reduced, int count,
                        int[] slotStrides, boolean single) {
        int outNumel() {
            return Shapes.numel(keptShape);
        }

        /** Output slot of each input element. */
        int[] slots() {
            int n = Shapes.numel(keptShape);
            double[] iota = new double[n];
            for (int i = 0; i < n; i++) {
                iota[i] = i;
            }
            double[] slot = Shapes.gather(iota, 0, slotStrides, inShape);
            int[] slots = new int[slot.length];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = (int) slot[i];
            }
            return slots;
        }

        /**
         * {@code {outer, axis, inner}} when the reduced dimensions are one contiguous run of the input's
         * dimensions (one dim, or all), so a kernel reduces the middle axis of {@code [outer, axis, inner]};
         * null otherwise.
         */
        int[] block() {
            int first = -1;
            int last = -1;
            for (int d = 0; d < reduced.length; d++) {
                if (reduced[d]) {
                    if (first < 0) {
                        first = d;
                    } else if (last != d - 1) {
                        return null;
                    }
                    last = d;
                }
            }
            if (first < 0) {
                return new int[] {Shapes.numel(inShape), 1, 1}; // nothing reduced (a rank-0 input)
            }
            int outer = 1;
            int axis = 1;
            int inner = 1;
            for (int d = 0; d < inShape.length; d++) {
                if (d < first) {
                    outer *= inShape[d];
                } else if (d <= last) {
                    axis *= inShape[d];
                } else {
                    inner *= inShape[d];
                }
            }
            return new int[] {outer, axis, inner};
        }

        /** The upstream gradient read at every input element: grad broadcast back over the reduced dims. */
        double[] spread(Tensor grad) {
            return Shapes.gather(grad.readDoubles(), 0, slotStrides, inShape);
        }
    }

    private static Plan plan(String op, Tensor x, int[] dims, boolean keepdim, boolean emptyIsError) {
        int[] in = x.shapeRef();
        int rank = in.length;
        boolean[] reduced = new boolean[rank];
        if (dims == null) {
            java.util.Arrays.fill(reduced, true);
        } else if (rank == 0) {
            for (int dim : dims) {
                Check.dim(op, dim, 1); // a scalar reduces over dim 0 or -1 to itself, as in PyTorch
            }
        } else {
            for (int dim : dims) {
                int d = Check.dim(op, dim, rank);
                if (reduced[d]) {
                    throw Check.fail(op, "dim " + d + " appears more than once", "dims " + Check.ints(dims),
                            "distinct dims");
                }
                reduced[d] = true;
            }
        }
        int[] kept = new int[rank];
        int outRank = 0;
        int count = 1;
        for (int d = 0; d < rank; d++) {
            kept[d] = reduced[d] ? 1 : in[d];
            count *= reduced[d] ? in[d] : 1;
            outRank += reduced[d] ? 0 : 1;
        }
        if (emptyIsError && count == 0) {
            throw Check.fail(op, "reduction over zero elements", "input " + x.shapeString() + " reduced over "
                    + (dims == null ? "all dims" : "dims " + Check.ints(dims)),
                    "non-empty reduced dimensions (vecgrad refuses an empty " + op + " rather than returning NaN)");
        }
        int[] out;
        if (keepdim) {
            out = kept.clone();
        } else {
            out = new int[outRank];
            for (int d = 0, j = 0; d < rank; d++) {
                if (!reduced[d]) {
                    out[j++] = in[d];
                }
            }
        }
        boolean single = dims != null && dims.length == 1;
        return new Plan(op, in.clone(), kept, out, reduced, count, Shapes.broadcastStrides(kept, in), single);
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        Plan plan = plan("sum", x, dims, keepdim, false);
        int[] block = plan.block();
        Tensor y;
        if (block != null) {
            y = Shapes.sumAxis(x, block[0], block[1], block[2], plan.outShape);
        } else {
            double[] out = new double[plan.outNumel()];
            Shapes.scatterAdd(x.readDoubles(), out, 0, plan.slotStrides, plan.inShape);
            y = Tensor.wrap(out, x.dtype(), plan.outShape);
        }
        return Tape.record("sum", y, new Tensor[] {x}, (grad, needs) -> new Tensor[] {
            block != null ? spreadAxis(grad, block, x) // dL/dx = grad broadcast over the reduced dims
                    : Tensor.wrap(plan.spread(grad), x.dtype(), x.shape()),
        });
    }

    /**
     * {@code grad: [outer, inner]} broadcast to x's shape {@code [outer, axis, inner]} by the SIMD kernel, in x's
     * dtype (the backward of a sum over one contiguous run of dimensions).
     */
    private static Tensor spreadAxis(Tensor grad, int[] block, Tensor x) {
        Tensor dx = Tensor.uninitialized(x.dtype(), x.shape()); // the kernel writes every element
        if (x.dtype() == DType.F32) {
            ReduceKernels.sumAxisBackward(grad.floats(), 0, dx.floats(), 0, block[0], block[1], block[2]);
        } else {
            ReduceKernels.sumAxisBackward(grad.doubles(), 0, dx.doubles(), 0, block[0], block[1], block[2]);
        }
        return dx;
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        Plan plan = plan("mean", x, dims, keepdim, true);
        int[] block = plan.block();
        Tensor y;
        if (block != null && x.dtype() == DType.F32) {
            float[] out = new float[plan.outNumel()];
            ReduceKernels.meanAxis(x.floats(), 0, out, 0, block[0], block[1], block[2]);
            y = Tensor.wrap(out, plan.outShape);
        } else if (block != null) {
            double[] out = new double[plan.outNumel()];
            ReduceKernels.meanAxis(x.doubles(), 0, out, 0, block[0], block[1], block[2]);
            y = Tensor.wrap(out, DType.F64, plan.outShape);
        } else {
            double[] out = new double[plan.outNumel()];
            Shapes.scatterAdd(x.readDoubles(), out, 0, plan.slotStrides, plan.inShape);
            for (int i = 0; i < out.length; i++) {
                out[i] /= plan.count;
            }
            y = Tensor.wrap(out, x.dtype(), plan.outShape);
        }
        return Tape.record("mean", y, new Tensor[] {x}, (grad, needs) -> {
            if (block != null) {
                // dL/dx = grad / count, divided once per output slot (in double, rounded once, as below) and spread
                double[] g = grad.readDoubles();
                double[] scaled = new double[g.length];
                for (int s = 0; s < g.length; s++) {
                    scaled[s] = g[s] / plan.count;
                }
                return new Tensor[] {spreadAxis(Tensor.wrap(scaled, x.dtype(), grad.shape()), block, x)};
            }
            double[] g = plan.spread(grad);
            for (int i = 0; i < g.length; i++) {
                g[i] /= plan.count; // dL/dx = grad / count
            }
            return new Tensor[] {Tensor.wrap(g, x.dtype(), x.shape())};
        });
    }

    static Tensor max(Tensor x, int[] dims, boolean keepdim) {
        return extremum("max", x, dims, keepdim, 1);
    }

    static Tensor min(Tensor x, int[] dims, boolean keepdim) {
        return extremum("min", x, dims, keepdim, -1);
    }

    /** sign 1 for max, -1 for min. NaN wins (propagates), as torch.max does (FAULTS 15). */
    private static Tensor extremum(String op, Tensor x, int[] dims, boolean keepdim, int sign) {
        Plan plan = plan(op, x, dims, keepdim, true);
        double[] xs = x.readDoubles();
        int[] slots = plan.slots();
        double[] out = new double[plan.outNumel()];
        int[] first = new int[out.length];
        java.util.Arrays.fill(first, -1);
        for (int i = 0; i < xs.length; i++) { // row-major order: the first extremum seen has the lowest index
            int s = slots[i];
            double v = xs[i];
            if (first[s] < 0 || (!Double.isNaN(out[s]) && (Double.isNaN(v) || sign * v > sign * out[s]))) {
                out[s] = v;
                first[s] = i;
            }
        }
        Tensor y = Tensor.wrap(out, x.dtype(), plan.outShape);
        return Tape.record(op, y, new Tensor[] {x}, (grad, needs) -> {
            if (plan.single && x.dtype() == DType.F32) { // the same scatter straight into a float array
                float[] g = grad.floats();
                float[] dx = new float[xs.length];
                for (int s = 0; s < first.length; s++) {
                    dx[first[s]] = g[s]; // dL/dx = grad at the first extremal element of each slice
                }
                return new Tensor[] {Tensor.wrap(dx, x.shape())};
            }
            double[] g = grad.readDoubles();
            double[] dx = new double[xs.length];
            if (plan.single) {
                for (int s = 0; s < first.length; s++) {
                    dx[first[s]] = g[s]; // dL/dx = grad at the first extremal element of each slice
                }
            } else {
                int[] ties = new int[out.length];
                for (int i = 0; i < xs.length; i++) {
                    if (xs[i] == out[slots[i]]) {
                        ties[slots[i]]++;
                    }
                }
                for (int i = 0; i < xs.length; i++) {
                    int s = slots[i];
                    if (xs[i] == out[s]) {
                        dx[i] = g[s] / ties[s]; // dL/dx = grad split evenly among tied extrema
                    }
                }
            }
            return new Tensor[] {Tensor.wrap(dx, x.dtype(), x.shape())};
        });
    }

    /** {@code Σ (x − mean)² / (count − correction)}; correction 1 is the unbiased estimate (PyTorch default). */
    static Tensor var(Tensor x, int[] dims, boolean keepdim, int correction) {
        Plan plan = plan("var", x, dims, keepdim, true);
        int denominator = plan.count - correction;
        if (correction < 0 || denominator <= 0) {
            throw Check.fail("var", "not enough elements for the correction", plan.count + " elements per slot, "
                    + "correction " + correction, "count - correction > 0 and correction >= 0");
        }
        double[] xs = x.readDoubles();
        int[] slots = plan.slots();
        double[] means = new double[plan.outNumel()];
        Shapes.scatterAdd(xs, means, 0, plan.slotStrides, plan.inShape);
        for (int s = 0; s < means.length; s++) {
            means[s] /= plan.count;
        }
        double[] out = new double[means.length];
        for (int i = 0; i < xs.length; i++) {
            double d = xs[i] - means[slots[i]];
            out[slots[i]] += d * d;
        }
        for (int s = 0; s < out.length; s++) {
            out[s] /= denominator;
        }
        Tensor y = Tensor.wrap(out, x.dtype(), plan.outShape);
        return Tape.record("var", y, new Tensor[] {x}, (grad, needs) -> {
            double[] g = plan.spread(grad);
            for (int i = 0; i < g.length; i++) {
                g[i] *= 2 * (xs[i] - means[slots[i]]) / denominator; // dL/dx = grad · 2(x − mean)/(n − c)
            }
            return new Tensor[] {Tensor.wrap(g, x.dtype(), x.shape())};
        });
    }

    /** {@code ln Σ e^x}, computed as {@code m + ln Σ e^(x − m)} with m the maximum, so 1e3 logits stay finite. */
    static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        // Over zero elements the result is ln 0 = -Inf, as PyTorch gives (unlike mean and max, not an error).
        Plan plan = plan("logsumexp", x, dims, keepdim, false);
        double[] xs = x.readDoubles();
        int[] slots = plan.slots();
        double[] shift = new double[plan.outNumel()];
        java.util.Arrays.fill(shift, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < xs.length; i++) {
            shift[slots[i]] = Math.max(shift[slots[i]], xs[i]);
        }
        for (int s = 0; s < shift.length; s++) {
            if (Double.isInfinite(shift[s])) {
                shift[s] = 0; // all -Inf (or an Inf): no shift, let IEEE give -Inf / Inf / NaN
            }
        }
        double[] sums = new double[shift.length];
        for (int i = 0; i < xs.length; i++) {
            sums[slots[i]] += Math.exp(xs[i] - shift[slots[i]]);
        }
        double[] out = new double[shift.length];
        for (int s = 0; s < out.length; s++) {
            out[s] = shift[s] + Math.log(sums[s]);
        }
        Tensor y = Tensor.wrap(out, x.dtype(), plan.outShape);
        return Tape.record("logsumexp", y, new Tensor[] {x}, (grad, needs) -> {
            double[] g = plan.spread(grad);
            for (int i = 0; i < g.length; i++) {
                g[i] *= Math.exp(xs[i] - out[slots[i]]); // dL/dx = grad · softmax(x)
            }
            return new Tensor[] {Tensor.wrap(g, x.dtype(), x.shape())};
        });
    }
}
