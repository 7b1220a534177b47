#!/usr/bin/python3
"""Writes whole-network fixtures computed by PyTorch, so that ConvGen networks can be checked end to end against it.

For each network NAME below this writes, next to this script:

  NAME.safetensors      exactly model.state_dict(): float32, the names PyTorch gives them (conv1.weight, ...)
  NAME_io.safetensors   "input":  float32 [3, ...], seeded standard-normal data
                        "output": the model's output for that input, computed in float64 (the float32 weights and
                                  input widened to double, so the only float32 rounding is the final store)
  NAME_grad.safetensors "output_gradient": seeded standard-normal data of the output's shape (its own generator, so
                                  the files above are unchanged), the gradient of the loss sum(output * output_gradient);
                        "input_gradient" and one tensor per state_dict name: PyTorch autograd's gradients of that loss,
                                  computed in float64 like the output and rounded once to float32

The networks (activations are functional calls in forward, so they have no parameters):

  lenet   [N,1,28,28]  conv1 Conv2d(1,6,5,p2)+ReLU, pool1 MaxPool2d(2), conv2 Conv2d(6,16,5)+ReLU,
                       pool2 AvgPool2d(2), flatten, fc1 Linear(400,120)+ReLU, fc2 Linear(120,84)+ReLU, fc3 Linear(84,10)
  mobile  [N,3,32,32]  stem Conv2d(3,16,3,s2,p1)+ReLU6,
                       block {depthwise Conv2d(16,16,3,p1,groups=16,bias=False), pointwise Conv2d(16,32,1)}+ReLU,
                       down Conv2d(32,32,3,s2,p1,groups=32)+ReLU, mix Conv2d(32,64,1)+SiLU,
                       gap AdaptiveAvgPool2d(1), flatten, fc Linear(64,10)
  tiny1d  [N,2,50]     conv1 Conv1d(2,8,5,p2)+Tanh, pool MaxPool1d(2), conv2 Conv1d(8,8,3,s2)+LeakyReLU(0.01),
                       flatten, fc Linear(96,4)

Under torch.manual_seed(SEED), every Conv/Linear weight is redrawn with nn.init.kaiming_normal_ (fan_in, ReLU gain,
std sqrt(2/fan_in)) and every bias from uniform(-0.1, 0.1), module by module. Kaiming rather than PyTorch's default
init because the default shrinks activations layer by layer: with it, mobile's output moved by only ~3e-4 between
inputs against |output| ~0.09 (mostly fc.bias), which a broken convolution could pass. With Kaiming the activations
stay O(1) (outputs up to ~5, spread ~0.2-0.4 across the batch) and ReLU6 and tanh saturate on some values. The safetensors files are written by hand in the format's own layout
(8-byte little-endian header length, JSON header padded with spaces to a multiple of 8 as the safetensors library
does, then raw little-endian data in state_dict order), with __metadata__ {"format": "pt"}.

Re-run from anywhere with Debian's PyTorch (apt-get install python3-torch):

  /usr/bin/python3 make_network_fixtures.py           writes the six files and prints layer shapes and tensor names
  /usr/bin/python3 make_network_fixtures.py --check   re-reads the files with an independent parser, checks the
                                                      header, loads the weights into fresh models (strict) and
                                                      recomputes the outputs in float64 and float32

The output is deterministic for a given torch version (the random streams of torch.manual_seed are stable).
The network classes are also imported by tests/ConvGen.Benchmarks/peers/torch_network.py.
"""
import copy
import json
import os
import struct
import sys
from array import array

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20240901
BATCH = 3


class LeNet(nn.Module):
    INPUT = (1, 28, 28)

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool2 = nn.AvgPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        x = self.flatten(x)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class Separable(nn.Module):
    """Depthwise 3x3 (no bias) then pointwise 1x1 (bias) then ReLU: ConvGen's separable layer's parameter names."""

    def __init__(self, cin, cout):
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return F.relu(self.pointwise(self.depthwise(x)))


class Mobile(nn.Module):
    INPUT = (3, 32, 32)

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.block = Separable(16, 32)
        self.down = nn.Conv2d(32, 32, 3, stride=2, padding=1, groups=32)
        self.mix = nn.Conv2d(32, 64, 1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu6(self.stem(x))
        x = self.block(x)
        x = F.relu(self.down(x))
        x = F.silu(self.mix(x))
        x = self.flatten(self.gap(x))
        return self.fc(x)


class Tiny1d(nn.Module):
    INPUT = (2, 50)

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(2, 8, 5, padding=2)
        self.pool = nn.MaxPool1d(2)
        self.conv2 = nn.Conv1d(8, 8, 3, stride=2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(8 * 12, 4)

    def forward(self, x):
        x = self.pool(torch.tanh(self.conv1(x)))
        x = F.leaky_relu(self.conv2(x), 0.01)
        return self.fc(self.flatten(x))


class Residual(nn.Module):
    """A ResNet basic block without normalisation: relu(conv2(relu(conv1(h))) + h), then a pooled head."""
    INPUT = (3, 16, 16)

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.conv1 = nn.Conv2d(16, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        h = F.relu(self.stem(x))
        x = F.relu(self.conv1(h))
        x = F.relu(self.conv2(x) + h)
        x = self.gap(self.pool(x))
        return self.fc(self.flatten(x))


NETWORKS = {"lenet": LeNet, "mobile": Mobile, "tiny1d": Tiny1d, "residual": Residual}


def build(name):
    """The seeded model (float32, eval mode) and its seeded float32 input of batch BATCH."""
    torch.manual_seed(SEED)
    model = NETWORKS[name]()
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                if module.bias is not None:
                    module.bias.uniform_(-0.1, 0.1)
    model.eval()
    x = torch.randn(BATCH, *NETWORKS[name].INPUT, dtype=torch.float32)
    return model, x


def reference_output(model, x):
    """model(x) in float64: a double copy of the float32 weights on the widened input."""
    with torch.no_grad():
        return copy.deepcopy(model).double()(x.double())


# ---------------------------------------------------------------- writing


def safetensors_bytes(tensors):
    """tensors: list of (name, float32 tensor). The layout of safetensors.torch.save_file, written by hand."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, t in tensors:
        assert t.dtype == torch.float32, name
        data = array("f", t.detach().contiguous().reshape(-1).tolist())
        if sys.byteorder != "little":
            data.byteswap()
        blob = data.tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the safetensors library pads the header so the data starts 8-aligned
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def fixture_bytes(name):
    model, x = build(name)
    y = reference_output(model, x).float()
    return (safetensors_bytes(list(model.state_dict().items())),
            safetensors_bytes([("input", x), ("output", y)]))


def gradient_bytes(name):
    """PyTorch autograd in float64 of sum(model(x) * g) for a seeded g: the gradients ConvGen's Backward must give."""
    model, x = build(name)
    double = copy.deepcopy(model).double()
    xd = x.double().requires_grad_(True)
    y = double(xd)
    g = torch.randn(y.shape, generator=torch.Generator().manual_seed(SEED + 1), dtype=torch.float32)
    (y * g.double()).sum().backward()
    tensors = [("output_gradient", g), ("input_gradient", xd.grad.float())]
    tensors += [(k, p.grad.float()) for k, p in double.named_parameters()]
    return safetensors_bytes(tensors)


def describe(name):
    """Per-layer output shapes (for the seeded input) and state_dict names/shapes."""
    model, x = build(name)
    lines = ["%s: input %s" % (name, list(x.shape))]
    hooks = [m.register_forward_hook(lambda m, i, o, n=n: lines.append("  %-16s -> %s" % (n, list(o.shape))))
             for n, m in model.named_modules() if n and not list(m.children())]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    lines.append("  state_dict:")
    total = 0
    for k, v in model.state_dict().items():
        lines.append("    %-24s %s" % (k, list(v.shape)))
        total += v.numel()
    lines.append("    (%d floats)" % total)
    return "\n".join(lines)


def write():
    for name in NETWORKS:
        weights, io = fixture_bytes(name)
        for suffix, blob in (("", weights), ("_io", io)):
            path = os.path.join(HERE, name + suffix + ".safetensors")
            with open(path, "wb") as f:
                f.write(blob)
            print("wrote %s (%d bytes)" % (os.path.relpath(path), len(blob)))
        path = os.path.join(HERE, name + "_grad.safetensors")
        with open(path, "wb") as f:
            f.write(gradient_bytes(name))
        print("wrote %s" % os.path.relpath(path))
        print(describe(name))


# ---------------------------------------------------------------- checking (independent of the writer above)


def read_safetensors(path):
    """Parses a safetensors file from the spec alone; checks the header and returns {name: float32 tensor}."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError("%s: shorter than the 8-byte header length" % path)
    (n,) = struct.unpack_from("<Q", raw, 0)
    if 8 + n > len(raw):
        raise ValueError("%s: header length %d past the end of the file" % (path, n))
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    meta = header.pop("__metadata__", None)
    if meta != {"format": "pt"}:
        raise ValueError("%s: __metadata__ is %r" % (path, meta))
    spans, out = [], {}
    for name, e in header.items():
        if set(e) != {"dtype", "shape", "data_offsets"} or e["dtype"] != "F32":
            raise ValueError("%s: %s: unexpected entry %r" % (path, name, e))
        begin, end = e["data_offsets"]
        count = 1
        for d in e["shape"]:
            count *= d
        if end - begin != 4 * count or not 0 <= begin <= end <= len(data):
            raise ValueError("%s: %s: offsets %r do not hold %s floats" % (path, name, e["data_offsets"], e["shape"]))
        spans.append((begin, end))
        values = array("f")
        values.frombytes(data[begin:end])
        if sys.byteorder != "little":
            values.byteswap()
        out[name] = torch.tensor(values.tolist(), dtype=torch.float32).reshape(e["shape"])
    spans.sort()
    pos = 0
    for begin, end in spans:
        if begin != pos:
            raise ValueError("%s: data has a gap or overlap at byte %d" % (path, pos))
        pos = end
    if pos != len(data):
        raise ValueError("%s: %d data bytes, tensors cover %d" % (path, len(data), pos))
    return out


def check():
    ok = True
    for name in NETWORKS:
        state = read_safetensors(os.path.join(HERE, name + ".safetensors"))
        io = read_safetensors(os.path.join(HERE, name + "_io.safetensors"))
        fresh = NETWORKS[name]()  # fresh, unseeded weights: everything must come from the file
        expected_keys = [(k, list(v.shape)) for k, v in fresh.state_dict().items()]
        found_keys = [(k, list(v.shape)) for k, v in state.items()]
        if found_keys != expected_keys:
            print("%s: state_dict names/shapes differ:\n  file  %s\n  model %s" % (name, found_keys, expected_keys))
            ok = False
            continue
        fresh.load_state_dict(state, strict=True)
        fresh.eval()
        x, y = io["input"], io["output"]
        with torch.no_grad():
            y64 = fresh.double()(x.double())
            y32 = fresh.float()(x)
        scale = y.abs().max().item()
        err64 = (y64 - y.double()).abs().max().item()
        err32 = (y32.double() - y.double()).abs().max().item()
        # the stored output is the float64 result rounded once to float32: within half an ulp of each value
        ulp_ok = bool(((y64 - y.double()).abs() <= y64.abs() * 2.0 ** -24 + 1e-45).all())
        weights, io_bytes = fixture_bytes(name)
        with open(os.path.join(HERE, name + ".safetensors"), "rb") as f:
            same_w = f.read() == weights
        with open(os.path.join(HERE, name + "_io.safetensors"), "rb") as f:
            same_io = f.read() == io_bytes
        good = ulp_ok and err32 <= 1e-5 * max(scale, 1.0) and y.shape[0] == BATCH
        ok &= good
        print("%-6s %s: input %s output %s |output|max %.4g; float64 rerun max err %.2e (<= 0.5 ulp: %s); "
              "float32 rerun max err %.2e; byte-identical to a regeneration: weights %s, io %s"
              % (name, "ok" if good else "FAILED", list(x.shape), list(y.shape), scale, err64, ulp_ok, err32,
                 same_w, same_io))
    print("all fixtures check" if ok else "SOME FIXTURES FAILED")
    return ok


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if check() else 1)
    elif sys.argv[1:]:
        sys.exit(__doc__)
    write()
