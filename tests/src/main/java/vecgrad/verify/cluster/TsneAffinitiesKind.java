package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vecgrad.cluster.manifold.TsneAffinities;

/**
 * {@code tsne_affinities} (FORMAT.md §4.4): scikit-learn's {@code _joint_probabilities} on the case's
 * X and perplexity; outputs {@code conditional_P} [n, n], {@code beta} [n] and {@code P} [n, n].
 */
public final class TsneAffinitiesKind implements ClusterKind {
    @Override
    public String kind() {
        return "tsne_affinities";
    }

    @Override
    public ObjectNode outputs(JsonNode testCase) {
        String method = testCase.path("attrs").path("method").asText("exact");
        if (!method.equals("exact")) {
            throw new IllegalArgumentException("tsne_affinities: method '" + method + "' is not defined by the format; "
                    + "expected \"exact\"");
        }
        double perplexity = testCase.path("attrs").path("perplexity").asDouble();
        double[][] x = EmbeddingJson.matrix(testCase, "X");
        TsneAffinities.Dense affinities = TsneAffinities.dense(x, perplexity);
        int n = affinities.n();
        ObjectNode out = EmbeddingJson.outputs();
        out.set("conditional_P", EmbeddingJson.tensor(affinities.conditional(), n, n));
        out.set("beta", EmbeddingJson.tensor(affinities.beta(), n));
        out.set("P", EmbeddingJson.tensor(affinities.joint(), n, n));
        return out;
    }
}
