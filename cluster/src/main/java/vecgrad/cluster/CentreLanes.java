package vecgrad.cluster;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vecgrad.kernels.Simd;

/**
 * Float32 nearest-centre kernel with the centres in the vector lanes: the centres cf [k][d] are packed as
 * [blocks][d][L] (L = lane count, k rounded up to whole blocks of L centres, zero padding), and a step of
 * {@link #ROWS} rows runs over t = 0 .. d − 1 with acc_r += broadcast(x_r[t]) · packed[block][t] for each row r.
 * Each accumulator then holds the dot products of its row with L centres, so no lanes are folded; the finish
 * ‖x‖² + ‖c‖² − 2·x·c, the clamp at 0 and the argmin are vector operations per row and block.
 *
 * <p>Every dot product is summed over t in order 0 .. d − 1 in float32 whatever the row's position in a step, so
 * a row's label and distance do not depend on which rows it is grouped with (nor on the thread count). The
 * argmin compares float32 distances (lowest index on an exact tie, as the other passes); the winner's distance
 * is then recomputed in float64 from its float32 dot product, as {@link Points.F32} does.
 *
 * <p>Cost (d = 784, one thread, loaded 2-vCPU machine with one 512-bit FMA port): on rows held in L1 the loop
 * runs at about 2.9·10⁹ FMAs per second, near one per cycle (60000 rows in 16.3 ms for any k ≤ 16), so with 8 rows
 * per step the 8 broadcasts and the one center load per 8 FMAs are not the limit, and the cost is ceil(k / L)·d
 * FMAs per row whatever k is: the lanes beyond k are wasted. See {@link Points.F32#centreLanesWin} for where
 * that beats the d-in-lanes blocks.
 */
final class CentreLanes {
    private static final VectorSpecies<Float> S = Simd.F32;
    private static final int L = S.length();
    private static final FloatVector MINUS_TWO = FloatVector.broadcast(S, -2f);
    /** Rows per step: eight independent FMA chains hide the FMA latency; nine loads per eight FMAs. */
    static final int ROWS = 8;

    /** Packed centres [blocks][d][L]. */
    final float[] packed;
    /** ‖c_j‖² as float32 lanes [blocks·L], +∞ in the padding lanes so that they never win. */
    final float[] normLanes;
    /** ‖c_j‖² in float64 [k] (of the float32 centres). */
    final double[] norms;
    final int k;
    final int d;
    final int blocks;

    /** Packs the float32 centres cf [k][d] (with float64 squared norms cc [k]). */
    CentreLanes(float[] cf, double[] cc, int k, int d) {
        this.k = k;
        this.d = d;
        this.blocks = (k + L - 1) / L;
        this.norms = cc;
        this.packed = new float[blocks * d * L];
        this.normLanes = new float[blocks * L];
        java.util.Arrays.fill(normLanes, Float.POSITIVE_INFINITY);
        for (int j = 0; j < k; j++) {
            int base = (j / L) * d * L + j % L;
            for (int t = 0; t < d; t++) {
                packed[base + t * L] = cf[j * d + t];
            }
            normLanes[j] = (float) cc[j];
        }
    }

    /** Floats of scratch that {@link #nearest} needs. */
    int scratchLength() {
        return ROWS * L + ROWS;
    }

    /**
     * For the rows x[i .. i + rows) (rows ≤ {@link #ROWS}) with squared norms xx[0 .. rows): labels[i + r] = the
     * nearest centre (lowest index on an exact tie) and minDist[i + r] = max(0, ‖x‖² − 2·x·c + ‖c‖²) in float64.
     * A row whose distances are all NaN or +∞ (float32 overflow) gets label 0 and +∞.
     */
    void nearest(float[][] x, int i, int rows, float[] xx, int[] labels, double[] minDist, float[] scratch) {
        for (int r = 0; r < rows; r++) {
            labels[i + r] = -1;
            minDist[i + r] = Float.POSITIVE_INFINITY; // float32 best so far, until the float64 finish below
        }
        for (int b = 0; b < blocks; b++) {
            int p = b * d * L;
            if (rows == ROWS) {
                dots8(x[i], x[i + 1], x[i + 2], x[i + 3], x[i + 4], x[i + 5], x[i + 6], x[i + 7], p, scratch);
            } else {
                for (int r = 0; r < rows; r++) {
                    dots1(x[i + r], p, scratch, r * L);
                }
            }
            FloatVector cc = FloatVector.fromArray(S, normLanes, b * L);
            for (int r = 0; r < rows; r++) {
                FloatVector dist = FloatVector.fromArray(S, scratch, r * L).fma(MINUS_TWO, cc.add(xx[r])).max(0f);
                dist = dist.blend(Float.POSITIVE_INFINITY, dist.test(VectorOperators.IS_NAN));
                float m = dist.reduceLanes(VectorOperators.MIN);
                if (m < minDist[i + r]) { // strict: a tie with an earlier block keeps the lower index
                    int lane = dist.eq(m).firstTrue();
                    labels[i + r] = b * L + lane;
                    minDist[i + r] = m;
                    scratch[ROWS * L + r] = scratch[r * L + lane]; // the winner's float32 dot product
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            int j = labels[i + r];
            if (j < 0) {
                labels[i + r] = 0;
                minDist[i + r] = Double.POSITIVE_INFINITY;
            } else {
                minDist[i + r] = Math.max(0, (double) xx[r] - 2.0 * scratch[ROWS * L + r] + norms[j]);
            }
        }
    }

    /** Dot products of eight rows with the L centres of the block at packed[p ..] into scratch[r·L ..]. */
    private void dots8(float[] r0, float[] r1, float[] r2, float[] r3, float[] r4, float[] r5, float[] r6,
                       float[] r7, int p, float[] scratch) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S), a4 = FloatVector.zero(S), a5 = FloatVector.zero(S);
        FloatVector a6 = FloatVector.zero(S), a7 = FloatVector.zero(S);
        float[] c = packed;
        for (int t = 0; t < d; t++, p += L) {
            FloatVector cv = FloatVector.fromArray(S, c, p);
            a0 = FloatVector.broadcast(S, r0[t]).fma(cv, a0);
            a1 = FloatVector.broadcast(S, r1[t]).fma(cv, a1);
            a2 = FloatVector.broadcast(S, r2[t]).fma(cv, a2);
            a3 = FloatVector.broadcast(S, r3[t]).fma(cv, a3);
            a4 = FloatVector.broadcast(S, r4[t]).fma(cv, a4);
            a5 = FloatVector.broadcast(S, r5[t]).fma(cv, a5);
            a6 = FloatVector.broadcast(S, r6[t]).fma(cv, a6);
            a7 = FloatVector.broadcast(S, r7[t]).fma(cv, a7);
        }
        a0.intoArray(scratch, 0);
        a1.intoArray(scratch, L);
        a2.intoArray(scratch, 2 * L);
        a3.intoArray(scratch, 3 * L);
        a4.intoArray(scratch, 4 * L);
        a5.intoArray(scratch, 5 * L);
        a6.intoArray(scratch, 6 * L);
        a7.intoArray(scratch, 7 * L);
    }

    /** {@link #dots8} for one row (the last rows of a range): the same sums in the same order. */
    private void dots1(float[] row, int p, float[] scratch, int at) {
        FloatVector a = FloatVector.zero(S);
        float[] c = packed;
        for (int t = 0; t < d; t++, p += L) {
            a = FloatVector.broadcast(S, row[t]).fma(FloatVector.fromArray(S, c, p), a);
        }
        a.intoArray(scratch, at);
    }
}
