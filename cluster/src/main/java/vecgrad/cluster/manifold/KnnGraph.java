package vecgrad.cluster.manifold;

/**
 * The k nearest neighbours of n points: row i lists its neighbours in increasing distance.
 * Deeply immutable: arrays are copied in and out; {@link #index(int, int)} and
 * {@link #squaredDistance(int, int)} are the copy-free accessors.
 *
 * @param n                number of query points
 * @param k                neighbours per point
 * @param indices          [n, k] row-major neighbour indices
 * @param squaredDistances [n, k] row-major squared Euclidean distances
 */
public record KnnGraph(int n, int k, int[] indices, double[] squaredDistances) {
    public KnnGraph {
        if (indices.length != (long) n * k || squaredDistances.length != (long) n * k) {
            throw new IllegalArgumentException("knn graph: arrays do not match [n, k]; got " + indices.length + " indices and "
                    + squaredDistances.length + " distances, expected " + ((long) n * k) + " each");
        }
        indices = indices.clone();
        squaredDistances = squaredDistances.clone();
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public double[] squaredDistances() {
        return squaredDistances.clone();
    }

    /** The r-th nearest neighbour of point i (r = 0 is the nearest). */
    public int index(int i, int r) {
        return indices[i * k + r];
    }

    /** Squared distance from point i to its r-th nearest neighbour. */
    public double squaredDistance(int i, int r) {
        return squaredDistances[i * k + r];
    }
}
