#!/usr/bin/python3
"""PyTorch peer of MlpStepBenchmark: one SGD step of a 784-256-10 relu MLP with cross-entropy,
batch 128, float32, on the CPU. Prints the mean time per step in milliseconds.

usage: /usr/bin/python3 mlp_step_pytorch.py [--steps N] [--threads T]
"""
import argparse
import time

import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0 = PyTorch default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(11)
    w1 = ((torch.rand(784, 256, generator=generator) * 2 - 1) * (6 / 784) ** 0.5).requires_grad_()
    b1 = torch.zeros(256, requires_grad=True)
    w2 = ((torch.rand(256, 10, generator=generator) * 2 - 1) * (6 / 256) ** 0.5).requires_grad_()
    b2 = torch.zeros(10, requires_grad=True)
    x = torch.rand(128, 784, generator=generator)
    labels = torch.randint(0, 10, (128,), generator=generator)
    params = [w1, b1, w2, b2]

    def step():
        for p in params:
            p.grad = None
        loss = torch.nn.functional.cross_entropy(torch.relu(x @ w1 + b1) @ w2 + b2, labels)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.add_(p.grad, alpha=-0.01)
        return loss.item()

    for _ in range(20):  # warm-up
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    elapsed = time.perf_counter() - start
    print(f"pytorch {torch.__version__} threads={torch.get_num_threads()}: "
          f"{1000 * elapsed / args.steps:.3f} ms per step ({args.steps} steps)")


if __name__ == "__main__":
    main()
