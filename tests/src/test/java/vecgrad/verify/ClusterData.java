package vecgrad.verify;

import java.util.SplittableRandom;

/** Seeded data for the clustering tests: Gaussian blobs with known memberships. */
final class ClusterData {
    private ClusterData() {}

    /** Samples [n][d] around k centers drawn in [-10, 10]^d, with spread {@code sigma}; labels in {@link Blobs}. */
    record Blobs(double[][] x, int[] labels, double[][] centers) {}

    static Blobs blobs(SplittableRandom rng, int n, int d, int k, double sigma) {
        double[][] centers = new double[k][d];
        for (double[] c : centers) {
            for (int t = 0; t < d; t++) {
                c[t] = rng.nextDouble(-10, 10);
            }
        }
        double[][] x = new double[n][d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            for (int t = 0; t < d; t++) {
                x[i][t] = centers[labels[i]][t] + sigma * rng.nextGaussian();
            }
        }
        return new Blobs(x, labels, centers);
    }

    static float[][] toFloat(double[][] x) {
        float[][] out = new float[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int t = 0; t < x[i].length; t++) {
                out[i][t] = (float) x[i][t];
            }
        }
        return out;
    }

    /** Rows whose values are exactly representable as float32, so float32 and float64 runs see the same data. */
    static double[][] roundedToFloat(double[][] x) {
        double[][] out = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int t = 0; t < x[i].length; t++) {
                out[i][t] = (float) x[i][t];
            }
        }
        return out;
    }

    /** Old Faithful (272 × 2: eruption minutes, waiting minutes) from shared/data/faithful.csv. */
    static double[][] faithful() throws java.io.IOException {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(SharedDir.resolve("data/faithful.csv"));
        return lines.stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> java.util.Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toArray(double[][]::new);
    }
}
