package vecgrad.bench.harness;

import java.util.List;

/**
 * Whether a case was measured in steady state, judged from its own warm-up.
 *
 * <p>Why: the Vector API kernels run 10 to 500 times slower until C2 has compiled them (C1 code
 * boxes every vector, and some big kernels bail out of C1 and stay interpreted), and how long that
 * takes depends on the kernel and on how busy the machine is, not on a fixed warm-up time. So the
 * runner measures a case, checks the warm-up it just saw, and while the times were still falling
 * measures it again in the same JVM (now warmer), up to a cap.
 *
 * <p>Only a falling time is a warm-up problem: JIT compilation makes code faster, so a time that
 * drops by more than {@link #TOLERANCE} from the second-to-last warm-up iteration to the last, from
 * the last warm-up to the measured median, or from the first measured iteration to the last, means
 * the measurement started too early. A time
 * that rises is a neighbour's load or a collection: measuring again would not fix it, and the
 * min/max beside the median already show it. Attempts stop as soon as one is not faster than the
 * one before, since then a longer warm-up did not change the figure. A case whose last attempt was
 * still falling is flagged in the report.
 */
public final class WarmupCheck {
    /** Relative difference up to which two times count as the same. */
    public static final double TOLERANCE = 0.05;

    /** What one attempt's warm-up says about its figure. */
    public enum Verdict {
        /** not falling any more when measured */
        SETTLED,
        /** still getting faster at the end of the warm-up or during the measurement */
        FALLING,
        /** fewer than two warm-up iterations: nothing to judge (smoke runs, single shots) */
        UNKNOWN
    }

    private WarmupCheck() {}

    /**
     * Judges one attempt: falling when the last warm-up iteration fell from the one before, the measured
     * median from the last warm-up, or the last measured iteration from the first.
     *
     * @param warmupMs   time per call of each warm-up iteration, in order [warm-ups]
     * @param measuredMs time per call of each measured iteration, in order [measurements], at least one
     */
    public static Verdict of(List<Double> warmupMs, List<Double> measuredMs) {
        int n = warmupMs.size();
        if (n < 2 || measuredMs.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        double last = warmupMs.get(n - 1);
        boolean falling = fell(warmupMs.get(n - 2), last) || fell(last, Timing.of(toArray(measuredMs)).medianMs())
                || fell(measuredMs.get(0), measuredMs.get(measuredMs.size() - 1));
        return falling ? Verdict.FALLING : Verdict.SETTLED;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Whether {@code after} is more than {@link #TOLERANCE} below {@code before}. */
    public static boolean fell(double before, double after) {
        return after < (1 - TOLERANCE) * before;
    }

    /**
     * Whether to measure again after {@code medians.size()} attempts (their medians in order, the last
     * one with verdict {@code last}): only when it was still falling, below the cap, and the last attempt
     * was faster than the one before (a longer warm-up still helped).
     */
    public static boolean again(List<Double> medians, Verdict last, int maxAttempts) {
        int n = medians.size();
        if (last != Verdict.FALLING || n >= maxAttempts) {
            return false;
        }
        return n < 2 || fell(medians.get(n - 2), medians.get(n - 1));
    }

    /**
     * Whether the final figure can be trusted after these attempts: the last one was not falling (or
     * could not be judged), or it was no faster than the attempt before it.
     */
    public static boolean trusted(List<Double> medians, Verdict last) {
        int n = medians.size();
        return last != Verdict.FALLING || (n >= 2 && !fell(medians.get(n - 2), medians.get(n - 1)));
    }
}
