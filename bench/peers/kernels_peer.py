#!/usr/bin/python3
"""PyTorch peer of vecgrad's `kernels` suite: the same GEMM, elementwise, reduction and softmax work.

Usage: /usr/bin/python3 bench/peers/kernels_peer.py --threads N --ids id1,id2 [--quick]
Ids (see vecgrad.bench.harness.CaseCatalog):
  kernels/sgemm/n=N/threads=T, kernels/dgemm/n=N/threads=T        C[n,n] = A[n,n] @ B[n,n]
  kernels/sgemm/m=M/k=K/n=N/threads=T (and dgemm)                    C[m,n] = A[m,k] @ B[k,n]
  kernels/{relu,exp,tanh,sigmoid}/n=N/threads=T                     y = f(x), float32, into a preallocated y
  kernels/{add,mul}/n=N/threads=T                                   z = x op y, float32, preallocated z
  kernels/{sum,max}/n=N/threads=T, kernels/dot/n=N/threads=T        full reductions, float32
  kernels/sum_lastaxis/rows=R/cols=C/threads=T                      x.sum(dim=1)
  kernels/{softmax,log_softmax}/rows=R/cols=C/threads=T             along the last axis
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402  (sets the thread environment before torch loads)

ARGS = peerlib.parse_args(__doc__.splitlines()[0])

import torch  # noqa: E402

torch.set_num_threads(ARGS.threads)
GEN = torch.Generator().manual_seed(peerlib.SEED)


def rand(*shape, dtype=torch.float32):
    return (torch.rand(*shape, generator=GEN, dtype=torch.float64) * 2 - 1).to(dtype)


# torch.relu has no out= variant; clamp_min(x, 0) is the same map into a preallocated output
UNARY = {"relu": lambda x, out: torch.clamp_min(x, 0.0, out=out), "exp": torch.exp, "tanh": torch.tanh,
         "sigmoid": torch.sigmoid}
BINARY = {"add": torch.add, "mul": torch.mul}


def build(case_id):
    suite, op, p, words = peerlib.parse_id(case_id)
    if suite != "kernels":
        raise ValueError("kernels_peer: not a kernels case: " + case_id)
    if op in ("sgemm", "dgemm"):
        dtype = torch.float32 if op == "sgemm" else torch.float64
        n = int(p["n"])
        m, k = int(p.get("m", n)), int(p.get("k", n))
        a, b = rand(m, k, dtype=dtype), rand(k, n, dtype=dtype)
        c = torch.empty(m, n, dtype=dtype)
        return lambda: torch.mm(a, b, out=c)
    if op in UNARY:
        f, x = UNARY[op], rand(int(p["n"]))
        y = torch.empty_like(x)
        return lambda: f(x, out=y)
    if op in BINARY:
        f, x, y = BINARY[op], rand(int(p["n"])), rand(int(p["n"]))
        z = torch.empty_like(x)
        return lambda: f(x, y, out=z)
    if op in ("sum", "max"):
        x = rand(int(p["n"]))
        return (lambda: torch.sum(x)) if op == "sum" else (lambda: torch.max(x))
    if op == "dot":
        x, y = rand(int(p["n"])), rand(int(p["n"]))
        return lambda: torch.dot(x, y)
    if op == "sum_lastaxis":
        x = rand(int(p["rows"]), int(p["cols"]))
        out = torch.empty(int(p["rows"]))
        return lambda: torch.sum(x, dim=1, out=out)
    if op in ("softmax", "log_softmax"):
        x = rand(int(p["rows"]), int(p["cols"])) * 10
        f = torch.softmax if op == "softmax" else torch.log_softmax
        return lambda: f(x, dim=1)
    raise ValueError("kernels_peer: unknown case " + case_id)


if __name__ == "__main__":
    with torch.no_grad():
        cases = peerlib.run_cases(ARGS.ids, ARGS.quick, build)
    peerlib.emit("pytorch", torch.__version__, peerlib.torch_blas(torch), cases)
