#!/usr/bin/python3
"""scikit-learn side of KMeansBenchmark and GmmBenchmark (issue 7), on this machine with 2 threads.

Usage: /usr/bin/python3 bench/peers/kmeans_gmm_sklearn.py [--repeats 5]

Times, as median and spread over the repeats:
  - k-means++ seeding, K = 10, on Fashion-MNIST train (60,000 x 784 float32, pixels / 255);
  - one Lloyd iteration: KMeans(init=<fixed k-means++ centers>, n_init=1, max_iter=1, tol=0).fit, the same
    work as KMeansBenchmark.lloydOneIteration (one assignment + update pass, then the final re-assignment);
  - one EM iteration of GaussianMixture(K = 10, max_iter=1, tol=0) from fixed weights, means and precisions,
    full and diag, on the PCA-50 projection of the same data.
Without the Debian dataset-fashion-mnist package, seeded synthetic data of the same shapes are used.
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import argparse  # noqa: E402
import gzip  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.cluster import KMeans, kmeans_plusplus  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def load():
    if os.path.exists(DATA):
        with gzip.open(DATA, "rb") as f:
            raw = f.read()
        return (np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784) / 255.0).astype(np.float32)
    rng = np.random.default_rng(7)
    protos = rng.random((10, 784))
    x = protos[rng.integers(0, 10, 60000)] + rng.uniform(-0.3, 0.3, (60000, 784))
    return np.clip(x, 0, 1).astype(np.float32)


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def report(name, stats):
    median, low, high = stats
    print(f"{name:40s} median {median * 1e3:9.1f} ms   [{low * 1e3:.1f}, {high * 1e3:.1f}]")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    warnings.filterwarnings("ignore")
    x = load()
    report("k-means++ seeding K=10", timed(lambda: kmeans_plusplus(x, 10, random_state=0), repeats))
    centers, _ = kmeans_plusplus(x, 10, random_state=0)
    one = KMeans(10, init=centers, n_init=1, max_iter=1, tol=0, algorithm="lloyd")
    report("Lloyd one iteration K=10 (fit max_iter=1)", timed(lambda: one.fit(x), repeats))
    z = PCA(50, random_state=0).fit_transform(x.astype(np.float64))
    rng = np.random.default_rng(11)
    means = z[rng.choice(len(z), 10, replace=False)]
    weights = np.full(10, 0.1)
    for kind in ("full", "diag"):
        prec = np.tile(np.eye(50) * 0.5, (10, 1, 1)) if kind == "full" else np.full((10, 50), 0.5)
        gmm = GaussianMixture(10, covariance_type=kind, max_iter=1, tol=0, weights_init=weights,
                              means_init=means, precisions_init=prec)
        report(f"GMM {kind} one EM iteration K=10 on PCA-50", timed(lambda: gmm.fit(z), repeats))


if __name__ == "__main__":
    main()
