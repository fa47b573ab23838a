#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Seed corpora for the fuzz targets, made from small generated files (never
the authors' weights): OUT/model (tiny RFDN and E-RFDN models as safetensors
in F32 and F16 and as PyTorch checkpoints in zip and legacy format) and
OUT/image (small PNG, JPEG, WebP and TIFF images: gray, RGB, alpha, 8 and
16 bits, with resolution, ICC profile and EXIF where the format has them).
    tests/fuzz/make-seeds.py OUT        (python3-torch, python3-pil)
"""
import io
import os
import struct
import sys
import zlib

import torch
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
import reference  # noqa: E402


def models(out):
    os.makedirs(out, exist_ok=True)
    for arch, scale, seed in (("e-rfdn", 2, 1), ("rfdn", 3, 2), ("e-rfdn", 4, 3)):
        torch.manual_seed(seed)
        # the smallest the format allows: few features, one block
        net = reference.Net(arch, scale, nf=8, blocks=1)
        stem = os.path.join(out, "%s-x%d" % (arch, scale))
        for dtype in ("F32", "F16"):
            reference.save_safetensors("%s-%s.safetensors" % (stem, dtype.lower()),
                                       net.state_dict(), net.metadata(), dtype=dtype)
        sd = {k: v.half() for k, v in net.state_dict().items()}
        torch.save(sd, stem + "-zip.pth")
        torch.save(sd, stem + "-legacy.pth", _use_new_zipfile_serialization=False)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xffffffff)


def images(out):
    os.makedirs(out, exist_ok=True)
    w, h = 7, 5
    rgb = Image.frombytes("RGB", (w, h), bytes((i * 53) % 256 for i in range(w * h * 3)))
    rgba = rgb.copy()
    rgba.putalpha(Image.frombytes("L", (w, h), bytes((i * 29) % 256 for i in range(w * h))))
    gray = rgb.convert("L")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation
    icc = open("/usr/share/color/icc/colord/sRGB.icc", "rb").read() \
        if os.path.exists("/usr/share/color/icc/colord/sRGB.icc") else None
    rgb.save(os.path.join(out, "rgb.png"), dpi=(300, 300))
    rgba.save(os.path.join(out, "rgba.png"))
    gray.save(os.path.join(out, "gray.png"))
    gray.convert("LA").save(os.path.join(out, "gray-alpha.png"))
    Image.frombytes("I;16", (w, h), bytes(range(w * h * 2))).save(os.path.join(out, "gray16.png"))
    rgb.convert("P").save(os.path.join(out, "palette.png"))
    kw = {"icc_profile": icc} if icc else {}
    rgb.save(os.path.join(out, "rgb.jpg"), quality=80, exif=exif, **kw)
    gray.save(os.path.join(out, "gray.jpg"), quality=50)
    rgb.save(os.path.join(out, "progressive.jpg"), quality=70, progressive=True)
    rgb.save(os.path.join(out, "lossy.webp"), quality=60)
    rgba.save(os.path.join(out, "lossless.webp"), lossless=True)
    rgb.save(os.path.join(out, "rgb.tif"), dpi=(72, 72))
    rgba.save(os.path.join(out, "rgba-deflate.tif"), compression="tiff_adobe_deflate")
    Image.frombytes("I;16", (w, h), bytes(range(w * h * 2))).save(os.path.join(out, "gray16.tif"))
    # a 16-bit RGB PNG written by hand (PIL cannot), with pHYs
    raw = b"".join(b"\0" + bytes((x * 7 + y * 13 + c) % 256 for x in range(w)
                                  for c in range(6)) for y in range(h))
    png = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
           + png_chunk(b"pHYs", struct.pack(">IIB", 11811, 11811, 1))
           + png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))
    open(os.path.join(out, "rgb16.png"), "wb").write(png)


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    models(os.path.join(argv[1], "model"))
    images(os.path.join(argv[1], "image"))


if __name__ == "__main__":
    main(sys.argv)
