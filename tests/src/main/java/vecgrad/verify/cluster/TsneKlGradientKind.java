package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vecgrad.cluster.manifold.TsneGradient;

/**
 * {@code tsne_kl_gradient} (FORMAT.md §4.5): KL(P ‖ Q) and its exact gradient for the case's P [n, n]
 * and Y [n, c], with the Student-t factor (1 + ‖y_i − y_j‖²)⁻¹; outputs {@code kl} [] and {@code grad} [n, c].
 */
public final class TsneKlGradientKind implements ClusterKind {
    @Override
    public String kind() {
        return "tsne_kl_gradient";
    }

    @Override
    public ObjectNode outputs(JsonNode testCase) {
        int dof = testCase.path("attrs").path("degrees_of_freedom").asInt(1);
        if (dof != 1) {
            throw new IllegalArgumentException("tsne_kl_gradient: degrees_of_freedom must be 1; got " + dof
                    + ", expected 1 (the Student-t kernel of t-SNE)");
        }
        JsonNode yShape = testCase.path("inputs").path("Y").path("shape");
        int n = yShape.get(0).asInt(), dims = yShape.get(1).asInt();
        double[] p = EmbeddingJson.flat(testCase, "P");
        double[] y = EmbeddingJson.flat(testCase, "Y");
        double[] grad = new double[n * dims];
        double kl = TsneGradient.exact(p, y, n, dims, 1.0, grad, true);
        ObjectNode out = EmbeddingJson.outputs();
        out.set("kl", EmbeddingJson.scalar(kl));
        out.set("grad", EmbeddingJson.tensor(grad, n, dims));
        return out;
    }
}
