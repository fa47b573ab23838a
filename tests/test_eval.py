#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`rfdn-upscale eval` on compressed input and its bicubic baseline (issue 23):

- --jpeg Q makes exactly the LR that tools/train/train.py validates photo
  models on (MATLAB-bicubic LR saved as JPEG by Pillow, 4:2:0, decoded):
  --check-lr compares them byte for byte on Set5 and Set14 at x2 and x4,
  grey images included, and fails on the clean LR or another quality;
- --bicubic scores what docs/MODELS.md publishes for bicubic upscaling on
  Set5 and Set14 at x2, x3, x4 (to two decimals);
- bad --jpeg values, and the eval options outside eval, are refused;
- (issue 28) the table names the model and whose weights it holds, and has
  the bicubic baseline's column beside the model's (MODELS.md's numbers);
  a --check-lr file that cannot be read is said so, not "differs"; and
  `models` says whose weights each name runs (the authors' file for
  e-rfdn x4 when it is configured).

  test_eval.py RFDN_UPSCALE EVAL_DIR TRAIN_DIR MODELS_DIR OFFICIAL_PTH
Skips (77) without the evaluation sets.
"""
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

from checks import Checks  # tests/checks.py, beside this script

# docs/MODELS.md, "Evaluation conventions": bicubic upscaling, Y-PSNR
BICUBIC = {("Set5", 2): 33.67, ("Set5", 3): 30.40, ("Set5", 4): 28.43,
           ("Set14", 2): 30.23, ("Set14", 3): 27.54, ("Set14", 4): 25.99}


def main():
    cli, ev, train_dir, models, official = sys.argv[1:6]
    if not os.path.isdir(ev):
        print("SKIP: %s not found" % ev)
        return 77
    sys.path.insert(0, train_dir)
    sys.path.insert(0, os.path.dirname(train_dir))
    import degrade  # tools/train/degrade.py: the JPEG of train.py's validation
    check = Checks()
    tmp = tempfile.mkdtemp(prefix="rfdn-eval-")

    def run(*args, env=None):
        p = subprocess.run([cli] + list(args), capture_output=True, text=True, env=env)
        return p.returncode, p.stdout + p.stderr

    def average(out):
        return next((float(ln.split()[1]) for ln in out.splitlines()
                     if ln.startswith("average")), float("nan"))

    def jpeg_lr_dir(setname, s, q):
        d = os.path.join(tmp, "%s-x%d-q%d" % (setname, s, q))
        os.makedirs(d)
        lr_dir = os.path.join(ev, setname, "LR_x%d" % s)
        for name in sorted(os.listdir(lr_dir)):
            with Image.open(os.path.join(lr_dir, name)) as im:
                a = np.array(im.convert("L" if im.mode == "L" else "RGB"))
            Image.fromarray(degrade.jpeg(a, q)).save(os.path.join(d, name))
        return d

    for setname in ("Set5", "Set14"):
        hr = os.path.join(ev, setname, "HR")
        for s in (2, 4):
            d60 = jpeg_lr_dir(setname, s, 60)
            rc, out = run("eval", "--bicubic", "-s", str(s), "--jpeg", "60",
                          "--check-lr", d60, hr)
            check(rc == 0, "%s x%d: --jpeg 60 makes train.py's JPEG LR (status %d)%s"
                  % (setname, s, rc, "" if rc == 0 else ": " + out[-300:]))
            if setname == "Set5" and s == 4:
                rc, out = run("eval", "--bicubic", "-s", "4", "--check-lr", d60, hr)
                check(rc == 1 and "differs" in out,
                      "the clean LR is not the JPEG one (status %d)" % rc)
                rc, out = run("eval", "--bicubic", "-s", "4", "--jpeg", "61",
                              "--check-lr", d60, hr)
                check(rc == 1 and "differs" in out,
                      "quality 61 is not quality 60 (status %d)" % rc)
                # 4:2:0 at every quality (libvips leaves chroma whole from 90 up
                # unless told)
                d95 = jpeg_lr_dir(setname, s, 95)
                rc, out = run("eval", "--bicubic", "-s", "4", "--jpeg", "95",
                              "--check-lr", d95, hr)
                check(rc == 0, "--jpeg 95 is 4:2:0 too (status %d)" % rc)
                rc, out = run("eval", "-q", "--bicubic", "-s", "4", "--jpeg", "60", hr)
                rc2, clean = run("eval", "-q", "--bicubic", "-s", "4", hr)
                check(rc == 0 and average(out) < average(clean) - 0.5,
                      "q60 input scores lower than clean (%.4f < %.4f)"
                      % (average(out), average(clean)))
        for s in (2, 3, 4):
            rc, out = run("eval", "-q", "--bicubic", "-s", str(s), hr)
            got = average(out)
            check(rc == 0 and round(got, 2) == BICUBIC[(setname, s)],
                  "%s x%d bicubic %.4f dB (MODELS.md %.2f)" % (setname, s, got,
                                                             BICUBIC[(setname, s)]))

    hr = os.path.join(ev, "Set5", "HR")
    model = os.path.join(models, "e-rfdn-x2.safetensors")
    rc, out = run("eval", "-m", model, hr)
    lines = out.splitlines()
    check(rc == 0 and lines[0] == "model: %s (E-RFDN x2 clean, own weights)" % model,
          "eval names the model and whose weights (%r)" % (lines[0] if lines else ""))
    check(rc == 0 and lines[1] == "input: each HR reduced x2 with MATLAB bicubic",
          "... and the input (%r)" % (lines[1] if len(lines) > 1 else ""))
    avg = next((ln.split() for ln in lines if ln.startswith("average")), [])
    check(rc == 0 and len(avg) == 4 and lines[2].split()[-1] == "bicubic" and
          round(float(avg[3]), 2) == BICUBIC[("Set5", 2)] and float(avg[1]) > 37,
          "... the bicubic column beside the model's: %s (MODELS.md %.2f)"
          % (" ".join(avg), BICUBIC[("Set5", 2)]))
    rc, out = run("eval", "-m", model, "-q", hr)
    check(rc == 0 and len(out.splitlines()) == 1 and out.startswith("average"),
          "-q: the average line only")
    if os.path.isfile(official):
        rc2, out2 = run("eval", "--official", official, os.path.join(hr, "baby.png"))
        first = (out2.splitlines() or [""])[0]
        check(rc2 == 0 and "(E-RFDN x4 clean, the authors' weights)" in first,
              "--official: the authors' weights (%r)" % first)
    else:
        print("skip --official and models with it: no %s" % official)
    rc, out = run("eval", "-m", model, "--check-lr", os.path.join(tmp, "none"),
                  os.path.join(hr, "baby.png"))
    check(rc == 1 and "--check-lr: cannot read" in out and "differs" not in out,
          "--check-lr with no reference file: said so, not 'differs' (%s)" % out.strip()[-120:])
    if os.path.isfile(official):
        env = dict(os.environ, RFDN_OFFICIAL_MODEL=official)
        rc, out = run("models", env=env)
        check(rc == 0 and ("  e-rfdn  x4 clean  %s  (the authors' weights)" % official) in out
              and "e-rfdn-x2.safetensors  (own weights)" in out,
              "models: whose weights each name runs (official configured)")
    for bad in ("0", "101", "abc", ""):
        rc, out = run("eval", "--bicubic", "--jpeg", bad, hr)
        check(rc == 2 and "--jpeg must be a JPEG quality from 1 to 100" in out,
              "--jpeg '%s' refused (status %d)" % (bad, rc))
    rc, out = run("--jpeg", "60", hr, "-o", os.path.join(tmp, "x.png"))
    check(rc == 2 and "go with eval" in out and not os.path.exists(os.path.join(tmp, "x.png")),
          "--jpeg outside eval refused (status %d)" % rc)
    shutil.rmtree(tmp)
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
