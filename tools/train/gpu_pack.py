#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pack ../shared/datasets (train + Set5/Set14) for the device tool's GPU.

The device tool sends at most 64 MiB per call, the data is ~140 MB, so it
goes in chunks .gpu/a, .gpu/b, ... (ignored by git through .git/info/exclude),
one per call; tools/train/gpu_run.sh gathers them on the warm machine.
PNGs become lossless WebP (2/3 of the size; every copy is decoded again and
compared with the original, pixel for pixel, after conversion to RGB as
train.py loads it).  JPEGs travel unchanged.

  tools/train/gpu_pack.py [--max-mb 44]
"""
import argparse
import io
import multiprocessing
import os
import shutil
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from train import ROOT, SHARED, is_image  # noqa: E402


def convert(job):
    src, rel = job
    if src.lower().endswith(".png") and "/train/" in src:
        with Image.open(src) as im:
            rgb = im.convert("RGB")
        b = io.BytesIO()
        rgb.save(b, "WEBP", lossless=True, quality=50, method=4)
        back = np.array(Image.open(io.BytesIO(b.getvalue())).convert("RGB"))
        if not np.array_equal(back, np.array(rgb)):
            raise SystemExit("gpu_pack: lossless WebP differs for %s" % src)
        return os.path.splitext(rel)[0] + ".webp", b.getvalue()
    with open(src, "rb") as f:
        return rel, f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-mb", type=float, default=44)
    ap.add_argument("--out", default=os.path.join(ROOT, ".gpu"))
    a = ap.parse_args()
    jobs = []
    for top in ("datasets/train", "datasets/eval/Set5", "datasets/eval/Set14"):
        base = os.path.join(SHARED, top)
        for dp, _, files in os.walk(base):
            for f in sorted(files):
                if is_image(f):
                    src = os.path.join(dp, f)
                    jobs.append((src, os.path.relpath(src, SHARED)))
    with multiprocessing.Pool(os.cpu_count()) as pool:
        items = pool.map(convert, jobs, chunksize=4)
    shutil.rmtree(a.out, ignore_errors=True)
    limit = a.max_mb * 1e6
    chunks, size = [[]], 0
    for rel, data in items:
        if size + len(data) > limit and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append((rel, data))
        size += len(data)
    for i, chunk in enumerate(chunks):
        d = os.path.join(a.out, "abcdefgh"[i])
        for rel, data in chunk:
            p = os.path.join(d, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        print("%s: %d files, %.1f MB" % (d, len(chunk), sum(len(x) for _, x in chunk) / 1e6))
    with open(os.path.join(a.out, "expected"), "w") as f:
        f.write("%d\n" % len(items))
    print("%d files in %d chunks" % (len(items), len(chunks)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
