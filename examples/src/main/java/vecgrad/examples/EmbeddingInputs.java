package vecgrad.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import vecgrad.nn.data.IdxReader;

/** Data for the tsne and hcluster commands: seeded Gaussian blobs, Fashion-MNIST (IDX) subsets, numeric CSV. */
final class EmbeddingInputs {
    /** Where Debian-style dataset packages put Fashion-MNIST. */
    static final String[] FASHION_CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot"};

    /** Points and (possibly null) labels. */
    record Labelled(double[][] x, int[] labels) {}

    private EmbeddingInputs() {}

    /** {@code n} points in {@code clusters} Gaussian blobs (unit spread, centres drawn in [−10, 10]^d) in d dimensions. */
    static Labelled blobs(int n, int clusters, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = new double[clusters][d];
        for (double[] centre : centres) {
            for (int j = 0; j < d; j++) {
                centre[j] = rng.nextDouble(-10, 10);
            }
        }
        double[][] x = new double[n][d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % clusters;
            for (int j = 0; j < d; j++) {
                x[i][j] = centres[labels[i]][j] + rng.nextGaussian();
            }
        }
        return new Labelled(x, labels);
    }

    /** A seeded subset of {@code n} Fashion-MNIST training images (or the first n), pixels / 255, with their labels. */
    static Labelled fashion(int n, long seed, boolean first) {
        IdxReader.Dataset data = IdxReader.fashionMnist(true);
        IdxReader.Images images = data.images();
        int[] allLabels = data.labels();
        int total = images.count();
        if (n > total) {
            throw new IllegalArgumentException("--fashion: only " + total + " images; got " + n);
        }
        int[] order = new int[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n && !first; i++) { // partial Fisher-Yates: the first n are a seeded sample
            int j = i + rng.nextInt(total - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int rows = images.rows(), cols = images.cols();
        double[][] x = new double[n][rows * cols];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    x[i][r * cols + c] = images.pixel(order[i], r, c) / 255.0;
                }
            }
            labels[i] = allLabels[order[i]];
        }
        return new Labelled(x, labels);
    }

    /**
     * A numeric CSV: every column is a feature, except {@code labelColumn} (−1: none) which holds
     * integer labels. A first line that does not parse as numbers is a header.
     */
    static Labelled csv(Path file, int labelColumn) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int lineNo = 0; lineNo < lines.size(); lineNo++) {
            String line = lines.get(lineNo).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split("[,;\\s]+");
            try {
                double[] row = new double[cells.length - (labelColumn >= 0 ? 1 : 0)];
                int at = 0;
                for (int c = 0; c < cells.length; c++) {
                    if (c == labelColumn) {
                        labels.add((int) Double.parseDouble(cells[c]));
                    } else {
                        row[at++] = Double.parseDouble(cells[c].replace("\"", ""));
                    }
                }
                rows.add(row);
            } catch (NumberFormatException e) {
                if (rows.isEmpty() && lineNo == 0) {
                    continue; // a header line
                }
                throw new IllegalArgumentException(file + ": line " + (lineNo + 1) + ": not a number: " + e.getMessage());
            }
        }
        int[] y = labelColumn >= 0 ? labels.stream().mapToInt(Integer::intValue).toArray() : null;
        return new Labelled(rows.toArray(double[][]::new), y);
    }
}
