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
import vecgrad.kernels.ConvShapes;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.PoolGeometry;
import vecgrad.kernels.PoolKernels;
import vecgrad.kernels.PoolReference;
import vecgrad.kernels.PoolSpec;
import vecgrad.kernels.Simd;

/**
 * Pool kernels: SIMD twin equals the reference (max and argmax exactly, including ties and NaN; sums
 * within {@code 2 * (K + 2) * ulp(1) * sum |terms|}), thread-count independence, and backward passes
 * against central differences of the forward in float64 on tie-free inputs.
 */
class PoolKernelTest {
    static LongStream seeds() {
        return Cases.seeds(30);
    }

    static LongStream fewSeeds() {
        return Cases.seeds(10);
    }

    /** A random pooling geometry; {@code wide} adds widths that reach the 2x2 stride-2 vector path. */
    static PoolGeometry randomGeometry(SplittableRandom rng, int max, boolean wide) {
        int kh = rng.nextInt(1, Math.min(4, max) + 1);
        int kw = rng.nextInt(1, Math.min(4, max) + 1);
        boolean halving = rng.nextInt(3) == 0;
        if (halving) {
            kh = 2;
            kw = 2;
        }
        int sh = halving ? 2 : rng.nextInt(1, 4);
        int sw = halving ? 2 : rng.nextInt(1, 4);
        int ph = halving ? 0 : rng.nextInt(kh / 2 + 1);
        int pw = halving ? 0 : rng.nextInt(kw / 2 + 1);
        int height = rng.nextInt(Math.max(1, kh - 2 * ph), Math.max(Math.max(1, kh - 2 * ph), max) + 1);
        int widest = wide ? 4 * Simd.F32_LANES + 5 : max;
        int width = rng.nextInt(Math.max(1, kw - 2 * pw), Math.max(Math.max(1, kw - 2 * pw), widest) + 1);
        PoolSpec spec = new PoolSpec(kh, kw, sh, sw, ph, pw, rng.nextBoolean());
        return ConvShapes.pool2d("pool", new int[] {rng.nextInt(1, 3), rng.nextInt(1, 4), height, width}, spec);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void maxPoolMatchesReferenceExactlyWithTiesAndNaN(long seed) {
        Property.check("max_pool2d twin", seed, 13, (rng, max) -> {
            PoolGeometry g = randomGeometry(rng, max, true);
            int off = Cases.OFFSETS[rng.nextInt(Cases.OFFSETS.length)];
            double[] values = new double[off + g.inputSize() + Cases.GUARD];
            Arrays.fill(values, Double.NaN);
            for (int i = 0; i < g.inputSize(); i++) {
                // few distinct values: many ties; now and then a NaN, also in vector tail lanes
                values[off + i] = rng.nextInt(40) == 0 ? Double.NaN : rng.nextInt(-3, 4);
            }
            float[] x = toFloats(values);
            float[] y = new float[g.outputSize()];
            float[] yRef = new float[g.outputSize()];
            int[] arg = new int[g.outputSize()];
            int[] argRef = new int[g.outputSize()];
            PoolKernels.maxForward(x, off, y, 0, arg, 0, g);
            PoolReference.maxForward(x, off, yRef, 0, argRef, 0, g);
            assertArrayEquals(yRef, y, "max float32 " + g);
            assertArrayEquals(argRef, arg, "argmax float32 " + g);
            double[] yd = new double[g.outputSize()];
            double[] ydRef = new double[g.outputSize()];
            PoolKernels.maxForward(values, off, yd, 0, arg, 0, g);
            PoolReference.maxForward(values, off, ydRef, 0, argRef, 0, g);
            assertArrayEquals(ydRef, yd, "max float64 " + g);
            assertArrayEquals(argRef, arg, "argmax float64 " + g);

            double[] grad = Cases.paddedDoubles(rng, off, g.outputSize(), -1, 1);
            double[] gx = sentinels(off + g.inputSize() + Cases.GUARD);
            double[] gxRef = sentinels(gx.length);
            PoolKernels.maxBackward(grad, off, arg, 0, gx, off, g);
            PoolReference.maxBackward(grad, off, arg, 0, gxRef, off, g);
            double[] gxAbs = new double[g.inputSize()];
            PoolReference.maxBackward(abs(grad), off, arg, 0, gxAbs, 0, g);
            assertClose(gxRef, gx, off, gxAbs, windowsPerCell(g), Math.ulp(1.0), "maxBackward float64 " + g);
            float[] gradF = toFloats(grad);
            float[] gxF = floatSentinels(gx.length);
            float[] gxFRef = floatSentinels(gx.length);
            PoolKernels.maxBackward(gradF, off, arg, 0, gxF, off, g);
            PoolReference.maxBackward(gradF, off, arg, 0, gxFRef, off, g);
            assertClose(toDoubles(gxFRef), toDoubles(gxF), off, gxAbs, windowsPerCell(g), Math.ulp(1f),
                    "maxBackward float32 " + g);
        });
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void averageAndLpPoolsMatchReference(long seed) {
        Property.check("avg/lp twin", seed, 13, (rng, max) -> {
            PoolGeometry g = randomGeometry(rng, max, true);
            int off = Cases.OFFSETS[rng.nextInt(Cases.OFFSETS.length)];
            boolean include = rng.nextBoolean();
            double[] x = Cases.paddedDoubles(rng, off, g.inputSize(), -2, 2);
            double[] grad = Cases.paddedDoubles(rng, off, g.outputSize(), -1, 1);
            int window = g.spec().kernelHeight() * g.spec().kernelWidth();
            for (boolean single : new boolean[] {false, true}) {
                double ulp = single ? Math.ulp(1f) : Math.ulp(1.0);
                String what = (single ? "float32 " : "float64 ") + g + " countIncludePad " + include;
                double[] y = run(single, off, g.outputSize(), x, (a, b) -> PoolKernels.avgForward(a.f, off, b.f, off,
                        g, include), (a, b) -> PoolKernels.avgForward(a.d, off, b.d, off, g, include));
                double[] yRef = run(single, off, g.outputSize(), x, (a, b) -> PoolReference.avgForward(a.f, off, b.f,
                        off, g, include), (a, b) -> PoolReference.avgForward(a.d, off, b.d, off, g, include));
                double[] yAbs = new double[off + g.outputSize()];
                PoolReference.avgForward(abs(x), off, yAbs, off, g, include);
                assertClose(yRef, y, off, Arrays.copyOfRange(yAbs, off, yAbs.length), window, ulp, "avg " + what);

                double[] gx = run(single, off, g.inputSize(), grad, (a, b) -> PoolKernels.avgBackward(a.f, off, b.f,
                        off, g, include), (a, b) -> PoolKernels.avgBackward(a.d, off, b.d, off, g, include));
                double[] gxRef = run(single, off, g.inputSize(), grad, (a, b) -> PoolReference.avgBackward(a.f, off,
                        b.f, off, g, include), (a, b) -> PoolReference.avgBackward(a.d, off, b.d, off, g, include));
                double[] gxAbs = new double[off + g.inputSize()];
                PoolReference.avgBackward(abs(grad), off, gxAbs, off, g, include);
                assertClose(gxRef, gx, off, Arrays.copyOfRange(gxAbs, off, gxAbs.length), windowsPerCell(g), ulp,
                        "avgBackward " + what);

                double[] ylp = run(single, off, g.outputSize(), x, (a, b) -> PoolKernels.lpForward(a.f, off, b.f, off,
                        g, 2), (a, b) -> PoolKernels.lpForward(a.d, off, b.d, off, g, 2));
                double[] ylpRef = run(single, off, g.outputSize(), x, (a, b) -> PoolReference.lpForward(a.f, off,
                        b.f, off, g, 2), (a, b) -> PoolReference.lpForward(a.d, off, b.d, off, g, 2));
                assertClose(ylpRef, ylp, off, Arrays.copyOfRange(ylpRef, off, off + g.outputSize()), window, 2 * ulp,
                        "lp " + what);
            }
        });
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void lpBackwardMatchesReferenceForSeveralNorms(long seed) {
        Property.check("lp twin", seed, 13, (rng, max) -> {
            PoolGeometry g = randomGeometry(rng, max, false);
            double p = new double[] {1, 1.5, 2, 3}[rng.nextInt(4)];
            // positive inputs: x^p is real for every p; one plane of zeros exercises the zero-window rule
            double[] x = Cases.uniform(rng, g.inputSize(), 0.2, 2);
            Arrays.fill(x, 0, g.height() * g.width(), 0);
            double[] grad = Cases.uniform(rng, g.outputSize(), -1, 1);
            double[] y = new double[g.outputSize()];
            PoolReference.lpForward(x, 0, y, 0, g, p);
            double[] yk = new double[g.outputSize()];
            PoolKernels.lpForward(x, 0, yk, 0, g, p);
            assertClose(y, yk, 0, y, g.spec().kernelHeight() * g.spec().kernelWidth() * 8, Math.ulp(1.0),
                    "lpForward p=" + p + " " + g);
            double[] gx = new double[g.inputSize()];
            double[] gxRef = new double[g.inputSize()];
            PoolKernels.lpBackward(x, 0, y, 0, grad, 0, gx, 0, g, p);
            PoolReference.lpBackward(x, 0, y, 0, grad, 0, gxRef, 0, g, p);
            double[] gxAbs = new double[g.inputSize()];
            PoolReference.lpBackward(x, 0, y, 0, abs(grad), 0, gxAbs, 0, g, p);
            assertClose(gxRef, gx, 0, gxAbs, windowsPerCell(g) * 8, Math.ulp(1.0), "lpBackward p=" + p + " " + g);
            for (int i = 0; i < g.height() * g.width(); i++) {
                assertEquals(0.0, gx[i], "an all-zero window has gradient 0");
            }
        });
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void adaptiveAndGlobalAverageMatchReference(long seed) {
        Property.check("adaptive avg twin", seed, 13, (rng, max) -> {
            int n = rng.nextInt(1, 3);
            int c = rng.nextInt(1, 4);
            int h = rng.nextInt(1, max + 1);
            int w = rng.nextInt(1, 2 * Simd.F32_LANES + 4);
            int oh = rng.nextInt(1, max + 1);
            int ow = rng.nextInt(1, max + 1);
            double[] x = Cases.uniform(rng, n * c * h * w, -2, 2);
            double[] grad = Cases.uniform(rng, n * c * oh * ow, -1, 1);
            double[] y = new double[n * c * oh * ow];
            double[] yRef = new double[y.length];
            PoolKernels.adaptiveAvgForward(x, 0, y, 0, n, c, h, w, oh, ow);
            PoolReference.adaptiveAvgForward(x, 0, yRef, 0, n, c, h, w, oh, ow);
            double[] yAbs = new double[y.length];
            PoolReference.adaptiveAvgForward(abs(x), 0, yAbs, 0, n, c, h, w, oh, ow);
            assertClose(yRef, y, 0, yAbs, h * w, Math.ulp(1.0), "adaptive forward");
            double[] gx = new double[x.length];
            double[] gxRef = new double[x.length];
            PoolKernels.adaptiveAvgBackward(grad, 0, gx, 0, n, c, h, w, oh, ow);
            PoolReference.adaptiveAvgBackward(grad, 0, gxRef, 0, n, c, h, w, oh, ow);
            double[] gxAbs = new double[x.length];
            PoolReference.adaptiveAvgBackward(abs(grad), 0, gxAbs, 0, n, c, h, w, oh, ow);
            assertClose(gxRef, gx, 0, gxAbs, oh * ow, Math.ulp(1.0), "adaptive backward");
            float[] xf = toFloats(x);
            float[] g1 = new float[n * c];
            float[] g1Ref = new float[n * c];
            PoolKernels.globalAvgForward(xf, 0, g1, 0, n, c, h, w);
            PoolReference.globalAvgForward(xf, 0, g1Ref, 0, n, c, h, w);
            double[] gAbs = new double[n * c];
            PoolReference.globalAvgForward(abs(x), 0, gAbs, 0, n, c, h, w);
            assertClose(toDoubles(g1Ref), toDoubles(g1), 0, gAbs, h * w, Math.ulp(1f), "global forward");
            float[] back = new float[x.length];
            PoolKernels.globalAvgBackward(toFloats(Arrays.copyOf(grad, n * c)), 0, back, 0, n, c, h, w);
            for (int i = 0; i < x.length; i++) {
                assertEquals((float) grad[i / (h * w)] / (h * w), back[i], Math.ulp(1f) * 2, "global backward " + i);
            }
        });
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void resultsAreBitIdenticalForAnyThreadCount(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        PoolGeometry small = randomGeometry(rng, 13, true);
        // enough planes for several chunks
        PoolGeometry g = ConvShapes.pool2d("pool", new int[] {40, 50, small.height(), small.width()}, small.spec());
        float[] x = Cases.uniformFloats(rng, g.inputSize(), -1, 1);
        float[] grad = Cases.uniformFloats(rng, g.outputSize(), -1, 1);
        float[][] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (var scope = Parallel.withThreads(threads)) {
                float[] y = new float[g.outputSize()];
                int[] arg = new int[g.outputSize()];
                float[] gx = new float[g.inputSize()];
                float[] ya = new float[g.outputSize()];
                float[] ga = new float[g.inputSize()];
                float[] yl = new float[g.outputSize()];
                float[] gl = new float[g.inputSize()];
                PoolKernels.maxForward(x, 0, y, 0, arg, 0, g);
                PoolKernels.maxBackward(grad, 0, arg, 0, gx, 0, g);
                PoolKernels.avgForward(x, 0, ya, 0, g, false);
                PoolKernels.avgBackward(grad, 0, ga, 0, g, true);
                PoolKernels.lpForward(x, 0, yl, 0, g, 2);
                PoolKernels.lpBackward(x, 0, yl, 0, grad, 0, gl, 0, g, 2);
                float[][] now = {y, gx, ya, ga, yl, gl};
                if (first == null) {
                    first = now;
                } else {
                    for (int i = 0; i < now.length; i++) {
                        assertArrayEquals(first[i], now[i], "result " + i + " with " + threads + " threads, " + g);
                    }
                }
            }
        }
    }

    /** Backward passes against central differences of the forward, float64, tie-free and away from zero. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fewSeeds")
    void backwardMatchesCentralDifferences(long seed) {
        Property.check("pool central differences", seed, 9, (rng, max) -> {
            PoolGeometry g = randomGeometry(rng, max, false);
            boolean include = rng.nextBoolean();
            double[] x = Cases.distinctSpaced(rng, g.inputSize(), 0.1);
            double[] positive = Cases.uniform(rng, g.inputSize(), 0.5, 2);
            double[] v = Cases.uniform(rng, g.outputSize(), -1, 1);
            int[] arg = new int[g.outputSize()];
            double[] y = new double[g.outputSize()];
            PoolKernels.maxForward(x, 0, y, 0, arg, 0, g);
            double[] gMax = new double[g.inputSize()];
            PoolKernels.maxBackward(v, 0, arg, 0, gMax, 0, g);
            checkDirections(rng, x, gMax, v, in -> {
                double[] out = new double[g.outputSize()];
                PoolKernels.maxForward(in, 0, out, 0, new int[g.outputSize()], 0, g);
                return out;
            }, "max " + g);
            double[] gAvg = new double[g.inputSize()];
            PoolKernels.avgBackward(v, 0, gAvg, 0, g, include);
            checkDirections(rng, x, gAvg, v, in -> {
                double[] out = new double[g.outputSize()];
                PoolKernels.avgForward(in, 0, out, 0, g, include);
                return out;
            }, "avg " + g);
            double p = rng.nextBoolean() ? 2 : 3;
            double[] ylp = new double[g.outputSize()];
            PoolKernels.lpForward(positive, 0, ylp, 0, g, p);
            double[] gLp = new double[g.inputSize()];
            PoolKernels.lpBackward(positive, 0, ylp, 0, v, 0, gLp, 0, g, p);
            checkDirections(rng, positive, gLp, v, in -> {
                double[] out = new double[g.outputSize()];
                PoolKernels.lpForward(in, 0, out, 0, g, p);
                return out;
            }, "lp p=" + p + " " + g);
        });
    }

    @Test
    void maxPoolOfKnownPlaneDropsRowsThatDoNotFillAWindow() {
        // 7x5 with 2x2 stride 2: the last row and column are dropped and get gradient 0 (FAULTS 22)
        double[] x = new double[35];
        for (int i = 0; i < 35; i++) {
            x[i] = i;
        }
        PoolGeometry g = ConvShapes.pool2d("max_pool2d", new int[] {1, 1, 7, 5}, PoolSpec.of(2, 2));
        assertArrayEquals(new int[] {1, 1, 3, 2}, g.outputShape());
        double[] y = new double[6];
        int[] arg = new int[6];
        PoolKernels.maxForward(x, 0, y, 0, arg, 0, g);
        assertArrayEquals(new double[] {6, 8, 16, 18, 26, 28}, y);
        double[] gx = new double[35];
        PoolKernels.maxBackward(new double[] {1, 1, 1, 1, 1, 1}, 0, arg, 0, gx, 0, g);
        for (int i = 0; i < 35; i++) {
            boolean isMax = i == 6 || i == 8 || i == 16 || i == 18 || i == 26 || i == 28;
            assertEquals(isMax ? 1.0 : 0.0, gx[i], "cell " + i);
        }
    }

    interface Forward {
        double[] apply(double[] x);
    }

    static void checkDirections(SplittableRandom rng, double[] x, double[] analyticGrad, double[] v, Forward f,
                                String what) {
        double eps = 1e-6;
        for (int direction = 0; direction < 3; direction++) {
            double[] u = Cases.uniform(rng, x.length, -1, 1);
            double analytic = ConvKernelTest.dot(analyticGrad, u);
            double numeric = (ConvKernelTest.dot(f.apply(ConvKernelTest.shift(x, u, eps)), v)
                    - ConvKernelTest.dot(f.apply(ConvKernelTest.shift(x, u, -eps)), v)) / (2 * eps);
            double allowed = 1e-9 + 1e-6 * Math.max(Math.abs(analytic), Math.abs(numeric));
            assertTrue(Math.abs(analytic - numeric) <= allowed, what + " direction " + direction + ": analytic "
                    + analytic + ", numeric " + numeric);
        }
    }

    /** Arrays in both precisions, so one lambda pair runs a kernel in float32 or float64. */
    record Data(float[] f, double[] d) {}

    interface Call {
        void run(Data in, Data out);
    }

    /** Runs the float or double variant on {@code x} (payload from {@code off}) and returns the output as doubles. */
    static double[] run(boolean single, int off, int outSize, double[] x, Call floats, Call doubles) {
        Data in = new Data(toFloats(x), x);
        Data out = new Data(floatSentinels(off + outSize + Cases.GUARD), sentinels(off + outSize + Cases.GUARD));
        if (single) {
            floats.run(in, out);
            return toDoubles(out.f());
        }
        doubles.run(in, out);
        return out.d();
    }

    /** How many windows can cover one input cell: the bound's term count for backward sums. */
    static int windowsPerCell(PoolGeometry g) {
        PoolSpec s = g.spec();
        return ceil(s.kernelHeight(), s.strideHeight()) * ceil(s.kernelWidth(), s.strideWidth());
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    static void assertClose(double[] expected, double[] actual, int off, double[] absSums, int terms, double ulp,
                            String what) {
        for (int i = 0; i < actual.length; i++) {
            int j = i - off;
            if (j < 0 || j >= absSums.length) {
                assertTrue(Double.isNaN(actual[i]), what + ": guard cell " + i + " was written");
                continue;
            }
            double bound = 2.0 * (terms + 2) * ulp * absSums[j] + Double.MIN_NORMAL;
            assertTrue(Math.abs(expected[i] - actual[i]) <= bound, what + ": element " + j + " expected "
                    + expected[i] + ", got " + actual[i] + ", bound " + bound);
        }
    }

    static float[] toFloats(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    static double[] toDoubles(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    static double[] sentinels(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    static float[] floatSentinels(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    static double[] abs(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.abs(x[i]);
        }
        return out;
    }
}
