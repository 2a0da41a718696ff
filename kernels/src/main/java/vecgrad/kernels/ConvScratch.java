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

    private ConvScratch() {}

    static float[] floats(int slot, int size) {
        float[][] slots = FLOATS.get();
        if (slots[slot].length < size) {
            slots[slot] = new float[size];
        }
        return slots[slot];
    }

    static double[] doubles(int slot, int size) {
        double[][] slots = DOUBLES.get();
        if (slots[slot].length < size) {
            slots[slot] = new double[size];
        }
        return slots[slot];
    }
}
