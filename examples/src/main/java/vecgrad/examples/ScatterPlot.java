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

/** A 2-D scatter plot of points coloured by integer label, written as PNG through javax.imageio. */
final class ScatterPlot {
    /** Tableau's ten categorical colours (matplotlib's default cycle), then grey for further labels. */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2),
            new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    private static final int SIZE = 900;
    private static final int MARGIN = 50;

    private ScatterPlot() {}

    static Color colour(int label) {
        return label >= 0 && label < PALETTE.length ? PALETTE[label] : Color.DARK_GRAY;
    }

    /** Writes points {@code [n][2]} with {@code labels [n]} (null: one colour) and a title to {@code file}. */
    static void write(Path file, double[][] points, int[] labels, String title, String[] legend) throws IOException {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIZE, SIZE);
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double span = Math.max(Math.max(maxX - minX, maxY - minY), 1e-12);
        double scale = (SIZE - 2.0 * MARGIN) / span;
        double offsetX = MARGIN + ((SIZE - 2.0 * MARGIN) - (maxX - minX) * scale) / 2;
        double offsetY = MARGIN + ((SIZE - 2.0 * MARGIN) - (maxY - minY) * scale) / 2;
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(MARGIN / 2, MARGIN / 2, SIZE - MARGIN, SIZE - MARGIN);
        int radius = points.length > 5000 ? 2 : 3;
        for (int i = 0; i < points.length; i++) {
            int px = (int) Math.round(offsetX + (points[i][0] - minX) * scale);
            int py = (int) Math.round(SIZE - (offsetY + (points[i][1] - minY) * scale)); // y grows upwards
            g.setColor(labels == null ? PALETTE[0] : colour(labels[i]));
            g.fillOval(px - radius, py - radius, 2 * radius, 2 * radius);
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.drawString(title, MARGIN / 2 + 4, MARGIN / 2 - 6);
        if (legend != null) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int c = 0; c < legend.length; c++) {
                g.setColor(colour(c));
                g.fillRect(SIZE - MARGIN / 2 - 150, MARGIN / 2 + 8 + 16 * c, 10, 10);
                g.setColor(Color.BLACK);
                g.drawString(legend[c], SIZE - MARGIN / 2 - 134, MARGIN / 2 + 18 + 16 * c);
            }
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
