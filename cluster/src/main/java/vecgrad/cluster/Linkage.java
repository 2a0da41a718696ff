package vecgrad.cluster;

/**
 * How the distance between two clusters A and B follows from the Euclidean point distances δ
 * (SciPy's {@code linkage} methods of the same names).
 */
public enum Linkage {
    /** min δ over the pairs: chains clusters along close points. */
    SINGLE,
    /** max δ over the pairs: compact clusters of bounded diameter. */
    COMPLETE,
    /** mean δ over all |A|·|B| pairs (UPGMA). */
    AVERAGE,
    /**
     * sqrt(2·|A|·|B| / (|A| + |B|)) · ‖mean(A) − mean(B)‖ = sqrt(2·ΔSSE): merges the pair that
     * increases the within-cluster sum of squares least.
     */
    WARD
}
