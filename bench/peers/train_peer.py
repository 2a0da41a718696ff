#!/usr/bin/python3
"""PyTorch peer of vecgrad's `train` suite: one training step of the 784-256-10 MLP, float32.

Usage: /usr/bin/python3 bench/peers/train_peer.py --threads N --ids id1,id2 [--quick]
Ids (see vecgrad.bench.harness.CaseCatalog):
  train/mlp_step/784-256-10/batch=B/threads=T
      one step, written as MlpStepBenchmark.tape is: clear the gradients, relu(x @ w1 + b1) @ w2 + b2,
      cross-entropy with integer labels (mean over the batch), backward, plain SGD update (lr 0.01)
      of w1 [784, 256], b1, w2 [256, 10], b2. The input needs no gradient.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402  (sets the thread environment before torch loads)

ARGS = peerlib.parse_args(__doc__.splitlines()[0])

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(ARGS.threads)
torch.manual_seed(peerlib.SEED)
LEARNING_RATE = 0.01


def build(case_id):
    suite, op, p, words = peerlib.parse_id(case_id)
    if suite != "train" or op != "mlp_step":
        raise ValueError("train_peer: unknown case " + case_id)
    inputs, hidden, classes = (int(s) for s in words[0].split("-"))
    batch = int(p["batch"])
    # As MlpStepBenchmark: He-uniform weights [in, out], zero biases, inputs U(0, 1), random labels.
    w1 = ((torch.rand(inputs, hidden) * 2 - 1) * (6 / inputs) ** 0.5).requires_grad_()
    b1 = torch.zeros(hidden, requires_grad=True)
    w2 = ((torch.rand(hidden, classes) * 2 - 1) * (6 / hidden) ** 0.5).requires_grad_()
    b2 = torch.zeros(classes, requires_grad=True)
    x = torch.rand(batch, inputs)
    labels = torch.randint(0, classes, (batch,))
    params = (w1, b1, w2, b2)

    def step():
        for t in params:
            t.grad = None
        loss = F.cross_entropy(torch.relu(x @ w1 + b1) @ w2 + b2, labels)
        loss.backward()
        with torch.no_grad():
            for t in params:
                t.add_(t.grad, alpha=-LEARNING_RATE)
        return loss.item()
    return step


if __name__ == "__main__":
    cases = peerlib.run_cases(ARGS.ids, ARGS.quick, build)
    peerlib.emit("pytorch", torch.__version__, peerlib.torch_blas(torch), cases)
