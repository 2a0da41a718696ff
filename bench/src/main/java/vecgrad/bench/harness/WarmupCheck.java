package vecgrad.bench.harness;

import java.util.List;

/**
 * Whether a case was measured in steady state, judged from its own warm-up.
 *
 * <p>Why: the Vector API kernels run 10 to 500 times slower until C2 has compiled them (C1 code
 * boxes every vector, and some big kernels bail out of C1 and stay interpreted), and how long that
 * takes depends on the kernel and on how busy the machine is, not on a fixed warm-up time. So the
 * runner measures a case, checks the attempt it just made, and while it was still warming up
 * measures it again in the same JVM (now warmer), up to a cap.
 *
 * <p>When the case ran in the runner's JVM ({@link JmhWorker}), the JIT says it directly: an attempt
 * is still warming up when the compilers worked more than {@link #JIT_FLOOR_MS} and {@link #JIT_SHARE}
 * of the wall time during its last warm-up iteration and its measured ones (a C2 compile of a kernel
 * takes tens to thousands of milliseconds; a steady JVM compiles next to nothing), or when a vecgrad
 * method is still queued or being compiled at the end (a long compile finishes after the window). Times alone are a
 * weaker signal, because a neighbour's load moves them too; they are used when the case ran in a JVM
 * of its own (full runs): only a falling time counts, as JIT compilation makes code faster, so a drop
 * by more than {@link #TOLERANCE} from the second-to-last warm-up iteration to the last, from the
 * last warm-up to the measured median, or from the first half of the measured iterations to the
 * second, means the measurement started too early. A rising time is load or a collection, which
 * measuring again would not fix, and the min/max beside the median show it.
 */
public final class WarmupCheck {
    /** Relative difference up to which two times count as the same. */
    public static final double TOLERANCE = 0.05;
    /** JIT work below which a window counts as steady whatever its length, milliseconds. */
    public static final double JIT_FLOOR_MS = 20;
    /** Share of a window's wall time the compilers may work in a steady state. */
    public static final double JIT_SHARE = 0.02;

    /** What one attempt says about its figure. */
    public enum Verdict {
        /** steady when measured */
        SETTLED,
        /** still warming up: the JIT compiling, or the time falling */
        WARMING,
        /** fewer than two warm-up iterations: nothing to judge (smoke runs, single shots) */
        UNKNOWN
    }

    /**
     * What the JIT compilers did during a window of iterations.
     *
     * @param compileMs milliseconds the compilers worked on compiles that finished in the window (the
     *                  JVM's total compilation time, summed over its threads)
     * @param wallMs    the window's wall time
     * @param pending   whether a vecgrad method was still queued or being compiled at the window's end
     */
    public record Jit(double compileMs, double wallMs, boolean pending) {
        /** Whether the compilers worked more than a steady JVM does, or still had vecgrad code to compile. */
        public boolean compiling() {
            return pending || compileMs > Math.max(JIT_FLOOR_MS, JIT_SHARE * wallMs);
        }
    }

    private WarmupCheck() {}

    /**
     * Judges one attempt.
     *
     * @param warmupMs   time per call of each warm-up iteration, in order [warm-ups]
     * @param measuredMs time per call of each measured iteration, in order [measurements]
     * @param jit        the JIT's work over the last warm-up and the measured iterations, or null when unknown
     */
    public static Verdict of(List<Double> warmupMs, List<Double> measuredMs, Jit jit) {
        int n = warmupMs.size();
        if (n < 2 || measuredMs.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        if (jit != null) {
            return jit.compiling() ? Verdict.WARMING : Verdict.SETTLED;
        }
        double last = warmupMs.get(n - 1);
        int m = measuredMs.size();
        boolean falling = fell(warmupMs.get(n - 2), last) || fell(last, median(measuredMs))
                || (m >= 2 && fell(median(measuredMs.subList(0, m / 2)), median(measuredMs.subList(m - m / 2, m))));
        return falling ? Verdict.WARMING : Verdict.SETTLED;
    }

    /** Whether {@code after} is more than {@link #TOLERANCE} below {@code before}. */
    public static boolean fell(double before, double after) {
        return after < (1 - TOLERANCE) * before;
    }

    private static double median(List<Double> values) {
        return Timing.of(values.stream().mapToDouble(Double::doubleValue).toArray()).medianMs();
    }

    /** Whether to measure again after an attempt with this verdict: only while warming up and below the cap. */
    public static boolean again(int attempts, Verdict last, int maxAttempts) {
        return last == Verdict.WARMING && attempts < maxAttempts;
    }

    /** Whether the final figure can be trusted: the last attempt was not still warming up. */
    public static boolean trusted(Verdict last) {
        return last != Verdict.WARMING;
    }
}
