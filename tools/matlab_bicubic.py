#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""MATLAB-compatible bicubic resizing (imresize(img, 1/s or s, 'bicubic')) in numpy.

The same algorithm as common/imageops.c: antialiasing cubic kernel (a = -0.5)
widened by the scale, mirrored borders, the vertical direction first, each pass
rounded (half away from zero) and clipped to uint8.  Training makes its LR
inputs with it so that they match the evaluation conditions exactly.

  matlab_bicubic.py check HR_DIR LR_DIR SCALE   compare with reference LR files
"""

import sys

import numpy as np


def _cubic(x):
    ax = np.abs(x)
    ax2, ax3 = ax * ax, ax * ax * ax
    return ((1.5 * ax3 - 2.5 * ax2 + 1.0) * (ax <= 1.0) +
            (-0.5 * ax3 + 2.5 * ax2 - 4.0 * ax + 2.0) * ((ax > 1.0) & (ax <= 2.0)))


def _contributions(in_len, s, up=False):
    """Downscaling by s (the kernel widened by s), or upscaling by s."""
    out_len = in_len * s if up else in_len // s
    scale = float(s) if up else 1.0 / s
    kw = 4.0 if up else 4.0 * s
    taps = int(np.ceil(kw)) + 2
    i = np.arange(1, out_len + 1, dtype=np.float64)
    u = i / scale + 0.5 * (1.0 - 1.0 / scale)
    left = np.floor(u - kw / 2.0).astype(np.int64)
    j = left[:, None] + np.arange(taps)[None, :]          # 1-based indices
    w = _cubic(u[:, None] - j) if up else scale * _cubic(scale * (u[:, None] - j))
    w /= w.sum(axis=1, keepdims=True)
    m = np.mod(j - 1, 2 * in_len)
    idx = np.where(m < in_len, m, 2 * in_len - 1 - m)
    return idx, w


def _round_clip(a):
    # np.round rounds half to even; MATLAB rounds half away from zero
    return np.clip(np.sign(a) * np.floor(np.abs(a) + 0.5), 0, 255).astype(np.uint8)


def _imresize(img, s, up):
    img = np.asarray(img)
    squeeze = img.ndim == 2
    if squeeze:
        img = img[:, :, None]
    h, w = img.shape[:2]
    if not up and (h % s or w % s):
        raise ValueError("size %dx%d is not a multiple of %d" % (w, h, s))
    x = img.astype(np.float64)
    idx, wt = _contributions(h, s, up)                 # vertical first
    mid = _round_clip(np.einsum("ot,otwc->owc", wt, x[idx]))
    idx, wt = _contributions(w, s, up)
    x = mid.astype(np.float64)
    out = _round_clip(np.einsum("ot,hotc->hoc", wt, x[:, idx]))
    return out[:, :, 0] if squeeze else out


def imresize_down(img, s):
    """img: uint8 HxW or HxWxC with H, W multiples of s.  Returns uint8."""
    return _imresize(img, s, False)


def imresize_up(img, s):
    """imresize(img, s, 'bicubic'), the baseline of SR papers (as
    common/imageops.c's rfdn_imresize_up).  Returns uint8."""
    return _imresize(img, s, True)


def modcrop(img, s):
    h, w = img.shape[:2]
    return img[:h - h % s, :w - w % s]


def _check(hr_dir, lr_dir, s):
    import os
    from PIL import Image
    bad = 0
    for name in sorted(os.listdir(hr_dir)):
        hr = np.array(Image.open(os.path.join(hr_dir, name)))
        lr = imresize_down(modcrop(hr, s), s)
        ref = np.array(Image.open(os.path.join(lr_dir, name)))
        same = lr.shape == ref.shape and np.array_equal(lr, ref)
        print("%-20s %s" % (name, "identical" if same else "DIFFERENT"))
        bad += not same
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "check":
        sys.exit(_check(sys.argv[2], sys.argv[3], int(sys.argv[4])))
    print(__doc__)
    sys.exit(2)
