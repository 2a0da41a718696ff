package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.kernels.ConvGeometry;
import vecgrad.kernels.ConvKernels;
import vecgrad.kernels.ConvPlan;
import vecgrad.kernels.ConvReference;
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.ConvSpec;
import vecgrad.kernels.Parallel;

/**
 * Conv kernels: the SIMD twin equals the scalar reference on random geometries (float32 and float64,
 * both algorithms, offsets and guard cells), results do not depend on the thread count, and the
 * gradients match central differences and the adjoint identities of the forward pass in float64.
 *
 * <p>Bound: each output is a sum of K products; the twins sum in different orders (the reference in
 * double), so {@code |simd - reference| <= 2 * (K + 2) * ulp(1) * sum |terms|}, with the sum of absolute
 * terms computed by the reference on absolute values.
 */
class ConvKernelTest {
    static LongStream seeds() {
        return Cases.seeds(40);
    }

    static LongStream fewSeeds() {
        return Cases.seeds(10);
    }

    /** A random convolution geometry with every dimension at most {@code max} (at least 1). */
    static ConvGeometry randomGeometry(SplittableRandom rng, int max) {
        int groups = rng.nextInt(1, Math.min(3, max) + 1);
        int cpg = rng.nextInt(1, Math.min(4, max) + 1);
        int opg = rng.nextInt(1, Math.min(9, max) + 1);
        int kh = rng.nextInt(1, Math.min(4, max) + 1);
        int kw = rng.nextInt(1, Math.min(4, max) + 1);
        int dh = rng.nextInt(1, 3);
        int dw = rng.nextInt(1, 3);
        int stride = rng.nextInt(4) == 0 ? rng.nextInt(2, 4) : 1;
        int strideW = rng.nextBoolean() ? stride : rng.nextInt(1, 3);
        int[] pads = {rng.nextInt(3), rng.nextInt(3), rng.nextInt(3), rng.nextInt(3)};
        int minH = Math.max(1, (kh - 1) * dh + 1 - pads[0] - pads[1]);
        int minW = Math.max(1, (kw - 1) * dw + 1 - pads[2] - pads[3]);
        int height = rng.nextInt(minH, Math.max(minH, Math.min(13, Math.max(max, minH))) + 1);
        int width = rng.nextInt(minW, Math.max(minW, Math.min(13, Math.max(max, minW))) + 1);
        int batch = rng.nextInt(1, Math.min(3, max) + 1);
        ConvSpec spec = new ConvSpec(stride, strideW, pads[0], pads[1], pads[2], pads[3], dh, dw, groups);
        return ConvShapes.conv2d(new int[] {batch, groups * cpg, height, width},
                new int[] {groups * opg, cpg, kh, kw}, spec);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void simdMatchesReferenceInFloat32(long seed) {
        Property.check("conv2d float32 twin", seed, 13, (rng, max) -> {
            ConvGeometry g = randomGeometry(rng, max);
            for (ConvPlan.Algorithm algorithm : ConvPlan.Algorithm.values()) {
                try (var forced = ConvPlan.force(algorithm)) {
                    compareFloat(rng, g, algorithm.name());
                }
            }
        });
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void simdMatchesReferenceInFloat64(long seed) {
        Property.check("conv2d float64 twin", seed, 13, (rng, max) -> {
            ConvGeometry g = randomGeometry(rng, max);
            for (ConvPlan.Algorithm algorithm : ConvPlan.Algorithm.values()) {
                try (var forced = ConvPlan.force(algorithm)) {
                    compareDouble(rng, g, algorithm.name());
                }
            }
        });
    }

    private static void compareFloat(SplittableRandom rng, ConvGeometry g, String label) {
        int off = Cases.OFFSETS[rng.nextInt(Cases.OFFSETS.length)];
        float[] x = Cases.padded(rng, off, g.inputSize(), -2, 2);
        float[] w = Cases.padded(rng, off, g.weightSize(), -2, 2);
        float[] b = Cases.padded(rng, off, g.outChannels(), -2, 2);
        float[] gy = Cases.padded(rng, off, g.outputSize(), -2, 2);
        String where = label + " " + g + " offset " + off;

        float[] y = sentinels(off + g.outputSize() + Cases.GUARD);
        float[] yRef = sentinels(y.length);
        ConvKernels.forward(x, off, w, off, b, off, y, off, g);
        ConvReference.forward(x, off, w, off, b, off, yRef, off, g);
        float[] yAbs = new float[g.outputSize()];
        ConvReference.forward(abs(x), off, abs(w), off, abs(b), off, yAbs, 0, g);
        assertClose(yRef, y, off, yAbs, g.inChannelsPerGroup() * g.kernelHeight() * g.kernelWidth() + 1,
                "forward " + where);

        float[] gx = sentinels(off + g.inputSize() + Cases.GUARD);
        float[] gxRef = sentinels(gx.length);
        ConvKernels.gradInput(gy, off, w, off, gx, off, g);
        ConvReference.gradInput(gy, off, w, off, gxRef, off, g);
        float[] gxAbs = new float[g.inputSize()];
        ConvReference.gradInput(abs(gy), off, abs(w), off, gxAbs, 0, g);
        assertClose(gxRef, gx, off, gxAbs, g.outChannelsPerGroup() * g.kernelHeight() * g.kernelWidth(),
                "gradInput " + where);

        float[] gw = sentinels(off + g.weightSize() + Cases.GUARD);
        float[] gwRef = sentinels(gw.length);
        ConvKernels.gradWeight(x, off, gy, off, gw, off, g);
        ConvReference.gradWeight(x, off, gy, off, gwRef, off, g);
        float[] gwAbs = new float[g.weightSize()];
        ConvReference.gradWeight(abs(x), off, abs(gy), off, gwAbs, 0, g);
        assertClose(gwRef, gw, off, gwAbs, g.batch() * g.outHeight() * g.outWidth(), "gradWeight " + where);

        float[] gb = sentinels(off + g.outChannels() + Cases.GUARD);
        float[] gbRef = sentinels(gb.length);
        ConvKernels.gradBias(gy, off, gb, off, g);
        ConvReference.gradBias(gy, off, gbRef, off, g);
        float[] gbAbs = new float[g.outChannels()];
        ConvReference.gradBias(abs(gy), off, gbAbs, 0, g);
        assertClose(gbRef, gb, off, gbAbs, g.batch() * g.outHeight() * g.outWidth(), "gradBias " + where);
    }

    private static void compareDouble(SplittableRandom rng, ConvGeometry g, String label) {
        int off = Cases.OFFSETS[rng.nextInt(Cases.OFFSETS.length)];
        double[] x = Cases.paddedDoubles(rng, off, g.inputSize(), -2, 2);
        double[] w = Cases.paddedDoubles(rng, off, g.weightSize(), -2, 2);
        double[] b = Cases.paddedDoubles(rng, off, g.outChannels(), -2, 2);
        double[] gy = Cases.paddedDoubles(rng, off, g.outputSize(), -2, 2);
        String where = label + " " + g + " offset " + off;

        double[] y = sentinelDoubles(off + g.outputSize() + Cases.GUARD);
        double[] yRef = sentinelDoubles(y.length);
        ConvKernels.forward(x, off, w, off, b, off, y, off, g);
        ConvReference.forward(x, off, w, off, b, off, yRef, off, g);
        double[] yAbs = new double[g.outputSize()];
        ConvReference.forward(abs(x), off, abs(w), off, abs(b), off, yAbs, 0, g);
        assertClose(yRef, y, off, yAbs, g.inChannelsPerGroup() * g.kernelHeight() * g.kernelWidth() + 1,
                "forward " + where);

        double[] gx = sentinelDoubles(off + g.inputSize() + Cases.GUARD);
        double[] gxRef = sentinelDoubles(gx.length);
        ConvKernels.gradInput(gy, off, w, off, gx, off, g);
        ConvReference.gradInput(gy, off, w, off, gxRef, off, g);
        double[] gxAbs = new double[g.inputSize()];
        ConvReference.gradInput(abs(gy), off, abs(w), off, gxAbs, 0, g);
        assertClose(gxRef, gx, off, gxAbs, g.outChannelsPerGroup() * g.kernelHeight() * g.kernelWidth(),
                "gradInput " + where);

        double[] gw = sentinelDoubles(off + g.weightSize() + Cases.GUARD);
        double[] gwRef = sentinelDoubles(gw.length);
        ConvKernels.gradWeight(x, off, gy, off, gw, off, g);
        ConvReference.gradWeight(x, off, gy, off, gwRef, off, g);
        double[] gwAbs = new double[g.weightSize()];
        ConvReference.gradWeight(abs(x), off, abs(gy), off, gwAbs, 0, g);
        assertClose(gwRef, gw, off, gwAbs, g.batch() * g.outHeight() * g.outWidth(), "gradWeight " + where);

        double[] gb = sentinelDoubles(off + g.outChannels() + Cases.GUARD);
        double[] gbRef = sentinelDoubles(gb.length);
        ConvKernels.gradBias(gy, off, gb, off, g);
        ConvReference.gradBias(gy, off, gbRef, off, g);
        double[] gbAbs = new double[g.outChannels()];
        ConvReference.gradBias(abs(gy), off, gbAbs, 0, g);
        assertClose(gbRef, gb, off, gbAbs, g.batch() * g.outHeight() * g.outWidth(), "gradBias " + where);
    }

    /**
     * Rows longer than one vector at the native width (up to 2·lanes + 8 columns), so the unmasked loads and
     * stores of the direct passes run next to the masked row ends; 3x3 kernels half of the time.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void wideRowsMatchReference(long seed) {
        Property.check("conv2d wide rows", seed, 6, (rng, max) -> {
            ConvGeometry small = randomGeometry(rng, max);
            int kernel = rng.nextBoolean() ? 3 : small.kernelWidth();
            int lanes = Math.max(vecgrad.kernels.Simd.F32_LANES, 4);
            int width = rng.nextInt(lanes + 1, 2 * lanes + 9);
            ConvSpec spec = small.spec().withStride(1, rng.nextInt(4) == 0 ? 2 : 1);
            ConvGeometry g = ConvShapes.conv2d(new int[] {small.batch(), small.inChannels(),
                    Math.max(small.height(), (kernel - 1) * spec.dilationHeight() + 1), width},
                    new int[] {small.outChannels(),
                    small.inChannelsPerGroup(), kernel, kernel}, spec);
            compareFloat(rng, g, "wide");
            compareDouble(rng, g, "wide");
        });
    }

    /**
     * The channel-blocked float32 passes, forced, on channel counts around the lane count (whole and partial lane
     * blocks, one and two vectors of output channels, several input-channel chunks), against the reference, and
     * bit-identical for 1 to 3 threads (several image blocks of the weight gradient).
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void blockedPassesMatchReferenceOnWideChannelCounts(long seed) {
        Property.check("conv2d blocked", seed, 9, (rng, max) -> {
            int lanes = vecgrad.kernels.Simd.F32_LANES;
            int groups = rng.nextInt(1, 3);
            int cpg = rng.nextInt(1, 2 * lanes + 3);
            int opg = rng.nextInt(1, 2 * lanes + 3);
            int kernel = rng.nextBoolean() ? 3 : rng.nextInt(1, 5);
            int dh = rng.nextInt(4) == 0 ? 2 : 1;
            int dw = rng.nextInt(4) == 0 ? 2 : 1;
            int[] pads = {rng.nextInt(3), rng.nextInt(3), rng.nextInt(3), rng.nextInt(3)};
            int minH = Math.max(1, (kernel - 1) * dh + 1 - pads[0] - pads[1]);
            int minW = Math.max(1, (kernel - 1) * dw + 1 - pads[2] - pads[3]);
            int height = minH + rng.nextInt(Math.max(1, max) + 1);
            // rows narrower than 12 take flat tiles, wider ones tiles along the rows (14 or 16 positions)
            int width = minW + rng.nextInt(Math.max(1, max) + 1) + (rng.nextBoolean() ? 2 * lanes : 0);
            int batch = rng.nextInt(1, 4);
            ConvSpec spec = new ConvSpec(1, 1, pads[0], pads[1], pads[2], pads[3], dh, dw, groups);
            ConvGeometry g = ConvShapes.conv2d(new int[] {batch, groups * cpg, height, width},
                    new int[] {groups * opg, cpg, kernel, kernel}, spec);
            try (var forced = ConvPlan.force(ConvPlan.Algorithm.BLOCKED)) {
                compareFloat(rng, g, "blocked");
                float[] x = Cases.uniformFloats(rng, g.inputSize(), -1, 1);
                float[] w = Cases.uniformFloats(rng, g.weightSize(), -1, 1);
                float[] b = Cases.uniformFloats(rng, g.outChannels(), -1, 1);
                float[] gy = Cases.uniformFloats(rng, g.outputSize(), -1, 1);
                float[][] first = null;
                for (int threads = 1; threads <= 3; threads++) {
                    try (var scope = Parallel.withThreads(threads)) {
                        float[][] now = {new float[g.outputSize()], new float[g.inputSize()], new float[g.weightSize()]};
                        ConvKernels.forward(x, 0, w, 0, b, 0, now[0], 0, g);
                        ConvKernels.gradInput(gy, 0, w, 0, now[1], 0, g);
                        ConvKernels.gradWeight(x, 0, gy, 0, now[2], 0, g);
                        if (first == null) {
                            first = now;
                        } else {
                            for (int i = 0; i < now.length; i++) {
                                assertArrayEquals(first[i], now[i], "blocked output " + i + " with " + threads
                                        + " threads, " + g);
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * The blocked passes zero their padded scratch planes only when the layout changes (the pad positions stay
     * zero between calls of one layout): one thread alternates two layouts of the same sizes (other padding), the
     * direct passes (which write the same scratch their own way) and back, each call against the reference.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void blockedPassesStayExactWhenTheirPaddedScratchIsReused(long seed) {
        Property.check("conv2d blocked scratch reuse", seed, 6, (rng, max) -> {
            int lanes = vecgrad.kernels.Simd.F32_LANES;
            int cpg = rng.nextInt(lanes, 2 * lanes + 3);
            int opg = rng.nextInt(lanes, 2 * lanes + 3);
            int height = 3 + rng.nextInt(Math.max(1, max) + 1);
            int width = 3 + rng.nextInt(Math.max(1, max) + 1) + (rng.nextBoolean() ? lanes : 0);
            int batch = rng.nextInt(1, 5);
            int[] input = {batch, cpg, height, width};
            int[] weight = {opg, cpg, 3, 3};
            ConvGeometry padded = ConvShapes.conv2d(input, weight, ConvSpec.of(1, 1));
            ConvGeometry other = ConvShapes.conv2d(input, weight, new ConvSpec(1, 1, 2, 0, 0, 2, 1, 1, 1));
            ConvPlan.Algorithm[] order = {ConvPlan.Algorithm.BLOCKED, ConvPlan.Algorithm.BLOCKED,
                ConvPlan.Algorithm.DIRECT, ConvPlan.Algorithm.BLOCKED};
            for (ConvPlan.Algorithm algorithm : order) {
                try (var forced = ConvPlan.force(algorithm); var scope = Parallel.withThreads(1)) {
                    compareFloat(rng, padded, "scratch reuse " + algorithm);
                    compareFloat(rng, other, "scratch reuse " + algorithm);
                    compareFloat(rng, padded, "scratch reuse again " + algorithm);
                }
            }
        });
    }

    /**
     * The channel-blocked passes, forced, on batches large enough for chunks of several images (more than twice
     * {@code ConvPlanes.TARGET_CHUNKS} images), where the next image of a chunk is prepared while the current one
     * is computed (double buffers): against the reference, and bit-identical for 1 to 3 threads.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void blockedPassesOverChunksOfSeveralImages(long seed) {
        Property.check("conv2d blocked batches", seed, 6, (rng, max) -> {
            int lanes = vecgrad.kernels.Simd.F32_LANES;
            int groups = rng.nextInt(1, 3);
            int cpg = rng.nextInt(1, lanes + 3);
            int opg = rng.nextInt(2 * lanes - 1, 2 * lanes + 3);
            int kernel = rng.nextBoolean() ? 3 : rng.nextInt(1, 4);
            int[] pads = {rng.nextInt(3), rng.nextInt(3), rng.nextInt(3), rng.nextInt(3)};
            int height = Math.max(1, kernel - pads[0] - pads[1]) + rng.nextInt(Math.max(1, max) + 1);
            int width = Math.max(1, kernel - pads[2] - pads[3]) + rng.nextInt(Math.max(1, max) + 1)
                    + (rng.nextBoolean() ? lanes : 0);
            int batch = rng.nextInt(33, 49);
            ConvSpec spec = new ConvSpec(1, 1, pads[0], pads[1], pads[2], pads[3], 1, 1, groups);
            ConvGeometry g = ConvShapes.conv2d(new int[] {batch, groups * cpg, height, width},
                    new int[] {groups * opg, cpg, kernel, kernel}, spec);
            try (var forced = ConvPlan.force(ConvPlan.Algorithm.BLOCKED)) {
                compareFloat(rng, g, "blocked batches");
                float[] x = Cases.uniformFloats(rng, g.inputSize(), -1, 1);
                float[] w = Cases.uniformFloats(rng, g.weightSize(), -1, 1);
                float[] b = Cases.uniformFloats(rng, g.outChannels(), -1, 1);
                float[] gy = Cases.uniformFloats(rng, g.outputSize(), -1, 1);
                float[][] first = null;
                for (int threads = 1; threads <= 3; threads++) {
                    try (var scope = Parallel.withThreads(threads)) {
                        float[][] now = {new float[g.outputSize()], new float[g.inputSize()], new float[g.weightSize()]};
                        ConvKernels.forward(x, 0, w, 0, b, 0, now[0], 0, g);
                        ConvKernels.gradInput(gy, 0, w, 0, now[1], 0, g);
                        ConvKernels.gradWeight(x, 0, gy, 0, now[2], 0, g);
                        if (first == null) {
                            first = now;
                        } else {
                            for (int i = 0; i < now.length; i++) {
                                assertArrayEquals(first[i], now[i], "blocked output " + i + " with " + threads
                                        + " threads, " + g);
                            }
                        }
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void resultsAreBitIdenticalForAnyThreadCount(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ConvGeometry g = randomGeometry(rng, 13);
        // a batch and channel count that make several chunks of every pass
        g = ConvShapes.conv2d(new int[] {rng.nextInt(2, 6), g.inChannels(), g.height(), g.width()},
                new int[] {g.outChannels() + 8 * g.groups(), g.inChannelsPerGroup(), g.kernelHeight(),
                        g.kernelWidth()}, g.spec());
        float[] x = Cases.uniformFloats(rng, g.inputSize(), -1, 1);
        float[] w = Cases.uniformFloats(rng, g.weightSize(), -1, 1);
        float[] b = Cases.uniformFloats(rng, g.outChannels(), -1, 1);
        float[] gy = Cases.uniformFloats(rng, g.outputSize(), -1, 1);
        float[][] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (var scope = Parallel.withThreads(threads)) {
                float[] y = new float[g.outputSize()];
                float[] gx = new float[g.inputSize()];
                float[] gw = new float[g.weightSize()];
                float[] gb = new float[g.outChannels()];
                ConvKernels.forward(x, 0, w, 0, b, 0, y, 0, g);
                ConvKernels.gradInput(gy, 0, w, 0, gx, 0, g);
                ConvKernels.gradWeight(x, 0, gy, 0, gw, 0, g);
                ConvKernels.gradBias(gy, 0, gb, 0, g);
                float[][] now = {y, gx, gw, gb};
                if (first == null) {
                    first = now;
                } else {
                    for (int i = 0; i < now.length; i++) {
                        assertArrayEquals(first[i], now[i], "output " + i + " with " + threads + " threads, " + g);
                    }
                }
            }
        }
    }

    /** Forward is bilinear: central differences of L = <conv(x, w) + b, v> are exact up to rounding. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void gradientsMatchCentralDifferencesOfTheForward(long seed) {
        Property.check("conv2d central differences", seed, 9, (rng, max) -> {
            ConvGeometry g = randomGeometry(rng, max);
            double[] x = Cases.uniform(rng, g.inputSize(), -1, 1);
            double[] w = Cases.uniform(rng, g.weightSize(), -1, 1);
            double[] b = Cases.uniform(rng, g.outChannels(), -1, 1);
            double[] v = Cases.uniform(rng, g.outputSize(), -1, 1);
            double[] gx = new double[g.inputSize()];
            double[] gw = new double[g.weightSize()];
            double[] gb = new double[g.outChannels()];
            ConvKernels.gradInput(v, 0, w, 0, gx, 0, g);
            ConvKernels.gradWeight(x, 0, v, 0, gw, 0, g);
            ConvKernels.gradBias(v, 0, gb, 0, g);
            double eps = 1e-6;
            for (int direction = 0; direction < 3; direction++) {
                double[] ux = Cases.uniform(rng, x.length, -1, 1);
                double[] uw = Cases.uniform(rng, w.length, -1, 1);
                double[] ub = Cases.uniform(rng, b.length, -1, 1);
                double analytic = dot(gx, ux) + dot(gw, uw) + dot(gb, ub);
                double plus = project(g, shift(x, ux, eps), shift(w, uw, eps), shift(b, ub, eps), v);
                double minus = project(g, shift(x, ux, -eps), shift(w, uw, -eps), shift(b, ub, -eps), v);
                double numeric = (plus - minus) / (2 * eps);
                double allowed = 1e-9 + 1e-6 * Math.max(Math.abs(analytic), Math.abs(numeric));
                assertTrue(Math.abs(analytic - numeric) <= allowed, "direction " + direction + ": analytic "
                        + analytic + ", numeric " + numeric + " for " + g);
            }
        });
    }

    /** <conv(x, w), g> == <x, gradInput(g)> == <w, gradWeight(x, g)>: exact identities of a bilinear map. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void gradientsSatisfyTheAdjointIdentities(long seed) {
        Property.check("conv2d adjoint", seed, 13, (rng, max) -> {
            ConvGeometry g = randomGeometry(rng, max);
            double[] x = Cases.uniform(rng, g.inputSize(), -1, 1);
            double[] w = Cases.uniform(rng, g.weightSize(), -1, 1);
            double[] v = Cases.uniform(rng, g.outputSize(), -1, 1);
            double[] y = new double[g.outputSize()];
            double[] gx = new double[g.inputSize()];
            double[] gw = new double[g.weightSize()];
            ConvKernels.forward(x, 0, w, 0, null, 0, y, 0, g);
            ConvKernels.gradInput(v, 0, w, 0, gx, 0, g);
            ConvKernels.gradWeight(x, 0, v, 0, gw, 0, g);
            double forward = dot(y, v);
            double scale = 1e-12 * (1 + g.macs());
            assertEquals(forward, dot(x, gx), scale, "<x, gradInput> for " + g);
            assertEquals(forward, dot(w, gw), scale, "<w, gradWeight> for " + g);
        });
    }

    /** conv_transpose2d is the adjoint of conv2d: <transpose(x), v> == <x, transposeGradInput(v)>, twins agree. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void transposedConvolutionMatchesReferenceAndAdjoint(long seed) {
        Property.check("conv_transpose2d", seed, 9, (rng, max) -> {
            ConvGeometry conv = randomGeometry(rng, max);
            int sh = conv.spec().strideHeight();
            int sw = conv.spec().strideWidth();
            int[] inputShape = {conv.batch(), conv.outChannels(), conv.outHeight(), conv.outWidth()};
            int[] weightShape = {conv.outChannels(), conv.inChannelsPerGroup(), conv.kernelHeight(),
                    conv.kernelWidth()};
            ConvGeometry g = ConvShapes.convTranspose2d("conv_transpose2d", inputShape, weightShape, conv.spec(),
                    rng.nextInt(sh), rng.nextInt(sw));
            double[] x = Cases.uniform(rng, g.outputSize(), -1, 1);
            double[] w = Cases.uniform(rng, g.weightSize(), -1, 1);
            double[] b = Cases.uniform(rng, g.inChannels(), -1, 1);
            double[] v = Cases.uniform(rng, g.inputSize(), -1, 1);
            double[] y = new double[g.inputSize()];
            double[] yRef = new double[g.inputSize()];
            ConvKernels.transposeForward(x, 0, w, 0, b, 0, y, 0, g);
            ConvReference.transposeForward(x, 0, w, 0, b, 0, yRef, 0, g);
            assertArrayClose(yRef, y, 1e-12, "transposeForward " + g);
            double[] gx = new double[g.outputSize()];
            double[] gxRef = new double[g.outputSize()];
            ConvKernels.transposeGradInput(v, 0, w, 0, gx, 0, g);
            ConvReference.transposeGradInput(v, 0, w, 0, gxRef, 0, g);
            assertArrayClose(gxRef, gx, 1e-12, "transposeGradInput " + g);
            double[] gw = new double[g.weightSize()];
            double[] gwRef = new double[g.weightSize()];
            ConvKernels.transposeGradWeight(x, 0, v, 0, gw, 0, g);
            ConvReference.transposeGradWeight(x, 0, v, 0, gwRef, 0, g);
            assertArrayClose(gwRef, gw, 1e-12, "transposeGradWeight " + g);
            double[] gb = new double[g.inChannels()];
            double[] gbRef = new double[g.inChannels()];
            ConvKernels.transposeGradBias(v, 0, gb, 0, g);
            ConvReference.transposeGradBias(v, 0, gbRef, 0, g);
            assertArrayClose(gbRef, gb, 1e-12, "transposeGradBias " + g);
            double[] yNoBias = new double[g.inputSize()];
            ConvKernels.transposeForward(x, 0, w, 0, null, 0, yNoBias, 0, g);
            assertEquals(dot(yNoBias, v), dot(x, gx), 1e-12 * (1 + g.macs()), "adjoint " + g);
        });
    }

    @Test
    void smallConvolutionHasTheHandComputedResult() {
        // input 1..9 as 3x3, a 2x2 kernel of ones and bias 0.5: each output is its window sum + 0.5
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 1, 1, 1};
        ConvGeometry g = ConvShapes.conv2d(new int[] {1, 1, 3, 3}, new int[] {1, 1, 2, 2}, ConvSpec.valid());
        float[] y = new float[4];
        ConvKernels.forward(x, 0, w, 0, new float[] {0.5f}, 0, y, 0, g);
        assertArrayEquals(new float[] {12.5f, 16.5f, 24.5f, 28.5f}, y);
        // same padding, stride 2: corners of the padded 5x5 picture
        ConvGeometry strided = ConvShapes.conv2d(new int[] {1, 1, 3, 3}, new int[] {1, 1, 3, 3},
                ConvSpec.of(2, 1));
        float[] ones = new float[9];
        Arrays.fill(ones, 1f);
        float[] z = new float[4];
        ConvKernels.forward(x, 0, ones, 0, null, 0, z, 0, strided);
        assertArrayEquals(new float[] {12, 16, 24, 28}, z);
    }

    private static double project(ConvGeometry g, double[] x, double[] w, double[] b, double[] v) {
        double[] y = new double[g.outputSize()];
        ConvKernels.forward(x, 0, w, 0, b, 0, y, 0, g);
        return dot(y, v);
    }

    static double[] shift(double[] x, double[] u, double eps) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + eps * u[i];
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    static float[] sentinels(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    static double[] sentinelDoubles(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    static float[] abs(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.abs(x[i]);
        }
        return out;
    }

    static double[] abs(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.abs(x[i]);
        }
        return out;
    }

    /** Payload within the size-scaled bound; cells before the offset and after the payload still NaN. */
    static void assertClose(float[] expected, float[] actual, int off, float[] absSums, int terms, String what) {
        for (int i = 0; i < actual.length; i++) {
            int j = i - off;
            if (j < 0 || j >= absSums.length) {
                assertTrue(Float.isNaN(actual[i]), what + ": guard cell " + i + " was written");
                continue;
            }
            double bound = 2.0 * (terms + 2) * Math.ulp(1f) * absSums[j] + Float.MIN_NORMAL;
            assertTrue(Math.abs(expected[i] - actual[i]) <= bound, what + ": element " + j + " expected "
                    + expected[i] + ", got " + actual[i] + ", bound " + bound);
        }
    }

    static void assertClose(double[] expected, double[] actual, int off, double[] absSums, int terms, String what) {
        for (int i = 0; i < actual.length; i++) {
            int j = i - off;
            if (j < 0 || j >= absSums.length) {
                assertTrue(Double.isNaN(actual[i]), what + ": guard cell " + i + " was written");
                continue;
            }
            double bound = 2.0 * (terms + 2) * Math.ulp(1.0) * absSums[j] + Double.MIN_NORMAL;
            assertTrue(Math.abs(expected[i] - actual[i]) <= bound, what + ": element " + j + " expected "
                    + expected[i] + ", got " + actual[i] + ", bound " + bound);
        }
    }

    static void assertArrayClose(double[] expected, double[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double bound = relative * (1 + Math.abs(expected[i])) * 64;
            assertTrue(Math.abs(expected[i] - actual[i]) <= bound, what + ": element " + i + " expected "
                    + expected[i] + ", got " + actual[i]);
        }
    }
}
