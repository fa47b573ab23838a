#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The authors' E-RFDN x4 (RFDN_AIM.pth) through the whole chain: conversion by
tools/pth2safetensors.py, parity of the C network with PyTorch on odd sizes
(max |C - PyTorch| <= 1e-3 on the [0, 255] scale), and Set5 x4 evaluation with
the CLI, which must give the PyTorch numbers of MODELS.md within 0.01 dB and
0.001: Set5 32.1589 dB / 0.8946 and Set14 28.5507 dB / 0.7809 (Set14 holds a
grayscale image), with LR images generated in C that match the shared LR_x4
files byte for byte.

Skips (exit 77) where the official file or python3-torch is absent.
  test_official.py RUN_FIXTURE RFDN_UPSCALE
"""
import os
import re
import subprocess
import sys
import tempfile

SRC = os.environ.get("RFDN_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))
SHARED = os.environ.get("RFDN_SHARED_DIR", os.path.join(SRC, "..", "shared"))
PTH = os.environ.get("RFDN_OFFICIAL_MODEL", os.path.join(SHARED, "models", "RFDN_AIM.pth"))
sys.path.insert(0, os.path.join(SRC, "tools"))


def main():
    run_fixture, cli = sys.argv[1], sys.argv[2]
    if not os.path.exists(PTH):
        print("SKIP: %s not found (set RFDN_OFFICIAL_MODEL or RFDN_SHARED_DIR)" % PTH)
        return 77
    try:
        import numpy as np
        import torch
        import reference
    except ImportError as e:
        print("SKIP: %s" % e)
        return 77
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "e-rfdn-x4-official.safetensors")
        subprocess.run([sys.executable, os.path.join(SRC, "tools", "pth2safetensors.py"),
                        PTH, model, "--license", "MIT", "--training-data", "DF2K",
                        "--source", "AIM 2020, njulj/RFDN"], check=True)
        net, meta = reference.model_from_file(model)
        assert meta["architecture"] == "e-rfdn" and meta["scale"] == "4"
        net = net.double()
        for (w, h) in [(1, 1), (7, 13), (15, 15), (16, 17), (64, 48)]:
            x = reference.fixture_input(w, h, 7 * w + h)
            with torch.no_grad():
                y = net(x.unsqueeze(0).double())[0].float().numpy()
            fin, fout = os.path.join(tmp, "in.bin"), os.path.join(tmp, "out.bin")
            reference.write_fixture(fin, 4, x.numpy(), y)
            subprocess.run([run_fixture, model, fin, fout], check=True)
            data = open(fout, "rb").read()
            n = 3 * w * h
            c = np.frombuffer(data[24 + 4 * n:], dtype="<f4")
            d = float(np.abs(c - y.reshape(-1)).max())
            print("official %3dx%-3d max |C - PyTorch| = %.2e" % (w, h, d))
            if not d <= 1e-3:
                print("FAIL: difference above 1e-3")
                failures += 1

        # PyTorch's numbers (MODELS.md); Set14 has a grayscale image
        for name, want_psnr, want_ssim in (("Set5", 32.1589, 0.8946),
                                           ("Set14", 28.5507, 0.7809)):
            ev = os.path.join(SHARED, "datasets", "eval", name)
            if not os.path.isdir(ev):
                print("SKIP of the %s part: %s not found" % (name, ev))
                continue
            r = subprocess.run([cli, "eval", "--model-file", model, "--check-lr",
                                os.path.join(ev, "LR_x4"), os.path.join(ev, "HR")],
                               capture_output=True, text=True)
            print(r.stdout + r.stderr)
            m = re.search(r"^average\s+([\d.]+)\s+([\d.]+)", r.stdout, re.M)
            if r.returncode != 0 or not m:
                print("FAIL: eval exited %d" % r.returncode)
                failures += 1
                continue
            psnr, ssim = float(m.group(1)), float(m.group(2))
            # the .pth read directly by the engine (no conversion, no Python)
            r2 = subprocess.run([cli, "eval", "--model", "e-rfdn", "--scale", "4",
                                 "--official", PTH, os.path.join(ev, "HR")],
                                capture_output=True, text=True)
            # (the first line names the file and whose weights: the table after it)
            table = lambda out: out.split("\n", 1)[-1]
            if r2.returncode != 0 or table(r2.stdout) != table(r.stdout):
                print("FAIL: eval with --official %s differs from the converted file:\n%s%s"
                      % (PTH, r2.stdout, r2.stderr))
                failures += 1
            else:
                print("eval with --official RFDN_AIM.pth: identical output")
            if abs(psnr - want_psnr) > 0.01 or abs(ssim - want_ssim) > 0.001:
                print("FAIL: %s x4 %.4f dB / %.4f, expected %.4f / %.4f"
                      % (name, psnr, ssim, want_psnr, want_ssim))
                failures += 1
        # Seams: Set14 images upscaled with forced 96-pixel tiles must match
        # the whole-image result to 1 level, PSNR >= 60 dB (two images, which
        # tile 2 x 2, to keep the sanitizer build's time reasonable).
        lr_dir = os.path.join(SHARED, "datasets", "eval", "Set14", "LR_x4")
        if os.path.isdir(lr_dir):
            from PIL import Image
            for name in ("baboon.png", "zebra.png"):
                outs = []
                for tile in ("0", "96"):
                    o = os.path.join(tmp, "%s-%s.png" % (name, tile))
                    subprocess.run([cli, "-q", "--tile", tile, "--model-file", model,
                                    os.path.join(lr_dir, name), "-o", o], check=True)
                    outs.append(np.asarray(Image.open(o), dtype=np.float64))
                d = np.abs(outs[0] - outs[1])
                mse = (d ** 2).mean()
                psnr = 10 * np.log10(255.0 ** 2 / mse) if mse else float("inf")
                print("tile 96 vs whole, %s: max diff %.0f, PSNR %.2f dB" % (name, d.max(), psnr))
                if d.max() > 1 or psnr < 60:
                    print("FAIL: visible tile seams")
                    failures += 1
        # Halos: a flat-coloured sprite on transparent black must keep its
        # colour up to its edges (without the fill of hidden colour, edge
        # pixels came out up to 179 levels darker).
        from PIL import Image
        yy, xx = np.mgrid[0:48, 0:48]
        sprite = np.zeros((48, 48, 4), np.uint8)
        sprite[np.hypot(xx - 23.5, yy - 23.5) < 15] = (230, 180, 40, 255)
        sp, so = os.path.join(tmp, "sprite.png"), os.path.join(tmp, "sprite-x4.png")
        Image.fromarray(sprite).save(sp)
        subprocess.run([cli, "-q", "--model-file", model, sp, "-o", so], check=True)
        o = np.asarray(Image.open(so), dtype=np.float64)
        visible = o[..., 3] >= 128
        worst = np.abs(o[..., :3] - np.array([230, 180, 40]))[visible].max()
        print("sprite: %d visible pixels, max colour difference %.0f" % (visible.sum(), worst))
        if worst > 8:
            print("FAIL: colour halo at the sprite's edge")
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
