#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""rfdn-upscale --content (issue 23), end to end on made images:

- auto: a JPEG file is photo with its quality estimated from its tables
  ("JPEG quality about 70"), a PNG re-saved from a q50 JPEG is photo (block
  edges in the pixels), a clean render is clean, a q98 JPEG of it is clean;
- the photo choice upscales with the photo model and the clean choice with
  the clean one (pixels equal to -m with that file), and a lossless input's
  result is byte-identical to --content clean's and -m clean's;
- clean and photo force the variant; a missing photo model falls back to
  the clean one with a note, exit 0; a bad value is refused;
- `models` lists both variants.
The two "models" are fixtures with different random weights.

  test_content.py RFDN_UPSCALE FIXTURES_DIR
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from checks import Checks  # tests/checks.py, beside this script


def photo_like(w=96, h=80, seed=1):
    """Smooth shading and soft shapes: where JPEG leaves its block edges."""
    y, x = np.mgrid[0:h, 0:w]
    a = np.stack([120 + 60 * np.sin(x / 17.0 + c) * np.cos(y / 23.0 - c) for c in (0, 1, 2)], -1)
    im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    d, r = ImageDraw.Draw(im), np.random.default_rng(seed)
    for _ in range(6):
        c, p = r.integers(0, 255, 3), r.integers(0, min(w, h), 4)
        d.ellipse([p[0], p[1], p[0] + p[2] // 2 + 4, p[1] + p[3] // 2 + 4],
                  fill=tuple(int(v) for v in c))
    return im.filter(ImageFilter.GaussianBlur(1.5))


def main():
    cli, fixtures = sys.argv[1:3]
    check = Checks()
    tmp = tempfile.mkdtemp(prefix="rfdn-content-")
    both, clean_only = os.path.join(tmp, "both"), os.path.join(tmp, "clean-only")
    os.makedirs(both)
    os.makedirs(clean_only)
    clean_model = os.path.join(fixtures, "e-rfdn-x2.safetensors")
    photo_model = os.path.join(fixtures, "e-rfdn-res-x2.safetensors")
    shutil.copy(clean_model, os.path.join(both, "e-rfdn-x2.safetensors"))
    shutil.copy(photo_model, os.path.join(both, "e-rfdn-x2-photo.safetensors"))
    shutil.copy(clean_model, os.path.join(clean_only, "e-rfdn-x2.safetensors"))

    def run(models, *args):
        env = dict(os.environ, RFDN_MODEL_DIR=models, XDG_DATA_HOME=os.path.join(tmp, "xdg"),
                   RFDN_UNINSTALLED="0")
        p = subprocess.run([cli] + list(args), capture_output=True, text=True, env=env)
        return p.returncode, p.stdout + p.stderr

    def pixels(path):
        with Image.open(path) as im:
            return np.array(im)

    im = photo_like()
    inputs = {"render.png": None, "q50.png": None}
    im.save(os.path.join(tmp, "render.png"))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=50)
    buf.seek(0)
    Image.open(buf).save(os.path.join(tmp, "q50.png"))
    for q in (30, 50, 70, 85, 95, 98):
        im.save(os.path.join(tmp, "q%d.jpg" % q), quality=q)
        inputs["q%d.jpg" % q] = None
    want = {"render.png": ("clean", "no JPEG block edges"),
            "q50.png": ("photo", "JPEG block edges in the pixels"),
            "q98.jpg": ("clean", "JPEG quality about 98, no JPEG block edges")}
    for q in (30, 50, 70, 85, 95):
        want["q%d.jpg" % q] = ("photo", "JPEG quality about %d: photo model" % q)

    for name, (variant, why) in want.items():
        src, out = os.path.join(tmp, name), os.path.join(tmp, "out-" + name + ".png")
        rc, log = run(both, "-v", "-s", "2", src, "-o", out)
        check(rc == 0 and why in log and log.strip().endswith(variant + " model"),
              "%s: %s (%s)" % (name, variant, log.strip().split(": ", 1)[-1]))
        ref = os.path.join(tmp, "ref-" + name + ".png")
        run(both, "-q", "-m", photo_model if variant == "photo" else clean_model, src, "-o", ref)
        check(rc == 0 and np.array_equal(pixels(out), pixels(ref)),
              "%s: upscaled by the %s model" % (name, variant))
        inputs[name] = out

    # a lossless input: the same bytes as with the clean model chosen by hand
    forced = os.path.join(tmp, "forced-clean.png")
    rc, _ = run(both, "-q", "-s", "2", "--content", "clean", os.path.join(tmp, "render.png"),
                "-o", forced)
    with open(forced, "rb") as a, open(inputs["render.png"], "rb") as b:
        check(rc == 0 and a.read() == b.read(), "render.png: auto's file is --content clean's, "
              "byte for byte")
    by_file = os.path.join(tmp, "by-file.png")
    run(both, "-q", "-m", clean_model, os.path.join(tmp, "render.png"), "-o", by_file)
    with open(by_file, "rb") as a, open(inputs["render.png"], "rb") as b:
        check(a.read() == b.read(), "render.png: auto's file is -m clean's, byte for byte")

    # forced variants: the other variant than auto would pick
    for variant, name, model in (("clean", "q50.jpg", clean_model),
                                 ("photo", "render.png", photo_model)):
        out, ref = (os.path.join(tmp, "%s-%s-%s.png" % (w, variant, name)) for w in "fr")
        rc, log = run(both, "-v", "-s", "2", "--content", variant, os.path.join(tmp, name),
                      "-o", out)
        run(both, "-q", "-m", model, os.path.join(tmp, name), "-o", ref)
        check(rc == 0 and "%s model (--content %s)" % (variant, variant) in log
              and np.array_equal(pixels(out), pixels(ref)),
              "--content %s on %s: the %s model" % (variant, name, variant))

    # no photo model installed: the clean one, with a note, exit 0
    out = os.path.join(tmp, "fallback.png")
    rc, log = run(clean_only, "-v", "-s", "2", os.path.join(tmp, "q70.jpg"), "-o", out)
    ref = os.path.join(tmp, "ref-clean-q70.png")
    run(both, "-q", "-m", clean_model, os.path.join(tmp, "q70.jpg"), "-o", ref)
    check(rc == 0 and "no photo model for e-rfdn x2 is installed (e-rfdn-x2-photo.safetensors)"
          in log and "not installed: the clean model is used" in log
          and np.array_equal(pixels(out), pixels(ref)),
          "no photo model: the clean one, with a note (status %d)" % rc)
    rc, log = run(clean_only, "-q", "-s", "2", os.path.join(tmp, "q70.jpg"), "-o",
                  os.path.join(tmp, "fallback-q.png"))
    check(rc == 0 and log == "", "-q silences the note")

    rc, log = run(both, "--content", "jpeg", "-s", "2", os.path.join(tmp, "q70.jpg"), "-o",
                  os.path.join(tmp, "bad.png"))
    check(rc == 2 and "--content: content 'jpeg' is not one of auto, clean, photo" in log
          and not os.path.exists(os.path.join(tmp, "bad.png")), "a bad --content is refused")
    rc, log = run(both, "models")
    check(rc == 0 and "e-rfdn  x2 photo  " + os.path.join(both, "e-rfdn-x2-photo.safetensors")
          in log and "e-rfdn  x2 clean  " in log and "rfdn    x3 photo  (not installed)" in log,
          "models lists clean and photo")
    shutil.rmtree(tmp)
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
