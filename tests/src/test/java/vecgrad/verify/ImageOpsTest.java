package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.Functional;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;
import vecgrad.kernels.ConvSpec;
import vecgrad.kernels.PoolSpec;

/**
 * The image ops through the tape on fixed, awkward configurations (strides, per-side padding, dilation,
 * groups, ceil mode, output padding): VJP against central differences in float64 and gradient shapes,
 * plus op-level argument errors. The random configurations are {@link ImageSpecs}; the public
 * conformance cases run through {@code ImageOpHandlers} in {@code ConformanceTest}.
 */
class ImageOpsTest {
    static Stream<Arguments> opsAndSeeds() {
        return Stream.of("conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "lp_pool2d",
                "adaptive_avg_pool2d", "upsample_nearest2d", "upsample_bilinear2d")
                .flatMap(op -> Cases.seeds(4).mapToObj(seed -> Arguments.of(op, seed)));
    }

    /** VJP through the tape against central differences of the projected output, float64, 3 directions. */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("opsAndSeeds")
    void vjpMatchesCentralDifferences(String op, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor[] inputs = switch (op) {
            case "conv2d", "conv_transpose2d" -> new Tensor[] {
                    leaf(rng, 2, 4, 6, 5), leaf(rng, 4, 2, 3, 2), leaf(rng, 4)};
            case "max_pool2d" -> new Tensor[] {Tensor.of(Cases.distinctSpaced(rng, 2 * 3 * 7 * 6, 0.1),
                    2, 3, 7, 6).requiresGrad(true)};
            case "lp_pool2d" -> new Tensor[] {Tensor.of(Cases.uniform(rng, 2 * 3 * 7 * 6, 0.2, 2),
                    2, 3, 7, 6).requiresGrad(true)};
            default -> new Tensor[] {leaf(rng, 2, 3, 7, 6)};
        };
        Function<Tensor[], Tensor> f = switch (op) {
            case "conv2d" -> in -> Functional.conv2d(in[0], in[1], in[2],
                    new ConvSpec(2, 1, 1, 0, 2, 1, 1, 2, 2));
            case "conv_transpose2d" -> in -> Functional.convTranspose2d(in[0], in[1], in[2],
                    ConvSpec.of(2, 1).withGroups(2), 1, 0);
            case "max_pool2d" -> in -> Functional.maxPool2d(in[0], new PoolSpec(3, 2, 2, 1, 1, 1, true));
            case "avg_pool2d" -> in -> Functional.avgPool2d(in[0], new PoolSpec(3, 3, 2, 2, 1, 1, true), false);
            case "lp_pool2d" -> in -> Functional.lpPool2d(in[0], 2, PoolSpec.of(2, 2).withCeilMode(true));
            case "adaptive_avg_pool2d" -> in -> Functional.adaptiveAvgPool2d(in[0], 3, 4);
            case "upsample_nearest2d" -> in -> Functional.upsampleNearest2d(in[0], 2, 3);
            default -> in -> Functional.upsampleBilinear2d(in[0], 11, 4);
        };
        Tensor out;
        Tensor[] grads;
        Tensor v;
        try (Tape tape = Tape.begin()) {
            out = f.apply(inputs);
            v = Tensor.of(Cases.uniform(rng, out.numel(), -1, 1), out.shape());
            grads = Tape.gradients(out, v, inputs);
        }
        double eps = 1e-6;
        for (int direction = 0; direction < 3; direction++) {
            Tensor[] plus = new Tensor[inputs.length];
            Tensor[] minus = new Tensor[inputs.length];
            double analytic = 0;
            for (int i = 0; i < inputs.length; i++) {
                double[] x = inputs[i].toDoubleArray();
                double[] u = Cases.uniform(rng, x.length, -1, 1);
                analytic += ConvKernelTest.dot(grads[i].toDoubleArray(), u);
                plus[i] = Tensor.of(ConvKernelTest.shift(x, u, eps), inputs[i].shape());
                minus[i] = Tensor.of(ConvKernelTest.shift(x, u, -eps), inputs[i].shape());
            }
            double numeric = (ConvKernelTest.dot(f.apply(plus).toDoubleArray(), v.toDoubleArray())
                    - ConvKernelTest.dot(f.apply(minus).toDoubleArray(), v.toDoubleArray())) / (2 * eps);
            double allowed = 1e-9 + 1e-6 * Math.max(Math.abs(analytic), Math.abs(numeric));
            assertTrue(Math.abs(analytic - numeric) <= allowed, op + " direction " + direction + ": analytic "
                    + analytic + ", numeric " + numeric);
        }
        for (int i = 0; i < inputs.length; i++) {
            assertArrayEquals(inputs[i].shape(), grads[i].shape(), op + " gradient shape " + i);
        }
    }

    @Test
    void opsNameThemselvesAndTheShapesInErrors() {
        Tensor image = Tensor.zeros(DType.F64, 2, 3, 8, 8);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Functional.conv2d(image, Tensor.zeros(DType.F64, 4, 2, 3, 3), null, ConvSpec.of(1, 1)));
        assertTrue(error.getMessage().startsWith("conv2d: ") && error.getMessage().contains("[2, 3, 8, 8]"),
                error.getMessage());
        error = assertThrows(IllegalArgumentException.class,
                () -> Functional.conv2d(image, Tensor.zeros(4, 3, 3, 3), null, ConvSpec.of(1, 1)));
        assertTrue(error.getMessage().contains("dtypes differ"), error.getMessage());
        // FAULTS 25: an NHWC image for a 1-channel conv names the expected channels
        error = assertThrows(IllegalArgumentException.class, () -> Functional.conv2d(Tensor.zeros(32, 28, 28, 1),
                Tensor.zeros(8, 1, 3, 3), null, ConvSpec.of(1, 1)));
        assertTrue(error.getMessage().contains("[32, 28, 28, 1]"), error.getMessage());
        error = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool2d(Tensor.zeros(3, 8, 8), PoolSpec.of(2, 2)));
        assertTrue(error.getMessage().startsWith("max_pool2d: "), error.getMessage());
        error = assertThrows(IllegalArgumentException.class,
                () -> Functional.lpPool2d(image, 0, PoolSpec.of(2, 2)));
        assertTrue(error.getMessage().startsWith("lp_pool2d: "), error.getMessage());
        error = assertThrows(IllegalArgumentException.class,
                () -> Functional.conv2d(image, Tensor.zeros(DType.F64, 4, 3, 3, 3), Tensor.zeros(DType.F64, 3),
                        ConvSpec.of(1, 1)));
        assertTrue(error.getMessage().contains("bias [4]"), error.getMessage());
    }

    @Test
    void globalAveragePoolingIsAdaptiveOneByOne() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
        Tensor y = Functional.adaptiveAvgPool2d(x, 1, 1);
        assertArrayEquals(new int[] {1, 2, 1, 1}, y.shape());
        assertEquals(2.5, y.get(0, 0, 0, 0));
        assertEquals(6.5, y.get(0, 1, 0, 0));
    }

    private static Tensor leaf(SplittableRandom rng, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.of(Cases.uniform(rng, n, -1, 1), shape).requiresGrad(true);
    }
}
