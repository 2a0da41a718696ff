package vecgrad.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Inputs of the t-SNE and Ward benchmarks: the first n Fashion-MNIST training images (/255) when
 * {@code /usr/share/datasets/fashion-mnist} exists (the scikit-learn peer script reads the same rows),
 * else seeded Gaussian blobs; and a realistic 2-D embedding for single gradient steps.
 */
final class EmbeddingBenchData {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

    private EmbeddingBenchData() {}

    /** The first n Fashion-MNIST images as [n][784] in [0, 1], or null when the file is absent. */
    static double[][] fashionFirst(int n) {
        if (!Files.exists(FASHION)) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(FASHION);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(raw, 1 << 16)))) {
            if (in.readInt() != 2051) {
                throw new IOException(FASHION + ": offset 0: not an IDX image file (magic != 2051)");
            }
            int count = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (n > count) {
                throw new IllegalArgumentException("fashion: only " + count + " images; got n = " + n);
            }
            double[][] x = new double[n][rows * cols];
            byte[] pixels = new byte[rows * cols];
            for (double[] image : x) {
                in.readFully(pixels);
                for (int p = 0; p < pixels.length; p++) {
                    image[p] = (pixels[p] & 0xff) / 255.0;
                }
            }
            return x;
        } catch (IOException e) {
            throw new IllegalStateException("fashion: cannot read " + FASHION + ": " + e.getMessage(), e);
        }
    }

    /** n points in {@code clusters} unit-variance Gaussian blobs with centres drawn in [−10, 10]^d. */
    static double[][] blobs(int n, int clusters, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = new double[clusters][d];
        for (double[] centre : centres) {
            for (int j = 0; j < d; j++) {
                centre[j] = rng.nextDouble(-10, 10);
            }
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = centres[i % clusters][j] + rng.nextGaussian();
            }
        }
        return x;
    }

    /** A final-stage-like embedding [n * 2]: ten clusters of spread 8 on a circle of radius 40. */
    static double[] embedding(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * (i % 10) / 10;
            y[2 * i] = 40 * Math.cos(angle) + 8 * rng.nextGaussian();
            y[2 * i + 1] = 40 * Math.sin(angle) + 8 * rng.nextGaussian();
        }
        return y;
    }

    static double[] flat(double[][] x) {
        int d = x[0].length;
        double[] out = new double[x.length * d];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, out, i * d, d);
        }
        return out;
    }
}
