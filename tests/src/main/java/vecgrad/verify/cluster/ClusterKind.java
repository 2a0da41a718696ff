package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs the cases of one kind of {@code cluster-conformance/1} file (see
 * {@code shared/conformance-cluster/FORMAT.md}): k-means, EM, t-SNE, linkage or PCA.
 */
public interface ClusterKind {
    /** The {@code kind} string of the cases this handler runs, e.g. {@code "kmeans_lloyd"}. */
    String kind();

    /**
     * Runs one case and returns its {@code outputs} object: each expected name mapped to
     * {@code {"shape": [...], "data": [...]}}, computed by vecgrad from the case's inputs and attrs.
     */
    ObjectNode outputs(JsonNode testCase);
}
