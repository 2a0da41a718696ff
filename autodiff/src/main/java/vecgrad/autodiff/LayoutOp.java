package vecgrad.autodiff;

import java.util.Arrays;
import java.util.List;

/**
 * Ops that move elements without arithmetic: reshape (a view), transpose/permute, concat, stack,
 * slice/narrow, index_select, gather and zero padding. Each backward moves the gradient back: the inverse
 * permutation, a slice of the gradient, or an add into zeros at the places the forward read from.
 */
final class LayoutOp {
    private LayoutOp() {}

    /** Same elements in {@code shape} (one −1 is inferred); the result shares storage with x. */
    static Tensor reshape(Tensor x, int... shape) {
        int[] target = inferShape(x, shape);
        Tensor y = x.viewAs(target);
        int[] original = x.shape();
        return Tape.record("reshape", y, new Tensor[] {x}, (grad, needs) -> new Tensor[] {
            grad.viewAs(original), // dL/dx = grad reshaped back
        });
    }

    private static int[] inferShape(Tensor x, int[] shape) {
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == -1) {
                if (inferred >= 0) {
                    throw Check.fail("reshape", "more than one -1", "input " + x.shapeString() + " (numel "
                            + x.numel() + ") to " + Check.ints(shape), "at most one -1");
                }
                inferred = d;
            } else if (shape[d] < 0) {
                throw Check.fail("reshape", "negative size", "input " + x.shapeString() + " to " + Check.ints(shape),
                        "sizes >= 0 or a single -1");
            } else {
                known *= shape[d];
            }
        }
        int[] target = shape.clone();
        if (inferred >= 0) {
            if (known == 0 || x.numel() % known != 0) {
                throw Check.fail("reshape", "cannot infer the -1 size", "input " + x.shapeString() + " (numel "
                        + x.numel() + ") to " + Check.ints(shape), "a shape whose known sizes divide " + x.numel());
            }
            target[inferred] = (int) (x.numel() / known);
            known *= target[inferred];
        }
        if (known != x.numel()) {
            throw Check.fail("reshape", "element count differs", "input " + x.shapeString() + " (numel " + x.numel()
                    + ") to " + Check.ints(shape) + " (numel " + known + ")", "the same number of elements");
        }
        return target;
    }

    static Tensor flatten(Tensor x, int startDim, int endDim) {
        int rank = Math.max(x.rank(), 1);
        int start = Check.dim("flatten", startDim, rank);
        int end = Check.dim("flatten", endDim, rank);
        if (start > end) {
            throw Check.fail("flatten", "start_dim after end_dim", "start " + startDim + ", end " + endDim,
                    "start_dim <= end_dim");
        }
        if (x.rank() == 0) {
            return reshape(x, 1);
        }
        int[] in = x.shapeRef();
        int[] out = new int[in.length - (end - start)];
        int merged = 1;
        for (int d = start; d <= end; d++) {
            merged *= in[d];
        }
        for (int d = 0, j = 0; d < in.length; d++) {
            if (d < start || d > end) {
                out[j++] = in[d];
            } else if (d == start) {
                out[j++] = merged;
            }
        }
        return reshape(x, out);
    }

    static Tensor transpose(Tensor x, int dim0, int dim1) {
        int rank = x.rank();
        // A rank-0 tensor accepts dims 0 and -1 (PyTorch); the swap is then the identity.
        int a = Check.dim("transpose", dim0, Math.max(rank, 1));
        int b = Check.dim("transpose", dim1, Math.max(rank, 1));
        int[] order = new int[rank];
        for (int d = 0; d < rank; d++) {
            order[d] = d;
        }
        if (rank > 0) {
            order[a] = b;
            order[b] = a;
        }
        Tensor y = Tensor.wrap(permuted(x, order), x.dtype(), permutedShape(x.shapeRef(), order));
        return Tape.record("transpose", y, new Tensor[] {x}, (grad, needs) -> new Tensor[] {
            Tensor.wrap(permuted(grad, order), grad.dtype(), x.shape()), // dL/dx = gradᵀ (a swap is its own inverse)
        });
    }

    /** out.shape[d] = x.shape[dims[d]]. */
    static Tensor permute(Tensor x, int... dims) {
        int rank = x.rank();
        if (dims.length != rank) {
            throw Check.fail("permute", "number of dims differs from the rank", Check.ints(dims) + " for "
                    + x.shapeString(), rank + " dims");
        }
        int[] order = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            order[d] = Check.dim("permute", dims[d], rank);
            if (seen[order[d]]) {
                throw Check.fail("permute", "repeated dim", Check.ints(dims), "a permutation of 0.." + (rank - 1));
            }
            seen[order[d]] = true;
        }
        int[] inverse = new int[rank];
        for (int d = 0; d < rank; d++) {
            inverse[order[d]] = d;
        }
        Tensor y = Tensor.wrap(permuted(x, order), x.dtype(), permutedShape(x.shapeRef(), order));
        return Tape.record("permute", y, new Tensor[] {x}, (grad, needs) -> new Tensor[] {
            Tensor.wrap(permuted(grad, inverse), grad.dtype(), x.shape()), // dL/dx = grad permuted back
        });
    }

    private static int[] permutedShape(int[] shape, int[] order) {
        int[] out = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            out[d] = shape[order[d]];
        }
        return out;
    }

    private static double[] permuted(Tensor x, int[] order) {
        int[] strides = Shapes.strides(x.shapeRef());
        int[] read = new int[order.length];
        for (int d = 0; d < order.length; d++) {
            read[d] = strides[order[d]];
        }
        return Shapes.gather(x.readDoubles(), 0, read, permutedShape(x.shapeRef(), order));
    }

    /** Python's {@code x[..., start:end:step]} along dim, with 0 <= start <= end <= size and step >= 1. */
    static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        return strided("slice", x, dim, start, end, step);
    }

    /** Indices {@code start .. start+length-1} along dim; length 0 gives an empty tensor. */
    static Tensor narrow(Tensor x, int dim, int start, int length) {
        if (length < 0) {
            throw Check.fail("narrow", "negative length", "length " + length, "length >= 0");
        }
        return strided("narrow", x, dim, start, start + length, 1);
    }

    private static Tensor strided(String op, Tensor x, int dim, int start, int end, int step) {
        int d = Check.dim(op, dim, x.rank());
        int size = x.shapeRef()[d];
        if (step <= 0 || start < 0 || end < start || end > size) {
            throw Check.fail(op, "range out of bounds in dim " + d, "start " + start + ", end " + end + ", step " + step
                    + " for " + x.shapeString(), "0 <= start <= end <= " + size + " and step >= 1");
        }
        int[] shape = x.shape();
        shape[d] = (end - start + step - 1) / step;
        int[] strides = Shapes.strides(x.shapeRef());
        int base = start * strides[d];
        strides[d] *= step;
        Tensor y = Tensor.wrap(Shapes.gather(x.readDoubles(), base, strides, shape), x.dtype(), shape);
        return Tape.record(op, y, new Tensor[] {x}, (grad, needs) -> {
            double[] dx = new double[x.numel()];
            Shapes.scatterAdd(grad.readDoubles(), dx, base, strides, shape); // dL/dx = grad placed at the slice, 0 elsewhere
            return new Tensor[] {Tensor.wrap(dx, x.dtype(), x.shape())};
        });
    }

    /** Joins pieces along an existing dim; all other sizes must match; a piece may have size 0 along dim. */
    static Tensor concat(List<Tensor> pieces, int dim) {
        if (pieces == null || pieces.isEmpty()) {
            throw Check.fail("concat", "no tensors to join", "an empty list", "at least one tensor");
        }
        Tensor first = pieces.get(0);
        int rank = first.rank();
        if (rank == 0) {
            throw Check.fail("concat", "zero-dimensional tensor cannot be concatenated", "piece 0 of shape []",
                    "tensors of rank >= 1");
        }
        int d = Check.dim("concat", dim, rank);
        int total = 0;
        for (int i = 0; i < pieces.size(); i++) {
            Tensor piece = pieces.get(i);
            Check.sameDType("concat", first, piece);
            if (piece.rank() != rank) {
                throw Check.fail("concat", "tensors must have the same rank", "piece 0 " + first.shapeString()
                        + " and piece " + i + " " + piece.shapeString(), "rank " + rank + " for every piece");
            }
            for (int k = 0; k < rank; k++) {
                if (k != d && piece.shapeRef()[k] != first.shapeRef()[k]) {
                    throw Check.fail("concat", "sizes differ outside dim " + d + " (in dim " + k + ")",
                            "piece 0 " + first.shapeString() + " and piece " + i + " " + piece.shapeString(),
                            "equal sizes except along dim " + d);
                }
            }
            total += piece.shapeRef()[d];
        }
        int[] shape = first.shape();
        shape[d] = total;
        int[] outStrides = Shapes.strides(shape);
        double[] out = new double[Shapes.numel(shape)];
        int[] offsets = new int[pieces.size()];
        int at = 0;
        for (int i = 0; i < pieces.size(); i++) {
            Tensor piece = pieces.get(i);
            offsets[i] = at;
            Shapes.scatterAdd(piece.readDoubles(), out, at * outStrides[d], outStrides, piece.shapeRef());
            at += piece.shapeRef()[d];
        }
        Tensor[] inputs = pieces.toArray(new Tensor[0]);
        Tensor y = Tensor.wrap(out, first.dtype(), shape);
        return Tape.record("concat", y, inputs, (grad, needs) -> {
            Tensor[] grads = new Tensor[inputs.length];
            double[] g = grad.readDoubles();
            for (int i = 0; i < inputs.length; i++) {
                if (needs[i]) { // dL/dpiece = the piece's block of grad
                    grads[i] = Tensor.wrap(Shapes.gather(g, offsets[i] * outStrides[d], outStrides, inputs[i].shapeRef()),
                            grad.dtype(), inputs[i].shape());
                }
            }
            return grads;
        });
    }

    /** Joins pieces of equal shape along a new dim inserted at {@code dim}. */
    static Tensor stack(List<Tensor> pieces, int dim) {
        if (pieces == null || pieces.isEmpty()) {
            throw Check.fail("stack", "no tensors to stack", "an empty list", "at least one tensor");
        }
        Tensor first = pieces.get(0);
        int d = Check.insertDim("stack", dim, first.rank());
        for (int i = 0; i < pieces.size(); i++) {
            Check.sameDType("stack", first, pieces.get(i));
            if (!Arrays.equals(pieces.get(i).shapeRef(), first.shapeRef())) {
                throw Check.fail("stack", "shapes differ", "piece 0 " + first.shapeString() + " and piece " + i + " "
                        + pieces.get(i).shapeString(), "equal shapes");
            }
        }
        int[] pieceShape = first.shape();
        int[] unsqueezed = new int[pieceShape.length + 1];
        for (int k = 0, j = 0; k < unsqueezed.length; k++) {
            unsqueezed[k] = k == d ? 1 : pieceShape[j++];
        }
        int[] shape = unsqueezed.clone();
        shape[d] = pieces.size();
        int[] outStrides = Shapes.strides(shape);
        double[] out = new double[Shapes.numel(shape)];
        for (int i = 0; i < pieces.size(); i++) {
            Shapes.scatterAdd(pieces.get(i).readDoubles(), out, i * outStrides[d], outStrides, unsqueezed);
        }
        Tensor[] inputs = pieces.toArray(new Tensor[0]);
        Tensor y = Tensor.wrap(out, first.dtype(), shape);
        return Tape.record("stack", y, inputs, (grad, needs) -> {
            Tensor[] grads = new Tensor[inputs.length];
            double[] g = grad.readDoubles();
            for (int i = 0; i < inputs.length; i++) {
                if (needs[i]) { // dL/dpiece_i = grad at index i of the new dim
                    grads[i] = Tensor.wrap(Shapes.gather(g, i * outStrides[d], outStrides, unsqueezed), grad.dtype(),
                            pieceShape.clone());
                }
            }
            return grads;
        });
    }

    /** {@code out} takes the slices {@code index[j]} of x along dim; the indices take no gradient. */
    static Tensor indexSelect(Tensor x, int dim, int[] index) {
        int d = Check.dim("index_select", dim, x.rank());
        int size = x.shapeRef()[d];
        for (int j = 0; j < index.length; j++) {
            if (index[j] < 0 || index[j] >= size) {
                throw Check.fail("index_select", "index out of range at position " + j, "index " + index[j]
                        + " for dim " + d + " of " + x.shapeString(), "0 <= index < " + size);
            }
        }
        int[] idx = index.clone();
        int outer = Shapes.outer(x.shapeRef(), d);
        int inner = Shapes.inner(x.shapeRef(), d);
        int[] shape = x.shape();
        shape[d] = idx.length;
        double[] xs = x.readDoubles();
        double[] out = new double[Shapes.numel(shape)];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                System.arraycopy(xs, (o * size + idx[j]) * inner, out, (o * idx.length + j) * inner, inner);
            }
        }
        Tensor y = Tensor.wrap(out, x.dtype(), shape);
        return Tape.record("index_select", y, new Tensor[] {x}, (grad, needs) -> {
            double[] g = grad.readDoubles();
            double[] dx = new double[xs.length];
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < idx.length; j++) {
                    int from = (o * idx.length + j) * inner;
                    int to = (o * size + idx[j]) * inner;
                    for (int k = 0; k < inner; k++) {
                        dx[to + k] += g[from + k]; // dL/dx: each selected slice adds its gradient (repeats add up)
                    }
                }
            }
            return new Tensor[] {Tensor.wrap(dx, x.dtype(), x.shape())};
        });
    }

    /**
     * PyTorch {@code gather}: {@code out[i0..i(r-1)] = x[i0.. index[i0..i(r-1)] (at dim) ..i(r-1)]}, with
     * {@code out.shape == indexShape}, {@code indexShape[k] <= x.shape[k]} for k != dim. The indices take no
     * gradient; backward adds each gradient element at the place it was read from.
     */
    static Tensor gather(Tensor x, int dim, int[] index, int... indexShape) {
        int rank = x.rank();
        int d = Check.dim("gather", dim, Math.max(rank, 1));
        int[] shape = indexShape.clone();
        if (shape.length != rank || Shapes.numel(shape) != index.length) {
            throw Check.fail("gather", "index shape does not fit", "index of shape " + Check.ints(indexShape) + " with "
                    + index.length + " values for input " + x.shapeString(),
                    "an index of rank " + rank + " whose numel equals its length");
        }
        for (int k = 0; k < rank; k++) {
            if (k != d && shape[k] > x.shapeRef()[k]) {
                throw Check.fail("gather", "index larger than input in dim " + k, "index " + Check.ints(indexShape)
                        + " for input " + x.shapeString(), "index.shape[k] <= input.shape[k] for k != " + d);
            }
        }
        int size = x.shapeRef()[d];
        int[] xStrides = Shapes.strides(x.shapeRef());
        int[] source = new int[index.length];
        int[] position = new int[rank];
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= size) {
                throw Check.fail("gather", "index out of range at flat position " + i, "index " + index[i] + " for dim "
                        + d + " of " + x.shapeString(), "0 <= index < " + size);
            }
            int offset = 0;
            for (int k = 0; k < rank; k++) {
                offset += (k == d ? index[i] : position[k]) * xStrides[k];
            }
            source[i] = offset;
            for (int k = rank - 1; k >= 0; k--) { // next row-major position of the index tensor
                if (++position[k] < shape[k]) {
                    break;
                }
                position[k] = 0;
            }
        }
        double[] xs = x.readDoubles();
        double[] out = new double[index.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = xs[source[i]];
        }
        Tensor y = Tensor.wrap(out, x.dtype(), shape);
        return Tape.record("gather", y, new Tensor[] {x}, (grad, needs) -> {
            double[] g = grad.readDoubles();
            double[] dx = new double[xs.length];
            for (int i = 0; i < g.length; i++) {
                dx[source[i]] += g[i]; // dL/dx = scatter-add of grad to the gathered places
            }
            return new Tensor[] {Tensor.wrap(dx, x.dtype(), x.shape())};
        });
    }

    /**
     * Zero padding in {@code torch.nn.functional.pad} order: {@code (left, right)} of the last dim, then of the
     * one before, ...; at most {@code 2·rank} non-negative values.
     */
    static Tensor pad(Tensor x, int... padding) {
        int rank = x.rank();
        if (padding.length % 2 != 0 || padding.length > 2 * rank) {
            throw Check.fail("pad", "padding needs (left, right) pairs for at most every dim", Check.ints(padding)
                    + " for " + x.shapeString(), "an even count <= " + 2 * rank);
        }
        int[] shape = x.shape();
        int[] before = new int[rank];
        for (int p = 0; p < padding.length / 2; p++) {
            int d = rank - 1 - p;
            int left = padding[2 * p];
            int right = padding[2 * p + 1];
            if (left < 0 || right < 0) {
                throw Check.fail("pad", "negative padding", Check.ints(padding), "non-negative padding (zeros only)");
            }
            before[d] = left;
            shape[d] += left + right;
        }
        int[] outStrides = Shapes.strides(shape);
        int base = 0;
        for (int d = 0; d < rank; d++) {
            base += before[d] * outStrides[d];
        }
        double[] out = new double[Shapes.numel(shape)];
        Shapes.scatterAdd(x.readDoubles(), out, base, outStrides, x.shapeRef());
        int origin = base;
        Tensor y = Tensor.wrap(out, x.dtype(), shape);
        return Tape.record("pad", y, new Tensor[] {x}, (grad, needs) -> new Tensor[] {
            // dL/dx = the interior block of grad
            Tensor.wrap(Shapes.gather(grad.readDoubles(), origin, outStrides, x.shapeRef()), grad.dtype(), x.shape()),
        });
    }
}
