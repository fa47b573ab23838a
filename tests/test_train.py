#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tools/train/train.py on a few synthetic images, in seconds:

- a run stopped and resumed ends with the same weights, bit for bit, as the
  same run done in one go (model, optimizer, step and RNG states restored);
- bf16 mixed precision trains (finite loss, noted in the log) and resumes;
- the data loader refuses an evaluation set, also as one of several data
  folders and in lower case, and --init-from refuses the authors' weights;
- --until-set5 stops after the first validation that reaches it;
- an exported model loads in the engine (the CLI upscales with it) and
  carries its iteration count;
- photo runs (--degrade photo, tools/train/degrade.py): the degradation is
  seeded (same generator, same LR) and keeps about its share of plain
  bicubic patches, a photo run resumes bit for bit, validates on JPEG input
  (and Set5 clean), keeps its kind on resume, and its export says "photo".

  test_train.py TRAIN_PY RFDN_UPSCALE
Skips (exit 77) without python3-torch.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from checks import Checks  # tests/checks.py, beside this script


def main():
    train, cli = sys.argv[1:3]
    try:
        import numpy as np
        import torch
        from PIL import Image
    except ImportError as e:
        print("SKIP: %s" % e)
        return 77
    check = Checks()

    tmp = tempfile.mkdtemp(prefix="rfdn-train-")
    # no evaluation sets here: validation is skipped (NaN in the log)
    env = dict(os.environ, RFDN_SHARED_DIR=os.path.join(tmp, "no-shared"))

    def run(*args):
        p = subprocess.run([sys.executable, train] + list(args), env=env,
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr
    run.train = train

    rng = np.random.default_rng(3)

    def noise_png(path, size=(48, 40)):
        """An image of noise: textured (flat patches are mostly skipped)."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        img = Image.fromarray(rng.integers(0, 256, size[::-1] + (3,), dtype=np.uint8))
        img.save(path)
        return img

    data = os.path.join(tmp, "data")
    for i in range(3):
        noise_png(os.path.join(data, "img%d.png" % i))
    common = ["--data", data, "--cache", os.path.join(tmp, "cache"), "--arch", "e-rfdn",
              "--scale", "2", "--batch", "2", "--patch", "12", "--threads", "1",
              "--save-every", "2", "--eval-every", "3", "--halve-every", "2"]

    def weights(run_dir):
        return torch.load(os.path.join(run_dir, "ckpt.pt"), map_location="cpu",
                          weights_only=False)

    def same(a, b):
        return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)

    def log_rows(run_dir):
        with open(os.path.join(run_dir, "log.tsv")) as f:
            log = f.read()
        return log, [ln.split("\t") for ln in log.splitlines() if ln and ln[0].isdigit()]

    def first_loss(run_dir):
        return float(log_rows(run_dir)[1][0][1])

    for prec in ("fp32", "bf16"):
        once, twice = os.path.join(tmp, "once-" + prec), os.path.join(tmp, "twice-" + prec)
        rc, out = run("--run", once, "--steps", "5", "--precision", prec, *common)
        check(rc == 0, "%s: 5 steps in one go" % prec)
        if rc:
            print(out)
        rc1, _ = run("--run", twice, "--steps", "2", "--precision", prec, *common)
        rc2, out = run("--run", twice, "--steps", "5", "--precision", prec, *common)
        check(rc1 == 0 and rc2 == 0 and "resumed" in out, "%s: 2 steps, then resumed to 5" % prec)
        if rc == 0 and rc1 == 0 and rc2 == 0:
            a, b = weights(once), weights(twice)
            check(a["step"] == b["step"] == 5, "%s: both at step 5" % prec)
            check(same(a["model"], b["model"]) and same(a["ema"], b["ema"]),
                  "%s: resumed weights equal the uninterrupted run's, bit for bit" % prec)
            log, rows = log_rows(once)
            check(len(rows) == 2 and all(np.isfinite(float(r[1])) for r in rows),
                  "%s: log rows at steps 3 and 5 with a finite loss" % prec)
            check(rows and rows[0][2] == "2.50e-04" and rows[1][2] == "1.25e-04",
                  "%s: the learning rate halves every --halve-every steps" % prec)
            check(("training in bf16" in log) == (prec == "bf16"),
                  "%s: the log says when training is in bf16" % prec)

    # a resumed run may change its patch size (fine-tuning on larger
    # patches); the log says so, and a later resume keeps the new size
    twice = os.path.join(tmp, "twice-fp32")
    larger = [("16" if c == "12" and common[i - 1] == "--patch" else c)
              for i, c in enumerate(common)]
    rc1, _ = run("--run", twice, "--steps", "6", "--precision", "fp32", *larger)
    no_patch = [c for i, c in enumerate(common) if "--patch" not in common[i - 1:i + 1]]
    rc2, out = run("--run", twice, "--steps", "7", "--precision", "fp32", *no_patch)
    try:
        log, _ = log_rows(twice)
        ck = weights(twice)
        check(rc1 == 0 and rc2 == 0 and ck["step"] == 7 and ck["args"]["patch"] == 16
              and "batch 2 of 16x16" in out and log.count("# from step 5: patch 16\n") == 1
              and "patch 12" not in log,
              "--patch on resume: logged once, kept by the next resume")
    except (OSError, KeyError) as e:
        check(False, "--patch on resume: %s" % e)

    # the learning-rate schedule comes from each command line: a resume
    # may restart it higher (the log says so), and the rate follows it
    slower = [("4" if c == "2" and no_patch[i - 1] == "--halve-every" else c)
              for i, c in enumerate(no_patch)]
    rc, _ = run("--run", twice, "--steps", "9", "--precision", "fp32", *slower)
    try:
        log, rows = log_rows(twice)
        check(rc == 0 and log.count("# from step 7: lr 0.0005 halving every 4 steps "
                                    "(was 0.0005 every 2)\n") == 1
              and rows[-1][0] == "9" and rows[-1][2] == "1.25e-04",
              "--halve-every on resume: logged, and the rate at step 9 is 1.25e-04")
    except (OSError, IndexError) as e:
        check(False, "--halve-every on resume: %s" % e)

    # bf16 computes differently from fp32 (it is not ignored), to a loss
    # close to fp32's
    try:
        m32, m16 = (weights(os.path.join(tmp, "once-" + p))["model"] for p in ("fp32", "bf16"))
        l32, l16 = (first_loss(os.path.join(tmp, "once-" + p)) for p in ("fp32", "bf16"))
        check(not same(m32, m16) and abs(l16 - l32) < 0.1 * l32,
              "bf16 trains differently from fp32 (loss at step 3: %.2f, fp32 %.2f)" % (l16, l32))
    except (OSError, IndexError, ValueError) as e:
        check(False, "bf16 against fp32: %s" % e)

    # --until-set5: stops after the first validation that reaches it (a
    # made-up Set5 / Set14 in a made-up shared folder); never, when it is
    # out of reach
    fake = os.path.join(tmp, "fake-shared")
    for name in ("Set5", "Set14"):
        hr = noise_png(os.path.join(fake, "datasets", "eval", name, "HR", "a.png"))
        lr_dir = os.path.join(fake, "datasets", "eval", name, "LR_x2")
        os.makedirs(lr_dir)
        hr.resize((24, 20), Image.BICUBIC).save(os.path.join(lr_dir, "a.png"))
    env["RFDN_SHARED_DIR"] = fake
    for until, want in (("1", 2), ("200", 6)):
        r = os.path.join(tmp, "until" + until)
        rc, out = run("--run", r, "--steps", "6", "--until-set5", until,
                      *(common[:-4] + ["--eval-every", "2", "--halve-every", "2"]))
        check(rc == 0 and weights(r)["step"] == want,
              "--until-set5 %s: stopped at step %d of 6" % (until, want))
    env["RFDN_SHARED_DIR"] = os.path.join(tmp, "no-shared")

    # an evaluation set is never training data, under any spelling
    ev, sub = os.path.join(tmp, "x", "Set14"), os.path.join(data, "set5")
    noise_png(os.path.join(ev, "a.png"))
    noise_png(os.path.join(sub, "b.png"))
    for dirs, what in (([ev], "an evaluation set given as data"),
                       ([data, sub], "one of two data folders that is an evaluation set (set5)")):
        rc, out = run("--run", os.path.join(tmp, "ev"), "--steps", "1", "--data", *dirs,
                      *common[2:])
        check(rc != 0 and "evaluation images are never training data" in out,
              what + " is refused")
    # a zero batch, patch or halving period is an error, not a default
    for opt in ("--batch", "--patch", "--halve-every"):
        rc, out = run("--run", os.path.join(tmp, "zero"), "--steps", "1", *common, opt, "0")
        check(rc != 0 and opt + " must be 1 or more" in out
              and not os.path.exists(os.path.join(tmp, "zero")), opt + " 0 is refused")
    authors = os.path.join(tmp, "no-shared", "models")
    os.makedirs(authors)
    authors_pth = os.path.join(authors, "RFDN_AIM.pth")
    torch.save({}, authors_pth)
    rc, out = run("--run", os.path.join(tmp, "init"), "--steps", "1",
                  "--init-from", authors_pth, *common)
    check(rc != 0 and "not a starting point" in out,
          "--init-from refuses the authors' weights")

    photo_checks(check, run, common, tmp, data, env, weights, same, log_rows, noise_png)

    # export, then the engine upscales with the file
    model = os.path.join(tmp, "e-rfdn-x2.safetensors")
    rc, out = run("--run", os.path.join(tmp, "once-fp32"), "--export", model)
    check(rc == 0 and os.path.exists(model), "export: " + out.strip().split("\n")[-1])
    if os.path.exists(model):
        with open(model, "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            meta = json.loads(f.read(n)).get("__metadata__", {})
        check(meta.get("iterations") == "5", "the export carries its iteration count")
        src = os.path.join(data, "img0.png")
        dst = os.path.join(tmp, "up.png")
        p = subprocess.run([cli, "-m", model, src, "-o", dst], capture_output=True, text=True)
        ok = p.returncode == 0 and os.path.exists(dst)
        if ok:
            with Image.open(dst) as im:
                ok = im.size == (96, 80)
        check(ok, "the CLI upscales with the exported model " + p.stderr.strip())
    shutil.rmtree(tmp)
    return check.status()


def photo_checks(check, run, common, tmp, data, env, weights, same, log_rows, noise_png):
    import numpy as np
    sys.path.insert(0, os.path.dirname(run.train))
    sys.path.insert(0, os.path.dirname(os.path.dirname(run.train)))  # tools/
    import degrade
    import matlab_bicubic

    # the chain is seeded, and about P_CLEAN of the patches stay plain bicubic
    hr = np.random.default_rng(5).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    a = [degrade.degrade(hr, 2, np.random.default_rng(9)) for _ in range(2)]
    check(np.array_equal(a[0], a[1]) and a[0].shape == (32, 32, 3) and a[0].dtype == np.uint8,
          "degrade: the same generator state gives the same LR")
    rng, bic = np.random.default_rng(11), matlab_bicubic.imresize_down(hr, 2)
    plain = sum(np.array_equal(degrade.degrade(hr, 2, rng), bic) for _ in range(400)) / 400
    # plain: skipped the chain, or drew bicubic and none of blur, noise, JPEG
    kw = dict(degrade.KERNELS)
    want = degrade.P_CLEAN + (1 - degrade.P_CLEAN) * (1 - degrade.P_BLUR) * (
        kw["bicubic"] / sum(kw.values())) * (1 - degrade.P_NOISE) * (1 - degrade.P_JPEG)
    check(abs(plain - want) < 0.06,
          "degrade: %.3f of the patches plain bicubic (expected %.3f)" % (plain, want))
    q = np.random.default_rng(2).integers(0, 256, (40, 40, 3), dtype=np.uint8)
    check(not np.array_equal(degrade.jpeg(q, 60), q) and degrade.jpeg(q[:, :, 0], 60).ndim == 2,
          "degrade.jpeg changes pixels, and keeps a grey image grey")

    # photo runs need room around the patch: larger images than the clean runs'
    pdata = os.path.join(tmp, "photo-data")
    for i in range(3):
        noise_png(os.path.join(pdata, "img%d.png" % i), (96, 100))
    pbase = ["--data", pdata] + common[2:]
    pcommon = pbase + ["--degrade", "photo"]
    once, twice = os.path.join(tmp, "photo-once"), os.path.join(tmp, "photo-twice")
    rc, out = run("--run", once, "--steps", "5", "--precision", "fp32", *pcommon)
    check(rc == 0 and "e-rfdn x2 photo" in out, "photo: 5 steps in one go" + ("" if rc == 0 else out))
    rc1, _ = run("--run", twice, "--steps", "2", "--precision", "fp32", *pcommon)
    rc2, out = run("--run", twice, "--steps", "5", "--precision", "fp32", *pcommon)
    if rc == 0 and rc1 == 0 and rc2 == 0:
        a, b = weights(once), weights(twice)
        check(same(a["model"], b["model"]) and a["step"] == b["step"] == 5,
              "photo: resumed weights equal the uninterrupted run's, bit for bit")
        clean = weights(os.path.join(tmp, "once-fp32"))
        check(not same(a["model"], clean["model"]), "photo: trains differently from clean")
    else:
        check(False, "photo: 2 steps, then resumed to 5")
    rc, out = run("--run", twice, "--steps", "6", "--precision", "fp32",
                  *pbase, "--degrade", "clean")
    check(rc != 0 and "trained with --degrade photo" in out and weights(twice)["step"] == 5,
          "photo: a resume with --degrade clean is refused")
    rc, out = run("--run", os.path.join(tmp, "small"), "--steps", "1", *common[2:],
                  "--data", data, "--degrade", "photo")
    check(rc != 0 and "no training image has" in out,
          "photo: images too small for the margins are an error, not a hang")

    # validation on JPEG input (made-up evaluation sets), then Set5 clean
    fake = os.path.join(tmp, "fake-shared")
    env["RFDN_SHARED_DIR"] = fake
    r = os.path.join(tmp, "photo-val")
    rc, out = run("--run", r, "--steps", "3", "--precision", "fp32", *pcommon)
    log, rows = log_rows(r)
    check(rc == 0 and log.startswith("step\tloss\tlr\tset5_q60\tset14_q60\t")
          and "set5_clean" in log.splitlines()[0] and len(rows) == 1 and len(rows[0]) == 7
          and all(np.isfinite(float(v)) for v in rows[0][3:]),
          "photo: the log has Set5/Set14 at q60 and Set5 clean")
    check(rows and rows[0][3] != rows[0][6], "photo: JPEG validation differs from clean")
    # against a clean model the 3-step photo run cannot meet issue 23's bars:
    # refused (status 3), nothing written
    clean_model, gated = (os.path.join(tmp, n) for n in ("clean.safetensors", "gated.safetensors"))
    run("--run", os.path.join(tmp, "once-fp32"), "--export", clean_model)
    rc, out = run("--run", r, "--export", gated, "--photo-bars", clean_model)
    check(rc == 3 and "not exported" in out and "Set14 q85" in out and not os.path.exists(gated),
          "photo: --photo-bars refuses an export below the bars (status %d)" % rc)
    model = os.path.join(tmp, "photo.safetensors")
    rc, out = run("--run", r, "--export", model)
    env["RFDN_SHARED_DIR"] = os.path.join(tmp, "no-shared")
    meta = {}
    if rc == 0:
        with open(model, "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            meta = json.loads(f.read(n)).get("__metadata__", {})
    rc, out = run("--run", r, "--steps", "4", "--precision", "fp32", *pcommon, "--val-jpeg", "40")
    check(rc != 0 and "validates at JPEG quality 60" in out,
          "photo: a resume with another --val-jpeg is refused")
    # the crop's far margins make whole 16-pixel JPEG blocks
    check(all((t + 12 + degrade.far_margin(t, 12)) % 16 == 0
              and degrade.far_margin(t, 12) >= degrade.MARGIN for t in range(4, 12)),
          "degrade.far_margin: whole 16-pixel blocks, at least MARGIN")
    check(meta.get("variant") == "photo" and meta.get("degradation", "").startswith(degrade.NAME)
          and "psnr_set5_q60" in meta, "photo: the export says what it was trained for")


if __name__ == "__main__":
    sys.exit(main())
