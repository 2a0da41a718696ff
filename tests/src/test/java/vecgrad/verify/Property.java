package vecgrad.verify;

import java.util.SplittableRandom;

/**
 * Runs one seeded property case and, when it fails, shrinks it: the same seed is retried with the
 * size cap halved until it passes or reaches 1, and the smallest failing cap is reported with the
 * seed, so a red test points at a 2x3 case rather than a 13x11 one (STYLE.md §9).
 */
public final class Property {
    private Property() {}

    /** A property body: draws everything from {@code rng}; every generated dimension is at most {@code maxSize}. */
    @FunctionalInterface
    public interface Body {
        void check(SplittableRandom rng, int maxSize) throws Exception;
    }

    /** Runs {@code body} for {@code seed} with size cap {@code maxSize}; throws an AssertionError naming the seed on failure. */
    public static void check(String name, long seed, int maxSize, Body body) {
        Throwable failure = attempt(body, seed, maxSize);
        if (failure == null) {
            return;
        }
        int smallest = maxSize;
        Throwable smallestFailure = failure;
        for (int size = maxSize / 2; size >= 1; size /= 2) {
            Throwable shrunk = attempt(body, seed, size);
            if (shrunk == null) {
                break;
            }
            smallest = size;
            smallestFailure = shrunk;
        }
        AssertionError error = new AssertionError(name + " failed for seed " + seed + " (base -Dvecgrad.testSeed="
                + Cases.BASE_SEED + "); smallest failing size cap " + smallest + " of " + maxSize + ": "
                + smallestFailure.getMessage(), smallestFailure);
        throw error;
    }

    private static Throwable attempt(Body body, long seed, int maxSize) {
        try {
            body.check(new SplittableRandom(seed), maxSize);
            return null;
        } catch (Exception | AssertionError e) {
            return e;
        }
    }
}
