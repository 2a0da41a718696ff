package vecgrad.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Channel-blocked direct stride-1 convolution, float32: the forward pass, the input gradient and the weight
 * gradient of {@link ConvKernels} with output channels in the vector lanes.
 *
 * <p>Forward and input gradient: like {@link ConvDirectF32} they read flattened zero-padded planes (output
 * position {@code q = oh * pitch + ow} reads plane position {@code q + tap}), but a register tile is 14 or 16
 * consecutive positions x one vector of output channels: per input channel and tap it loads one weight vector
 * and broadcasts one input scalar per position. Scalar broadcasts never straddle a cache line, where the
 * position-vector tiles of {@link ConvDirectF32} load shifted input rows that almost always do (on this machine
 * a 16 x 1 tile ran at 160-165 GFLOP/s from L1, 12 x 2 the same, 14 x 2 and 8 x 3 at 120 as the JIT spills; with
 * the 3x3 kernel rows written out, see {@link #nine14}, a 14 x 1 tile runs at 186-199). A tile's 16 x 16 result is
 * transposed in registers into 16 channel rows of positions (gathers were measured at 15% of the pass) and stored
 * into the output rows. The padded planes are zeroed only when their layout changes
 * ({@link ConvPlanes#padIntoScratch}).
 *
 * <p>Weight gradient: {@code gradWeight[co, ci, t] = sum over n, oh, ow of gradOutput[n, co, oh, ow] *
 * padded[n, ci, oh * pitch + ow + tap(t)]} with two vectors of output channels in the lanes: the gradient is
 * turned position-major ({@code [position][2 * LF]}) and one tile keeps 9 taps x 2 vectors of sums for one input
 * channel in registers, so no lane ever needs summing. Padded rows of at most {@link #NARROW} columns get that
 * pitch, which the 3x3 tile then reads with a constant row step. Each (image block, channel-pair block) chunk
 * writes its own partial, and the partials are added in image-block order: bit-identical for any thread count.
 */
final class ConvBlockedF32 {
    private static final VectorSpecies<Float> SF = Simd.F32;
    private static final int LF = SF.length();
    /** Positions of one register tile: 16 accumulators. */
    static final int POSITIONS = 16;
    /** Elements of padded input one block of positions may touch: 512 KB of float32, a quarter of an L2. */
    private static final int L2_ELEMENTS = 1 << 17;
    /** Padded planes of one part of an image at most: 1 MB of float32, half of an L2. */
    private static final int PART_ELEMENTS = 1 << 18;
    /** Tiles of one position block at most: their sums (64 KB) stay in L2 between input-channel chunks. */
    private static final int MAX_TILE_BLOCK = 64;
    /** Packed weights of one input-channel chunk: 32 KB, in L1 while a position block's tiles reuse them. */
    private static final int L1_WEIGHTS = 1 << 13;
    /** Output channels of one weight-gradient tile: two vectors. */
    private static final int PAIR = 2 * LF;
    /** Output positions per block of position-major gradient rows: 128 KB per pair of vectors, in L2. */
    private static final int GRADIENT_POSITIONS = 1024;
    /**
     * Pitch of the weight gradient's padded input planes when a padded row fits in it (rows of 14 with padding 1,
     * layer c): {@link #nineBy2Narrow} then reads them with a constant row step.
     */
    static final int NARROW = 16;
    private static final VectorShuffle<Float> XOR8 = xor(8);
    private static final VectorShuffle<Float> XOR4 = xor(4);
    private static final VectorShuffle<Float> XOR2 = xor(2);
    private static final VectorShuffle<Float> XOR1 = xor(1);
    private static final VectorMask<Float> HIGH8 = VectorMask.fromLong(SF, 0xFF00L);
    private static final VectorMask<Float> HIGH4 = VectorMask.fromLong(SF, 0xF0F0L);
    private static final VectorMask<Float> HIGH2 = VectorMask.fromLong(SF, 0xCCCCL);
    private static final VectorMask<Float> HIGH1 = VectorMask.fromLong(SF, 0xAAAAL);

    private ConvBlockedF32() {}

    /** Lane j takes lane {@code j ^ bit} (16-lane vectors only; unused, and the identity, otherwise). */
    private static VectorShuffle<Float> xor(int bit) {
        return SF.shuffleFromOp(j -> LF == 16 ? j ^ bit : j);
    }

    static void forward(float[] input, int inputOff, float[] weight, int weightOff, float[] bias, int biasOff,
                        float[] output, int outputOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int wp = g.width() + s.padLeft() + s.padRight();
        int tapCount = g.kernelHeight() * g.kernelWidth();
        int blocks = ConvPlanes.ceilDiv(opg, LF);
        int blockLength = cpg * tapCount * LF;
        float[] packed = new float[groups * blocks * blockLength];
        float[] packedBias = new float[groups * blocks * LF];
        for (int group = 0; group < groups; group++) {
            pack(weight, weightOff + group * opg * cpg * tapCount, opg, cpg * tapCount, packed,
                    group * blocks * blockLength);
            if (bias != null) {
                System.arraycopy(bias, biasOff + group * opg, packedBias, group * blocks * LF, opg);
            }
        }
        correlateAll(input, inputOff, g.inChannels(), g.height(), g.width(), cpg, s.padTop(), s.padLeft(), wp, g,
                packed, blocks * blockLength, packedBias, blocks * LF, opg, g.outChannels(), output, outputOff,
                g.outHeight(), g.outWidth());
    }

    static void gradInput(float[] gradOutput, int gradOutputOff, float[] weight, int weightOff, float[] gradInput,
                          int gradInputOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int tapCount = kh * kw;
        // gradInput is a stride-1 correlation of gradOutput, placed in a plane of the input's size plus the
        // dilated kernel, with the kernel flipped and its two channel axes swapped.
        int spanH = (kh - 1) * s.dilationHeight();
        int spanW = (kw - 1) * s.dilationWidth();
        int wq = g.width() + spanW;
        float[] flipped = ConvPlanes.flippedSwapped(weight, weightOff, g);
        int blocks = ConvPlanes.ceilDiv(cpg, LF);
        int blockLength = opg * tapCount * LF;
        float[] packed = new float[groups * blocks * blockLength];
        for (int group = 0; group < groups; group++) {
            pack(flipped, group * cpg * opg * tapCount, cpg, opg * tapCount, packed, group * blocks * blockLength);
        }
        float[] zeroBias = new float[groups * blocks * LF];
        correlateAll(gradOutput, gradOutputOff, g.outChannels(), g.outHeight(), g.outWidth(), opg, spanH - s.padTop(),
                spanW - s.padLeft(), wq, g, packed, blocks * blockLength, zeroBias, blocks * LF, cpg, g.inChannels(),
                gradInput, gradInputOff, g.height(), g.width());
    }

    /**
     * Every (image, group) of a stride-1 correlation: the source {@code [N, srcChannels, srcRows, srcCols]}
     * ({@code channels} per group) placed at ({@code top}, {@code left}) in zero planes of pitch {@code pitch},
     * correlated with g's kernel and the per-group packed weights ({@code packedLength} apart, bias
     * {@code biasLength} apart) into {@code outChannels} of the {@code outChannelsTotal} planes
     * {@code [outRows, outCols]} of each image. Each (image, group) is cut into parts of whole output rows, each
     * padding only the rows it reads: enough parts for {@link ConvPlanes#TARGET_CHUNKS} chunks (cutting the
     * output channels instead made every chunk pad the whole image: 2x the padding on 8 x 256 x 147 x 97
     * gradients), and small enough that a part's padded planes stay in L2 (a whole padded image of that
     * gradient is 16 MB). The cut depends on the geometry only.
     */
    private static void correlateAll(float[] src, int srcOff, int srcChannels, int srcRows, int srcCols, int channels,
                                     int top, int left, int pitch, ConvGeometry g, float[] packed, int packedLength,
                                     float[] bias, int biasLength, int outChannels, int outChannelsTotal, float[] out,
                                     int outOff, int outRows, int outCols) {
        int groups = g.groups();
        int units = g.batch() * groups;
        int span = (g.kernelHeight() - 1) * g.spec().dilationHeight();
        int wanted = units >= ConvPlanes.TARGET_CHUNKS ? 1 : ConvPlanes.ceilDiv(ConvPlanes.TARGET_CHUNKS, units);
        int fitting = Math.max(1, PART_ELEMENTS / (channels * pitch) - span);
        int rowsPerPart = Math.min(fitting, ConvPlanes.ceilDiv(outRows, Math.min(outRows, wanted)));
        int parts = ConvPlanes.ceilDiv(outRows, rowsPerPart);
        int slack = POSITIONS + LF + (g.kernelWidth() - 1) * g.spec().dilationWidth();
        int srcPlane = srcRows * srcCols;
        int outPlane = outRows * outCols;
        Parallel.forEach(units * parts, chunk -> {
            int r0 = chunk % parts * rowsPerPart;
            int rows = Math.min(rowsPerPart, outRows - r0);
            int unit = chunk / parts;
            int group = unit % groups;
            int n = unit / groups;
            int planeRows = rows + span;
            int planeLen = planeRows * pitch;
            float[] planes = ConvPlanes.padIntoScratch(src, srcOff + (n * srcChannels + group * channels) * srcPlane,
                    channels, srcRows, srcCols, planeLen, planeRows, pitch, top - r0, left, channels * planeLen + slack);
            correlate(planes, planeLen, pitch, channels, g, packed, group * packedLength, bias, group * biasLength,
                    outChannels, out, outOff + (n * outChannelsTotal + group * outChannels) * outPlane + r0 * outCols,
                    rows, outCols, outPlane);
        });
    }

    /**
     * Stride-1 correlation of {@code channels} padded planes (pitch {@code pitch}, {@code planeLen} apart) with
     * the weight blocks packed by {@link #pack} from {@code packedOff} (bias likewise from {@code biasOff}),
     * written to {@code outChannels} planes {@code [outHeight, outWidth]} at {@code outOff}, {@code outStride}
     * apart (rows of larger planes). The kernel has g's
     * size and dilation. Tiles run along output rows ({@link #tileWidth} positions, the last one of a row
     * reaching into the pitch columns) and store straight into the output; rows narrower than 12 use tiles of
     * 16 flat positions across rows, cut into the output afterwards. Tiles are grouped into blocks whose input
     * rows stay in L2 while every weight block runs over them, and input channels into chunks whose weights stay
     * in L1; a tile's sums wait in memory between chunks (in order, so every sum runs over the channels in order).
     */
    private static void correlate(float[] planes, int planeLen, int pitch, int channels, ConvGeometry g,
                                  float[] packed, int packedOff, float[] bias, int biasOff, int outChannels,
                                  float[] out, int outOff, int outHeight, int outWidth, int outStride) {
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int[] taps = ConvPlanes.tapOffsets(kh, kw, g.spec().dilationHeight(), g.spec().dilationWidth(), pitch);
        boolean nine = kh == 3 && kw == 3 && g.spec().dilationWidth() == 1;
        int rowStep = g.spec().dilationHeight() * pitch;
        int blockLength = channels * taps.length * LF;
        int blocks = ConvPlanes.ceilDiv(outChannels, LF);
        int width = tileWidth(outWidth, pitch);
        boolean alongRows = width > 0;
        int tilesPerRow = alongRows ? ConvPlanes.ceilDiv(outWidth, width) : 0;
        int positions = outHeight * pitch;
        int tiles = alongRows ? outHeight * tilesPerRow : ConvPlanes.ceilDiv(positions, POSITIONS);
        int reach = taps[taps.length - 1];
        int tileBlock = Math.max(1, Math.min(MAX_TILE_BLOCK, (L2_ELEMENTS / channels - reach) / POSITIONS));
        int flatStride = Math.min(tileBlock, tiles) * POSITIONS;
        float[] flat = alongRows ? null : ConvScratch.floats(ConvScratch.FLAT, blocks * LF * flatStride);
        int tileLength = POSITIONS * LF;
        float[] acc = ConvScratch.floats(ConvScratch.TILES, tileBlock * tileLength + LF * LF);
        int square = tileBlock * tileLength; // a 16 x 16 block after the tiles, for transposed rows
        int outPlane = outHeight * outWidth;
        // input channels in chunks whose weights stay in L1 while the block's tiles run; tiles carry their sums
        int chunks = ConvPlanes.ceilDiv(channels * taps.length * LF, L1_WEIGHTS);
        int chunkChannels = ConvPlanes.ceilDiv(channels, chunks);
        for (int t0 = 0; t0 < tiles; t0 += tileBlock) {
            int t1 = Math.min(tiles, t0 + tileBlock);
            for (int b = 0; b < blocks; b++) {
                FloatVector start = FloatVector.fromArray(SF, bias, biasOff + b * LF);
                for (int i = 0; i < (t1 - t0) * POSITIONS; i++) {
                    start.intoArray(acc, i * LF);
                }
                for (int c0 = 0; c0 < channels; c0 += chunkChannels) {
                    int count = Math.min(chunkChannels, channels - c0);
                    int w = packedOff + b * blockLength + c0 * taps.length * LF;
                    for (int tile = t0; tile < t1; tile++) {
                        int q = c0 * planeLen + (alongRows
                                ? tile / tilesPerRow * pitch + tile % tilesPerRow * width : tile * POSITIONS);
                        int at = (tile - t0) * tileLength;
                        if (width == 14) {
                            if (nine) {
                                nine14(planes, planeLen, count, rowStep, packed, w, q, acc, at);
                            } else {
                                any14(planes, planeLen, count, taps, packed, w, q, acc, at);
                            }
                        } else if (nine) {
                            nine16(planes, planeLen, count, rowStep, packed, w, q, acc, at);
                        } else {
                            any16(planes, planeLen, count, taps, packed, w, q, acc, at);
                        }
                    }
                }
                int real = Math.min(LF, outChannels - b * LF);
                for (int tile = t0; tile < t1; tile++) {
                    int at = (tile - t0) * tileLength;
                    if (alongRows) {
                        int column = tile % tilesPerRow * width;
                        int o = tile / tilesPerRow * outWidth + column;
                        store(acc, at, square, Math.min(width, outWidth - column), outPlane - o, real, out,
                                outOff + b * LF * outStride + o, outStride);
                    } else {
                        transpose(acc, at, flat, b * LF * flatStride + (tile - t0) * POSITIONS, flatStride);
                    }
                }
            }
            if (!alongRows) {
                ConvDirectF32.unflatten(flat, flatStride, t0 * POSITIONS, Math.min(t1 * POSITIONS, positions), pitch,
                        outChannels, out, outOff, outHeight, outWidth, outStride);
            }
        }
    }

    /**
     * Positions of a tile along output rows, 14 or 16, whichever computes fewer positions per row, or 0 for flat
     * tiles of 16 positions across rows, which compute {@code pitch} positions per row (and cut them into the
     * output afterwards): the choice for rows narrower than 12 and wherever it computes fewer. 14 x 14 rows on a
     * 16 pitch waste nothing with 14, 97-wide rows on a 99 pitch 1 position with 14, but 99-wide rows on a 101
     * pitch 2 flat against 13 with either tile (the input gradient of 64 -> 256, 149 x 99: 273 vs 297-333 ms
     * with 16 along rows, one thread, loaded machine).
     */
    static int tileWidth(int outWidth, int pitch) {
        if (outWidth < 12) {
            return 0;
        }
        int with14 = ConvPlanes.ceilDiv(outWidth, 14) * 14;
        int with16 = ConvPlanes.ceilDiv(outWidth, 16) * 16;
        if (Math.min(with14, with16) > pitch) {
            return 0;
        }
        return with14 < with16 ? 14 : 16;
    }

    /**
     * Stores a tile's sums ({@code acc[from + p * LF + c]}, position p, channel c) into {@code real} output planes
     * ({@code stride} apart) at {@code to}: {@code valid} positions are the tile's; lanes after them are stored
     * too, with values the following tiles overwrite (tiles of a plane are stored in order), except past the
     * plane's end, {@code room} positions after {@code to}, which is masked.
     */
    private static void store(float[] acc, int from, int square, int valid, int room, int real, float[] out, int to,
                              int stride) {
        if (LF == 16) {
            if (room >= LF && real == LF) {
                transpose16(acc, from, LF, out, to, stride);
                return;
            }
            transpose16(acc, from, LF, acc, square, LF);
            if (room >= LF) {
                for (int c = 0; c < real; c++) {
                    FloatVector.fromArray(SF, acc, square + c * LF).intoArray(out, to + c * stride);
                }
            } else {
                VectorMask<Float> inPlane = SF.indexInRange(0, room);
                for (int c = 0; c < real; c++) {
                    FloatVector.fromArray(SF, acc, square + c * LF).intoArray(out, to + c * stride, inPlane);
                }
            }
            return;
        }
        for (int c = 0; c < real; c++) {
            for (int p = 0; p < valid; p++) {
                out[to + c * stride + p] = acc[from + p * LF + c];
            }
        }
    }

    static void gradWeight(float[] input, int inputOff, float[] gradOutput, int gradOutputOff, float[] gradWeight,
                           int gradWeightOff, ConvGeometry g) {
        ConvSpec s = g.spec();
        int cpg = g.inChannelsPerGroup();
        int opg = g.outChannelsPerGroup();
        int groups = g.groups();
        int tapCount = g.kernelHeight() * g.kernelWidth();
        int planeRows = g.height() + s.padTop() + s.padBottom();
        int paddedWidth = g.width() + s.padLeft() + s.padRight();
        boolean nine = g.kernelHeight() == 3 && g.kernelWidth() == 3 && s.dilationWidth() == 1;
        boolean narrow = nine && s.dilationHeight() == 1 && paddedWidth <= NARROW;
        int pitch = narrow ? NARROW : paddedWidth;
        int planeLen = planeRows * pitch;
        boolean padded = pitch != g.width() || planeRows != g.height();
        int[] taps = ConvPlanes.tapOffsets(g.kernelHeight(), g.kernelWidth(), s.dilationHeight(), s.dilationWidth(),
                pitch);
        int pairs = ConvPlanes.ceilDiv(opg, PAIR);
        // images in blocks that bring the chunk count to the target, then pairs of channel vectors split further
        int imagesPerBlock = ConvPlanes.ceilDiv(g.batch(), ConvPlanes.TARGET_CHUNKS);
        int imageBlocks = ConvPlanes.ceilDiv(g.batch(), imagesPerBlock);
        int pairSplits = Math.max(1, Math.min(pairs, ConvPlanes.ceilDiv(ConvPlanes.TARGET_CHUNKS, imageBlocks * groups)));
        int pairsPerChunk = ConvPlanes.ceilDiv(pairs, pairSplits);
        int pairChunks = ConvPlanes.ceilDiv(pairs, pairsPerChunk);
        int outRows = g.outHeight();
        int cols = g.outWidth();
        int outPlane = outRows * cols;
        int inPlane = g.height() * g.width();
        int rowsPerBlock = Math.max(1, Math.min(outRows, GRADIENT_POSITIONS / cols));
        // Each chunk copies its sums, in the tiles' layout, into its own slice of the per-block partials
        // [block][group][pair chunk][pair][ci][tap][PAIR] (slices a cache line apart); one parallel pass then adds
        // the blocks in order and scatters to [Cout, C/G, kh, kw]. Summing into the shared slices directly measured
        // 1.02-1.03x slower on layer d (2 threads). Also measured on layer c and dropped (no gain beyond the spread):
        // padding the next image's planes and re-laying its gradient channel by channel between the current image's
        // tiles, into double buffers (1.00-1.04x); the same pipelined padding for chunks of 8 images in the forward
        // and input-gradient passes (0.96-0.99x on one thread, 1.00-1.02x on two); 8 image blocks instead of 16
        // (0.99x one thread, 1.02x two).
        // Scattering each chunk's sums into a weight-layout partial (9216 scalar stores per chunk on 32 x 32
        // channels, 16 chunks) and summing those took 3-5% of the pass (layer c, 3.6-3.9 ms).
        // Measured without gain later (layer c, tiles from L1 or the pass): tiles of 3 or 4 positions x 9 taps x 2
        // vectors (146-161 vs 160-169 GFLOP/s, the JIT spills), the two-position loop unrolled twice (147-156) or
        // as a counted loop (156-162); 32 or 64 image blocks (equal or slower on two threads); gathers instead of
        // transposes for the gradient rows (1.08 vs 1.15-1.38 us per image, too little to matter).
        int pairLength = cpg * tapCount * PAIR;
        int sliceLength = pairsPerChunk * pairLength + 16;
        int blockLength = groups * pairChunks * sliceLength;
        float[] partials = ConvScratch.floats(ConvScratch.PARTIALS, imageBlocks * blockLength);
        Parallel.forEach(imageBlocks * groups * pairChunks, chunk -> {
            int p0 = chunk % pairChunks * pairsPerChunk;
            int pairCount = Math.min(pairsPerChunk, pairs - p0);
            int group = chunk / pairChunks % groups;
            int block = chunk / (pairChunks * groups);
            int co0 = p0 * PAIR;
            int coCount = Math.min(pairCount * PAIR, opg - co0);
            int accLength = pairCount * pairLength;
            float[] acc = ConvScratch.floats(ConvScratch.ACCUMULATORS, accLength);
            java.util.Arrays.fill(acc, 0, accLength, 0f);
            int pairRows = rowsPerBlock * cols * PAIR;
            float[] rows = ConvScratch.floats(ConvScratch.ROWS, pairCount * pairRows);
            int n1 = Math.min(g.batch(), (block + 1) * imagesPerBlock);
            for (int n = block * imagesPerBlock; n < n1; n++) {
                float[] x = input;
                int xOff = inputOff + (n * g.inChannels() + group * cpg) * inPlane;
                if (padded) {
                    x = ConvPlanes.padIntoScratch(input, xOff, cpg, g.height(), g.width(), planeLen, planeRows, pitch,
                            s.padTop(), s.padLeft(), cpg * planeLen);
                    xOff = 0;
                }
                int gy = gradOutputOff + (n * g.outChannels() + group * opg + co0) * outPlane;
                for (int r0 = 0; r0 < outRows; r0 += rowsPerBlock) {
                    int rowCount = Math.min(rowsPerBlock, outRows - r0);
                    int length = rowCount * cols;
                    for (int pair = 0; pair < pairCount; pair++) {
                        gradientRows(gradOutput, gy + pair * PAIR * outPlane + r0 * cols, outPlane,
                                Math.min(PAIR, coCount - pair * PAIR), length, rows, pair * pairRows);
                    }
                    for (int pair = 0; pair < pairCount; pair++) {
                        for (int ci = 0; ci < cpg; ci++) {
                            int xAt = xOff + ci * planeLen + r0 * pitch;
                            int at = (pair * cpg + ci) * tapCount * PAIR;
                            if (narrow) {
                                nineBy2Narrow(x, xAt, rows, pair * pairRows, rowCount, cols, acc, at);
                            } else if (nine) {
                                nineBy2(x, xAt, pitch, taps[3], rows, pair * pairRows, rowCount, cols, acc, at);
                            } else {
                                for (int t = 0; t < tapCount; t += 3) {
                                    threeBy2(x, xAt, pitch, taps, t, Math.min(3, tapCount - t), rows, pair * pairRows,
                                            rowCount, cols, acc, at);
                                }
                            }
                        }
                    }
                }
            }
            System.arraycopy(acc, 0, partials,
                    block * blockLength + (group * pairChunks + chunk % pairChunks) * sliceLength, accLength);
        });
        Parallel.forEach(groups * pairs * cpg, row -> {
            int ci = row % cpg;
            int pair = row / cpg % pairs;
            int group = row / (cpg * pairs);
            int from = (group * pairChunks + pair / pairsPerChunk) * sliceLength
                    + ((pair % pairsPerChunk) * cpg + ci) * tapCount * PAIR;
            int co0 = pair * PAIR;
            int coCount = Math.min(PAIR, opg - co0);
            int to = gradWeightOff + ((group * opg + co0) * cpg + ci) * tapCount;
            for (int t = 0; t < tapCount; t++) {
                for (int v = 0; v < PAIR; v += LF) {
                    int at = from + t * PAIR + v;
                    FloatVector sum = FloatVector.fromArray(SF, partials, at);
                    for (int b = 1; b < imageBlocks; b++) {
                        sum = sum.add(FloatVector.fromArray(SF, partials, b * blockLength + at));
                    }
                    sum.intoArray(partials, at);
                }
                for (int j = 0; j < coCount; j++) {
                    gradWeight[to + j * cpg * tapCount + t] = partials[from + t * PAIR + j];
                }
            }
        });
    }

    /**
     * {@code rows[at + i * PAIR + j] = gy[from + j * planeStride + i]} for positions i < length and channels
     * j < channels, zero for the channels after them up to {@link #PAIR}: a pair's gradient planes turned
     * position-major. Whole 16 x 16 blocks go through {@link #transpose16}.
     */
    private static void gradientRows(float[] gy, int from, int planeStride, int channels, int length, float[] rows,
                                     int at) {
        int i0 = 0;
        if (LF == 16 && channels == PAIR) {
            for (; i0 + 16 <= length; i0 += 16) {
                transpose16(gy, from + i0, planeStride, rows, at + i0 * PAIR, PAIR);
                transpose16(gy, from + 16 * planeStride + i0, planeStride, rows, at + i0 * PAIR + 16, PAIR);
            }
        }
        for (int i = i0; i < length; i++) {
            for (int j = 0; j < PAIR; j++) {
                rows[at + i * PAIR + j] = j < channels ? gy[from + j * planeStride + i] : 0f;
            }
        }
    }

    /** {@code flat[to + c * stride + p] = acc[from + p * LF + c]} for c < LF, p < {@link #POSITIONS}. */
    private static void transpose(float[] acc, int from, float[] flat, int to, int stride) {
        if (LF == 16) {
            transpose16(acc, from, LF, flat, to, stride);
            return;
        }
        for (int c = 0; c < LF; c++) {
            for (int p = 0; p < POSITIONS; p++) {
                flat[to + c * stride + p] = acc[from + p * LF + c];
            }
        }
    }

    /**
     * Packs {@code rows} weight rows of {@code rowLength} values into blocks of LF rows, row-interleaved
     * ({@code [block][value][LF]}), so one value's weights for a block's output channels are one vector. A last
     * partial block is padded with zero rows (computed, never stored).
     */
    static void pack(float[] weight, int weightOff, int rows, int rowLength, float[] packed, int packedOff) {
        for (int row = 0; row < rows; row++) {
            int to = packedOff + row / LF * rowLength * LF + row % LF;
            int from = weightOff + row * rowLength;
            for (int i = 0; i < rowLength; i++) {
                packed[to + i * LF] = weight[from + i];
            }
        }
    }

    /**
     * 3x3 kernel with unit column dilation: 16 positions from {@code q} x one vector of output
     * channels, {@code acc[at + p * LF + j] += sum over c, r, s of planes[c * planeLen + q + p + r * rowStep + s]
     * * packed[w + (c * 9 + r * 3 + s) * LF + j]}, channels in order. Written out like {@link #nine14}.
     */
    private static void nine16(float[] planes, int planeLen, int channels, int rowStep, float[] packed, int w, int q,
                               float[] acc, int at) {
        FloatVector a0 = FloatVector.fromArray(SF, acc, at);
        FloatVector a1 = FloatVector.fromArray(SF, acc, at + 1 * LF);
        FloatVector a2 = FloatVector.fromArray(SF, acc, at + 2 * LF);
        FloatVector a3 = FloatVector.fromArray(SF, acc, at + 3 * LF);
        FloatVector a4 = FloatVector.fromArray(SF, acc, at + 4 * LF);
        FloatVector a5 = FloatVector.fromArray(SF, acc, at + 5 * LF);
        FloatVector a6 = FloatVector.fromArray(SF, acc, at + 6 * LF);
        FloatVector a7 = FloatVector.fromArray(SF, acc, at + 7 * LF);
        FloatVector a8 = FloatVector.fromArray(SF, acc, at + 8 * LF);
        FloatVector a9 = FloatVector.fromArray(SF, acc, at + 9 * LF);
        FloatVector a10 = FloatVector.fromArray(SF, acc, at + 10 * LF);
        FloatVector a11 = FloatVector.fromArray(SF, acc, at + 11 * LF);
        FloatVector a12 = FloatVector.fromArray(SF, acc, at + 12 * LF);
        FloatVector a13 = FloatVector.fromArray(SF, acc, at + 13 * LF);
        FloatVector a14 = FloatVector.fromArray(SF, acc, at + 14 * LF);
        FloatVector a15 = FloatVector.fromArray(SF, acc, at + 15 * LF);
        for (int c = 0; c < channels; c++) {
            int row = c * planeLen + q;
            int k = w + c * 9 * LF;
            FloatVector w0 = FloatVector.fromArray(SF, packed, k);
            FloatVector w1 = FloatVector.fromArray(SF, packed, k + LF);
            FloatVector w2 = FloatVector.fromArray(SF, packed, k + 2 * LF);
            FloatVector x = FloatVector.broadcast(SF, planes[row]);
            a0 = x.fma(w0, a0);
            x = FloatVector.broadcast(SF, planes[row + 1]);
            a1 = x.fma(w0, a1);
            a0 = x.fma(w1, a0);
            x = FloatVector.broadcast(SF, planes[row + 2]);
            a2 = x.fma(w0, a2);
            a1 = x.fma(w1, a1);
            a0 = x.fma(w2, a0);
            x = FloatVector.broadcast(SF, planes[row + 3]);
            a3 = x.fma(w0, a3);
            a2 = x.fma(w1, a2);
            a1 = x.fma(w2, a1);
            x = FloatVector.broadcast(SF, planes[row + 4]);
            a4 = x.fma(w0, a4);
            a3 = x.fma(w1, a3);
            a2 = x.fma(w2, a2);
            x = FloatVector.broadcast(SF, planes[row + 5]);
            a5 = x.fma(w0, a5);
            a4 = x.fma(w1, a4);
            a3 = x.fma(w2, a3);
            x = FloatVector.broadcast(SF, planes[row + 6]);
            a6 = x.fma(w0, a6);
            a5 = x.fma(w1, a5);
            a4 = x.fma(w2, a4);
            x = FloatVector.broadcast(SF, planes[row + 7]);
            a7 = x.fma(w0, a7);
            a6 = x.fma(w1, a6);
            a5 = x.fma(w2, a5);
            x = FloatVector.broadcast(SF, planes[row + 8]);
            a8 = x.fma(w0, a8);
            a7 = x.fma(w1, a7);
            a6 = x.fma(w2, a6);
            x = FloatVector.broadcast(SF, planes[row + 9]);
            a9 = x.fma(w0, a9);
            a8 = x.fma(w1, a8);
            a7 = x.fma(w2, a7);
            x = FloatVector.broadcast(SF, planes[row + 10]);
            a10 = x.fma(w0, a10);
            a9 = x.fma(w1, a9);
            a8 = x.fma(w2, a8);
            x = FloatVector.broadcast(SF, planes[row + 11]);
            a11 = x.fma(w0, a11);
            a10 = x.fma(w1, a10);
            a9 = x.fma(w2, a9);
            x = FloatVector.broadcast(SF, planes[row + 12]);
            a12 = x.fma(w0, a12);
            a11 = x.fma(w1, a11);
            a10 = x.fma(w2, a10);
            x = FloatVector.broadcast(SF, planes[row + 13]);
            a13 = x.fma(w0, a13);
            a12 = x.fma(w1, a12);
            a11 = x.fma(w2, a11);
            x = FloatVector.broadcast(SF, planes[row + 14]);
            a14 = x.fma(w0, a14);
            a13 = x.fma(w1, a13);
            a12 = x.fma(w2, a12);
            x = FloatVector.broadcast(SF, planes[row + 15]);
            a15 = x.fma(w0, a15);
            a14 = x.fma(w1, a14);
            a13 = x.fma(w2, a13);
            x = FloatVector.broadcast(SF, planes[row + 16]);
            a15 = x.fma(w1, a15);
            a14 = x.fma(w2, a14);
            x = FloatVector.broadcast(SF, planes[row + 17]);
            a15 = x.fma(w2, a15);
            row += rowStep;
            k += 3 * LF;
            w0 = FloatVector.fromArray(SF, packed, k);
            w1 = FloatVector.fromArray(SF, packed, k + LF);
            w2 = FloatVector.fromArray(SF, packed, k + 2 * LF);
            x = FloatVector.broadcast(SF, planes[row]);
            a0 = x.fma(w0, a0);
            x = FloatVector.broadcast(SF, planes[row + 1]);
            a1 = x.fma(w0, a1);
            a0 = x.fma(w1, a0);
            x = FloatVector.broadcast(SF, planes[row + 2]);
            a2 = x.fma(w0, a2);
            a1 = x.fma(w1, a1);
            a0 = x.fma(w2, a0);
            x = FloatVector.broadcast(SF, planes[row + 3]);
            a3 = x.fma(w0, a3);
            a2 = x.fma(w1, a2);
            a1 = x.fma(w2, a1);
            x = FloatVector.broadcast(SF, planes[row + 4]);
            a4 = x.fma(w0, a4);
            a3 = x.fma(w1, a3);
            a2 = x.fma(w2, a2);
            x = FloatVector.broadcast(SF, planes[row + 5]);
            a5 = x.fma(w0, a5);
            a4 = x.fma(w1, a4);
            a3 = x.fma(w2, a3);
            x = FloatVector.broadcast(SF, planes[row + 6]);
            a6 = x.fma(w0, a6);
            a5 = x.fma(w1, a5);
            a4 = x.fma(w2, a4);
            x = FloatVector.broadcast(SF, planes[row + 7]);
            a7 = x.fma(w0, a7);
            a6 = x.fma(w1, a6);
            a5 = x.fma(w2, a5);
            x = FloatVector.broadcast(SF, planes[row + 8]);
            a8 = x.fma(w0, a8);
            a7 = x.fma(w1, a7);
            a6 = x.fma(w2, a6);
            x = FloatVector.broadcast(SF, planes[row + 9]);
            a9 = x.fma(w0, a9);
            a8 = x.fma(w1, a8);
            a7 = x.fma(w2, a7);
            x = FloatVector.broadcast(SF, planes[row + 10]);
            a10 = x.fma(w0, a10);
            a9 = x.fma(w1, a9);
            a8 = x.fma(w2, a8);
            x = FloatVector.broadcast(SF, planes[row + 11]);
            a11 = x.fma(w0, a11);
            a10 = x.fma(w1, a10);
            a9 = x.fma(w2, a9);
            x = FloatVector.broadcast(SF, planes[row + 12]);
            a12 = x.fma(w0, a12);
            a11 = x.fma(w1, a11);
            a10 = x.fma(w2, a10);
            x = FloatVector.broadcast(SF, planes[row + 13]);
            a13 = x.fma(w0, a13);
            a12 = x.fma(w1, a12);
            a11 = x.fma(w2, a11);
            x = FloatVector.broadcast(SF, planes[row + 14]);
            a14 = x.fma(w0, a14);
            a13 = x.fma(w1, a13);
            a12 = x.fma(w2, a12);
            x = FloatVector.broadcast(SF, planes[row + 15]);
            a15 = x.fma(w0, a15);
            a14 = x.fma(w1, a14);
            a13 = x.fma(w2, a13);
            x = FloatVector.broadcast(SF, planes[row + 16]);
            a15 = x.fma(w1, a15);
            a14 = x.fma(w2, a14);
            x = FloatVector.broadcast(SF, planes[row + 17]);
            a15 = x.fma(w2, a15);
            row += rowStep;
            k += 3 * LF;
            w0 = FloatVector.fromArray(SF, packed, k);
            w1 = FloatVector.fromArray(SF, packed, k + LF);
            w2 = FloatVector.fromArray(SF, packed, k + 2 * LF);
            x = FloatVector.broadcast(SF, planes[row]);
            a0 = x.fma(w0, a0);
            x = FloatVector.broadcast(SF, planes[row + 1]);
            a1 = x.fma(w0, a1);
            a0 = x.fma(w1, a0);
            x = FloatVector.broadcast(SF, planes[row + 2]);
            a2 = x.fma(w0, a2);
            a1 = x.fma(w1, a1);
            a0 = x.fma(w2, a0);
            x = FloatVector.broadcast(SF, planes[row + 3]);
            a3 = x.fma(w0, a3);
            a2 = x.fma(w1, a2);
            a1 = x.fma(w2, a1);
            x = FloatVector.broadcast(SF, planes[row + 4]);
            a4 = x.fma(w0, a4);
            a3 = x.fma(w1, a3);
            a2 = x.fma(w2, a2);
            x = FloatVector.broadcast(SF, planes[row + 5]);
            a5 = x.fma(w0, a5);
            a4 = x.fma(w1, a4);
            a3 = x.fma(w2, a3);
            x = FloatVector.broadcast(SF, planes[row + 6]);
            a6 = x.fma(w0, a6);
            a5 = x.fma(w1, a5);
            a4 = x.fma(w2, a4);
            x = FloatVector.broadcast(SF, planes[row + 7]);
            a7 = x.fma(w0, a7);
            a6 = x.fma(w1, a6);
            a5 = x.fma(w2, a5);
            x = FloatVector.broadcast(SF, planes[row + 8]);
            a8 = x.fma(w0, a8);
            a7 = x.fma(w1, a7);
            a6 = x.fma(w2, a6);
            x = FloatVector.broadcast(SF, planes[row + 9]);
            a9 = x.fma(w0, a9);
            a8 = x.fma(w1, a8);
            a7 = x.fma(w2, a7);
            x = FloatVector.broadcast(SF, planes[row + 10]);
            a10 = x.fma(w0, a10);
            a9 = x.fma(w1, a9);
            a8 = x.fma(w2, a8);
            x = FloatVector.broadcast(SF, planes[row + 11]);
            a11 = x.fma(w0, a11);
            a10 = x.fma(w1, a10);
            a9 = x.fma(w2, a9);
            x = FloatVector.broadcast(SF, planes[row + 12]);
            a12 = x.fma(w0, a12);
            a11 = x.fma(w1, a11);
            a10 = x.fma(w2, a10);
            x = FloatVector.broadcast(SF, planes[row + 13]);
            a13 = x.fma(w0, a13);
            a12 = x.fma(w1, a12);
            a11 = x.fma(w2, a11);
            x = FloatVector.broadcast(SF, planes[row + 14]);
            a14 = x.fma(w0, a14);
            a13 = x.fma(w1, a13);
            a12 = x.fma(w2, a12);
            x = FloatVector.broadcast(SF, planes[row + 15]);
            a15 = x.fma(w0, a15);
            a14 = x.fma(w1, a14);
            a13 = x.fma(w2, a13);
            x = FloatVector.broadcast(SF, planes[row + 16]);
            a15 = x.fma(w1, a15);
            a14 = x.fma(w2, a14);
            x = FloatVector.broadcast(SF, planes[row + 17]);
            a15 = x.fma(w2, a15);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + 1 * LF);
        a2.intoArray(acc, at + 2 * LF);
        a3.intoArray(acc, at + 3 * LF);
        a4.intoArray(acc, at + 4 * LF);
        a5.intoArray(acc, at + 5 * LF);
        a6.intoArray(acc, at + 6 * LF);
        a7.intoArray(acc, at + 7 * LF);
        a8.intoArray(acc, at + 8 * LF);
        a9.intoArray(acc, at + 9 * LF);
        a10.intoArray(acc, at + 10 * LF);
        a11.intoArray(acc, at + 11 * LF);
        a12.intoArray(acc, at + 12 * LF);
        a13.intoArray(acc, at + 13 * LF);
        a14.intoArray(acc, at + 14 * LF);
        a15.intoArray(acc, at + 15 * LF);
    }

    /** Any kernel: as {@link #nine16} with the taps at the offsets {@code taps}. */
    private static void any16(float[] planes, int planeLen, int channels, int[] taps, float[] packed, int w, int q,
                              float[] acc, int at) {
        FloatVector a0 = FloatVector.fromArray(SF, acc, at);
        FloatVector a1 = FloatVector.fromArray(SF, acc, at + 1 * LF);
        FloatVector a2 = FloatVector.fromArray(SF, acc, at + 2 * LF);
        FloatVector a3 = FloatVector.fromArray(SF, acc, at + 3 * LF);
        FloatVector a4 = FloatVector.fromArray(SF, acc, at + 4 * LF);
        FloatVector a5 = FloatVector.fromArray(SF, acc, at + 5 * LF);
        FloatVector a6 = FloatVector.fromArray(SF, acc, at + 6 * LF);
        FloatVector a7 = FloatVector.fromArray(SF, acc, at + 7 * LF);
        FloatVector a8 = FloatVector.fromArray(SF, acc, at + 8 * LF);
        FloatVector a9 = FloatVector.fromArray(SF, acc, at + 9 * LF);
        FloatVector a10 = FloatVector.fromArray(SF, acc, at + 10 * LF);
        FloatVector a11 = FloatVector.fromArray(SF, acc, at + 11 * LF);
        FloatVector a12 = FloatVector.fromArray(SF, acc, at + 12 * LF);
        FloatVector a13 = FloatVector.fromArray(SF, acc, at + 13 * LF);
        FloatVector a14 = FloatVector.fromArray(SF, acc, at + 14 * LF);
        FloatVector a15 = FloatVector.fromArray(SF, acc, at + 15 * LF);
        int tapCount = taps.length;
        int k = w;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen + q;
            for (int t = 0; t < tapCount; t++, k += LF) {
                int p = plane + taps[t];
                FloatVector wv = FloatVector.fromArray(SF, packed, k);
                FloatVector x = FloatVector.broadcast(SF, planes[p]);
                a0 = x.fma(wv, a0);
                x = FloatVector.broadcast(SF, planes[p + 1]);
                a1 = x.fma(wv, a1);
                x = FloatVector.broadcast(SF, planes[p + 2]);
                a2 = x.fma(wv, a2);
                x = FloatVector.broadcast(SF, planes[p + 3]);
                a3 = x.fma(wv, a3);
                x = FloatVector.broadcast(SF, planes[p + 4]);
                a4 = x.fma(wv, a4);
                x = FloatVector.broadcast(SF, planes[p + 5]);
                a5 = x.fma(wv, a5);
                x = FloatVector.broadcast(SF, planes[p + 6]);
                a6 = x.fma(wv, a6);
                x = FloatVector.broadcast(SF, planes[p + 7]);
                a7 = x.fma(wv, a7);
                x = FloatVector.broadcast(SF, planes[p + 8]);
                a8 = x.fma(wv, a8);
                x = FloatVector.broadcast(SF, planes[p + 9]);
                a9 = x.fma(wv, a9);
                x = FloatVector.broadcast(SF, planes[p + 10]);
                a10 = x.fma(wv, a10);
                x = FloatVector.broadcast(SF, planes[p + 11]);
                a11 = x.fma(wv, a11);
                x = FloatVector.broadcast(SF, planes[p + 12]);
                a12 = x.fma(wv, a12);
                x = FloatVector.broadcast(SF, planes[p + 13]);
                a13 = x.fma(wv, a13);
                x = FloatVector.broadcast(SF, planes[p + 14]);
                a14 = x.fma(wv, a14);
                x = FloatVector.broadcast(SF, planes[p + 15]);
                a15 = x.fma(wv, a15);
            }
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + 1 * LF);
        a2.intoArray(acc, at + 2 * LF);
        a3.intoArray(acc, at + 3 * LF);
        a4.intoArray(acc, at + 4 * LF);
        a5.intoArray(acc, at + 5 * LF);
        a6.intoArray(acc, at + 6 * LF);
        a7.intoArray(acc, at + 7 * LF);
        a8.intoArray(acc, at + 8 * LF);
        a9.intoArray(acc, at + 9 * LF);
        a10.intoArray(acc, at + 10 * LF);
        a11.intoArray(acc, at + 11 * LF);
        a12.intoArray(acc, at + 12 * LF);
        a13.intoArray(acc, at + 13 * LF);
        a14.intoArray(acc, at + 14 * LF);
        a15.intoArray(acc, at + 15 * LF);
    }

    /**
     * 3x3 kernel with unit column dilation: 14 positions from {@code q} x one vector of output
     * channels, {@code acc[at + p * LF + j] += sum over c, r, s of planes[c * planeLen + q + p + r * rowStep + s]
     * * packed[w + (c * 9 + r * 3 + s) * LF + j]}, channels in order. Each input value is broadcast once and
     * feeds the (up to) three taps of its kernel row; the three kernel rows are written out rather than looped
     * over: the 14-position tiles of layer c (32 -> 32, 14 x 14) ran at 186-199 GFLOP/s from L1 that way
     * against 168-179 with a loop over the rows (one thread, best of 2000 calls, interleaved). Every
     * accumulator still takes its taps in the order r, s. Not faster: a constant row step of 16 (146-155, unlike
     * {@link #nineBy2Narrow}), all nine weight vectors loaded up front (the same), planes an odd number of cache
     * lines apart against L1 set conflicts (within the spread).
     */
    private static void nine14(float[] planes, int planeLen, int channels, int rowStep, float[] packed, int w, int q,
                               float[] acc, int at) {
        FloatVector a0 = FloatVector.fromArray(SF, acc, at);
        FloatVector a1 = FloatVector.fromArray(SF, acc, at + 1 * LF);
        FloatVector a2 = FloatVector.fromArray(SF, acc, at + 2 * LF);
        FloatVector a3 = FloatVector.fromArray(SF, acc, at + 3 * LF);
        FloatVector a4 = FloatVector.fromArray(SF, acc, at + 4 * LF);
        FloatVector a5 = FloatVector.fromArray(SF, acc, at + 5 * LF);
        FloatVector a6 = FloatVector.fromArray(SF, acc, at + 6 * LF);
        FloatVector a7 = FloatVector.fromArray(SF, acc, at + 7 * LF);
        FloatVector a8 = FloatVector.fromArray(SF, acc, at + 8 * LF);
        FloatVector a9 = FloatVector.fromArray(SF, acc, at + 9 * LF);
        FloatVector a10 = FloatVector.fromArray(SF, acc, at + 10 * LF);
        FloatVector a11 = FloatVector.fromArray(SF, acc, at + 11 * LF);
        FloatVector a12 = FloatVector.fromArray(SF, acc, at + 12 * LF);
        FloatVector a13 = FloatVector.fromArray(SF, acc, at + 13 * LF);
        for (int c = 0; c < channels; c++) {
            int row = c * planeLen + q;
            int k = w + c * 9 * LF;
            FloatVector w0 = FloatVector.fromArray(SF, packed, k);
            FloatVector w1 = FloatVector.fromArray(SF, packed, k + LF);
            FloatVector w2 = FloatVector.fromArray(SF, packed, k + 2 * LF);
            FloatVector x = FloatVector.broadcast(SF, planes[row]);
            a0 = x.fma(w0, a0);
            x = FloatVector.broadcast(SF, planes[row + 1]);
            a1 = x.fma(w0, a1);
            a0 = x.fma(w1, a0);
            x = FloatVector.broadcast(SF, planes[row + 2]);
            a2 = x.fma(w0, a2);
            a1 = x.fma(w1, a1);
            a0 = x.fma(w2, a0);
            x = FloatVector.broadcast(SF, planes[row + 3]);
            a3 = x.fma(w0, a3);
            a2 = x.fma(w1, a2);
            a1 = x.fma(w2, a1);
            x = FloatVector.broadcast(SF, planes[row + 4]);
            a4 = x.fma(w0, a4);
            a3 = x.fma(w1, a3);
            a2 = x.fma(w2, a2);
            x = FloatVector.broadcast(SF, planes[row + 5]);
            a5 = x.fma(w0, a5);
            a4 = x.fma(w1, a4);
            a3 = x.fma(w2, a3);
            x = FloatVector.broadcast(SF, planes[row + 6]);
            a6 = x.fma(w0, a6);
            a5 = x.fma(w1, a5);
            a4 = x.fma(w2, a4);
            x = FloatVector.broadcast(SF, planes[row + 7]);
            a7 = x.fma(w0, a7);
            a6 = x.fma(w1, a6);
            a5 = x.fma(w2, a5);
            x = FloatVector.broadcast(SF, planes[row + 8]);
            a8 = x.fma(w0, a8);
            a7 = x.fma(w1, a7);
            a6 = x.fma(w2, a6);
            x = FloatVector.broadcast(SF, planes[row + 9]);
            a9 = x.fma(w0, a9);
            a8 = x.fma(w1, a8);
            a7 = x.fma(w2, a7);
            x = FloatVector.broadcast(SF, planes[row + 10]);
            a10 = x.fma(w0, a10);
            a9 = x.fma(w1, a9);
            a8 = x.fma(w2, a8);
            x = FloatVector.broadcast(SF, planes[row + 11]);
            a11 = x.fma(w0, a11);
            a10 = x.fma(w1, a10);
            a9 = x.fma(w2, a9);
            x = FloatVector.broadcast(SF, planes[row + 12]);
            a12 = x.fma(w0, a12);
            a11 = x.fma(w1, a11);
            a10 = x.fma(w2, a10);
            x = FloatVector.broadcast(SF, planes[row + 13]);
            a13 = x.fma(w0, a13);
            a12 = x.fma(w1, a12);
            a11 = x.fma(w2, a11);
            x = FloatVector.broadcast(SF, planes[row + 14]);
            a13 = x.fma(w1, a13);
            a12 = x.fma(w2, a12);
            x = FloatVector.broadcast(SF, planes[row + 15]);
            a13 = x.fma(w2, a13);
            row += rowStep;
            k += 3 * LF;
            w0 = FloatVector.fromArray(SF, packed, k);
            w1 = FloatVector.fromArray(SF, packed, k + LF);
            w2 = FloatVector.fromArray(SF, packed, k + 2 * LF);
            x = FloatVector.broadcast(SF, planes[row]);
            a0 = x.fma(w0, a0);
            x = FloatVector.broadcast(SF, planes[row + 1]);
            a1 = x.fma(w0, a1);
            a0 = x.fma(w1, a0);
            x = FloatVector.broadcast(SF, planes[row + 2]);
            a2 = x.fma(w0, a2);
            a1 = x.fma(w1, a1);
            a0 = x.fma(w2, a0);
            x = FloatVector.broadcast(SF, planes[row + 3]);
            a3 = x.fma(w0, a3);
            a2 = x.fma(w1, a2);
            a1 = x.fma(w2, a1);
            x = FloatVector.broadcast(SF, planes[row + 4]);
            a4 = x.fma(w0, a4);
            a3 = x.fma(w1, a3);
            a2 = x.fma(w2, a2);
            x = FloatVector.broadcast(SF, planes[row + 5]);
            a5 = x.fma(w0, a5);
            a4 = x.fma(w1, a4);
            a3 = x.fma(w2, a3);
            x = FloatVector.broadcast(SF, planes[row + 6]);
            a6 = x.fma(w0, a6);
            a5 = x.fma(w1, a5);
            a4 = x.fma(w2, a4);
            x = FloatVector.broadcast(SF, planes[row + 7]);
            a7 = x.fma(w0, a7);
            a6 = x.fma(w1, a6);
            a5 = x.fma(w2, a5);
            x = FloatVector.broadcast(SF, planes[row + 8]);
            a8 = x.fma(w0, a8);
            a7 = x.fma(w1, a7);
            a6 = x.fma(w2, a6);
            x = FloatVector.broadcast(SF, planes[row + 9]);
            a9 = x.fma(w0, a9);
            a8 = x.fma(w1, a8);
            a7 = x.fma(w2, a7);
            x = FloatVector.broadcast(SF, planes[row + 10]);
            a10 = x.fma(w0, a10);
            a9 = x.fma(w1, a9);
            a8 = x.fma(w2, a8);
            x = FloatVector.broadcast(SF, planes[row + 11]);
            a11 = x.fma(w0, a11);
            a10 = x.fma(w1, a10);
            a9 = x.fma(w2, a9);
            x = FloatVector.broadcast(SF, planes[row + 12]);
            a12 = x.fma(w0, a12);
            a11 = x.fma(w1, a11);
            a10 = x.fma(w2, a10);
            x = FloatVector.broadcast(SF, planes[row + 13]);
            a13 = x.fma(w0, a13);
            a12 = x.fma(w1, a12);
            a11 = x.fma(w2, a11);
            x = FloatVector.broadcast(SF, planes[row + 14]);
            a13 = x.fma(w1, a13);
            a12 = x.fma(w2, a12);
            x = FloatVector.broadcast(SF, planes[row + 15]);
            a13 = x.fma(w2, a13);
            row += rowStep;
            k += 3 * LF;
            w0 = FloatVector.fromArray(SF, packed, k);
            w1 = FloatVector.fromArray(SF, packed, k + LF);
            w2 = FloatVector.fromArray(SF, packed, k + 2 * LF);
            x = FloatVector.broadcast(SF, planes[row]);
            a0 = x.fma(w0, a0);
            x = FloatVector.broadcast(SF, planes[row + 1]);
            a1 = x.fma(w0, a1);
            a0 = x.fma(w1, a0);
            x = FloatVector.broadcast(SF, planes[row + 2]);
            a2 = x.fma(w0, a2);
            a1 = x.fma(w1, a1);
            a0 = x.fma(w2, a0);
            x = FloatVector.broadcast(SF, planes[row + 3]);
            a3 = x.fma(w0, a3);
            a2 = x.fma(w1, a2);
            a1 = x.fma(w2, a1);
            x = FloatVector.broadcast(SF, planes[row + 4]);
            a4 = x.fma(w0, a4);
            a3 = x.fma(w1, a3);
            a2 = x.fma(w2, a2);
            x = FloatVector.broadcast(SF, planes[row + 5]);
            a5 = x.fma(w0, a5);
            a4 = x.fma(w1, a4);
            a3 = x.fma(w2, a3);
            x = FloatVector.broadcast(SF, planes[row + 6]);
            a6 = x.fma(w0, a6);
            a5 = x.fma(w1, a5);
            a4 = x.fma(w2, a4);
            x = FloatVector.broadcast(SF, planes[row + 7]);
            a7 = x.fma(w0, a7);
            a6 = x.fma(w1, a6);
            a5 = x.fma(w2, a5);
            x = FloatVector.broadcast(SF, planes[row + 8]);
            a8 = x.fma(w0, a8);
            a7 = x.fma(w1, a7);
            a6 = x.fma(w2, a6);
            x = FloatVector.broadcast(SF, planes[row + 9]);
            a9 = x.fma(w0, a9);
            a8 = x.fma(w1, a8);
            a7 = x.fma(w2, a7);
            x = FloatVector.broadcast(SF, planes[row + 10]);
            a10 = x.fma(w0, a10);
            a9 = x.fma(w1, a9);
            a8 = x.fma(w2, a8);
            x = FloatVector.broadcast(SF, planes[row + 11]);
            a11 = x.fma(w0, a11);
            a10 = x.fma(w1, a10);
            a9 = x.fma(w2, a9);
            x = FloatVector.broadcast(SF, planes[row + 12]);
            a12 = x.fma(w0, a12);
            a11 = x.fma(w1, a11);
            a10 = x.fma(w2, a10);
            x = FloatVector.broadcast(SF, planes[row + 13]);
            a13 = x.fma(w0, a13);
            a12 = x.fma(w1, a12);
            a11 = x.fma(w2, a11);
            x = FloatVector.broadcast(SF, planes[row + 14]);
            a13 = x.fma(w1, a13);
            a12 = x.fma(w2, a12);
            x = FloatVector.broadcast(SF, planes[row + 15]);
            a13 = x.fma(w2, a13);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + 1 * LF);
        a2.intoArray(acc, at + 2 * LF);
        a3.intoArray(acc, at + 3 * LF);
        a4.intoArray(acc, at + 4 * LF);
        a5.intoArray(acc, at + 5 * LF);
        a6.intoArray(acc, at + 6 * LF);
        a7.intoArray(acc, at + 7 * LF);
        a8.intoArray(acc, at + 8 * LF);
        a9.intoArray(acc, at + 9 * LF);
        a10.intoArray(acc, at + 10 * LF);
        a11.intoArray(acc, at + 11 * LF);
        a12.intoArray(acc, at + 12 * LF);
        a13.intoArray(acc, at + 13 * LF);
    }

    /** Any kernel: as {@link #nine14} with the taps at the offsets {@code taps}. */
    private static void any14(float[] planes, int planeLen, int channels, int[] taps, float[] packed, int w, int q,
                              float[] acc, int at) {
        FloatVector a0 = FloatVector.fromArray(SF, acc, at);
        FloatVector a1 = FloatVector.fromArray(SF, acc, at + 1 * LF);
        FloatVector a2 = FloatVector.fromArray(SF, acc, at + 2 * LF);
        FloatVector a3 = FloatVector.fromArray(SF, acc, at + 3 * LF);
        FloatVector a4 = FloatVector.fromArray(SF, acc, at + 4 * LF);
        FloatVector a5 = FloatVector.fromArray(SF, acc, at + 5 * LF);
        FloatVector a6 = FloatVector.fromArray(SF, acc, at + 6 * LF);
        FloatVector a7 = FloatVector.fromArray(SF, acc, at + 7 * LF);
        FloatVector a8 = FloatVector.fromArray(SF, acc, at + 8 * LF);
        FloatVector a9 = FloatVector.fromArray(SF, acc, at + 9 * LF);
        FloatVector a10 = FloatVector.fromArray(SF, acc, at + 10 * LF);
        FloatVector a11 = FloatVector.fromArray(SF, acc, at + 11 * LF);
        FloatVector a12 = FloatVector.fromArray(SF, acc, at + 12 * LF);
        FloatVector a13 = FloatVector.fromArray(SF, acc, at + 13 * LF);
        int tapCount = taps.length;
        int k = w;
        for (int c = 0; c < channels; c++) {
            int plane = c * planeLen + q;
            for (int t = 0; t < tapCount; t++, k += LF) {
                int p = plane + taps[t];
                FloatVector wv = FloatVector.fromArray(SF, packed, k);
                FloatVector x = FloatVector.broadcast(SF, planes[p]);
                a0 = x.fma(wv, a0);
                x = FloatVector.broadcast(SF, planes[p + 1]);
                a1 = x.fma(wv, a1);
                x = FloatVector.broadcast(SF, planes[p + 2]);
                a2 = x.fma(wv, a2);
                x = FloatVector.broadcast(SF, planes[p + 3]);
                a3 = x.fma(wv, a3);
                x = FloatVector.broadcast(SF, planes[p + 4]);
                a4 = x.fma(wv, a4);
                x = FloatVector.broadcast(SF, planes[p + 5]);
                a5 = x.fma(wv, a5);
                x = FloatVector.broadcast(SF, planes[p + 6]);
                a6 = x.fma(wv, a6);
                x = FloatVector.broadcast(SF, planes[p + 7]);
                a7 = x.fma(wv, a7);
                x = FloatVector.broadcast(SF, planes[p + 8]);
                a8 = x.fma(wv, a8);
                x = FloatVector.broadcast(SF, planes[p + 9]);
                a9 = x.fma(wv, a9);
                x = FloatVector.broadcast(SF, planes[p + 10]);
                a10 = x.fma(wv, a10);
                x = FloatVector.broadcast(SF, planes[p + 11]);
                a11 = x.fma(wv, a11);
                x = FloatVector.broadcast(SF, planes[p + 12]);
                a12 = x.fma(wv, a12);
                x = FloatVector.broadcast(SF, planes[p + 13]);
                a13 = x.fma(wv, a13);
            }
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + 1 * LF);
        a2.intoArray(acc, at + 2 * LF);
        a3.intoArray(acc, at + 3 * LF);
        a4.intoArray(acc, at + 4 * LF);
        a5.intoArray(acc, at + 5 * LF);
        a6.intoArray(acc, at + 6 * LF);
        a7.intoArray(acc, at + 7 * LF);
        a8.intoArray(acc, at + 8 * LF);
        a9.intoArray(acc, at + 9 * LF);
        a10.intoArray(acc, at + 10 * LF);
        a11.intoArray(acc, at + 11 * LF);
        a12.intoArray(acc, at + 12 * LF);
        a13.intoArray(acc, at + 13 * LF);
    }

    /**
     * 16 x 16 transpose for 16-lane vectors: {@code dst[to + m * dstStride + k] = src[from + k * srcStride + m]}. Four stages
     * each swap the off-diagonal halves of 2s x 2s blocks (s = 8, 4, 2, 1): one lane permutation and one blend per
     * vector and stage. After the first stage rows 0-7 and 8-15 no longer mix, so each half is finished and stored
     * before the other: fewer live vectors, fewer spills (34 vs 42 ns per call on rows 196 floats apart).
     */
    private static void transpose16(float[] src, int from, int srcStride, float[] dst, int to, int dstStride) {
        FloatVector r0 = FloatVector.fromArray(SF, src, from + 0 * srcStride);
        FloatVector r1 = FloatVector.fromArray(SF, src, from + 1 * srcStride);
        FloatVector r2 = FloatVector.fromArray(SF, src, from + 2 * srcStride);
        FloatVector r3 = FloatVector.fromArray(SF, src, from + 3 * srcStride);
        FloatVector r4 = FloatVector.fromArray(SF, src, from + 4 * srcStride);
        FloatVector r5 = FloatVector.fromArray(SF, src, from + 5 * srcStride);
        FloatVector r6 = FloatVector.fromArray(SF, src, from + 6 * srcStride);
        FloatVector r7 = FloatVector.fromArray(SF, src, from + 7 * srcStride);
        FloatVector r8 = FloatVector.fromArray(SF, src, from + 8 * srcStride);
        FloatVector r9 = FloatVector.fromArray(SF, src, from + 9 * srcStride);
        FloatVector r10 = FloatVector.fromArray(SF, src, from + 10 * srcStride);
        FloatVector r11 = FloatVector.fromArray(SF, src, from + 11 * srcStride);
        FloatVector r12 = FloatVector.fromArray(SF, src, from + 12 * srcStride);
        FloatVector r13 = FloatVector.fromArray(SF, src, from + 13 * srcStride);
        FloatVector r14 = FloatVector.fromArray(SF, src, from + 14 * srcStride);
        FloatVector r15 = FloatVector.fromArray(SF, src, from + 15 * srcStride);
        FloatVector t;
        t = r0.blend(r8.rearrange(XOR8), HIGH8);
        r8 = r0.rearrange(XOR8).blend(r8, HIGH8);
        r0 = t;
        t = r1.blend(r9.rearrange(XOR8), HIGH8);
        r9 = r1.rearrange(XOR8).blend(r9, HIGH8);
        r1 = t;
        t = r2.blend(r10.rearrange(XOR8), HIGH8);
        r10 = r2.rearrange(XOR8).blend(r10, HIGH8);
        r2 = t;
        t = r3.blend(r11.rearrange(XOR8), HIGH8);
        r11 = r3.rearrange(XOR8).blend(r11, HIGH8);
        r3 = t;
        t = r4.blend(r12.rearrange(XOR8), HIGH8);
        r12 = r4.rearrange(XOR8).blend(r12, HIGH8);
        r4 = t;
        t = r5.blend(r13.rearrange(XOR8), HIGH8);
        r13 = r5.rearrange(XOR8).blend(r13, HIGH8);
        r5 = t;
        t = r6.blend(r14.rearrange(XOR8), HIGH8);
        r14 = r6.rearrange(XOR8).blend(r14, HIGH8);
        r6 = t;
        t = r7.blend(r15.rearrange(XOR8), HIGH8);
        r15 = r7.rearrange(XOR8).blend(r15, HIGH8);
        r7 = t;
        t = r0.blend(r4.rearrange(XOR4), HIGH4);
        r4 = r0.rearrange(XOR4).blend(r4, HIGH4);
        r0 = t;
        t = r1.blend(r5.rearrange(XOR4), HIGH4);
        r5 = r1.rearrange(XOR4).blend(r5, HIGH4);
        r1 = t;
        t = r2.blend(r6.rearrange(XOR4), HIGH4);
        r6 = r2.rearrange(XOR4).blend(r6, HIGH4);
        r2 = t;
        t = r3.blend(r7.rearrange(XOR4), HIGH4);
        r7 = r3.rearrange(XOR4).blend(r7, HIGH4);
        r3 = t;
        t = r0.blend(r2.rearrange(XOR2), HIGH2);
        r2 = r0.rearrange(XOR2).blend(r2, HIGH2);
        r0 = t;
        t = r1.blend(r3.rearrange(XOR2), HIGH2);
        r3 = r1.rearrange(XOR2).blend(r3, HIGH2);
        r1 = t;
        t = r4.blend(r6.rearrange(XOR2), HIGH2);
        r6 = r4.rearrange(XOR2).blend(r6, HIGH2);
        r4 = t;
        t = r5.blend(r7.rearrange(XOR2), HIGH2);
        r7 = r5.rearrange(XOR2).blend(r7, HIGH2);
        r5 = t;
        t = r0.blend(r1.rearrange(XOR1), HIGH1);
        r1 = r0.rearrange(XOR1).blend(r1, HIGH1);
        r0 = t;
        t = r2.blend(r3.rearrange(XOR1), HIGH1);
        r3 = r2.rearrange(XOR1).blend(r3, HIGH1);
        r2 = t;
        t = r4.blend(r5.rearrange(XOR1), HIGH1);
        r5 = r4.rearrange(XOR1).blend(r5, HIGH1);
        r4 = t;
        t = r6.blend(r7.rearrange(XOR1), HIGH1);
        r7 = r6.rearrange(XOR1).blend(r7, HIGH1);
        r6 = t;
        r0.intoArray(dst, to + 0 * dstStride);
        r1.intoArray(dst, to + 1 * dstStride);
        r2.intoArray(dst, to + 2 * dstStride);
        r3.intoArray(dst, to + 3 * dstStride);
        r4.intoArray(dst, to + 4 * dstStride);
        r5.intoArray(dst, to + 5 * dstStride);
        r6.intoArray(dst, to + 6 * dstStride);
        r7.intoArray(dst, to + 7 * dstStride);
        t = r8.blend(r12.rearrange(XOR4), HIGH4);
        r12 = r8.rearrange(XOR4).blend(r12, HIGH4);
        r8 = t;
        t = r9.blend(r13.rearrange(XOR4), HIGH4);
        r13 = r9.rearrange(XOR4).blend(r13, HIGH4);
        r9 = t;
        t = r10.blend(r14.rearrange(XOR4), HIGH4);
        r14 = r10.rearrange(XOR4).blend(r14, HIGH4);
        r10 = t;
        t = r11.blend(r15.rearrange(XOR4), HIGH4);
        r15 = r11.rearrange(XOR4).blend(r15, HIGH4);
        r11 = t;
        t = r8.blend(r10.rearrange(XOR2), HIGH2);
        r10 = r8.rearrange(XOR2).blend(r10, HIGH2);
        r8 = t;
        t = r9.blend(r11.rearrange(XOR2), HIGH2);
        r11 = r9.rearrange(XOR2).blend(r11, HIGH2);
        r9 = t;
        t = r12.blend(r14.rearrange(XOR2), HIGH2);
        r14 = r12.rearrange(XOR2).blend(r14, HIGH2);
        r12 = t;
        t = r13.blend(r15.rearrange(XOR2), HIGH2);
        r15 = r13.rearrange(XOR2).blend(r15, HIGH2);
        r13 = t;
        t = r8.blend(r9.rearrange(XOR1), HIGH1);
        r9 = r8.rearrange(XOR1).blend(r9, HIGH1);
        r8 = t;
        t = r10.blend(r11.rearrange(XOR1), HIGH1);
        r11 = r10.rearrange(XOR1).blend(r11, HIGH1);
        r10 = t;
        t = r12.blend(r13.rearrange(XOR1), HIGH1);
        r13 = r12.rearrange(XOR1).blend(r13, HIGH1);
        r12 = t;
        t = r14.blend(r15.rearrange(XOR1), HIGH1);
        r15 = r14.rearrange(XOR1).blend(r15, HIGH1);
        r14 = t;
        r8.intoArray(dst, to + 8 * dstStride);
        r9.intoArray(dst, to + 9 * dstStride);
        r10.intoArray(dst, to + 10 * dstStride);
        r11.intoArray(dst, to + 11 * dstStride);
        r12.intoArray(dst, to + 12 * dstStride);
        r13.intoArray(dst, to + 13 * dstStride);
        r14.intoArray(dst, to + 14 * dstStride);
        r15.intoArray(dst, to + 15 * dstStride);
    }

    /**
     * 3x3 kernel, unit column dilation: {@code acc[at + (t * 2 + b) * LF + j] += sum over the block's positions (r, c)
     * of x[xAt + r * pitch + c + tap(t)] * rows[gAt + (r * cols + c) * 2 * LF + b * LF + j]}, taps {@code kh *
     * rowStep + kw}: 18 accumulators over two positions at a time, which share 2 of the 3 input values of each
     * kernel row (12 broadcasts and 4 gradient vectors per 36 FMAs).
     */
    private static void nineBy2(float[] x, int xAt, int pitch, int rowStep, float[] rows, int gAt, int rowCount,
                                int cols, float[] acc, int at) {
        FloatVector a00 = FloatVector.fromArray(SF, acc, at + 0 * LF);
        FloatVector a01 = FloatVector.fromArray(SF, acc, at + 1 * LF);
        FloatVector a10 = FloatVector.fromArray(SF, acc, at + 2 * LF);
        FloatVector a11 = FloatVector.fromArray(SF, acc, at + 3 * LF);
        FloatVector a20 = FloatVector.fromArray(SF, acc, at + 4 * LF);
        FloatVector a21 = FloatVector.fromArray(SF, acc, at + 5 * LF);
        FloatVector a30 = FloatVector.fromArray(SF, acc, at + 6 * LF);
        FloatVector a31 = FloatVector.fromArray(SF, acc, at + 7 * LF);
        FloatVector a40 = FloatVector.fromArray(SF, acc, at + 8 * LF);
        FloatVector a41 = FloatVector.fromArray(SF, acc, at + 9 * LF);
        FloatVector a50 = FloatVector.fromArray(SF, acc, at + 10 * LF);
        FloatVector a51 = FloatVector.fromArray(SF, acc, at + 11 * LF);
        FloatVector a60 = FloatVector.fromArray(SF, acc, at + 12 * LF);
        FloatVector a61 = FloatVector.fromArray(SF, acc, at + 13 * LF);
        FloatVector a70 = FloatVector.fromArray(SF, acc, at + 14 * LF);
        FloatVector a71 = FloatVector.fromArray(SF, acc, at + 15 * LF);
        FloatVector a80 = FloatVector.fromArray(SF, acc, at + 16 * LF);
        FloatVector a81 = FloatVector.fromArray(SF, acc, at + 17 * LF);
        for (int r = 0; r < rowCount; r++) {
            int top = xAt + r * pitch;
            int middle = top + rowStep;
            int bottom = middle + rowStep;
            int g = gAt + r * cols * 2 * LF;
            int c = 0;
            for (; c + 2 <= cols; c += 2, g += 4 * LF) {
                FloatVector y0 = FloatVector.fromArray(SF, rows, g);
                FloatVector y1 = FloatVector.fromArray(SF, rows, g + LF);
                FloatVector z0 = FloatVector.fromArray(SF, rows, g + 2 * LF);
                FloatVector z1 = FloatVector.fromArray(SF, rows, g + 3 * LF);
                FloatVector v0 = FloatVector.broadcast(SF, x[top + c]);
                FloatVector v1 = FloatVector.broadcast(SF, x[top + c + 1]);
                FloatVector v2 = FloatVector.broadcast(SF, x[top + c + 2]);
                FloatVector v3 = FloatVector.broadcast(SF, x[top + c + 3]);
                a00 = v0.fma(y0, a00);
                a01 = v0.fma(y1, a01);
                a00 = v1.fma(z0, a00);
                a01 = v1.fma(z1, a01);
                a10 = v1.fma(y0, a10);
                a11 = v1.fma(y1, a11);
                a10 = v2.fma(z0, a10);
                a11 = v2.fma(z1, a11);
                a20 = v2.fma(y0, a20);
                a21 = v2.fma(y1, a21);
                a20 = v3.fma(z0, a20);
                a21 = v3.fma(z1, a21);
                v0 = FloatVector.broadcast(SF, x[middle + c]);
                v1 = FloatVector.broadcast(SF, x[middle + c + 1]);
                v2 = FloatVector.broadcast(SF, x[middle + c + 2]);
                v3 = FloatVector.broadcast(SF, x[middle + c + 3]);
                a30 = v0.fma(y0, a30);
                a31 = v0.fma(y1, a31);
                a30 = v1.fma(z0, a30);
                a31 = v1.fma(z1, a31);
                a40 = v1.fma(y0, a40);
                a41 = v1.fma(y1, a41);
                a40 = v2.fma(z0, a40);
                a41 = v2.fma(z1, a41);
                a50 = v2.fma(y0, a50);
                a51 = v2.fma(y1, a51);
                a50 = v3.fma(z0, a50);
                a51 = v3.fma(z1, a51);
                v0 = FloatVector.broadcast(SF, x[bottom + c]);
                v1 = FloatVector.broadcast(SF, x[bottom + c + 1]);
                v2 = FloatVector.broadcast(SF, x[bottom + c + 2]);
                v3 = FloatVector.broadcast(SF, x[bottom + c + 3]);
                a60 = v0.fma(y0, a60);
                a61 = v0.fma(y1, a61);
                a60 = v1.fma(z0, a60);
                a61 = v1.fma(z1, a61);
                a70 = v1.fma(y0, a70);
                a71 = v1.fma(y1, a71);
                a70 = v2.fma(z0, a70);
                a71 = v2.fma(z1, a71);
                a80 = v2.fma(y0, a80);
                a81 = v2.fma(y1, a81);
                a80 = v3.fma(z0, a80);
                a81 = v3.fma(z1, a81);
            }
            if (c < cols) {
                FloatVector y0 = FloatVector.fromArray(SF, rows, g);
                FloatVector y1 = FloatVector.fromArray(SF, rows, g + LF);
                FloatVector v = FloatVector.broadcast(SF, x[top + c]);
                a00 = v.fma(y0, a00);
                a01 = v.fma(y1, a01);
                v = FloatVector.broadcast(SF, x[top + c + 1]);
                a10 = v.fma(y0, a10);
                a11 = v.fma(y1, a11);
                v = FloatVector.broadcast(SF, x[top + c + 2]);
                a20 = v.fma(y0, a20);
                a21 = v.fma(y1, a21);
                v = FloatVector.broadcast(SF, x[middle + c]);
                a30 = v.fma(y0, a30);
                a31 = v.fma(y1, a31);
                v = FloatVector.broadcast(SF, x[middle + c + 1]);
                a40 = v.fma(y0, a40);
                a41 = v.fma(y1, a41);
                v = FloatVector.broadcast(SF, x[middle + c + 2]);
                a50 = v.fma(y0, a50);
                a51 = v.fma(y1, a51);
                v = FloatVector.broadcast(SF, x[bottom + c]);
                a60 = v.fma(y0, a60);
                a61 = v.fma(y1, a61);
                v = FloatVector.broadcast(SF, x[bottom + c + 1]);
                a70 = v.fma(y0, a70);
                a71 = v.fma(y1, a71);
                v = FloatVector.broadcast(SF, x[bottom + c + 2]);
                a80 = v.fma(y0, a80);
                a81 = v.fma(y1, a81);
            }
        }
        a00.intoArray(acc, at + 0 * LF);
        a01.intoArray(acc, at + 1 * LF);
        a10.intoArray(acc, at + 2 * LF);
        a11.intoArray(acc, at + 3 * LF);
        a20.intoArray(acc, at + 4 * LF);
        a21.intoArray(acc, at + 5 * LF);
        a30.intoArray(acc, at + 6 * LF);
        a31.intoArray(acc, at + 7 * LF);
        a40.intoArray(acc, at + 8 * LF);
        a41.intoArray(acc, at + 9 * LF);
        a50.intoArray(acc, at + 10 * LF);
        a51.intoArray(acc, at + 11 * LF);
        a60.intoArray(acc, at + 12 * LF);
        a61.intoArray(acc, at + 13 * LF);
        a70.intoArray(acc, at + 14 * LF);
        a71.intoArray(acc, at + 15 * LF);
        a80.intoArray(acc, at + 16 * LF);
        a81.intoArray(acc, at + 17 * LF);
    }

    /**
     * {@link #nineBy2} on planes of pitch {@link #NARROW} (unit row dilation): with the row step a constant, every
     * input value of an iteration is a constant offset from one index, so the JIT checks bounds once per input row
     * block instead of once per kernel row and keeps fewer indices live. Layer c's tiles (14 x 14 padded to 16 x 16)
     * ran at 184-196 GFLOP/s from L1 this way against 165-175 with the row step a parameter (one thread, best of 2000
     * calls, interleaved).
     */
    private static void nineBy2Narrow(float[] x, int xAt, float[] rows, int gAt, int rowCount, int cols, float[] acc,
                                      int at) {
        FloatVector a00 = FloatVector.fromArray(SF, acc, at + 0 * LF);
        FloatVector a01 = FloatVector.fromArray(SF, acc, at + 1 * LF);
        FloatVector a10 = FloatVector.fromArray(SF, acc, at + 2 * LF);
        FloatVector a11 = FloatVector.fromArray(SF, acc, at + 3 * LF);
        FloatVector a20 = FloatVector.fromArray(SF, acc, at + 4 * LF);
        FloatVector a21 = FloatVector.fromArray(SF, acc, at + 5 * LF);
        FloatVector a30 = FloatVector.fromArray(SF, acc, at + 6 * LF);
        FloatVector a31 = FloatVector.fromArray(SF, acc, at + 7 * LF);
        FloatVector a40 = FloatVector.fromArray(SF, acc, at + 8 * LF);
        FloatVector a41 = FloatVector.fromArray(SF, acc, at + 9 * LF);
        FloatVector a50 = FloatVector.fromArray(SF, acc, at + 10 * LF);
        FloatVector a51 = FloatVector.fromArray(SF, acc, at + 11 * LF);
        FloatVector a60 = FloatVector.fromArray(SF, acc, at + 12 * LF);
        FloatVector a61 = FloatVector.fromArray(SF, acc, at + 13 * LF);
        FloatVector a70 = FloatVector.fromArray(SF, acc, at + 14 * LF);
        FloatVector a71 = FloatVector.fromArray(SF, acc, at + 15 * LF);
        FloatVector a80 = FloatVector.fromArray(SF, acc, at + 16 * LF);
        FloatVector a81 = FloatVector.fromArray(SF, acc, at + 17 * LF);
        for (int r = 0; r < rowCount; r++) {
            int top = xAt + r * NARROW;
            int middle = top + NARROW;
            int bottom = top + 2 * NARROW;
            int g = gAt + r * cols * 2 * LF;
            int c = 0;
            for (; c + 2 <= cols; c += 2, g += 4 * LF) {
                FloatVector y0 = FloatVector.fromArray(SF, rows, g);
                FloatVector y1 = FloatVector.fromArray(SF, rows, g + LF);
                FloatVector z0 = FloatVector.fromArray(SF, rows, g + 2 * LF);
                FloatVector z1 = FloatVector.fromArray(SF, rows, g + 3 * LF);
                FloatVector v0 = FloatVector.broadcast(SF, x[top + c]);
                FloatVector v1 = FloatVector.broadcast(SF, x[top + c + 1]);
                FloatVector v2 = FloatVector.broadcast(SF, x[top + c + 2]);
                FloatVector v3 = FloatVector.broadcast(SF, x[top + c + 3]);
                a00 = v0.fma(y0, a00);
                a01 = v0.fma(y1, a01);
                a00 = v1.fma(z0, a00);
                a01 = v1.fma(z1, a01);
                a10 = v1.fma(y0, a10);
                a11 = v1.fma(y1, a11);
                a10 = v2.fma(z0, a10);
                a11 = v2.fma(z1, a11);
                a20 = v2.fma(y0, a20);
                a21 = v2.fma(y1, a21);
                a20 = v3.fma(z0, a20);
                a21 = v3.fma(z1, a21);
                v0 = FloatVector.broadcast(SF, x[middle + c]);
                v1 = FloatVector.broadcast(SF, x[middle + c + 1]);
                v2 = FloatVector.broadcast(SF, x[middle + c + 2]);
                v3 = FloatVector.broadcast(SF, x[middle + c + 3]);
                a30 = v0.fma(y0, a30);
                a31 = v0.fma(y1, a31);
                a30 = v1.fma(z0, a30);
                a31 = v1.fma(z1, a31);
                a40 = v1.fma(y0, a40);
                a41 = v1.fma(y1, a41);
                a40 = v2.fma(z0, a40);
                a41 = v2.fma(z1, a41);
                a50 = v2.fma(y0, a50);
                a51 = v2.fma(y1, a51);
                a50 = v3.fma(z0, a50);
                a51 = v3.fma(z1, a51);
                v0 = FloatVector.broadcast(SF, x[bottom + c]);
                v1 = FloatVector.broadcast(SF, x[bottom + c + 1]);
                v2 = FloatVector.broadcast(SF, x[bottom + c + 2]);
                v3 = FloatVector.broadcast(SF, x[bottom + c + 3]);
                a60 = v0.fma(y0, a60);
                a61 = v0.fma(y1, a61);
                a60 = v1.fma(z0, a60);
                a61 = v1.fma(z1, a61);
                a70 = v1.fma(y0, a70);
                a71 = v1.fma(y1, a71);
                a70 = v2.fma(z0, a70);
                a71 = v2.fma(z1, a71);
                a80 = v2.fma(y0, a80);
                a81 = v2.fma(y1, a81);
                a80 = v3.fma(z0, a80);
                a81 = v3.fma(z1, a81);
            }
            if (c < cols) {
                FloatVector y0 = FloatVector.fromArray(SF, rows, g);
                FloatVector y1 = FloatVector.fromArray(SF, rows, g + LF);
                FloatVector v = FloatVector.broadcast(SF, x[top + c]);
                a00 = v.fma(y0, a00);
                a01 = v.fma(y1, a01);
                v = FloatVector.broadcast(SF, x[top + c + 1]);
                a10 = v.fma(y0, a10);
                a11 = v.fma(y1, a11);
                v = FloatVector.broadcast(SF, x[top + c + 2]);
                a20 = v.fma(y0, a20);
                a21 = v.fma(y1, a21);
                v = FloatVector.broadcast(SF, x[middle + c]);
                a30 = v.fma(y0, a30);
                a31 = v.fma(y1, a31);
                v = FloatVector.broadcast(SF, x[middle + c + 1]);
                a40 = v.fma(y0, a40);
                a41 = v.fma(y1, a41);
                v = FloatVector.broadcast(SF, x[middle + c + 2]);
                a50 = v.fma(y0, a50);
                a51 = v.fma(y1, a51);
                v = FloatVector.broadcast(SF, x[bottom + c]);
                a60 = v.fma(y0, a60);
                a61 = v.fma(y1, a61);
                v = FloatVector.broadcast(SF, x[bottom + c + 1]);
                a70 = v.fma(y0, a70);
                a71 = v.fma(y1, a71);
                v = FloatVector.broadcast(SF, x[bottom + c + 2]);
                a80 = v.fma(y0, a80);
                a81 = v.fma(y1, a81);
            }
        }
        a00.intoArray(acc, at + 0 * LF);
        a01.intoArray(acc, at + 1 * LF);
        a10.intoArray(acc, at + 2 * LF);
        a11.intoArray(acc, at + 3 * LF);
        a20.intoArray(acc, at + 4 * LF);
        a21.intoArray(acc, at + 5 * LF);
        a30.intoArray(acc, at + 6 * LF);
        a31.intoArray(acc, at + 7 * LF);
        a40.intoArray(acc, at + 8 * LF);
        a41.intoArray(acc, at + 9 * LF);
        a50.intoArray(acc, at + 10 * LF);
        a51.intoArray(acc, at + 11 * LF);
        a60.intoArray(acc, at + 12 * LF);
        a61.intoArray(acc, at + 13 * LF);
        a70.intoArray(acc, at + 14 * LF);
        a71.intoArray(acc, at + 15 * LF);
        a80.intoArray(acc, at + 16 * LF);
        a81.intoArray(acc, at + 17 * LF);
    }

    /**
     * Any kernel, taps {@code t0 .. t0 + count - 1} (count at most 3, offsets {@code taps}): as {@link #nineBy2} with
     * 6 accumulators.
     */
    private static void threeBy2(float[] x, int xAt, int pitch, int[] taps, int t0, int count, float[] rows, int gAt,
                                 int rowCount, int cols, float[] acc, int at) {
        int d0 = taps[t0];
        int d1 = taps[t0 + Math.min(1, count - 1)];
        int d2 = taps[t0 + Math.min(2, count - 1)];
        FloatVector a00 = FloatVector.fromArray(SF, acc, at + t0 * 2 * LF);
        FloatVector a01 = FloatVector.fromArray(SF, acc, at + t0 * 2 * LF + LF);
        FloatVector a10 = FloatVector.zero(SF);
        FloatVector a11 = a10;
        FloatVector a20 = a10;
        FloatVector a21 = a10;
        if (count > 1) {
            a10 = FloatVector.fromArray(SF, acc, at + (t0 + 1) * 2 * LF);
            a11 = FloatVector.fromArray(SF, acc, at + (t0 + 1) * 2 * LF + LF);
        }
        if (count > 2) {
            a20 = FloatVector.fromArray(SF, acc, at + (t0 + 2) * 2 * LF);
            a21 = FloatVector.fromArray(SF, acc, at + (t0 + 2) * 2 * LF + LF);
        }
        for (int r = 0; r < rowCount; r++) {
            int p = xAt + r * pitch;
            int g = gAt + r * cols * 2 * LF;
            for (int c = 0; c < cols; c++, g += 2 * LF) {
                FloatVector y0 = FloatVector.fromArray(SF, rows, g);
                FloatVector y1 = FloatVector.fromArray(SF, rows, g + LF);
                FloatVector v = FloatVector.broadcast(SF, x[p + c + d0]);
                a00 = v.fma(y0, a00);
                a01 = v.fma(y1, a01);
                v = FloatVector.broadcast(SF, x[p + c + d1]);
                a10 = v.fma(y0, a10);
                a11 = v.fma(y1, a11);
                v = FloatVector.broadcast(SF, x[p + c + d2]);
                a20 = v.fma(y0, a20);
                a21 = v.fma(y1, a21);
            }
        }
        a00.intoArray(acc, at + t0 * 2 * LF);
        a01.intoArray(acc, at + t0 * 2 * LF + LF);
        if (count > 1) {
            a10.intoArray(acc, at + (t0 + 1) * 2 * LF);
            a11.intoArray(acc, at + (t0 + 1) * 2 * LF + LF);
        }
        if (count > 2) {
            a20.intoArray(acc, at + (t0 + 2) * 2 * LF);
            a21.intoArray(acc, at + (t0 + 2) * 2 * LF + LF);
        }
    }

}
