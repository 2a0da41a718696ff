package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import vecgrad.cluster.KMeansConfig;
import vecgrad.cluster.VectorQuantizer;

class VectorQuantizerTest {
    /** Seed 003: N = 64k grey pixels of C = 8 bits take 513k bits raw; K = 4 needs N·log2 K + K·C, a factor 4. */
    @Test
    void fourCodewordsCompressAnEightBitImageFourfold() {
        VectorQuantizer.Cost cost = VectorQuantizer.cost(65536, 4, 1, 8);
        assertEquals(524288, cost.rawBits());
        assertEquals(65536 * 2 + 4 * 8, cost.codedBits());
        assertEquals(4.0, cost.ratio(), 0.001);
    }

    @Test
    void imageWithKColoursIsQuantizedLosslessly() {
        double[][] palette = {{0.1, 0.2, 0.9}, {0.8, 0.8, 0.1}, {0.0, 0.0, 0.0}, {1.0, 0.5, 0.25}};
        SplittableRandom rng = new SplittableRandom(7);
        int pixels = 32 * 32;
        double[] image = new double[pixels * 3];
        for (int p = 0; p < pixels; p++) {
            System.arraycopy(palette[p < 4 ? p : rng.nextInt(4)], 0, image, p * 3, 3);
        }
        VectorQuantizer vq = VectorQuantizer.fit(KMeansConfig.of(4, 3).withNInit(4), VectorQuantizer.pixels(image, 3));
        assertArrayEquals(image, vq.quantizeImage(image, 3), 1e-12);
        assertEquals(0, vq.kmeans().inertia(), 1e-20);
    }

    @Test
    void quantizationErrorIsTheInertia() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] image = Cases.uniform(rng, 20 * 20, 0, 1);
        VectorQuantizer vq = VectorQuantizer.fit(KMeansConfig.of(3, 1), VectorQuantizer.pixels(image, 1));
        double[] quantized = vq.quantizeImage(image, 1);
        double error = 0;
        for (int i = 0; i < image.length; i++) {
            error += (image[i] - quantized[i]) * (image[i] - quantized[i]);
        }
        assertEquals(vq.kmeans().inertia(), error, 1e-12);
        int[] codes = vq.encode(VectorQuantizer.pixels(image, 1));
        assertArrayEquals(vq.kmeans().labels(), codes);
        assertThrows(IllegalArgumentException.class, () -> vq.decode(new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> vq.quantizeImage(image, 2));
    }
}
