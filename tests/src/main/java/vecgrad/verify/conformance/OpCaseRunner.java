package vecgrad.verify.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;

/**
 * Runs {@code vecgrad-conformance/1} case files (conformance/FORMAT.md): for each case and each requested
 * precision it lists in {@code check_dtypes}, builds the inputs, applies the op through the handler table,
 * backpropagates {@code grad_output}, and compares output and gradients with the reference using the §6 rule
 * {@code |actual − expected| <= atol·S + rtol·|expected|}, {@code S = max(1, max|expected|)} per tensor.
 */
public final class OpCaseRunner implements FormatRunner {
    public static final String FORMAT = "vecgrad-conformance/1";

    /** FORMAT.md §6: bounds for an implementation computing in the given precision. */
    public record Tolerance(double rtol, double atol) {
        static Tolerance of(DType dtype) {
            return dtype == DType.F64 ? new Tolerance(1e-9, 1e-10) : new Tolerance(1e-4, 1e-5);
        }
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, OpHandler> handlers;

    public OpCaseRunner(Map<String, OpHandler> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    @Override
    public List<CaseResult> run(Path file, JsonNode root, Set<DType> dtypes) {
        List<CaseResult> results = new ArrayList<>();
        for (JsonNode testCase : root.path("cases")) {
            for (DType dtype : List.of(DType.F64, DType.F32)) {
                if (dtypes.contains(dtype) && listsDtype(testCase, dtype)) {
                    results.add(runCase(file, testCase, dtype));
                }
            }
        }
        return results;
    }

    private static boolean listsDtype(JsonNode testCase, DType dtype) {
        JsonNode listed = testCase.get("check_dtypes");
        if (listed == null) {
            return dtype == DType.F64;
        }
        for (JsonNode name : listed) {
            if (name.asText().equals(dtype.label())) {
                return true;
            }
        }
        return false;
    }

    /** Runs one case in one precision. */
    public CaseResult runCase(Path file, JsonNode testCase, DType dtype) {
        String id = testCase.path("id").asText();
        String op = testCase.path("op").asText();
        String fileName = file.getFileName().toString();
        OpHandler handler = handlers.get(op);
        if (handler == null) {
            if (OpHandlers.LATER_OPS.contains(op)) {
                return new CaseResult(fileName, id, dtype.label(), CaseResult.Status.SKIPPED,
                        "op '" + op + "' has no handler yet (a later issue)", 0, null);
            }
            return failure(fileName, id, dtype, "unknown op '" + op + "'");
        }
        ObjectNode result;
        Tensor output;
        Tensor[] grads;
        try {
            List<Tensor> tensors = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            JsonNode inputs = testCase.path("inputs");
            for (JsonNode input : inputs) {
                int[] shape = ints(input.path("shape"));
                if (input.path("dtype").asText().equals("int64")) {
                    labels.add(ints(input.path("data")));
                    tensors.add(null);
                } else {
                    Tensor leaf = Tensor.of(numbers(input.path("data")), dtype, shape);
                    tensors.add(input.path("requires_grad").asBoolean() ? leaf.requiresGrad(true) : leaf);
                    labels.add(null);
                }
            }
            try (Tape tape = Tape.begin()) {
                Tensor y = handler.apply(new OpArgs(tensors, labels, testCase.path("attrs")));
                output = y.copy();
                JsonNode seed = testCase.path("grad_output");
                if (y.requiresGrad()) {
                    y.backward(Tensor.of(numbers(seed.path("data")), dtype, ints(seed.path("shape"))));
                }
            }
            grads = new Tensor[tensors.size()];
            for (int i = 0; i < tensors.size(); i++) {
                Tensor leaf = tensors.get(i);
                if (leaf != null && leaf.requiresGrad()) {
                    grads[i] = leaf.grad() != null ? leaf.grad() : Tensor.zeros(dtype, leaf.shape());
                }
            }
            result = resultNode(id, dtype, output, grads);
        } catch (RuntimeException e) {
            ObjectNode error = JSON.objectNode().put("id", id).put("dtype", dtype.label())
                    .put("error", String.valueOf(e.getMessage()));
            return new CaseResult(fileName, id, dtype.label(), CaseResult.Status.FAILED,
                    "threw " + e.getClass().getSimpleName() + ": " + e.getMessage(), Double.POSITIVE_INFINITY, error);
        }
        Tolerance tolerance = tolerance(testCase, dtype);
        Comparison worst = compare("output", testCase.path("output"), output, tolerance);
        JsonNode expectedGrads = testCase.path("grads");
        for (int i = 0; i < grads.length; i++) {
            JsonNode expected = expectedGrads.path(i);
            Comparison c;
            if (expected.isNull() || expected.isMissingNode()) {
                c = grads[i] == null ? Comparison.NONE : Comparison.failed("grads[" + i + "]: expected null, got a gradient");
            } else if (grads[i] == null) {
                c = Comparison.failed("grads[" + i + "]: expected a gradient, got null");
            } else {
                c = compare("grads[" + i + "]", expected, grads[i], tolerance);
            }
            worst = Comparison.worse(worst, c);
        }
        CaseResult.Status status = worst.passed() ? CaseResult.Status.PASSED : CaseResult.Status.FAILED;
        return new CaseResult(fileName, id, dtype.label(), status, worst.passed() ? "" : worst.message(), worst.ratio(),
                result);
    }

    private static CaseResult failure(String file, String id, DType dtype, String message) {
        ObjectNode error = JSON.objectNode().put("id", id).put("dtype", dtype.label()).put("error", message);
        return new CaseResult(file, id, dtype.label(), CaseResult.Status.FAILED, message, Double.POSITIVE_INFINITY, error);
    }

    private static Tolerance tolerance(JsonNode testCase, DType dtype) {
        Tolerance defaults = Tolerance.of(dtype);
        JsonNode override = testCase.path("tolerance").path(dtype.label());
        if (override.isMissingNode() || override.isNull()) {
            return defaults;
        }
        return new Tolerance(override.path("rtol").asDouble(defaults.rtol()), override.path("atol").asDouble(defaults.atol()));
    }

    /** The worst element of one comparison; ratio > 1 (or NaN-mismatch, shape mismatch) fails. */
    record Comparison(double ratio, String message, boolean passed) {
        static final Comparison NONE = new Comparison(0, "", true);

        static Comparison failed(String message) {
            return new Comparison(Double.POSITIVE_INFINITY, message, false);
        }

        static Comparison worse(Comparison a, Comparison b) {
            if (a.passed != b.passed) {
                return a.passed ? b : a;
            }
            return b.ratio > a.ratio ? b : a;
        }
    }

    static Comparison compare(String what, JsonNode expected, Tensor actual, Tolerance tolerance) {
        int[] shape = ints(expected.path("shape"));
        if (!Arrays.equals(shape, actual.shape())) {
            return Comparison.failed(what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(shape));
        }
        double[] want = numbers(expected.path("data"));
        double[] got = actual.toDoubleArray();
        double scale = 1;
        for (double e : want) {
            if (Double.isFinite(e)) {
                scale = Math.max(scale, Math.abs(e));
            }
        }
        Comparison worst = Comparison.NONE;
        for (int i = 0; i < want.length; i++) {
            double e = want[i];
            double a = got[i];
            if (!Double.isFinite(e) || !Double.isFinite(a)) {
                if (!(Double.compare(e, a) == 0 || (Double.isNaN(e) && Double.isNaN(a)))) {
                    return Comparison.failed(what + " at " + index(shape, i) + ": got " + a + ", expected " + e
                            + " (non-finite values must match exactly)");
                }
                continue;
            }
            double allowed = tolerance.atol() * scale + tolerance.rtol() * Math.abs(e);
            double diff = Math.abs(a - e);
            double ratio = allowed == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / allowed;
            if (ratio > worst.ratio()) {
                worst = new Comparison(ratio, what + " at " + index(shape, i) + ": got " + a + ", expected " + e
                        + " (|diff| " + diff + ", allowed " + allowed + ", ratio " + String.format("%.3g", ratio) + ")",
                        ratio <= 1);
            }
        }
        return worst;
    }

    private static String index(int[] shape, int flat) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % Math.max(1, shape[d]);
            flat /= Math.max(1, shape[d]);
        }
        return Arrays.toString(index);
    }

    private static ObjectNode resultNode(String id, DType dtype, Tensor output, Tensor[] grads) {
        ObjectNode node = JSON.objectNode();
        node.put("id", id);
        node.put("dtype", dtype.label());
        node.set("output", tensorNode(output));
        ArrayNode list = node.putArray("grads");
        for (Tensor grad : grads) {
            if (grad == null) {
                list.addNull();
            } else {
                list.add(tensorNode(grad));
            }
        }
        return node;
    }

    /** {@code {"shape": [...], "data": [...]}}; non-finite values as the strings of FORMAT.md §1. */
    static ObjectNode tensorNode(Tensor t) {
        ObjectNode node = JSON.objectNode();
        ArrayNode shape = node.putArray("shape");
        for (int size : t.shape()) {
            shape.add(size);
        }
        ArrayNode data = node.putArray("data");
        for (double value : t.toDoubleArray()) {
            if (Double.isNaN(value)) {
                data.add("NaN");
            } else if (Double.isInfinite(value)) {
                data.add(value > 0 ? "Infinity" : "-Infinity");
            } else {
                data.add(value);
            }
        }
        return node;
    }

    static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    /** Numbers, with "NaN", "Infinity" and "-Infinity" strings for non-finite values. */
    static double[] numbers(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = array.get(i);
            values[i] = value.isTextual() ? Double.parseDouble(value.asText()) : value.asDouble();
        }
        return values;
    }
}
