package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import vecgrad.kernels.ConvGeometry;
import vecgrad.kernels.ConvKernels;
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.ConvSpec;
import vecgrad.kernels.PoolGeometry;
import vecgrad.kernels.PoolKernels;
import vecgrad.kernels.PoolSpec;

/** FAULTS.md 21 and 22: bad convolution and pooling arguments fail with messages naming the op and the shapes. */
class ConvFaultsTest {
    private static String fails(Executable call, String... fragments) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(error.getMessage().contains(fragment), "message lacks '" + fragment + "': " + error.getMessage());
        }
        return error.getMessage();
    }

    @Test
    void fault21_conv2dChannelMismatch() {
        fails(() -> ConvShapes.conv2d(new int[] {2, 3, 8, 8}, new int[] {4, 2, 3, 3}, ConvSpec.of(1, 1)),
                "conv2d: ", "input [2, 3, 8, 8]", "weight [4, 2, 3, 3]", "3 != 2 * 1");
    }

    @Test
    void fault21_conv2dKernelLargerThanPaddedInput() {
        fails(() -> ConvShapes.conv2d(new int[] {1, 1, 2, 5}, new int[] {1, 1, 3, 3}, ConvSpec.valid()),
                "conv2d: ", "kernel larger than the padded input", "input [1, 1, 2, 5]", "weight [1, 1, 3, 3]");
        // with padding 1 the same kernel fits
        ConvShapes.conv2d(new int[] {1, 1, 2, 5}, new int[] {1, 1, 3, 3}, ConvSpec.of(1, 1));
        fails(() -> ConvShapes.conv2d(new int[] {1, 1, 5, 5}, new int[] {1, 1, 3, 3},
                ConvSpec.valid().withDilation(3, 1)), "conv2d: ", "dilated kernel 7");
    }

    @Test
    void fault21_conv2dNonPositiveStride() {
        fails(() -> ConvShapes.conv2d("conv2d", new int[] {1, 1, 5, 5}, new int[] {1, 1, 3, 3}, new int[] {0, 1},
                new int[] {0, 0}, new int[] {1, 1}, 1), "conv2d: ", "stride", "input [1, 1, 5, 5]",
                "weight [1, 1, 3, 3]");
        fails(() -> ConvSpec.of(-1, 0), "conv2d: ", "stride");
    }

    @Test
    void fault21_conv2dNegativePadding() {
        fails(() -> ConvShapes.conv2d("conv2d", new int[] {1, 1, 5, 5}, new int[] {1, 1, 3, 3}, new int[] {1, 1},
                new int[] {-1, 0}, new int[] {1, 1}, 1), "conv2d: ", "padding", "input [1, 1, 5, 5]");
        fails(() -> new ConvSpec(1, 1, 0, -2, 0, 0, 1, 1, 1), "conv2d: ", "padBottom");
    }

    @Test
    void fault21_conv2dInputNotFourD() {
        fails(() -> ConvShapes.conv2d(new int[] {3, 8, 8}, new int[] {4, 3, 3, 3}, ConvSpec.of(1, 1)),
                "conv2d: ", "input must be 4-D", "input [3, 8, 8]", "weight [4, 3, 3, 3]");
        fails(() -> ConvShapes.conv2d(new int[] {1, 3, 8, 8}, new int[] {4, 3, 3}, ConvSpec.of(1, 1)),
                "conv2d: ", "weight must be 4-D");
    }

    @Test
    void fault21_conv2dGroupsDoNotDivideChannels() {
        fails(() -> ConvShapes.conv2d(new int[] {1, 8, 5, 5}, new int[] {6, 2, 3, 3}, ConvSpec.of(1, 1).withGroups(3)),
                "conv2d: ", "groups do not divide the input channels", "8 % 3");
        fails(() -> ConvShapes.conv2d(new int[] {1, 6, 5, 5}, new int[] {4, 2, 3, 3}, ConvSpec.of(1, 1).withGroups(3)),
                "conv2d: ", "groups do not divide the output channels");
    }

    @Test
    void fault21_conv2dArraysTooShortFailBeforeWriting() {
        ConvGeometry g = ConvShapes.conv2d(new int[] {1, 2, 5, 5}, new int[] {3, 2, 3, 3}, ConvSpec.of(1, 1));
        float[] output = new float[g.outputSize() - 1];
        Arrays.fill(output, 7f);
        fails(() -> ConvKernels.forward(new float[g.inputSize()], 0, new float[g.weightSize()], 0, null, 0, output, 0,
                g), "conv2d: ", "output is too short");
        float[] untouched = new float[output.length];
        Arrays.fill(untouched, 7f);
        assertArrayEquals(untouched, output);
        fails(() -> ConvKernels.gradWeight(new float[g.inputSize()], 0, new float[g.outputSize()], 0,
                new float[g.weightSize()], 1, g), "conv2d: ", "gradWeight is too short");
    }

    @Test
    void fault21_convTransposeChannelMismatch() {
        fails(() -> ConvShapes.convTranspose2d("conv_transpose2d", new int[] {1, 3, 4, 4}, new int[] {2, 5, 3, 3},
                ConvSpec.of(2, 1), 1, 1), "conv_transpose2d: ", "input [1, 3, 4, 4]", "weight [2, 5, 3, 3]");
        fails(() -> ConvShapes.convTranspose2d("conv_transpose2d", new int[] {1, 2, 4, 4}, new int[] {2, 5, 3, 3},
                ConvSpec.of(2, 1), 2, 0), "conv_transpose2d: ", "output padding");
    }

    @Test
    void fault22_poolPaddingMoreThanHalfTheKernel() {
        fails(() -> ConvShapes.pool2d("max_pool2d", new int[] {1, 1, 8, 8}, new int[] {3, 3}, new int[] {2, 2},
                new int[] {2, 1}, false), "max_pool2d: ", "at most half", "input [1, 1, 8, 8]", "padding [2, 1]");
        fails(() -> new PoolSpec(2, 2, 2, 2, 1, 2, false), "padding");
    }

    @Test
    void fault22_poolKernelNotPositive() {
        fails(() -> ConvShapes.pool2d("avg_pool2d", new int[] {1, 1, 8, 8}, new int[] {0, 2}, new int[] {2, 2},
                new int[] {0, 0}, false), "avg_pool2d: ", "kernel", "input [1, 1, 8, 8]");
    }

    @Test
    void fault22_poolStrideNotPositive() {
        fails(() -> ConvShapes.pool2d("max_pool2d", new int[] {1, 1, 8, 8}, new int[] {2, 2}, new int[] {2, 0},
                new int[] {0, 0}, false), "max_pool2d: ", "stride must be positive", "input [1, 1, 8, 8]");
    }

    @Test
    void fault22_poolWindowLargerThanInputOrInputNotFourD() {
        fails(() -> ConvShapes.pool2d("max_pool2d", new int[] {1, 1, 2, 8}, PoolSpec.of(3, 1)), "max_pool2d: ",
                "window larger than the padded input", "input [1, 1, 2, 8]");
        fails(() -> ConvShapes.pool2d("max_pool2d", new int[] {1, 8, 8}, PoolSpec.of(2, 2)), "max_pool2d: ",
                "input must be 4-D", "input [1, 8, 8]");
    }

    @Test
    void fault22_rowsThatDoNotFillAWindowAreDroppedWithGradientZero() {
        PoolGeometry g = ConvShapes.pool2d("avg_pool2d", new int[] {1, 1, 7, 5}, PoolSpec.of(2, 2));
        float[] grad = {1, 1, 1, 1, 1, 1};
        float[] gradInput = new float[35];
        PoolKernels.avgBackward(grad, 0, gradInput, 0, g, true);
        for (int r = 0; r < 7; r++) {
            for (int c = 0; c < 5; c++) {
                float expected = r < 6 && c < 4 ? 0.25f : 0f;
                assertTrue(gradInput[r * 5 + c] == expected, "cell " + r + "," + c + ": " + gradInput[r * 5 + c]);
            }
        }
    }

    @Test
    void fault22_maxBackwardRejectsArgmaxOutsideThePlane() {
        PoolGeometry g = ConvShapes.pool2d("max_pool2d", new int[] {1, 1, 4, 4}, PoolSpec.of(2, 2));
        float[] gradInput = new float[16];
        Arrays.fill(gradInput, 3f);
        fails(() -> PoolKernels.maxBackward(new float[4], 0, new int[] {0, 2, 99, 10}, 0, gradInput, 0, g),
                "max_pool2d: ", "argmax");
        for (float v : gradInput) {
            assertTrue(v == 3f, "gradInput written before the check");
        }
    }
}
