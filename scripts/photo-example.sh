#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes docs/photo-example.png for the README: a real photograph reduced 4
# times and saved as a web JPEG (quality 70, 4:2:0), then upscaled x4 by
# bicubic, by a clean x4 model and by its photo variant (with the CLI, -m,
# so the variants are the named files; RFDN x4 by default, the first x4
# photo model to ship, or ARCH=e-rfdn); one crop of each, side by side.
# The photograph is one of ../shared/datasets/train/Photos: the photo
# models were trained on it (at other crops and degradations).
#   scripts/photo-example.sh [CLI [PHOTO [X Y]]]     (X Y: the crop in the result)
set -eu
cd "$(dirname "$0")/.."
CLI=${1:-build/cli/rfdn-upscale}
PHOTO=${2:-${RFDN_SHARED_DIR:-../shared}/datasets/train/Photos/bb106.jpg}
X=${3:-}
Y=${4:-}
ARCH=${ARCH:-rfdn}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
/usr/bin/python3 - "$PHOTO" "$T" <<'PY'
import sys
from PIL import Image
photo, t = sys.argv[1:3]
im = Image.open(photo).convert("RGB")
w, h = im.size[0] // 4 // 8 * 8, im.size[1] // 4 // 8 * 8
im.resize((w, h), Image.LANCZOS).save(t + "/web.jpg", quality=70, subsampling=2)
Image.open(t + "/web.jpg").resize((w * 4, h * 4), Image.BICUBIC).save(t + "/bicubic.png")
PY
"$CLI" -q -m "models/$ARCH-x4.safetensors" "$T/web.jpg" -o "$T/clean.png"
"$CLI" -q -m "models/$ARCH-x4-photo.safetensors" "$T/web.jpg" -o "$T/photo.png"
/usr/bin/python3 - "$T" "$X" "$Y" "$ARCH" <<'PY'
import sys
from PIL import Image, ImageDraw
t, x, y, arch = sys.argv[1:5]
name = {"rfdn": "RFDN", "e-rfdn": "E-RFDN"}[arch]
imgs = [Image.open("%s/%s.png" % (t, n)) for n in ("bicubic", "clean", "photo")]
w, h = imgs[0].size
c = 256
x = int(x) if x else (w - c) // 2
y = int(y) if y else (h - c) // 2
labels = ["web JPEG (q70), bicubic x4", name + " x4 clean", name + " x4 photo"]
out = Image.new("RGB", (3 * c + 16, c + 22), (255, 255, 255))
d = ImageDraw.Draw(out)
for i, (im, lab) in enumerate(zip(imgs, labels)):
    out.paste(im.crop((x, y, x + c, y + c)), (i * (c + 8), 22))
    d.text((i * (c + 8) + 4, 5), lab, fill=(0, 0, 0))
out.save("docs/photo-example.png", optimize=True)
print("docs/photo-example.png: crop at %d,%d of %dx%d" % (x, y, w, h))
PY
