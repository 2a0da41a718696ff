package vecgrad.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 engine behind {@link GemmKernels}: {@code C = alpha * A * B + beta * C} for a logical
 * {@code A: [m, k]}, {@code B: [k, n]}, {@code C: [m, n]} whose elements sit at
 * {@code a[aOff + i * aRow + p * aCol]} and so on, so one code path serves every transpose
 * (a transposed operand just swaps its two strides).
 *
 * <p>Blocking follows Goto and van de Geijn ("Anatomy of high-performance matrix multiplication",
 * ACM TOMS 34(3), 2008): a {@code [kc, nc]} panel of B is packed into {@link #NR}-wide slivers
 * (shared by all threads), each thread packs an {@code [mc, kc]} block of A into {@link #MR}-tall
 * slivers, and a register-tiled micro-kernel multiplies one A sliver by one B sliver. Packed panels
 * are padded with zeros, so the micro-kernel always runs on a full tile and only the merge into C
 * looks at the edges.
 *
 * <p>Every element of C is the same sequence of fused multiply-adds over {@code p} whatever the
 * chunking or thread count: the only thing that splits the k-sum is {@link #kcFor}, a function of
 * k alone. Hence results are bit-identical for any {@code -Dvecgrad.threads}.
 *
 * <p>The {@code double} twin {@link GemmF64} is this file with the element type swapped.
 */
final class GemmF32 {
    private static final VectorSpecies<Float> S = Simd.F32;
    private static final int LANES = S.length();
    /**
     * Rows of the register tile. 8 rows x 3 vectors = 24 accumulators, leaving registers for B and A.
     * Measured here for float32 (AVX-512, micro-kernel alone, L1/L2-resident panels, shared machine): 8 x 3
     * vectors reached 0.85-0.97 of the FMA peak against 0.80-0.88 for 6 x 4 and 0.7 for 4 x 6; its B sliver
     * (3 vectors x kc) also stays closer to L1.
     */
    static final int MR = 8; // packA spells out these 8 rows
    /** Columns of the register tile: three vectors, so narrow species keep the same register shape. */
    static final int NR = 3 * LANES;
    /** Depth of one packed block (float32 on a 48 KB-L1 / 2 MB-L2 core: 384-512 measured best, 128 worst). */
    private static final int KC = 512;
    /** Rows of A packed per block (the A block, MC x KC, stays in L2). */
    private static final int MC = 192;
    /** Columns of B packed per panel. */
    private static final int NC = 2048;
    /** Fused multiply-adds worth one parallel chunk; below it a block runs on one thread. */
    private static final long CHUNK_WORK = 1L << 21;
    /** Largest B panel (elements) packed by the calling thread alone rather than by the pool. */
    private static final long SERIAL_PACK = 1L << 18;
    /** Most chunks a block is cut into (an even count keeps two cores equally busy). */
    private static final int MAX_CHUNKS = 8;
    /**
     * Widest C (in columns) that takes the dot-product path: there a register tile of NR columns would be mostly
     * padding, and A (the big operand, e.g. 60000 x 784 points against 10 centroids) is read once, unpacked.
     */
    static final int NARROW = 16;
    /** Rows and columns of the dot-product tile: 4 x 4 = 16 vector accumulators. */
    private static final int DOT_ROWS = 4;
    private static final int DOT_COLS = 4;
    /**
     * Up to this many multiply-adds a plain loop runs instead of packing. Measured (float32, square):
     * 4^3 takes 0.07 us plain against 0.16 us packed, 8^3 already 0.40 us plain against 0.22 us packed.
     */
    static final long DIRECT_WORK = 256;

    private GemmF32() {}

    /** Per-thread, reused pack and tile buffers (no allocation per call once they have grown). */
    private static final class Scratch {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        final float[] tile = new float[MR * NR];
        final float[] lanes = new float[LANES];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Depth of each k-block: k cut into equal blocks of at most KC, so no thin last block. */
    static int kcFor(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    static void run(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
                    float[] c, int cOff, int cRow, int cCol, int m, int n, int k, float alpha, float beta) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scale(c, cOff, cRow, cCol, m, n, beta);
            return;
        }
        if ((long) m * n * k <= DIRECT_WORK) {
            direct(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, cCol, m, n, k, alpha, beta);
            return;
        }
        if (n <= NARROW && aCol == 1 && k >= LANES) {
            narrow(a, aOff, aRow, b, bOff, bRow, bCol, c, cOff, cRow, cCol, m, n, k, alpha, beta);
            return;
        }
        if (m <= NARROW && bRow == 1 && k >= LANES) { // transposed: C^T = B^T A^T, rows of B^T contiguous
            narrow(b, bOff, bCol, a, aOff, aCol, aRow, c, cOff, cCol, cRow, n, m, k, alpha, beta);
            return;
        }
        // C^T = B^T A^T: when n is narrow and m is not, rows of C become tile columns, so padding n up
        // to NR does not waste most of the FMAs (k-means: m = 60000, n = 10).
        long padded = (long) roundUp(m, MR) * roundUp(n, NR);
        long swappedPadded = (long) roundUp(n, MR) * roundUp(m, NR);
        if (swappedPadded < padded) {
            blocked(b, bOff, bCol, bRow, a, aOff, aCol, aRow, c, cOff, cCol, cRow, n, m, k, alpha, beta);
        } else {
            blocked(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, cCol, m, n, k, alpha, beta);
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    private static void blocked(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
                                float[] c, int cOff, int cRow, int cCol, int m, int n, int k,
                                float alpha, float beta) {
        int kcMax = kcFor(k);
        Scratch owner = SCRATCH.get();
        int slivers = (Math.min(n, NC) + NR - 1) / NR;
        if (owner.packedB.length < slivers * NR * kcMax) {
            owner.packedB = new float[slivers * NR * kcMax];
        }
        float[] packedB = owner.packedB;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int ncSlivers = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                float betaHere = pc == 0 ? beta : 1f; // later k-blocks add onto what the first one wrote
                long work = (long) m * nc * kc;
                int wanted = (int) Math.min(MAX_CHUNKS, Math.max(1, work / CHUNK_WORK));
                if (wanted > 1 && wanted % 2 == 1) {
                    wanted++;
                }
                int rowSlivers = (m + MR - 1) / MR;
                int rowBlocks = Math.max((m + MC - 1) / MC, Math.min(wanted, rowSlivers));
                if (rowBlocks > 1 && rowBlocks % 2 == 1 && rowBlocks < rowSlivers) {
                    rowBlocks++;
                }
                int mc = roundUp((m + rowBlocks - 1) / rowBlocks, MR);
                int rowBlocksUsed = (m + mc - 1) / mc;
                int colGroups = wanted > rowBlocksUsed
                        ? Math.min(ncSlivers, (wanted + rowBlocksUsed - 1) / rowBlocksUsed) : 1;
                int slivPerGroup = (ncSlivers + colGroups - 1) / colGroups;
                int colGroupsUsed = (ncSlivers + slivPerGroup - 1) / slivPerGroup;

                // A small panel is packed by the caller alone: one hand-off to the pool fewer per block, which is
                // what a 512 x 512 product on two threads loses most to.
                int packChunks = (long) kc * nc <= SERIAL_PACK ? 1 : Math.min(ncSlivers, Math.max(1, wanted));
                int slivPerPack = (ncSlivers + packChunks - 1) / packChunks;
                int packChunksUsed = (ncSlivers + slivPerPack - 1) / slivPerPack;
                int bJ = jc;
                int bP = pc;
                Parallel.forEach(packChunksUsed, chunk -> {
                    int first = chunk * slivPerPack;
                    int last = Math.min(ncSlivers, first + slivPerPack);
                    packB(b, bOff, bRow, bCol, bP, kc, bJ, nc, first, last, packedB);
                });
                Parallel.forEach(rowBlocksUsed * colGroupsUsed, chunk -> {
                    int rowBlock = chunk / colGroupsUsed;
                    int colGroup = chunk % colGroupsUsed;
                    int i0 = rowBlock * mc;
                    int rows = Math.min(mc, m - i0);
                    int firstSliver = colGroup * slivPerGroup;
                    int lastSliver = Math.min(ncSlivers, firstSliver + slivPerGroup);
                    Scratch scratch = SCRATCH.get();
                    int need = roundUp(rows, MR) * kc;
                    if (scratch.packedA.length < need) {
                        scratch.packedA = new float[Math.max(need, roundUp(Math.min(m, MC), MR) * kcMax)];
                    }
                    float[] packedA = scratch.packedA;
                    packA(a, aOff, aRow, aCol, i0, rows, bP, kc, packedA);
                    for (int t = firstSliver; t < lastSliver; t++) {
                        int j0 = t * NR;
                        int cols = Math.min(NR, nc - j0);
                        for (int i = 0; i < rows; i += MR) {
                            int tileRows = Math.min(MR, rows - i);
                            microKernel(packedA, i * kc, packedB, t * NR * kc, kc, scratch.tile);
                            merge(scratch.tile, c, cOff + (i0 + i) * cRow + (bJ + j0) * cCol, cRow, cCol,
                                    tileRows, cols, alpha, betaHere);
                        }
                    }
                });
            }
        }
    }

    /**
     * Packs rows {@code [i0, i0 + rows)} and depths {@code [p0, p0 + kc)} of A into MR-tall slivers:
     * sliver s holds {@code packed[s * MR * kc + p * MR + r] = A[i0 + s * MR + r][p0 + p]}, zero past the last row.
     */
    private static void packA(float[] a, int aOff, int aRow, int aCol, int i0, int rows, int p0, int kc,
                              float[] packed) {
        for (int s = 0; s < rows; s += MR) {
            int base = s * kc;
            int height = Math.min(MR, rows - s);
            int first = aOff + (i0 + s) * aRow + p0 * aCol;
            if (height == MR) {
                // The packed sliver is written in order while A is read along its MR rows at once; the rows are
                // spelled out so that every index is linear in p and the JIT hoists the bounds checks.
                int row0 = first;
                int row1 = first + aRow;
                int row2 = first + 2 * aRow;
                int row3 = first + 3 * aRow;
                int row4 = first + 4 * aRow;
                int row5 = first + 5 * aRow;
                int row6 = first + 6 * aRow;
                int row7 = first + 7 * aRow;
                for (int p = 0, to = base; p < kc; p++, to += MR) {
                    int step = p * aCol;
                    packed[to] = a[row0 + step];
                    packed[to + 1] = a[row1 + step];
                    packed[to + 2] = a[row2 + step];
                    packed[to + 3] = a[row3 + step];
                    packed[to + 4] = a[row4 + step];
                    packed[to + 5] = a[row5 + step];
                    packed[to + 6] = a[row6 + step];
                    packed[to + 7] = a[row7 + step];
                }
                continue;
            }
            for (int r = 0; r < MR; r++) {
                int from = first + r * aRow;
                boolean real = r < height;
                for (int p = 0, to = base + r; p < kc; p++, to += MR) {
                    packed[to] = real ? a[from + p * aCol] : 0f;
                }
            }
        }
    }

    /**
     * Packs B slivers {@code [first, last)} of the panel at depth {@code p0}, columns {@code j0}:
     * sliver t holds {@code packed[t * NR * kc + p * NR + j] = B[p0 + p][j0 + t * NR + j]}, zero past column nc.
     */
    private static void packB(float[] b, int bOff, int bRow, int bCol, int p0, int kc, int j0, int nc,
                              int first, int last, float[] packed) {
        for (int t = first; t < last; t++) {
            int base = t * NR * kc;
            int col = t * NR;
            int width = Math.min(NR, nc - col);
            if (bCol == 1 && width == NR) { // a full sliver row is three vectors
                for (int p = 0, from = bOff + p0 * bRow + j0 + col, to = base; p < kc; p++, from += bRow, to += NR) {
                    FloatVector.fromArray(S, b, from).intoArray(packed, to);
                    FloatVector.fromArray(S, b, from + LANES).intoArray(packed, to + LANES);
                    FloatVector.fromArray(S, b, from + 2 * LANES).intoArray(packed, to + 2 * LANES);
                }
            } else if (bCol == 1) {
                for (int p = 0; p < kc; p++) {
                    int to = base + p * NR;
                    System.arraycopy(b, bOff + (p0 + p) * bRow + j0 + col, packed, to, width);
                    for (int j = width; j < NR; j++) {
                        packed[to + j] = 0f;
                    }
                }
            } else {
                for (int j = 0; j < width; j++) {
                    int from = bOff + p0 * bRow + (j0 + col + j) * bCol;
                    for (int p = 0, to = base + j; p < kc; p++, to += NR) {
                        packed[to] = b[from + p * bRow];
                    }
                }
                for (int j = width; j < NR; j++) {
                    for (int p = 0, to = base + j; p < kc; p++, to += NR) {
                        packed[to] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The register tile: {@code tile[r * NR + j] = sum_p A[r][p] * B[p][j]} for one packed A sliver and
     * one packed B sliver, as one fused multiply-add per p in increasing p. Kept small on purpose: a
     * much larger vector method can fail C1 compilation and then run with boxed vectors.
     */
    static void microKernel(float[] packedA, int aAt, float[] packedB, int bAt, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        FloatVector c60 = c00, c61 = c00, c62 = c00;
        FloatVector c70 = c00, c71 = c00, c72 = c00;
        int ai = aAt;
        int bi = bAt;
        int p = 0;
        // Two steps of p per trip: measured about 10% faster than one (fewer loop branches per FMA).
        for (; p + 1 < kc; p += 2, ai += 2 * MR, bi += 2 * NR) {
            FloatVector b0 = FloatVector.fromArray(S, packedB, bi);
            FloatVector b1 = FloatVector.fromArray(S, packedB, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(S, packedB, bi + 2 * LANES);
            FloatVector x = FloatVector.broadcast(S, packedA[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, packedA[ai + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, packedA[ai + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, packedA[ai + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, packedA[ai + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, packedA[ai + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            x = FloatVector.broadcast(S, packedA[ai + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            c62 = b2.fma(x, c62);
            x = FloatVector.broadcast(S, packedA[ai + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            c72 = b2.fma(x, c72);
            b0 = FloatVector.fromArray(S, packedB, bi + NR);
            b1 = FloatVector.fromArray(S, packedB, bi + NR + LANES);
            b2 = FloatVector.fromArray(S, packedB, bi + NR + 2 * LANES);
            x = FloatVector.broadcast(S, packedA[ai + MR]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, packedA[ai + MR + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, packedA[ai + MR + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, packedA[ai + MR + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, packedA[ai + MR + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, packedA[ai + MR + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            x = FloatVector.broadcast(S, packedA[ai + MR + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            c62 = b2.fma(x, c62);
            x = FloatVector.broadcast(S, packedA[ai + MR + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            c72 = b2.fma(x, c72);
        }
        if (p < kc) { // odd kc: one last step
            FloatVector b0 = FloatVector.fromArray(S, packedB, bi);
            FloatVector b1 = FloatVector.fromArray(S, packedB, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(S, packedB, bi + 2 * LANES);
            FloatVector x = FloatVector.broadcast(S, packedA[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, packedA[ai + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, packedA[ai + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, packedA[ai + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, packedA[ai + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, packedA[ai + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            x = FloatVector.broadcast(S, packedA[ai + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            c62 = b2.fma(x, c62);
            x = FloatVector.broadcast(S, packedA[ai + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            c72 = b2.fma(x, c72);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c02.intoArray(tile, 2 * LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c12.intoArray(tile, NR + 2 * LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c22.intoArray(tile, 2 * NR + 2 * LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c32.intoArray(tile, 3 * NR + 2 * LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c42.intoArray(tile, 4 * NR + 2 * LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
        c52.intoArray(tile, 5 * NR + 2 * LANES);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + LANES);
        c62.intoArray(tile, 6 * NR + 2 * LANES);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + LANES);
        c72.intoArray(tile, 7 * NR + 2 * LANES);
    }

    /**
     * {@code C[r][j] = alpha * tile[r][j] + beta * C[r][j]} for the valid {@code rows x cols} corner of the
     * tile, as {@code fma(tile, alpha, beta * C)} (or {@code tile * alpha} when beta is 0, so NaN in C
     * is ignored). The vector and scalar paths round identically.
     */
    private static void merge(float[] tile, float[] c, int cAt, int cRow, int cCol, int rows, int cols,
                              float alpha, float beta) {
        if (cCol == 1 && cols == NR) {
            FloatVector alphas = FloatVector.broadcast(S, alpha);
            for (int r = 0; r < rows; r++) {
                int row = cAt + r * cRow;
                for (int j = 0; j < NR; j += LANES) {
                    FloatVector sum = FloatVector.fromArray(S, tile, r * NR + j);
                    FloatVector out = beta == 0 ? sum.mul(alphas)
                            : sum.fma(alphas, FloatVector.fromArray(S, c, row + j).mul(beta));
                    out.intoArray(c, row + j);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int row = cAt + r * cRow;
            for (int j = 0; j < cols; j++) {
                int at = row + j * cCol;
                float sum = tile[r * NR + j];
                c[at] = beta == 0 ? sum * alpha : Math.fma(sum, alpha, c[at] * beta);
            }
        }
    }

    /**
     * The dot-product path for a narrow C ({@code n <= NARROW}) whose A rows are contiguous along k:
     * {@code C[i][j] = dot(A[i][:], B[:][j])}. B is packed once as {@code B^T} ({@code [n rounded up to 4, k]},
     * zero rows past n); A is read in place. Each product is summed lane-wise over p (lane l takes
     * {@code p = l mod LANES}), the lanes are then added in index order, and the tail of k follows with scalar
     * fused multiply-adds: a fixed order, so thread count and row chunking never change a bit.
     */
    private static void narrow(float[] a, int aOff, int aRow, float[] b, int bOff, int bRow, int bCol,
                               float[] c, int cOff, int cRow, int cCol, int m, int n, int k,
                               float alpha, float beta) {
        int paddedN = roundUp(n, DOT_COLS);
        Scratch owner = SCRATCH.get();
        if (owner.packedB.length < paddedN * k) {
            owner.packedB = new float[paddedN * k];
        }
        float[] transposedB = owner.packedB;
        for (int j = 0; j < paddedN; j++) {
            for (int p = 0; p < k; p++) {
                transposedB[j * k + p] = j < n ? b[bOff + p * bRow + j * bCol] : 0f;
            }
        }
        long rowWork = (long) paddedN * k;
        int rowsPerChunk = roundUp((int) Math.max(1, Math.min(m, CHUNK_WORK / rowWork)), DOT_ROWS);
        int chunks = (m + rowsPerChunk - 1) / rowsPerChunk;
        Parallel.forEach(chunks, chunk -> {
            float[] lanes = SCRATCH.get().lanes;
            int first = chunk * rowsPerChunk;
            int last = Math.min(m, first + rowsPerChunk);
            int i = first;
            for (; i + DOT_ROWS <= last; i += DOT_ROWS) {
                for (int j = 0; j < n; j += DOT_COLS) {
                    dotTile(a, aOff + i * aRow, aRow, transposedB, j * k, k, lanes, c, cOff + i * cRow + j * cCol,
                            cRow, cCol, Math.min(DOT_COLS, n - j), alpha, beta);
                }
            }
            for (; i < last; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = dot(a, aOff + i * aRow, transposedB, j * k, k, lanes);
                    int at = cOff + i * cRow + j * cCol;
                    c[at] = beta == 0 ? sum * alpha : Math.fma(sum, alpha, c[at] * beta);
                }
            }
        });
    }

    /**
     * 4 rows of A against 4 rows of {@code B^T}: 16 dot products of length k, merged into the first {@code cols}
     * columns of C.
     */
    private static void dotTile(float[] a, int aAt, int aRow, float[] bt, int bAt, int k, float[] lanes,
                                float[] c, int cAt, int cRow, int cCol, int cols, float alpha, float beta) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int a0 = aAt;
        int a1 = aAt + aRow;
        int a2 = aAt + 2 * aRow;
        int a3 = aAt + 3 * aRow;
        int vectorEnd = S.loopBound(k);
        for (int p = 0; p < vectorEnd; p += LANES) {
            FloatVector b0 = FloatVector.fromArray(S, bt, bAt + p);
            FloatVector b1 = FloatVector.fromArray(S, bt, bAt + k + p);
            FloatVector b2 = FloatVector.fromArray(S, bt, bAt + 2 * k + p);
            FloatVector b3 = FloatVector.fromArray(S, bt, bAt + 3 * k + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            s02 = x.fma(b2, s02);
            s03 = x.fma(b3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            s12 = x.fma(b2, s12);
            s13 = x.fma(b3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(b0, s20);
            s21 = x.fma(b1, s21);
            s22 = x.fma(b2, s22);
            s23 = x.fma(b3, s23);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(b0, s30);
            s31 = x.fma(b1, s31);
            s32 = x.fma(b2, s32);
            s33 = x.fma(b3, s33);
        }
        finish(s00, a, a0, bt, bAt, vectorEnd, k, lanes, c, cAt, 0, cols, alpha, beta, cCol);
        finish(s01, a, a0, bt, bAt + k, vectorEnd, k, lanes, c, cAt, 1, cols, alpha, beta, cCol);
        finish(s02, a, a0, bt, bAt + 2 * k, vectorEnd, k, lanes, c, cAt, 2, cols, alpha, beta, cCol);
        finish(s03, a, a0, bt, bAt + 3 * k, vectorEnd, k, lanes, c, cAt, 3, cols, alpha, beta, cCol);
        finish(s10, a, a1, bt, bAt, vectorEnd, k, lanes, c, cAt + cRow, 0, cols, alpha, beta, cCol);
        finish(s11, a, a1, bt, bAt + k, vectorEnd, k, lanes, c, cAt + cRow, 1, cols, alpha, beta, cCol);
        finish(s12, a, a1, bt, bAt + 2 * k, vectorEnd, k, lanes, c, cAt + cRow, 2, cols, alpha, beta, cCol);
        finish(s13, a, a1, bt, bAt + 3 * k, vectorEnd, k, lanes, c, cAt + cRow, 3, cols, alpha, beta, cCol);
        finish(s20, a, a2, bt, bAt, vectorEnd, k, lanes, c, cAt + 2 * cRow, 0, cols, alpha, beta, cCol);
        finish(s21, a, a2, bt, bAt + k, vectorEnd, k, lanes, c, cAt + 2 * cRow, 1, cols, alpha, beta, cCol);
        finish(s22, a, a2, bt, bAt + 2 * k, vectorEnd, k, lanes, c, cAt + 2 * cRow, 2, cols, alpha, beta, cCol);
        finish(s23, a, a2, bt, bAt + 3 * k, vectorEnd, k, lanes, c, cAt + 2 * cRow, 3, cols, alpha, beta, cCol);
        finish(s30, a, a3, bt, bAt, vectorEnd, k, lanes, c, cAt + 3 * cRow, 0, cols, alpha, beta, cCol);
        finish(s31, a, a3, bt, bAt + k, vectorEnd, k, lanes, c, cAt + 3 * cRow, 1, cols, alpha, beta, cCol);
        finish(s32, a, a3, bt, bAt + 2 * k, vectorEnd, k, lanes, c, cAt + 3 * cRow, 2, cols, alpha, beta, cCol);
        finish(s33, a, a3, bt, bAt + 3 * k, vectorEnd, k, lanes, c, cAt + 3 * cRow, 3, cols, alpha, beta, cCol);
    }

    /**
     * Adds the lanes of one accumulator in index order, the k tail with scalar fused multiply-adds, and merges
     * the product into {@code C[row][col]} (skipped for the zero padding columns {@code col >= cols}).
     */
    private static void finish(FloatVector sum, float[] a, int aAt, float[] bt, int bAt, int vectorEnd, int k,
                               float[] lanes, float[] c, int rowAt, int col, int cols, float alpha, float beta,
                               int cCol) {
        if (col >= cols) {
            return;
        }
        sum.intoArray(lanes, 0);
        float total = lanes[0];
        for (int l = 1; l < LANES; l++) {
            total += lanes[l];
        }
        for (int p = vectorEnd; p < k; p++) {
            total = Math.fma(a[aAt + p], bt[bAt + p], total);
        }
        int at = rowAt + col * cCol;
        c[at] = beta == 0 ? total * alpha : Math.fma(total, alpha, c[at] * beta);
    }

    /** One dot product in the same order as {@link #dotTile}: lane-wise over p, lanes in index order, then the tail. */
    private static float dot(float[] a, int aAt, float[] bt, int bAt, int k, float[] lanes) {
        FloatVector sum = FloatVector.zero(S);
        int vectorEnd = S.loopBound(k);
        for (int p = 0; p < vectorEnd; p += LANES) {
            sum = FloatVector.fromArray(S, a, aAt + p).fma(FloatVector.fromArray(S, bt, bAt + p), sum);
        }
        sum.intoArray(lanes, 0);
        float total = lanes[0];
        for (int l = 1; l < LANES; l++) {
            total += lanes[l];
        }
        for (int p = vectorEnd; p < k; p++) {
            total = Math.fma(a[aAt + p], bt[bAt + p], total);
        }
        return total;
    }

    /** {@code C = beta * C} (zero when beta is 0, whatever C held). */
    private static void scale(float[] c, int cOff, int cRow, int cCol, int m, int n, float beta) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOff + i * cRow + j * cCol;
                c[at] = beta == 0 ? 0f : c[at] * beta;
            }
        }
    }

    /** Plain loops for tiny problems: same fused multiply-add order over p as the micro-kernel. */
    private static void direct(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
                               float[] c, int cOff, int cRow, int cCol, int m, int n, int k,
                               float alpha, float beta) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aOff + i * aRow + p * aCol], b[bOff + p * bRow + j * bCol], sum);
                }
                int at = cOff + i * cRow + j * cCol;
                c[at] = beta == 0 ? sum * alpha : Math.fma(sum, alpha, c[at] * beta);
            }
        }
    }
}
