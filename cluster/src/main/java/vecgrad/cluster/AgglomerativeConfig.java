package vecgrad.cluster;

/**
 * How to run agglomerative clustering. Validated on construction; change one field with a
 * {@code with...} method.
 *
 * @param linkage    the cluster distance (ward by default, as scikit-learn)
 * @param nClusters  K of the flat cut {@link Dendrogram#cut(int)} that {@link Agglomerative#fitPredict} returns
 */
public record AgglomerativeConfig(Linkage linkage, int nClusters) {
    public AgglomerativeConfig {
        if (linkage == null) {
            throw new IllegalArgumentException("agglomerative: linkage must not be null; got null");
        }
        if (nClusters < 1) {
            throw new IllegalArgumentException("agglomerative: nClusters must be >= 1; got " + nClusters);
        }
    }

    /** Ward linkage cut into {@code nClusters} clusters. */
    public static AgglomerativeConfig of(int nClusters) {
        return new AgglomerativeConfig(Linkage.WARD, nClusters);
    }

    public static AgglomerativeConfig of(Linkage linkage, int nClusters) {
        return new AgglomerativeConfig(linkage, nClusters);
    }

    public AgglomerativeConfig withLinkage(Linkage value) {
        return new AgglomerativeConfig(value, nClusters);
    }

    public AgglomerativeConfig withNClusters(int value) {
        return new AgglomerativeConfig(linkage, value);
    }
}
