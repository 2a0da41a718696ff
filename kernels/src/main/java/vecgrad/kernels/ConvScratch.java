package vecgrad.kernels;

/**
 * Per-thread scratch arrays for the conv, pool and upsample kernels (padded planes, im2col columns), so
 * hot loops never allocate. Each kernel phase uses its own slot, so a buffer is never shared by two
 * live uses on one thread. Contents are garbage on return; callers clear what they rely on, except that
 * {@link #zeroedPlanes} remembers which padded-plane layout the planes slot still holds zeros for.
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

    private static final ThreadLocal<FloatSlots> FLOATS = ThreadLocal.withInitial(FloatSlots::new);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[SLOTS][0]);

    /** One thread's float arrays, and the layout whose zero positions its {@link #PLANES} array still holds. */
    private static final class FloatSlots {
        final float[][] arrays = new float[SLOTS][0];
        /** See {@link #zeroedPlanes}; null when the planes may hold anything. */
        int[] zeroed;
    }

    private ConvScratch() {}

    static float[] floats(int slot, int size) {
        FloatSlots slots = FLOATS.get();
        if (slot == PLANES) {
            slots.zeroed = null; // the caller may write anywhere
        }
        if (slots.arrays[slot].length < size) {
            slots.arrays[slot] = new float[size];
        }
        return slots.arrays[slot];
    }

    /**
     * The float {@link #PLANES} slot with {@code [0, size)} zero except where {@code layout}'s pixels go: zeroed
     * here unless this thread's last use of the slot was this method with an equal layout (which includes the
     * size), whose callers write nothing but those pixels. {@link #floats} on the slot forgets the layout.
     */
    static float[] zeroedPlanes(int size, int[] layout) {
        FloatSlots slots = FLOATS.get();
        float[] planes = slots.arrays[PLANES];
        if (slots.zeroed != null && java.util.Arrays.equals(slots.zeroed, layout) && planes.length >= size) {
            return planes;
        }
        if (planes.length < size) {
            planes = new float[size];
            slots.arrays[PLANES] = planes;
        }
        java.util.Arrays.fill(planes, 0, size, 0f);
        slots.zeroed = layout.clone();
        return planes;
    }

    static double[] doubles(int slot, int size) {
        double[][] slots = DOUBLES.get();
        if (slots[slot].length < size) {
            slots[slot] = new double[size];
        }
        return slots[slot];
    }
}
