package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import vecgrad.kernels.StableMath;

/** {@link StableMath}: exact at ±1000, faithful to the naive formulas where those are accurate. */
class StableMathTest {
    @Test
    void exactAtPlusMinus1000() {
        assertEquals(1000.0, StableMath.softplus(1000.0));
        assertEquals(0.0, StableMath.softplus(-1000.0)); // e^-1000 underflows to 0 in double
        assertEquals(-1000.0, StableMath.logSigmoid(-1000.0));
        assertEquals(0.0, StableMath.logSigmoid(1000.0));
        assertEquals(1000f, StableMath.softplus(1000f));
        assertEquals(-1000f, StableMath.logSigmoid(-1000f));
        assertEquals(1000 + Math.log(2), StableMath.logSumExp(new double[] {1000, 1000}, 0, 2));
        assertEquals(-1000 + Math.log(2), StableMath.logSumExp(new double[] {-1000, -1000}, 0, 2));
        assertEquals((float) (1000 + Math.log(2)), StableMath.logSumExp(new float[] {1000f, 1000f}, 0, 2));
        assertEquals(1000.0, StableMath.logSumExp(new double[] {1000, -1000}, 0, 2));
        // the small term survives next to a dominant one: ln(e^0 + e^-40) = log1p(e^-40)
        assertEquals(Math.exp(-40), StableMath.logSumExp(new double[] {-40, 0}, 0, 2), Math.ulp(Math.exp(-40)));
        assertEquals(Math.exp(-700), StableMath.softplus(-700.0), Math.ulp(Math.exp(-700)));
    }

    /** FAULTS.md 11 at the helper level: softplus and log-sigmoid at ±1000 do not overflow. */
    @Test
    void fault11_softplusAndLogSigmoidStayFiniteAt1000() {
        for (double x : new double[] {-1e3, -700, -1, 0, 1, 700, 1e3, 1e30, -1e30}) {
            assertTrue(Double.isFinite(StableMath.softplus(x)), "softplus(" + x + ")");
            assertTrue(Double.isFinite(StableMath.logSigmoid(x)), "logSigmoid(" + x + ")");
            assertTrue(Float.isFinite(StableMath.softplus((float) Math.max(-3e38, Math.min(3e38, x)))));
        }
    }

    @Test
    void matchNaiveFormulasWhereTheyAreAccurate() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED);
        for (int trial = 0; trial < 2000; trial++) {
            double x = rng.nextDouble(-30, 30);
            double naive = Math.log1p(Math.exp(x));
            assertEquals(naive, StableMath.softplus(x), 4 * Math.ulp(naive), "softplus(" + x + ")");
            assertEquals(-StableMath.softplus(-x), StableMath.logSigmoid(x), "logSigmoid(" + x + ") = -softplus(-x)");
            float xf = (float) x;
            assertEquals((float) StableMath.softplus((double) xf), StableMath.softplus(xf));
        }
        for (int trial = 0; trial < 200; trial++) {
            int n = rng.nextInt(1, 40);
            double[] x = Cases.uniform(rng, n, -20, 20);
            double sum = 0;
            for (double v : x) {
                sum += Math.exp(v);
            }
            double naive = Math.log(sum);
            assertEquals(naive, StableMath.logSumExp(x, 0, n), 4 * n * Math.ulp(Math.abs(naive) + 1), "n=" + n);
        }
    }

    @Test
    void logSumExpEdgeCases() {
        double inf = Double.POSITIVE_INFINITY;
        assertEquals(-inf, StableMath.logSumExp(new double[0], 0, 0));
        assertEquals(-inf, StableMath.logSumExp(new double[] {-inf, -inf}, 0, 2));
        assertEquals(inf, StableMath.logSumExp(new double[] {1, inf, 3}, 0, 3));
        assertTrue(Double.isNaN(StableMath.logSumExp(new double[] {1, Double.NaN}, 0, 2)));
        assertTrue(Float.isNaN(StableMath.logSumExp(new float[] {Float.NaN, 1}, 0, 2)));
        assertEquals(2.0, StableMath.logSumExp(new double[] {9, 2, 9}, 1, 1), "offset and length are honored");
        IllegalArgumentException shortArray = assertThrows(IllegalArgumentException.class,
                () -> StableMath.logSumExp(new double[2], 1, 2));
        assertTrue(shortArray.getMessage().startsWith("logsumexp: x is too short"), shortArray.getMessage());
    }
}
