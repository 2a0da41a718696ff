package vecgrad.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.Set;
import vecgrad.cluster.CovarianceType;
import vecgrad.cluster.GaussianMixture;
import vecgrad.cluster.GaussianMixtureConfig;
import vecgrad.cluster.GaussianMixtureResult;
import vecgrad.verify.SharedDir;

/** Gaussian mixture EM on 2-D data (seed 003, Old Faithful): parameters, log-likelihood, BIC, and a PNG. */
final class GmmCommand implements Command {
    @Override
    public String name() {
        return "gmm";
    }

    @Override
    public String summary() {
        return "Gaussian mixture EM on 2-D data (Old Faithful or synthetic); PNG of points and ellipses";
    }

    @Override
    public String usage() {
        return """
                usage: ./vecgrad gmm [--data faithful|synthetic|FILE.csv] [--k 2] [--type full|diag|tied|spherical]
                                     [--seed 42] [--out out]
                  Fits a K-component Gaussian mixture by EM (k-means initialization, tol 1e-6) to the first two
                  columns of a CSV (a header line is skipped) - by default Old Faithful from
                  shared/data/faithful.csv - or to built-in synthetic data (three correlated Gaussians).
                  Prints weights, means, covariances, the mean log-likelihood, BIC and AIC, and writes
                  OUT/gmm.png: points coloured by component, means, and 1-3 sigma ellipses.""";
    }

    @Override
    public int run(String[] args) throws Exception {
        CliArgs options = new CliArgs(args, Set.of("data", "k", "type", "seed", "out"));
        String source = options.string("data", "faithful");
        double[][] x;
        String[] axes = {"x", "y"};
        int defaultK;
        if (source.equals("synthetic")) {
            x = synthetic(new SplittableRandom(options.seed()), 600);
            defaultK = 3;
        } else {
            Path csv = source.equals("faithful") ? SharedDir.resolve("data/faithful.csv") : Path.of(source);
            List<String> lines = Files.readAllLines(csv);
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String[] cells = lines.get(i).split(",");
                if (lines.get(i).isBlank()) {
                    continue;
                }
                if (cells.length < 2) {
                    throw new IllegalArgumentException(csv + ": line " + (i + 1) + " has fewer than 2 columns");
                }
                try {
                    rows.add(new double[] {Double.parseDouble(cells[0].trim()), Double.parseDouble(cells[1].trim())});
                } catch (NumberFormatException e) {
                    if (i != 0) {
                        throw new IllegalArgumentException(csv + ": line " + (i + 1) + " is not numeric: " + lines.get(i));
                    }
                    axes = new String[] {cells[0].replace("\"", "").trim(), cells[1].replace("\"", "").trim()};
                }
            }
            x = rows.toArray(double[][]::new);
            defaultK = 2;
        }
        int k = options.integer("k", defaultK);
        CovarianceType type = CovarianceType.valueOf(options.string("type", "full").toUpperCase(Locale.ROOT));
        long start = System.nanoTime();
        GaussianMixtureResult fit = GaussianMixture.fit(GaussianMixtureConfig.of(k, options.seed())
                .withCovarianceType(type).withTol(1e-6).withMaxIter(1000), x);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("GMM on %s: %d points, K = %d, %s covariances; %d EM iterations (%s) in %.3f s%n", source,
                x.length, k, type.name().toLowerCase(Locale.ROOT), fit.iterations(),
                fit.converged() ? "converged" : "not converged", seconds);
        for (int j = 0; j < k; j++) {
            System.out.printf("  component %d: weight %.4f  mean (%.4f, %.4f)  covariance [[%.4f, %.4f], [%.4f, %.4f]]%n",
                    j, fit.weight(j), fit.mean(j, 0), fit.mean(j, 1), fit.covariance(j, 0, 0), fit.covariance(j, 0, 1),
                    fit.covariance(j, 1, 0), fit.covariance(j, 1, 1));
        }
        System.out.printf("  mean log-likelihood %.6f   BIC %.2f   AIC %.2f%n", fit.score(x), fit.bic(x), fit.aic(x));
        for (String warning : fit.warnings()) {
            System.out.println("  warning: " + warning);
        }
        Plot.Scatter plot = new Plot.Scatter(x, "Gaussian mixture, K = " + k + " (" + type.name().toLowerCase(Locale.ROOT)
                + "), mean log-likelihood " + String.format("%.4f", fit.score(x)), axes[0], axes[1]);
        plot.points(x, fit.predict(x));
        for (int j = 0; j < k; j++) {
            plot.gaussian(fit.means()[j], fit.covariances()[j], Plot.PALETTE[j % Plot.PALETTE.length]);
        }
        Path png = options.outDir("out").resolve("gmm.png");
        Plot.write(plot.image(), png);
        System.out.println("wrote " + png);
        return 0;
    }

    /** Three correlated 2-D Gaussians of n points in all. */
    static double[][] synthetic(SplittableRandom rng, int n) {
        double[][] means = {{0, 0}, {6, 2}, {2, 7}};
        double[][][] factors = {{{1.5, 0}, {0.9, 0.6}}, {{0.6, 0}, {-0.3, 1.2}}, {{1.0, 0}, {0.0, 0.4}}};
        double[][] x = new double[n][2];
        for (int i = 0; i < n; i++) {
            int j = i % 3;
            double z0 = rng.nextGaussian(), z1 = rng.nextGaussian();
            x[i][0] = means[j][0] + factors[j][0][0] * z0;
            x[i][1] = means[j][1] + factors[j][1][0] * z0 + factors[j][1][1] * z1;
        }
        return x;
    }
}
