package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.UpsampleKernels;
import vecgrad.kernels.UpsampleReference;

/**
 * Upsample kernels: twin equals reference (nearest forward exactly; sums within the size-scaled bound),
 * thread-count independence, central differences in float64, and PyTorch's bilinear result on a 2x2 image.
 */
class UpsampleKernelTest {
    static LongStream seeds() {
        return Cases.seeds(20);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void simdMatchesReference(long seed) {
        Property.check("upsample twin", seed, 13, (rng, max) -> {
            int n = rng.nextInt(1, 3);
            int c = rng.nextInt(1, 4);
            int h = rng.nextInt(1, max + 1);
            int w = rng.nextInt(1, max + 1);
            int sh = rng.nextInt(1, 4);
            int sw = rng.nextInt(1, 4);
            int oh = rng.nextInt(1, 2 * max + 1);
            int ow = rng.nextInt(1, 2 * max + 1);
            int off = Cases.OFFSETS[rng.nextInt(Cases.OFFSETS.length)];
            int in = n * c * h * w;
            double[] x = Cases.paddedDoubles(rng, off, in, -2, 2);
            double[] gNear = Cases.paddedDoubles(rng, off, in * sh * sw, -1, 1);
            double[] gBil = Cases.paddedDoubles(rng, off, n * c * oh * ow, -1, 1);
            for (boolean single : new boolean[] {false, true}) {
                double ulp = single ? Math.ulp(1f) : Math.ulp(1.0);
                String what = (single ? "float32" : "float64") + " [" + n + ", " + c + ", " + h + ", " + w + "]";
                double[] y = PoolKernelTest.run(single, off, in * sh * sw, x,
                        (a, b) -> UpsampleKernels.nearestForward(a.f(), off, b.f(), off, n, c, h, w, sh, sw),
                        (a, b) -> UpsampleKernels.nearestForward(a.d(), off, b.d(), off, n, c, h, w, sh, sw));
                double[] yRef = PoolKernelTest.run(single, off, in * sh * sw, x,
                        (a, b) -> UpsampleReference.nearestForward(a.f(), off, b.f(), off, n, c, h, w, sh, sw),
                        (a, b) -> UpsampleReference.nearestForward(a.d(), off, b.d(), off, n, c, h, w, sh, sw));
                assertArrayEquals(yRef, y, "nearest " + what);
                double[] gx = PoolKernelTest.run(single, off, in, gNear,
                        (a, b) -> UpsampleKernels.nearestBackward(a.f(), off, b.f(), off, n, c, h, w, sh, sw),
                        (a, b) -> UpsampleKernels.nearestBackward(a.d(), off, b.d(), off, n, c, h, w, sh, sw));
                double[] gxRef = PoolKernelTest.run(single, off, in, gNear,
                        (a, b) -> UpsampleReference.nearestBackward(a.f(), off, b.f(), off, n, c, h, w, sh, sw),
                        (a, b) -> UpsampleReference.nearestBackward(a.d(), off, b.d(), off, n, c, h, w, sh, sw));
                double[] gxAbs = new double[in];
                UpsampleReference.nearestBackward(PoolKernelTest.abs(gNear), off, gxAbs, 0, n, c, h, w, sh, sw);
                PoolKernelTest.assertClose(gxRef, gx, off, gxAbs, sh * sw, ulp, "nearestBackward " + what);

                double[] yb = PoolKernelTest.run(single, off, n * c * oh * ow, x,
                        (a, b) -> UpsampleKernels.bilinearForward(a.f(), off, b.f(), off, n, c, h, w, oh, ow),
                        (a, b) -> UpsampleKernels.bilinearForward(a.d(), off, b.d(), off, n, c, h, w, oh, ow));
                double[] ybRef = PoolKernelTest.run(single, off, n * c * oh * ow, x,
                        (a, b) -> UpsampleReference.bilinearForward(a.f(), off, b.f(), off, n, c, h, w, oh, ow),
                        (a, b) -> UpsampleReference.bilinearForward(a.d(), off, b.d(), off, n, c, h, w, oh, ow));
                double[] ybAbs = new double[n * c * oh * ow];
                UpsampleReference.bilinearForward(PoolKernelTest.abs(x), off, ybAbs, 0, n, c, h, w, oh, ow);
                PoolKernelTest.assertClose(ybRef, yb, off, ybAbs, 8, ulp, "bilinear " + what);
                double[] gb = PoolKernelTest.run(single, off, in, gBil,
                        (a, b) -> UpsampleKernels.bilinearBackward(a.f(), off, b.f(), off, n, c, h, w, oh, ow),
                        (a, b) -> UpsampleKernels.bilinearBackward(a.d(), off, b.d(), off, n, c, h, w, oh, ow));
                double[] gbRef = PoolKernelTest.run(single, off, in, gBil,
                        (a, b) -> UpsampleReference.bilinearBackward(a.f(), off, b.f(), off, n, c, h, w, oh, ow),
                        (a, b) -> UpsampleReference.bilinearBackward(a.d(), off, b.d(), off, n, c, h, w, oh, ow));
                double[] gbAbs = new double[in];
                UpsampleReference.bilinearBackward(PoolKernelTest.abs(gBil), off, gbAbs, 0, n, c, h, w, oh, ow);
                int terms = 4 * ((oh + h - 1) / h + 1) * ((ow + w - 1) / w + 1);
                PoolKernelTest.assertClose(gbRef, gb, off, gbAbs, terms, ulp, "bilinearBackward " + what);
            }
        });
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void backwardMatchesCentralDifferencesAndThreadCountDoesNotMatter(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(1, 3);
        int c = rng.nextInt(1, 40);
        int h = rng.nextInt(1, 10);
        int w = rng.nextInt(1, 10);
        int sh = rng.nextInt(1, 4);
        int sw = rng.nextInt(1, 4);
        int oh = rng.nextInt(1, 20);
        int ow = rng.nextInt(1, 20);
        double[] x = Cases.uniform(rng, n * c * h * w, -1, 1);
        double[] vNear = Cases.uniform(rng, n * c * h * w * sh * sw, -1, 1);
        double[] vBil = Cases.uniform(rng, n * c * oh * ow, -1, 1);
        double[] gNear = new double[x.length];
        double[] gBil = new double[x.length];
        UpsampleKernels.nearestBackward(vNear, 0, gNear, 0, n, c, h, w, sh, sw);
        UpsampleKernels.bilinearBackward(vBil, 0, gBil, 0, n, c, h, w, oh, ow);
        PoolKernelTest.checkDirections(rng, x, gNear, vNear, in -> {
            double[] out = new double[vNear.length];
            UpsampleKernels.nearestForward(in, 0, out, 0, n, c, h, w, sh, sw);
            return out;
        }, "nearest");
        PoolKernelTest.checkDirections(rng, x, gBil, vBil, in -> {
            double[] out = new double[vBil.length];
            UpsampleKernels.bilinearForward(in, 0, out, 0, n, c, h, w, oh, ow);
            return out;
        }, "bilinear");
        float[] xf = PoolKernelTest.toFloats(x);
        float[] vf = PoolKernelTest.toFloats(vBil);
        float[][] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (var scope = Parallel.withThreads(threads)) {
                float[] y = new float[n * c * oh * ow];
                float[] g = new float[x.length];
                UpsampleKernels.bilinearForward(xf, 0, y, 0, n, c, h, w, oh, ow);
                UpsampleKernels.bilinearBackward(vf, 0, g, 0, n, c, h, w, oh, ow);
                if (first == null) {
                    first = new float[][] {y, g};
                } else {
                    assertArrayEquals(first[0], y, threads + " threads");
                    assertArrayEquals(first[1], g, threads + " threads");
                }
            }
        }
    }

    @Test
    void bilinearDoublingOfTwoByTwoMatchesPyTorch() {
        // torch.nn.functional.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        double[] x = {1, 2, 3, 4};
        double[] y = new double[16];
        UpsampleKernels.bilinearForward(x, 0, y, 0, 1, 1, 2, 2, 4, 4);
        assertArrayEquals(new double[] {1.0, 1.25, 1.75, 2.0, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3.0, 3.25,
                3.75, 4.0}, y, 1e-15);
        double[] near = new double[16];
        UpsampleKernels.nearestForward(x, 0, near, 0, 1, 1, 2, 2, 2, 2);
        assertArrayEquals(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, near);
    }
}
