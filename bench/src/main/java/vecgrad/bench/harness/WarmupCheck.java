package vecgrad.bench.harness;

import java.util.List;

/**
 * Whether a case was measured in steady state, judged from its own warm-up.
 *
 * <p>Why: the Vector API kernels run 10 to 500 times slower until C2 has compiled them (C1 code
 * boxes every vector, and some big kernels bail out of C1 and stay interpreted), and how long that
 * takes depends on the kernel and on how busy the machine is, not on a fixed warm-up time. So the
 * runner measures a case, checks the warm-up it just saw, and measures it again in the same JVM
 * (now warmer) while it was not settled, up to a cap. An attempt counts as settled when the last
 * two warm-up iterations agree within {@link #TOLERANCE} and the measured median is not more than
 * that below the last warm-up (the code did not keep getting faster while being measured); a
 * repeat whose median agrees with the previous attempt's also ends the search, because a longer
 * warm-up did not change the figure. A case still unsettled at the cap is flagged in the report.
 */
public final class WarmupCheck {
    /** Relative difference up to which two times count as the same. */
    public static final double TOLERANCE = 0.05;

    /** What one attempt's warm-up says about its figure. */
    public enum Verdict {
        /** steady state reached before measuring */
        SETTLED,
        /** still getting faster, or the last two warm-ups disagree */
        UNSETTLED,
        /** fewer than two warm-up iterations: nothing to judge (smoke runs, single shots) */
        UNKNOWN
    }

    private WarmupCheck() {}

    /**
     * Judges one attempt.
     *
     * @param warmupMs         time per call of each warm-up iteration, in order [warm-ups]
     * @param measuredMedianMs median time per call of the measured iterations
     */
    public static Verdict of(List<Double> warmupMs, double measuredMedianMs) {
        int n = warmupMs.size();
        if (n < 2) {
            return Verdict.UNKNOWN;
        }
        double previous = warmupMs.get(n - 2);
        double last = warmupMs.get(n - 1);
        boolean lastTwoAgree = agree(previous, last);
        boolean stoppedFalling = measuredMedianMs >= (1 - TOLERANCE) * last;
        return lastTwoAgree && stoppedFalling ? Verdict.SETTLED : Verdict.UNSETTLED;
    }

    /** Whether two positive times differ by at most {@link #TOLERANCE} of the smaller one. */
    public static boolean agree(double a, double b) {
        return Math.abs(a - b) <= TOLERANCE * Math.min(a, b);
    }

    /**
     * Whether to measure again after {@code medians.size()} attempts (their medians in order, the last
     * one with verdict {@code last}): not when settled or unknown, not at the cap, and not when the last
     * two attempts agree.
     */
    public static boolean again(List<Double> medians, Verdict last, int maxAttempts) {
        int n = medians.size();
        if (last != Verdict.UNSETTLED || n >= maxAttempts) {
            return false;
        }
        return n < 2 || !agree(medians.get(n - 2), medians.get(n - 1));
    }

    /**
     * Whether the final figure can be trusted after these attempts: the last one settled (or could not
     * be judged), or the last two attempts agree.
     */
    public static boolean trusted(List<Double> medians, Verdict last) {
        int n = medians.size();
        return last != Verdict.UNSETTLED || (n >= 2 && agree(medians.get(n - 2), medians.get(n - 1)));
    }
}
