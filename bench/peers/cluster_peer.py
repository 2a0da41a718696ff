#!/usr/bin/python3
"""scikit-learn / SciPy peer of vecgrad's `cluster` suite: k-means, Gaussian-mixture EM, t-SNE, Ward.

Usage: /usr/bin/python3 bench/peers/cluster_peer.py --threads N --ids id1,id2 [--quick]
Each case mirrors its vecgrad benchmark (KMeansBenchmark, GmmBenchmark, TsneBenchmark, WardBenchmark):
the same data where the data are a file (Fashion-MNIST from Debian's dataset-fashion-mnist), otherwise
synthetic data drawn from the same distributions with NumPy (same shape and spread, not the same bits).
Ids (see vecgrad.bench.harness.CaseCatalog):
  cluster/kmeans_lloyd/n=60000/d=784/k=10/threads=T   KMeans(init=centers, n_init=1, max_iter=1, tol=0,
                                                      algorithm="lloyd").fit(X): one assignment + update pass
                                                      and the final re-assignment, as KMeans.fit(maxIter 1)
  cluster/kmeans_lloyd10/n=60000/d=784/k=10/threads=T the same with max_iter=10: ten iterations and the final
                                                      re-assignment (a tenth of it: one iteration of a longer fit)
  cluster/kmeans_assign/n=60000/d=784/k=10/threads=T  predict(X) of the fitted model: one assignment pass
  cluster/kmeans_pp/n=60000/d=784/k=10/threads=T      kmeans_plusplus(X, 10): greedy, 2 + log(k) local trials
      X: Fashion-MNIST train / 255 (float32) when installed, else ten U(0,1) prototypes + U(-0.3, 0.3)
      noise clipped to [0, 1]; centers from k-means++ (seed 0)
  cluster/gmm_em_{full,diag}/n=60000/d=50/k=10/threads=T
      one EM iteration (E step + M step), float64, from weights 1/k, means = true centers + N(0, 0.5²),
      covariances 2·I (precisions 0.5); X: ten clusters, centers U(-3, 3), per-axis scales U(0.3, 2)
  cluster/tsne_exact_gradient/n=1000/d=50/threads=T   exact KL gradient (and KL) on dense P (perplexity 30)
  cluster/tsne_bh_gradient/n=10000/d=50/threads=T     Barnes-Hut gradient (and KL), theta 0.5, P over 90 neighbours
      X: 50-D unit Gaussian blobs around ten centres U(-10, 10); Y: ten clusters of spread 8 on a circle of radius 40
  cluster/tsne/n=10000/threads=T                      full t-SNE: perplexity 30, 1000 iterations, PCA init,
                                                      learning rate 'auto', Barnes-Hut theta 0.5, on the first
                                                      10,000 Fashion-MNIST images / 255 (50-D blobs without them)
  cluster/ward/n=10000/d=50/threads=T                 SciPy linkage(X, "ward") on 50-D blobs (single-threaded)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402  (sets the thread environment before NumPy loads)

ARGS = peerlib.parse_args(__doc__.splitlines()[0])

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

K = 10
PERPLEXITY = 30.0
THETA = 0.5
REG_COVAR = 1e-6  # sklearn's default, and GaussianMixtureConfig's
RNG = np.random.default_rng(peerlib.SEED)
_CACHE = {}


def cached(key, make):
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def kmeans_data(n, d):
    def make():
        x = peerlib.fashion_mnist(n) if d == 784 else None
        if x is not None:
            peerlib.log("  k-means data: the first %d Fashion-MNIST training images" % n)
            return x
        prototypes = RNG.random((K, d))
        rows = prototypes[RNG.integers(0, K, n)] + RNG.uniform(-0.3, 0.3, (n, d))
        return np.clip(rows, 0, 1).astype(np.float32)
    return cached(("kmeans", n, d), make)


def kmeans_centers(x, k):
    from sklearn.cluster import kmeans_plusplus
    return cached(("centers", x.shape, k), lambda: kmeans_plusplus(x, n_clusters=k, random_state=0)[0])


def kmeans_fit_one_iteration(x, k, iterations=1):
    from sklearn.cluster import KMeans
    init = kmeans_centers(x, k)
    return lambda: KMeans(n_clusters=k, init=init, n_init=1, max_iter=iterations, tol=0, algorithm="lloyd").fit(x)


def kmeans_assign(x, k):
    model = kmeans_fit_one_iteration(x, k)()
    return lambda: model.predict(x)


def kmeans_pp(x, k):
    from sklearn.cluster import kmeans_plusplus
    return lambda: kmeans_plusplus(x, n_clusters=k, random_state=1)


def gmm_em(n, d, k, covariance):
    from sklearn.mixture import GaussianMixture
    from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky
    centers = RNG.uniform(-3, 3, (k, d))
    scales = RNG.uniform(0.3, 2, (k, d))
    labels = RNG.integers(0, k, n)
    x = centers[labels] + scales[labels] * RNG.standard_normal((n, d))
    means = centers + 0.5 * RNG.standard_normal((k, d))
    covariances = np.tile(2 * np.eye(d), (k, 1, 1)) if covariance == "full" else np.full((k, d), 2.0)
    precisions_cholesky = _compute_precision_cholesky(covariances, covariance)
    gm = GaussianMixture(n_components=k, covariance_type=covariance, reg_covar=REG_COVAR)

    def step():
        gm.weights_ = np.full(k, 1.0 / k)
        gm.means_ = means.copy()
        gm.covariances_ = covariances
        gm.precisions_cholesky_ = precisions_cholesky
        _, log_resp = gm._e_step(x)
        gm._m_step(x, log_resp)
    return step


def blobs(n, d):
    centres = RNG.uniform(-10, 10, (K, d))
    return centres[np.arange(n) % K] + RNG.standard_normal((n, d))


def embedding(n):
    angle = 2 * np.pi * (np.arange(n) % 10) / 10
    y = np.stack([40 * np.cos(angle), 40 * np.sin(angle)], axis=1) + 8 * RNG.standard_normal((n, 2))
    return y.ravel()


def tsne_exact_gradient(n, d):
    from sklearn.manifold._t_sne import _joint_probabilities, _kl_divergence
    from sklearn.metrics import pairwise_distances
    x = blobs(n, d)
    p = _joint_probabilities(pairwise_distances(x, squared=True), PERPLEXITY, 0)
    y = embedding(n)
    return lambda: _kl_divergence(y, p, 1, n, 2, skip_num_points=0, compute_error=True)


def tsne_bh_gradient(n, d, threads):
    from sklearn.manifold._t_sne import _joint_probabilities_nn, _kl_divergence_bh
    from sklearn.neighbors import NearestNeighbors
    x = blobs(n, d)
    neighbors = min(n - 1, int(3.0 * PERPLEXITY))
    graph = NearestNeighbors(n_neighbors=neighbors).fit(x).kneighbors_graph(mode="distance")
    graph.data **= 2  # t-SNE's affinities use squared euclidean distances
    p = _joint_probabilities_nn(graph, PERPLEXITY, 0)
    y = embedding(n).astype(np.float32)
    return lambda: _kl_divergence_bh(y, p, 1, n, 2, angle=THETA, skip_num_points=0, verbose=False,
                                     compute_error=True, num_threads=threads)


def tsne_full(n, threads):
    import inspect
    from sklearn.manifold import TSNE
    x = peerlib.fashion_mnist(n)
    if x is None:
        x = blobs(n, 50)
    else:
        peerlib.log("  t-SNE data: the first %d Fashion-MNIST training images" % n)
    # scikit-learn 1.5 renamed n_iter to max_iter
    iterations = "max_iter" if "max_iter" in inspect.signature(TSNE).parameters else "n_iter"

    def run():
        TSNE(n_components=2, perplexity=PERPLEXITY, init="pca", learning_rate="auto", method="barnes_hut",
             angle=THETA, random_state=0, n_jobs=threads, **{iterations: 1000}).fit_transform(x)
    return run


def ward(n, d):
    from scipy.cluster.hierarchy import linkage
    x = blobs(n, d)
    return lambda: linkage(x, method="ward")


def build(case_id):
    suite, op, p, words = peerlib.parse_id(case_id)
    if suite != "cluster":
        raise ValueError("cluster_peer: not a cluster case: " + case_id)
    threads = int(p["threads"])
    n, k = int(p["n"]), int(p.get("k", K))
    d = int(p.get("d", 50))
    if op == "kmeans_lloyd":
        return kmeans_fit_one_iteration(kmeans_data(n, d), k)
    if op == "kmeans_lloyd10":
        return kmeans_fit_one_iteration(kmeans_data(n, d), k, 10)
    if op == "kmeans_assign":
        return kmeans_assign(kmeans_data(n, d), k)
    if op == "kmeans_pp":
        return kmeans_pp(kmeans_data(n, d), k)
    if op in ("gmm_em_full", "gmm_em_diag"):
        return gmm_em(n, d, k, op[len("gmm_em_"):])
    if op == "tsne_exact_gradient":
        return tsne_exact_gradient(n, d)
    if op == "tsne_bh_gradient":
        return tsne_bh_gradient(n, d, threads)
    if op == "tsne":
        return tsne_full(n, threads)
    if op == "ward":
        return ward(n, d)
    raise ValueError("cluster_peer: unknown case " + case_id)


if __name__ == "__main__":
    with threadpool_limits(limits=ARGS.threads):
        cases = peerlib.run_cases(ARGS.ids, ARGS.quick, build)
        blas = peerlib.blas_info()
    versions = "%s (scipy %s, numpy %s)" % (sklearn.__version__, scipy.__version__, np.__version__)
    peerlib.emit("scikit-learn", versions, blas, cases)
