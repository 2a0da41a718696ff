package vecgrad.examples;

import java.util.SplittableRandom;
import vecgrad.kernels.GemmKernels;
import vecgrad.kernels.GemmReference;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.Simd;

/** The main demo: the machine's SIMD width, a self-check of the kernels against their references, GEMM speed. */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "SIMD width, kernel self-check and GEMM throughput on this machine";
    }

    @Override
    public String usage() {
        return """
                usage: ./vecgrad demo [--n N]
                  Prints the vector width the kernels use, checks the SIMD GEMM against its scalar
                  reference on random shapes, and times an N x N x N float32 GEMM (default N = 1024).""";
    }

    @Override
    public int run(String[] args) {
        int n = 1024;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--n") && i + 1 < args.length) {
                n = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option '" + args[i] + "' (see --help)");
            }
        }
        System.out.println("vecgrad " + Simd.describe() + ", " + Parallel.threads() + " threads");
        boolean ok = selfCheck();
        System.out.println("kernel self-check: " + (ok ? "ok" : "FAILED"));
        timeGemm(n);
        return ok ? 0 : 1;
    }

    private static boolean selfCheck() {
        SplittableRandom rng = new SplittableRandom(42);
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {33, 17, 65}, {64, 64, 64}, {129, 31, 200}};
        double worst = 0;
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = random(rng, m * k), b = random(rng, k * n);
            float[] fast = new float[m * n], slow = new float[m * n];
            GemmKernels.multiply(a, 0, k, b, 0, n, fast, 0, n, m, n, k, false);
            GemmReference.multiply(a, 0, k, b, 0, n, slow, 0, n, m, n, k, false);
            // Sums in another order differ by rounding relative to sum |a_ip * b_pj|, not to the
            // (possibly cancelled) result itself: scale each difference by that sum.
            float[] scale = new float[m * n];
            GemmReference.multiply(abs(a), 0, k, abs(b), 0, n, scale, 0, n, m, n, k, false);
            for (int i = 0; i < fast.length; i++) {
                worst = Math.max(worst, Math.abs(fast[i] - slow[i]) / Math.max(scale[i], Float.MIN_NORMAL));
            }
        }
        System.out.printf("  gemm vs reference on %d shapes: worst difference %.2e of sum |a*b| (bound 1e-5)%n",
                shapes.length, worst);
        return worst <= 1e-5;
    }

    private static void timeGemm(int n) {
        SplittableRandom rng = new SplittableRandom(7);
        float[] a = random(rng, n * n), b = random(rng, n * n), c = new float[n * n];
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long start = System.nanoTime();
            GemmKernels.multiply(a, 0, n, b, 0, n, c, 0, n, n, n, n, false);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("sgemm %d x %d x %d: best of 5 %.1f ms, %.1f GFLOP/s (indicative; JMH figures in bench/README.md)%n",
                n, n, n, best * 1e3, 2.0 * n * n * n / best / 1e9);
    }

    private static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }
}
