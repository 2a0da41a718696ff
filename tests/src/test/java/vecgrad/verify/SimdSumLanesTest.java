package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.kernels.Simd;

/**
 * {@link Simd#sumLanes} promises one fixed addition order (lane i plus lane i + half, halving) whatever its
 * implementation; the fold kernels of k-means, GMM and t-SNE depend on it bit for bit. The expected value is
 * that tree, added in scalar code. Magnitudes span many binades so another order would show in the last bits.
 */
class SimdSumLanesTest {
    static LongStream seeds() {
        return Cases.seeds(8);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void floatSumFollowsTheHalvingTree(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] lanes = new float[Simd.F32_LANES];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = (float) (rng.nextDouble(-1, 1) * Math.pow(2, rng.nextInt(-20, 20)));
        }
        float[] tree = lanes.clone();
        for (int half = tree.length / 2; half > 0; half /= 2) {
            for (int i = 0; i < half; i++) {
                tree[i] += tree[i + half];
            }
        }
        float actual = Simd.sumLanes(FloatVector.fromArray(Simd.F32, lanes, 0));
        assertEquals(Float.floatToIntBits(tree[0]), Float.floatToIntBits(actual), "seed " + seed);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void doubleSumFollowsTheHalvingTree(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] lanes = new double[Simd.F64_LANES];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = rng.nextDouble(-1, 1) * Math.pow(2, rng.nextInt(-40, 40));
        }
        double[] tree = lanes.clone();
        for (int half = tree.length / 2; half > 0; half /= 2) {
            for (int i = 0; i < half; i++) {
                tree[i] += tree[i + half];
            }
        }
        double actual = Simd.sumLanes(DoubleVector.fromArray(Simd.F64, lanes, 0));
        assertEquals(Double.doubleToLongBits(tree[0]), Double.doubleToLongBits(actual), "seed " + seed);
    }
}
