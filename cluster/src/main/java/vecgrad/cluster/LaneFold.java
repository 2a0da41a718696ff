package vecgrad.cluster;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import vecgrad.kernels.Simd;

/**
 * Lane sums of many vector accumulators at once, each in exactly the order of {@link Simd#sumLanes} (lane i plus
 * lane i + half, halving), so results do not depend on JIT state and equal the one-vector fold.
 *
 * <p>The vectors lie side by side in a scratch array, one per {@code L} cells. Each level merges pairs: for
 * half-width h, lanes i and i ^ h of both vectors are added, the first vector's sums going to the lanes with
 * bit h clear and the second's to those with it set; unpaired vectors merge with zeros. After log2 L levels,
 * vector g holds the sums of inputs g·L .. g·L + L − 1, input v in lane bitReverse(v mod L). Folding c vectors
 * takes about c merges (two blends, one permute, one add each) instead of c·log2 L slices, which is what
 * makes a 2-row × 10-centre distance block cheap to finish.
 */
final class LaneFold {
    private static final VectorSpecies<Float> F = Simd.F32;
    private static final VectorSpecies<Double> D = Simd.F64;
    private static final int FL = F.length();
    private static final int DL = D.length();
    private static final int F_LEVELS = Integer.numberOfTrailingZeros(FL);
    private static final int D_LEVELS = Integer.numberOfTrailingZeros(DL);
    // One constant per level (not an array), so that the JIT sees each mask and shuffle as a constant.
    private static final VectorMask<Float> FM0 = floatMask(0), FM1 = floatMask(1), FM2 = floatMask(2), FM3 = floatMask(3);
    private static final VectorShuffle<Float> FS0 = floatSwap(0), FS1 = floatSwap(1), FS2 = floatSwap(2),
            FS3 = floatSwap(3);
    private static final VectorMask<Double> DM0 = doubleMask(0), DM1 = doubleMask(1), DM2 = doubleMask(2);
    private static final VectorShuffle<Double> DS0 = doubleSwap(0), DS1 = doubleSwap(1), DS2 = doubleSwap(2);
    private static final int[] F_LANE = bitReversal(FL);
    private static final int[] D_LANE = bitReversal(DL);

    private LaneFold() {}

    /**
     * Folds the {@code count} float vectors at scratch[v·L, (v + 1)·L) in place; afterwards the lane sum of input
     * v is at {@code scratch[floatPosition(v)]}.
     */
    static void fold(float[] scratch, int count) {
        int live = count;
        if (F_LEVELS > 0) {
            live = merge(scratch, live, FM0, FS0);
        }
        if (F_LEVELS > 1) {
            live = merge(scratch, live, FM1, FS1);
        }
        if (F_LEVELS > 2) {
            live = merge(scratch, live, FM2, FS2);
        }
        if (F_LEVELS > 3) {
            merge(scratch, live, FM3, FS3);
        }
    }

    /** One level: vectors 2p and 2p + 1 (or zeros) merge into vector p; returns the number of vectors left. */
    private static int merge(float[] scratch, int live, VectorMask<Float> upper, VectorShuffle<Float> swap) {
        int next = 0;
        for (int v = 0; v < live; v += 2, next++) {
            FloatVector a = FloatVector.fromArray(F, scratch, v * FL);
            FloatVector b = v + 1 < live ? FloatVector.fromArray(F, scratch, (v + 1) * FL) : FloatVector.zero(F);
            a.blend(b, upper).add(b.blend(a, upper).rearrange(swap)).intoArray(scratch, next * FL);
        }
        return next;
    }

    /** Where {@link #fold(float[], int)} leaves the lane sum of input v. */
    static int floatPosition(int v) {
        return v / FL * FL + F_LANE[v % FL];
    }

    /** Float64 twin of {@link #fold(float[], int)}. */
    static void fold(double[] scratch, int count) {
        int live = count;
        if (D_LEVELS > 0) {
            live = merge(scratch, live, DM0, DS0);
        }
        if (D_LEVELS > 1) {
            live = merge(scratch, live, DM1, DS1);
        }
        if (D_LEVELS > 2) {
            merge(scratch, live, DM2, DS2);
        }
    }

    /** Float64 twin of {@link #merge(float[], int, VectorMask, VectorShuffle)}. */
    private static int merge(double[] scratch, int live, VectorMask<Double> upper, VectorShuffle<Double> swap) {
        int next = 0;
        for (int v = 0; v < live; v += 2, next++) {
            DoubleVector a = DoubleVector.fromArray(D, scratch, v * DL);
            DoubleVector b = v + 1 < live ? DoubleVector.fromArray(D, scratch, (v + 1) * DL) : DoubleVector.zero(D);
            a.blend(b, upper).add(b.blend(a, upper).rearrange(swap)).intoArray(scratch, next * DL);
        }
        return next;
    }

    /** Where {@link #fold(double[], int)} leaves the lane sum of input v. */
    static int doublePosition(int v) {
        return v / DL * DL + D_LANE[v % DL];
    }

    /** Scratch cells for folding count float vectors. */
    static int floatScratch(int count) {
        return count * FL;
    }

    /** Scratch cells for folding count double vectors. */
    static int doubleScratch(int count) {
        return count * DL;
    }

    private static int levels(int lanes) {
        return Integer.numberOfTrailingZeros(lanes);
    }

    private static int[] bitReversal(int lanes) {
        int bits = levels(lanes);
        int[] out = new int[lanes];
        for (int v = 0; v < lanes; v++) {
            out[v] = bits == 0 ? 0 : Integer.reverse(v) >>> (32 - bits);
        }
        return out;
    }

    private static boolean[] upperLanes(int lanes, int half) {
        boolean[] upper = new boolean[lanes];
        for (int i = 0; i < lanes; i++) {
            upper[i] = (i & half) != 0;
        }
        return upper;
    }

    private static int[] swapIndex(int lanes, int half) {
        int[] swap = new int[lanes];
        for (int i = 0; i < lanes; i++) {
            swap[i] = i ^ half;
        }
        return swap;
    }

    /** Lanes with bit h set for level's half-width h (all-false placeholder beyond the species' levels). */
    private static VectorMask<Float> floatMask(int level) {
        return VectorMask.fromArray(F, upperLanes(FL, FL >> (level + 1)), 0);
    }

    private static VectorShuffle<Float> floatSwap(int level) {
        return VectorShuffle.fromArray(F, swapIndex(FL, FL >> (level + 1)), 0);
    }

    private static VectorMask<Double> doubleMask(int level) {
        return VectorMask.fromArray(D, upperLanes(DL, DL >> (level + 1)), 0);
    }

    private static VectorShuffle<Double> doubleSwap(int level) {
        return VectorShuffle.fromArray(D, swapIndex(DL, DL >> (level + 1)), 0);
    }
}
