#!/usr/bin/python3
"""Time PyTorch (1.13, oneDNN inside) on ConvGen's family benchmark cases: 1-D, 3-D, transposed, separable, padding
modes and fused activations. Prints one JSON line per case, in the format of the 2-D peer script
(../shared/bench/peers/torch_conv.py), so compare_family.py can put ConvGen's figures next to them.

Usage: OMP_NUM_THREADS=T /usr/bin/python3 torch_family.py T [case ...]

PyTorch runs what a user of nn.Conv*d / nn.ConvTranspose*d would run: the padding mode is F.pad followed by the
convolution (as nn.Conv2d does), an activation is a second op over the output, and a separable layer is a depthwise
then a pointwise convolution. FLOPs count multiply-adds of the convolution(s) only, as 2 per multiply-add.
"""
import json, os, sys, time, statistics
import torch
import torch.nn.functional as F

# name: (op, N, Cin, Cout, spatial, K, S, P, extra)
CASES = {
    "conv1d_k5_c64_4096":      ("conv1d", 1, 64, 64, (4096,), 5, 1, 2, {}),
    "conv1d_k3_d4_c64_4096":   ("conv1d", 1, 64, 64, (4096,), 3, 1, 4, {"dilation": 4}),
    "conv3d_k3_c16_32_8x28":   ("conv3d", 1, 16, 32, (8, 28, 28), 3, 1, 1, {}),
    "convT2d_k4_s2_c64_32_28": ("convT2d", 1, 64, 32, (28, 28), 4, 2, 1, {}),
    "convT3d_k2_s2_c32_16_8x14": ("convT3d", 1, 32, 16, (8, 14, 14), 2, 2, 0, {}),
    "sep3x3_c64_128_56":       ("separable", 1, 64, 128, (56, 56), 3, 1, 1, {}),
    "std3x3_c64_56_relu":      ("conv2d", 1, 64, 64, (56, 56), 3, 1, 1, {"act": "relu"}),
    "std3x3_c64_56_silu":      ("conv2d", 1, 64, 64, (56, 56), 3, 1, 1, {"act": "silu"}),
    "reflect3x3_c64_56":       ("conv2d", 1, 64, 64, (56, 56), 3, 1, 1, {"mode": "reflect"}),
}


def out_size(n, k, s, p, d=1):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def flops(name):
    op, N, cin, cout, sp, k, s, p, ex = CASES[name]
    d = ex.get("dilation", 1)
    if op.startswith("convT"):
        pixels = 1
        for n in sp:
            pixels *= n
        return 2.0 * N * cin * cout * pixels * k ** len(sp)
    outs = 1
    for n in sp:
        outs *= out_size(n, k, s, p, d)
    if op == "separable":
        return 2.0 * N * outs * (cin * k * k + cin * cout)
    return 2.0 * N * cout * outs * cin * k ** len(sp)


def make(name):
    op, N, cin, cout, sp, k, s, p, ex = CASES[name]
    d = ex.get("dilation", 1)
    x = torch.randn(N, cin, *sp)
    dims = len(sp)
    if op.startswith("convT"):
        w = torch.randn(cin, cout, *([k] * dims))
        b = torch.randn(cout)
        f = F.conv_transpose2d if dims == 2 else F.conv_transpose3d if dims == 3 else F.conv_transpose1d
        return lambda: f(x, w, b, s, p)
    if op == "separable":
        wd = torch.randn(cin, 1, k, k)
        wp = torch.randn(cout, cin, 1, 1)
        b = torch.randn(cout)
        return lambda: F.conv2d(F.conv2d(x, wd, None, s, p, 1, cin), wp, b)
    w = torch.randn(cout, cin, *([k] * dims))
    b = torch.randn(cout)
    f = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[dims]
    mode = ex.get("mode")
    act = {"relu": F.relu, "silu": F.silu}.get(ex.get("act"), lambda t: t)
    if mode:
        return lambda: act(f(F.pad(x, [p] * (2 * dims), mode=mode), w, b, s, 0, d))
    return lambda: act(f(x, w, b, s, p, d))


def bench(fn, min_rep_s=0.06, reps=7):
    for _ in range(3):
        fn()
    iters = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_rep_s:
            break
        iters = max(iters * 2, int(iters * min_rep_s * 1.2 / max(dt, 1e-9)))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        times.append((time.perf_counter() - t0) / iters)
    return statistics.median(times), min(times)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    only = set(sys.argv[2:])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with torch.no_grad():
        for name in CASES:
            if only and name not in only:
                continue
            med, mn = bench(make(name))
            print(json.dumps(dict(peer="pytorch", case=name, threads=threads, ms_median=round(med * 1e3, 4),
                                  ms_min=round(mn * 1e3, 4), gflops=round(flops(name) / med * 1e-9, 2))), flush=True)


if __name__ == "__main__":
    main()
