package vecgrad.cluster;

/**
 * A fitted PCA: the top-k principal axes of the training data. Deeply immutable (arrays copied in and
 * out; records compare array components by reference).
 *
 * @param mean                   [d] column means of the training data
 * @param components             [k][d] unit principal axes, by decreasing variance; each row's entry of
 *                               largest magnitude is positive
 * @param explainedVariance      [k] variance along each axis (eigenvalues of the covariance with ddof = 1)
 * @param explainedVarianceRatio [k] explainedVariance over the total variance of all d features
 * @param singularValues         [k] singular values of the centered data, sqrt(explainedVariance · (n − 1))
 * @param samples                n, the number of training samples
 */
public record PcaResult(double[] mean, double[][] components, double[] explainedVariance,
                        double[] explainedVarianceRatio, double[] singularValues, int samples) {
    public PcaResult {
        mean = mean.clone();
        components = Check.copy(components);
        explainedVariance = explainedVariance.clone();
        explainedVarianceRatio = explainedVarianceRatio.clone();
        singularValues = singularValues.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[][] components() {
        return Check.copy(components);
    }

    @Override
    public double[] explainedVariance() {
        return explainedVariance.clone();
    }

    @Override
    public double[] explainedVarianceRatio() {
        return explainedVarianceRatio.clone();
    }

    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    public int k() {
        return components.length;
    }

    public int dimension() {
        return mean.length;
    }

    /** Copy-free access: coordinate c of component j. */
    public double component(int j, int c) {
        return components[j][c];
    }

    /** [n][k] scores (x − mean) · componentsᵀ of x [n][d]. */
    public double[][] transform(double[][] x) {
        Check.matrix("pca transform", x, dimension());
        int d = dimension();
        double[][] out = new double[x.length][k()];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < k(); j++) {
                double sum = 0;
                for (int c = 0; c < d; c++) {
                    sum += (x[i][c] - mean[c]) * components[j][c];
                }
                out[i][j] = sum;
            }
        }
        return out;
    }

    /** Float32 twin of {@link #transform(double[][])}. */
    public double[][] transform(float[][] x) {
        return transform(Pca.widen("pca transform", x));
    }

    /** [n][d] reconstruction scores · components + mean of scores [n][k]. */
    public double[][] inverseTransform(double[][] scores) {
        if (scores == null || scores.length == 0 || scores[0].length != k()) {
            throw Check.fail("pca inverse_transform", "scores do not match the components",
                    scores == null ? "null" : "[" + scores.length + ", " + (scores.length == 0 ? 0 : scores[0].length) + "]",
                    "[n, " + k() + "]");
        }
        Check.matrix("pca inverse_transform", scores);
        int d = dimension();
        double[][] out = new double[scores.length][d];
        for (int i = 0; i < scores.length; i++) {
            for (int c = 0; c < d; c++) {
                double sum = mean[c];
                for (int j = 0; j < k(); j++) {
                    sum += scores[i][j] * components[j][c];
                }
                out[i][c] = sum;
            }
        }
        return out;
    }
}
