package vecgrad.cluster;

/**
 * Shape of the component covariances of a {@link GaussianMixture}, as scikit-learn's {@code covariance_type}.
 * Layout of {@code precisionsInit} (flat, row-major) per type: FULL [K, d, d], TIED [d, d], DIAG [K, d],
 * SPHERICAL [K].
 */
public enum CovarianceType {
    /** Each component has its own symmetric positive definite matrix Σ_k [d, d]. */
    FULL,
    /** All components share one matrix Σ [d, d]. */
    TIED,
    /** Each component has its own diagonal covariance [d]. */
    DIAG,
    /** Each component has a single variance σ²_k, covariance σ²_k·I. */
    SPHERICAL;

    /** Free covariance parameters of K components in d dimensions. */
    long covarianceParameters(int k, int d) {
        return switch (this) {
            case FULL -> (long) k * d * (d + 1) / 2;
            case TIED -> (long) d * (d + 1) / 2;
            case DIAG -> (long) k * d;
            case SPHERICAL -> k;
        };
    }

    /** Length of a flat precision (or covariance) array for K components in d dimensions. */
    int parameterLength(int k, int d) {
        return switch (this) {
            case FULL -> k * d * d;
            case TIED -> d * d;
            case DIAG -> k * d;
            case SPHERICAL -> k;
        };
    }
}
