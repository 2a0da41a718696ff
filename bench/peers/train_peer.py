#!/usr/bin/python3
"""PyTorch peer of vecgrad's `train` suite: one training step of the 784-256-10 MLP, float32.

Usage: /usr/bin/python3 bench/peers/train_peer.py --threads N --ids id1,id2 [--quick]
Ids (see vecgrad.bench.harness.CaseCatalog):
  train/mlp_step/784-256-10/batch=B/threads=T
      one step: zero the gradients, Linear(784, 256) -> ReLU -> Linear(256, 10), cross-entropy with
      integer labels (mean over the batch), backward, plain SGD update (lr 0.01, no momentum).
      The input needs no gradient, as in vecgrad's MlpStepBenchmark.
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
    sizes = [int(s) for s in words[0].split("-")]
    batch = int(p["batch"])
    layers = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        layers.append(torch.nn.Linear(fan_in, fan_out))
        layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers[:-1])  # no activation after the last layer: logits
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    x = torch.rand(batch, sizes[0])
    labels = torch.randint(0, sizes[-1], (batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        optimizer.step()
    return step


if __name__ == "__main__":
    cases = peerlib.run_cases(ARGS.ids, ARGS.quick, build)
    peerlib.emit("pytorch", torch.__version__, peerlib.torch_blas(torch), cases)
