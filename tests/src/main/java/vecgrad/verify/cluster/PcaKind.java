package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vecgrad.cluster.Pca;
import vecgrad.cluster.PcaResult;

/** {@code pca}: top-k principal components with ddof = 1 (FORMAT.md §4.7). */
final class PcaKind implements ClusterKind {
    @Override
    public String kind() {
        return "pca";
    }

    @Override
    public ObjectNode outputs(JsonNode testCase) {
        double[][] x = ClusterJson.matrix(ClusterJson.input(testCase, "X"));
        PcaResult pca = Pca.fit(x, ClusterJson.attr(testCase, "n_components").asInt());
        ObjectNode out = ClusterJson.object();
        out.set("mean", ClusterJson.vector(pca.mean()));
        out.set("components", ClusterJson.matrix(pca.components()));
        out.set("explained_variance", ClusterJson.vector(pca.explainedVariance()));
        out.set("explained_variance_ratio", ClusterJson.vector(pca.explainedVarianceRatio()));
        out.set("singular_values", ClusterJson.vector(pca.singularValues()));
        out.set("transformed", ClusterJson.matrix(pca.transform(x)));
        return out;
    }
}
