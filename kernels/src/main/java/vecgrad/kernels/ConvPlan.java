package vecgrad.kernels;

/**
 * The one place that decides how {@link ConvKernels} computes each pass of a convolution.
 *
 * <p>Measured on this project's 2-core AVX-512 machine (see {@code bench/README.md}). Stride-1 passes are direct
 * convolutions over flattened zero-padded planes (each kernel tap a fixed offset). Two register tilings exist:
 * {@link ConvDirectF32} puts positions in the vector lanes (4 output channels x 4 vectors; its shifted input
 * loads straddle cache lines, one load costing about two FMA slots) and {@link ConvBlockedF32} puts output
 * channels in the lanes (16 or 14 positions x one channel vector, one scalar broadcast per FMA, 145 vs 120
 * GFLOP/s on 32 -> 32, 14 x 14, best of many runs on a loaded machine). The blocked forward wins once a lane
 * block of output channels is full and there are 8 or more input channels: 32 -> 16 113 vs 89 GFLOP/s, 16 -> 32
 * 117 vs 94, 8 -> 32 104 vs 87, 16 -> 16 (28 x 28) 103 vs 88, 4 -> 32 a tie (56), 16 -> 8 62 vs 88; on
 * 64 -> 256, 149 x 99, batch 8, one thread, 221-253 vs 331-338 ms. The input gradient is the same correlation
 * with the channel roles swapped, so it takes the same rule on (cpg, opg): 256 -> 64 268-308 vs 375-379 ms,
 * 16 -> 8 (layer b) 0.65 vs 0.70 ms. The weight gradient is blocked (9 taps x 2 channel vectors per tile,
 * no lane sums) when two full lane blocks of output channels exist: 32 x 32 channels 3.8-4.3 vs 7.1-7.4 ms on
 * one thread, 64 x 256 227-239 vs 408-620 ms, 2 -> 64 (300 x 200) 20 vs 33 ms; with 16 or 8 output channels
 * half or more of its lanes would idle (layer a: 3.9 vs 1.2 ms), so the direct one ({@link ConvWeightGradF32},
 * gradient rows on the input's pitch, 2 output channels x 9 taps) runs there. Float64 has no blocked kernels
 * and runs DIRECT in their place. The direct passes need stride 1, so strided convolutions use im2col + GEMM
 * (col2im for the input gradient), which handles every geometry.
 */
public final class ConvPlan {
    /** How a pass is computed. */
    public enum Algorithm {
        /** Register-tiled direct convolution over padded planes (stride 1 only). */
        DIRECT,
        /**
         * Direct convolution with the pass's output channels in the vector lanes ({@link ConvBlockedF32}, stride 1
         * only); float32 only, float64 runs {@link #DIRECT} in its place.
         */
        BLOCKED,
        /** Unfold the input into columns and multiply with {@link GemmKernels}. */
        IM2COL_GEMM
    }

    /** The three passes of a convolution. */
    public enum Pass { FORWARD, GRAD_INPUT, GRAD_WEIGHT }

    private static final ThreadLocal<Algorithm> FORCED = new ThreadLocal<>();

    private ConvPlan() {}

    /** The algorithm {@link ConvKernels} runs for {@code pass} of {@code g} on the current thread. */
    public static Algorithm choose(ConvGeometry g, Pass pass) {
        Algorithm forced = FORCED.get();
        boolean unitStride = g.spec().strideHeight() == 1 && g.spec().strideWidth() == 1;
        if (forced != null && (forced == Algorithm.IM2COL_GEMM || unitStride)) {
            return forced;
        }
        if (!unitStride) {
            return Algorithm.IM2COL_GEMM;
        }
        int lanes = Simd.F32_LANES;
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        boolean blocked = switch (pass) {
            case FORWARD -> opg >= lanes && cpg >= 8;
            case GRAD_INPUT -> cpg >= lanes && opg >= 8;
            case GRAD_WEIGHT -> opg >= 2 * lanes;
        };
        return blocked ? Algorithm.BLOCKED : Algorithm.DIRECT;
    }

    /**
     * Makes every pass on the current thread use {@code algorithm} where it applies (DIRECT needs stride 1)
     * until the scope closes. For tests that compare the two paths on one geometry, and benchmarks.
     */
    public static Parallel.Scope force(Algorithm algorithm) {
        Algorithm previous = FORCED.get();
        FORCED.set(algorithm);
        return () -> FORCED.set(previous);
    }
}
