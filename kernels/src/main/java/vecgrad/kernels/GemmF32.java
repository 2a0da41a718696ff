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
    /** Rows of the register tile. 6 rows x 4 vectors = 24 accumulators, leaving registers for B and A. */
    static final int MR = 6;
    /** Columns of the register tile: four vectors, so narrow species keep the same register shape. */
    static final int NR = 4 * LANES;
    /** Depth of one packed block (measured: 512 for float32 on a 48 KB-L1 / 2 MB-L2 core). */
    private static final int KC = 512;
    /** Rows of A packed per block (the A block, MC x KC, stays in L2). */
    private static final int MC = 192;
    /** Columns of B packed per panel. */
    private static final int NC = 2048;
    /** Fused multiply-adds worth one parallel chunk; below it a block runs on one thread. */
    private static final long CHUNK_WORK = 1L << 21;
    /** Most chunks a block is cut into (an even count keeps two cores equally busy). */
    private static final int MAX_CHUNKS = 8;
    /** Below this many multiply-adds, packing costs more than it saves: a plain loop runs instead. */
    static final long DIRECT_WORK = 4096;

    private GemmF32() {}

    /** Per-thread, reused pack and tile buffers (no allocation per call once they have grown). */
    private static final class Scratch {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        final float[] tile = new float[MR * NR];
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

                int packChunks = Math.min(ncSlivers, Math.max(1, wanted));
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
            for (int r = 0; r < height; r++) {
                int from = aOff + (i0 + s + r) * aRow + p0 * aCol;
                for (int p = 0, to = base + r; p < kc; p++, to += MR) {
                    packed[to] = a[from + p * aCol];
                }
            }
            for (int r = height; r < MR; r++) {
                for (int p = 0, to = base + r; p < kc; p++, to += MR) {
                    packed[to] = 0f;
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
            if (bCol == 1) {
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
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        int ai = aAt;
        int bi = bAt;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, packedB, bi);
            FloatVector b1 = FloatVector.fromArray(S, packedB, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(S, packedB, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(S, packedB, bi + 3 * LANES);
            FloatVector x = FloatVector.broadcast(S, packedA[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(S, packedA[ai + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(S, packedA[ai + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(S, packedA[ai + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            c33 = b3.fma(x, c33);
            x = FloatVector.broadcast(S, packedA[ai + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            c43 = b3.fma(x, c43);
            x = FloatVector.broadcast(S, packedA[ai + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            c53 = b3.fma(x, c53);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c02.intoArray(tile, 2 * LANES);
        c03.intoArray(tile, 3 * LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c12.intoArray(tile, NR + 2 * LANES);
        c13.intoArray(tile, NR + 3 * LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c22.intoArray(tile, 2 * NR + 2 * LANES);
        c23.intoArray(tile, 2 * NR + 3 * LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c32.intoArray(tile, 3 * NR + 2 * LANES);
        c33.intoArray(tile, 3 * NR + 3 * LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c42.intoArray(tile, 4 * NR + 2 * LANES);
        c43.intoArray(tile, 4 * NR + 3 * LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
        c52.intoArray(tile, 5 * NR + 2 * LANES);
        c53.intoArray(tile, 5 * NR + 3 * LANES);
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
