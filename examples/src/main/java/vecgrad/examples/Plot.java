package vecgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Minimal PNG plots with javax.imageio: image grids and 2-D scatter plots with Gaussian ellipses. */
final class Plot {
    /** Ten distinguishable colours (the "tab10" palette). */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2),
            new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Plot() {}

    static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /** Grey images [count][h·w] with values in [0, 1] laid out in a grid of {@code cols} columns, each pixel scale×scale. */
    static BufferedImage grid(double[][] images, int h, int w, int cols, int scale) {
        int rows = (images.length + cols - 1) / cols, gap = 2;
        BufferedImage out = new BufferedImage(cols * (w * scale + gap) + gap, rows * (h * scale + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.dispose();
        for (int i = 0; i < images.length; i++) {
            int x0 = gap + (i % cols) * (w * scale + gap), y0 = gap + (i / cols) * (h * scale + gap);
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int v = (int) Math.round(255 * Math.max(0, Math.min(1, images[i][r * w + c])));
                    int rgb = (v << 16) | (v << 8) | v;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            out.setRGB(x0 + c * scale + dx, y0 + r * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** An RGB image [h·w·3] (values in [0, 1]) scaled up by {@code scale}. */
    static BufferedImage rgb(double[] pixels, int h, int w, int scale) {
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < h * scale; r++) {
            for (int c = 0; c < w * scale; c++) {
                int p = ((r / scale) * w + c / scale) * 3;
                int red = channel(pixels[p]), green = channel(pixels[p + 1]), blue = channel(pixels[p + 2]);
                out.setRGB(c, r, (red << 16) | (green << 8) | blue);
            }
        }
        return out;
    }

    /** Two images side by side with a caption under each. */
    static BufferedImage sideBySide(BufferedImage left, String leftCaption, BufferedImage right, String rightCaption) {
        int gap = 10, caption = 22;
        BufferedImage out = new BufferedImage(left.getWidth() + right.getWidth() + 3 * gap,
                Math.max(left.getHeight(), right.getHeight()) + 2 * gap + caption, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(left, gap, gap, null);
        g.drawImage(right, 2 * gap + left.getWidth(), gap, null);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int y = out.getHeight() - gap;
        g.drawString(leftCaption, gap, y);
        g.drawString(rightCaption, 2 * gap + left.getWidth(), y);
        g.dispose();
        return out;
    }

    private static int channel(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }

    /** A scatter plot of 2-D points with optional Gaussian components drawn as 1σ, 2σ and 3σ ellipses. */
    static final class Scatter {
        private static final int SIZE = 640, MARGIN = 50;
        private final BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        private final Graphics2D g = image.createGraphics();
        private final double minX, maxX, minY, maxY;

        Scatter(double[][] points, String title, String xLabel, String yLabel) {
            double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
            double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            for (double[] p : points) {
                for (int a = 0; a < 2; a++) {
                    lo[a] = Math.min(lo[a], p[a]);
                    hi[a] = Math.max(hi[a], p[a]);
                }
            }
            double padX = 0.08 * (hi[0] - lo[0] + 1e-12), padY = 0.08 * (hi[1] - lo[1] + 1e-12);
            minX = lo[0] - padX;
            maxX = hi[0] + padX;
            minY = lo[1] - padY;
            maxY = hi[1] + padY;
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setColor(Color.BLACK);
            g.drawRect(MARGIN, MARGIN, SIZE - 2 * MARGIN, SIZE - 2 * MARGIN);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(title, MARGIN, MARGIN - 15);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(xLabel + String.format("  [%.3g, %.3g]", minX, maxX), MARGIN, SIZE - MARGIN + 30);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel + String.format("  [%.3g, %.3g]", minY, maxY), -(SIZE - MARGIN), MARGIN - 15);
            g.rotate(Math.PI / 2);
        }

        double px(double x) {
            return MARGIN + (x - minX) / (maxX - minX) * (SIZE - 2 * MARGIN);
        }

        double py(double y) {
            return SIZE - MARGIN - (y - minY) / (maxY - minY) * (SIZE - 2 * MARGIN);
        }

        void points(double[][] points, int[] labels) {
            for (int i = 0; i < points.length; i++) {
                g.setColor(PALETTE[Math.floorMod(labels == null ? 0 : labels[i], PALETTE.length)]);
                g.fill(new Ellipse2D.Double(px(points[i][0]) - 2.5, py(points[i][1]) - 2.5, 5, 5));
            }
        }

        /** The mean as a cross and the 1, 2, 3 σ contours of N(mean, cov [2][2]). */
        void gaussian(double[] mean, double[][] cov, Color color) {
            double a = cov[0][0], b = cov[0][1], d = cov[1][1];
            double half = 0.5 * (a + d), root = Math.sqrt(0.25 * (a - d) * (a - d) + b * b);
            double l1 = half + root, l2 = Math.max(0, half - root);
            double angle = Math.abs(b) < 1e-300 ? (a >= d ? 0 : Math.PI / 2) : Math.atan2(l1 - a, b);
            g.setColor(color.darker());
            for (int s = 1; s <= 3; s++) {
                g.setStroke(new BasicStroke(s == 1 ? 2f : 1f));
                Path2D.Double path = new Path2D.Double();
                for (int t = 0; t <= 120; t++) {
                    double phi = 2 * Math.PI * t / 120;
                    double u = s * Math.sqrt(l1) * Math.cos(phi), v = s * Math.sqrt(l2) * Math.sin(phi);
                    double x = mean[0] + u * Math.cos(angle) - v * Math.sin(angle);
                    double y = mean[1] + u * Math.sin(angle) + v * Math.cos(angle);
                    if (t == 0) {
                        path.moveTo(px(x), py(y));
                    } else {
                        path.lineTo(px(x), py(y));
                    }
                }
                g.draw(path);
            }
            g.setStroke(new BasicStroke(3f));
            double cx = px(mean[0]), cy = py(mean[1]);
            g.drawLine((int) cx - 8, (int) cy - 8, (int) cx + 8, (int) cy + 8);
            g.drawLine((int) cx - 8, (int) cy + 8, (int) cx + 8, (int) cy - 8);
        }

        BufferedImage image() {
            return image;
        }
    }
}
