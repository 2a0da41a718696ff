package vecgrad.autodiff;

/**
 * Anomaly detection, like PyTorch's {@code detect_anomaly}: while enabled on this thread, the first op whose
 * forward result or backward gradient holds NaN or Inf (with finite inputs) raises an
 * {@link IllegalStateException} naming the op, the direction and the tape step, e.g.
 * {@code sqrt backward produced NaN in output 0 (op recorded at step 3)}. Off by default: values then follow
 * IEEE arithmetic.
 *
 * {@snippet :
 * try (Anomaly on = Anomaly.enable(); Tape tape = Tape.begin()) {
 *     loss.backward();
 * }
 * }
 */
public final class Anomaly implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private Anomaly() {}

    /** Turns anomaly detection on for this thread until the scope closes. */
    public static Anomaly enable() {
        DEPTH.get()[0]++;
        return new Anomaly();
    }

    public static boolean enabled() {
        return DEPTH.get()[0] > 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }

    /** "NaN", "Inf" or null when every element is finite. */
    static String nonFinite(Tensor t) {
        if (t == null) {
            return null;
        }
        boolean inf = false;
        int n = t.numel();
        for (int i = 0; i < n; i++) {
            double v = t.at(i);
            if (Double.isNaN(v)) {
                return "NaN";
            }
            inf |= Double.isInfinite(v);
        }
        return inf ? "Inf" : null;
    }

    static boolean allFinite(Tensor[] tensors) {
        for (Tensor t : tensors) {
            if (nonFinite(t) != null) {
                return false;
            }
        }
        return true;
    }
}
