#!/usr/bin/python3
"""PyTorch peer of ConvBenchmark and PoolBenchmark: the same layers, float32 NCHW, best-of-N wall time in ms.

Run with the Debian interpreter that carries python3-torch:
    /usr/bin/python3 bench/peers/conv_peer.py [--threads 1 2] [--repeats 20] [--layers abcde]
Forward is conv2d with bias; forward+backward adds grad-input, grad-weight and grad-bias (autograd on an
input that requires grad), like ConvBenchmark.forwardBackward. Max-pool is 2x2 stride 2 on the outputs
of layers (a) and (d), NCHW and channels-last. Run it interleaved with the JMH benchmarks on a quiet machine.
"""
import argparse
import time

import torch
import torch.nn.functional as F

LAYERS = {
    "a": ((128, 1, 28, 28), (16, 1, 3, 3), 1),
    "b": ((128, 16, 14, 14), (8, 16, 3, 3), 1),
    "c": ((128, 32, 14, 14), (32, 32, 3, 3), 1),
    "d": ((8, 2, 300, 200), (64, 2, 3, 3), 0),
    "e": ((8, 64, 149, 99), (256, 64, 3, 3), 0),
}


def best_ms(fn, repeats):
    fn()  # warm-up: oneDNN picks and caches its kernels on the first call
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--layers", default="abcde")
    args = parser.parse_args()
    torch.manual_seed(7)
    for threads in args.threads:
        torch.set_num_threads(threads)
        for name in args.layers:
            x_shape, w_shape, padding = LAYERS[name]
            x = torch.rand(x_shape) * 2 - 1
            w = (torch.rand(w_shape) * 2 - 1).requires_grad_()
            b = (torch.rand(w_shape[0]) * 2 - 1).requires_grad_()
            xg = x.clone().requires_grad_()
            with torch.no_grad():
                y = F.conv2d(x, w, b, padding=padding)
            grad = torch.rand_like(y) * 2 - 1
            macs = y.numel() * w_shape[1] * w_shape[2] * w_shape[3]

            def forward():
                with torch.no_grad():
                    F.conv2d(x, w, b, padding=padding)

            def forward_backward():
                out = F.conv2d(xg, w, b, padding=padding)
                torch.autograd.grad(out, (xg, w, b), grad)

            fwd = best_ms(forward, args.repeats)
            both = best_ms(forward_backward, args.repeats)
            print(f"conv ({name}) threads={threads} forward {fwd:.2f} ms ({2 * macs / fwd / 1e6:.1f} GFLOP/s)"
                  f"  forward+backward {both:.2f} ms ({6 * macs / both / 1e6:.1f} GFLOP/s)")
            if name in "ad":
                for layout in (torch.contiguous_format, torch.channels_last):
                    p = y.detach().contiguous(memory_format=layout).requires_grad_()
                    pooled = F.max_pool2d(p, 2, 2)
                    pgrad = torch.rand_like(pooled)

                    def pool_forward():
                        with torch.no_grad():
                            F.max_pool2d(p, 2, 2, return_indices=True)

                    def pool_forward_backward():
                        torch.autograd.grad(F.max_pool2d(p, 2, 2), p, pgrad)

                    label = "NCHW" if layout is torch.contiguous_format else "channels-last"
                    print(f"max_pool2d 2x2/2 on ({name}) {label} threads={threads} forward "
                          f"{best_ms(pool_forward, args.repeats):.2f} ms  forward+backward "
                          f"{best_ms(pool_forward_backward, args.repeats):.2f} ms")


if __name__ == "__main__":
    main()
