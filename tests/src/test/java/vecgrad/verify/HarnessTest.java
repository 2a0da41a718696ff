package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The harness itself: seeds are reproducible and a deliberately wrong kernel is caught and shrunk. */
class HarnessTest {
    /** A "kernel" that drops the last element when n > 4: the harness must catch it and shrink to a small n. */
    private static double brokenSum(double[] x) {
        double sum = 0;
        int end = x.length > 4 ? x.length - 1 : x.length;
        for (int i = 0; i < end; i++) {
            sum += x[i];
        }
        return sum;
    }

    @Test
    void aDeliberatelyWrongKernelIsCaughtAndShrunk() {
        AssertionError error = assertThrows(AssertionError.class, () -> Property.check("sum", 99, 64, (rng, max) -> {
            double[] x = Cases.uniform(rng, max, 1, 2); // every element positive: dropping one always shows
            double expected = 0;
            for (double v : x) {
                expected += v;
            }
            assertEquals(expected, brokenSum(x), 1e-12);
        }));
        assertTrue(error.getMessage().contains("seed 99"), error.getMessage());
        assertTrue(error.getMessage().contains("smallest failing size cap 8 of 64"), error.getMessage());
    }

    @Test
    void sameSeedGivesSameCases() {
        assertEquals(Cases.seeds(5).boxed().toList(), Cases.seeds(5).boxed().toList());
        double[] first = Cases.uniform(new SplittableRandom(3), 10, -1, 1);
        double[] second = Cases.uniform(new SplittableRandom(3), 10, -1, 1);
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second));
    }

    @Test
    void distinctSpacedValuesNeverTie() {
        double[] x = Cases.distinctSpaced(new SplittableRandom(5), 500, 0.1);
        java.util.Arrays.sort(x);
        for (int i = 1; i < x.length; i++) {
            assertTrue(x[i] - x[i - 1] >= 0.05, "gap at " + i);
        }
    }

    @Test
    void tailLengthsCoverTheVectorBoundaries() {
        int[] lengths = Cases.tailLengths(16);
        assertTrue(java.util.Arrays.stream(lengths).anyMatch(n -> n == 15));
        assertTrue(java.util.Arrays.stream(lengths).anyMatch(n -> n == 17));
        assertTrue(java.util.Arrays.stream(lengths).anyMatch(n -> n == 0));
        assertTrue(java.util.Arrays.stream(lengths).anyMatch(n -> n == 4099));
    }
}
