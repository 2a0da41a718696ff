package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import vecgrad.cluster.Agglomerative;
import vecgrad.cluster.Dendrogram;
import vecgrad.cluster.Linkage;

/**
 * {@code agglomerative} (FORMAT.md §4.6): SciPy's {@code linkage(X, method)} and
 * {@code fcluster(Z, K, "maxclust")}; outputs {@code merges} [n−1, 2], {@code heights} [n−1],
 * {@code sizes} [n−1] and 1-based {@code labels} [n].
 */
public final class AgglomerativeKind implements ClusterKind {
    @Override
    public String kind() {
        return "agglomerative";
    }

    @Override
    public ObjectNode outputs(JsonNode testCase) {
        JsonNode attrs = testCase.path("attrs");
        String metric = attrs.path("metric").asText("euclidean");
        if (!metric.equals("euclidean")) {
            throw new IllegalArgumentException("agglomerative: metric '" + metric + "' is not supported; expected \"euclidean\"");
        }
        Linkage linkage = Linkage.valueOf(attrs.path("linkage").asText().toUpperCase(Locale.ROOT));
        int k = attrs.path("n_clusters").asInt();
        Dendrogram tree = Agglomerative.linkage(EmbeddingJson.matrix(testCase, "X"), linkage);
        int merges = tree.merges();
        int[] pairs = new int[2 * merges];
        for (int s = 0; s < merges; s++) {
            pairs[2 * s] = tree.left(s);
            pairs[2 * s + 1] = tree.right(s);
        }
        int[] labels = tree.cut(k);
        for (int i = 0; i < labels.length; i++) {
            labels[i]++; // fcluster numbers clusters from 1
        }
        ObjectNode out = EmbeddingJson.outputs();
        out.set("merges", EmbeddingJson.tensor(pairs, merges, 2));
        out.set("heights", EmbeddingJson.tensor(tree.heights(), merges));
        out.set("sizes", EmbeddingJson.tensor(tree.sizes(), merges));
        out.set("labels", EmbeddingJson.tensor(labels, tree.n()));
        return out;
    }
}
