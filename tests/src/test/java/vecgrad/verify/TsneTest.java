package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.autodiff.Tape;
import vecgrad.autodiff.Tensor;
import vecgrad.cluster.manifold.KnnGraph;
import vecgrad.cluster.manifold.Neighbors;
import vecgrad.cluster.manifold.SparseAffinities;
import vecgrad.cluster.manifold.Tsne;
import vecgrad.cluster.manifold.TsneAffinities;
import vecgrad.cluster.manifold.TsneConfig;
import vecgrad.cluster.manifold.TsneGradient;
import vecgrad.cluster.manifold.TsneResult;
import vecgrad.cluster.metrics.KnnAccuracy;
import vecgrad.cluster.metrics.Trustworthiness;
import vecgrad.kernels.Parallel;

class TsneTest {
    static LongStream seeds() {
        return Cases.seeds(5);
    }

    /** KL(P ‖ Q) on the tape: Q from pairwise differences by broadcasting, the diagonal masked out. */
    private static Tensor tapeKl(Tensor y, double[] p, int n, int dims) {
        double[] offDiagonal = new double[n * n];
        double[] identity = new double[n * n];
        double entropyTerm = 0; // Σ P ln P, a constant
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                offDiagonal[i * n + j] = i == j ? 0 : 1;
                identity[i * n + j] = i == j ? 1 : 0;
                if (p[i * n + j] > 0) {
                    entropyTerm += p[i * n + j] * Math.log(p[i * n + j]);
                }
            }
        }
        Tensor diff = y.reshape(n, 1, dims).sub(y.reshape(1, n, dims));      // [n, n, dims]
        Tensor d2 = diff.square().sum(2, false);                               // [n, n]
        Tensor w = d2.add(1).pow(-1).mul(Tensor.of(offDiagonal, n, n));        // w_ij, 0 on the diagonal
        Tensor q = w.div(w.sum());                                             // Q_ij
        Tensor logQ = q.add(Tensor.of(identity, n, n)).log();                  // ln Q_ij, 0 on the diagonal
        return logQ.mul(Tensor.of(p, n, n)).sum().neg().add(entropyTerm);      // Σ P ln P − Σ P ln Q
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void closedFormGradientEqualsTheTapeGradient(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(3, 14), dims = 2;
        double[] p = EmbeddingData.jointP(rng, n);
        double[] y = Cases.uniform(rng, n * dims, -3, 3);
        double[] grad = new double[n * dims];
        double kl = TsneGradient.exact(p, y, n, dims, 1, grad, true);
        Tensor leaf = Tensor.of(y, n, dims).requiresGrad(true);
        double tapeValue;
        try (Tape tape = Tape.begin()) {
            Tensor loss = tapeKl(leaf, p, n, dims);
            tapeValue = loss.item();
            loss.backward();
        }
        double[] tapeGrad = leaf.grad().toDoubleArray();
        assertEquals(tapeValue, kl, 1e-12 * Math.max(1, Math.abs(kl)), "KL, seed " + seed);
        for (int i = 0; i < grad.length; i++) {
            assertEquals(tapeGrad[i], grad[i], 1e-10 * (1 + Math.abs(tapeGrad[i])),
                    "gradient entry " + i + " (seed " + seed + ", n " + n + ")");
        }
    }

    /** The (1 + d²)⁻¹-free gradient of seed 004 eq. 31 disagrees with the tape: the factor is needed. */
    @Test
    void gradientWithoutTheKernelFactorDisagreesWithTheTape() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED);
        int n = 8, dims = 2;
        double[] p = EmbeddingData.jointP(rng, n);
        double[] y = Cases.uniform(rng, n * dims, -3, 3);
        Tensor leaf = Tensor.of(y, n, dims).requiresGrad(true);
        try (Tape tape = Tape.begin()) {
            tapeKl(leaf, p, n, dims).backward();
        }
        double[] tapeGrad = leaf.grad().toDoubleArray();
        double z = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                z += i == j ? 0 : 1 / (1 + dist2(y, i, j, dims));
            }
        }
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dims; c++) {
                double g = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        g += 4 * (p[i * n + j] - 1 / (1 + dist2(y, i, j, dims)) / z) * (y[i * dims + c] - y[j * dims + c]);
                    }
                }
                worst = Math.max(worst, Math.abs(g - tapeGrad[i * dims + c]));
            }
        }
        assertTrue(worst > 1e-3, "eq. 31 without the factor should be visibly wrong; max difference " + worst);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void closedFormGradientMatchesCentralDifferences(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(3, 20), dims = rng.nextInt(1, 4);
        double[] p = EmbeddingData.jointP(rng, n);
        double[] y = Cases.uniform(rng, n * dims, -2, 2);
        double[] grad = new double[n * dims];
        TsneGradient.exact(p, y, n, dims, 1, grad, true);
        double eps = 1e-6;
        for (int direction = 0; direction < 3; direction++) {
            double[] u = Cases.uniform(rng, n * dims, -1, 1);
            double[] plus = y.clone(), minus = y.clone();
            double analytic = 0;
            for (int i = 0; i < y.length; i++) {
                plus[i] += eps * u[i];
                minus[i] -= eps * u[i];
                analytic += grad[i] * u[i];
            }
            double[] scratch = new double[n * dims];
            double numeric = (TsneGradient.exact(p, plus, n, dims, 1, scratch, true)
                    - TsneGradient.exact(p, minus, n, dims, 1, scratch, true)) / (2 * eps);
            double allowed = 1e-9 + 1e-6 * Math.max(Math.abs(analytic), Math.abs(numeric));
            assertTrue(Math.abs(analytic - numeric) <= allowed, "direction " + direction + " seed " + seed
                    + ": analytic " + analytic + ", numeric " + numeric);
        }
    }

    /** Without the KL, the exact 2-D gradient takes a one-pass SIMD route; it equals the pairwise formula. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void onePassExactGradientEqualsThePairwiseFormula(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(2, 70);
        double[] p = EmbeddingData.jointP(rng, n);
        double[] y = Cases.uniform(rng, 2 * n, -4, 4);
        double exaggeration = rng.nextBoolean() ? 1 : 12;
        double[] fast = new double[2 * n], pairwise = new double[2 * n];
        assertTrue(Double.isNaN(TsneGradient.exact(p, y, n, 2, exaggeration, fast, false)));
        TsneGradient.exact(p, y, n, 2, exaggeration, pairwise, true);
        double scale = 0;
        for (double g : pairwise) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < 2 * n; i++) {
            assertEquals(pairwise[i], fast[i], 1e-12 * scale, "entry " + i + " seed " + seed);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void barnesHutWithThetaZeroEqualsTheExactGradientOnTheSameP(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(20, 80);
        double[][] x = EmbeddingData.uniform(rng, n, 4, -1, 1);
        KnnGraph graph = Neighbors.exact(EmbeddingData.flat(x), n, 4, 10);
        SparseAffinities sparse = TsneAffinities.sparse(graph, 3);
        double[] dense = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                dense[i * n + j] = sparse.get(i, j);
            }
        }
        double[] y = Cases.uniform(rng, 2 * n, -5, 5);
        double[] exact = new double[2 * n], tree = new double[2 * n];
        double klExact = TsneGradient.exact(dense, y, n, 2, 1, exact, true);
        double klTree = TsneGradient.barnesHut(sparse, y, 0, 1, tree, true);
        assertEquals(klExact, klTree, 1e-10 * Math.abs(klExact));
        for (int i = 0; i < 2 * n; i++) {
            assertEquals(exact[i], tree[i], 1e-10 * (1e-3 + Math.abs(exact[i])), "entry " + i + " seed " + seed);
        }
        // θ = 0.5 approximates the repulsion: a few per cent of the gradient norm.
        double[] approx = new double[2 * n];
        TsneGradient.barnesHut(sparse, y, 0.5, 1, approx, false);
        double error = 0, norm = 0;
        for (int i = 0; i < 2 * n; i++) {
            error += (approx[i] - exact[i]) * (approx[i] - exact[i]);
            norm += exact[i] * exact[i];
        }
        assertTrue(Math.sqrt(error) < 0.05 * Math.sqrt(norm), "theta 0.5 error " + Math.sqrt(error / norm));
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void calibratedRowsReachTheTargetEntropy(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(10, 60);
        double perplexity = rng.nextDouble(2, n / 3.0);
        double[][] x = EmbeddingData.uniform(rng, n, 3, -2, 2);
        TsneAffinities.Dense dense = TsneAffinities.dense(x, perplexity);
        double[] conditional = dense.conditional();
        double[] joint = dense.joint();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0, entropy = 0;
            for (int j = 0; j < n; j++) {
                double v = conditional[i * n + j];
                sum += v;
                entropy -= v > 0 ? v * Math.log(v) : 0;
                assertEquals(joint[i * n + j], joint[j * n + i], 0, "P is symmetric");
                total += joint[i * n + j];
            }
            assertEquals(1, sum, 1e-12);
            assertEquals(0, conditional[i * n + i]);
            assertEquals(Math.log((float) perplexity), entropy, 2e-5, "row " + i + " entropy");
        }
        assertEquals(1, total, 1e-12);
        assertEquals(0, dense.unconverged());
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void sparseAffinitiesOverAllNeighboursEqualTheDenseOnes(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(5, 40);
        double[][] x = EmbeddingData.uniform(rng, n, 3, -2, 2);
        double perplexity = rng.nextDouble(1.5, n / 2.0);
        TsneAffinities.Dense dense = TsneAffinities.dense(x, perplexity);
        SparseAffinities sparse = TsneAffinities.sparse(Neighbors.exact(EmbeddingData.flat(x), n, 3, n - 1), perplexity);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    assertEquals(dense.joint(i, j), Math.max(sparse.get(i, j), TsneAffinities.MACHINE_EPSILON),
                            1e-12 * dense.joint(i, j) + 1e-18, "P[" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void nearestNeighboursEqualABruteForceSearch() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 1);
        int n = 150, d = 7, k = 9;
        double[][] x = EmbeddingData.uniform(rng, n, d, -1, 1);
        KnnGraph graph = Neighbors.exact(EmbeddingData.flat(x), n, d, k);
        for (int i = 0; i < n; i++) {
            final int row = i;
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(dist2(x, row, a), dist2(x, row, b)));
            int r = 0;
            for (int j : order) {
                if (j == i) {
                    continue;
                }
                if (r == k) {
                    break;
                }
                assertEquals(j, graph.index(i, r), "row " + i + " rank " + r);
                assertEquals(dist2(x, i, j), graph.squaredDistance(i, r), 1e-12);
                r++;
            }
        }
    }

    /** High-dimensional rows take the float32-candidate path; lattice rows full of exact ties force its float64 fallback. */
    @Test
    void nearestNeighboursInHighDimensionEqualABruteForceSearch() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 8);
        int n = 120, d = 40, k = 12;
        double[][] smooth = EmbeddingData.uniform(rng, n, d, -1, 1);
        double[][] lattice = new double[n][d];
        for (double[] row : lattice) {
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextInt(2) + 1000; // 0/1 coordinates far from the origin: many equal distances
            }
        }
        for (double[][] x : new double[][][] {smooth, lattice}) {
            KnnGraph graph = Neighbors.exact(EmbeddingData.flat(x), n, d, k);
            for (int i = 0; i < n; i++) {
                final int row = i;
                Integer[] order = new Integer[n];
                for (int j = 0; j < n; j++) {
                    order[j] = j;
                }
                java.util.Arrays.sort(order, (a, b) -> dist2(x, row, a) != dist2(x, row, b)
                        ? Double.compare(dist2(x, row, a), dist2(x, row, b)) : Integer.compare(a, b));
                int r = 0;
                for (int j : order) {
                    if (j == i) {
                        continue;
                    }
                    if (r == k) {
                        break;
                    }
                    assertEquals(j, graph.index(i, r), "row " + i + " rank " + r);
                    assertEquals(dist2(x, i, j), graph.squaredDistance(i, r), 1e-12 * (1 + dist2(x, i, j)));
                    r++;
                }
            }
        }
    }

    @Test
    void exactAndBarnesHutFitsSeparateBlobs() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 2);
        double[][] x = EmbeddingData.blobs(rng, 3, 50, 10);
        int[] labels = EmbeddingData.blobLabels(3, 50);
        for (TsneConfig.Method method : TsneConfig.Method.values()) {
            TsneConfig config = TsneConfig.of(7).withPerplexity(15).withMaxIter(500).withMethod(method);
            TsneResult fit = Tsne.fit(config, x);
            double[][] y = fit.embedding();
            assertEquals(1.0, KnnAccuracy.score(y, labels, 5), method + ": blobs must stay apart");
            assertTrue(Trustworthiness.score(x, y, 5) > 0.9, method + " trustworthiness");
            assertEquals(500, fit.iterations());
            assertEquals(fit.history().get(fit.history().size() - 1), fit.klDivergence());
            assertEquals(500, fit.historyIterations().get(fit.historyIterations().size() - 1));
            assertTrue(fit.klDivergence() > 0 && fit.klDivergence() < 2, method + " KL " + fit.klDivergence());
        }
    }

    /**
     * The optimizer follows scikit-learn 1.2.1 step for step: {@code _gradient_descent} with
     * {@code _kl_divergence} on {@code _joint_probabilities} (perplexity 10, P·12, momentum 0.5, rate 50)
     * from the same start. Reference values from scikit-learn on the same dyadic formula data; after ~50
     * iterations at this rate the trajectories part by rounding (the dynamics amplify 1e-13 differences).
     */
    @Test
    void firstIterationsEqualScikitLearnFromTheSameStart() {
        int n = 60;
        double[][] x = new double[n][5], start = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 5; j++) {
                x[i][j] = Math.floor(16 * (3 * Math.sin(i * 3 + j * 7) + (i % 3) * 4 * (j == 0 ? 1 : 0))) / 16;
            }
            start[i][0] = 1e-4 * Math.sin(i * 5 + 1);
            start[i][1] = 1e-4 * Math.cos(i * 11 + 2);
        }
        double[][] expected = { // iterations, KL, y[0][0], y[7][1]
                {1, 50.951047015307005, -0.003037995095625841, 0.003148515651026444},
                {10, 60.479409925827895, 1.965111333492965, 2.4387128223316243}};
        for (double[] row : expected) {
            TsneConfig config = TsneConfig.of(0).withPerplexity(10).withMethod(TsneConfig.Method.EXACT)
                    .withMaxIter((int) row[0]);
            TsneResult fit = Tsne.fit(config, x, start, null);
            assertEquals(row[1], fit.klDivergence(), 1e-10 * row[1], "KL after " + row[0]);
            assertEquals(row[2], fit.coordinate(0, 0), 1e-9 * Math.abs(row[2]), "y[0][0] after " + row[0]);
            assertEquals(row[3], fit.coordinate(7, 1), 1e-9 * Math.abs(row[3]), "y[7][1] after " + row[0]);
        }
    }

    @Test
    void barnesHutFitIsBitIdenticalForAnyThreadCount() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 3);
        double[][] x = EmbeddingData.blobs(rng, 4, 80, 6);
        TsneConfig config = TsneConfig.of(3).withMaxIter(300);
        TsneResult one, two;
        try (Parallel.Scope scope = Parallel.withThreads(1)) {
            one = Tsne.fit(config, x);
        }
        try (Parallel.Scope scope = Parallel.withThreads(3)) {
            two = Tsne.fit(config, x);
        }
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(one.embedding()[i], two.embedding()[i], 0, "point " + i);
        }
        assertEquals(one.klDivergence(), two.klDivergence(), 0);
    }

    @Test
    void float32InputGivesTheFitOfItsFloat64Values() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 4);
        double[][] x = EmbeddingData.blobs(rng, 2, 30, 5);
        float[][] single = new float[x.length][];
        double[][] widened = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            single[i] = new float[x[i].length];
            widened[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                single[i][j] = (float) x[i][j];
                widened[i][j] = single[i][j];
            }
        }
        TsneConfig config = TsneConfig.of(5).withPerplexity(10).withMaxIter(100);
        TsneResult a = Tsne.fit(config, single), b = Tsne.fit(config, widened);
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(b.embedding()[i], a.embedding()[i], 0);
        }
    }

    @Test
    void pcaInitStartsAlongTheLargestVarianceAxis() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 5);
        int n = 200;
        double[][] x = new double[n][5];
        for (double[] row : x) {
            for (int j = 0; j < 5; j++) {
                row[j] = rng.nextGaussian() * (j == 3 ? 10 : 1); // axis 3 carries most variance
            }
        }
        // A negligible learning rate leaves the single step at the initial embedding.
        TsneConfig config = TsneConfig.of(11).withMaxIter(1).withLearningRate(1e-300).withExaggerationIterations(0);
        double[][] y = Tsne.fit(config, x).embedding();
        double mean = 0, square = 0, cross = 0, xx = 0;
        for (int i = 0; i < n; i++) {
            mean += y[i][0] / n;
        }
        double xMean = 0;
        for (double[] row : x) {
            xMean += row[3] / n;
        }
        for (int i = 0; i < n; i++) {
            square += (y[i][0] - mean) * (y[i][0] - mean);
            cross += (y[i][0] - mean) * (x[i][3] - xMean);
            xx += (x[i][3] - xMean) * (x[i][3] - xMean);
        }
        assertEquals(1e-4, Math.sqrt(square / n), 1e-12, "first axis scaled to std 1e-4");
        assertTrue(Math.abs(cross / Math.sqrt(square * xx)) > 0.99, "first axis follows the dominant direction");
    }

    @Test
    void transformPlacesNewPointsWithTheirClusterIndependentlyOfTheBatch() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 6);
        double[][] all = EmbeddingData.blobs(rng, 3, 60, 8);
        int[] labels = EmbeddingData.blobLabels(3, 60);
        List<double[]> train = new ArrayList<>(), test = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>(), testLabels = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            (i % 6 == 0 ? test : train).add(all[i]);
            (i % 6 == 0 ? testLabels : trainLabels).add(labels[i]);
        }
        for (TsneConfig.Method method : TsneConfig.Method.values()) {
            TsneResult fit = Tsne.fit(TsneConfig.of(9).withPerplexity(15).withMaxIter(400).withMethod(method),
                    train.toArray(double[][]::new));
            double[][] placed = fit.transform(test.toArray(double[][]::new));
            for (int q = 0; q < placed.length; q++) {
                int nearest = -1;
                double best = Double.POSITIVE_INFINITY;
                for (int i = 0; i < fit.size(); i++) {
                    double d = Math.pow(fit.coordinate(i, 0) - placed[q][0], 2) + Math.pow(fit.coordinate(i, 1) - placed[q][1], 2);
                    if (d < best) {
                        best = d;
                        nearest = i;
                    }
                }
                assertEquals(testLabels.get(q), trainLabels.get(nearest), method + ": new point " + q);
            }
            double[][] alone = fit.transform(new double[][] {test.get(3)});
            assertArrayEquals(placed[3], alone[0], 0, "a point's place does not depend on the batch");
        }
    }

    @Test
    void progressListenerSeesEveryCheckAndCanStopTheFit() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED + 7);
        double[][] x = EmbeddingData.blobs(rng, 2, 25, 3);
        List<Integer> seen = new ArrayList<>();
        TsneResult fit = Tsne.fit(TsneConfig.of(1).withPerplexity(8).withMethod(TsneConfig.Method.EXACT), x,
                (iteration, kl) -> {
                    seen.add(iteration);
                    return iteration < 300;
                });
        assertEquals(List.of(50, 100, 150, 200, 250, 300), seen);
        assertEquals(300, fit.iterations());
        assertEquals(seen, fit.historyIterations());
    }

    private static double dist2(double[] y, int i, int j, int dims) {
        double s = 0;
        for (int c = 0; c < dims; c++) {
            double d = y[i * dims + c] - y[j * dims + c];
            s += d * d;
        }
        return s;
    }

    private static double dist2(double[][] x, int i, int j) {
        double s = 0;
        for (int c = 0; c < x[i].length; c++) {
            double d = x[i][c] - x[j][c];
            s += d * d;
        }
        return s;
    }
}
