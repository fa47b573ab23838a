#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Side-by-side speed of the engine (rfdn-bench) and PyTorch CPU on the same
model and input sizes, interleaved in one run (the machine is noisy).

  bench/compare_pytorch.py --bench build/bench/rfdn-bench MODEL.safetensors \
      [--sizes 128,256] [--threads 1,2] [--rounds 3] [--reps 5]

PyTorch runs the reference network of tools/reference.py in eval mode under
no_grad with the same thread count, in two variants: out of the box (NCHW)
and its best (channels_last + inference_mode), both with glibc's malloc
tuned as ../shared/docs/PERF.md advises (MALLOC_MMAP_MAX_=0,
MALLOC_TRIM_THRESHOLD_ huge).  Each configuration runs in its own process;
rounds alternate engine and PyTorch.  Prints median milliseconds, effective
GFLOP/s and the speed-up of the engine over each PyTorch variant.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))

TORCH_CHILD = r"""
import os, sys, time, torch
sys.path.insert(0, %(tools)r)
import reference
torch.set_num_threads(%(threads)d)
net, meta = reference.model_from_file(%(model)r)
x = torch.rand(1, 3, %(size)d, %(size)d) * 255
if %(best)r:
    net = net.to(memory_format=torch.channels_last)
    x = x.contiguous(memory_format=torch.channels_last)
ctx = torch.inference_mode if %(best)r else torch.no_grad
times = []
with ctx():
    net(x)
    for _ in range(%(reps)d):
        t = time.perf_counter(); net(x); times.append(time.perf_counter() - t)
times.sort()
print("median_ms %%.3f" %% (times[len(times) // 2] * 1e3))
"""


def macs_per_pixel(meta):
    nf, blocks, s = int(meta["nf"]), int(meta["blocks"]), int(meta["scale"])
    dc, fc = nf // 2, nf // 4
    block = 3 * nf * dc + 3 * nf * nf * 9 + nf * dc * 9 + 4 * dc * nf
    if meta["attention"] == "esa":
        block += nf * fc + fc * fc + fc * nf + fc * fc * 9 / 4.0 + 3 * fc * fc * 9 / 36.0
    return 3 * nf * 9 + blocks * block + blocks * nf * nf + nf * nf * 9 + nf * 3 * s * s * 9


def run_torch(model, size, threads, reps, best):
    env = dict(os.environ, MALLOC_MMAP_MAX_="0", MALLOC_TRIM_THRESHOLD_="68719476736",
               OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    code = TORCH_CHILD % {"tools": os.path.join(HERE, "..", "tools"), "threads": threads,
                          "model": model, "size": size, "reps": reps, "best": best}
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(re.search(r"median_ms ([\d.]+)", out).group(1))


def run_engine(bench, model, size, threads, reps):
    out = subprocess.run([bench, "--sizes", str(size), "--threads", str(threads), "--reps",
                          str(reps), model], check=True, capture_output=True, text=True).stdout
    line = out.strip().splitlines()[-1].split()
    return float(line[3])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--sizes", default="128,256")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("model")
    a = ap.parse_args()
    import reference
    _, meta = reference.load_safetensors(a.model)
    mpp = macs_per_pixel(meta)
    sizes = [int(v) for v in a.sizes.split(",")]
    threads = [int(v) for v in a.threads.split(",")]
    res = {}
    for _ in range(a.rounds):
        for size in sizes:
            for t in threads:
                for kind in ("engine", "torch", "torch-best"):
                    if kind == "engine":
                        ms = run_engine(a.bench, a.model, size, t, a.reps)
                    else:
                        ms = run_torch(a.model, size, t, a.reps, kind == "torch-best")
                    res.setdefault((size, t, kind), []).append(ms)
    name = "%s x%s" % (meta["architecture"], meta["scale"])
    print("| model | size | threads | engine ms | GFLOP/s | PyTorch ms | PyTorch best ms "
          "| vs PyTorch | vs best |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        for t in threads:
            e = statistics.median(res[(size, t, "engine")])
            p = statistics.median(res[(size, t, "torch")])
            b = statistics.median(res[(size, t, "torch-best")])
            gf = 2 * mpp * size * size / (e * 1e-3) * 1e-9
            print("| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.2fx | %.2fx |"
                  % (name, size, t, e, gf, p, b, p / e, b / e))


if __name__ == "__main__":
    main()
