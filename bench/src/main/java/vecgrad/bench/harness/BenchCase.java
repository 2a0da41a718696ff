package vecgrad.bench.harness;

import java.util.Objects;

/**
 * One benchmark case: one shape, one thread count, measured by JMH and (when a peer exists) by a
 * Python script doing the same work.
 *
 * @param id        stable id, {@code suite/op/shape.../threads=T}; {@code --only} filters on it
 * @param suite     kernels, conv, train, cluster (or harness, the runner's own smoke suite)
 * @param threads   threads both sides may use
 * @param jmh       the JMH benchmark method and its pinned parameters
 * @param cost      how long one operation takes, which decides how it is timed
 * @param precision the FMA peak the case is judged against ({@link Precision#NONE} for none)
 * @param flops     floating-point operations of one benchmark operation; NaN when not meaningful.
 *                  For a peak case NaN here: the count comes from the benchmark class itself
 * @param peer      the peer's version of the same work, or null when there is none
 * @param peak      true for the case that measures the machine's FMA peak for its precision
 * @param smokeOnly true for tiny cases that only {@code --smoke} runs
 */
public record BenchCase(String id, String suite, int threads, JmhTarget jmh, Cost cost, Precision precision,
                        double flops, PeerCase peer, boolean peak, boolean smokeOnly) {
    public BenchCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jmh, "jmh");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(precision, "precision");
        if (!id.startsWith(suite + "/") || !id.endsWith("/threads=" + threads)) {
            throw new IllegalArgumentException("bench case: id must be suite/.../threads=T; got " + id
                    + ", expected prefix " + suite + "/ and suffix /threads=" + threads);
        }
        if (id.contains(",") || id.contains(" ")) {
            throw new IllegalArgumentException("bench case: id must not contain ',' or ' ' (the peers' --ids separator); got "
                    + id);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("bench case: threads must be >= 1; got " + threads + " in " + id);
        }
        if (peak && precision == Precision.NONE) {
            throw new IllegalArgumentException("bench case: a peak case needs a precision; got NONE in " + id);
        }
    }

    /** Whether the FLOP count is known in the catalog (peak cases learn theirs from the benchmark). */
    public boolean hasFlops() {
        return !Double.isNaN(flops);
    }
}
