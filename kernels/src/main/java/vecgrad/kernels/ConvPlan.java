package vecgrad.kernels;

/**
 * The one place that decides how {@link ConvKernels} computes each pass of a convolution.
 *
 * <p>Measured on this project's 2-core AVX-512 machine (see {@code bench/README.md}; one 512-bit vector load
 * there costs about two FMA slots, so every tile is judged by FMAs per load): the direct convolution over
 * flattened zero-padded planes ({@link ConvDirectF32}: output positions on the padded pitch, each kernel tap a
 * fixed offset, 4 output channels x 4 vectors per register tile) runs the forward and input-gradient passes:
 * the previous direct kernel already beat im2col + GEMM there on every benchmark layer (64 -> 256, 149 x 99:
 * 485 vs 724 ms forward on one thread), and this one is 1.05-2.2x faster than that (0.9-1.05x on the
 * input gradient of a single input channel, where 3 of the 4 tile channels are idle). The direct weight
 * gradient ({@link ConvWeightGradF32}: gradient rows on the input's pitch, image blocks that stay in L2, 2 output
 * channels x 9 taps per tile) runs on every stride-1 layer: 32 x 32 channels 8 vs 14 ms on one thread, and
 * 64 x 256 (149 x 99, batch 8) 212-225 vs 326-488 ms on two threads against the rewritten GEMM (12 x 2-vector
 * tile), interleaved in one JVM, and 400-530 vs 515-740 ms while the machine was busy (an earlier GEMM won that
 * layer, 434 vs 501 ms, so the weight gradient used to switch to GEMM from 64 x 64 channels). The direct passes
 * need stride 1, so strided convolutions use im2col + GEMM (col2im for the input gradient), which handles every
 * geometry.
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
            case FORWARD -> opg >= 2 * lanes && cpg >= lanes;
            case GRAD_INPUT -> cpg >= 2 * lanes && opg >= lanes;
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
