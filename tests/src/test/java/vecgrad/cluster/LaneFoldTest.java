package vecgrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.kernels.Simd;
import vecgrad.verify.Cases;

/**
 * LaneFold (package-private, hence this package) folds many accumulators at once and must give, bit for bit,
 * what {@link Simd#sumLanes} gives for each one: the k-means and Gaussian-mixture kernels rely on that order
 * being fixed, whatever the JIT state. Values span many magnitudes so that a different addition order would
 * show in the last bits.
 */
class LaneFoldTest {
    static java.util.stream.LongStream seeds() {
        return Cases.seeds(4);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void floatFoldEqualsSumLanesForEveryCount(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int lanes = Simd.F32.length();
        for (int count = 1; count <= 25; count++) {
            float[] scratch = new float[LaneFold.floatScratch(count)];
            float[] expected = new float[count];
            for (int v = 0; v < count; v++) {
                for (int l = 0; l < lanes; l++) {
                    scratch[v * lanes + l] = (float) (rng.nextDouble(-1, 1) * Math.pow(2, rng.nextInt(-20, 20)));
                }
                expected[v] = Simd.sumLanes(FloatVector.fromArray(Simd.F32, scratch, v * lanes));
            }
            LaneFold.fold(scratch, count);
            for (int v = 0; v < count; v++) {
                assertEquals(Float.floatToIntBits(expected[v]), Float.floatToIntBits(scratch[LaneFold.floatPosition(v)]),
                        "count " + count + ", input " + v);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void doubleFoldEqualsSumLanesForEveryCount(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int lanes = Simd.F64.length();
        for (int count = 1; count <= 25; count++) {
            double[] scratch = new double[LaneFold.doubleScratch(count)];
            double[] expected = new double[count];
            for (int v = 0; v < count; v++) {
                for (int l = 0; l < lanes; l++) {
                    scratch[v * lanes + l] = rng.nextDouble(-1, 1) * Math.pow(2, rng.nextInt(-40, 40));
                }
                expected[v] = Simd.sumLanes(DoubleVector.fromArray(Simd.F64, scratch, v * lanes));
            }
            LaneFold.fold(scratch, count);
            for (int v = 0; v < count; v++) {
                assertEquals(Double.doubleToLongBits(expected[v]),
                        Double.doubleToLongBits(scratch[LaneFold.doublePosition(v)]), "count " + count + ", input " + v);
            }
        }
    }
}
