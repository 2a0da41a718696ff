package vecgrad.kernels;

/**
 * The one place that decides how {@link ConvKernels} computes each pass of a convolution.
 *
 * <p>Measured on this project's 2-core AVX-512 machine (see {@code bench/README.md}): a direct
 * convolution over the flattened zero-padded input plane (each kernel tap is a fixed offset into the
 * plane, a register tile of 4 output channels x 3 vectors reads shifted rows with no packing) beats
 * im2col + GEMM on small channel counts and on every backward pass. It needs stride 1, so strided
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

    private static final ThreadLocal<Algorithm> FORCED = new ThreadLocal<>();

    private ConvPlan() {}

    /** The algorithm {@link ConvKernels} runs for {@code pass} of {@code g} on the current thread. */
    public static Algorithm choose(ConvGeometry g, Pass pass) {
        Algorithm forced = FORCED.get();
        boolean unitStride = g.spec().strideHeight() == 1 && g.spec().strideWidth() == 1;
        if (forced != null && (forced == Algorithm.IM2COL_GEMM || unitStride)) {
            return forced;
        }
        return unitStride ? Algorithm.DIRECT : Algorithm.IM2COL_GEMM;
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
