package vecgrad.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import vecgrad.kernels.Parallel;

/**
 * k-means clustering of samples x [n][d], float64 or float32 rows. Float64 rows are assigned with the direct
 * Σ(x − c)² (exact for coinciding points, as the conformance cases require); float32 rows are read as float32
 * and assigned through the expanded ‖x‖² − 2·x·c + ‖c‖² with float32 dot products against a float32 copy of
 * the centers (half the memory traffic and half the vector work, as scikit-learn does for float32). Centers,
 * sums and inertia are float64 in both cases. The float32 row norms ‖x‖² are computed by the first pass over x
 * of a fit, which also screens x for NaN and ±Inf (a non-finite norm sends it to the exact per-value check), so
 * a float32 Lloyd iteration reads x once and {@code fit} with {@code maxIter = 1} twice (the update pass and the
 * final re-assignment). After the first pass, a float32 Lloyd pass moves only the rows whose label changed
 * between the center sums instead of summing every row again (the cluster weights are still recomputed). Passes
 * over x run in parallel in fixed chunks of {@link #CHUNK_ROWS} rows, so results do not depend on the thread
 * count; Elkan's variant runs on one thread.
 *
 * <p>Where the time of a float32 pass goes (Fashion-MNIST 60000×784, K = 10, measured on the 2-vCPU
 * development VM): its arithmetic plus streaming x from memory, with no overlap between the two however the
 * rows are fetched (about 14 ms of one thread's time to stream x, 12-14 ms of arithmetic, of which the
 * 4 rows × 5 centers dot-product loop is about 60%). So a pass takes about 14 ms on two threads, and a
 * Lloyd iteration cannot get much below that without less arithmetic per row. With the blocks' sums folded
 * together and finished as float64 vectors and the centres prepared once per pass ({@code Points.Centres}),
 * a later Lloyd iteration costs 12.1 ms of one thread's time on rows held in L2 (13.0 ms before) and 32.2 ms
 * on the whole of x (33.7 ms before; medians of 10 interleaved runs in one JVM, loaded machine); the
 * dot-product loop itself runs at about 70% of the measured 512-bit FMA peak of this VM. Putting the centers in the
 * vector lanes instead ({@code CentreLanes}: no lane folding) does not give less arithmetic at K = 10: its
 * loop runs near one 512-bit FMA per cycle (16.3 ms of one thread's time for 60000 rows held in L1), but 10
 * centers fill 10 of 16 lanes, so it needs 784 FMAs per row against the d-lane blocks' 490 (a whole pass
 * measured 31.0 vs 29.4 ms of one thread's time; a variant with 4 centers × 4 consecutive dimensions per
 * vector, 83% of the lanes and 588 FMAs per row, measured 35.0 ms: its row loads at every fourth float
 * straddle cache lines). It is used where the centers fill the lanes better ({@code Points.F32.centreLanesWin}:
 * about 20% faster for K = 12 to 32).
 *
 * <p>Lloyd's iteration follows scikit-learn exactly: assign every sample to the nearest current center
 * (lowest index on an exact tie), move each center to the weighted mean of its samples, stop when the
 * labels repeat ("strict convergence") or the total squared center shift is at most
 * {@code tol · mean_j var(x[:, j])}; unless the labels repeated, samples are re-assigned to the final
 * centers. A cluster left empty takes the sample farthest from its own center. Elkan's variant reaches
 * the same fixed point while skipping distances ruled out by the triangle inequality.
 *
 * {@snippet :
 * KMeansResult fit = KMeans.fit(KMeansConfig.of(3, 42L), x);   // x: double[n][d]
 * int[] labels = fit.predict(newRows);
 * }
 *
 * <p>References: S. Lloyd, Least squares quantization in PCM (1982); D. Arthur and S. Vassilvitskii,
 * k-means++: the advantages of careful seeding (2007); C. Elkan, Using the triangle inequality to
 * accelerate k-means (2003).
 */
public final class KMeans {
    static final String OP = "kmeans";
    /** Rows per parallel chunk: fixed by problem size so that sums combine in the same order for any thread count. */
    static final int CHUNK_ROWS = 2048;

    private KMeans() {}

    public static KMeansResult fit(KMeansConfig config, double[][] x) {
        return fit(config, x, null, null);
    }

    /**
     * Fits k-means to x [n][d] with optional sample weights [n] (null: all 1) and an optional listener
     * called after each iteration with that iteration's objective.
     */
    public static KMeansResult fit(KMeansConfig config, double[][] x, double[] sampleWeight, FitListener listener) {
        Check.matrix(OP, x);
        return run(config, Points.of(x), sampleWeight, listener);
    }

    public static KMeansResult fit(KMeansConfig config, float[][] x) {
        return fit(config, x, null, null);
    }

    /** Float32 twin of {@link #fit(KMeansConfig, double[][], double[], FitListener)}. */
    public static KMeansResult fit(KMeansConfig config, float[][] x, double[] sampleWeight, FitListener listener) {
        Check.rows(OP, x); // the values are screened by the first pass over x (Points.confirm)
        return run(config, Points.of(x), sampleWeight, listener);
    }

    /** The k-means++ seeding alone: [k][d] initial centers drawn from x with the given seed. */
    public static double[][] plusPlusCenters(double[][] x, int k, long seed) {
        Check.matrix(OP, x);
        checkK(k, x.length);
        return unflatten(plusPlus(Points.of(x), ones(x.length), k, new SplittableRandom(seed)), k, x[0].length);
    }

    /** Float32 twin of {@link #plusPlusCenters(double[][], int, long)}. */
    public static double[][] plusPlusCenters(float[][] x, int k, long seed) {
        Check.rows(OP, x);
        checkK(k, x.length);
        Points points = Points.of(x);
        return unflatten(plusPlus(points, ones(x.length), k, new SplittableRandom(seed)), k, x[0].length);
    }

    /** [n] index of the nearest of the given centers [k][d] for each row of x [n][d] (lowest index on a tie). */
    public static int[] predict(double[][] centers, double[][] x) {
        Check.matrix(OP + " centers", centers);
        Check.matrix(OP, x, centers[0].length);
        return nearest(Points.of(x), flatten(centers), centers.length, new double[x.length]);
    }

    /** [n][k] Euclidean distances (not squared) of each row of x [n][d] to each of the centers [k][d]. */
    public static double[][] transform(double[][] centers, double[][] x) {
        Check.matrix(OP + " centers", centers);
        Check.matrix(OP, x, centers[0].length);
        return distances(Points.of(x), flatten(centers), centers.length);
    }

    /** Σ_i min_j ‖x_i − c_j‖² of the rows of x [n][d] for the given centers [k][d]. */
    public static double inertia(double[][] centers, double[][] x) {
        Check.matrix(OP + " centers", centers);
        Check.matrix(OP, x, centers[0].length);
        double[] minDist = new double[x.length];
        nearest(Points.of(x), flatten(centers), centers.length, minDist);
        double sum = 0;
        for (double v : minDist) {
            sum += v;
        }
        return sum;
    }

    static double[] flatten(double[][] rows) {
        int d = rows[0].length;
        double[] flat = new double[rows.length * d];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * d, d);
        }
        return flat;
    }

    private record Run(double[] centers, int[] labels, double inertia, List<Double> history, int iterations,
                       boolean converged, boolean stopped) {}

    private static KMeansResult run(KMeansConfig config, Points points, double[] sampleWeight, FitListener listener) {
        int n = points.n, d = points.d, k = config.k();
        checkK(k, n);
        Check.sampleWeights(OP, sampleWeight, n);
        if (config.init() == KMeansConfig.Init.GIVEN && config.initCenters()[0].length != d) {
            throw Check.fail(OP, "init centers do not match the features", "[" + k + ", "
                    + config.initCenters()[0].length + "]", "[" + k + ", " + d + "]");
        }
        double[] w = sampleWeight == null ? ones(n) : sampleWeight.clone();
        double tolAbs = config.tol() == 0 ? 0 : config.tol() * points.meanColumnVariance();
        SplittableRandom root = new SplittableRandom(config.seed());
        Run best = null;
        for (int restart = 0; restart < config.nInit(); restart++) {
            SplittableRandom rng = root.split();
            double[] start = initialCenters(config, points, w, rng);
            Run run = config.algorithm() == KMeansConfig.Algorithm.LLOYD
                    ? lloyd(points, w, start, k, config.maxIter(), tolAbs, listener)
                    : elkan(points, w, start, k, config.maxIter(), tolAbs, listener);
            if (best == null || run.inertia < best.inertia) {
                best = run;
            }
            if (run.stopped) {
                break;
            }
        }
        List<String> warnings = new ArrayList<>();
        // Relocation can leave two clusters on copies of one duplicated point: count distinct centers too.
        boolean[] used = new boolean[k];
        int usedCount = 0;
        for (int label : best.labels) {
            if (!used[label]) {
                used[label] = true;
                usedCount++;
            }
        }
        int distinct = Math.min(usedCount, distinctRows(best.centers, k, d));
        if (distinct < k) {
            warnings.add("only " + distinct + " distinct clusters found for k = " + k + "; duplicate points?");
        }
        if (best.stopped) {
            warnings.add("stopped by the listener after iteration " + best.iterations);
        } else if (!best.converged) {
            warnings.add("did not converge within maxIter = " + config.maxIter() + " iterations");
        }
        return new KMeansResult(unflatten(best.centers, k, d), best.labels, best.inertia, best.history,
                best.iterations, best.converged, warnings);
    }

    private static int distinctRows(double[] flat, int rows, int cols) {
        java.util.Set<java.util.List<Double>> seen = new java.util.HashSet<>();
        for (int r = 0; r < rows; r++) {
            List<Double> row = new ArrayList<>(cols);
            for (int c = 0; c < cols; c++) {
                row.add(flat[r * cols + c] + 0.0); // + 0.0 merges -0.0 with 0.0
            }
            seen.add(row);
        }
        return seen.size();
    }

    private static void checkK(int k, int n) {
        if (k > n) {
            throw Check.fail(OP, "n_samples=" + n + " should be >= n_clusters=" + k, "k = " + k, "k <= " + n);
        }
        if (k < 1) {
            throw Check.fail(OP, "n_clusters must be >= 1", "k = " + k, "k >= 1");
        }
    }

    private static double[] initialCenters(KMeansConfig config, Points points, double[] w, SplittableRandom rng) {
        int k = config.k(), d = points.d;
        return switch (config.init()) {
            case GIVEN -> {
                double[] c = new double[k * d];
                double[][] given = config.initCenters();
                for (int j = 0; j < k; j++) {
                    System.arraycopy(given[j], 0, c, j * d, d);
                }
                yield c;
            }
            case RANDOM -> {
                int[] order = new int[points.n];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                double[] c = new double[k * d];
                for (int j = 0; j < k; j++) { // partial Fisher-Yates: k distinct samples
                    int pick = j + rng.nextInt(order.length - j);
                    int t = order[j];
                    order[j] = order[pick];
                    order[pick] = t;
                    points.copyRow(order[j], c, j * d);
                }
                yield c;
            }
            case K_MEANS_PLUS_PLUS -> plusPlus(points, w, k, rng);
        };
    }

    /**
     * Greedy k-means++ as scikit-learn's {@code _kmeans_plusplus}: the first center is a sample drawn with
     * probability ∝ w; each further center is the best (lowest potential) of {@code 2 + floor(ln k)}
     * candidates drawn with probability ∝ w·D², where D is the distance to the nearest chosen center.
     * All candidates of one step share one pass over x.
     */
    static double[] plusPlus(Points points, double[] w, int k, SplittableRandom rng) {
        int n = points.n, d = points.d;
        int trials = 2 + (int) Math.log(k);
        double[] centers = new double[k * d];
        double[] cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += w[i];
            cumulative[i] = total;
        }
        int first = firstAbove(cumulative, rng.nextDouble() * total);
        points.copyRow(first, centers, 0);
        double[] closest = new double[n];
        double[][] candidateDist = new double[trials][n];
        double[] candidateRows = new double[trials * d];
        float[] candidateRowsF = points.single() ? new float[trials * d] : null;
        double[] one = Arrays.copyOf(centers, d);
        float[] oneF = points.single() ? toFloat(one, null) : null;
        int chunks = Parallel.chunks(n, CHUNK_ROWS);
        Parallel.forEach(chunks, chunk -> {
            int from = chunk * CHUNK_ROWS, to = Math.min(n, from + CHUNK_ROWS);
            double[] block = new double[to - from];
            points.distances(one, oneF, 1, from, to, block);
            System.arraycopy(block, 0, closest, from, to - from);
        });
        points.confirm(OP); // that pass screened x
        double potential = dot(closest, w);
        int[] candidates = new int[trials];
        for (int c = 1; c < k; c++) {
            double running = 0;
            for (int i = 0; i < n; i++) { // sequential on purpose: the cumulative sum fixes which sample is drawn
                running += w[i] * closest[i];
                cumulative[i] = running;
            }
            for (int t = 0; t < trials; t++) {
                candidates[t] = Math.min(n - 1, firstAtLeast(cumulative, rng.nextDouble() * potential));
                points.copyRow(candidates[t], candidateRows, t * d);
            }
            if (candidateRowsF != null) {
                toFloat(candidateRows, candidateRowsF);
            }
            double[][] partial = new double[chunks][];
            Parallel.forEach(chunks, chunk -> {
                int from = chunk * CHUNK_ROWS, to = Math.min(n, from + CHUNK_ROWS);
                double[] block = new double[(to - from) * trials];
                points.distances(candidateRows, candidateRowsF, trials, from, to, block);
                double[] potentials = new double[trials]; // the running thread's own array: no shared cache line
                for (int i = from; i < to; i++) {
                    for (int t = 0; t < trials; t++) {
                        double dist = Math.min(closest[i], block[(i - from) * trials + t]);
                        candidateDist[t][i] = dist;
                        potentials[t] += w[i] * dist;
                    }
                }
                partial[chunk] = potentials;
            });
            int bestTrial = 0;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double pot = 0;
                for (int chunk = 0; chunk < chunks; chunk++) {
                    pot += partial[chunk][t];
                }
                if (pot < bestPotential) {
                    bestPotential = pot;
                    bestTrial = t;
                }
            }
            potential = bestPotential;
            System.arraycopy(candidateDist[bestTrial], 0, closest, 0, n);
            System.arraycopy(candidateRows, bestTrial * d, centers, c * d, d);
        }
        return centers;
    }

    /** First index with cumulative[i] >= value (numpy searchsorted, side "left"); n if none. */
    private static int firstAtLeast(double[] cumulative, double value) {
        int lo = 0, hi = cumulative.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index with cumulative[i] > value, clamped to the last index. */
    private static int firstAbove(double[] cumulative, double value) {
        int lo = 0, hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Run lloyd(Points points, double[] w, double[] start, int k, int maxIter, double tolAbs,
                             FitListener listener) {
        int n = points.n, d = points.d;
        double[] centers = start.clone();
        float[] centersF = points.single() ? toFloat(centers, null) : null;
        int[] labels = new int[n];
        int[] labelsOld = new int[n];
        Arrays.fill(labelsOld, -1);
        double[] minDist = new double[n];
        List<Double> history = new ArrayList<>();
        int chunks = Parallel.chunks(n, CHUNK_ROWS);
        double[][] chunkSums = new double[chunks][k * d];
        double[][] chunkWeights = new double[chunks][];
        double[] chunkInertia = new double[chunks];
        // Σ w·x of the rows each label in `labels` gives to a center. The first pass sums every row; later float32
        // passes only move the rows whose label changed (assignAndMove), which after the first iterations is a
        // few percent of them: on Fashion-MNIST (K = 10, two threads) the summing was about 3 ms of a 20 ms
        // pass. Float64 input keeps recomputing the sums, so the float64 conformance cases see plain sums.
        double[] sums = new double[k * d];
        boolean moving = false;
        boolean strict = false, converged = false, stopped = false;
        int iteration = 0;
        while (iteration < maxIter) {
            iteration++;
            Points.Centres prepared = points.centres(centers, centersF, k); // once per pass, shared by the chunks
            boolean move = moving;
            Parallel.forEach(chunks, chunk -> {
                int from = chunk * CHUNK_ROWS, to = Math.min(n, from + CHUNK_ROWS);
                double[] chunkSum = chunkSums[chunk];
                // Allocated by the thread that runs the chunk (in its own allocation buffer): the weights are
                // written for every row, and two chunks' small arrays allocated side by side would share a
                // cache line between the two threads.
                double[] weights = new double[k];
                chunkWeights[chunk] = weights;
                Arrays.fill(chunkSum, 0);
                if (move) {
                    points.assignAndMove(prepared, from, to, labels, minDist, w, chunkSum, weights);
                } else {
                    points.assignAndAccumulate(prepared, from, to, labels, minDist, w, chunkSum, weights);
                }
                double inertia = 0;
                for (int i = from; i < to; i++) {
                    inertia += w[i] * minDist[i];
                }
                chunkInertia[chunk] = inertia;
            });
            points.confirm(OP); // the first pass screened x and stored the row norms
            if (!move) {
                Arrays.fill(sums, 0);
            }
            double[] weights = new double[k];
            double inertia = 0;
            for (int chunk = 0; chunk < chunks; chunk++) { // chunk order: the same sums for any thread count
                for (int t = 0; t < k * d; t++) {
                    sums[t] += chunkSums[chunk][t];
                }
                for (int j = 0; j < k; j++) {
                    weights[j] += chunkWeights[chunk][j];
                }
                inertia += chunkInertia[chunk];
            }
            moving = points.single();
            history.add(inertia);
            relocateEmpty(points, w, labels, minDist, sums, weights, k);
            double[] next = new double[k * d];
            double shift = 0;
            for (int j = 0; j < k; j++) {
                for (int t = 0; t < d; t++) {
                    int at = j * d + t;
                    next[at] = weights[j] > 0 ? sums[at] / weights[j] : centers[at];
                    double delta = next[at] - centers[at];
                    shift += delta * delta;
                }
            }
            centers = next;
            centersF = points.single() ? toFloat(centers, centersF) : null;
            if (listener != null && !listener.onIteration(iteration, inertia)) {
                stopped = true;
                break;
            }
            if (Arrays.equals(labels, labelsOld)) {
                strict = true;
                converged = true;
                break;
            }
            if (shift <= tolAbs) {
                converged = true;
                break;
            }
            System.arraycopy(labels, 0, labelsOld, 0, n);
        }
        double inertia;
        if (!strict) { // re-assign to the final centers; the distances of that pass give the inertia
            nearestInto(points, centers, centersF, k, labels, minDist);
            inertia = weightedSum(w, minDist);
        } else {
            inertia = inertia(points, w, centers, centersF, labels);
        }
        history.add(inertia);
        return new Run(centers, labels, inertia, history, iteration, converged, stopped);
    }

    /**
     * Gives each cluster with zero weight the sample farthest from its own center (ties: lowest index),
     * taking it out of its old cluster, as scikit-learn does. A sample is only taken from a cluster that
     * keeps positive weight, so relocation never empties another cluster.
     */
    private static void relocateEmpty(Points points, double[] w, int[] labels, double[] minDist, double[] sums,
                                      double[] weights, int k) {
        int d = points.d;
        boolean[] taken = null;
        for (int j = 0; j < k; j++) {
            if (weights[j] > 0) {
                continue;
            }
            if (taken == null) {
                taken = new boolean[points.n];
            }
            int far = -1;
            for (int i = 0; i < points.n; i++) {
                if (!taken[i] && w[i] > 0 && weights[labels[i]] - w[i] > 0 && (far < 0 || minDist[i] > minDist[far])) {
                    far = i;
                }
            }
            if (far < 0) {
                continue; // fewer weighted samples than clusters: the center stays where it was
            }
            taken[far] = true;
            int old = labels[far];
            double[] row = new double[d];
            points.copyRow(far, row, 0);
            for (int t = 0; t < d; t++) {
                sums[old * d + t] -= w[far] * row[t];
                sums[j * d + t] = w[far] * row[t];
            }
            weights[old] -= w[far];
            weights[j] = w[far];
            labels[far] = j;
            minDist[far] = 0;
        }
    }

    private static Run elkan(Points points, double[] w, double[] start, int k, int maxIter, double tolAbs,
                             FitListener listener) {
        int n = points.n, d = points.d;
        points.prepare(OP); // Elkan's passes use the direct distances: screen x first
        double[] centers = start.clone();
        float[] centersF = points.single() ? toFloat(centers, null) : null;
        int[] labels = new int[n];
        int[] labelsOld = new int[n];
        Arrays.fill(labelsOld, -1);
        double[] upper = new double[n];
        double[] lower = new double[n * k]; // lower[i*k + j] <= ‖x_i − c_j‖
        double[] minDist = new double[n];
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double dist = Math.sqrt(points.sqDist(i, centers, centersF, j * d));
                lower[i * k + j] = dist;
                if (dist < best) {
                    best = dist;
                    labels[i] = j;
                }
            }
            upper[i] = best;
        }
        List<Double> history = new ArrayList<>();
        boolean strict = false, converged = false, stopped = false;
        int iteration = 0;
        double[] between = new double[k * k];
        double[] half = new double[k];
        while (iteration < maxIter) {
            iteration++;
            for (int a = 0; a < k; a++) {
                half[a] = Double.POSITIVE_INFINITY;
            }
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    double dist = Math.sqrt(sqDistCenters(centers, a, b, d));
                    between[a * k + b] = dist;
                    between[b * k + a] = dist;
                    half[a] = Math.min(half[a], dist / 2);
                    half[b] = Math.min(half[b], dist / 2);
                }
            }
            double[] sums = new double[k * d];
            double[] weights = new double[k];
            double inertia = 0;
            for (int i = 0; i < n; i++) {
                int label = labels[i];
                // The exact distance to the own center keeps the objective exact and the bound tight.
                double own = Math.sqrt(points.sqDist(i, centers, centersF, label * d));
                upper[i] = own;
                lower[i * k + label] = own;
                if (own > half[label]) {
                    for (int j = 0; j < k; j++) {
                        if (j == label || upper[i] < lower[i * k + j] || upper[i] < between[label * k + j] / 2) {
                            continue;
                        }
                        double dist = Math.sqrt(points.sqDist(i, centers, centersF, j * d));
                        lower[i * k + j] = dist;
                        if (dist < upper[i] || (dist == upper[i] && j < label)) {
                            label = j;
                            upper[i] = dist;
                        }
                    }
                }
                labels[i] = label;
                minDist[i] = upper[i] * upper[i];
                inertia += w[i] * minDist[i];
                points.addTo(i, w[i], sums, label * d);
                weights[label] += w[i];
            }
            history.add(inertia);
            relocateEmpty(points, w, labels, minDist, sums, weights, k);
            double[] next = new double[k * d];
            double shift = 0;
            double[] moved = new double[k];
            for (int j = 0; j < k; j++) {
                double sq = 0;
                for (int t = 0; t < d; t++) {
                    int at = j * d + t;
                    next[at] = weights[j] > 0 ? sums[at] / weights[j] : centers[at];
                    double delta = next[at] - centers[at];
                    sq += delta * delta;
                }
                moved[j] = Math.sqrt(sq);
                shift += sq;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    lower[i * k + j] = Math.max(0, lower[i * k + j] - moved[j]);
                }
            }
            centers = next;
            centersF = points.single() ? toFloat(centers, centersF) : null;
            if (listener != null && !listener.onIteration(iteration, inertia)) {
                stopped = true;
                break;
            }
            if (Arrays.equals(labels, labelsOld)) {
                strict = true;
                converged = true;
                break;
            }
            if (shift <= tolAbs) {
                converged = true;
                break;
            }
            System.arraycopy(labels, 0, labelsOld, 0, n);
        }
        double inertia;
        if (!strict) { // re-assign to the final centers; the distances of that pass give the inertia
            nearestInto(points, centers, centersF, k, labels, minDist);
            inertia = weightedSum(w, minDist);
        } else {
            inertia = inertia(points, w, centers, centersF, labels);
        }
        history.add(inertia);
        return new Run(centers, labels, inertia, history, iteration, converged, stopped);
    }

    private static double sqDistCenters(double[] c, int a, int b, int d) {
        double sum = 0;
        for (int t = 0; t < d; t++) {
            double diff = c[a * d + t] - c[b * d + t];
            sum += diff * diff;
        }
        return sum;
    }

    /** Labels of the nearest center for every sample, with the squared distance in minDist [n]. */
    static int[] nearest(Points points, double[] centers, int k, double[] minDist) {
        int[] labels = new int[points.n];
        nearestInto(points, centers, points.single() ? toFloat(centers, null) : null, k, labels, minDist);
        return labels;
    }

    private static void nearestInto(Points points, double[] centers, float[] centersF, int k, int[] labels,
                                    double[] minDist) {
        int n = points.n;
        Points.Centres prepared = points.centres(centers, centersF, k);
        Parallel.forEach(Parallel.chunks(n, CHUNK_ROWS), chunk -> {
            int from = chunk * CHUNK_ROWS;
            points.assign(prepared, from, Math.min(n, from + CHUNK_ROWS), labels, minDist);
        });
    }

    static double[][] distances(Points points, double[] centers, int k) {
        float[] cf = points.single() ? toFloat(centers, null) : null;
        double[][] out = new double[points.n][k];
        Parallel.forEach(Parallel.chunks(points.n, CHUNK_ROWS), chunk -> {
            for (int i = chunk * CHUNK_ROWS, end = Math.min(points.n, i + CHUNK_ROWS); i < end; i++) {
                for (int j = 0; j < k; j++) {
                    out[i][j] = Math.sqrt(points.sqDist(i, centers, cf, j * points.d));
                }
            }
        });
        return out;
    }

    private static double inertia(Points points, double[] w, double[] centers, float[] centersF, int[] labels) {
        int n = points.n;
        int chunks = Parallel.chunks(n, CHUNK_ROWS);
        double[] partial = new double[chunks];
        Parallel.forEach(chunks, chunk -> {
            double sum = 0;
            for (int i = chunk * CHUNK_ROWS, end = Math.min(n, i + CHUNK_ROWS); i < end; i++) {
                sum += w[i] * points.sqDist(i, centers, centersF, labels[i] * points.d);
            }
            partial[chunk] = sum;
        });
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }

    private static double weightedSum(double[] w, double[] values) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += w[i] * values[i];
        }
        return sum;
    }

    static float[] toFloat(double[] values, float[] into) {
        float[] out = into == null ? new float[values.length] : into;
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return w;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    static double[][] unflatten(double[] flat, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }
}
