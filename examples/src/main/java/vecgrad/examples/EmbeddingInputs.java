package vecgrad.examples;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/** Data for the tsne and hcluster commands: seeded Gaussian blobs, Fashion-MNIST (IDX) subsets, numeric CSV. */
final class EmbeddingInputs {
    /** Where Debian-style dataset packages put Fashion-MNIST. */
    static final Path FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");
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

    /**
     * A seeded subset of {@code n} Fashion-MNIST training images (or the first n), pixels / 255, with their labels.
     * Reads the IDX files (gzip or plain) directly: magic 2051/2049, big-endian counts, bytes.
     */
    static Labelled fashion(int n, long seed, boolean first) throws IOException {
        byte[][] images = readIdx(FASHION_DIR.resolve("train-images-idx3-ubyte.gz"), 2051);
        byte[][] labelRows = readIdx(FASHION_DIR.resolve("train-labels-idx1-ubyte.gz"), 2049);
        int total = images.length;
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
        double[][] x = new double[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] pixels = images[order[i]];
            x[i] = new double[pixels.length];
            for (int p = 0; p < pixels.length; p++) {
                x[i][p] = (pixels[p] & 0xff) / 255.0;
            }
            labels[i] = labelRows[order[i]][0] & 0xff;
        }
        return new Labelled(x, labels);
    }

    /** Items of an IDX file as byte rows (one row per item). */
    private static byte[][] readIdx(Path file, int magic) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("Fashion-MNIST not found: " + file + " does not exist");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16))) {
            int found = data.readInt();
            if (found != magic) {
                throw new IOException(file + ": offset 0: magic number " + found + ", expected " + magic);
            }
            int count = data.readInt();
            int itemSize = 1;
            for (int dim = 0; dim < (magic & 0xff) - 1; dim++) {
                itemSize *= data.readInt();
            }
            byte[][] rows = new byte[count][itemSize];
            for (byte[] row : rows) {
                data.readFully(row);
            }
            return rows;
        }
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
