#!/usr/bin/python3
"""scikit-learn / SciPy side of TsneBenchmark and WardBenchmark, on the same rows as the Java side.

Reads the first N Fashion-MNIST training images (/255) from /usr/share/datasets/fashion-mnist and
  * t-SNE: sklearn TSNE(perplexity=30, init="pca", learning_rate="auto", method="barnes_hut",
    n_iter=1000, random_state=0): prints wall time, kl_divergence_, trustworthiness(k=5);
  * Ward: sklearn PCA(50, svd_solver="full") then scipy linkage(X50, "ward"): prints the wall time of
    the linkage, and writes X50 (CSV) and fcluster(Z, 10, "maxclust") labels for the Java side to
    compare the partition (./vecgrad hcluster --csv pca50.csv --clusters 10).
Run with 2 threads as the Java side: OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 python3 embedding_peers.py
"""
import argparse
import gzip
import sys
import time

import numpy as np


def fashion_first(n, path="/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count, rows, cols = np.frombuffer(data[:16], dtype=">i4")
    assert magic == 2051, "not an IDX image file"
    pixels = np.frombuffer(data[16:16 + n * rows * cols], dtype=np.uint8)
    return pixels.reshape(n, rows * cols).astype(np.float64) / 255.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--skip-tsne", action="store_true")
    parser.add_argument("--skip-ward", action="store_true")
    parser.add_argument("--out", default="pca50.csv")
    args = parser.parse_args()
    x = fashion_first(args.n)
    if not args.skip_tsne:
        from sklearn.manifold import TSNE, trustworthiness
        start = time.perf_counter()
        tsne = TSNE(n_components=2, perplexity=30.0, init="pca", learning_rate="auto", method="barnes_hut",
                    n_iter=1000, random_state=0, n_jobs=2)
        y = tsne.fit_transform(x)
        seconds = time.perf_counter() - start
        print(f"sklearn t-SNE n={args.n}: {seconds:.1f} s, KL {tsne.kl_divergence_:.4f}, "
              f"iterations {tsne.n_iter_}, trustworthiness(5) {trustworthiness(x, y, n_neighbors=5):.4f}")
        sys.stdout.flush()
    if not args.skip_ward:
        from scipy.cluster.hierarchy import fcluster, linkage
        from sklearn.decomposition import PCA
        x50 = PCA(n_components=50, svd_solver="full").fit_transform(x)
        start = time.perf_counter()
        z = linkage(x50, "ward")
        seconds = time.perf_counter() - start
        labels = fcluster(z, 10, "maxclust")
        print(f"scipy ward linkage n={args.n} on PCA-50: {seconds:.2f} s; K=10 sizes {np.bincount(labels)[1:].tolist()}")
        np.savetxt(args.out, np.column_stack([x50, labels - 1]), delimiter=",", fmt="%.17g")
        print(f"wrote {args.out} (50 features, then the SciPy K=10 label)")


if __name__ == "__main__":
    main()
