#!/usr/bin/python3
"""PyTorch peer of vecgrad's `conv` suite: conv2d, max-pooling and upsampling, float32, NCHW.

Usage: /usr/bin/python3 bench/peers/conv_peer.py --threads N --ids id1,id2 [--quick]
Ids (see vecgrad.bench.harness.CaseCatalog; layers (a)-(e) of issue #5, 3x3 kernels with bias):
  conv/conv2d_fwd/L/threads=T       y = conv2d(x, w, b) for layer L in a..e
  conv/conv2d_fwdbwd/L/threads=T    forward, then backward to x, w and b (grad-input and grad-weight)
  conv/max_pool2d_fwd/L/threads=T   2x2 stride 2 max-pool of layer L's output (L = a or d); _fwdbwd adds backward
  conv/upsample_{nearest,bilinear}2d_{fwd,fwdbwd}/n=N/c=C/h=H/w=W/scale=S/threads=T
                                     x2 upsampling (bilinear: align_corners=False)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402  (sets the thread environment before torch loads)

ARGS = peerlib.parse_args(__doc__.splitlines()[0])

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(ARGS.threads)
GEN = torch.Generator().manual_seed(peerlib.SEED)

# name: (N, C_in, C_out, H, W, kernel, padding), as CaseCatalog.CONV_LAYERS
LAYERS = {
    "a": (128, 1, 16, 28, 28, 3, 1),
    "b": (128, 16, 8, 14, 14, 3, 1),
    "c": (128, 32, 32, 14, 14, 3, 1),
    "d": (8, 2, 64, 300, 200, 3, 0),
    "e": (8, 64, 256, 149, 99, 3, 0),
}


def rand(*shape):
    return torch.rand(*shape, generator=GEN) * 2 - 1


def out_shape(layer):
    n, _, cout, h, w, k, pad = LAYERS[layer]
    return n, cout, h + 2 * pad - k + 1, w + 2 * pad - k + 1


def forward_backward(forward, inputs, grad):
    def step():
        for t in inputs:
            t.grad = None
        forward().backward(grad)
    return step


def build(case_id):
    suite, op, p, words = peerlib.parse_id(case_id)
    if suite != "conv":
        raise ValueError("conv_peer: not a conv case: " + case_id)
    if op.startswith("conv2d_"):
        n, cin, cout, h, w, k, pad = LAYERS[words[0]]
        x, weight, bias = rand(n, cin, h, w), rand(cout, cin, k, k) * 0.1, rand(cout) * 0.1
        if op == "conv2d_fwd":
            return lambda: F.conv2d(x, weight, bias, padding=pad)
        for t in (x, weight, bias):
            t.requires_grad_(True)
        grad = rand(*out_shape(words[0]))
        return forward_backward(lambda: F.conv2d(x, weight, bias, padding=pad), (x, weight, bias), grad)
    if op.startswith("max_pool2d_"):
        x = rand(*out_shape(words[0]))
        if op == "max_pool2d_fwd":
            return lambda: F.max_pool2d(x, 2, 2)
        x.requires_grad_(True)
        grad = rand(*F.max_pool2d(x.detach(), 2, 2).shape)
        return forward_backward(lambda: F.max_pool2d(x, 2, 2), (x,), grad)
    if op.startswith("upsample_"):
        mode = "nearest" if op.startswith("upsample_nearest2d") else "bilinear"
        x = rand(int(p["n"]), int(p["c"]), int(p["h"]), int(p["w"]))
        scale = int(p["scale"])
        corners = None if mode == "nearest" else False

        def up():
            return F.interpolate(x, scale_factor=scale, mode=mode, align_corners=corners)
        if op.endswith("_fwd"):
            return up
        x.requires_grad_(True)
        grad = rand(x.shape[0], x.shape[1], x.shape[2] * scale, x.shape[3] * scale)
        return forward_backward(up, (x,), grad)
    raise ValueError("conv_peer: unknown case " + case_id)


def run():
    cases = []
    for case_id in ARGS.ids:
        # Forward-only cases run without autograd bookkeeping, as vecgrad's forward benchmarks do.
        with torch.set_grad_enabled("fwdbwd" in case_id):
            cases.extend(peerlib.run_cases([case_id], ARGS.quick, build))
    return cases


if __name__ == "__main__":
    results = run()
    peerlib.emit("pytorch", torch.__version__, peerlib.torch_blas(torch), results)
