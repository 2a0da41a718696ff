package vecgrad.kernels;

/**
 * Numerically stable scalar helpers: log-sum-exp, softplus and log-sigmoid, written with
 * {@code log1p} so that they neither overflow for large arguments nor lose the small term for very
 * negative ones. Exact at ±1000: {@code softplus(1000) == 1000}, {@code softplus(-1000) == 0}
 * (the true value e^-1000 underflows), {@code logSigmoid(-1000) == -1000}, and
 * {@code logSumExp({1000, 1000}) == 1000 + ln 2}.
 *
 * <p>Float32 overloads compute in double and round once.
 */
public final class StableMath {
    private StableMath() {}

    /** {@code ln(1 + e^x)}, as {@code max(x, 0) + log1p(e^-|x|)}. NaN gives NaN. */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** Float32 {@link #softplus(double)}. */
    public static float softplus(float x) {
        return (float) softplus((double) x);
    }

    /** {@code ln(sigmoid(x)) = -softplus(-x)}, as {@code min(x, 0) - log1p(e^-|x|)}. NaN gives NaN. */
    public static double logSigmoid(double x) {
        return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** Float32 {@link #logSigmoid(double)}. */
    public static float logSigmoid(float x) {
        return (float) logSigmoid((double) x);
    }

    /**
     * {@code ln Σ exp(x[xOff + i])} for i in [0, n), shifted by the maximum m:
     * {@code m + log1p(Σ_{i ≠ first argmax} exp(x_i - m))}; the log1p keeps the result exact when one
     * term dominates. n = 0 or all -inf gives -inf; any +inf gives +inf; any NaN gives NaN.
     */
    public static double logSumExp(double[] x, int xOff, int n) {
        KernelArgs.nonNegative("logsumexp", "n", n);
        KernelArgs.fits("logsumexp", "x", x.length, xOff, n);
        if (n == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        int top = 0;
        double max = x[xOff];
        for (int i = 1; i < n; i++) {
            double v = x[xOff + i];
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            if (v > max) {
                max = v;
                top = i;
            }
        }
        if (Double.isNaN(max)) {
            return Double.NaN;
        }
        if (Double.isInfinite(max)) {
            return max; // +inf dominates; all -inf is ln 0; both would give NaN through x - max
        }
        double rest = 0;
        for (int i = 0; i < n; i++) {
            if (i != top) {
                rest += Math.exp(x[xOff + i] - max);
            }
        }
        return max + Math.log1p(rest);
    }

    /** Float32 {@link #logSumExp(double[], int, int)}, accumulated in double. */
    public static float logSumExp(float[] x, int xOff, int n) {
        KernelArgs.nonNegative("logsumexp", "n", n);
        KernelArgs.fits("logsumexp", "x", x.length, xOff, n);
        if (n == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        int top = 0;
        float max = x[xOff];
        for (int i = 1; i < n; i++) {
            float v = x[xOff + i];
            if (Float.isNaN(v)) {
                return Float.NaN;
            }
            if (v > max) {
                max = v;
                top = i;
            }
        }
        if (Float.isNaN(max)) {
            return Float.NaN;
        }
        if (Float.isInfinite(max)) {
            return max;
        }
        double rest = 0;
        for (int i = 0; i < n; i++) {
            if (i != top) {
                rest += Math.exp((double) x[xOff + i] - max);
            }
        }
        return (float) (max + Math.log1p(rest));
    }
}
