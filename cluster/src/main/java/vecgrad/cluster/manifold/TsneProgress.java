package vecgrad.cluster.manifold;

/** Receives the KL divergence at every check of a t-SNE fit; returning false stops the fit there. */
@FunctionalInterface
public interface TsneProgress {
    /**
     * @param iteration iterations done so far (1-based)
     * @param kl        KL(P ‖ Q) at this iteration (with the exaggerated P during early exaggeration)
     * @return whether to continue
     */
    boolean report(int iteration, double kl);
}
