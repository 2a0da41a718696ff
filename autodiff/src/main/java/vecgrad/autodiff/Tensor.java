package vecgrad.autodiff;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import vecgrad.kernels.ElementwiseKernels;

/**
 * A dense, row-major tensor of {@code float} ({@link DType#F32}, the default) or {@code double}
 * ({@link DType#F64}) elements, and a node of the reverse-mode tape.
 *
 * <p>The shape is copied on the way in and out. {@link #reshape} returns a view that shares storage; every
 * other op allocates a new tensor and never mutates its inputs. Storage carries a version counter: the
 * in-place methods ({@link #subInPlace}, {@link #axpyInPlace}, ...) are for optimizers and run outside the
 * tape; they bump the version, and a backward pass that finds a saved tensor changed since its forward
 * throws an {@link IllegalStateException} naming it (PyTorch's version-counter check).
 *
 * <p>Integer data (class labels, gather and index_select indices) is passed as plain {@code int[]}, with a
 * shape where the op needs one; it never takes a gradient.
 *
 * {@snippet :
 * Tensor w = Tensor.uniform(new SplittableRandom(1), -1, 1, 3, 2).requiresGrad(true);
 * try (Tape tape = Tape.begin()) {
 *     Tensor loss = Tensor.ones(4, 3).matmul(w).square().mean();
 *     loss.backward();
 * }
 * Tensor dw = w.grad(); // [3, 2]
 * }
 */
public final class Tensor {
    /**
     * Shared by a tensor and its reshape views; the version counts in-place writes. A recycling tape
     * ({@link Tape#beginRecycling()}) releases the storage of the results it recorded when it closes: the arrays
     * go back to {@link GradPool} and every tensor on this storage refuses to be read from then on.
     */
    static final class Storage {
        float[] floats;
        double[] doubles;
        int version;
        boolean released;

        Storage(float[] floats, double[] doubles) {
            this.floats = floats;
            this.doubles = doubles;
        }
    }

    private static final int PREVIEW = 3; // elements shown at each end of a long dimension in toString

    private final Storage storage;
    private final int[] shape;
    private final DType dtype;
    private boolean requiresGrad;
    private Tensor grad;
    /** Storage of a gradient released by {@link #recycleGrad()}, for the next backward to overwrite. */
    private Storage spareGrad;
    private String name;
    /** The tape entry that produced this tensor, or null for leaves and untracked results. */
    Tape.Entry producer;

    private Tensor(Storage storage, DType dtype, int[] shape) {
        this.storage = storage;
        this.dtype = dtype;
        this.shape = shape;
    }

    // ---------------------------------------------------------------- factories

    /** Zeros of {@code shape}, float32. */
    public static Tensor zeros(int... shape) {
        return zeros(DType.F32, shape);
    }

    /** Zeros of {@code shape} and {@code dtype}. */
    public static Tensor zeros(DType dtype, int... shape) {
        int[] copy = checkedShape("zeros", shape);
        int n = Shapes.numel(copy);
        return dtype == DType.F32 ? new Tensor(new Storage(new float[n], null), dtype, copy)
                : new Tensor(new Storage(null, new double[n]), dtype, copy);
    }

    /** Ones of {@code shape}, float32. */
    public static Tensor ones(int... shape) {
        return full(1, DType.F32, shape);
    }

    /** Ones of {@code shape} and {@code dtype}. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(1, dtype, shape);
    }

    /** Every element equal to {@code value}, float32. */
    public static Tensor full(double value, int... shape) {
        return full(value, DType.F32, shape);
    }

    /** Every element equal to {@code value}. */
    public static Tensor full(double value, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        if (dtype == DType.F32) {
            Arrays.fill(t.storage.floats, (float) value);
        } else {
            Arrays.fill(t.storage.doubles, value);
        }
        return t;
    }

    /** A rank-0 tensor (shape {@code []}). */
    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /** A float32 tensor holding a copy of {@code data} with {@code shape} (numel must match). */
    public static Tensor of(float[] data, int... shape) {
        int[] copy = checkedShape("of", shape);
        checkLength(data.length, copy);
        return new Tensor(new Storage(data.clone(), null), DType.F32, copy);
    }

    /** A float64 tensor holding a copy of {@code data} with {@code shape} (numel must match). */
    public static Tensor of(double[] data, int... shape) {
        int[] copy = checkedShape("of", shape);
        checkLength(data.length, copy);
        return new Tensor(new Storage(null, data.clone()), DType.F64, copy);
    }

    /** A tensor of {@code dtype} holding {@code data} (rounded to float for F32) with {@code shape}. */
    public static Tensor of(double[] data, DType dtype, int... shape) {
        int[] copy = checkedShape("of", shape);
        checkLength(data.length, copy);
        return wrap(dtype == DType.F64 ? data.clone() : data, dtype, copy);
    }

    /** {@code [0, 1, ..., n-1]}, float32. */
    public static Tensor arange(int n) {
        return arange(0, n, 1, DType.F32);
    }

    /** {@code start, start+step, ...} below {@code end} (above it for a negative step), shape {@code [count]}. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (!(step != 0) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw Check.fail("arange", "step must be non-zero and bounds finite",
                    "start " + start + ", end " + end + ", step " + step, "finite bounds and step != 0");
        }
        int count = (int) Math.max(0, Math.ceil((end - start) / step));
        double[] data = new double[count];
        for (int i = 0; i < count; i++) {
            data[i] = start + i * step;
        }
        return wrap(data, dtype, new int[] {count});
    }

    /** Uniform values in {@code [lo, hi)} drawn from {@code rng}, float32. */
    public static Tensor uniform(RandomGenerator rng, double lo, double hi, int... shape) {
        return uniform(rng, lo, hi, DType.F32, shape);
    }

    /** Uniform values in {@code [lo, hi)} drawn from {@code rng}. */
    public static Tensor uniform(RandomGenerator rng, double lo, double hi, DType dtype, int... shape) {
        int[] copy = checkedShape("uniform", shape);
        if (!(lo < hi)) {
            throw Check.fail("uniform", "empty range", "lo " + lo + ", hi " + hi, "lo < hi");
        }
        double[] data = new double[Shapes.numel(copy)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextDouble(lo, hi);
        }
        return wrap(data, dtype, copy);
    }

    /** Uniform values in {@code [lo, hi)} from a {@link SplittableRandom} seeded with {@code seed}. */
    public static Tensor uniform(long seed, double lo, double hi, DType dtype, int... shape) {
        return uniform(new SplittableRandom(seed), lo, hi, dtype, shape);
    }

    /** Normal values with {@code mean} and standard deviation {@code std} drawn from {@code rng}, float32. */
    public static Tensor normal(RandomGenerator rng, double mean, double std, int... shape) {
        return normal(rng, mean, std, DType.F32, shape);
    }

    /** Normal values with {@code mean} and standard deviation {@code std} drawn from {@code rng}. */
    public static Tensor normal(RandomGenerator rng, double mean, double std, DType dtype, int... shape) {
        int[] copy = checkedShape("normal", shape);
        if (!(std >= 0)) {
            throw Check.fail("normal", "std must be >= 0", "std " + std, "std >= 0");
        }
        double[] data = new double[Shapes.numel(copy)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextGaussian(mean, std);
        }
        return wrap(data, dtype, copy);
    }

    /** Normal values from a {@link SplittableRandom} seeded with {@code seed}. */
    public static Tensor normal(long seed, double mean, double std, DType dtype, int... shape) {
        return normal(new SplittableRandom(seed), mean, std, dtype, shape);
    }

    /**
     * Takes ownership of {@code data} for F64, or rounds it into a new float array for F32. {@code shape} is
     * not copied: callers pass a fresh array.
     */
    static Tensor wrap(double[] data, DType dtype, int[] shape) {
        if (dtype == DType.F64) {
            return new Tensor(new Storage(null, data), dtype, shape);
        }
        float[] floats = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            floats[i] = (float) data[i];
        }
        return new Tensor(new Storage(floats, null), dtype, shape);
    }

    /** Takes ownership of {@code data} as a float32 tensor. */
    static Tensor wrap(float[] data, int[] shape) {
        return new Tensor(new Storage(data, null), DType.F32, shape);
    }

    /**
     * A tensor of {@code shape} whose contents are stale, for an op that overwrites every element: an array from
     * {@link GradPool} (dead gradients, results released by a recycling tape) when one of the size is free,
     * else a new one. {@code shape} is not copied.
     */
    static Tensor uninitialized(DType dtype, int[] shape) {
        int n = Shapes.numel(shape);
        return dtype == DType.F32 ? new Tensor(new Storage(GradPool.floats(n), null), dtype, shape)
                : new Tensor(new Storage(null, GradPool.doubles(n)), dtype, shape);
    }

    private static int[] checkedShape(String op, int[] shape) {
        for (int size : shape) {
            if (size < 0) {
                throw Check.fail(op, "negative dimension", "shape " + Check.ints(shape), "sizes >= 0");
            }
        }
        int[] copy = shape.clone();
        try {
            Shapes.numel(copy);
        } catch (ArithmeticException overflow) {
            throw Check.fail(op, "too many elements", "shape " + Check.ints(shape), "numel below 2^31");
        }
        return copy;
    }

    private static void checkLength(int length, int[] shape) {
        if (length != Shapes.numel(shape)) {
            throw Check.fail("of", "data length does not match the shape", length + " values for shape "
                    + Shapes.toString(shape), Shapes.numel(shape) + " values");
        }
    }

    // ---------------------------------------------------------------- accessors

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The shape array itself, for the engine: never modified. */
    int[] shapeRef() {
        return shape;
    }

    /** Size of dimension {@code d} (negative counts from the end). */
    public int dim(int d) {
        return shape[Check.dim("dim", d, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public DType dtype() {
        return dtype;
    }

    /** The shape as {@code [2, 3]}. */
    public String shapeString() {
        return Shapes.toString(shape);
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw Check.fail("item", "tensor has more than one element", shapeString(), "exactly one element");
        }
        return at(0);
    }

    /** The element at a full multi-index. */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw Check.fail("get", "index rank differs from tensor rank", Check.ints(index) + " for "
                    + shapeString(), shape.length + " indices");
        }
        int flat = 0;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw Check.fail("get", "index out of range in dim " + d, Check.ints(index) + " for "
                        + shapeString(), "0 <= index < size");
            }
            flat = flat * shape[d] + index[d];
        }
        return at(flat);
    }

    /** Element {@code i} of the row-major data. */
    double at(int i) {
        Storage live = live();
        return dtype == DType.F32 ? live.floats[i] : live.doubles[i];
    }

    /** A float copy of the data (rounded for F64). */
    public float[] toFloatArray() {
        Storage live = live();
        if (dtype == DType.F32) {
            return live.floats.clone();
        }
        float[] out = new float[live.doubles.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) live.doubles[i];
        }
        return out;
    }

    /** A double copy of the data. */
    public double[] toDoubleArray() {
        return dtype == DType.F64 ? live().doubles.clone() : readDoubles();
    }

    /** The data as doubles: the backing array itself for F64 (callers must not write to it), a copy for F32. */
    double[] readDoubles() {
        if (dtype == DType.F64) {
            return live().doubles;
        }
        float[] floats = live().floats;
        double[] out = new double[floats.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats[i];
        }
        return out;
    }

    /** Backing float array (F32 only); ops read it, only in-place methods write it. */
    float[] floats() {
        return live().floats;
    }

    /** Backing double array (F64 only). */
    double[] doubles() {
        return live().doubles;
    }

    /** The storage, after checking that a recycling tape has not released it. */
    private Storage live() {
        Storage live = storage;
        if (live.released) {
            throw new IllegalStateException(describe() + (producer != null ? " (output of '" + producer.op + "')" : "")
                    + " was released when its recycling tape closed (Tape.beginRecycling); read it before the tape "
                    + "closes, or keep it with tape.keep(tensor)");
        }
        return live;
    }

    /** Whether a recycling tape released this tensor's storage. */
    public boolean isReleased() {
        return storage.released;
    }

    int version() {
        return storage.version;
    }

    boolean sharesStorageWith(Tensor other) {
        return storage == other.storage;
    }

    /**
     * A copy in {@code dtype} (or this tensor when it already has that dtype). The cast is explicit and not
     * recorded: the result is a new leaf, so cast parameters before building the graph.
     */
    public Tensor to(DType target) {
        if (target == dtype) {
            return this;
        }
        return target == DType.F64 ? wrap(readDoubles(), DType.F64, shape.clone()) : wrap(doubles(), DType.F32, shape.clone());
    }

    // ---------------------------------------------------------------- gradients

    /** Whether a gradient flows to this tensor (set on leaves; ops propagate it to their outputs). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks this leaf as a parameter that receives {@link #grad()}; returns this. */
    public Tensor requiresGrad(boolean requires) {
        if (producer != null) {
            throw new IllegalStateException("requiresGrad: " + describe() + " is the output of '" + producer.op
                    + "', not a leaf; call detach() first");
        }
        this.requiresGrad = requires;
        return this;
    }

    /** Output of a recorded op (grad flows through it to leaves) rather than a leaf. */
    void markRecorded(Tape.Entry entry) {
        this.producer = entry;
        this.requiresGrad = true;
    }

    /** True when no recorded op produced this tensor. */
    public boolean isLeaf() {
        return producer == null;
    }

    /** Name of the op that produced this tensor on the tape, or null for a leaf. */
    public String opName() {
        return producer == null ? null : producer.op;
    }

    /** The accumulated gradient of a leaf after {@link #backward()}, or null before any backward reached it. */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient (the next backward starts from zero). */
    public void zeroGrad() {
        grad = null;
    }

    /**
     * Like {@link #zeroGrad()}, and hands the gradient's storage back to this tensor: the next backward writes
     * this leaf's new gradient into it instead of allocating one (PyTorch's {@code zero_grad(set_to_none=False)}
     * saves the same allocation). For training loops that read the gradient only until the next step: a tensor
     * obtained from {@link #grad()} before this call will be overwritten. Its version is bumped, so a tape that
     * saved it as an op input refuses to backpropagate through the stale values.
     */
    public void recycleGrad() {
        if (grad != null) {
            grad.storage.version++;
            spareGrad = grad.storage;
        }
        grad = null;
    }

    /**
     * A tensor shaped like this one to receive a gradient that the caller overwrites entirely (its contents are
     * stale): the recycled gradient storage of {@link #recycleGrad()} when this is a leaf that has one of the
     * right size (taken, so a second contribution in the same backward gets its own array), else an array from
     * {@link GradPool}.
     */
    Tensor gradientBuffer() {
        Storage spare = spareGrad;
        spareGrad = null;
        if (spare != null && producer == null && grad == null) {
            int n = numel();
            boolean fits = dtype == DType.F32 ? spare.floats != null && spare.floats.length == n
                    : spare.doubles != null && spare.doubles.length == n;
            if (fits) {
                return new Tensor(spare, dtype, shape.clone());
            }
        }
        int n = numel();
        return dtype == DType.F32 ? new Tensor(new Storage(GradPool.floats(n), null), dtype, shape.clone())
                : new Tensor(new Storage(null, GradPool.doubles(n)), dtype, shape.clone());
    }

    /**
     * Adds a backward contribution to this leaf's gradient. {@code fresh} says the engine knows nobody else
     * holds the contribution's storage; otherwise the first contribution is copied, so a gradient handed to
     * the user never aliases a tensor that a rule, another leaf or the user's seed also holds.
     */
    void accumulateGrad(Tensor contribution, boolean fresh) {
        if (grad == null) {
            grad = fresh ? contribution : contribution.copy();
        } else {
            grad = BroadcastOp.addUntracked(grad, contribution);
        }
    }

    Storage storage() {
        return storage;
    }

    /** A new tensor with the same values and no gradient history. */
    public Tensor copy() {
        Storage fresh = dtype == DType.F32 ? new Storage(floats().clone(), null) : new Storage(null, doubles().clone());
        return new Tensor(fresh, dtype, shape.clone());
    }

    /** The same storage without gradient history: gradients do not flow through the result. */
    public Tensor detach() {
        Tensor view = new Tensor(storage, dtype, shape.clone());
        view.name = name;
        return view;
    }

    /** A label used in error messages (e.g. the version-counter check); returns this. */
    public Tensor named(String label) {
        this.name = label;
        return this;
    }

    public String name() {
        return name;
    }

    String describe() {
        return (name == null ? "tensor" : "tensor '" + name + "'") + " " + shapeString();
    }

    /** A view with another shape sharing this storage (internal: no recording). */
    Tensor viewAs(int[] newShape) {
        return new Tensor(storage, dtype, newShape);
    }

    // ---------------------------------------------------------------- backward

    /** Backpropagates from this scalar (one-element) output on the open tape; leaves accumulate {@link #grad()}. */
    public void backward() {
        Tape.backward(this, null);
    }

    /** Backpropagates from this output with upstream gradient {@code seed} (same shape and dtype). */
    public void backward(Tensor seed) {
        if (seed == null) {
            throw Check.fail("backward", "seed is null", "null", "a tensor of shape " + shapeString());
        }
        Tape.backward(this, seed);
    }

    // ---------------------------------------------------------------- in-place updates (outside the tape)

    /** {@code this -= other} (same shape and dtype); bumps the version. For optimizer steps. */
    public Tensor subInPlace(Tensor other) {
        return axpyInPlace(-1, other);
    }

    /** {@code this += other}; bumps the version. */
    public Tensor addInPlace(Tensor other) {
        return axpyInPlace(1, other);
    }

    /** {@code this += alpha · x} (same shape and dtype); bumps the version. For optimizer steps. */
    public Tensor axpyInPlace(double alpha, Tensor x) {
        checkInPlace("axpyInPlace", x);
        if (dtype == DType.F32) {
            float[] y = floats();
            ElementwiseKernels.axpy(x.floats(), 0, y, 0, y.length, (float) alpha);
        } else {
            double[] y = doubles();
            ElementwiseKernels.axpy(x.doubles(), 0, y, 0, y.length, alpha);
        }
        storage.version++;
        return this;
    }

    /** {@code this *= factor}; bumps the version. */
    public Tensor scaleInPlace(double factor) {
        if (dtype == DType.F32) {
            float[] y = floats();
            ElementwiseKernels.scale(y, 0, y, 0, y.length, (float) factor);
        } else {
            double[] y = doubles();
            ElementwiseKernels.scale(y, 0, y, 0, y.length, factor);
        }
        storage.version++;
        return this;
    }

    /** Sets every element to {@code value}; bumps the version. */
    public Tensor fillInPlace(double value) {
        if (dtype == DType.F32) {
            Arrays.fill(floats(), (float) value);
        } else {
            Arrays.fill(doubles(), value);
        }
        storage.version++;
        return this;
    }

    /** Copies {@code source}'s values (same shape and dtype) into this tensor; bumps the version. */
    public Tensor copyFrom(Tensor source) {
        checkInPlace("copyFrom", source);
        if (dtype == DType.F32) {
            float[] y = floats();
            System.arraycopy(source.floats(), 0, y, 0, y.length);
        } else {
            double[] y = doubles();
            System.arraycopy(source.doubles(), 0, y, 0, y.length);
        }
        storage.version++;
        return this;
    }

    private void checkInPlace(String op, Tensor x) {
        Check.sameDType(op, this, x);
        if (!Arrays.equals(shape, x.shape)) {
            throw Check.fail(op, "shapes differ", "this " + shapeString() + " and other " + x.shapeString(),
                    "equal shapes (in-place updates do not broadcast)");
        }
    }

    // ---------------------------------------------------------------- ops (PyTorch names)

    public Tensor add(Tensor other) { return BroadcastOp.apply(BroadcastOp.Binary.ADD, this, other); }
    public Tensor sub(Tensor other) { return BroadcastOp.apply(BroadcastOp.Binary.SUB, this, other); }
    public Tensor mul(Tensor other) { return BroadcastOp.apply(BroadcastOp.Binary.MUL, this, other); }
    public Tensor div(Tensor other) { return BroadcastOp.apply(BroadcastOp.Binary.DIV, this, other); }
    /** {@code this ^ exponent} elementwise with broadcasting; the base must be positive where the exponent varies. */
    public Tensor pow(Tensor exponent) { return BroadcastOp.apply(BroadcastOp.Binary.POW, this, exponent); }
    public Tensor maximum(Tensor other) { return BroadcastOp.apply(BroadcastOp.Binary.MAXIMUM, this, other); }
    public Tensor minimum(Tensor other) { return BroadcastOp.apply(BroadcastOp.Binary.MINIMUM, this, other); }

    public Tensor add(double value) { return add(scalar(value, dtype)); }
    public Tensor sub(double value) { return sub(scalar(value, dtype)); }
    public Tensor mul(double value) { return mul(scalar(value, dtype)); }
    public Tensor div(double value) { return div(scalar(value, dtype)); }

    /** {@code this ^ exponent} with a constant exponent (op "pow"). */
    public Tensor pow(double exponent) { return PointwiseOp.pow(this, exponent); }
    public Tensor neg() { return PointwiseOp.apply(Pointwise.NEG, this); }
    public Tensor exp() { return PointwiseOp.apply(Pointwise.EXP, this); }
    public Tensor log() { return PointwiseOp.apply(Pointwise.LOG, this); }
    public Tensor sqrt() { return PointwiseOp.apply(Pointwise.SQRT, this); }
    public Tensor abs() { return PointwiseOp.apply(Pointwise.ABS, this); }
    public Tensor square() { return PointwiseOp.apply(Pointwise.SQUARE, this); }
    public Tensor tanh() { return PointwiseOp.apply(Pointwise.TANH, this); }
    public Tensor sigmoid() { return PointwiseOp.apply(Pointwise.SIGMOID, this); }
    public Tensor relu() { return PointwiseOp.apply(Pointwise.RELU, this); }
    public Tensor leakyRelu(double negativeSlope) { return PointwiseOp.leakyRelu(this, negativeSlope); }
    public Tensor elu(double alpha) { return PointwiseOp.elu(this, alpha); }
    public Tensor softplus(double beta, double threshold) { return PointwiseOp.softplus(this, beta, threshold); }
    /** Clamps to {@code [min, max]}; a null bound is unbounded. */
    public Tensor clamp(Double min, Double max) { return PointwiseOp.clamp(this, min, max); }

    // Reductions: {@code dims == null} reduces every dimension (with keepdim the result is [1, 1, ...]); dims may
    // be negative. Ties of max/min: along one dim the gradient goes to the first extremum, over several or all
    // dims it is split evenly among the tied elements (FORMAT.md §5).

    /** Sum of all elements, shape {@code []}. */
    public Tensor sum() { return ReduceOp.sum(this, null, false); }
    public Tensor sum(int dim, boolean keepdim) { return ReduceOp.sum(this, new int[] {dim}, keepdim); }
    public Tensor sum(int[] dims, boolean keepdim) { return ReduceOp.sum(this, dims, keepdim); }
    /** Mean of all elements. Unlike PyTorch, the mean of zero elements is an error, not NaN (FAULTS 8). */
    public Tensor mean() { return ReduceOp.mean(this, null, false); }
    public Tensor mean(int dim, boolean keepdim) { return ReduceOp.mean(this, new int[] {dim}, keepdim); }
    public Tensor mean(int[] dims, boolean keepdim) { return ReduceOp.mean(this, dims, keepdim); }
    public Tensor max() { return ReduceOp.max(this, null, false); }
    public Tensor max(int dim, boolean keepdim) { return ReduceOp.max(this, new int[] {dim}, keepdim); }
    public Tensor max(int[] dims, boolean keepdim) { return ReduceOp.max(this, dims, keepdim); }
    public Tensor min() { return ReduceOp.min(this, null, false); }
    public Tensor min(int dim, boolean keepdim) { return ReduceOp.min(this, new int[] {dim}, keepdim); }
    public Tensor min(int[] dims, boolean keepdim) { return ReduceOp.min(this, dims, keepdim); }
    /** Unbiased variance (correction 1) of all elements. */
    public Tensor var() { return ReduceOp.var(this, null, false, 1); }
    public Tensor var(int dim, boolean keepdim) { return ReduceOp.var(this, new int[] {dim}, keepdim, 1); }
    public Tensor var(int[] dims, boolean keepdim, int correction) { return ReduceOp.var(this, dims, keepdim, correction); }
    public Tensor logsumexp(int dim, boolean keepdim) { return ReduceOp.logsumexp(this, new int[] {dim}, keepdim); }
    public Tensor logsumexp(int[] dims, boolean keepdim) { return ReduceOp.logsumexp(this, dims, keepdim); }

    /** Same elements in another shape (one -1 allowed); a view sharing storage. */
    public Tensor reshape(int... newShape) { return LayoutOp.reshape(this, newShape); }
    /** Alias of {@link #reshape}: tensors are always contiguous. */
    public Tensor view(int... newShape) { return LayoutOp.reshape(this, newShape); }
    /** All dimensions merged into one. */
    public Tensor flatten() { return LayoutOp.reshape(this, -1); }
    /** Dimensions {@code startDim..endDim} merged into one (a reshape). */
    public Tensor flatten(int startDim, int endDim) { return LayoutOp.flatten(this, startDim, endDim); }
    public Tensor transpose(int dim0, int dim1) { return LayoutOp.transpose(this, dim0, dim1); }
    /** Transpose of a 2-D tensor. */
    public Tensor t() { return LayoutOp.transpose(this, 0, 1); }
    public Tensor permute(int... dims) { return LayoutOp.permute(this, dims); }
    public Tensor slice(int dim, int start, int end, int step) { return LayoutOp.slice(this, dim, start, end, step); }
    public Tensor narrow(int dim, int start, int length) { return LayoutOp.narrow(this, dim, start, length); }
    public Tensor indexSelect(int dim, int[] index) { return LayoutOp.indexSelect(this, dim, index); }
    /** PyTorch {@code gather}: {@code out[..i..] = this[.. index[..i..] at dim ..]} with {@code index} of {@code indexShape}. */
    public Tensor gather(int dim, int[] index, int... indexShape) { return LayoutOp.gather(this, dim, index, indexShape); }
    /** Zero padding in {@code torch.nn.functional.pad} order: (left, right) of the last dim, then the one before, ... */
    public Tensor pad(int... padding) { return LayoutOp.pad(this, padding); }
    public Tensor matmul(Tensor other) { return MatMulOp.apply(this, other); }
    public Tensor softmax(int dim) { return SoftmaxOp.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return SoftmaxOp.logSoftmax(this, dim); }

    /** Joins tensors along an existing dimension. */
    public static Tensor concat(List<Tensor> pieces, int dim) { return LayoutOp.concat(pieces, dim); }
    /** Joins tensors of equal shape along a new dimension. */
    public static Tensor stack(List<Tensor> pieces, int dim) { return LayoutOp.stack(pieces, dim); }

    /**
     * Index of the first maximum along {@code dim} for every other position: row-major {@code int[]} of the
     * shape with {@code dim} removed. Not differentiable and not recorded (a utility for accuracy and
     * predictions); a NaN counts as the maximum, as in {@link #max(int, boolean)}.
     */
    public int[] argmax(int dim) {
        int d = Check.dim("argmax", dim, Math.max(1, shape.length));
        if (shape.length == 0) {
            return new int[] {0};
        }
        int size = shape[d];
        if (size == 0) {
            throw Check.fail("argmax", "argmax over an empty dimension", shapeString() + " along dim " + d,
                    "a non-empty dimension");
        }
        int outer = Shapes.outer(shape, d);
        int inner = Shapes.inner(shape, d);
        int[] result = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i;
                int best = 0;
                double bestValue = at(base);
                for (int j = 1; j < size && !Double.isNaN(bestValue); j++) {
                    double value = at(base + j * inner);
                    if (value > bestValue || Double.isNaN(value)) {
                        best = j;
                        bestValue = value;
                    }
                }
                result[o * inner + i] = best;
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- text

    /** {@code tensor([2, 3], float32, requires_grad) [[1, 2, 3], [4, 5, 6]]}, long dimensions clipped with "...". */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("tensor(").append(shapeString()).append(", ").append(dtype);
        if (name != null) {
            text.append(", '").append(name).append('\'');
        }
        if (requiresGrad) {
            text.append(producer != null ? ", op=" + producer.op : ", requires_grad");
        }
        text.append(") ");
        if (storage.released) {
            return text.append("<released with its recycling tape>").toString();
        }
        preview(text, 0, 0);
        return text.toString();
    }

    private void preview(StringBuilder text, int dim, int base) {
        if (shape.length == 0) {
            text.append(format(at(0)));
            return;
        }
        int size = shape[dim];
        int stride = Shapes.inner(shape, dim);
        text.append('[');
        for (int i = 0; i < size; i++) {
            if (size > 2 * PREVIEW && i == PREVIEW) {
                text.append("..., ");
                i = size - PREVIEW - 1;
                continue;
            }
            if (dim == shape.length - 1) {
                text.append(format(at(base + i)));
            } else {
                preview(text, dim + 1, base + i * stride);
            }
            if (i < size - 1) {
                text.append(", ");
            }
        }
        text.append(']');
    }

    private String format(double value) {
        return dtype == DType.F32 ? Float.toString((float) value) : Double.toString(value);
    }
}
