package vecgrad.kernels;

/**
 * How the direct weight gradient ({@link ConvWeightGradF32}, {@link ConvWeightGradF64}) lays out and cuts one
 * stride-1 geometry: padded input planes {@code [planeRows, pitch]}, gradient rows on the same pitch
 * ({@code span} positions per plane, rounded up to whole vectors), image blocks sized to stay in L2, and
 * output-channel blocks that bring the chunk count near {@link ConvPlanes#TARGET_CHUNKS}. Everything depends
 * on the geometry and the lane count only, never on the thread count.
 *
 * <p>Chunk {@code k} is image block {@code k / (groups * channelBlocks)}, group
 * {@code k / channelBlocks % groups}, channel block {@code k % channelBlocks}.
 */
record ConvWeightGradLayout(int planeRows, int pitch, int planeLen, int span, int positionBlock, int paddedLength,
                            int imagesPerBlock, int imageBlocks, int channelBlock, int channelBlocks, int groups,
                            int batch, int outChannelsPerGroup) {

    static ConvWeightGradLayout of(ConvGeometry g, int lanes, int blockElements, int maxBlockImages,
                                   int positionBlock) {
        ConvSpec s = g.spec();
        int planeRows = g.height() + s.padTop() + s.padBottom();
        int pitch = g.width() + s.padLeft() + s.padRight();
        int span = ConvPlanes.ceilDiv(g.outHeight() * pitch, lanes) * lanes;
        long perImage = (long) g.inChannels() * planeRows * pitch + (long) g.outChannels() * span;
        int imagesPerBlock = (int) Math.min(Math.max(1, blockElements / perImage),
                Math.min(maxBlockImages, g.batch()));
        int imageBlocks = ConvPlanes.ceilDiv(g.batch(), imagesPerBlock);
        int width = tileChannels(g);
        int opg = g.outChannelsPerGroup();
        int wanted = ConvPlanes.ceilDiv(ConvPlanes.TARGET_CHUNKS, imageBlocks * g.groups());
        int splits = Math.max(1, Math.min(wanted, ConvPlanes.ceilDiv(opg, width)));
        int channelBlock = ConvPlanes.ceilDiv(ConvPlanes.ceilDiv(opg, splits), width) * width;
        // reads reach lanes - 1 + (kw - 1) * dw past the last plane (see ConvWeightGradF32)
        int paddedLength = g.batch() * g.inChannels() * planeRows * pitch + lanes
                + (g.kernelWidth() - 1) * s.dilationWidth();
        return new ConvWeightGradLayout(planeRows, pitch, planeRows * pitch, span, positionBlock, paddedLength,
                imagesPerBlock, imageBlocks, channelBlock, ConvPlanes.ceilDiv(opg, channelBlock), g.groups(),
                g.batch(), opg);
    }

    /**
     * Output channels of one weight tile: 2 for 3x3 kernels with unit column dilation (2 x 9 taps, 18
     * accumulators; the three column taps of a kernel row are constant offsets), else 4 (4 x 3 taps).
     */
    static int tileChannels(ConvGeometry g) {
        return g.kernelHeight() == 3 && g.kernelWidth() == 3 && g.spec().dilationWidth() == 1 ? 2 : 4;
    }

    int chunks() {
        return imageBlocks * groups * channelBlocks;
    }

    int imageBlockOf(int chunk) {
        return chunk / (groups * channelBlocks);
    }

    int groupOf(int chunk) {
        return chunk / channelBlocks % groups;
    }

    int firstImage(int chunk) {
        return imageBlockOf(chunk) * imagesPerBlock;
    }

    int images(int chunk) {
        return Math.min(imagesPerBlock, batch - firstImage(chunk));
    }

    /** First output channel of the chunk, counted inside its group. */
    int firstChannel(int chunk) {
        return chunk % channelBlocks * channelBlock;
    }

    int channels(int chunk) {
        return Math.min(channelBlock, outChannelsPerGroup - firstChannel(chunk));
    }
}
