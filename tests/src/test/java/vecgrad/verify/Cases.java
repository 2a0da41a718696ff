package vecgrad.verify;

import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;

/**
 * Seeded generators for property tests (STYLE.md §9). Every case is built from one {@code long}
 * seed; the base seed comes from {@code -Dvecgrad.testSeed}, so another base explores new cases.
 */
public final class Cases {
    /** Base of every derived seed; set with {@code -Dvecgrad.testSeed}. */
    public static final long BASE_SEED = Long.getLong("vecgrad.testSeed", 20261123L);
    /** Offsets every kernel twin property tries. */
    public static final int[] OFFSETS = {0, 1, 7};
    /** Extra cells after each array; they hold a sentinel that must survive. */
    public static final int GUARD = 3;

    private Cases() {}

    /** {@code count} seeds derived from the base seed, the same on every run with the same base. */
    public static LongStream seeds(int count) {
        SplittableRandom root = new SplittableRandom(BASE_SEED);
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = root.nextLong() & Long.MAX_VALUE; // non-negative: easier to pass on a command line
        }
        return LongStream.of(seeds);
    }

    /**
     * Lengths that exercise SIMD tails: {@code {0..8}·lanes ± 1}, 0, 1, and {13, 207, 1021, 4099}.
     */
    public static int[] tailLengths(int lanes) {
        TreeSet<Integer> lengths = new TreeSet<>();
        for (int m = 0; m <= 8; m++) {
            for (int delta = -1; delta <= 1; delta++) {
                int n = m * lanes + delta;
                if (n >= 0) {
                    lengths.add(n);
                }
            }
        }
        for (int n : new int[] {13, 207, 1021, 4099}) {
            lengths.add(n);
        }
        return lengths.stream().mapToInt(Integer::intValue).toArray();
    }

    /** n values uniform in [lo, hi). */
    public static double[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble(lo, hi);
        }
        return a;
    }

    /** n float values uniform in [lo, hi). */
    public static float[] uniformFloats(SplittableRandom rng, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextDouble(lo, hi);
        }
        return a;
    }

    /** n values with {@code minAbs <= |x| < maxAbs} and random sign: keeps relu-like kinks at 0 away. */
    public static double[] awayFromZero(SplittableRandom rng, int n, double minAbs, double maxAbs) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            double magnitude = rng.nextDouble(minAbs, maxAbs);
            a[i] = rng.nextBoolean() ? magnitude : -magnitude;
        }
        return a;
    }

    /**
     * n values, pairwise at least gap/2 apart: a shuffled ladder k * gap plus jitter below gap/4.
     * Max-pool and max-reduce checks use it so no window ever holds a tie (a kink of max).
     */
    public static double[] distinctSpaced(SplittableRandom rng, int n, double gap) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (i - n / 2.0) * gap + rng.nextDouble(-gap / 4, gap / 4);
        }
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates, seeded
            int j = rng.nextInt(i + 1);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** A float array of {@code offset + n + GUARD} cells: random payload from the offset, NaN sentinels elsewhere. */
    public static float[] padded(SplittableRandom rng, int offset, int n, double lo, double hi) {
        float[] a = new float[offset + n + GUARD];
        java.util.Arrays.fill(a, Float.NaN);
        for (int i = 0; i < n; i++) {
            a[offset + i] = (float) rng.nextDouble(lo, hi);
        }
        return a;
    }

    /** A double array of {@code offset + n + GUARD} cells: random payload from the offset, NaN sentinels elsewhere. */
    public static double[] paddedDoubles(SplittableRandom rng, int offset, int n, double lo, double hi) {
        double[] a = new double[offset + n + GUARD];
        java.util.Arrays.fill(a, Double.NaN);
        for (int i = 0; i < n; i++) {
            a[offset + i] = rng.nextDouble(lo, hi);
        }
        return a;
    }
}
