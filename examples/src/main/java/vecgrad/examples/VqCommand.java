package vecgrad.examples;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.Set;
import vecgrad.cluster.KMeansConfig;
import vecgrad.cluster.VectorQuantizer;
import vecgrad.nn.data.IdxReader;

/** Vector quantization of an image with K colours (seed 003): bit cost, error, before/after PNG. */
final class VqCommand implements Command {
    @Override
    public String name() {
        return "vq";
    }

    @Override
    public String summary() {
        return "compress an image with K colours (vector quantization); before/after PNG";
    }

    @Override
    public String usage() {
        return """
                usage: ./vecgrad vq [--k 4] [--image synthetic|fashion] [--seed 42] [--out out]
                  Learns a codebook of K colours with k-means (seed 003, "vector quantization") and replaces
                  every pixel by its nearest codeword. --image synthetic (default) draws a 128x128 RGB test
                  picture; --image fashion uses an 8x8 grid of Fashion-MNIST test images (grey, one channel).
                  Prints the raw bits N·C·8 against the coded N·log2 K + K·C·8 and the mean squared error,
                  and writes OUT/vq.png (before | after).""";
    }

    @Override
    public int run(String[] args) throws Exception {
        CliArgs options = new CliArgs(args, Set.of("k", "image", "seed", "out"));
        int k = options.integer("k", 4);
        String source = options.string("image", "synthetic");
        int h, w, channels;
        double[] image;
        switch (source) {
            case "synthetic" -> {
                h = 128;
                w = 128;
                channels = 3;
                image = synthetic(h, w, new SplittableRandom(options.seed()));
            }
            case "fashion" -> {
                IdxReader.Images images = IdxReader.fashionMnist(false).images().head(64);
                h = 8 * images.rows();
                w = 8 * images.cols();
                channels = 1;
                image = new double[h * w];
                for (int i = 0; i < 64; i++) {
                    for (int r = 0; r < images.rows(); r++) {
                        for (int c = 0; c < images.cols(); c++) {
                            int y = (i / 8) * images.rows() + r, x = (i % 8) * images.cols() + c;
                            image[y * w + x] = images.pixel(i, r, c) / 255.0;
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("--image expects synthetic or fashion; got '" + source + "'");
        }
        long start = System.nanoTime();
        VectorQuantizer vq = VectorQuantizer.fit(KMeansConfig.of(k, options.seed()).withNInit(4),
                VectorQuantizer.pixels(image, channels));
        double[] after = vq.quantizeImage(image, channels);
        double seconds = (System.nanoTime() - start) / 1e9;
        double mse = 0;
        for (int i = 0; i < image.length; i++) {
            mse += (image[i] - after[i]) * (image[i] - after[i]);
        }
        mse /= image.length;
        VectorQuantizer.Cost cost = vq.cost((long) h * w, 8);
        System.out.printf("%s image %dx%d, %d channel(s), K = %d (fit in %.2f s)%n", source, w, h, channels, k, seconds);
        System.out.printf("  raw   N·C·8            = %,.0f bits%n", cost.rawBits());
        System.out.printf("  coded N·log2 K + K·C·8 = %,.0f bits   (factor %.2f)%n", cost.codedBits(), cost.ratio());
        System.out.printf("  mean squared error %.5f (PSNR %.1f dB)%n", mse, 10 * Math.log10(1 / mse));
        BufferedImagePair pair = new BufferedImagePair(image, after, h, w, channels);
        Path png = options.outDir("out").resolve("vq.png");
        Plot.write(Plot.sideBySide(pair.before(), "original", pair.after(), "K = " + k + " colours"), png);
        System.out.println("wrote " + png);
        return 0;
    }

    /** Before/after images at a readable size. */
    private record BufferedImagePair(double[] beforePixels, double[] afterPixels, int h, int w, int channels) {
        java.awt.image.BufferedImage before() {
            return render(beforePixels);
        }

        java.awt.image.BufferedImage after() {
            return render(afterPixels);
        }

        private java.awt.image.BufferedImage render(double[] pixels) {
            int scale = Math.max(1, 384 / Math.max(h, w));
            if (channels == 3) {
                return Plot.rgb(pixels, h, w, scale);
            }
            return Plot.grid(new double[][] {pixels}, h, w, 1, scale);
        }
    }

    /** A smooth colour gradient with a few discs: many distinct colours, so quantization is visible. */
    static double[] synthetic(int h, int w, SplittableRandom rng) {
        double[] image = new double[h * w * 3];
        double[][] discs = new double[5][6];
        for (double[] d : discs) {
            d[0] = rng.nextDouble(0, w);
            d[1] = rng.nextDouble(0, h);
            d[2] = rng.nextDouble(8, 30);
            d[3] = rng.nextDouble();
            d[4] = rng.nextDouble();
            d[5] = rng.nextDouble();
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                image[p] = (double) x / w;
                image[p + 1] = (double) y / h;
                image[p + 2] = 0.5 + 0.5 * Math.sin(0.05 * (x + y));
                for (double[] d : discs) {
                    if ((x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) < d[2] * d[2]) {
                        image[p] = d[3];
                        image[p + 1] = d[4];
                        image[p + 2] = d[5];
                    }
                }
            }
        }
        return image;
    }
}
