#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Train RFDN / E-RFDN (tools/reference.py) on ../shared/datasets/train.

Resumable at any moment: the checkpoint (model, optimizer, step, every RNG
state) is written atomically every --save-every steps and on SIGINT/SIGTERM;
running the same command again continues where it stopped.

  train.py --arch e-rfdn --scale 2 --run models/checkpoints/e-rfdn-x2 --steps 20000
  train.py --arch e-rfdn --scale 4 --run models/checkpoints/e-rfdn-x4 \
           --init-from models/checkpoints/e-rfdn-x2/ckpt.pt --steps 20000
  train.py --run models/checkpoints/e-rfdn-x2 --export models/e-rfdn-x2.safetensors

LR inputs are made with the MATLAB-compatible bicubic of tools/matlab_bicubic.py
from whole (mod-cropped) images, exactly as the evaluation makes them; crops
are taken from the pair afterwards.  The evaluation sets are refused as data.

--degrade photo trains a photo model (issue 23): each LR patch is made from
its HR crop by the random chain of tools/train/degrade.py (blur, kernels,
noise, JPEG), and validation measures Set5/Set14 with the LR saved as JPEG
at --val-jpeg quality (and Set5 clean), as `rfdn-upscale eval --jpeg` does:
  train.py --arch e-rfdn --scale 4 --degrade photo --run models/checkpoints/e-rfdn-x4-photo \
           --init-from models/checkpoints/e-rfdn-x4/ckpt.pt --steps 20000
"""

import argparse
import math
import os
import random
import signal
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import degrade  # noqa: E402  (tools/train/degrade.py)
import matlab_bicubic  # noqa: E402
import reference  # noqa: E402

SHARED = os.environ.get("RFDN_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
EVAL_NAMES = {"eval", "set5", "set14", "b100", "bsd100", "urban100", "manga109"}


def refuse_eval(path):
    parts = {p.lower() for p in os.path.realpath(path).split(os.sep)}
    if parts & EVAL_NAMES:
        raise SystemExit("train.py: refusing %s: evaluation images are never "
                         "training data" % path)


def load_rgb(path):
    from PIL import Image
    with Image.open(path) as im:
        return np.array(im.convert("RGB"))


# the training sets under datasets/train (never the evaluation sets)
TRAIN_SETS = ("T91", "BSD200", "SunHays80", "Photos")


def train_dirs(shared=SHARED):
    return [os.path.join(shared, "datasets", "train", d) for d in TRAIN_SETS]


def is_image(name):
    # .webp: the lossless copies tools/train/gpu_pack.py makes of the PNGs
    return name.lower().endswith((".png", ".jpg", ".jpeg", ".bmp", ".webp"))


def load_pair(d, name, scale, cache):
    """(HR, LR) of one training image; the LR is cached on disk, written
    atomically so that runs side by side can share the cache."""
    path = os.path.join(d, name)
    refuse_eval(path)
    hr = matlab_bicubic.modcrop(load_rgb(path), scale)
    key = os.path.join(cache, "%s_%s_x%d.npy" % (
        os.path.basename(d), os.path.splitext(name)[0], scale))
    if os.path.exists(key):
        return hr, np.load(key)
    lr = matlab_bicubic.imresize_down(hr, scale)
    tmp = "%s.%d.tmp.npy" % (key, os.getpid())
    np.save(tmp, lr)
    os.replace(tmp, key)
    return hr, lr


def _prepare_one(job):
    load_pair(*job)


def prepare_cache(dirs, scales, cache, jobs):
    """Fill the LR cache for every scale with `jobs` processes."""
    import multiprocessing
    os.makedirs(cache, exist_ok=True)
    work = [(d, name, s, cache) for s in scales for d in dirs
            for name in sorted(os.listdir(d)) if is_image(name)]
    with multiprocessing.Pool(jobs) as pool:
        pool.map(_prepare_one, work, chunksize=4)
    return len(work)


class Data:
    """HR/LR image pairs in memory; LR cached on disk per scale."""

    def __init__(self, dirs, scale, cache, photo=False):
        self.photo = photo
        self.hr, self.lr = [], []
        os.makedirs(cache, exist_ok=True)
        for d in dirs:
            refuse_eval(d)
            for name in sorted(os.listdir(d)):
                if not is_image(name):
                    continue
                hr, lr = load_pair(d, name, scale, cache)
                self.hr.append(hr)
                self.lr.append(lr)
        if not self.hr:
            raise SystemExit("train.py: no training images in %s" % dirs)
        area = np.array([lr.shape[0] * lr.shape[1] for lr in self.lr], np.float64)
        self.p = area / area.sum()
        self.scale = scale

    def batch(self, rng, n, patch):
        s = self.scale
        # photo: room for the degradation's margins around the patch (see
        # degrade.py): top/left MARGIN + 0-7, bottom/right MARGIN + 0-15
        m = degrade.MARGIN if self.photo else 0
        need = patch + (2 * m + 7 + 15 if self.photo else 0)
        if not any(min(lr.shape[:2]) >= need for lr in self.lr):
            raise SystemExit("train.py: no training image has %dx%d LR pixels for a "
                             "%dx%d patch" % (need, need, patch, patch))
        xs, ys = [], []
        while len(xs) < n:
            i = rng.choice(len(self.lr), p=self.p)
            lr, hr = self.lr[i], self.hr[i]
            h, w = lr.shape[:2]
            top, left = (m + rng.integers(0, 8, 2)) if self.photo else (0, 0)
            bottom, right = degrade.far_margin(top, patch), degrade.far_margin(left, patch)
            if not self.photo:
                bottom = right = 0
            if h < patch + top + bottom or w < patch + left + right:
                continue
            y0 = rng.integers(top, h - patch - bottom + 1)
            x0 = rng.integers(left, w - patch - right + 1)
            lp = lr[y0:y0 + patch, x0:x0 + patch]
            # Mostly flat patches (sky, walls) teach little: keep one in ten.
            g = lp.astype(np.float32).mean(axis=2)
            energy = np.abs(np.diff(g, axis=0)).mean() + np.abs(np.diff(g, axis=1)).mean()
            if energy < 6.0 and rng.random() > 0.1:
                continue
            hp = hr[y0 * s:(y0 + patch) * s, x0 * s:(x0 + patch) * s]
            if self.photo:
                crop = hr[(y0 - top) * s:(y0 + patch + bottom) * s,
                          (x0 - left) * s:(x0 + patch + right) * s]
                lp = degrade.degrade(crop, s, rng)[top:top + patch, left:left + patch]
            k = rng.integers(0, 8)  # flips and 90-degree rotations
            if k & 1:
                lp, hp = lp[:, ::-1], hp[:, ::-1]
            if k & 2:
                lp, hp = lp[::-1], hp[::-1]
            if k & 4:
                lp, hp = lp.transpose(1, 0, 2), hp.transpose(1, 0, 2)
            xs.append(np.ascontiguousarray(lp))
            ys.append(np.ascontiguousarray(hp))
        x = torch.from_numpy(np.stack(xs)).permute(0, 3, 1, 2).float()
        y = torch.from_numpy(np.stack(ys)).permute(0, 3, 1, 2).float()
        return x, y


def y_channel(img):
    """img: float tensor 3xHxW in [0,255] -> Y (BT.601, MODELS.md)."""
    return 16.0 + (65.481 * img[0] + 128.553 * img[1] + 24.966 * img[2]) / 255.0


def evaluate(net, set_dir, scale, jpeg_q=0):
    """Mean Y-PSNR on an evaluation set, as docs/MODELS.md defines it; with
    jpeg_q, the LR saved as JPEG at that quality first (4:2:0, libjpeg), as
    `rfdn-upscale eval --jpeg` does.  net None: MATLAB bicubic (the
    baseline of `eval --bicubic`)."""
    from PIL import Image
    hr_dir = os.path.join(set_dir, "HR")
    lr_dir = os.path.join(set_dir, "LR_x%d" % scale)
    vals = []
    if net is not None:
        net.eval()
    for name in sorted(os.listdir(hr_dir)):
        with Image.open(os.path.join(hr_dir, name)) as im:
            gray = im.mode == "L"
            hr = np.array(im.convert("RGB"))
        hr = matlab_bicubic.modcrop(hr, scale)
        lr = load_rgb(os.path.join(lr_dir, name))
        if jpeg_q:  # a grey image as a one-channel JPEG, as the CLI saves it
            lr = degrade.jpeg(lr[:, :, 0] if gray else lr, jpeg_q)
            lr = np.repeat(lr[:, :, None], 3, axis=2) if gray else lr
        if net is None:
            sr = torch.from_numpy(matlab_bicubic.imresize_up(lr, scale)).permute(2, 0, 1)
        else:
            dev = next(net.parameters()).device
            x = torch.from_numpy(lr).permute(2, 0, 1).float().unsqueeze(0).to(dev)
            with torch.no_grad():
                sr = net(x.contiguous(memory_format=torch.channels_last))[0]
                sr = sr.clamp(0, 255).round().cpu()
        ht = torch.from_numpy(hr).permute(2, 0, 1).double()
        if gray:  # gray in, gray out (the engine's mean of the channels)
            yh, ys = ht[0], sr.double().mean(0).round()
        else:
            yh, ys = y_channel(ht), y_channel(sr.double())
        b = scale
        mse = ((yh - ys)[b:-b, b:-b] ** 2).mean().item()
        vals.append(10 * math.log10(255.0 ** 2 / mse))
    if net is not None:
        net.train()
    return sum(vals) / len(vals)


def photo_bars(net, clean, scale, margin=0.01):
    """Issue 23's bars for a photo model, on Set5 and Set14 (with `margin`
    dB to spare, PyTorch and the CLI differing in the third decimal): JPEG
    q60 input 1.0 dB (x2) or 0.7 dB (x3, x4) above bicubic, q85 input 0.3 dB
    above the clean model `clean`, clean input at most 0.5 dB below it.
    Returns the list of failures (empty: all met); tests/test_models.sh
    checks the same with the CLI."""
    gain = 1.0 if scale == 2 else 0.7
    failed = []
    for setname in ("Set5", "Set14"):
        d = os.path.join(SHARED, "datasets", "eval", setname)
        if not os.path.isdir(d):
            continue
        for what, got, bar in (
                ("q60", evaluate(net, d, scale, 60), evaluate(None, d, scale, 60) + gain),
                ("q85", evaluate(net, d, scale, 85), evaluate(clean, d, scale, 85) + 0.3),
                ("clean", evaluate(net, d, scale), evaluate(clean, d, scale) - 0.5)):
            print("%s %s: %.3f dB (bar %.3f)" % (setname, what, got, bar))
            if got < bar + margin:
                failed.append("%s %s %.3f < %.3f" % (setname, what, got, bar + margin))
    return failed


def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def cpu_has_bf16():
    """Whether this CPU computes in bfloat16 natively (AVX-512 BF16 or AMX),
    where oneDNN's bf16 convolutions beat fp32 ones."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((ln for ln in f if ln.startswith("flags")), "").split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def pick_precision(want, device):
    """auto: bf16 mixed precision on a CPU with native bfloat16, else fp32."""
    if want != "auto":
        return want
    return "bf16" if device.type == "cpu" and cpu_has_bf16() else "fp32"


def make_net(arch, scale):
    return reference.Net(arch, scale)


def init_from(net, path):
    """Body from an earlier checkpoint of the project (never the authors'
    weights); the upsampler is new when the scale differs."""
    if os.path.realpath(path).startswith(os.path.realpath(os.path.join(SHARED, "models"))):
        raise SystemExit("train.py: the authors' weights are not a starting point")
    ck = torch.load(path, map_location="cpu", weights_only=False)
    # the moving average where the checkpoint keeps one: it is the better body
    sd = ck.get("ema", ck.get("model", ck))
    own = net.state_dict()
    take = {k: v for k, v in sd.items() if k in own and own[k].shape == v.shape}
    own.update(take)
    net.load_state_dict(own)
    print("initialised %d of %d tensors from %s" % (len(take), len(own), path))


def export(run, out, min_set5=0.0, clean_model=None):
    ck = torch.load(os.path.join(run, "ckpt.pt"), map_location="cpu", weights_only=False)
    a = ck["args"]
    net = make_net(a["arch"], a["scale"])
    # the exponential moving average of the weights where the run keeps one
    net.load_state_dict(ck.get("ema", ck["model"]))
    net.eval()
    meta = net.metadata()
    meta.update({
        "training_data": "T91, BSD200, SunHays80, 140 CC0 photographs "
                         "(../shared/datasets/train)",
        "iterations": str(ck["step"]),
        "batch": str(a["batch"]), "patch": str(a["patch"]),
        "source": "RFDN Upscaler project, tools/train/train.py",
        "license": "GPL-3.0-or-later",
    })
    photo = a.get("degrade", "clean") == "photo"
    if photo:
        # what the photo model was trained for (the front ends show it)
        meta.update({"variant": "photo", "degradation": degrade.DESCRIPTION})
    else:
        meta.update({"variant": "clean", "degradation": "MATLAB bicubic"})
    psnr = {}
    for setname in ("Set5", "Set14"):
        d = os.path.join(SHARED, "datasets", "eval", setname)
        if os.path.isdir(d):
            psnr[setname] = evaluate(net, d, a["scale"])
            meta["psnr_%s" % setname.lower()] = "%.2f" % psnr[setname]
            if photo:
                q = a.get("val_jpeg", 60)
                meta["psnr_%s_q%d" % (setname.lower(), q)] = "%.2f" % evaluate(
                    net, d, a["scale"], q)
    # unrounded: 37.596 must not pass a 37.60 bar
    if min_set5 and psnr.get("Set5", float("nan")) < min_set5:
        # NaN (no Set5 to measure) is not below the bar: exported as asked
        print("not exported: Set5 %s dB is below %.2f" % (meta["psnr_set5"], min_set5))
        return 3
    if photo and clean_model:
        clean, _ = reference.model_from_file(clean_model)
        failed = photo_bars(net, clean, a["scale"])
        if failed:
            print("not exported: %s" % "; ".join(failed))
            return 3
    reference.save_safetensors(out, net.state_dict(), meta, dtype="F32")
    print("exported %s: %s" % (out, {k: meta[k] for k in meta if k.startswith("psnr")}))
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", help="checkpoint folder (required unless --step-of)")
    ap.add_argument("--step-of", metavar="CKPT",
                    help="print the step a checkpoint file reached and exit (for scripts)")
    ap.add_argument("--arch", choices=sorted(reference.ARCHS))
    ap.add_argument("--scale", type=int, choices=[2, 3, 4])
    ap.add_argument("--steps", type=int, default=100000, help="stop at this step")
    ap.add_argument("--batch", type=int,
                    help="patches per step (default 16, or the checkpoint's)")
    ap.add_argument("--patch", type=int,
                    help="LR patch size (default 48, or the checkpoint's); a "
                         "resumed run may change it, e.g. larger for fine-tuning")
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--halve-every", type=int, default=40000)
    ap.add_argument("--loss", choices=["l1", "l2"], default="l1")
    ap.add_argument("--degrade", choices=["clean", "photo"],
                    help="LR patches: clean (MATLAB bicubic, the default) or photo "
                         "(tools/train/degrade.py); a resumed run keeps its own")
    ap.add_argument("--val-jpeg", type=int, metavar="Q",
                    help="photo runs: validate on LR saved as JPEG at quality Q "
                         "(default 60, or the checkpoint's; a resume keeps it)")
    ap.add_argument("--init-from", help="start from this project checkpoint")
    ap.add_argument("--data", nargs="*", default=train_dirs())
    ap.add_argument("--cache", default=os.path.join(ROOT, "cache", "train"))
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--precision", choices=["auto", "fp32", "bf16"], default="auto",
                    help="bf16: the forward and backward passes in bfloat16 "
                         "(autocast; weights, optimizer and validation stay fp32); "
                         "auto: bf16 on a CPU with AVX-512 BF16 or AMX, else fp32")
    ap.add_argument("--save-every", type=int, default=200)
    ap.add_argument("--eval-every", type=int, default=1000)
    ap.add_argument("--max-minutes", type=float, default=0, help="stop after (0 = never)")
    ap.add_argument("--until-set5", type=float, default=0, metavar="DB",
                    help="stop after a validation where Set5 reaches DB (0 = never)")
    ap.add_argument("--stop-at", type=float, default=0,
                    help="stop at this Unix time (0 = never)")
    ap.add_argument("--ema", type=float, default=0.999,
                    help="decay of the weights' moving average (validated and exported)")
    ap.add_argument("--export", metavar="FILE", help="export the checkpoint and exit")
    ap.add_argument("--min-set5", type=float, default=0,
                    help="with --export: export only at this Set5 Y-PSNR or above")
    ap.add_argument("--photo-bars", metavar="CLEAN_MODEL",
                    help="with --export of a photo run: export only when it meets "
                         "issue 23's bars against this clean model file (see photo_bars)")
    a = ap.parse_args(argv)
    for k in ("batch", "patch", "halve_every"):
        if getattr(a, k) is not None and getattr(a, k) < 1:
            ap.error("--%s must be 1 or more" % k.replace("_", "-"))

    if a.step_of:
        print(torch.load(a.step_of, map_location="cpu", weights_only=False)["step"])
        return 0
    if not a.run:
        ap.error("--run is required")
    if a.export:
        return export(a.run, a.export, a.min_set5, a.photo_bars)

    torch.set_num_threads(a.threads)
    os.makedirs(a.run, exist_ok=True)
    ckpt_path = os.path.join(a.run, "ckpt.pt")
    resumed = os.path.exists(ckpt_path)
    ck = torch.load(ckpt_path, map_location="cpu", weights_only=False) if resumed else None
    changed = []
    if ck:
        for k in ("arch", "scale"):
            setattr(a, k, ck["args"][k])
        was = ck["args"].get("degrade", "clean")
        if a.degrade not in (None, was):
            raise SystemExit("train.py: %s was trained with --degrade %s, not %s"
                             % (a.run, was, a.degrade))
        a.degrade = was
        if was == "photo" and ck["args"].get("degrade_mix", "photo-v1") != degrade.NAME:
            changed.append("degradations %s (was %s)" % (
                degrade.NAME, ck["args"].get("degrade_mix", "photo-v1")))
        vq = ck["args"].get("val_jpeg", 60)
        if a.val_jpeg not in (None, vq):
            raise SystemExit("train.py: %s validates at JPEG quality %d (its log's columns), "
                             "not %d" % (a.run, vq, a.val_jpeg))
        a.val_jpeg = vq
        for k in ("batch", "patch"):
            if getattr(a, k) is None:
                setattr(a, k, ck["args"][k])
            elif getattr(a, k) != ck["args"][k]:
                changed.append("%s %d" % (k, getattr(a, k)))
        # the learning-rate schedule comes from the command line every time
        # (schedule.sh passes it); a change, e.g. a restart at a higher rate,
        # is noted in the log
        old = (ck["args"]["lr"], ck["args"]["halve_every"])
        if (a.lr, a.halve_every) != old:
            changed.append("lr %g halving every %d steps (was %g every %d)"
                           % ((a.lr, a.halve_every) + old))
    a.degrade = a.degrade or "clean"
    a.degrade_mix = degrade.NAME if a.degrade == "photo" else None
    a.val_jpeg = a.val_jpeg or 60
    photo = a.degrade == "photo"
    a.batch = a.batch if a.batch is not None else 16
    a.patch = a.patch if a.patch is not None else 48
    if not a.arch or not a.scale:
        raise SystemExit("train.py: --arch and --scale are needed for a new run")

    dev = torch.device(a.device)
    # a new run's initial weights (its new upsampler) are the same every time
    torch.manual_seed(1)
    # channels_last: 0.67-0.70 instead of 0.92-0.99 s/step for E-RFDN x2,
    # batch 16 of 48x48, on this 2-core CPU (oneDNN's NHWC convolutions)
    net = make_net(a.arch, a.scale).to(dev, memory_format=torch.channels_last)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    step = 0
    rng = np.random.default_rng(12345)
    ema = make_net(a.arch, a.scale).to(dev, memory_format=torch.channels_last)
    if ck:
        net.load_state_dict(ck["model"])
        ema.load_state_dict(ck.get("ema", ck["model"]))
        opt.load_state_dict(ck["optimizer"])
        step = ck["step"]
        rng.bit_generator.state = ck["rng_numpy"]
        torch.set_rng_state(ck["rng_torch"])
        random.setstate(ck["rng_python"])
        print("resumed %s at step %d" % (a.run, step))
    else:
        if a.init_from:
            init_from(net, a.init_from)
        ema.load_state_dict(net.state_dict())
    ema.eval()

    # bf16 on the 2-core Zen 5 (AVX-512 BF16), E-RFDN x4, batch 16 of 48x48:
    # forward, backward and Adam in 0.26-0.32 s against 0.46-0.69 s in fp32
    # (0.39-0.43 s per whole step with the data); on three batches the
    # gradient's cosine similarity to fp32's on the same batch was
    # 0.992-0.997, closer than that of two fp32 batches (0.980-0.996)
    a.precision = pick_precision(a.precision, dev)
    data = Data(a.data, a.scale, a.cache, photo)
    print("%d training images, %s x%d%s, batch %d of %dx%d, device %s, %s" %
          (len(data.hr), a.arch, a.scale, " photo" if photo else "", a.batch, a.patch,
           a.patch, dev, a.precision))

    stop = {"now": False}

    def on_signal(sig, frame):
        stop["now"] = True
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    def save():
        save_atomic({"model": net.state_dict(), "ema": ema.state_dict(),
                     "optimizer": opt.state_dict(),
                     "step": step, "args": vars(a),
                     "rng_numpy": rng.bit_generator.state,
                     "rng_torch": torch.get_rng_state(),
                     "rng_python": random.getstate()}, ckpt_path)

    log = open(os.path.join(a.run, "log.tsv"), "a")
    if not resumed:
        # photo runs: Set5/Set14 with JPEG input, then Set5 clean
        log.write("step\tloss\tlr\tset5_psnr\tset14_psnr\tseconds_per_step\n" if not photo
                  else "step\tloss\tlr\tset5_q%d\tset14_q%d\tseconds_per_step\tset5_clean\n"
                  % (a.val_jpeg, a.val_jpeg))
    if resumed and "ema" not in ck:
        log.write("# from here on the PSNR columns measure the moving average of the "
                  "weights (decay %g)\n" % a.ema)
    if a.precision != (ck["args"].get("precision", "fp32") if ck else "fp32"):
        log.write("# from step %d: training in %s\n" % (step, a.precision))
    if changed:
        log.write("# from step %d: %s\n" % (step, ", ".join(changed)))
    t0, t_start, nacc = time.time(), time.time(), 0
    # the loss is summed on the device: no synchronisation per step
    acc = torch.zeros((), dtype=torch.float64, device=dev)
    ema_p, net_p = list(ema.parameters()), list(net.parameters())
    net.train()
    while step < a.steps and not stop["now"]:
        lr_now = a.lr * 0.5 ** (step // a.halve_every)
        for g in opt.param_groups:
            g["lr"] = lr_now
        x, y = data.batch(rng, a.batch, a.patch)
        x = x.to(dev).contiguous(memory_format=torch.channels_last)
        y = y.to(dev).contiguous(memory_format=torch.channels_last)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            out = net(x)
        out = out.float()  # (a no-op in fp32)
        loss = F.l1_loss(out, y) if a.loss == "l1" else F.mse_loss(out, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            torch._foreach_mul_(ema_p, a.ema)
            torch._foreach_add_(ema_p, net_p, alpha=1 - a.ema)
        step += 1
        acc += loss.detach()
        nacc += 1
        if step % a.save_every == 0:
            save()
        if step % a.eval_every == 0 or step == a.steps:
            sps = (time.time() - t0) / max(nacc, 1)
            p5 = p14 = p5c = float("nan")
            q = a.val_jpeg if photo else 0
            ev = os.path.join(SHARED, "datasets", "eval")
            if os.path.isdir(ev):
                p5 = evaluate(ema, os.path.join(ev, "Set5"), a.scale, q)
                p14 = evaluate(ema, os.path.join(ev, "Set14"), a.scale, q)
                if photo:
                    p5c = evaluate(ema, os.path.join(ev, "Set5"), a.scale)
            mean = acc.item() / max(nacc, 1)
            extra = "\t%.3f" % p5c if photo else ""
            log.write("%d\t%.4f\t%.2e\t%.3f\t%.3f\t%.3f%s\n" % (step, mean, lr_now, p5,
                                                               p14, sps, extra))
            log.flush()
            tag = " q%d" % q if photo else ""
            print("step %d loss %.3f Set5%s %.3f Set14%s %.3f%s (%.2f s/step)" %
                  (step, mean, tag, p5, tag, p14,
                   " Set5 clean %.3f" % p5c if photo else "", sps), flush=True)
            acc.zero_()
            nacc, t0 = 0, time.time()
            if a.until_set5 and p5 >= a.until_set5:
                print("Set5 %.3f reached %.3f: stopping" % (p5, a.until_set5))
                break
        if a.max_minutes and time.time() - t_start > a.max_minutes * 60:
            break
        if a.stop_at and time.time() > a.stop_at:
            break
    save()
    print("saved %s at step %d" % (ckpt_path, step))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
