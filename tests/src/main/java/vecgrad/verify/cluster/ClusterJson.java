package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Tensors of {@code cluster-conformance/1} files ({@code {"shape": [...], "data": [...]}}, row-major)
 * to and from Java arrays, for {@link ClusterKind} handlers.
 */
public final class ClusterJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ClusterJson() {}

    public static int[] shape(JsonNode tensor) {
        JsonNode shape = tensor.get("shape");
        int[] out = new int[shape.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape.get(i).asInt();
        }
        return out;
    }

    /** The flattened data of a tensor, as float64. */
    public static double[] data(JsonNode tensor) {
        JsonNode data = tensor.get("data");
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).asDouble();
        }
        return out;
    }

    /** A tensor of shape [] as a double. */
    public static double scalar(JsonNode tensor) {
        return tensor.get("data").get(0).asDouble();
    }

    /** A tensor of shape [rows, cols] as rows. */
    public static double[][] matrix(JsonNode tensor) {
        int[] shape = shape(tensor);
        if (shape.length != 2) {
            throw new IllegalArgumentException("conformance: expected a matrix; got shape " + java.util.Arrays.toString(shape)
                    + ", expected [rows, cols]");
        }
        double[] flat = data(tensor);
        double[][] out = new double[shape[0]][shape[1]];
        for (int r = 0; r < shape[0]; r++) {
            System.arraycopy(flat, r * shape[1], out[r], 0, shape[1]);
        }
        return out;
    }

    /** A named input tensor of a case: {@code testCase.inputs[name]}. */
    public static JsonNode input(JsonNode testCase, String name) {
        JsonNode node = testCase.get("inputs").get(name);
        if (node == null) {
            throw new IllegalArgumentException("conformance: case " + testCase.path("id").asText() + " has no input '"
                    + name + "'; got " + testCase.get("inputs").properties().stream().map(java.util.Map.Entry::getKey)
                    .toList() + ", expected " + name);
        }
        return node;
    }

    /** A named attribute of a case: {@code testCase.attrs[name]}. */
    public static JsonNode attr(JsonNode testCase, String name) {
        JsonNode node = testCase.get("attrs").get(name);
        if (node == null) {
            throw new IllegalArgumentException("conformance: case " + testCase.path("id").asText()
                    + " has no attribute '" + name + "'; got none, expected " + name);
        }
        return node;
    }

    public static ObjectNode tensor(int[] shape, double[] data) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode s = node.putArray("shape");
        for (int v : shape) {
            s.add(v);
        }
        ArrayNode values = node.putArray("data");
        for (double v : data) {
            values.add(v);
        }
        return node;
    }

    public static ObjectNode ints(int[] shape, int[] data) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode s = node.putArray("shape");
        for (int v : shape) {
            s.add(v);
        }
        ArrayNode values = node.putArray("data");
        for (int v : data) {
            values.add(v);
        }
        return node;
    }

    public static ObjectNode scalar(double value) {
        return tensor(new int[0], new double[] {value});
    }

    public static ObjectNode scalar(int value) {
        return ints(new int[0], new int[] {value});
    }

    public static ObjectNode vector(double[] values) {
        return tensor(new int[] {values.length}, values);
    }

    public static ObjectNode vector(int[] values) {
        return ints(new int[] {values.length}, values);
    }

    public static ObjectNode matrix(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return tensor(new int[] {rows.length, cols}, flat);
    }

    /** [a][b][c] as a tensor of shape [a, b, c]. */
    public static ObjectNode cube(double[][][] values) {
        int a = values.length, b = a == 0 ? 0 : values[0].length, c = b == 0 ? 0 : values[0][0].length;
        double[] flat = new double[a * b * c];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(values[i][j], 0, flat, (i * b + j) * c, c);
            }
        }
        return tensor(new int[] {a, b, c}, flat);
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
