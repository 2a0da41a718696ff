package vecgrad.bench.harness;

/**
 * Benchmark data that vecgrad's benchmarks and the Python peers generate bit for bit alike
 * ({@code bench/peers/peerlib.py} has the twin), so both sides cluster the same points.
 *
 * <p>Every value is a SplitMix64 draw at a fixed counter, turned into a double in [0, 1) and combined
 * with additions and multiplications only, which IEEE 754 rounds the same way in Java and NumPy.
 * Fashion-MNIST is not shipped with the project, so the cluster suites run on blobs of the same shape.
 */
public final class BenchData {
    /** The seed every benchmark and peer uses unless a case says otherwise. */
    public static final long SEED = 20261123L;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Half-width of a blob: 0.25 * (u1 + u2 + u3 - 1.5) lies in [-0.375, 0.375). */
    private static final double NOISE = 0.25;

    private BenchData() {}

    /** The {@code index}-th uniform double in [0, 1) of the stream {@code seed}. */
    public static double uniform(long seed, long index) {
        long z = seed + (index + 1) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    /**
     * {@code n} points in {@code d} dimensions around {@code k} centers, row-major {@code [n, d]}:
     * center {@code j} has coordinates {@code uniform(seed, j·d + f)}; row {@code i} belongs to center
     * {@code i mod k} and adds {@code 0.25·(u1 + u2 + u3 − 1.5)} per coordinate, with the u's drawn at
     * counters {@code k·d + 3·(i·d + f) + r}. Values are computed in double and rounded to float once.
     */
    public static float[] blobs(int n, int d, int k, long seed) {
        if (n < 1 || d < 1 || k < 1) {
            throw new IllegalArgumentException("BenchData.blobs: sizes must be >= 1; got n=" + n + ", d=" + d + ", k=" + k);
        }
        double[] centers = new double[k * d];
        for (int i = 0; i < centers.length; i++) {
            centers[i] = uniform(seed, i);
        }
        float[] x = new float[Math.multiplyExact(n, d)];
        long base = (long) k * d;
        for (int i = 0; i < n; i++) {
            int center = (i % k) * d;
            for (int f = 0; f < d; f++) {
                long counter = base + 3L * ((long) i * d + f);
                double noise = uniform(seed, counter) + uniform(seed, counter + 1) + uniform(seed, counter + 2) - 1.5;
                x[i * d + f] = (float) (centers[center + f] + NOISE * noise);
            }
        }
        return x;
    }

    /** The first {@code k} rows of {@code x[n, d]}: the initial centers / means every cluster case starts from. */
    public static float[] firstRows(float[] x, int d, int k) {
        return java.util.Arrays.copyOf(x, k * d);
    }
}
