package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vecgrad.kernels.ConvGeometry;
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.ConvSpec;
import vecgrad.kernels.PoolSpec;

/** Output-size arithmetic, with the numbers of the course seeds and PyTorch's conventions. */
class ConvShapesTest {
    @Test
    void fiveByFiveWithThreeByThreeKernelGivesThreeByThree() {
        // seed 004: input 5x5, kernel 3x3, stride 1, no padding
        ConvGeometry g = ConvShapes.conv2d(new int[] {1, 1, 5, 5}, new int[] {1, 1, 3, 3}, ConvSpec.of(1, 0));
        assertArrayEquals(new int[] {1, 1, 3, 3}, g.outputShape());
    }

    @Test
    void inpaintingFirstLayerGives298By198By64() {
        // seed 000: a 300x200 image with 2 channels (pixels + mask), 64 filters 3x3, stride 1, no zero padding
        ConvGeometry g = ConvShapes.conv2d(new int[] {8, 2, 300, 200}, new int[] {64, 2, 3, 3}, ConvSpec.valid());
        assertArrayEquals(new int[] {8, 64, 298, 198}, g.outputShape());
        assertEquals((3 * 3 * 2) * 64, g.weightSize());
    }

    @Test
    void samePaddingKeepsTheSizeAndRejectsEvenKernels() {
        ConvGeometry g = ConvShapes.conv2d(new int[] {2, 3, 28, 28}, new int[] {16, 3, 5, 5}, ConvSpec.same(5, 5));
        assertArrayEquals(new int[] {2, 16, 28, 28}, g.outputShape());
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.same(4, 3));
    }

    @Test
    void strideDilationAndAsymmetricPaddingFollowPyTorch() {
        assertEquals(4, ConvShapes.outputSize(9, 5, 2, 1, 1, 1)); // (9 + 2 - 5) / 2 + 1
        assertEquals(3, ConvShapes.outputSize(7, 3, 2, 0, 0, 1));
        assertEquals(3, ConvShapes.outputSize(7, 3, 1, 0, 0, 2)); // dilated kernel spans 5
        assertEquals(8, ConvShapes.outputSize(7, 2, 1, 1, 1, 1)); // 7 + 2 - 2 + 1
        ConvGeometry g = ConvShapes.conv2d(new int[] {1, 4, 10, 12}, new int[] {6, 2, 3, 3},
                new ConvSpec(1, 2, 0, 2, 1, 0, 2, 1, 2));
        assertArrayEquals(new int[] {1, 6, 8, 6}, g.outputShape());
    }

    @Test
    void poolSizesFollowPyTorchCeilMode() {
        assertEquals(3, ConvShapes.poolOutputSize(7, 2, 2, 0, false));
        assertEquals(4, ConvShapes.poolOutputSize(7, 2, 2, 0, true));
        assertEquals(2, ConvShapes.poolOutputSize(5, 3, 2, 0, false));
        assertEquals(2, ConvShapes.poolOutputSize(5, 3, 2, 0, true));
        // ceil mode may not start a window in the trailing padding: 6 + 2*1, k 2, s 2 gives 4, not 5
        assertEquals(4, ConvShapes.poolOutputSize(6, 2, 2, 1, true));
        assertArrayEquals(new int[] {128, 16, 14, 14},
                ConvShapes.pool2d("max_pool2d", new int[] {128, 16, 28, 28}, PoolSpec.of(2, 2)).outputShape());
        assertArrayEquals(new int[] {8, 64, 149, 99},
                ConvShapes.pool2d("max_pool2d", new int[] {8, 64, 298, 198}, PoolSpec.of(2, 2)).outputShape());
    }

    @Test
    void transposedConvolutionInvertsTheConvolutionSize() {
        // PyTorch: input 3, kernel 3, stride 2, padding 1, output_padding 1 gives 6
        ConvGeometry g = ConvShapes.convTranspose2d("conv_transpose2d", new int[] {2, 4, 3, 3},
                new int[] {4, 5, 3, 3}, ConvSpec.of(2, 1), 1, 1);
        assertArrayEquals(new int[] {2, 5, 6, 6}, g.inputShape());
        assertArrayEquals(new int[] {2, 4, 3, 3}, g.outputShape());
        assertArrayEquals(new int[] {4, 5, 3, 3}, g.weightShape());
    }

    @Test
    void upsampleAndResizeShapes() {
        assertArrayEquals(new int[] {2, 3, 14, 21}, ConvShapes.upsampleNearest2d("upsample_nearest2d",
                new int[] {2, 3, 7, 7}, 2, 3));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ConvShapes.upsampleNearest2d("upsample_nearest2d", new int[] {2, 3, 7, 7}, 0, 2));
        assertTrue(error.getMessage().startsWith("upsample_nearest2d: "), error.getMessage());
        assertArrayEquals(new int[] {1, 1, 5, 9}, ConvShapes.resize2d("upsample_bilinear2d", new int[] {1, 1, 2, 3},
                5, 9));
    }
}
