package vecgrad.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every benchmark case of every suite, in the order they run, and the tiny cases of {@code --smoke}.
 *
 * <p>This is the one place that ties a case id to a JMH method and its {@code @Param} values, to a
 * FLOP count and to the peer script that does the same work. The shapes come from the issues
 * (kernels: #3, tape: #4, conv: #5, cluster: #7) and the names from the benchmark classes. A case's
 * thread count reaches the fork as {@code -Dvecgrad.threads} always, and as the {@code threads}
 * {@code @Param} too where the benchmark declares one. A case whose benchmark class or method is not on the
 * classpath yet is reported as not available, with the reason, and picked up once it lands.
 */
public final class CaseCatalog {
    /** Suites run by default, in order. */
    public static final List<String> SUITES = List.of("kernels", "conv", "train", "cluster");
    /** The runner's own suite: only when named, and always in {@code --smoke}. */
    public static final String HARNESS_SUITE = "harness";
    /** Thread counts every case is defined for. */
    public static final List<Integer> THREADS = List.of(1, 2);

    static final String PKG = "vecgrad.bench.";
    static final String KERNELS_PEER = "kernels_peer.py";
    static final String CONV_PEER = "conv_peer.py";
    static final String TRAIN_PEER = "train_peer.py";
    static final String CLUSTER_PEER = "cluster_peer.py";

    /** Conv layers of issue #5: name, N, C_in, C_out, H, W, kernel, padding. */
    record ConvLayer(String name, int n, int cin, int cout, int h, int w, int kernel, int pad) {
        int outH() {
            return h + 2 * pad - kernel + 1;
        }

        int outW() {
            return w + 2 * pad - kernel + 1;
        }

        /** Multiply-adds of the forward pass, times two. */
        double forwardFlops() {
            return 2.0 * n * cout * outH() * outW() * cin * kernel * kernel;
        }
    }

    static final List<ConvLayer> CONV_LAYERS = List.of(
            new ConvLayer("a", 128, 1, 16, 28, 28, 3, 1),
            new ConvLayer("b", 128, 16, 8, 14, 14, 3, 1),
            new ConvLayer("c", 128, 32, 32, 14, 14, 3, 1),
            new ConvLayer("d", 8, 2, 64, 300, 200, 3, 0),
            new ConvLayer("e", 8, 64, 256, 149, 99, 3, 0));

    private static final List<BenchCase> ALL = build();

    private CaseCatalog() {}

    /** Every regular case (not the smoke-only ones), in run order. */
    public static List<BenchCase> all() {
        return ALL.stream().filter(c -> !c.smokeOnly()).toList();
    }

    /** The cases {@code --smoke} runs: one tiny case per suite, the runner's own first. */
    public static List<BenchCase> smoke() {
        List<String> ids = List.of(
                "harness/sgemm/n=64/threads=1",
                "kernels/sgemm/n=64/threads=1",
                "conv/conv2d_fwd/a/threads=1",
                "train/mlp_step/784-256-10/batch=128/threads=1",
                "cluster/kmeans_assign/n=60000/d=784/k=10/threads=1");
        return ids.stream().map(id -> find(id).orElseThrow(() -> new IllegalStateException("smoke case missing: " + id)))
                .toList();
    }

    /** The case with this id, smoke-only ones included. */
    public static Optional<BenchCase> find(String id) {
        return ALL.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    private static List<BenchCase> build() {
        List<BenchCase> cases = new ArrayList<>();
        harness(cases);
        kernels(cases);
        conv(cases);
        train(cases);
        cluster(cases);
        return List.copyOf(cases);
    }

    private static void harness(List<BenchCase> out) {
        for (int n : new int[] {64, 128}) {
            for (int t : THREADS) {
                String shape = "n=" + n;
                // FLOPs: NaN here, so the report takes them from the benchmark's "flops" counter (that path stays tested)
                out.add(new BenchCase("harness/sgemm/" + shape + "/threads=" + t, HARNESS_SUITE, t,
                        target(HarnessSmokeBenchmark.class.getName(), "sgemm", "n", n, "threads", t), Cost.FAST,
                        Precision.F32, Double.NaN, new PeerCase(KERNELS_PEER, "kernels/sgemm/" + shape + "/threads=" + t),
                        false, false));
            }
        }
    }

    private static void kernels(List<BenchCase> out) {
        for (int t : THREADS) {
            out.add(peak("kernels/peak_f32/threads=" + t, t, "float32", Precision.F32));
            out.add(peak("kernels/peak_f64/threads=" + t, t, "float64", Precision.F64));
        }
        String gemm = PKG + "GemmBenchmark";
        for (String op : new String[] {"sgemm", "dgemm"}) {
            Precision precision = op.equals("sgemm") ? Precision.F32 : Precision.F64;
            String method = op.equals("sgemm") ? "float32" : "float64";
            for (int n : new int[] {256, 512, 1024, 2048}) {
                for (int t : THREADS) {
                    String id = "kernels/" + op + "/n=" + n + "/threads=" + t;
                    Cost cost = n >= 2048 || (n >= 1024 && precision == Precision.F64) ? Cost.SLOW : Cost.FAST;
                    out.add(measured(id, "kernels", t, target(gemm, method, "shape", n + "x" + n + "x" + n, "threads", t),
                            cost, precision, 2.0 * n * n * n, KERNELS_PEER));
                }
            }
            for (int t : THREADS) {
                // The k-means distance shape: X[60000, 784] times the centers' transpose [784, 10].
                String id = "kernels/" + op + "/m=60000/k=784/n=10/threads=" + t;
                out.add(measured(id, "kernels", t, target(gemm, method, "shape", "60000x784x10", "threads", t), Cost.FAST,
                        precision, 2.0 * 60000 * 784 * 10, KERNELS_PEER));
            }
        }
        // The scalar twin: the baseline the SIMD kernel is judged against (issue #3).
        out.add(new BenchCase("kernels/sgemm_reference/n=256/threads=1", "kernels", 1,
                target(gemm, "referenceFloat32At256", "threads", 1), Cost.FAST, Precision.F32, 2.0 * 256 * 256 * 256, null,
                false, false));
        int n = 1048573; // odd, and above the reductions' parallel threshold: the masked tail is in every call
        String elementwise = PKG + "ElementwiseBenchmark";
        for (String op : new String[] {"exp", "relu", "add"}) {
            for (int t : THREADS) {
                out.add(measured("kernels/" + op + "/n=" + n + "/threads=" + t, "kernels", t,
                        target(elementwise, op + "Simd", "size", n, "threads", t), Cost.FAST, Precision.NONE, Double.NaN,
                        KERNELS_PEER));
            }
        }
        String reduce = PKG + "ReduceBenchmark";
        for (String op : new String[] {"sum", "dot"}) {
            for (int t : THREADS) {
                out.add(measured("kernels/" + op + "/n=" + n + "/threads=" + t, "kernels", t,
                        target(reduce, op + "Simd", "size", n, "threads", t), Cost.FAST, Precision.NONE, Double.NaN,
                        KERNELS_PEER));
            }
        }
        String softmax = PKG + "SoftmaxBenchmark";
        for (String[] op : new String[][] {{"softmax", "softmaxSimd"}, {"log_softmax", "logSoftmaxSimd"}}) {
            for (int t : THREADS) {
                // a classifier's logits over all of Fashion-MNIST: 60000 rows of 10 classes
                out.add(measured("kernels/" + op[0] + "/rows=60000/cols=10/threads=" + t, "kernels", t,
                        target(softmax, op[1], "shape", "60000x10", "threads", t), Cost.FAST, Precision.NONE, Double.NaN,
                        KERNELS_PEER));
            }
        }
        for (int t : THREADS) { // smoke: the smallest GEMM that still goes through the blocked kernel
            out.add(new BenchCase("kernels/sgemm/n=64/threads=" + t, "kernels", t,
                    target(gemm, "float32", "shape", "64x64x64", "threads", t), Cost.FAST, Precision.F32, 2.0 * 64 * 64 * 64,
                    new PeerCase(KERNELS_PEER, "kernels/sgemm/n=64/threads=" + t), false, true));
        }
    }

    private static void conv(List<BenchCase> out) {
        String conv = PKG + "ConvBenchmark";
        for (ConvLayer layer : CONV_LAYERS) {
            boolean big = layer.name().equals("d") || layer.name().equals("e");
            for (int t : THREADS) {
                out.add(measured("conv/conv2d_fwd/" + layer.name() + "/threads=" + t, "conv", t,
                        target(conv, "forward", "layer", layer.name(), "threads", t), big ? Cost.SLOW : Cost.FAST,
                        Precision.F32, layer.forwardFlops(), CONV_PEER));
                // forward + grad-input + grad-weight: three products of the same size
                out.add(measured("conv/conv2d_fwdbwd/" + layer.name() + "/threads=" + t, "conv", t,
                        target(conv, "forwardBackward", "layer", layer.name(), "threads", t), big ? Cost.SLOW : Cost.FAST,
                        Precision.F32, 3 * layer.forwardFlops(), CONV_PEER));
            }
        }
        String pool = PKG + "PoolBenchmark";
        for (String layer : new String[] {"a", "d"}) {
            for (int t : THREADS) {
                out.add(measured("conv/max_pool2d_fwd/" + layer + "/threads=" + t, "conv", t,
                        target(pool, "maxPoolForward", "layer", layer, "threads", t), Cost.FAST, Precision.NONE, Double.NaN,
                        CONV_PEER));
                out.add(measured("conv/max_pool2d_fwdbwd/" + layer + "/threads=" + t, "conv", t,
                        target(pool, "maxPoolForwardBackward", "layer", layer, "threads", t), Cost.FAST, Precision.NONE,
                        Double.NaN, CONV_PEER));
            }
        }
        // A decoder's upsampling: [128, 16, 14, 14] -> [128, 16, 28, 28].
        for (String[] op : new String[][] {{"upsample_nearest2d", "upsampleNearest"}, {"upsample_bilinear2d", "upsampleBilinear"}}) {
            for (int t : THREADS) {
                out.add(measured("conv/" + op[0] + "_fwd/n=128/c=16/h=14/w=14/scale=2/threads=" + t, "conv", t,
                        target(pool, op[1] + "Forward", "threads", t), Cost.FAST, Precision.NONE, Double.NaN, CONV_PEER));
                out.add(measured("conv/" + op[0] + "_fwdbwd/n=128/c=16/h=14/w=14/scale=2/threads=" + t, "conv", t,
                        target(pool, op[1] + "ForwardBackward", "threads", t), Cost.FAST, Precision.NONE, Double.NaN,
                        CONV_PEER));
            }
        }
    }

    /** FLOPs of one SGD step of the 784-256-10 MLP on a batch of 128 (no gradient for the input). */
    static double mlpStepFlops() {
        double batch = 128;
        double layer1 = 2 * batch * 784 * 256;
        double layer2 = 2 * batch * 256 * 10;
        return layer1 * 2 + layer2 * 3; // forward both; backward: weight grad of layer 1, weight + input grad of layer 2
    }

    private static void train(List<BenchCase> out) {
        String mlp = PKG + "MlpStepBenchmark";
        for (int t : THREADS) {
            out.add(measured("train/mlp_step/784-256-10/batch=128/threads=" + t, "train", t,
                    target(mlp, "tape", "threads", t), Cost.FAST, Precision.F32, mlpStepFlops(), TRAIN_PEER));
            // The same step as raw kernel calls without the tape: the tape's overhead is the difference.
            out.add(new BenchCase("train/mlp_step_raw/784-256-10/batch=128/threads=" + t, "train", t,
                    target(mlp, "rawKernels", "threads", t), Cost.FAST, Precision.F32, mlpStepFlops(), null, false, false));
        }
    }

    private static void cluster(List<BenchCase> out) {
        String kmeans = PKG + "KMeansBenchmark";
        String mnist = "n=60000/d=784/k=10"; // Fashion-MNIST train when installed, else synthetic data of its shape
        for (int t : THREADS) {
            // fit with maxIter 1 from fixed centers: assignment + update, then the final re-assignment
            out.add(measured("cluster/kmeans_lloyd/" + mnist + "/threads=" + t, "cluster", t,
                    target(kmeans, "lloydOneIteration", "threads", t), Cost.FAST, Precision.NONE, Double.NaN, CLUSTER_PEER));
            // fit with maxIter 10 from the same centers: ten fused assignment + update passes and the final
            // re-assignment; a tenth of it is one iteration of a longer fit
            out.add(measured("cluster/kmeans_lloyd10/" + mnist + "/threads=" + t, "cluster", t,
                    target(kmeans, "lloydTenIterations", "threads", t), Cost.FAST, Precision.NONE, Double.NaN, CLUSTER_PEER));
            // one assignment pass (predict): distances through GEMM dominate, 2·n·d·k
            out.add(measured("cluster/kmeans_assign/" + mnist + "/threads=" + t, "cluster", t,
                    target(kmeans, "assignmentPass", "threads", t), Cost.FAST, Precision.F32, 2.0 * 60000 * 784 * 10,
                    CLUSTER_PEER));
            out.add(measured("cluster/kmeans_pp/" + mnist + "/threads=" + t, "cluster", t,
                    target(kmeans, "plusPlusSeeding", "threads", t), Cost.SLOW, Precision.NONE, Double.NaN, CLUSTER_PEER));
        }
        String gmm = PKG + "GmmBenchmark";
        for (String covariance : new String[] {"full", "diag"}) {
            for (int t : THREADS) {
                out.add(measured("cluster/gmm_em_" + covariance + "/n=60000/d=50/k=10/threads=" + t, "cluster", t,
                        target(gmm, "emIteration", "covarianceType", covariance.toUpperCase(java.util.Locale.ROOT),
                                "threads", t), Cost.SLOW, Precision.NONE, Double.NaN, CLUSTER_PEER));
            }
        }
        String tsne = PKG + "TsneBenchmark";
        for (int t : THREADS) {
            out.add(measured("cluster/tsne_exact_gradient/n=1000/d=50/threads=" + t, "cluster", t,
                    target(tsne, "exactGradient", "threads", t), Cost.FAST, Precision.NONE, Double.NaN, CLUSTER_PEER));
            out.add(measured("cluster/tsne_bh_gradient/n=10000/d=50/threads=" + t, "cluster", t,
                    target(tsne, "barnesHutGradient", "threads", t), Cost.SLOW, Precision.NONE, Double.NaN, CLUSTER_PEER));
        }
        for (int t : THREADS) { // the first 10,000 Fashion-MNIST images when installed, else 50-D blobs
            out.add(measured("cluster/tsne/n=10000/threads=" + t, "cluster", t,
                    target(tsne, "fullBarnesHut", "threads", t), Cost.VERY_LONG, Precision.NONE, Double.NaN, CLUSTER_PEER));
        }
        String ward = PKG + "WardBenchmark";
        for (int t : THREADS) {
            out.add(measured("cluster/ward/n=10000/d=50/threads=" + t, "cluster", t,
                    target(ward, "ward", "n", 10000, "threads", t), Cost.LONG, Precision.NONE, Double.NaN, CLUSTER_PEER));
        }
    }

    private static BenchCase peak(String id, int threads, String method, Precision precision) {
        return new BenchCase(id, "kernels", threads, target(PKG + "PeakFlopsBenchmark", method, "threads", threads), Cost.FAST,
                precision, Double.NaN, null, true, false);
    }

    /** A regular case whose peer runs the same id. */
    private static BenchCase measured(String id, String suite, int threads, JmhTarget target, Cost cost,
                                      Precision precision, double flops, String peerScript) {
        return new BenchCase(id, suite, threads, target, cost, precision, flops, new PeerCase(peerScript, id), false, false);
    }

    /** Builds a target from alternating param names and values. */
    static JmhTarget target(String className, String method, Object... nameValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.put((String) nameValues[i], String.valueOf(nameValues[i + 1]));
        }
        return new JmhTarget(className, method, params);
    }
}
