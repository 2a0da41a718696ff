package vecgrad.cluster;

/**
 * Progress callback for long fits (k-means restarts, EM). Called once per iteration with the
 * objective of that iteration: the inertia for k-means, the mean log-likelihood lower bound for EM.
 * Returning {@code false} stops the fit after this iteration; the result then reports
 * {@code converged = false} and a warning that the listener stopped it.
 */
@FunctionalInterface
public interface FitListener {
    /** @return {@code true} to continue, {@code false} to stop after this iteration */
    boolean onIteration(int iteration, double objective);
}
