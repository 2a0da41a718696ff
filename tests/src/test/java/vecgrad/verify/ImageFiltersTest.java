package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import vecgrad.kernels.ImageFilters;
import vecgrad.kernels.ImageFilters.Filter;

/**
 * The classic 3x3 filters of seed 003 on synthetic images whose filtered values are known: an impulse
 * (the response is the flipped kernel, cut at the border), a bilinear ramp {@code f(r, c) = r * c + 2r - c}
 * (interior: Laplacians vanish, blur and sharpen reproduce it, the diagonal detector gives 4).
 */
class ImageFiltersTest {
    private static final int SIZE = 7;

    @Test
    void impulseResponseIsTheKernelAndIsCutAtTheBorder() {
        for (Filter filter : Filter.values()) {
            double[] impulse = new double[SIZE * SIZE];
            impulse[3 * SIZE + 3] = 1;
            double[] out = ImageFilters.apply(filter, impulse, 1, 1, SIZE, SIZE);
            double[] kernel = filter.kernel();
            for (int r = 0; r < SIZE; r++) {
                for (int c = 0; c < SIZE; c++) {
                    int dr = r - 3;
                    int dc = c - 3;
                    double expected = Math.abs(dr) <= 1 && Math.abs(dc) <= 1 ? kernel[(dr + 1) * 3 + dc + 1] : 0;
                    assertEquals(expected, out[r * SIZE + c], 1e-15, filter + " at " + r + "," + c);
                }
            }
            // an impulse in the corner: only the part of the kernel inside the image survives
            double[] corner = new double[SIZE * SIZE];
            corner[0] = 1;
            double[] cut = ImageFilters.apply(filter, corner, 1, 1, SIZE, SIZE);
            assertEquals(kernel[4], cut[0], 1e-15, filter + " corner");
            assertEquals(kernel[5], cut[1], 1e-15, filter + " right of corner");
            assertEquals(kernel[7], cut[SIZE], 1e-15, filter + " below corner");
            assertEquals(kernel[8], cut[SIZE + 1], 1e-15, filter + " diagonal of corner");
        }
    }

    @Test
    void rampHasKnownInteriorResponses() {
        double[] ramp = new double[2 * SIZE * SIZE]; // two channels: the ramp and its negative
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                ramp[r * SIZE + c] = r * c + 2 * r - c;
                ramp[SIZE * SIZE + r * SIZE + c] = -(r * c + 2 * r - c);
            }
        }
        double[] identity = ImageFilters.apply(Filter.IDENTITY, ramp, 1, 2, SIZE, SIZE);
        assertArrayEquals(ramp, identity, 0);
        double[] diagonal = ImageFilters.apply(Filter.EDGE_DIAGONAL, ramp, 1, 2, SIZE, SIZE);
        double[] laplace4 = ImageFilters.apply(Filter.EDGE_4_NEIGHBOURS, ramp, 1, 2, SIZE, SIZE);
        double[] laplace8 = ImageFilters.apply(Filter.EDGE_8_NEIGHBOURS, ramp, 1, 2, SIZE, SIZE);
        double[] sharpen = ImageFilters.apply(Filter.SHARPEN, ramp, 1, 2, SIZE, SIZE);
        double[] blur = ImageFilters.apply(Filter.BOX_BLUR, ramp, 1, 2, SIZE, SIZE);
        for (int channel = 0; channel < 2; channel++) {
            double sign = channel == 0 ? 1 : -1;
            for (int r = 1; r < SIZE - 1; r++) {
                for (int c = 1; c < SIZE - 1; c++) {
                    int at = channel * SIZE * SIZE + r * SIZE + c;
                    assertEquals(sign * 4, diagonal[at], 1e-12, "diagonal edge of r*c");
                    assertEquals(0, laplace4[at], 1e-12, "4-neighbour Laplacian of a bilinear ramp");
                    assertEquals(0, laplace8[at], 1e-12, "8-neighbour Laplacian of a bilinear ramp");
                    assertEquals(ramp[at], sharpen[at], 1e-12, "sharpen keeps a bilinear ramp");
                    assertEquals(ramp[at], blur[at], 1e-12, "box blur keeps a bilinear ramp");
                }
            }
        }
        // float32 gives the same picture
        float[] rampF = PoolKernelTest.toFloats(ramp);
        float[] blurF = ImageFilters.apply(Filter.BOX_BLUR, rampF, 1, 2, SIZE, SIZE);
        for (int i = 0; i < blur.length; i++) {
            assertEquals(blur[i], blurF[i], 1e-5, "float32 blur at " + i);
        }
    }
}
