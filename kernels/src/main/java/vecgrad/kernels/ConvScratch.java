package vecgrad.kernels;

/**
 * Per-thread scratch arrays for the conv, pool and upsample kernels (padded planes, im2col columns), so
 * hot loops never allocate. Each kernel phase uses its own slot, so a buffer is never shared by two
 * live uses on one thread. Contents are garbage on return; callers clear what they rely on.
 */
final class ConvScratch {
    /** Padded planes of one chunk (forward, gradInput). */
    static final int PLANES = 0;
    /** Padded copy of a whole batch (gradWeight), held by the calling thread for the whole call. */
    static final int BATCH = 1;
    /** im2col columns of one chunk. */
    static final int COLUMNS = 2;
    /** Gradient rows of one weight-gradient chunk, padded to the input's pitch. */
    static final int ROWS = 3;
    /** Per-image-block partial weight gradients, held by the calling thread for the whole call. */
    static final int PARTIALS = 4;
    /** Flat output rows of one direct forward or gradInput block, before they are cut to the output width. */
    static final int FLAT = 5;
    /** Channel-blocked weight-gradient accumulators of one chunk. */
    static final int ACCUMULATORS = 6;
    /** Register-tile sums of one block of positions of the channel-blocked pass. */
    static final int TILES = 7;
    private static final int SLOTS = 8;

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[SLOTS][0]);
    /** The layout whose zero positions the float {@link #PLANES} slot still holds, or null (see {@link #zeroedPlanes}). */
    private static final ThreadLocal<int[]> ZEROED = new ThreadLocal<>();

    private ConvScratch() {}

    static float[] floats(int slot, int size) {
        if (slot == PLANES) {
            ZEROED.remove(); // the caller may write anywhere
        }
        float[][] slots = FLOATS.get();
        if (slots[slot].length < size) {
            slots[slot] = new float[size];
        }
        return slots[slot];
    }

    /**
     * The float {@link #PLANES} slot with {@code [0, size)} zero except where {@code layout}'s pixels go: zeroed
     * here unless this thread's last use of the slot was this method with an equal layout (which includes the
     * size), whose callers write nothing but those pixels. {@link #floats} on the slot forgets the layout.
     */
    static float[] zeroedPlanes(int size, int[] layout) {
        int[] zeroed = ZEROED.get();
        float[][] slots = FLOATS.get();
        if (zeroed != null && java.util.Arrays.equals(zeroed, layout) && slots[PLANES].length >= size) {
            return slots[PLANES];
        }
        if (slots[PLANES].length < size) {
            slots[PLANES] = new float[size];
        }
        java.util.Arrays.fill(slots[PLANES], 0, size, 0f);
        ZEROED.set(layout.clone());
        return slots[PLANES];
    }

    static double[] doubles(int slot, int size) {
        double[][] slots = DOUBLES.get();
        if (slots[slot].length < size) {
            slots[slot] = new double[size];
        }
        return slots[slot];
    }
}
