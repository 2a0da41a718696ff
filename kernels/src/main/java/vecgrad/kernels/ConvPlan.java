package vecgrad.kernels;

/**
 * The one place that decides how {@link ConvKernels} computes each pass of a convolution.
 *
 * <p>Measured on this project's 2-core AVX-512 machine (see {@code bench/README.md}): a direct
 * convolution over the flattened zero-padded input plane (each kernel tap is a fixed offset into the
 * plane, a register tile of 4 output channels x 3 vectors reads shifted rows with no packing) beats
 * im2col + GEMM on small and mid-size channel counts in every pass (1.5-4x on the benchmark layers),
 * and on the forward and input-gradient passes of the large layer too (64 -> 256 channels, 149 x 99:
 * 485 vs 724 ms and 565 vs 589 ms on one thread). Its weight gradient streams the output gradient once
 * per input channel, so from {@link #GEMM_WEIGHT_GRADIENT_CHANNELS} channel pairs per group on, the
 * packed GEMM wins there (578 vs 854 ms on that layer). The direct path needs stride 1, so strided
 * convolutions use im2col + GEMM (col2im for the input gradient), which handles every geometry.
 */
public final class ConvPlan {
    /** How a pass is computed. */
    public enum Algorithm {
        /** Register-tiled direct convolution over padded planes (stride 1 only). */
        DIRECT,
        /** Unfold the input into columns and multiply with {@link GemmKernels}. */
        IM2COL_GEMM
    }

    /** The three passes of a convolution. */
    public enum Pass { FORWARD, GRAD_INPUT, GRAD_WEIGHT }

    /**
     * Input x output channels per group from which the weight gradient runs as im2col + GEMM: 64 x 256 =
     * 16384 measured faster as GEMM, 32 x 32 = 1024 faster direct (15 vs 22 ms).
     */
    public static final int GEMM_WEIGHT_GRADIENT_CHANNELS = 4096;

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
        if (pass == Pass.GRAD_WEIGHT
                && (long) g.inChannelsPerGroup() * g.outChannelsPerGroup() >= GEMM_WEIGHT_GRADIENT_CHANNELS) {
            return Algorithm.IM2COL_GEMM;
        }
        return Algorithm.DIRECT;
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
