package vecgrad.kernels;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 engine behind {@link GemmKernels}: {@code C = alpha * A * B + beta * C} for a logical
 * {@code A: [m, k]}, {@code B: [k, n]}, {@code C: [m, n]} whose elements sit at
 * {@code a[aOff + i * aRow + p * aCol]} and so on, so one code path serves every transpose
 * (a transposed operand just swaps its two strides).
 *
 * <p>Blocking follows Goto and van de Geijn ("Anatomy of high-performance matrix multiplication",
 * ACM TOMS 34(3), 2008), with the depth loop moved inside the row blocks so that C is read from memory
 * once: a panel of B ({@code [k, nc]}, every depth block) is packed into {@link #NR}-wide slivers, then
 * for each block of {@link #MC} rows and each depth block of at most {@link #KC} the rows of A are packed
 * into {@link #MR}-tall slivers and a register-tiled micro-kernel multiplies every A sliver by every B
 * sliver. One B sliver ({@code KC x NR}, 32 KB) stays in L1 while the A slivers of a block stream past it
 * from L2. Packed panels are padded with zeros, so the micro-kernel always runs on a full tile.
 *
 * <p>The {@code [MC, nc]} block of C is itself staged in a buffer of whole tiles (after the B panel, in the same
 * array): it is filled with {@code beta * C} once (not read at all when beta is 0), every depth block's tiles
 * add onto it there, and it is copied into C once at the end, row by row. Its rows are a cache line longer
 * than a multiple of the tile width, so the rows of a tile never share an L1 set or alias at 4 KB as the
 * rows of a power-of-two C do, its lines are aligned like the B panel's, and edge tiles need no separate
 * path. Measured (float32, one thread, loaded machine, interleaved with the build that wrote tiles straight
 * into C): n = 2048 0.94x the time in two runs, n = 1024 0.99x; padding C's own rows to 2064 had shown the
 * same 5% on the old build. The same n = 2048 product with C not written at all ran about 13% faster, so this
 * is most of what C cost.
 *
 * <p>Tried and left out (float32, one thread, loaded machine, each interleaved with the build of its day):
 * the BLIS loop order (B packed per depth block so that it stays in L2, C re-read per depth block) and an
 * order holding the A sliver in L1 while B slivers stream from L2, both 0.9-1.04x before C was staged; a
 * touch of one line per page of the next B sliver, 0.96-1.00x (every line: 1.06x); starting the accumulators
 * from C when alpha and beta are 1, no change. Transparent huge pages (a JVM flag) made both builds 0.95x.
 *
 * <p>Parallel runs cut C into a few column (or row) chunks fixed by the sizes. A column chunk packs its own
 * panels in per-thread buffers and shares nothing but the read-only operands. Row chunks all need the same B
 * panels, so each panel is packed once, its depth blocks in parallel, and then read by every chunk (two
 * {@link Parallel#forEach} rounds per panel); each chunk packs its own rows of A and stages its own C block.
 * Every element of C is the same sequence of fused multiply-adds over
 * {@code p} whatever the chunking or thread count: the only thing that splits the k-sum is {@link #kcFor},
 * a function of k alone. Hence results are bit-identical for any {@code -Dvecgrad.threads}.
 *
 * <p>The {@code double} twin {@link GemmF64} is this file with the element type swapped and its own block
 * sizes.
 */
final class GemmF32 {
    private static final VectorSpecies<Float> S = Simd.F32;
    private static final int LANES = S.length();
    /**
     * Rows of the register tile: 12 rows x 2 vectors = 24 accumulators, plus 2 B vectors and the broadcast A
     * values in registers. Per depth step it loads 2 vectors of B and 12 scalars of A for 24 fused
     * multiply-adds. Measured in L1 (one JVM, interleaved, thread CPU time, AVX-512, kc = 128 and 256) against
     * the FMA peak of the same run: this tile 0.85-0.90; 14 x 2 0.88-0.93 (31 vector registers, still without
     * spills), 6 x 4 and 8 x 3 0.87-0.90 in the loop forms C2 allocates without spills (0.79-0.80 with one
     * accumulator spilled), 4 x 6 0.78. What caps them is the load mix, not the JIT alone: the same loop without
     * the 12 broadcasts ran 0.96-1.0, with 6 of them 0.87-0.94, and the 12 x 2 loop in C (gcc -O3, AVX-512
     * intrinsics) about 1.03-1.05x the Java one, 14 x 2 and 6 x 4 in C 0.93-0.98 of peak. The rest of the gap is
     * C2's per-step index arithmetic (about 10 scalar instructions against gcc's 3); unrolling the depth loop
     * (by hand or by C2) hoists the loads and spills accumulators, 0.3-0.8 of the rolled loop. A 14-row build
     * (commit 5c1a68a) was within noise of this one in whole products (0.95-1.05x, n = 512 to 2048, loaded
     * machine) and left C1 little room: its kernel with a general-beta epilogue failed C1 compilation.
     */
    static final int MR = 12;
    /** Columns of the register tile: two vectors, so narrow species keep the same register shape. */
    static final int NR = 2 * LANES;
    /**
     * Depth of one packed block: a B sliver ({@code KC x NR}) is 32 KB at 512 bits, inside a 48 KB L1. Depths 128,
     * 192 and 224 measured 0.95-1.11x the time at n = 1024 and 2048 (one thread, loaded machine), no consistent
     * gain; float64 did gain from a shallower block (see {@code GemmF64.KC}).
     */
    private static final int KC = 256;
    /**
     * Rows of A packed per block: 8 slivers. The A block ({@code MC x KC}) and the {@code [MC, NC]} block of C
     * stay in L2. Measured (float32, n = 1024, one thread, loaded machine): 96 rows 17.1 ms, 48 rows 17.7 ms,
     * 192 rows 19.8 ms, as a taller block pushes C out of L2 between depth blocks. Rechecked with the staged C
     * block (n = 2048): 48 to 144 rows all within 0.93-1.05x of 96 with no consistent order, 192 rows with
     * 512-column panels 1.04x.
     */
    private static final int MC = 8 * MR;
    /**
     * Columns of B packed per panel: the {@code [MC, NC]} block of C (384 KB) stays in a 2 MB L2. Measured at
     * n = 2048 (one thread, loaded machine, 30 runs): 512 and 768 columns 0.99x, 2048 (A packed once, a 16 MB
     * panel) 1.07-1.31x.
     */
    private static final int NC = 1024;
    /**
     * Most elements of one packed B panel ({@code k x nc}, 8 MB); deeper products use narrower panels. The C block
     * buffer follows it in the same array.
     */
    private static final int PANEL = 1 << 21;
    /**
     * Elements skipped at the front of the packed B buffer so that its vectors sit on 64-byte cache lines. A
     * buffer this large is a G1 humongous object, which starts on a region boundary, and its elements begin 16
     * bytes after the object start (the default array header), so 12 elements of {@code float} reach the next
     * line. Measured (float32, one thread, loaded machine, interleaved with the unaligned build): n = 1024 median
     * 0.90x the time in two runs (an offset of 4 elements: 0.97x, of 0: 1.00x), n = 2048 minimum 125 ms against
     * 132 ms. Under another collector or header layout the panel is merely unaligned again, never wrong.
     */
    private static final int ALIGN = 12;
    /** Fused multiply-adds below which a product runs on the calling thread alone. */
    private static final long PARALLEL_WORK = 1L << 22;
    /** Fewest rows of C per chunk when C is cut by rows: each chunk packs B again, so it must pay for that. */
    private static final int ROWS_PER_CHUNK = 8 * MC;
    /**
     * Widest C (in columns) that takes the dot-product path: there a register tile of NR columns would be mostly
     * padding, and A (the big operand, e.g. 60000 x 784 points against 10 centroids) is read once, unpacked.
     */
    static final int NARROW = 16;
    /** Rows and columns of the dot-product tile: 4 x 4 = 16 vector accumulators. */
    private static final int DOT_ROWS = 4;
    private static final int DOT_COLS = 4;
    /** Fused multiply-adds worth one parallel chunk of the dot-product path. */
    private static final long CHUNK_WORK = 1L << 21;
    /**
     * Up to this many multiply-adds a plain loop runs instead of packing. Measured (float32, square):
     * 4^3 takes 0.07 us plain against 0.16 us packed, 8^3 already 0.40 us plain against 0.22 us packed.
     */
    static final long DIRECT_WORK = 256;

    private GemmF32() {}

    /** Per-thread, reused pack buffers (no allocation per call once they have grown). */
    private static final class Scratch {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
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
        // to NR does not waste most of the FMAs. Only for a clear saving (over a fifth of the tile work): a
        // transposed C is written element by element, and 64 x 256 x 784 measured 1.6x slower swapped.
        long padded = (long) roundUp(m, MR) * roundUp(n, NR);
        long swappedPadded = (long) roundUp(n, MR) * roundUp(m, NR);
        if (swappedPadded * 5 < padded * 4) {
            blocked(b, bOff, bCol, bRow, a, aOff, aCol, aRow, c, cOff, cCol, cRow, n, m, k, alpha, beta);
        } else {
            blocked(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, cCol, m, n, k, alpha, beta);
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * Cuts C into chunks fixed by the sizes (never by the thread count) and runs {@link #block} on each. Each chunk
     * packs the whole of the operand it does not cut, so C is cut by rows (every chunk packs all of B, with
     * vector copies) unless it is more than twice as wide as tall, or at least two B panels wide (then by
     * columns, every chunk packing all of A, element by element, which costs about three times as much per
     * element, but a single thread packs A once per panel anyway, so chunks of whole panels add no packing while
     * row chunks would each pack all of B again). Rows are cut into at least two chunks of at least
     * {@link #ROWS_PER_CHUNK} rows; columns into at least two, more when each chunk still spans a whole panel.
     * An even count keeps two cores equally busy. Row chunks sharing one B panel (packed in parallel, then a second
     * round on the pool) measured slower on the quiet machine, float32, two threads, against torch.mm in the same
     * run: n = 512 1.16x vs 1.08x with per-chunk packing, n = 1024 1.23x vs 1.05x.
     */
    private static void blocked(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
                                float[] c, int cOff, int cRow, int cCol, int m, int n, int k,
                                float alpha, float beta) {
        int panelWidth = panelWidth(k);
        boolean byColumns = n > 2 * m || n >= 2 * panelWidth;
        int unit = byColumns ? NR : MR;
        int units = ((byColumns ? n : m) + unit - 1) / unit;
        int chunks = 1;
        if ((long) m * n * k >= PARALLEL_WORK) {
            chunks = byColumns ? Math.max(2, (n + panelWidth - 1) / panelWidth) : Math.max(2, m / ROWS_PER_CHUNK);
            chunks = Math.min(units, chunks + chunks % 2);
        }
        int unitsPerChunk = (units + chunks - 1) / chunks;
        int used = (units + unitsPerChunk - 1) / unitsPerChunk;
        int span = unitsPerChunk * unit;
        Parallel.forEach(used, chunk -> {
            Scratch scratch = SCRATCH.get();
            int from = chunk * span;
            if (byColumns) {
                block(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, cCol, 0, m, from,
                        Math.min(n, from + span), k, alpha, beta, scratch);
            } else {
                block(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, cCol, from, Math.min(m, from + span),
                        0, n, k, alpha, beta, scratch);
            }
        });
    }

    /** Columns of one packed B panel for depth k: {@link #NC}, narrower when {@code k x NC} exceeds {@link #PANEL}. */
    private static int panelWidth(int k) {
        return Math.max(NR, Math.min(NC, PANEL / k / NR * NR));
    }

    /** The packed, blocked product for rows {@code [i0, i1)} and columns {@code [j0, j1)} of C, on this thread. */
    private static void block(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
                              float[] c, int cOff, int cRow, int cCol, int i0, int i1, int j0, int j1, int k,
                              float alpha, float beta, Scratch scratch) {
        int kcMax = kcFor(k);
        int ncMax = Math.min(roundUp(j1 - j0, NR), panelWidth(k));
        int mcMax = Math.min(MC, roundUp(i1 - i0, MR));
        int blockAt = ALIGN + k * ncMax; // the C block follows the B panel, on a cache line like it
        int blockRow = ncMax + LANES;
        int needed = blockAt + mcMax * blockRow;
        if (scratch.packedB.length < needed) {
            scratch.packedB = new float[needed];
        }
        if (scratch.packedA.length < mcMax * kcMax) {
            scratch.packedA = new float[mcMax * kcMax];
        }
        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            packB(b, bOff, bRow, bCol, 0, k, kcMax, jc, nc, scratch.packedB, ALIGN);
            panelRows(a, aOff, aRow, aCol, c, cOff, cRow, cCol, i0, i1, jc, nc, k, kcMax, alpha, beta,
                    scratch.packedB, scratch.packedA, scratch.packedB, blockAt, blockRow);
        }
    }

    /**
     * Rows {@code [i0, i1)} and columns {@code [jc, jc + nc)} of C from the B panel packed at {@code packedB[ALIGN]}:
     * block by block of {@link #MC} rows, each staged in {@code blockArray} from {@code blockAt} (rows of
     * {@code blockRow} elements), every depth block of A packed into {@code packedA}.
     */
    private static void panelRows(float[] a, int aOff, int aRow, int aCol, float[] c, int cOff, int cRow, int cCol,
                                  int i0, int i1, int jc, int nc, int k, int kcMax, float alpha, float beta,
                                  float[] packedB, float[] packedA, float[] blockArray, int blockAt, int blockRow) {
        int ncPadded = roundUp(nc, NR);
        for (int ic = i0; ic < i1; ic += MC) {
            int mc = Math.min(MC, i1 - ic);
            int cAt = cOff + ic * cRow + jc * cCol;
            if (beta != 0) {
                loadBlock(c, cAt, cRow, cCol, mc, nc, beta, blockArray, blockAt, blockRow);
            }
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean first = pc == 0 && beta == 0; // else the block holds beta * C, then partial sums
                packA(a, aOff, aRow, aCol, ic, mc, pc, kc, packedA);
                int panel = ALIGN + pc * ncPadded;
                for (int jr = 0; jr < nc; jr += NR) {
                    for (int ir = 0; ir < mc; ir += MR) {
                        microKernel(packedA, ir * kc, packedB, panel + jr * kc, kc, blockArray,
                                blockAt + ir * blockRow + jr, blockRow, alpha, first);
                    }
                }
            }
            storeBlock(blockArray, blockAt, blockRow, c, cAt, cRow, cCol, mc, nc);
        }
    }

    /**
     * {@code block[r][j] = beta * C[r][j]} for the {@code rows x cols} block of C at cAt, zero in the padding up to
     * whole tiles (so that the tiles there never compute on stale values).
     */
    private static void loadBlock(float[] c, int cAt, int cRow, int cCol, int rows, int cols, float beta,
                                  float[] block, int blockAt, int blockRow) {
        int vectorEnd = cCol == 1 ? S.loopBound(cols) : 0;
        int paddedCols = roundUp(cols, NR);
        FloatVector betas = FloatVector.broadcast(S, beta);
        for (int r = 0; r < roundUp(rows, MR); r++) {
            int to = blockAt + r * blockRow;
            if (r >= rows) {
                Arrays.fill(block, to, to + paddedCols, 0f);
                continue;
            }
            int from = cAt + r * cRow;
            int j = 0;
            for (; j < vectorEnd; j += LANES) {
                FloatVector.fromArray(S, c, from + j).mul(betas).intoArray(block, to + j);
            }
            for (; j < cols; j++) {
                block[to + j] = c[from + j * cCol] * beta;
            }
            Arrays.fill(block, to + cols, to + paddedCols, 0f);
        }
    }

    /** Copies the valid {@code rows x cols} corner of the finished block into C at cAt. */
    private static void storeBlock(float[] block, int blockAt, int blockRow, float[] c, int cAt, int cRow, int cCol,
                                   int rows, int cols) {
        if (cCol == 1) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(block, blockAt + r * blockRow, c, cAt + r * cRow, cols);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int from = blockAt + r * blockRow;
            int to = cAt + r * cRow;
            for (int j = 0; j < cols; j++) {
                c[to + j * cCol] = block[from + j];
            }
        }
    }

    /**
     * Packs rows {@code [i0, i0 + rows)} and depths {@code [p0, p0 + kc)} of A into MR-tall slivers:
     * sliver s holds {@code packed[s * MR * kc + p * MR + r] = A[i0 + s * MR + r][p0 + p]}, zero past the last row.
     */
    private static void packA(float[] a, int aOff, int aRow, int aCol, int i0, int rows, int p0, int kc,
                              float[] packed) {
        int full = rows / MR * MR;
        for (int s = 0; s < full; s += MR) {
            int first = aOff + (i0 + s) * aRow + p0 * aCol;
            int to = s * kc;
            if (aCol == 1) {
                // The MR rows are read side by side, MR memory streams in flight at once: measured 0.6 ns per
                // element against 1.4 ns reading one row after another. Spelled out so that every index is linear
                // in p and the JIT hoists the bounds checks. Reading each row a vector at a time and scattering it
                // into the sliver packed faster alone (0.35 against 0.56 ns per element, float32, n = 1024) but gained
                // nothing measurable in whole products (0.89-1.08x the time at n = 1024, 1.02x at 2048, loaded machine).
                int row0 = first;
                int row1 = first + aRow;
                int row2 = first + 2 * aRow;
                int row3 = first + 3 * aRow;
                int row4 = first + 4 * aRow;
                int row5 = first + 5 * aRow;
                int row6 = first + 6 * aRow;
                int row7 = first + 7 * aRow;
                int row8 = first + 8 * aRow;
                int row9 = first + 9 * aRow;
                int row10 = first + 10 * aRow;
                int row11 = first + 11 * aRow;
                for (int p = 0; p < kc; p++, to += MR) {
                    packed[to] = a[row0 + p];
                    packed[to + 1] = a[row1 + p];
                    packed[to + 2] = a[row2 + p];
                    packed[to + 3] = a[row3 + p];
                    packed[to + 4] = a[row4 + p];
                    packed[to + 5] = a[row5 + p];
                    packed[to + 6] = a[row6 + p];
                    packed[to + 7] = a[row7 + p];
                    packed[to + 8] = a[row8 + p];
                    packed[to + 9] = a[row9 + p];
                    packed[to + 10] = a[row10 + p];
                    packed[to + 11] = a[row11 + p];
                }
            } else if (aRow == 1) { // A^T stored: the MR values of one depth are adjacent
                for (int p = 0; p < kc; p++, to += MR) {
                    System.arraycopy(a, first + p * aCol, packed, to, MR);
                }
            } else {
                for (int p = 0; p < kc; p++, to += MR) {
                    int at = first + p * aCol;
                    for (int r = 0; r < MR; r++) {
                        packed[to + r] = a[at + r * aRow];
                    }
                }
            }
        }
        for (int r = full; r < rows; r++) { // the last, partial sliver
            int from = aOff + (i0 + r) * aRow + p0 * aCol;
            int to = full * kc + r - full;
            if (aCol == 1) {
                for (int p = 0; p < kc; p++) {
                    packed[to + p * MR] = a[from + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    packed[to + p * MR] = a[from + p * aCol];
                }
            }
        }
        for (int r = rows; r < roundUp(rows, MR); r++) { // zero rows pad it to MR
            for (int p = 0, to = full * kc + r - full; p < kc; p++, to += MR) {
                packed[to] = 0f;
            }
        }
    }

    /**
     * Packs columns {@code [j0, j0 + nc)} of B at depths {@code [p0, p1)} (whole depth blocks of kcMax, the
     * last one possibly shorter), block by block: the depth block starting at pc (depth kc) begins at
     * {@code at + pc * ncPadded}, and within it sliver t holds
     * {@code packed[at + pc * ncPadded + t * NR * kc + p * NR + j] = B[pc + p][j0 + t * NR + j]}, zero past column
     * nc. A row-major B is read row by row, front to back.
     */
    private static void packB(float[] b, int bOff, int bRow, int bCol, int p0, int p1, int kcMax, int j0, int nc,
                              float[] packed, int at) {
        int ncPadded = roundUp(nc, NR);
        int full = nc / NR * NR;
        for (int pc = p0; pc < p1; pc += kcMax) {
            int kc = Math.min(kcMax, p1 - pc);
            int panel = at + pc * ncPadded;
            if (bCol == 1) {
                for (int p = 0; p < kc; p++) {
                    int from = bOff + (pc + p) * bRow + j0;
                    int to = panel + p * NR;
                    for (int j = 0; j < full; j += NR, to += NR * kc) {
                        FloatVector.fromArray(S, b, from + j).intoArray(packed, to);
                        FloatVector.fromArray(S, b, from + j + LANES).intoArray(packed, to + LANES);
                    }
                    if (full < nc) {
                        for (int j = full; j < ncPadded; j++) {
                            packed[to + j - full] = j < nc ? b[from + j] : 0f;
                        }
                    }
                }
            } else {
                for (int j = 0; j < nc; j++) { // B^T stored: one column of B is contiguous along p
                    int from = bOff + pc * bRow + (j0 + j) * bCol;
                    int to = panel + j / NR * NR * kc + j % NR;
                    if (bRow == 1) {
                        for (int p = 0; p < kc; p++) {
                            packed[to + p * NR] = b[from + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            packed[to + p * NR] = b[from + p * bRow];
                        }
                    }
                }
                for (int j = nc; j < ncPadded; j++) { // zero columns pad the last sliver
                    for (int p = 0, to = panel + j / NR * NR * kc + j % NR; p < kc; p++, to += NR) {
                        packed[to] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The register tile: {@code C[r][j] = alpha * sum_p A[r][p] * B[p][j] (+ C[r][j] unless first)} for one packed A
     * sliver (12 rows) and one packed B sliver (two vectors), the sum as one fused multiply-add per p in
     * increasing p, written to {@code c[cAt + r * ldc + j]} (first: C is not read, so NaN there is ignored).
     * Accumulator {@code cRQ} holds row R (hex digit) and vector Q. Straight-line code over named
     * accumulators with one depth step per trip and no second loop: a larger or more branchy vector method
     * can defeat the JIT's scalar replacement (or fail C1 compilation) and then run with boxed vectors,
     * 50-100x slower.
     */
    static void microKernel(float[] packedA, int aAt, float[] packedB, int bAt, int kc, float[] c, int cAt, int ldc,
                            float alpha, boolean first) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        FloatVector c80 = c00, c81 = c00;
        FloatVector c90 = c00, c91 = c00;
        FloatVector cA0 = c00, cA1 = c00;
        FloatVector cB0 = c00, cB1 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = aAt + p * MR;
            int bi = bAt + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, packedB, bi);
            FloatVector b1 = FloatVector.fromArray(S, packedB, bi + LANES);
            FloatVector x = FloatVector.broadcast(S, packedA[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, packedA[ai + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, packedA[ai + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, packedA[ai + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, packedA[ai + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, packedA[ai + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, packedA[ai + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, packedA[ai + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            x = FloatVector.broadcast(S, packedA[ai + 8]);
            c80 = b0.fma(x, c80);
            c81 = b1.fma(x, c81);
            x = FloatVector.broadcast(S, packedA[ai + 9]);
            c90 = b0.fma(x, c90);
            c91 = b1.fma(x, c91);
            x = FloatVector.broadcast(S, packedA[ai + 10]);
            cA0 = b0.fma(x, cA0);
            cA1 = b1.fma(x, cA1);
            x = FloatVector.broadcast(S, packedA[ai + 11]);
            cB0 = b0.fma(x, cB0);
            cB1 = b1.fma(x, cB1);
        }
        FloatVector alphas = FloatVector.broadcast(S, alpha);
        if (first) {
            c00.mul(alphas).intoArray(c, cAt);
            c01.mul(alphas).intoArray(c, cAt + LANES);
            c10.mul(alphas).intoArray(c, cAt + ldc);
            c11.mul(alphas).intoArray(c, cAt + ldc + LANES);
            c20.mul(alphas).intoArray(c, cAt + 2 * ldc);
            c21.mul(alphas).intoArray(c, cAt + 2 * ldc + LANES);
            c30.mul(alphas).intoArray(c, cAt + 3 * ldc);
            c31.mul(alphas).intoArray(c, cAt + 3 * ldc + LANES);
            c40.mul(alphas).intoArray(c, cAt + 4 * ldc);
            c41.mul(alphas).intoArray(c, cAt + 4 * ldc + LANES);
            c50.mul(alphas).intoArray(c, cAt + 5 * ldc);
            c51.mul(alphas).intoArray(c, cAt + 5 * ldc + LANES);
            c60.mul(alphas).intoArray(c, cAt + 6 * ldc);
            c61.mul(alphas).intoArray(c, cAt + 6 * ldc + LANES);
            c70.mul(alphas).intoArray(c, cAt + 7 * ldc);
            c71.mul(alphas).intoArray(c, cAt + 7 * ldc + LANES);
            c80.mul(alphas).intoArray(c, cAt + 8 * ldc);
            c81.mul(alphas).intoArray(c, cAt + 8 * ldc + LANES);
            c90.mul(alphas).intoArray(c, cAt + 9 * ldc);
            c91.mul(alphas).intoArray(c, cAt + 9 * ldc + LANES);
            cA0.mul(alphas).intoArray(c, cAt + 10 * ldc);
            cA1.mul(alphas).intoArray(c, cAt + 10 * ldc + LANES);
            cB0.mul(alphas).intoArray(c, cAt + 11 * ldc);
            cB1.mul(alphas).intoArray(c, cAt + 11 * ldc + LANES);
            return;
        }
        c00.fma(alphas, FloatVector.fromArray(S, c, cAt)).intoArray(c, cAt);
        c01.fma(alphas, FloatVector.fromArray(S, c, cAt + LANES)).intoArray(c, cAt + LANES);
        c10.fma(alphas, FloatVector.fromArray(S, c, cAt + ldc)).intoArray(c, cAt + ldc);
        c11.fma(alphas, FloatVector.fromArray(S, c, cAt + ldc + LANES)).intoArray(c, cAt + ldc + LANES);
        c20.fma(alphas, FloatVector.fromArray(S, c, cAt + 2 * ldc)).intoArray(c, cAt + 2 * ldc);
        c21.fma(alphas, FloatVector.fromArray(S, c, cAt + 2 * ldc + LANES)).intoArray(c, cAt + 2 * ldc + LANES);
        c30.fma(alphas, FloatVector.fromArray(S, c, cAt + 3 * ldc)).intoArray(c, cAt + 3 * ldc);
        c31.fma(alphas, FloatVector.fromArray(S, c, cAt + 3 * ldc + LANES)).intoArray(c, cAt + 3 * ldc + LANES);
        c40.fma(alphas, FloatVector.fromArray(S, c, cAt + 4 * ldc)).intoArray(c, cAt + 4 * ldc);
        c41.fma(alphas, FloatVector.fromArray(S, c, cAt + 4 * ldc + LANES)).intoArray(c, cAt + 4 * ldc + LANES);
        c50.fma(alphas, FloatVector.fromArray(S, c, cAt + 5 * ldc)).intoArray(c, cAt + 5 * ldc);
        c51.fma(alphas, FloatVector.fromArray(S, c, cAt + 5 * ldc + LANES)).intoArray(c, cAt + 5 * ldc + LANES);
        c60.fma(alphas, FloatVector.fromArray(S, c, cAt + 6 * ldc)).intoArray(c, cAt + 6 * ldc);
        c61.fma(alphas, FloatVector.fromArray(S, c, cAt + 6 * ldc + LANES)).intoArray(c, cAt + 6 * ldc + LANES);
        c70.fma(alphas, FloatVector.fromArray(S, c, cAt + 7 * ldc)).intoArray(c, cAt + 7 * ldc);
        c71.fma(alphas, FloatVector.fromArray(S, c, cAt + 7 * ldc + LANES)).intoArray(c, cAt + 7 * ldc + LANES);
        c80.fma(alphas, FloatVector.fromArray(S, c, cAt + 8 * ldc)).intoArray(c, cAt + 8 * ldc);
        c81.fma(alphas, FloatVector.fromArray(S, c, cAt + 8 * ldc + LANES)).intoArray(c, cAt + 8 * ldc + LANES);
        c90.fma(alphas, FloatVector.fromArray(S, c, cAt + 9 * ldc)).intoArray(c, cAt + 9 * ldc);
        c91.fma(alphas, FloatVector.fromArray(S, c, cAt + 9 * ldc + LANES)).intoArray(c, cAt + 9 * ldc + LANES);
        cA0.fma(alphas, FloatVector.fromArray(S, c, cAt + 10 * ldc)).intoArray(c, cAt + 10 * ldc);
        cA1.fma(alphas, FloatVector.fromArray(S, c, cAt + 10 * ldc + LANES)).intoArray(c, cAt + 10 * ldc + LANES);
        cB0.fma(alphas, FloatVector.fromArray(S, c, cAt + 11 * ldc)).intoArray(c, cAt + 11 * ldc);
        cB1.fma(alphas, FloatVector.fromArray(S, c, cAt + 11 * ldc + LANES)).intoArray(c, cAt + 11 * ldc + LANES);
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
