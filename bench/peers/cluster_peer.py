#!/usr/bin/python3
"""scikit-learn / SciPy peer of vecgrad's `cluster` suite: k-means, Gaussian-mixture EM, t-SNE, Ward.

Usage: /usr/bin/python3 bench/peers/cluster_peer.py --threads N --ids id1,id2 [--quick]
Data: peerlib.blobs(n, d, 10), bit-identical to vecgrad.bench.harness.BenchData.blobs (Fashion-MNIST
is not shipped; these blobs have its shape and its PCA-50 projection's shape). Every case starts from
the same state as vecgrad's: the first k rows of X as initial centers / means.
Ids (see vecgrad.bench.harness.CaseCatalog):
  cluster/kmeans_lloyd/n=60000/d=784/k=10/threads=T   one Lloyd iteration (assign + update), float32,
                                                      from centers X[:k] (sklearn's lloyd_iter_chunked_dense)
  cluster/kmeans_pp/n=60000/d=784/k=10/threads=T      k-means++ seeding, greedy, 2 + log(k) local trials
  cluster/gmm_em_{full,diag}/n=60000/d=50/k=10/threads=T
                                                      one EM iteration (E step + M step), float64, from
                                                      weights 1/k, means X[:k], identity covariances
  cluster/tsne_bh_gradient/n=10000/d=50/threads=T     one Barnes-Hut KL gradient (theta 0.5, perplexity 30)
                                                      at a fixed 2-D embedding (40 * blobs(n, 2, 10, seed+1))
  cluster/tsne/n=10000/d=50/threads=T                 full t-SNE: perplexity 30, 1000 iterations, PCA init,
                                                      learning rate 'auto', Barnes-Hut theta 0.5
  cluster/ward/n=10000/d=50/threads=T                 Ward linkage (SciPy; single-threaded by design)
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
REG_COVAR = 1e-6  # sklearn's default
_DATA = {}


def data(n, d, k=K):
    key = (n, d, k)
    if key not in _DATA:
        _DATA[key] = peerlib.blobs(n, d, k)
    return _DATA[key]


def kmeans_lloyd(x, k, threads):
    try:
        from sklearn.cluster._k_means_lloyd import lloyd_iter_chunked_dense
    except ImportError:  # another sklearn layout: the public API with one iteration
        from sklearn.cluster import KMeans
        init = x[:k].copy()
        return lambda: KMeans(n_clusters=k, init=init, n_init=1, max_iter=1, tol=0, algorithm="lloyd").fit(x)
    init = np.ascontiguousarray(x[:k])
    centers_old, centers_new = init.copy(), np.empty_like(init)
    weights = np.ones(x.shape[0], dtype=x.dtype)
    weight_in_clusters = np.zeros(k, dtype=x.dtype)
    labels = np.full(x.shape[0], -1, dtype=np.int32)
    center_shift = np.zeros(k, dtype=x.dtype)

    def step():
        centers_old[:] = init
        lloyd_iter_chunked_dense(x, weights, centers_old, centers_new, weight_in_clusters, labels,
                                 center_shift, threads, update_centers=True)
    return step


def kmeans_pp(x, k):
    from sklearn.cluster import kmeans_plusplus
    return lambda: kmeans_plusplus(x, n_clusters=k, random_state=peerlib.SEED)


def gmm_em(x, k, covariance):
    from sklearn.mixture import GaussianMixture
    from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky
    d = x.shape[1]
    gm = GaussianMixture(n_components=k, covariance_type=covariance, reg_covar=REG_COVAR)
    covariances = np.tile(np.eye(d), (k, 1, 1)) if covariance == "full" else np.ones((k, d))

    def reset():
        gm.weights_ = np.full(k, 1.0 / k)
        gm.means_ = x[:k].copy()
        gm.covariances_ = covariances.copy()
        gm.precisions_cholesky_ = _compute_precision_cholesky(covariances, covariance)

    def step():
        reset()
        _, log_resp = gm._e_step(x)
        gm._m_step(x, log_resp)
    return step


def tsne_gradient(x, threads):
    from sklearn.manifold._t_sne import _joint_probabilities_nn, _kl_divergence_bh
    from sklearn.neighbors import NearestNeighbors
    n = x.shape[0]
    neighbors = min(n - 1, int(3.0 * PERPLEXITY + 1))
    graph = NearestNeighbors(n_neighbors=neighbors).fit(x).kneighbors_graph(mode="distance")
    graph.data **= 2  # t-SNE's affinities use squared euclidean distances
    p = _joint_probabilities_nn(graph, PERPLEXITY, 0)
    y = (40.0 * peerlib.blobs(n, 2, K, peerlib.SEED + 1)).astype(np.float32).ravel()
    return lambda: _kl_divergence_bh(y, p, 1, n, 2, angle=THETA, skip_num_points=0, verbose=False,
                                     compute_error=False, num_threads=threads)


def tsne_full(x, threads):
    import inspect
    from sklearn.manifold import TSNE
    # scikit-learn 1.5 renamed n_iter to max_iter
    iterations = "max_iter" if "max_iter" in inspect.signature(TSNE).parameters else "n_iter"

    def run():
        TSNE(n_components=2, perplexity=PERPLEXITY, init="pca", learning_rate="auto", method="barnes_hut",
             angle=THETA, random_state=peerlib.SEED, n_jobs=threads, **{iterations: 1000}).fit_transform(x)
    return run


def ward(x):
    from scipy.cluster.hierarchy import linkage
    return lambda: linkage(x, method="ward")


def build(case_id):
    suite, op, p, words = peerlib.parse_id(case_id)
    if suite != "cluster":
        raise ValueError("cluster_peer: not a cluster case: " + case_id)
    threads = int(p["threads"])
    n, d, k = int(p["n"]), int(p["d"]), int(p.get("k", K))
    if op == "kmeans_lloyd":
        return kmeans_lloyd(data(n, d, k), k, threads)
    if op == "kmeans_pp":
        return kmeans_pp(data(n, d, k), k)
    if op in ("gmm_em_full", "gmm_em_diag"):
        return gmm_em(data(n, d, k).astype(np.float64), k, op[len("gmm_em_"):])
    if op == "tsne_bh_gradient":
        return tsne_gradient(data(n, d), threads)
    if op == "tsne":
        return tsne_full(data(n, d), threads)
    if op == "ward":
        return ward(data(n, d).astype(np.float64))
    raise ValueError("cluster_peer: unknown case " + case_id)


if __name__ == "__main__":
    with threadpool_limits(limits=ARGS.threads):
        cases = peerlib.run_cases(ARGS.ids, ARGS.quick, build)
        blas = peerlib.blas_info()
    emit_name = "scikit-learn"
    versions = "%s (scipy %s, numpy %s)" % (sklearn.__version__, scipy.__version__, np.__version__)
    peerlib.emit(emit_name, versions, blas, cases)
