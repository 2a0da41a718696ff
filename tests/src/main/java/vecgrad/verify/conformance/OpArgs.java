package vecgrad.verify.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import vecgrad.autodiff.Tensor;

/**
 * The operands and attributes of one conformance case, as handed to an {@link OpHandler}.
 *
 * @param tensors float inputs in case order (null at positions holding integer labels)
 * @param labels  int64 inputs as {@code int[]} in case order (null at positions holding float tensors)
 * @param attrs   the case's {@code attrs} object (every attribute present; JSON null = not given)
 */
public record OpArgs(List<Tensor> tensors, List<int[]> labels, JsonNode attrs) {

    public Tensor tensor(int i) {
        Tensor t = tensors.get(i);
        if (t == null) {
            throw new IllegalArgumentException("conformance: input " + i + " is an integer tensor, expected a float tensor");
        }
        return t;
    }

    public int[] label(int i) {
        int[] l = labels.get(i);
        if (l == null) {
            throw new IllegalArgumentException("conformance: input " + i + " is a float tensor, expected int64 labels");
        }
        return l;
    }

    public int count() {
        return tensors.size();
    }

    private JsonNode attr(String name) {
        JsonNode node = attrs == null ? null : attrs.get(name);
        if (node == null) {
            throw new IllegalArgumentException("conformance: attribute '" + name + "' is missing from " + attrs);
        }
        return node;
    }

    public boolean isNull(String name) {
        return attr(name).isNull();
    }

    public int integer(String name) {
        return attr(name).asInt();
    }

    /** An int attribute or null when JSON null. */
    public Integer integerOrNull(String name) {
        JsonNode node = attr(name);
        return node.isNull() ? null : node.asInt();
    }

    public double number(String name) {
        return attr(name).asDouble();
    }

    /** A number attribute or null when JSON null. */
    public Double numberOrNull(String name) {
        JsonNode node = attr(name);
        return node.isNull() ? null : node.asDouble();
    }

    public boolean flag(String name) {
        return attr(name).asBoolean();
    }

    public String text(String name) {
        return attr(name).asText();
    }

    public int[] ints(String name) {
        JsonNode node = attr(name);
        int[] values = new int[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = node.get(i).asInt();
        }
        return values;
    }

    /** Whether the attrs object has this attribute at all. */
    public boolean has(String name) {
        return attrs != null && attrs.has(name);
    }
}
