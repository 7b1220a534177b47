#!/usr/bin/env python3
"""Writes torch_training.json: PyTorch's float32 losses, loss gradients and optimizer trajectories, which
Training/TorchTrainingTests compare Losses, Sgd and Adam with.

Run from this folder with a Python that has torch (Debian: apt-get install python3-torch; /usr/bin/python3
make_training_fixtures.py). The output is deterministic for a given torch version (fixed seed). Every float is
written as the shortest decimal that round-trips its float32 value, so the C# side parses exactly the numbers torch
computed with and the file stays small.

- "cross_entropy": F.cross_entropy(logits [batch, classes], labels) (mean) and d loss / d logits; some cases hold
  logits of +-80, logits of +-100 and +-1000 (where exp without the max shift overflows float32), and one class only.
- "mse": F.mse_loss(prediction, target) (mean) and d loss / d prediction.
- "optimizers": an initial parameter vector, then for each of 5 steps the gradient given to the parameter (the same
  "gradients" for every optimizer), the learning rate of that step (a schedule may change it), and the parameter
  after optimizer.step(). The length (19) covers whole vectors and a scalar tail for 4, 8 and 16 lanes.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(20250101)
F32 = torch.float32
STEPS = 5
LENGTH = 19


def f32(values):
    """Shortest decimals that round-trip each float32 value."""
    return [float(str(np.float32(v))) for v in torch.as_tensor(values, dtype=F32).reshape(-1).tolist()]


def rounded(*shape, scale=1.0):
    """Random float32 values with short decimal forms."""
    return (torch.round(torch.randn(*shape) * scale * 100) / 100).to(F32)


def cross_entropy_case(name, logits, labels):
    logits = logits.clone().to(F32).requires_grad_(True)
    labels = torch.as_tensor(labels, dtype=torch.long)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    batch, classes = logits.shape
    return {
        "name": name, "batch": batch, "classes": classes,
        "logits": f32(logits.detach()), "labels": labels.tolist(),
        "loss": f32(loss.detach())[0], "gradient": f32(logits.grad),
    }


def mse_case(name, prediction, target):
    prediction = prediction.clone().to(F32).requires_grad_(True)
    loss = F.mse_loss(prediction, target.to(F32))
    loss.backward()
    return {
        "name": name, "prediction": f32(prediction.detach()), "target": f32(target),
        "loss": f32(loss.detach())[0], "gradient": f32(prediction.grad),
    }


def trajectory(name, kind, make, initial, gradients, lrs):
    p = torch.nn.Parameter(initial.clone())
    opt = make([p])
    after = []
    for step in range(STEPS):
        for group in opt.param_groups:
            group["lr"] = lrs[step]
        p.grad = gradients[step].clone()
        opt.step()
        after.append(f32(p.detach()))
    options = {k: v for k, v in opt.defaults.items() if k in
               ("lr", "momentum", "weight_decay", "dampening", "nesterov", "betas", "eps")}
    options["lr"] = lrs[0]
    if "betas" in options:
        options["betas"] = list(options["betas"])
    return {"name": name, "kind": kind, "options": options, "learning_rates": lrs, "after": after}


def main():
    ce = []
    ce.append(cross_entropy_case("small", rounded(4, 10, scale=2), torch.randint(0, 10, (4,)).tolist()))
    ce.append(cross_entropy_case("single_sample", rounded(1, 3), [2]))
    large = rounded(5, 7)
    large[0, 3] = 80
    large[1, :] = -80
    large[1, 5] = 80
    large[2, 0] = 80
    large[2, 6] = -80
    large[3, :] = 80
    large[4, 2] = -80
    # Labels: at a lone +80 (loss ~0); at -80 in a row of -80s with one +80 (loss 160); at -80 opposite a +80
    # (loss ~160); in a row of equal +80s (loss log 7); at -80 among small logits (loss ~80).
    ce.append(cross_entropy_case("large_logits", large, [3, 0, 6, 4, 2]))
    # exp(80) still fits in float32 (exp overflows past 88.7); these logits overflow any softmax without the max shift.
    huge = torch.tensor([[100.0, -100.0, 0.0, 99.0], [1000.0, 1000.0, -1000.0, 0.5], [-1000.0, -999.0, -1000.0, -1000.0]])
    ce.append(cross_entropy_case("huge_logits", huge, [1, 2, 1]))
    ce.append(cross_entropy_case("one_class", rounded(3, 1), [0, 0, 0]))
    ce.append(cross_entropy_case("wide", rounded(2, 37, scale=3), [36, 0]))

    mse = []
    mse.append(mse_case("vector", rounded(7), rounded(7)))
    mse.append(mse_case("tensor_with_tail", rounded(2, 3, 5, scale=4), rounded(2, 3, 5)))
    mse.append(mse_case("exact", torch.tensor([0.5, -1.25, 3.0]), torch.tensor([0.5, -1.25, 3.0])))

    initial = rounded(LENGTH)
    # Gradients of both signs, growing with the step so momentum and the moment estimates see changing sizes.
    gradients = [rounded(LENGTH, scale=0.5 * (step + 1)) for step in range(STEPS)]
    constant = lambda lr: [lr] * STEPS
    schedule = [0.1, 0.1, 0.05, 0.05, 0.02]
    adam_schedule = [0.01, 0.01, 0.005, 0.005, 0.002]
    optim = torch.optim
    runs = [
        ("sgd_plain", "sgd", lambda ps: optim.SGD(ps, lr=0.1), constant(0.1)),
        ("sgd_momentum", "sgd", lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9), constant(0.1)),
        ("sgd_momentum_weight_decay", "sgd", lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01), constant(0.1)),
        ("sgd_nesterov", "sgd", lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True), constant(0.1)),
        ("sgd_nesterov_weight_decay", "sgd", lambda ps: optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1), constant(0.05)),
        ("sgd_dampening", "sgd", lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.5), constant(0.1)),
        ("sgd_weight_decay", "sgd", lambda ps: optim.SGD(ps, lr=0.1, weight_decay=0.05), constant(0.1)),
        ("sgd_momentum_schedule", "sgd", lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9), schedule),
        ("adam_default", "adam", lambda ps: optim.Adam(ps), constant(1e-3)),
        ("adam_weight_decay", "adam", lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.1), constant(0.01)),
        ("adam_betas_eps", "adam", lambda ps: optim.Adam(ps, lr=0.05, betas=(0.5, 0.9), eps=1e-3), constant(0.05)),
        ("adam_schedule", "adam", lambda ps: optim.Adam(ps, lr=0.01), adam_schedule),
    ]
    optimizers = [trajectory(name, kind, make, initial, gradients, lrs) for name, kind, make, lrs in runs]

    out = {
        "torch_version": torch.__version__,
        "cross_entropy": ce,
        "mse": mse,
        "initial": f32(initial),
        "gradients": [f32(g) for g in gradients],
        "optimizers": optimizers,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_training.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
