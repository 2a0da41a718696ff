"""Shared parts of the vecgrad benchmark peers: arguments, thread pinning, timing, JSON output, data.

Import this module before numpy, torch or sklearn: parse_args() sets the thread environment
variables that OpenBLAS and OpenMP read when they load. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are
left exactly as the caller set them (on this machine they work around old OpenBLAS builds).
"""
import argparse
import json
import os
import statistics
import sys
import time

SEED = 20261123


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", type=int, required=True, help="threads for every pool the peer uses")
    parser.add_argument("--ids", required=True, help="comma-separated case ids")
    parser.add_argument("--quick", action="store_true", help="few short samples")
    args = parser.parse_args()
    if args.threads < 1:
        parser.error("--threads must be >= 1")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)
    args.ids = [i for i in args.ids.split(",") if i]
    return args


def parse_id(case_id):
    """'kernels/sgemm/m=60000/k=784/n=10/threads=2' -> ('kernels', 'sgemm', {'m': '60000', ..., 'threads': '2'}, []);
    'conv/conv2d_fwd/a/threads=2' -> ('conv', 'conv2d_fwd', {'threads': '2'}, ['a'])."""
    parts = case_id.split("/")
    if len(parts) < 3 or not parts[-1].startswith("threads="):
        raise ValueError("case id must be suite/op/.../threads=T; got " + case_id)
    params, words = {}, []
    for part in parts[2:]:
        if "=" in part:
            key, value = part.split("=", 1)
            params[key] = value
        else:
            words.append(part)
    return parts[0], parts[1], params, words


def log(message):
    print(message, file=sys.stderr, flush=True)


def measure(fn, quick):
    """Times fn() like JMH's average-time mode: warm up, then samples of about equal length.

    Returns (median_ms, min_ms, max_ms, samples), each sample the mean time of one call over a batch.
    """
    # the same lengths as the runner's JMH schedule for FAST cases (JmhCases.schedule)
    warmup_s, sample_s, samples = (0.3, 0.2, 3) if quick else (5.0, 1.0, 10)
    start = time.perf_counter()
    fn()  # first call: allocation, lazy init
    first = time.perf_counter() - start
    if first > 2.0:  # seconds per call: single shots, as the runner's LONG / VERY_LONG cases (the first call warms up)
        warm, samples = (0, 1) if quick else ((0, 3) if first > 20.0 else (1, 5))
        for _ in range(warm):
            fn()
        times = []
        for _ in range(samples):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1e3)
        return _summary(times)
    while time.perf_counter() - start < warmup_s:
        fn()
    t0 = time.perf_counter()
    fn()
    per_call = max(time.perf_counter() - t0, 1e-7)
    batch = max(1, int(sample_s / per_call))
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(batch):
            fn()
        times.append((time.perf_counter() - t0) * 1e3 / batch)
    return _summary(times)


def _summary(times):
    return statistics.median(times), min(times), max(times), len(times)


def run_cases(ids, quick, build):
    """For each id, build(id) returns a zero-argument callable doing one operation; times each one."""
    results = []
    for case_id in ids:
        try:
            fn = build(case_id)
            median, low, high, samples = measure(fn, quick)
        except Exception as error:  # one broken case must not lose the others; the runner notes the missing id
            log("  %s: FAILED: %s: %s" % (case_id, type(error).__name__, error))
            continue
        log("  %s: %.4g ms [%.4g, %.4g] (%d samples)" % (case_id, median, low, high, samples))
        results.append({"id": case_id, "median_ms": median, "min_ms": low, "max_ms": high, "samples": samples})
    return results


def emit(name, version, blas, cases):
    json.dump({"peer": {"name": name, "version": version, "blas": blas}, "cases": cases}, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()


def blas_info():
    """The BLAS and OpenMP libraries this process has loaded, as threadpoolctl sees them."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    blas, openmp = [], []
    for lib in threadpool_info():
        if lib.get("user_api") == "blas":
            blas.append("%s %s (%s, %s threads)" % (lib.get("internal_api"), lib.get("version"),
                                                    lib.get("architecture", "?"), lib.get("num_threads")))
        elif lib.get("user_api") == "openmp":
            openmp.append("%s %s threads" % (lib.get("prefix"), lib.get("num_threads")))
    text = "; ".join(blas) if blas else "no BLAS library loaded"
    return text + ("; OpenMP " + ", ".join(openmp) if openmp else "")


FASHION_TRAIN = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"  # Debian dataset-fashion-mnist


def fashion_mnist(n):
    """The first n Fashion-MNIST training images as float32 [n, 784] in [0, 1], or None when not installed."""
    import gzip
    import numpy as np
    if not os.path.exists(FASHION_TRAIN):
        return None
    with gzip.open(FASHION_TRAIN, "rb") as f:
        header = np.frombuffer(f.read(16), dtype=">i4")
        if header[0] != 2051:
            raise ValueError(FASHION_TRAIN + ": offset 0: not an IDX image file (magic != 2051)")
        count, rows, cols = int(header[1]), int(header[2]), int(header[3])
        if n > count:
            raise ValueError("fashion: only %d images; got n = %d" % (count, n))
        pixels = np.frombuffer(f.read(n * rows * cols), dtype=np.uint8)
    return (pixels.reshape(n, rows * cols) / np.float32(255)).astype(np.float32)


def torch_blas(torch):
    """What a torch peer computes with: the BLAS loaded in the process, torch's build flags, its threads."""
    import re
    a = torch.ones(64, 64)
    torch.mm(a, a)  # load the BLAS before asking which one it is
    config = torch.__config__.show()
    built = re.search(r"BLAS_INFO=([^,\s]+)", config)
    mkldnn = "oneDNN" if torch.backends.mkldnn.is_available() else "no oneDNN"
    return "%s; torch BLAS_INFO=%s, %s, %d intra-op threads" % (
        blas_info(), built.group(1) if built else "?", mkldnn, torch.get_num_threads())
