package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vecgrad.cluster.KMeans;

/** {@code kmeans_inertia_predict}: assignment to given centers, inertia and distances (FORMAT.md §4.2). */
final class KMeansInertiaPredictKind implements ClusterKind {
    @Override
    public String kind() {
        return "kmeans_inertia_predict";
    }

    @Override
    public ObjectNode outputs(JsonNode testCase) {
        double[][] x = ClusterJson.matrix(ClusterJson.input(testCase, "X"));
        double[][] centers = ClusterJson.matrix(ClusterJson.input(testCase, "centers"));
        ObjectNode out = ClusterJson.object();
        out.set("labels", ClusterJson.vector(KMeans.predict(centers, x)));
        out.set("inertia", ClusterJson.scalar(KMeans.inertia(centers, x)));
        out.set("distances", ClusterJson.matrix(KMeans.transform(centers, x)));
        return out;
    }
}
