package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vecgrad.cluster.KMeans;
import vecgrad.cluster.KMeansConfig;
import vecgrad.cluster.KMeansResult;

/** {@code kmeans_lloyd}: Lloyd's iteration from given centers, one run (FORMAT.md §4.1). */
final class KMeansLloydKind implements ClusterKind {
    @Override
    public String kind() {
        return "kmeans_lloyd";
    }

    @Override
    public ObjectNode outputs(JsonNode testCase) {
        double[][] x = ClusterJson.matrix(ClusterJson.input(testCase, "X"));
        double[][] init = ClusterJson.matrix(ClusterJson.input(testCase, "init"));
        // tol is the relative tolerance; KMeans scales it by the mean feature variance itself (= attrs.tol_abs).
        KMeansConfig config = KMeansConfig.fromCenters(init)
                .withMaxIter(ClusterJson.attr(testCase, "max_iter").asInt())
                .withTol(ClusterJson.attr(testCase, "tol").asDouble());
        KMeansResult fit = KMeans.fit(config, x);
        ObjectNode out = ClusterJson.object();
        out.set("centers", ClusterJson.matrix(fit.centers()));
        out.set("labels", ClusterJson.vector(fit.labels()));
        out.set("inertia", ClusterJson.scalar(fit.inertia()));
        out.set("n_iter", ClusterJson.scalar(fit.iterations()));
        return out;
    }
}
