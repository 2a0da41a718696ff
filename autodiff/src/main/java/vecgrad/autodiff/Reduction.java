package vecgrad.autodiff;

/** How a loss combines its per-element values: PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** Per-element losses, shaped like the input (per row for cross_entropy). */
    NONE,
    /** The mean over every element (over the N rows for cross_entropy); shape {@code []}. */
    MEAN,
    /** The sum over every element; shape {@code []}. */
    SUM;

    /** Parses PyTorch's spelling: {@code none}, {@code mean} or {@code sum}. */
    public static Reduction parse(String name) {
        for (Reduction reduction : values()) {
            if (reduction.name().equalsIgnoreCase(name)) {
                return reduction;
            }
        }
        throw Check.fail("reduction", "unknown reduction", "'" + name + "'", "none, mean or sum");
    }
}
