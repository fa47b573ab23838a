#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`rfdn-upscale eval` on compressed input and its bicubic baseline (issue 23):

- --jpeg Q makes exactly the LR that tools/train/train.py validates photo
  models on (MATLAB-bicubic LR saved as JPEG by Pillow, 4:2:0, decoded):
  --check-lr compares them byte for byte on Set5 and Set14 at x2 and x4,
  grey images included, and fails on the clean LR or another quality;
- --bicubic scores what docs/MODELS.md publishes for bicubic upscaling on
  Set5 and Set14 at x2, x3, x4 (to two decimals);
- bad --jpeg values, and the eval options outside eval, are refused.

  test_eval.py RFDN_UPSCALE EVAL_DIR TRAIN_DIR
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
    cli, ev, train_dir = sys.argv[1:4]
    if not os.path.isdir(ev):
        print("SKIP: %s not found" % ev)
        return 77
    sys.path.insert(0, train_dir)
    sys.path.insert(0, os.path.dirname(train_dir))
    import degrade  # tools/train/degrade.py: the JPEG of train.py's validation
    check = Checks()
    tmp = tempfile.mkdtemp(prefix="rfdn-eval-")

    def run(*args):
        p = subprocess.run([cli] + list(args), capture_output=True, text=True)
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
