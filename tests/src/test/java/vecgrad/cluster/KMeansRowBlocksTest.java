package vecgrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.verify.Cases;

/**
 * The float32 assignment pass steps four rows at a time (4 rows × 5 centers per block, all blocks' sums folded
 * together and finished as float64 vectors) while {@link Points#distances} keeps the two-row blocks; both must
 * give the same distances bit for bit, for every center count (one to seven whole blocks of 5, leftovers through
 * the pair blocks, sums that fill the fold's last vector partly), row count (a last step of one to three rows)
 * and dimension (with and without a scalar tail). Values span several magnitudes so
 * that a different accumulation order would show in the last bits. Center counts that the assignment passes
 * send to {@link CentreLanes} instead ({@link Points.F32#centreLanesWin}) are left out here: that kernel sums in
 * another order and has its own twin test ({@link CentreLanesTest}).
 */
class KMeansRowBlocksTest {
    static java.util.stream.LongStream seeds() {
        return Cases.seeds(3);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void fourRowStepsGiveThePairBlocksDistancesBitForBit(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int d : new int[] {5, 37, 64, 131}) {
            for (int k : new int[] {1, 3, 4, 5, 6, 9, 10, 11, 14, 15, 20, 23, 35}) {
                if (Points.F32.centreLanesWin(k)) {
                    continue;
                }
                int n = rng.nextInt(4, 12); // at least one four-row step, then a last step of 0 to 3 rows
                float[][] x = new float[n][d];
                for (float[] row : x) {
                    for (int t = 0; t < d; t++) {
                        row[t] = (float) (rng.nextDouble(-1, 1) * Math.pow(2, rng.nextInt(-6, 6)));
                    }
                }
                double[] c = new double[k * d];
                float[] cf = new float[k * d];
                for (int t = 0; t < c.length; t++) {
                    cf[t] = (float) (rng.nextDouble(-1, 1) * Math.pow(2, rng.nextInt(-6, 6)));
                    c[t] = cf[t];
                }
                Points points = Points.of(x);
                int[] labels = new int[n];
                double[] minDist = new double[n];
                points.assign(c, cf, k, 0, n, labels, minDist);
                double[] all = new double[n * k];
                points.distances(c, cf, k, 0, n, all);
                for (int i = 0; i < n; i++) {
                    int arg = 0;
                    for (int j = 1; j < k; j++) {
                        if (all[i * k + j] < all[i * k + arg]) {
                            arg = j;
                        }
                    }
                    String where = "d=" + d + " k=" + k + " n=" + n + " row " + i;
                    assertEquals(arg, labels[i], where);
                    assertEquals(Double.doubleToLongBits(all[i * k + arg]), Double.doubleToLongBits(minDist[i]), where);
                }
            }
        }
    }
}
