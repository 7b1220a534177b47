#!/usr/bin/python3
"""Time whole-network inference in PyTorch (1.13, oneDNN inside) on the networks of ConvGen's network fixtures, so
ConvGen's end-to-end figures have a peer. Prints one JSON line per (peer, network, batch), after a first line that
records the run: date, machine (lscpu model name), torch version and threads.

Usage: /usr/bin/python3 torch_network.py T [--default-malloc] [case ...]
       (T defaults to $OMP_NUM_THREADS, else 1; run one process per thread count. Cases: lenet_b1 lenet_b8
        mobile_b1 mobile_b8.)

Environment (set by the script when unset, and recorded in the first line):
  OMP_NUM_THREADS, OPENBLAS_NUM_THREADS = T   the OpenMP and BLAS pools torch.set_num_threads(T) does not size alone.
  OPENBLAS_CORETYPE=SkylakeX (on AVX-512 CPUs, replacing any inherited value, which is recorded: this machine's
                                              image sets Haswell, whose AVX2 sgemm is ~2x slower here) OpenBLAS
                                              0.3.21 does not know this CPU model and would fall back to its SSE3
                                              kernels (see ../shared/bench/run_all.sh). PyTorch's native
                                              convolution path (im2col + sgemm) and nn.Linear use libblas.so.3,
                                              which must be OpenBLAS (apt-get install libopenblas-dev): Debian's
                                              reference BLAS is ~30x slower. The "blas" field says what was loaded.
  MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ = 1 GiB   (the script re-executes itself to set them; glibc reads
                                              them at start-up). With glibc's defaults, activation buffers above its
                                              dynamic mmap threshold are mapped and unmapped on every call, and on
                                              this VM a page fault costs ~16 us: mobile_b8 measured anywhere from
                                              ~1.0 to 3.5 ms depending on the allocator's history in the process.
                                              Keeping freed memory in the heap (what jemalloc/tcmalloc, which
                                              PyTorch's performance guides recommend, do too) makes the figures
                                              reproducible and shows PyTorch at its best. --default-malloc measures
                                              glibc's defaults instead. "minflt_per_call" shows faults still taken.

The networks are the classes of tests/ConvGen.Layers.Tests/Data/make_network_fixtures.py (imported from there, so
they cannot drift), seeded as in the fixtures, float32, eval mode, under torch.no_grad():
  lenet   [N,1,28,28]  conv5x5(1->6,p2)+relu, maxpool2, conv5x5(6->16)+relu, avgpool2, fc 400-120-84-10 (relu)
  mobile  [N,3,32,32]  conv3x3 s2(3->16)+relu6, dw3x3(16)+pw(16->32)+relu, dw3x3 s2(32)+relu, pw(32->64)+silu,
                       global avgpool, fc 64-10
Peers (the "peer" field):
  pytorch          eager model(x), what `model.eval()` + `torch.no_grad()` runs.
  pytorch-jit      torch.jit.freeze(torch.jit.trace(model, x)): what a performance-minded user deploys (weights
                   folded as constants, the graph optimised once).
  pytorch-jit-ofi  torch.jit.optimize_for_inference(that frozen module): also converts convolutions to oneDNN
                   layouts where PyTorch judges it pays.
Each variant's output is compared with eager's ("max_abs_diff_vs_eager").

Timing as in ../../../../shared/bench/peers/torch_conv.py: a time-based warm-up, calls per repetition calibrated so
a repetition lasts >= 60 ms, then repetitions until 7 are uncontended (run-queue wait < 2% of the repetition, read
from /proc/self/task/*/schedstat; at most 21); median and min per-call time of the 7 least-contended, in
microseconds. "runq_wait_pct" is the worst wait among those 7: above 2 the figure was taken on a busy machine.
"""
import os
import sys

DEFAULT_MALLOC = "--default-malloc" in sys.argv[1:]
ARGS = [a for a in sys.argv[1:] if a != "--default-malloc"]
THREADS = int(ARGS[0]) if ARGS else int(os.environ.get("OMP_NUM_THREADS", "1"))
MALLOC_ENV = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
if not DEFAULT_MALLOC and not all(k in os.environ for k in MALLOC_ENV):
    for k in MALLOC_ENV:
        os.environ.setdefault(k, str(1 << 30))
    os.execv(sys.executable, [sys.executable] + sys.argv)  # glibc reads MALLOC_* only at process start-up
# OpenMP and OpenBLAS read these when torch loads them: set them first
os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(THREADS))
INHERITED_CORETYPE = os.environ.get("OPENBLAS_CORETYPE")
with open("/proc/cpuinfo") as _f:
    _flags = next((line.split(":", 1)[1].split() for line in _f if line.startswith("flags")), [])
if all(f in _flags for f in ("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")):
    os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"  # overrides e.g. a machine-wide Haswell: AVX-512 sgemm is ~2x

import datetime, json, platform, resource, statistics, subprocess, time  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "ConvGen.Layers.Tests", "Data"))
sys.dont_write_bytecode = True  # no __pycache__ beside the committed fixtures
import make_network_fixtures as fixtures  # noqa: E402

NETWORKS = ("lenet", "mobile")
BATCHES = (1, 8)
REPS, MAX_REPS, CONTENDED_FRAC = 7, 21, 0.02


def runq_wait_ns():
    """Sum over our threads of run-queue wait (2nd field of /proc/self/task/*/schedstat)."""
    tot = 0
    for t in os.listdir("/proc/self/task"):
        try:
            with open("/proc/self/task/%s/schedstat" % t) as f:
                tot += int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return tot


def bench(fn, min_rep_s=0.06, warmup_s=0.2):
    t0 = time.perf_counter(); n = 0
    while time.perf_counter() - t0 < warmup_s or n < 10:
        fn(); n += 1
    iters = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_rep_s:
            break
        iters = max(iters * 2, int(iters * min_rep_s * 1.2 / max(dt, 1e-9)))
    reps, clean = [], 0
    while len(reps) < MAX_REPS and clean < REPS:
        w0 = runq_wait_ns(); t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        dt = time.perf_counter() - t0
        wf = (runq_wait_ns() - w0) * 1e-9 / dt
        reps.append((wf, dt / iters))
        clean += wf < CONTENDED_FRAC
    sel = sorted(reps)[:REPS]
    times = sorted(t for _, t in sel)
    return dict(med=statistics.median(times), mn=times[0], mx=times[-1], iters=iters, clean=clean,
                total=len(reps), wait_pct=100.0 * max(w for w, _ in sel))


def machine():
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def debian_version():
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"], capture_output=True, text=True)
        return r.stdout.strip() or None
    except OSError:
        return None


def loaded_blas():
    """The BLAS library mapped into this process (what libblas.so.3 resolved to)."""
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "blas" in line.rsplit("/", 1)[-1]})
    return ", ".join(libs) or None


def minflt():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def variants(model, x):
    yield "pytorch", model
    traced = torch.jit.freeze(torch.jit.trace(model, x))
    yield "pytorch-jit", traced
    yield "pytorch-jit-ofi", torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.trace(model, x)))


def main():
    only = set(ARGS[1:])
    torch.set_num_threads(THREADS)
    torch.zeros(4, 4) @ torch.zeros(4, 4)  # loads the BLAS
    env = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE",
                                          "OMP_WAIT_POLICY") + MALLOC_ENV if os.environ.get(k) is not None}
    print(json.dumps(dict(run="torch_network", date=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                          machine=machine(), cores=os.cpu_count(), torch=torch.__version__, debian=debian_version(),
                          threads=THREADS, torch_threads=torch.get_num_threads(), onednn=torch.backends.mkldnn.is_available(),
                          blas=loaded_blas(), malloc="glibc defaults" if DEFAULT_MALLOC else "glibc, mmap/trim threshold 1 GiB",
                          env=env, inherited_openblas_coretype=INHERITED_CORETYPE)), flush=True)
    with torch.no_grad():
        for name in NETWORKS:
            model, _ = fixtures.build(name)
            for batch in BATCHES:
                case = "%s_b%d" % (name, batch)
                if only and case not in only:
                    continue
                torch.manual_seed(batch)
                x = torch.randn(batch, *fixtures.NETWORKS[name].INPUT, dtype=torch.float32)
                ref = model(x)
                for peer, fn in variants(model, x):
                    diff = (fn(x) - ref).abs().max().item()
                    b = bench(lambda: fn(x))
                    f0 = minflt()
                    for _ in range(b["iters"]):
                        fn(x)
                    faults = (minflt() - f0) / b["iters"]
                    print(json.dumps(dict(peer=peer, version=torch.__version__, case=case, network=name, batch=batch,
                                          threads=THREADS, median_us=round(b["med"] * 1e6, 2),
                                          min_us=round(b["mn"] * 1e6, 2), max_us=round(b["mx"] * 1e6, 2),
                                          reps=REPS, calls_per_rep=b["iters"], clean_reps=b["clean"],
                                          total_reps=b["total"], runq_wait_pct=round(b["wait_pct"], 2),
                                          minflt_per_call=round(faults, 1),
                                          max_abs_diff_vs_eager=float("%.2e" % diff))), flush=True)


if __name__ == "__main__":
    main()
