package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
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
        for (int half = v.length() / 2; half > 0; half /= 2) {
            v = v.add(v.slice(half));
        }
        return v.lane(0);
    }

    /** Float64 twin of {@link #sumLanes(FloatVector)}. */
    public static double sumLanes(DoubleVector v) {
        for (int half = v.length() / 2; half > 0; half /= 2) {
            v = v.add(v.slice(half));
        }
        return v.lane(0);
    }

    /** One line for logs and the demo: the chosen width and lane counts. */
    public static String describe() {
        return "SIMD " + BITS + "-bit (float32 x " + F32_LANES + ", float64 x " + F64_LANES + "), preferred "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit";
    }
}
