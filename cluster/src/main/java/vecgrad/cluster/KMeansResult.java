package vecgrad.cluster;

import java.util.List;

/**
 * A fitted k-means model. Deeply immutable: arrays are copied in and out; records compare array
 * components by reference (use the indexed accessors or {@code Arrays.deepEquals} to compare values).
 *
 * @param centers    [k][d] cluster centers
 * @param labels     [n] index of the center each training sample belongs to
 * @param inertia    Σ_i w_i ‖x_i − centers[labels[i]]‖² (w = 1 without sample weights)
 * @param history    the objective Σ_i w_i min_j ‖x_i − c_j‖² at the assignment step of each iteration of the
 *                   best run, followed by the final inertia; non-increasing
 * @param iterations iterations run by the best run (1-based, as scikit-learn's {@code n_iter_})
 * @param converged  whether the best run stopped on unchanged labels or {@code tol} rather than {@code maxIter}
 * @param warnings   non-fatal findings, e.g. fewer distinct clusters than k because of duplicate points
 */
public record KMeansResult(double[][] centers, int[] labels, double inertia, List<Double> history, int iterations,
                           boolean converged, List<String> warnings) implements Comparable<KMeansResult> {
    public KMeansResult {
        centers = Check.copy(centers);
        labels = labels.clone();
        history = List.copyOf(history);
        warnings = List.copyOf(warnings);
    }

    @Override
    public double[][] centers() {
        return Check.copy(centers);
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Copy-free access: coordinate c of center j. */
    public double center(int j, int c) {
        return centers[j][c];
    }

    public int label(int i) {
        return labels[i];
    }

    public int k() {
        return centers.length;
    }

    public int dimension() {
        return centers[0].length;
    }

    /** [n] index of the nearest center of each row of x [n][d] (lowest index on an exact tie). */
    public int[] predict(double[][] x) {
        Check.matrix("kmeans predict", x, dimension());
        return KMeans.nearest(Points.of(x), flatCenters(), k(), new double[x.length]);
    }

    /** Float32 twin of {@link #predict(double[][])}. */
    public int[] predict(float[][] x) {
        Check.rows("kmeans predict", x, dimension());
        Points points = Points.of(x);
        int[] labels = KMeans.nearest(points, flatCenters(), k(), new double[x.length]);
        points.confirm("kmeans predict"); // the assignment pass also screened x (one read of x, not two)
        return labels;
    }

    /** [n][k] Euclidean distances (not squared) of each row of x [n][d] to each center, computed directly. */
    public double[][] transform(double[][] x) {
        Check.matrix("kmeans transform", x, dimension());
        return KMeans.distances(Points.of(x), flatCenters(), k());
    }

    /** Float32 twin of {@link #transform(double[][])}. */
    public double[][] transform(float[][] x) {
        Check.matrix("kmeans transform", x, dimension());
        return KMeans.distances(Points.of(x), flatCenters(), k());
    }

    /** Σ_i min_j ‖x_i − c_j‖² for new data x [n][d]: the inertia of x under this model (scikit-learn's −score). */
    public double inertia(double[][] x) {
        Check.matrix("kmeans inertia", x, dimension());
        double[] minDist = new double[x.length];
        KMeans.nearest(Points.of(x), flatCenters(), k(), minDist);
        double sum = 0;
        for (double v : minDist) {
            sum += v;
        }
        return sum;
    }

    /** Orders by inertia, so that {@code min} over restarts keeps the best fit. */
    @Override
    public int compareTo(KMeansResult other) {
        return Double.compare(inertia, other.inertia);
    }

    double[] flatCenters() {
        int d = dimension();
        double[] flat = new double[k() * d];
        for (int j = 0; j < k(); j++) {
            System.arraycopy(centers[j], 0, flat, j * d, d);
        }
        return flat;
    }
}
