package vecgrad.autodiff;

/**
 * A scope in which ops record nothing on the tape (inference, optimizer steps, evaluation). Scopes nest and
 * belong to the current thread.
 *
 * {@snippet :
 * try (NoGrad off = NoGrad.enter()) {
 *     Tensor prediction = model(x); // not recorded, no gradient
 * }
 * }
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() {}

    /** Opens a no-grad scope on this thread. */
    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** True inside a no-grad scope on this thread (also while a backward pass runs its rules). */
    public static boolean active() {
        return DEPTH.get()[0] > 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
