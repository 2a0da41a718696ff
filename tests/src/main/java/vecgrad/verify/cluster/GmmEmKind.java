package vecgrad.verify.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import vecgrad.cluster.CovarianceType;
import vecgrad.cluster.GaussianMixture;
import vecgrad.cluster.GaussianMixtureConfig;
import vecgrad.cluster.GaussianMixtureResult;

/** {@code gmm_em}: EM from given weights, means and precisions for exactly max_iter iterations (FORMAT.md §4.3). */
final class GmmEmKind implements ClusterKind {
    @Override
    public String kind() {
        return "gmm_em";
    }

    @Override
    public ObjectNode outputs(JsonNode testCase) {
        double[][] x = ClusterJson.matrix(ClusterJson.input(testCase, "X"));
        double[][] query = ClusterJson.matrix(ClusterJson.input(testCase, "X_query"));
        CovarianceType type = CovarianceType.valueOf(
                ClusterJson.attr(testCase, "covariance_type").asText().toUpperCase(Locale.ROOT));
        GaussianMixtureConfig config = GaussianMixtureConfig.of(ClusterJson.attr(testCase, "n_components").asInt(), 0)
                .withCovarianceType(type)
                .withMaxIter(ClusterJson.attr(testCase, "max_iter").asInt())
                .withTol(ClusterJson.attr(testCase, "tol").asDouble())
                .withRegCovar(ClusterJson.attr(testCase, "reg_covar").asDouble())
                .withWeightsInit(ClusterJson.data(ClusterJson.input(testCase, "weights_init")))
                .withMeansInit(ClusterJson.matrix(ClusterJson.input(testCase, "means_init")))
                .withPrecisionsInit(ClusterJson.data(ClusterJson.input(testCase, "precisions_init")));
        GaussianMixtureResult fit = GaussianMixture.fit(config, x);
        int k = fit.k(), d = fit.dimension();
        int[] covarianceShape = switch (type) {
            case FULL -> new int[] {k, d, d};
            case TIED -> new int[] {d, d};
            case DIAG -> new int[] {k, d};
            case SPHERICAL -> new int[] {k};
        };
        ObjectNode out = ClusterJson.object();
        out.set("weights", ClusterJson.vector(fit.weights()));
        out.set("means", ClusterJson.matrix(fit.means()));
        out.set("covariances", ClusterJson.tensor(covarianceShape, fit.compactCovariances()));
        out.set("lower_bound", ClusterJson.scalar(fit.lowerBound()));
        out.set("mean_loglik", ClusterJson.scalar(fit.score(x)));
        out.set("score_samples", ClusterJson.vector(fit.scoreSamples(query)));
        out.set("predict_proba", ClusterJson.matrix(fit.predictProba(query)));
        return out;
    }
}
