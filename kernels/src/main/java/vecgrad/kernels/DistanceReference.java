package vecgrad.kernels;

/**
 * Scalar twin of {@link DistanceKernels}: {@code out[i, j] = Σ_k (x[i, k] − y[j, k])²}, summed
 * directly in double (no cancellation, so no clamp is needed), with the same signatures and checks.
 */
public final class DistanceReference {
    private DistanceReference() {}

    // ---- float32 ----

    public static void squaredEuclidean(float[] x, int xOff, int ldx, float[] y, int yOff, int ldy, float[] out,
                                        int outOff, int ldo, int n, int m, int d) {
        DistanceKernels.check("squared_distances", x, x.length, xOff, ldx, y, y.length, yOff, ldy, out, out.length,
                outOff, ldo, n, m, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int k = 0; k < d; k++) {
                    double diff = (double) x[xOff + i * ldx + k] - y[yOff + j * ldy + k];
                    sum += diff * diff;
                }
                out[outOff + i * ldo + j] = (float) sum;
            }
        }
    }
    // ---- float64: the float32 code above, with double lanes ----

    public static void squaredEuclidean(double[] x, int xOff, int ldx, double[] y, int yOff, int ldy, double[] out,
                                        int outOff, int ldo, int n, int m, int d) {
        DistanceKernels.check("squared_distances", x, x.length, xOff, ldx, y, y.length, yOff, ldy, out, out.length,
                outOff, ldo, n, m, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int k = 0; k < d; k++) {
                    double diff = x[xOff + i * ldx + k] - y[yOff + j * ldy + k];
                    sum += diff * diff;
                }
                out[outOff + i * ldo + j] = sum;
            }
        }
    }
}
