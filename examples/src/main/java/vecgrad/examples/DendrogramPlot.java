package vecgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import vecgrad.cluster.Dendrogram;

/**
 * A dendrogram drawn as PNG through javax.imageio: U-shaped links at the merge heights, leaves in
 * {@link Dendrogram#leafOrder()}-style order. Large trees show only their last {@code shown} merges
 * (SciPy's {@code truncate_mode="lastp"}): each remaining cluster is one leaf, labelled with its size.
 * Links below the cut into K clusters take the cluster's colour.
 */
final class DendrogramPlot {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 700;
    private static final int MARGIN = 60;

    private DendrogramPlot() {}

    static void write(Path file, Dendrogram tree, int shownLeaves, int k, String title) throws IOException {
        int n = tree.n();
        int merges = tree.merges();
        int leaves = Math.min(n, Math.max(2, shownLeaves));
        // Nodes below this id are drawn as leaves: the clusters left after the first n − leaves merges.
        int firstShownMerge = n - leaves;
        int nodes = n + merges;
        double[] x = new double[nodes];
        double[] y = new double[nodes];
        int[] size = new int[nodes];
        int[] anyLeaf = new int[nodes];
        for (int i = 0; i < n; i++) {
            size[i] = 1;
            anyLeaf[i] = i;
        }
        for (int s = 0; s < merges; s++) {
            size[n + s] = tree.size(s);
            anyLeaf[n + s] = anyLeaf[tree.left(s)];
            y[n + s] = tree.height(s);
        }
        int[] labels = tree.cut(Math.max(1, k));
        double maxHeight = merges == 0 ? 1 : Math.max(tree.height(merges - 1), 1e-12);
        // Place displayed leaves left to right by an explicit-stack traversal from the root.
        int[] stack = new int[nodes];
        int top = 0, position = 0;
        stack[top++] = nodes - 1;
        int[] order = new int[nodes];
        int visited = 0;
        while (top > 0) {
            int node = stack[--top];
            order[visited++] = node;
            if (isShownLeaf(node, n, firstShownMerge)) {
                x[node] = position++;
                y[node] = 0;
            } else {
                stack[top++] = tree.right(node - n);
                stack[top++] = tree.left(node - n);
            }
        }
        for (int v = visited - 1; v >= 0; v--) { // children before parents
            int node = order[v];
            if (!isShownLeaf(node, n, firstShownMerge)) {
                x[node] = (x[tree.left(node - n)] + x[tree.right(node - n)]) / 2;
            }
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double plotWidth = WIDTH - 2.0 * MARGIN, plotHeight = HEIGHT - 2.0 * MARGIN;
        double stepX = plotWidth / Math.max(1, position - 1 + 1);
        java.util.function.DoubleUnaryOperator px = value -> MARGIN + stepX / 2 + value * stepX;
        java.util.function.DoubleUnaryOperator py = value -> HEIGHT - MARGIN - value / maxHeight * plotHeight;
        g.setStroke(new BasicStroke(1.2f));
        double cutHeight = k > 1 && n - k - 1 >= 0 && n - k < merges ? (tree.height(n - k - 1) + tree.height(n - k)) / 2 : -1;
        for (int v = 0; v < visited; v++) {
            int node = order[v];
            if (isShownLeaf(node, n, firstShownMerge)) {
                continue;
            }
            int s = node - n;
            int a = tree.left(s), b = tree.right(s);
            boolean belowCut = s < n - Math.max(1, k);
            g.setColor(belowCut ? ScatterPlot.colour(labels[anyLeaf[node]]) : Color.BLACK);
            int xa = (int) px.applyAsDouble(x[a]), xb = (int) px.applyAsDouble(x[b]);
            int ya = (int) py.applyAsDouble(y[a]), yb = (int) py.applyAsDouble(y[b]);
            int yn = (int) py.applyAsDouble(y[node]);
            g.drawLine(xa, ya, xa, yn);
            g.drawLine(xb, yb, xb, yn);
            g.drawLine(xa, yn, xb, yn);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int v = 0; v < visited; v++) {
            int node = order[v];
            if (isShownLeaf(node, n, firstShownMerge) && position <= 120) {
                String text = node < n ? String.valueOf(node) : "(" + size[node] + ")";
                g.setColor(ScatterPlot.colour(labels[anyLeaf[node]]));
                g.drawString(text, (int) px.applyAsDouble(x[node]) - 3 * text.length(), HEIGHT - MARGIN + 14);
            }
        }
        g.setColor(Color.BLACK);
        g.drawLine(MARGIN, HEIGHT - MARGIN, MARGIN, MARGIN);
        for (int tick = 0; tick <= 4; tick++) {
            double value = maxHeight * tick / 4;
            int ty = (int) py.applyAsDouble(value);
            g.drawLine(MARGIN - 4, ty, MARGIN, ty);
            g.drawString(String.format("%.3g", value), 4, ty + 4);
        }
        if (cutHeight > 0) {
            g.setColor(Color.GRAY);
            int cy = (int) py.applyAsDouble(cutHeight);
            g.drawLine(MARGIN, cy, WIDTH - MARGIN, cy);
            g.drawString("cut: K = " + k, WIDTH - MARGIN - 70, cy - 4);
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.drawString(title, MARGIN, MARGIN / 2);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static boolean isShownLeaf(int node, int n, int firstShownMerge) {
        return node < n || node - n < firstShownMerge;
    }
}
