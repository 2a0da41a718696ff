package vecgrad.bench.harness;

/**
 * Time of one operation over the measured samples (JMH iterations, or the peer's repeated runs).
 *
 * @param medianMs median over samples, milliseconds
 * @param minMs    fastest sample
 * @param maxMs    slowest sample
 * @param samples  number of samples
 */
public record Timing(double medianMs, double minMs, double maxMs, int samples) {
    public Timing {
        if (!(medianMs >= 0) || !(minMs >= 0) || !(maxMs >= 0) || samples < 1) {
            throw new IllegalArgumentException("timing: values must be >= 0 with at least one sample; got median "
                    + medianMs + ", min " + minMs + ", max " + maxMs + ", samples " + samples);
        }
        if (minMs > medianMs || medianMs > maxMs) {
            throw new IllegalArgumentException("timing: expected min <= median <= max; got " + minMs + ", " + medianMs
                    + ", " + maxMs);
        }
    }

    /** Median, min and max of the given per-operation times in milliseconds. */
    public static Timing of(double... msPerOp) {
        if (msPerOp.length == 0) {
            throw new IllegalArgumentException("timing: no samples; got 0, expected at least 1");
        }
        double[] sorted = msPerOp.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Timing(median, sorted[0], sorted[n - 1], n);
    }
}
