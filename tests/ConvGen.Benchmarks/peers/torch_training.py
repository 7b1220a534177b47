#!/usr/bin/python3
"""Time one PyTorch (1.13, oneDNN inside) training step of the training sample's network
(samples/ConvGen.Samples.Training), so ConvGen's generated backward passes and optimizers have a peer; optionally
train the network on Fashion-MNIST to show what accuracy it reaches.

Usage: /usr/bin/python3 torch_training.py [--threads T[,T...]] [--blas-threads B] [--cases CASE[,CASE...]]
                                          [--out FILE] [--no-append] [--default-malloc] [--quiet-wait S]
                                          [--accuracy] [--epochs N] [--data DIR]
  Timing (the default): for each thread count (default 1,2; one child process each, because OpenMP and OpenBLAS
  size their pools when torch loads), batch 32 and 1, optimizer SGD (lr 0.01, momentum 0.9) and Adam (lr 1e-3),
  peer "pytorch" (eager) and "pytorch-jit" (torch.jit.script of the module; the optimizer and the loss stay eager),
  one JSON line per case after a first line per process that records the run (date, machine, torch version,
  threads, BLAS, environment). --cases keeps only the named cases (training_step_b32_sgd, training_step_b1_adam, ...;
  peer:case for one peer). Lines are printed and appended to docs/perf/peers-training.jsonl (--out, or
  --no-append to only print).
  --accuracy: instead of timing, train the network for 3 epochs (--epochs) with Adam lr 1e-3, batch 32, on 2 threads
  (--threads), on Fashion-MNIST from the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist,
  or $CONVGEN_FASHION_MNIST, or --data DIR; the gzip'ed IDX files the C# sample reads), and print (and append) one
  line per epoch: train loss and accuracy, test accuracy, wall time ("epoch_train_s"; "runq_wait_pct" is the time our
  threads waited for a core, summed over them, as a share of it: above a few percent the time is not PyTorch's).

The network (its module names are the fields of the C# [Network] class, so a state_dict can cross over):
  conv1 Conv2d(1, 16, 3, padding=1) + ReLU, pool1 MaxPool2d(2), conv2 Conv2d(16, 32, 3, padding=1) + ReLU,
  pool2 MaxPool2d(2), flatten, fc1 Linear(32*7*7, 128) + ReLU, fc2 Linear(128, 10); input [N, 1, 28, 28].
One step = forward + F.cross_entropy (mean over the batch) + backward + optimizer.step() + optimizer.zero_grad()
(1.13's default set_to_none=False: the gradients are zeroed in place, as a preallocated C# gradient buffer would be;
Adam and SGD run their default single-tensor loops on CPU). Inputs are one fixed random batch, standard normal like
normalised images, with random labels; the weights keep changing as the steps run, which does not change the work.
"max_abs_diff_vs_eager" compares the jit module's loss and parameters after 3 steps from the same initialisation.

Environment (set by the script, and recorded in the first line), as in torch_network.py except for OpenBLAS's threads:
  OMP_NUM_THREADS = T (torch.set_num_threads(T) too). OPENBLAS_NUM_THREADS = 1 (--blas-threads B to change): in
  training PyTorch runs OpenBLAS's sgemm (the convolutions' im2col + GEMM, forward and backward, and nn.Linear) from
  its own OpenMP threads, and with OpenBLAS's pthread pool also at 2, four busy-waiting threads share the 2 cores:
  on an idle machine (2026-11-29, T=2, eager SGD) batch 32 took 5.2-8.2 ms per step and batch 1 1.9-2.4 ms with
  run-queue waits near 100% of the step; OMP_WAIT_POLICY=passive cut the waits but not the time (6.2 ms, 1.0 ms);
  OPENBLAS_NUM_THREADS=1 gave 4.6 ms and 0.74 ms, clean. With T=1 both settings are the same.
  OPENBLAS_CORETYPE=SkylakeX on AVX-512 CPUs (OpenBLAS 0.3.21 does not know
  newer models and would fall back to SSE3 kernels; the inherited value is recorded); MALLOC_MMAP_THRESHOLD_ and
  MALLOC_TRIM_THRESHOLD_ = 1 GiB (the script re-executes itself to set them; --default-malloc keeps glibc's
  defaults) so activation and gradient buffers are not mapped and unmapped on every step.

Timing as in torch_network.py: a time-based warm-up, steps per repetition calibrated so a repetition lasts >= 60 ms,
then repetitions until 7 are uncontended (run-queue wait < 2% of the repetition, from /proc/self/task/*/schedstat;
at most 21); median and min per-step time of the 7 least-contended, in microseconds ("median_us", "min_us"),
and images per second at the median. Before each case the script waits (at most --quiet-wait seconds, default 180)
until other processes use < 15% of the machine, as ../shared/bench/common/wait_quiet.sh does ("quiet_wait_s",
"busy_before_pct"); on 2 cores a 2-thread figure taken beside a build is worth nothing (OpenMP threads spin).
"""
import os
import subprocess
import sys


def option(name, default=None):
    if name in sys.argv:
        i = sys.argv.index(name)
        if i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        sys.exit("%s needs a value" % name)
    return default


ACCURACY = "--accuracy" in sys.argv
DEFAULT_MALLOC = "--default-malloc" in sys.argv
CHILD = option("--child")  # the thread count of a timing child process (set by the parent)
THREADS = [int(t) for t in option("--threads", "2" if ACCURACY else "1,2").split(",")]
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
OUT = option("--out", os.path.join(REPO, "docs", "perf", "peers-training.jsonl"))
APPEND = "--no-append" not in sys.argv


def main_parent():
    """Runs one child per thread count (timing) or one child on the given threads (accuracy); appends their lines."""
    lines = []
    for t in (THREADS[:1] if ACCURACY else THREADS):
        env = dict(os.environ)
        env["OMP_NUM_THREADS"] = str(t)  # a parent's own value would set the wrong pool size
        env["OPENBLAS_NUM_THREADS"] = option("--blas-threads", "1")  # see "Environment" above
        argv = [a for a in sys.argv[1:]]
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", str(t)] + argv,
                                env=env, stdout=subprocess.PIPE, text=True)
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if line.startswith("{"):
                lines.append(line)
        if proc.wait() != 0:
            sys.exit("torch_training.py: the child for %d thread(s) failed (exit code %d)" % (t, proc.returncode))
    if APPEND and lines:
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        with open(OUT, "a") as f:
            f.writelines(lines)
        print("appended %d lines to %s" % (len(lines), OUT), file=sys.stderr)


if CHILD is None:
    main_parent()
    sys.exit(0)

T = int(CHILD)
MALLOC_ENV = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
if not DEFAULT_MALLOC and not all(k in os.environ for k in MALLOC_ENV):
    for k in MALLOC_ENV:
        os.environ.setdefault(k, str(1 << 30))
    os.execv(sys.executable, [sys.executable] + sys.argv)  # glibc reads MALLOC_* only at process start-up
os.environ.setdefault("OMP_NUM_THREADS", str(T))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see "Environment" in the docstring
INHERITED_CORETYPE = os.environ.get("OPENBLAS_CORETYPE")
with open("/proc/cpuinfo") as _f:
    _flags = next((line.split(":", 1)[1].split() for line in _f if line.startswith("flags")), [])
if all(f in _flags for f in ("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")):
    os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"

import datetime, gzip, json, platform, statistics, struct, time  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

BATCHES = (32, 1)
OPTIMIZERS = ("sgd", "adam")
REPS, MAX_REPS, CONTENDED_FRAC = 7, 21, 0.02
QUIET_WAIT_S = float(option("--quiet-wait", "180"))
CASES = set(c for c in option("--cases", "").split(",") if c)  # e.g. training_step_b32_sgd or pytorch-jit:training_step_b1_adam
MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST training-set mean and standard deviation of pixels in [0, 1]
DATA_DIR = option("--data", os.environ.get("CONVGEN_FASHION_MNIST") or "/usr/share/datasets/fashion-mnist")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool2 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(32 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        x = F.relu(self.fc1(self.flatten(x)))
        return self.fc2(x)


def make_optimizer(name, model):
    if name == "sgd":
        return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    return torch.optim.Adam(model.parameters(), lr=1e-3)


def make_model(peer, seed=0):
    torch.manual_seed(seed)
    model = Net()
    model.train()
    return torch.jit.script(model) if peer == "pytorch-jit" else model


def make_step(model, opt, x, y):
    def step():
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        opt.zero_grad()
        return loss
    return step


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


def bench(fn, min_rep_s=0.06, warmup_s=0.3):
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


def cpu_busy_pct(window_s=2.0):
    """Share of the machine's CPU time (all cores) that was not idle over the window (we are idle meanwhile)."""
    def read():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        return sum(v), v[3] + v[4]
    t0, i0 = read()
    time.sleep(window_s)
    t1, i1 = read()
    return 100.0 * ((t1 - t0) - (i1 - i0)) / max(t1 - t0, 1)


def wait_quiet():
    """As ../shared/bench/common/wait_quiet.sh: wait (at most --quiet-wait seconds, default 180) until other processes
    use < 15% of the machine over 2 s; returns the seconds waited and the last busy share."""
    start = time.perf_counter()
    while True:
        busy = cpu_busy_pct()
        waited = time.perf_counter() - start
        if busy < 15 or waited >= QUIET_WAIT_S:
            if busy >= 15:
                print("torch_training.py: other processes still use %.0f%% CPU after %.0f s; measuring anyway "
                      "(contended repetitions are flagged)" % (busy, waited), file=sys.stderr, flush=True)
            return round(waited, 1), round(busy, 1)


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
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "blas" in line.rsplit("/", 1)[-1]})
    return ", ".join(libs) or None


def run_line(kind):
    env = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE",
                                          "OMP_WAIT_POLICY") + MALLOC_ENV if os.environ.get(k) is not None}
    return dict(run=kind, date=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                machine=machine(), cores=os.cpu_count(), torch=torch.__version__, debian=debian_version(),
                threads=T, torch_threads=torch.get_num_threads(), onednn=torch.backends.mkldnn.is_available(),
                blas=loaded_blas(), malloc="glibc defaults" if DEFAULT_MALLOC else "glibc, mmap/trim threshold 1 GiB",
                env=env, inherited_openblas_coretype=INHERITED_CORETYPE)


def jit_diff(opt_name, x, y):
    """Largest |difference| between eager and scripted loss and parameters after 3 steps from the same weights."""
    results = []
    for peer in ("pytorch", "pytorch-jit"):
        model = make_model(peer)
        step = make_step(model, make_optimizer(opt_name, model), x, y)
        for _ in range(3):
            loss = step()
        results.append([loss.detach().reshape(1)] + [p.detach().clone() for p in model.parameters()])
    return max((a - b).abs().max().item() for a, b in zip(*results))


def main_timing():
    print(json.dumps(run_line("torch_training")), flush=True)
    for batch in BATCHES:
        torch.manual_seed(1000 + batch)
        x = torch.randn(batch, 1, 28, 28)
        y = torch.randint(0, 10, (batch,))
        for opt_name in OPTIMIZERS:
            for peer in ("pytorch", "pytorch-jit"):
                case = "training_step_b%d_%s" % (batch, opt_name)
                if CASES and case not in CASES and "%s:%s" % (peer, case) not in CASES:
                    continue
                try:
                    model = make_model(peer)
                    diff = 0.0 if peer == "pytorch" else jit_diff(opt_name, x, y)
                except Exception as e:  # noqa: BLE001 - torch.jit.script failing is a result, not a crash
                    print(json.dumps(dict(peer=peer, batch=batch, optimizer=opt_name, threads=T,
                                          skipped="%s: %s" % (type(e).__name__, str(e).splitlines()[0]))), flush=True)
                    continue
                step = make_step(model, make_optimizer(opt_name, model), x, y)
                waited, busy = wait_quiet()
                b = bench(step)
                print(json.dumps(dict(peer=peer, version=torch.__version__, case=case,
                                      network="fashion_cnn", batch=batch, optimizer=opt_name, threads=T,
                                      median_us=round(b["med"] * 1e6, 2), min_us=round(b["mn"] * 1e6, 2),
                                      max_us=round(b["mx"] * 1e6, 2), images_per_s=round(batch / b["med"], 1),
                                      reps=REPS, steps_per_rep=b["iters"], clean_reps=b["clean"],
                                      total_reps=b["total"], runq_wait_pct=round(b["wait_pct"], 2),
                                      quiet_wait_s=waited, busy_before_pct=busy,
                                      max_abs_diff_vs_eager=float("%.2e" % diff))), flush=True)


def read_idx(path, magic, dims):
    """A gzip'ed IDX file as a numpy uint8 array, after checking the magic number and the sizes."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 + 4 * len(dims) or struct.unpack(">i", data[:4])[0] != magic:
        raise ValueError("%s is not an IDX file with magic 0x%08x" % (path, magic))
    shape = struct.unpack(">" + "i" * len(dims), data[4:4 + 4 * len(dims)])
    if any(d is not None and s != d for s, d in zip(shape, dims)):
        raise ValueError("%s has shape %s, expected %s" % (path, shape, dims))
    count = int(np.prod(shape))
    body = data[4 + 4 * len(dims):]
    if len(body) != count:
        raise ValueError("%s holds %d bytes of data, its header says %d" % (path, len(body), count))
    return np.frombuffer(body, dtype=np.uint8).reshape(shape)


def load(split):
    images = read_idx(os.path.join(DATA_DIR, "%s-images-idx3-ubyte.gz" % split), 0x803, (None, 28, 28))
    labels = read_idx(os.path.join(DATA_DIR, "%s-labels-idx1-ubyte.gz" % split), 0x801, (images.shape[0],))
    x = (torch.from_numpy(images.astype(np.float32)) / 255.0 - MEAN) / STD
    return x.unsqueeze(1).contiguous(), torch.from_numpy(labels.astype(np.int64))


def main_accuracy():
    epochs = int(option("--epochs", "3"))
    waited, busy = wait_quiet()
    line = run_line("torch_training_accuracy")
    line.update(quiet_wait_s=waited, busy_before_pct=busy)
    print(json.dumps(line), flush=True)
    t0 = time.perf_counter()
    train_x, train_y = load("train")
    test_x, test_y = load("t10k")
    load_s = time.perf_counter() - t0
    model = make_model("pytorch")
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    shuffle = torch.Generator().manual_seed(0)
    batch = 32
    for epoch in range(1, epochs + 1):
        model.train()
        w0 = runq_wait_ns()
        t0 = time.perf_counter()
        order = torch.randperm(train_x.shape[0], generator=shuffle)
        total_loss, correct = 0.0, 0
        for i in range(0, train_x.shape[0], batch):
            idx = order[i:i + batch]
            x, y = train_x[idx], train_y[idx]
            out = model(x)
            loss = F.cross_entropy(out, y)
            loss.backward()
            opt.step()
            opt.zero_grad()
            total_loss += loss.item() * len(idx)
            correct += (out.argmax(1) == y).sum().item()
        train_s = time.perf_counter() - t0
        wait_pct = 100.0 * (runq_wait_ns() - w0) * 1e-9 / train_s
        model.eval()
        t1 = time.perf_counter()
        with torch.no_grad():
            test_correct = sum((model(test_x[i:i + 1000]).argmax(1) == test_y[i:i + 1000]).sum().item()
                               for i in range(0, test_x.shape[0], 1000))
        test_s = time.perf_counter() - t1
        print(json.dumps(dict(peer="pytorch", version=torch.__version__, case="fashion_mnist_adam_b32",
                              network="fashion_cnn", optimizer="adam", lr=1e-3, batch=batch, threads=T,
                              epoch=epoch, epochs=epochs, train_images=int(train_x.shape[0]),
                              test_images=int(test_x.shape[0]),
                              train_loss=round(total_loss / train_x.shape[0], 4),
                              train_accuracy=round(correct / train_x.shape[0], 4),
                              test_accuracy=round(test_correct / test_x.shape[0], 4),
                              epoch_train_s=round(train_s, 2), runq_wait_pct=round(wait_pct, 2),
                              test_eval_s=round(test_s, 2),
                              train_images_per_s=round(train_x.shape[0] / train_s, 1),
                              data_load_s=round(load_s, 2))), flush=True)


torch.set_num_threads(T)
torch.zeros(4, 4) @ torch.zeros(4, 4)  # loads the BLAS
if ACCURACY:
    main_accuracy()
else:
    main_timing()
