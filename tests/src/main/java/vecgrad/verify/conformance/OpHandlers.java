package vecgrad.verify.conformance;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dispatch table op name → {@link OpHandler} used by the conformance runner. Each family registers its
 * handlers from its own file; a new family (for example the image ops conv2d, max_pool2d, avg_pool2d,
 * lp_pool2d and upsample_nearest2d) adds a {@code registerInto(Map)} class and one line in {@link #standard()}.
 */
public final class OpHandlers {
    /**
     * Ops of a later issue: until a handler is registered their cases are reported as skipped, never as
     * passed. Any other unknown op name is a failure.
     */
    public static final Set<String> LATER_OPS = Set.of("conv2d", "max_pool2d", "avg_pool2d", "lp_pool2d",
            "upsample_nearest2d");

    private OpHandlers() {}

    /** Every registered handler. */
    public static Map<String, OpHandler> standard() {
        Map<String, OpHandler> table = new TreeMap<>();
        CoreOpHandlers.registerInto(table);
        return Collections.unmodifiableMap(table);
    }
}
