package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel uses, fixed once at class initialization so the JIT treats lane
 * counts as constants.
 *
 * <p>{@code -Dvecgrad.vectorBits=128|256|512} narrows the species. Tests use it to run the 128-bit
 * code paths on a 512-bit machine; it is never a tuning knob.
 */
public final class Simd {
    /** Width of every vector the kernels use, in bits. */
    public static final int BITS = chooseBits();
    public static final VectorSpecies<Float> F32 = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS))
            .check(float.class);
    public static final VectorSpecies<Double> F64 = DoubleVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS))
            .check(double.class);
    /** Lanes of {@link #F32} and {@link #F64}. */
    public static final int F32_LANES = F32.length();
    public static final int F64_LANES = F64.length();
    // One constant per fold level, so the JIT sees each shuffle as a constant (see sumLanes).
    private static final VectorShuffle<Float> F32_ROTATE_1 = rotation(F32, 1), F32_ROTATE_2 = rotation(F32, 2),
            F32_ROTATE_4 = rotation(F32, 4), F32_ROTATE_8 = rotation(F32, 8);
    private static final VectorShuffle<Double> F64_ROTATE_1 = rotation(F64, 1), F64_ROTATE_2 = rotation(F64, 2),
            F64_ROTATE_4 = rotation(F64, 4);

    private Simd() {}

    private static int chooseBits() {
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int requested = Integer.getInteger("vecgrad.vectorBits", preferred);
        if (requested != 128 && requested != 256 && requested != 512) {
            throw new IllegalArgumentException(
                    "vecgrad.vectorBits: got " + requested + ", expected 128, 256 or 512");
        }
        // A species wider than the hardware is emulated and slow: narrow, never widen.
        return Math.min(requested, preferred);
    }

    /**
     * Sum of the lanes in a fixed tree order (lane i + lane i + half, halving). {@code reduceLanes(ADD)}
     * leaves the order open, and the compiled intrinsic and the interpreted fallback differ, so results
     * would depend on JIT state; every kernel that folds a vector accumulator uses this instead.
     */
    public static float sumLanes(FloatVector v) {
        if (v.species() != F32) {
            return sumLanesBySlice(v);
        }
        // Rotations, not slices: slice is not intrinsified and costs ~60 ns a call; a rotation gives the
        // same lanes below each half, which are the only ones the next level and lane 0 read.
        if (F32_LANES >= 16) v = v.add(v.rearrange(F32_ROTATE_8));
        if (F32_LANES >= 8) v = v.add(v.rearrange(F32_ROTATE_4));
        if (F32_LANES >= 4) v = v.add(v.rearrange(F32_ROTATE_2));
        if (F32_LANES >= 2) v = v.add(v.rearrange(F32_ROTATE_1));
        return v.lane(0);
    }

    /** Float64 twin of {@link #sumLanes(FloatVector)}. */
    public static double sumLanes(DoubleVector v) {
        if (v.species() != F64) {
            return sumLanesBySlice(v);
        }
        if (F64_LANES >= 8) v = v.add(v.rearrange(F64_ROTATE_4));
        if (F64_LANES >= 4) v = v.add(v.rearrange(F64_ROTATE_2));
        if (F64_LANES >= 2) v = v.add(v.rearrange(F64_ROTATE_1));
        return v.lane(0);
    }

    private static float sumLanesBySlice(FloatVector v) {
        for (int half = v.length() / 2; half > 0; half /= 2) {
            v = v.add(v.slice(half));
        }
        return v.lane(0);
    }

    private static double sumLanesBySlice(DoubleVector v) {
        for (int half = v.length() / 2; half > 0; half /= 2) {
            v = v.add(v.slice(half));
        }
        return v.lane(0);
    }

    private static <E> VectorShuffle<E> rotation(VectorSpecies<E> species, int by) {
        return VectorShuffle.fromOp(species, i -> (i + by) % species.length());
    }

    /** One line for logs and the demo: the chosen width and lane counts. */
    public static String describe() {
        return "SIMD " + BITS + "-bit (float32 x " + F32_LANES + ", float64 x " + F64_LANES + "), preferred "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit";
    }
}
