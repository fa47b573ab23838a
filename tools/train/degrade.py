# SPDX-License-Identifier: GPL-3.0-or-later
"""The degradations the photo models are trained for (issue 23).

Clean models see one degradation: MATLAB bicubic.  People upscale JPEGs,
phone photos and web pictures, so a photo model's LR patch is made from its
HR patch by a random chain, drawn from the run's seeded generator:

  1. blur (probability P_BLUR): Gaussian, sigma uniform in
     [0.2, 0.5] x scale HR pixels (camera optics, earlier resizes);
  2. downscale by the scale with a kernel drawn from KERNELS: MATLAB bicubic
     (tools/matlab_bicubic.py, as the evaluation does) most often, else
     bilinear, box (area) or Lanczos (Pillow's, antialiased like MATLAB's);
  3. noise (probability P_NOISE): Gaussian or Poisson, its level up to
     NOISE_MAX / 255 at mid-grey, either the same on the three channels
     (luminance) or independent per channel (chroma);
  4. JPEG (probability P_JPEG): libjpeg through Pillow, 4:2:0 chroma, as
     the evaluation's `eval --jpeg`, the quality uniform in [Q_LIGHT, Q_MAX]
     for a share P_LIGHT of them (light compression, where a model that
     smooths too much loses detail) and in [Q_MIN, Q_LIGHT) for the rest;
     with probability P_TWICE saved a second time at another such quality.

A share P_CLEAN of the patches skips the chain: plain MATLAB bicubic, as
for the clean models, so that a photo model stays close to its clean model
on clean input (with the chains that draw bicubic and nothing else, about
21 % of the patches are plain bicubic).  The chain works on a crop with a margin of at least MARGIN
LR pixels on each side, and the patch is cut from its middle, so that no
kernel sees the crop's border: the top and left margins are wider by a
random 0-7 (the JPEG grid falls anywhere in the patch), the bottom and right
ones as much as makes the crop a whole number of 16-pixel blocks (4:2:0
chroma), so that no JPEG block holding patch pixels is padded.

NAME identifies this mix; exported models carry it and DESCRIPTION in
their metadata.  Changing a probability or range means a new NAME (train.py
notes a change of mix in a resumed run's log).

photo-v1 (to E-RFDN x4 photo's step 7,200): P_CLEAN 0.15, P_BLUR 0.15,
P_NOISE 0.3, the quality uniform in 30-95, P_TWICE 0.2.  At step 6,000 it
met every bar but one: on Set14 with q85 input it was 0.25 dB above the
clean model (bar 0.3), and 26.756 dB at 7,200 (26.770 at 6,000): the mix
was too heavy on strong compression, so photo-v2 draws half of the JPEG
qualities from 70-95 and has less blur and noise.
"""

import io

import numpy as np

import matlab_bicubic

NAME = "photo-v2"
P_CLEAN = 0.15
P_BLUR = 0.1
KERNELS = (("bicubic", 0.55), ("bilinear", 0.15), ("area", 0.15), ("lanczos", 0.15))
P_NOISE = 0.25
NOISE_MAX = 8.0
P_JPEG = 0.8
Q_MIN, Q_LIGHT, Q_MAX = 30, 70, 95
P_LIGHT = 0.5
P_TWICE = 0.15
MARGIN = 4

DESCRIPTION = (
    "%s: %d%% plain MATLAB bicubic; else blur (p %.2f, sigma 0.2-0.5 x scale), "
    "downscale by %s, noise (p %.2f, Gaussian or Poisson, luminance or chroma, "
    "up to %g/255), JPEG (p %.2f, q %d-%d for %d%%, else %d-%d, 4:2:0, p %.2f twice)" % (
        NAME, round(P_CLEAN * 100), P_BLUR,
        ", ".join("%s %.2f" % k for k in KERNELS), P_NOISE, NOISE_MAX,
        P_JPEG, Q_LIGHT, Q_MAX, round(P_LIGHT * 100), Q_MIN, Q_LIGHT - 1, P_TWICE))


def far_margin(near, patch):
    """The bottom (right) margin of a crop whose top (left) one is `near`:
    at least MARGIN, and the crop's side a multiple of 16."""
    return MARGIN + (-(near + patch + MARGIN)) % 16


def jpeg(img, quality):
    """uint8 HxWx3 (or HxW, grey) through libjpeg at `quality`, 4:2:0, and
    back."""
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=int(quality), subsampling=2)
    buf.seek(0)
    with Image.open(buf) as im:
        return np.array(im.convert("RGB" if img.ndim == 3 else "L"))


def _gaussian_blur(img, sigma):
    r = max(1, int(np.ceil(3 * sigma)))
    t = np.arange(-r, r + 1, dtype=np.float64)
    k = np.exp(-0.5 * (t / sigma) ** 2)
    k /= k.sum()
    x = np.pad(img.astype(np.float64), ((r, r), (r, r), (0, 0)), mode="reflect")
    x = sum(k[i] * x[i:i + img.shape[0]] for i in range(2 * r + 1))
    x = sum(k[i] * x[:, i:i + img.shape[1]] for i in range(2 * r + 1))
    return np.clip(np.floor(x + 0.5), 0, 255).astype(np.uint8)


def downscale(img, scale, kernel):
    """uint8 HxWx3 (multiples of scale) -> uint8, by one of KERNELS."""
    if kernel == "bicubic":
        return matlab_bicubic.imresize_down(img, scale)
    from PIL import Image
    flt = {"bilinear": Image.BILINEAR, "area": Image.BOX,
           "lanczos": Image.LANCZOS}[kernel]
    h, w = img.shape[:2]
    return np.array(Image.fromarray(img).resize((w // scale, h // scale), flt))


def _noise(img, rng):
    x = img.astype(np.float64)
    level = rng.uniform(1.0, NOISE_MAX)          # std at mid-grey, 0-255 units
    shape = x.shape[:2] + ((1,) if rng.random() < 0.5 else (3,))
    if rng.random() < 0.7:
        x = x + rng.normal(0.0, level, shape)
    else:
        # Poisson with `peak` photons at white: std sqrt(v * 255 / peak)
        peak = 127.5 * 255.0 / level ** 2
        lam = np.broadcast_to(x.mean(axis=2, keepdims=True) if shape[2] == 1 else x,
                              shape) * peak / 255.0
        x = x + rng.poisson(lam) * 255.0 / peak - lam * 255.0 / peak
    return np.clip(np.floor(x + 0.5), 0, 255).astype(np.uint8)


def degrade(hr, scale, rng):
    """hr: uint8 HxWx3 crop, sides multiples of scale.  Returns its LR
    (uint8, sides divided by scale) after one random chain."""
    if rng.random() < P_CLEAN:
        return matlab_bicubic.imresize_down(hr, scale)
    x = hr
    if rng.random() < P_BLUR:
        x = _gaussian_blur(x, rng.uniform(0.2, 0.5) * scale)
    names = [k for k, _ in KERNELS]
    p = np.array([w for _, w in KERNELS])
    x = downscale(x, scale, names[rng.choice(len(names), p=p / p.sum())])
    if rng.random() < P_NOISE:
        x = _noise(x, rng)
    if rng.random() < P_JPEG:
        x = jpeg(x, _quality(rng))
        if rng.random() < P_TWICE:
            x = jpeg(x, _quality(rng))
    return x


def _quality(rng):
    if rng.random() < P_LIGHT:
        return rng.integers(Q_LIGHT, Q_MAX + 1)
    return rng.integers(Q_MIN, Q_LIGHT)
