package vecgrad.cluster;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vecgrad.kernels.Simd;

/**
 * Read-only view of the samples [n][d] that k-means works on, in the caller's precision: float64 rows
 * are used as float64, float32 rows as float32 (half the memory traffic in the assignment pass, which
 * is bound by reading X). Centers are always held in float64; the float32 path also receives a float32
 * copy of them. The rows are not copied, so callers must not change them during a fit.
 */
abstract sealed class Points permits Points.F64, Points.F32 {
    final int n;
    final int d;

    private Points(int n, int d) {
        this.n = n;
        this.d = d;
    }

    static Points of(double[][] x) {
        return new F64(x);
    }

    static Points of(float[][] x) {
        return new F32(x);
    }

    /** Whether assignment distances are computed in float32 (so callers keep a float32 copy of the centers). */
    abstract boolean single();

    abstract double value(int i, int j);

    /** Σ_t (x[i][t] − c[cOff + t])², computed directly (not expanded), so that coinciding points give exactly 0. */
    abstract double sqDist(int i, double[] c, float[] cf, int cOff);

    /** acc[off + t] += w · x[i][t]. */
    abstract void addTo(int i, double w, double[] acc, int off);

    abstract void copyRow(int i, double[] dst, int off);

    /**
     * For rows [from, to): labels[i] = argmin_j ‖x_i − c_j‖² (lowest j on an exact tie) and
     * minDist[i] = that squared distance. c is [k][d] flattened.
     */
    abstract void assign(double[] c, float[] cf, int k, int from, int to, int[] labels, double[] minDist);

    /** Population variance of each column, averaged over the columns (scikit-learn's scale for {@code tol}). */
    double meanColumnVariance() {
        double total = 0;
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += value(i, j);
            }
            mean /= n;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double t = value(i, j) - mean;
                sq += t * t;
            }
            total += sq / n;
        }
        return total / d;
    }

    static final class F64 extends Points {
        private static final VectorSpecies<Double> S = Simd.F64;
        private final double[][] x;

        F64(double[][] x) {
            super(x.length, x[0].length);
            this.x = x;
        }

        @Override
        boolean single() {
            return false;
        }

        @Override
        double value(int i, int j) {
            return x[i][j];
        }

        @Override
        double sqDist(int i, double[] c, float[] cf, int cOff) {
            double[] row = x[i];
            int t = 0;
            DoubleVector acc = DoubleVector.zero(S);
            for (int bound = S.loopBound(d); t < bound; t += S.length()) {
                DoubleVector diff = DoubleVector.fromArray(S, row, t).sub(DoubleVector.fromArray(S, c, cOff + t));
                acc = diff.fma(diff, acc);
            }
            double sum = acc.reduceLanes(VectorOperators.ADD);
            for (; t < d; t++) {
                double diff = row[t] - c[cOff + t];
                sum = Math.fma(diff, diff, sum);
            }
            return sum;
        }

        @Override
        void addTo(int i, double w, double[] acc, int off) {
            double[] row = x[i];
            for (int t = 0; t < d; t++) {
                acc[off + t] += w * row[t];
            }
        }

        @Override
        void copyRow(int i, double[] dst, int off) {
            System.arraycopy(x[i], 0, dst, off, d);
        }

        @Override
        void assign(double[] c, float[] cf, int k, int from, int to, int[] labels, double[] minDist) {
            int lanes = S.length();
            int bound = S.loopBound(d);
            int i = from;
            // Two rows per step: each center vector loaded once serves both rows.
            for (; i + 1 < to; i += 2) {
                double[] r0 = x[i], r1 = x[i + 1];
                double best0 = Double.POSITIVE_INFINITY, best1 = Double.POSITIVE_INFINITY;
                int arg0 = 0, arg1 = 0;
                for (int j = 0; j < k; j++) {
                    int cOff = j * d;
                    DoubleVector acc0 = DoubleVector.zero(S), acc1 = DoubleVector.zero(S);
                    int t = 0;
                    for (; t < bound; t += lanes) {
                        DoubleVector cv = DoubleVector.fromArray(S, c, cOff + t);
                        DoubleVector d0 = DoubleVector.fromArray(S, r0, t).sub(cv);
                        DoubleVector d1 = DoubleVector.fromArray(S, r1, t).sub(cv);
                        acc0 = d0.fma(d0, acc0);
                        acc1 = d1.fma(d1, acc1);
                    }
                    double s0 = acc0.reduceLanes(VectorOperators.ADD), s1 = acc1.reduceLanes(VectorOperators.ADD);
                    for (; t < d; t++) {
                        double e0 = r0[t] - c[cOff + t], e1 = r1[t] - c[cOff + t];
                        s0 = Math.fma(e0, e0, s0);
                        s1 = Math.fma(e1, e1, s1);
                    }
                    if (s0 < best0) { // strict: an exact tie keeps the lower index
                        best0 = s0;
                        arg0 = j;
                    }
                    if (s1 < best1) {
                        best1 = s1;
                        arg1 = j;
                    }
                }
                labels[i] = arg0;
                minDist[i] = best0;
                labels[i + 1] = arg1;
                minDist[i + 1] = best1;
            }
            for (; i < to; i++) {
                double best = Double.POSITIVE_INFINITY;
                int arg = 0;
                for (int j = 0; j < k; j++) {
                    double s = sqDist(i, c, cf, j * d);
                    if (s < best) {
                        best = s;
                        arg = j;
                    }
                }
                labels[i] = arg;
                minDist[i] = best;
            }
        }
    }

    static final class F32 extends Points {
        private static final VectorSpecies<Float> S = Simd.F32;
        private final float[][] x;

        F32(float[][] x) {
            super(x.length, x[0].length);
            this.x = x;
        }

        @Override
        boolean single() {
            return true;
        }

        @Override
        double value(int i, int j) {
            return x[i][j];
        }

        @Override
        double sqDist(int i, double[] c, float[] cf, int cOff) {
            float[] row = x[i];
            int t = 0;
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(d); t < bound; t += S.length()) {
                FloatVector diff = FloatVector.fromArray(S, row, t).sub(FloatVector.fromArray(S, cf, cOff + t));
                acc = diff.fma(diff, acc);
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; t < d; t++) {
                float diff = row[t] - cf[cOff + t];
                sum = Math.fma(diff, diff, sum);
            }
            return sum;
        }

        @Override
        void addTo(int i, double w, double[] acc, int off) {
            float[] row = x[i];
            for (int t = 0; t < d; t++) {
                acc[off + t] += w * row[t];
            }
        }

        @Override
        void copyRow(int i, double[] dst, int off) {
            float[] row = x[i];
            for (int t = 0; t < d; t++) {
                dst[off + t] = row[t];
            }
        }

        @Override
        void assign(double[] c, float[] cf, int k, int from, int to, int[] labels, double[] minDist) {
            int lanes = S.length();
            int bound = S.loopBound(d);
            int i = from;
            for (; i + 1 < to; i += 2) {
                float[] r0 = x[i], r1 = x[i + 1];
                float best0 = Float.POSITIVE_INFINITY, best1 = Float.POSITIVE_INFINITY;
                int arg0 = 0, arg1 = 0;
                for (int j = 0; j < k; j++) {
                    int cOff = j * d;
                    FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
                    int t = 0;
                    for (; t < bound; t += lanes) {
                        FloatVector cv = FloatVector.fromArray(S, cf, cOff + t);
                        FloatVector d0 = FloatVector.fromArray(S, r0, t).sub(cv);
                        FloatVector d1 = FloatVector.fromArray(S, r1, t).sub(cv);
                        acc0 = d0.fma(d0, acc0);
                        acc1 = d1.fma(d1, acc1);
                    }
                    float s0 = acc0.reduceLanes(VectorOperators.ADD), s1 = acc1.reduceLanes(VectorOperators.ADD);
                    for (; t < d; t++) {
                        float e0 = r0[t] - cf[cOff + t], e1 = r1[t] - cf[cOff + t];
                        s0 = Math.fma(e0, e0, s0);
                        s1 = Math.fma(e1, e1, s1);
                    }
                    if (s0 < best0) {
                        best0 = s0;
                        arg0 = j;
                    }
                    if (s1 < best1) {
                        best1 = s1;
                        arg1 = j;
                    }
                }
                labels[i] = arg0;
                minDist[i] = best0;
                labels[i + 1] = arg1;
                minDist[i + 1] = best1;
            }
            for (; i < to; i++) {
                double best = Double.POSITIVE_INFINITY;
                int arg = 0;
                for (int j = 0; j < k; j++) {
                    double s = sqDist(i, c, cf, j * d);
                    if (s < best) {
                        best = s;
                        arg = j;
                    }
                }
                labels[i] = arg;
                minDist[i] = best;
            }
        }
    }
}
