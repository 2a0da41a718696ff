package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Set;

/**
 * The reverse-mode tape (a Wengert list) of the current thread. While a tape is open, every op whose inputs
 * require a gradient appends one {@link Entry}: its output, its inputs and its {@link Backward} rule.
 * {@link Tensor#backward()} walks the entries once in reverse (no topological sort is needed: the tape is
 * already in execution order), adds gradients with {@code +} where a tensor was used more than once, and
 * accumulates the result into the {@link Tensor#grad()} of leaves that require it.
 *
 * <p>Backward may run several times while the tape is open (each run adds to the leaves' gradients, as in
 * PyTorch with {@code retain_graph=True}; two runs compute bit-identical contributions). Closing the tape
 * releases every entry; a tensor recorded on a closed tape can no longer be backpropagated. One tape per
 * thread: opening a second one while the first is open is an error.
 *
 * <p>A recycling tape ({@link #beginRecycling()}) is for training loops: when it closes, it also releases the
 * results it recorded (activations, the loss), so that the next step's forward writes into the same arrays
 * instead of allocating and zeroing new ones, as PyTorch's caching allocator does once the graph is freed.
 * Reading a released tensor, or a view of it, throws an {@link IllegalStateException}; read what you need (the
 * loss value, predictions) before the tape closes, or {@link #keep} it. Leaves, parameters and their
 * gradients are never released, nor are results that share storage with an op's input (a reshape of a
 * parameter).
 *
 * {@snippet :
 * try (Tape tape = Tape.begin()) {
 *     Tensor loss = Functional.crossEntropy(x.matmul(w).add(b), labels, Reduction.MEAN);
 *     loss.backward();
 * } // entries released here; w.grad() and b.grad() stay
 * }
 */
public final class Tape implements AutoCloseable {
    private static final ThreadLocal<Tape> CURRENT = new ThreadLocal<>();
    private static final AtomicLong LIVE_ENTRIES = new AtomicLong();

    /** One recorded op. Its fields are cleared when the tape closes, so nothing it referenced stays reachable. */
    static final class Entry {
        final String op;
        final int step;
        Tape tape;
        Tensor[] inputs;
        Tensor out;
        Backward backward;
        int[] inputVersions;
        int outVersion;

        Entry(String op, int step, Tape tape, Tensor[] inputs, Tensor out, Backward backward) {
            this.op = op;
            this.step = step;
            this.tape = tape;
            this.inputs = inputs;
            this.out = out;
            this.backward = backward;
            this.inputVersions = new int[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                inputVersions[i] = inputs[i].version();
            }
            this.outVersion = out.version();
        }

        void release() {
            tape = null;
            inputs = null;
            out = null;
            backward = null;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Thread owner = Thread.currentThread();
    private final boolean recycles;
    /** Storages {@link #keep} exempted from release. */
    private final Set<Tensor.Storage> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private Tape(boolean recycles) {
        this.recycles = recycles;
    }

    /** Opens the recording tape of this thread. */
    public static Tape begin() {
        return open(false);
    }

    /**
     * Opens a recording tape that releases the results it recorded when it closes, for the next step to reuse
     * their arrays (see the class comment): a tensor recorded on it can be read only until it closes, unless
     * {@link #keep kept}.
     */
    public static Tape beginRecycling() {
        return open(true);
    }

    private static Tape open(boolean recycles) {
        Tape open = CURRENT.get();
        if (open != null) {
            throw new IllegalStateException("Tape.begin: a tape is already open on thread '"
                    + Thread.currentThread().getName() + "' (" + open.entries.size()
                    + " entries); close it first, e.g. with try (Tape tape = Tape.begin()) {...}");
        }
        Tape tape = new Tape(recycles);
        CURRENT.set(tape);
        return tape;
    }

    /** Whether closing this tape releases the results it recorded ({@link #beginRecycling()}). */
    public boolean recycles() {
        return recycles;
    }

    /**
     * Exempts {@code tensor} (and the views sharing its storage) from release when this recycling tape closes;
     * returns it. Without effect on a tape that does not recycle.
     */
    public Tensor keep(Tensor tensor) {
        if (closed) {
            throw new IllegalStateException("Tape.keep: the tape is closed; keep " + tensor.describe()
                    + " before closing it");
        }
        kept.add(tensor.storage());
        return tensor;
    }

    /** The open tape of this thread, or null. */
    public static Tape current() {
        return CURRENT.get();
    }

    /** True when ops on this thread are being recorded (a tape is open and no {@link NoGrad} scope is active). */
    public static boolean recording() {
        return CURRENT.get() != null && !NoGrad.active();
    }

    /** Entries recorded and not yet released, over all tapes of all threads (a leak diagnostic). */
    public static long liveEntries() {
        return LIVE_ENTRIES.get();
    }

    /** Number of entries on this tape. */
    public int size() {
        return entries.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Appends one entry for {@code op} when this thread is recording and some input requires a gradient, and
     * returns {@code out} (marked as requiring a gradient in that case). Ops call this right after computing
     * their output, with the backward rule written beneath. {@code op} must be a name in {@link Ops#names()}.
     */
    public static Tensor record(String op, Tensor out, Tensor[] inputs, Backward backward) {
        if (Anomaly.enabled()) {
            String bad = Anomaly.nonFinite(out);
            if (bad != null && Anomaly.allFinite(inputs)) {
                throw new IllegalStateException(op + " forward produced " + bad + " in its output "
                        + out.shapeString() + " from finite inputs");
            }
        }
        Tape tape = CURRENT.get();
        if (tape == null || NoGrad.active()) {
            return out;
        }
        boolean anyRequiresGrad = false;
        for (Tensor input : inputs) {
            anyRequiresGrad |= input.requiresGrad();
        }
        if (!anyRequiresGrad) {
            return out;
        }
        if (!Ops.contains(op)) {
            throw new IllegalStateException("Tape.record: op '" + op + "' is not registered in Ops; add it to the catalog");
        }
        Entry entry = new Entry(op, tape.entries.size(), tape, inputs.clone(), out, backward);
        tape.entries.add(entry);
        LIVE_ENTRIES.incrementAndGet();
        out.markRecorded(entry);
        return out;
    }

    /**
     * Gradients of {@code sum(output ⊙ seed)} with respect to the leaves {@code wrt}, without touching their
     * {@link Tensor#grad()}: zeros of a leaf's shape where no gradient reaches it. A null seed is allowed for a
     * one-element output.
     */
    public static Tensor[] gradients(Tensor output, Tensor seed, Tensor... wrt) {
        Map<Tensor, Tensor> found = new IdentityHashMap<>();
        for (int i = 0; i < wrt.length; i++) {
            if (!wrt[i].isLeaf()) {
                throw Check.fail("gradients", "wrt[" + i + "] is not a leaf", wrt[i].describe() + " produced by '"
                        + wrt[i].opName() + "'", "leaf tensors (inputs created by a factory, or detach())");
            }
        }
        for (Tensor leaf : wrt) {
            found.put(leaf, null);
        }
        run(output, seed, (leaf, g, fresh) -> {
            if (found.containsKey(leaf)) {
                Tensor old = found.get(leaf);
                found.put(leaf, old == null ? g : BroadcastOp.addUntracked(old, g));
            }
        });
        Tensor[] result = new Tensor[wrt.length];
        for (int i = 0; i < wrt.length; i++) {
            Tensor g = found.get(wrt[i]);
            result[i] = g == null ? Tensor.zeros(wrt[i].dtype(), wrt[i].shapeRef()) : g.copy();
        }
        return result;
    }

    /** Receives the contributions to leaves; {@code fresh} when no other tensor shares the contribution's storage. */
    @FunctionalInterface
    private interface LeafSink {
        void accept(Tensor leaf, Tensor contribution, boolean fresh);
    }

    static void backward(Tensor output, Tensor seed) {
        run(output, seed, Tensor::accumulateGrad);
    }

    private static void run(Tensor output, Tensor seed, LeafSink leafSink) {
        Tensor start = startGradient(output, seed);
        Entry last = output.producer;
        if (last == null) {
            if (!output.requiresGrad()) {
                throw new IllegalStateException("backward: " + output.describe() + " does not require grad: no input "
                        + "requires grad, or it was computed without an open tape or under NoGrad");
            }
            leafSink.accept(output, start, false);
            return;
        }
        Tape tape = last.tape;
        if (tape == null || tape.closed) {
            throw new IllegalStateException("backward: the tape that recorded " + output.describe() + " (op '"
                    + last.op + "') is closed; run forward and backward inside one try (Tape tape = Tape.begin())");
        }
        if (tape.owner != Thread.currentThread()) {
            throw new IllegalStateException("backward: " + output.describe() + " was recorded on thread '"
                    + tape.owner.getName() + "', not on this thread");
        }
        tape.walk(last.step, start, leafSink);
    }

    private static Tensor startGradient(Tensor output, Tensor seed) {
        if (seed == null) {
            if (output.numel() != 1) {
                throw Check.fail("backward", "seed required for output of shape " + output.shapeString(),
                        "no seed gradient", "backward(seed) with a seed of shape " + output.shapeString()
                                + ", or a one-element output");
            }
            return Tensor.ones(output.dtype(), output.shapeRef());
        }
        if (!Arrays.equals(seed.shapeRef(), output.shapeRef())) {
            throw Check.fail("backward", "seed shape differs from output shape", "seed " + seed.shapeString()
                    + " for output " + output.shapeString(), "seed of shape " + output.shapeString());
        }
        Check.sameDType("backward", output, seed);
        return seed;
    }

    private void walk(int from, Tensor start, LeafSink leafSink) {
        Tensor[] grads = new Tensor[from + 1];
        // Storage handed to a leaf in this walk: a second leaf receiving the same storage gets a copy.
        Set<Tensor.Storage> handedOut = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Holders holders = new Holders();
        grads[from] = start;
        holders.hold(start.storage(), false); // the seed belongs to the caller
        boolean anomaly = Anomaly.enabled();
        try (NoGrad rulesAreNotRecorded = NoGrad.enter()) {
            for (int step = from; step >= 0; step--) {
                Tensor grad = grads[step];
                if (grad == null) {
                    continue;
                }
                grads[step] = null; // free as we go: each gradient is consumed exactly once
                Entry entry = entries.get(step);
                checkVersions(entry);
                Tensor[] inputs = entry.inputs;
                boolean[] needs = new boolean[inputs.length];
                boolean any = false;
                for (int i = 0; i < inputs.length; i++) {
                    needs[i] = reaches(inputs[i]);
                    any |= needs[i];
                }
                if (!any) {
                    holders.release(grad.storage());
                    continue;
                }
                Tensor[] inputGrads = entry.backward.apply(grad, needs);
                for (int i = 0; i < inputs.length; i++) {
                    Tensor g = needs[i] ? inputGrads[i] : null;
                    if (g == null) {
                        continue;
                    }
                    if (anomaly) {
                        String bad = Anomaly.nonFinite(g);
                        if (bad != null && Anomaly.nonFinite(grad) == null) {
                            throw new IllegalStateException(entry.op + " backward produced " + bad + " in output " + i
                                    + " (op recorded at step " + entry.step + ")");
                        }
                    }
                    Tensor input = inputs[i];
                    Tensor returned = g;
                    g = Shapes.sumToShape(g, input.shapeRef());
                    if (g.dtype() != input.dtype()) {
                        throw new IllegalStateException(entry.op + " backward returned a " + g.dtype()
                                + " gradient for a " + input.dtype() + " input " + i);
                    }
                    // Made by the engine: a new array of the rule or of sumToShape, or the upstream gradient passed
                    // through when that one was; never storage of the entry's inputs or output.
                    boolean made = g != returned || (!sharesWithEntry(g, entry)
                            && (!g.sharesStorageWith(grad) || holders.made(grad.storage())));
                    Entry producer = input.producer;
                    if (producer != null && producer.tape == this) {
                        Tensor old = grads[producer.step];
                        if (old == null) {
                            grads[producer.step] = g;
                            holders.hold(g.storage(), made);
                        } else {
                            Tensor sum = BroadcastOp.addUntracked(old, g);
                            holders.hold(g.storage(), made);
                            holders.release(g.storage());
                            holders.release(old.storage());
                            grads[producer.step] = sum;
                            holders.hold(sum.storage(), true);
                        }
                    } else if (producer == null) {
                        boolean fresh = !handedOut.contains(g.storage()) && !aliases(g, grad, entry);
                        handedOut.add(g.storage());
                        holders.hold(g.storage(), false); // a leaf's gradient is the user's from now on
                        leafSink.accept(input, g, fresh);
                    }
                }
                holders.release(grad.storage());
            }
        }
    }

    /**
     * Reference counts of the gradient storages of one walk, so that an intermediate gradient the engine made
     * goes back to {@link GradPool} once the last slot holding it was consumed.
     */
    private static final class Holders {
        private final Map<Tensor.Storage, Integer> counts = new IdentityHashMap<>();
        /** Storages someone outside the walk may hold (seed, leaf gradients, rule outputs aliasing inputs). */
        private final Set<Tensor.Storage> foreign = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

        void hold(Tensor.Storage storage, boolean made) {
            counts.merge(storage, 1, Integer::sum);
            if (!made) {
                foreign.add(storage);
            }
        }

        boolean made(Tensor.Storage storage) {
            return counts.containsKey(storage) && !foreign.contains(storage);
        }

        void release(Tensor.Storage storage) {
            Integer left = counts.merge(storage, -1, Integer::sum);
            if (left != null && left <= 0) {
                counts.remove(storage);
                if (!foreign.contains(storage)) {
                    GradPool.recycle(storage);
                }
            }
        }
    }

    /** Whether g shares storage with the entry's output or one of its inputs. */
    private static boolean sharesWithEntry(Tensor g, Entry entry) {
        if (g.sharesStorageWith(entry.out)) {
            return true;
        }
        for (Tensor input : entry.inputs) {
            if (g.sharesStorageWith(input)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a rule's returned gradient shares storage with something the graph or the user holds: the
     * upstream gradient (add and reshape pass it through), an input, or the output. Anything else a rule
     * returns it created itself (the {@link Backward} contract), so it can become a leaf's grad uncopied.
     */
    private static boolean aliases(Tensor g, Tensor grad, Entry entry) {
        if (g.sharesStorageWith(grad) || g.sharesStorageWith(entry.out)) {
            return true;
        }
        for (Tensor input : entry.inputs) {
            if (g.sharesStorageWith(input)) {
                return true;
            }
        }
        return false;
    }

    /** A gradient is needed for a leaf that requires it, or for an intermediate result recorded on this tape. */
    private boolean reaches(Tensor input) {
        if (!input.requiresGrad()) {
            return false;
        }
        Entry producer = input.producer;
        return producer == null || producer.tape == this;
    }

    private static void checkVersions(Entry entry) {
        for (int i = 0; i < entry.inputs.length; i++) {
            Tensor input = entry.inputs[i];
            if (input.version() != entry.inputVersions[i]) {
                throw modified(input, "input " + i + " of '" + entry.op + "'", entry, entry.inputVersions[i]);
            }
        }
        if (entry.out.version() != entry.outVersion) {
            throw modified(entry.out, "output of '" + entry.op + "'", entry, entry.outVersion);
        }
    }

    private static IllegalStateException modified(Tensor tensor, String role, Entry entry, int saved) {
        return new IllegalStateException("backward: " + tensor.describe() + " (" + role + ", recorded at step "
                + entry.step + ") was modified in place after the forward pass (version " + saved + ", now "
                + tensor.version() + "); its gradient would be wrong. Update parameters after backward, or "
                + "re-run the forward pass");
    }

    /**
     * Whether the entry's output storage was made by its op: not shared with an input (a reshape view of its
     * input, or an op that passed an input through). Only such storage is released by a recycling tape.
     */
    private static boolean ownsOutput(Entry entry) {
        for (Tensor input : entry.inputs) {
            if (entry.out.sharesStorageWith(input)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Releases every entry. Tensors recorded here can no longer be backpropagated; leaf gradients stay. A
     * recycling tape also releases the results it recorded (except kept ones) to the pool.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Entry entry : entries) {
            if (recycles && ownsOutput(entry) && !kept.contains(entry.out.storage())) {
                GradPool.release(entry.out.storage());
            }
            entry.release();
        }
        LIVE_ENTRIES.addAndGet(-entries.size());
        entries.clear();
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }
}
