package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading and writing {@code {"shape": [...], "data": [...]}} tensors for the t-SNE and linkage handlers. */
final class EmbeddingJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EmbeddingJson() {}

    /** The input tensor {@code name} of a case as a matrix [rows][cols] (a 1-D tensor becomes one row). */
    static double[][] matrix(JsonNode testCase, String name) {
        JsonNode tensor = testCase.path("inputs").path(name);
        if (tensor.isMissingNode()) {
            throw new IllegalArgumentException(testCase.path("id").asText() + ": missing input '" + name + "'");
        }
        JsonNode shape = tensor.path("shape");
        JsonNode data = tensor.path("data");
        int rows = shape.size() == 2 ? shape.get(0).asInt() : 1;
        int cols = shape.size() == 2 ? shape.get(1).asInt() : data.size();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = data.get(i * cols + j).asDouble();
            }
        }
        return out;
    }

    /** Row-major flat values of input {@code name}. */
    static double[] flat(JsonNode testCase, String name) {
        JsonNode data = testCase.path("inputs").path(name).path("data");
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).asDouble();
        }
        return out;
    }

    static ObjectNode tensor(double[] data, int... shape) {
        ObjectNode node = NODES.objectNode();
        ArrayNode dims = node.putArray("shape");
        for (int d : shape) {
            dims.add(d);
        }
        ArrayNode values = node.putArray("data");
        for (double v : data) {
            values.add(v);
        }
        return node;
    }

    static ObjectNode tensor(int[] data, int... shape) {
        ObjectNode node = NODES.objectNode();
        ArrayNode dims = node.putArray("shape");
        for (int d : shape) {
            dims.add(d);
        }
        ArrayNode values = node.putArray("data");
        for (int v : data) {
            values.add(v);
        }
        return node;
    }

    static ObjectNode scalar(double value) {
        return tensor(new double[] {value});
    }

    static ObjectNode outputs() {
        return NODES.objectNode();
    }
}
