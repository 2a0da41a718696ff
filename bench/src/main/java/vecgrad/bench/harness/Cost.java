package vecgrad.bench.harness;

/**
 * How long one operation of a case takes, which decides how it is timed. JMH's average-time mode
 * for anything that fits many times into an iteration; single-shot timing for operations of
 * seconds, where an iteration would hold one call anyway.
 */
public enum Cost {
    /** Well under 100 ms per operation. */
    FAST,
    /** About 0.1 to 1 s per operation. */
    SLOW,
    /** Seconds per operation: single-shot, still part of {@code --quick}. */
    LONG,
    /** Tens of seconds per operation (full t-SNE): single-shot, left out of {@code --quick}. */
    VERY_LONG
}
