package vecgrad.verify;

import java.util.Arrays;

/**
 * Comparison helpers for kernel twin tests: guard cells compared by raw bits, values compared
 * exactly (raw bits, so -0.0 differs from 0.0) or within a stated number of ulps of the reference.
 */
final class KernelTwinAsserts {
    /** A NaN with a payload no arithmetic produces: a guard cell still holding it was never written. */
    static final float SENTINEL32 = Float.intBitsToFloat(0x7fa0_0bad);
    static final double SENTINEL64 = Double.longBitsToDouble(0x7ff4_0000_0000_0badL);

    private KernelTwinAsserts() {}

    /** An output array of {@code offset + n + GUARD} cells, all holding the sentinel. */
    static float[] output32(int offset, int n) {
        float[] out = new float[offset + n + Cases.GUARD];
        Arrays.fill(out, SENTINEL32);
        return out;
    }

    static double[] output64(int offset, int n) {
        double[] out = new double[offset + n + Cases.GUARD];
        Arrays.fill(out, SENTINEL64);
        return out;
    }

    /** Cells outside {@code [offset, offset + n)} still hold the sentinel, bit for bit. */
    static void assertGuards(String what, float[] out, int offset, int n) {
        for (int i = 0; i < out.length; i++) {
            if ((i < offset || i >= offset + n) && Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(SENTINEL32)) {
                throw new AssertionError(what + ": guard cell " + i + " was written (offset " + offset + ", n " + n
                        + "): " + out[i]);
            }
        }
    }

    static void assertGuards(String what, double[] out, int offset, int n) {
        for (int i = 0; i < out.length; i++) {
            if ((i < offset || i >= offset + n)
                    && Double.doubleToRawLongBits(out[i]) != Double.doubleToRawLongBits(SENTINEL64)) {
                throw new AssertionError(what + ": guard cell " + i + " was written (offset " + offset + ", n " + n
                        + "): " + out[i]);
            }
        }
    }

    /**
     * {@code actual[offset + i]} equals {@code expected[offset + i]} for i in [0, n): bit for bit
     * (any NaN equals any NaN) when ulps is 0, else within {@code ulps * ulp(expected)}.
     */
    static void assertClose(String what, float[] expected, float[] actual, int offset, int n, double ulps) {
        for (int i = offset; i < offset + n; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a)) {
                if (Float.isNaN(e) != Float.isNaN(a)) {
                    throw new AssertionError(what + ": at " + (i - offset) + " expected " + e + " but was " + a);
                }
                continue;
            }
            boolean ok = ulps == 0 ? Float.floatToIntBits(e) == Float.floatToIntBits(a)
                    : e == a || Math.abs(a - e) <= ulps * Math.ulp(e);
            if (!ok) {
                throw new AssertionError(what + ": at " + (i - offset) + " of " + n + " expected " + e + " but was "
                        + a + " (allowed " + ulps + " ulp = " + ulps * Math.ulp(e) + ")");
            }
        }
    }

    static void assertClose(String what, double[] expected, double[] actual, int offset, int n, double ulps) {
        for (int i = offset; i < offset + n; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isNaN(a)) {
                if (Double.isNaN(e) != Double.isNaN(a)) {
                    throw new AssertionError(what + ": at " + (i - offset) + " expected " + e + " but was " + a);
                }
                continue;
            }
            boolean ok = ulps == 0 ? Double.doubleToLongBits(e) == Double.doubleToLongBits(a)
                    : e == a || Math.abs(a - e) <= ulps * Math.ulp(e);
            if (!ok) {
                throw new AssertionError(what + ": at " + (i - offset) + " of " + n + " expected " + e + " but was "
                        + a + " (allowed " + ulps + " ulp = " + ulps * Math.ulp(e) + ")");
            }
        }
    }

    /** The input was not modified (raw bits). */
    static void assertUnchanged(String what, float[] before, float[] after) {
        for (int i = 0; i < before.length; i++) {
            if (Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                throw new AssertionError(what + ": input cell " + i + " changed from " + before[i] + " to " + after[i]);
            }
        }
    }

    static void assertUnchanged(String what, double[] before, double[] after) {
        for (int i = 0; i < before.length; i++) {
            if (Double.doubleToRawLongBits(before[i]) != Double.doubleToRawLongBits(after[i])) {
                throw new AssertionError(what + ": input cell " + i + " changed from " + before[i] + " to " + after[i]);
            }
        }
    }

    static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
