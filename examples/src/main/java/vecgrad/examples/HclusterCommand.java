package vecgrad.examples;

import java.nio.file.Path;
import java.util.Locale;
import vecgrad.cluster.Agglomerative;
import vecgrad.cluster.Dendrogram;
import vecgrad.cluster.Linkage;
import vecgrad.cluster.metrics.AdjustedRand;

/** Agglomerative clustering of synthetic blobs or a CSV: the cut into K clusters and a dendrogram PNG. */
final class HclusterCommand implements Command {
    @Override
    public String name() {
        return "hcluster";
    }

    @Override
    public String summary() {
        return "agglomerative clustering (single/complete/average/ward): cut into K clusters and a dendrogram PNG";
    }

    @Override
    public String usage() {
        return """
                usage: ./vecgrad hcluster [--n N] [--clusters K] [--dim D] [--csv FILE [--label-column C]]
                                          [--linkage ward|single|complete|average] [--seed S] [--leaves L]
                                          [--out FILE.png]
                  Clusters N points (default 300) of K seeded Gaussian blobs (default 4) in D dimensions
                  (default 2), or the rows of a numeric CSV (a non-numeric first line is a header; column C,
                  0-based, holds integer labels if given). Prints the merge heights at the top of the tree,
                  the sizes of the K clusters of the cut (SciPy's fcluster maxclust) and, when labels are
                  known, the table of clusters against labels. Writes a dendrogram (default dendrogram.png)
                  showing the last L merges (default 40) with the K clusters coloured.""";
    }

    @Override
    public int run(String[] args) throws Exception {
        int n = 300, k = 4, dim = 2, labelColumn = -1, leaves = 40;
        long seed = 0;
        Linkage linkage = Linkage.WARD;
        Path csv = null;
        Path out = Path.of("dendrogram.png");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value (see --help)");
            }
            String value = args[++i];
            switch (option) {
                case "--n" -> n = Integer.parseInt(value);
                case "--clusters" -> k = Integer.parseInt(value);
                case "--dim" -> dim = Integer.parseInt(value);
                case "--csv" -> csv = Path.of(value);
                case "--label-column" -> labelColumn = Integer.parseInt(value);
                case "--linkage" -> linkage = Linkage.valueOf(value.toUpperCase(Locale.ROOT));
                case "--seed" -> seed = Long.parseLong(value);
                case "--leaves" -> leaves = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option '" + option + "' (see --help)");
            }
        }
        if (k < 1) {
            throw new IllegalArgumentException("--clusters must be >= 1; got " + k);
        }
        EmbeddingInputs.Labelled data = csv != null ? EmbeddingInputs.csv(csv, labelColumn)
                : EmbeddingInputs.blobs(n, k, dim, seed);
        String source = csv != null ? csv.getFileName().toString() : n + " points in " + k + " blobs, " + dim + "-D";
        long start = System.nanoTime();
        Dendrogram tree = Agglomerative.linkage(data.x(), linkage);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s linkage of %s: %d merges in %.3f s%n", linkage.name().toLowerCase(Locale.ROOT), source,
                tree.merges(), seconds);
        int top = Math.min(tree.merges(), Math.max(k, 5));
        System.out.print("top merge heights:");
        for (int s = tree.merges() - 1; s >= tree.merges() - top; s--) {
            System.out.printf(" %.4g", tree.height(s));
        }
        System.out.println();
        int[] labels = tree.cut(k);
        int found = 0;
        for (int label : labels) {
            found = Math.max(found, label + 1);
        }
        int[] sizes = new int[found];
        for (int label : labels) {
            sizes[label]++;
        }
        System.out.printf("cut into K = %d: %d clusters, sizes %s%n", k, found, java.util.Arrays.toString(sizes));
        if (data.labels() != null) {
            printTable(labels, found, data.labels());
            System.out.printf(Locale.ROOT, "adjusted Rand index against the labels: %.4f (1 = same partition)%n",
                    AdjustedRand.score(data.labels(), labels));
        }
        DendrogramPlot.write(out, tree, leaves, k, String.format("%s linkage, %s",
                linkage.name().toLowerCase(Locale.ROOT), source));
        System.out.println("wrote " + out);
        return 0;
    }

    /** Counts of points per (cluster, true label). */
    private static void printTable(int[] clusters, int found, int[] truth) {
        int classes = 0;
        for (int label : truth) {
            classes = Math.max(classes, label + 1);
        }
        int[][] counts = new int[found][classes];
        for (int i = 0; i < clusters.length; i++) {
            counts[clusters[i]][truth[i]]++;
        }
        StringBuilder text = new StringBuilder("cluster \\ label");
        for (int c = 0; c < classes; c++) {
            text.append(String.format("%7d", c));
        }
        System.out.println(text);
        for (int k = 0; k < found; k++) {
            text.setLength(0);
            text.append(String.format("%15d", k));
            for (int c = 0; c < classes; c++) {
                text.append(String.format("%7d", counts[k][c]));
            }
            System.out.println(text);
        }
    }
}
