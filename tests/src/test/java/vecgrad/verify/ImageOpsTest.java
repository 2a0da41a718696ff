package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * The image ops through the tape: the public conformance cases of conv2d, max_pool2d, avg_pool2d, lp_pool2d
 * and upsample_nearest2d in float64 and float32 with FORMAT.md §6 tolerances, every op's VJP against
 * central differences in float64, and op-level argument errors.
 */
class ImageOpsTest {
    private static final String[] CONFORMANCE_OPS = {"conv2d", "max_pool2d", "avg_pool2d", "lp_pool2d",
            "upsample_nearest2d"};

    static Stream<Arguments> conformanceCases() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Arguments> cases = new ArrayList<>();
        for (String op : CONFORMANCE_OPS) {
            Path file = SharedDir.resolve("conformance/cases").resolve(op + ".json");
            for (JsonNode c : json.readTree(file.toFile()).get("cases")) {
                for (JsonNode dtype : c.get("check_dtypes")) {
                    cases.add(Arguments.of(c.get("id").asText() + " " + dtype.asText(), c, dtype.asText()));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceCases")
    void conformanceCasePasses(String name, JsonNode c, String dtypeName) {
        DType dtype = dtypeName.equals("float64") ? DType.F64 : DType.F32;
        double rtol = dtype == DType.F64 ? 1e-9 : 1e-4;
        double atol = dtype == DType.F64 ? 1e-10 : 1e-5;
        List<Tensor> inputs = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) {
            Tensor t = Tensor.of(doubles(in.get("data")), dtype, ints(in.get("shape")));
            inputs.add(t.requiresGrad(in.get("requires_grad").asBoolean()));
        }
        JsonNode attrs = c.get("attrs");
        Tensor[] grads;
        Tensor out;
        try (Tape tape = Tape.begin()) {
            out = apply(c.get("op").asText(), attrs, inputs);
            Tensor seed = Tensor.of(doubles(c.get("grad_output").get("data")), dtype,
                    ints(c.get("grad_output").get("shape")));
            grads = Tape.gradients(out, seed, inputs.toArray(new Tensor[0]));
        }
        compare(name + " output", c.get("output"), out, rtol, atol);
        for (int i = 0; i < inputs.size(); i++) {
            compare(name + " grad " + i, c.get("grads").get(i), grads[i], rtol, atol);
        }
    }

    private static Tensor apply(String op, JsonNode attrs, List<Tensor> in) {
        return switch (op) {
            case "conv2d" -> {
                int[] stride = ints(attrs.get("stride"));
                int[] padding = ints(attrs.get("padding"));
                yield Functional.conv2d(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null,
                        ConvSpec.of(stride[0], stride[1], padding[0], padding[1]));
            }
            case "max_pool2d" -> Functional.maxPool2d(in.get(0), poolSpec(attrs, true));
            case "avg_pool2d" -> Functional.avgPool2d(in.get(0), poolSpec(attrs, true),
                    attrs.get("count_include_pad").asBoolean());
            case "lp_pool2d" -> Functional.lpPool2d(in.get(0), attrs.get("norm_type").asDouble(),
                    poolSpec(attrs, false));
            case "upsample_nearest2d" -> {
                int[] scale = ints(attrs.get("scale_factor"));
                yield Functional.upsampleNearest2d(in.get(0), scale[0], scale[1]);
            }
            default -> throw new IllegalArgumentException("no image op " + op);
        };
    }

    private static PoolSpec poolSpec(JsonNode attrs, boolean padded) {
        int[] kernel = ints(attrs.get("kernel_size"));
        int[] stride = ints(attrs.get("stride"));
        int[] padding = padded ? ints(attrs.get("padding")) : new int[2];
        return new PoolSpec(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                attrs.get("ceil_mode").asBoolean());
    }

    private static void compare(String what, JsonNode expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(ints(expected.get("shape")), actual.shape(), what + " shape");
        double[] want = doubles(expected.get("data"));
        double[] got = actual.toDoubleArray();
        double scale = 1;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            double allowed = atol * scale + rtol * Math.abs(want[i]);
            assertTrue(Math.abs(got[i] - want[i]) <= allowed, what + " element " + i + ": expected " + want[i]
                    + ", got " + got[i]);
        }
    }

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

    private static double[] doubles(JsonNode data) {
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = data.get(i);
            values[i] = v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
        }
        return values;
    }

    private static int[] ints(JsonNode data) {
        int[] values = new int[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.get(i).asInt();
        }
        return values;
    }
}
