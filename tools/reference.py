#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch reference of RFDN and E-RFDN, written from docs/MODELS.md.

This module is the ground truth the C engine is checked against, and the model
definition the training program (tools/train/) builds on.  It also reads and
writes the project's model format (safetensors with an `__metadata__` block).

Command line:
  reference.py fixtures OUTDIR [STEM...]  write the seeded golden fixtures for tests/
  reference.py run MODEL IN OUT    run a model on a raw fixture-style input
  reference.py params              print parameter counts of every architecture
"""

import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LRELU_SLOPE = 0.05
# E-RFDN's ESA needs the stride-2 map to be >= 7 wide for its 7x7 max-pool, so
# inputs smaller than this are replicate-padded at the bottom/right and the
# output cropped.  The C engine applies exactly the same rule.
ESA_MIN_SIZE = 15

ARCHS = {
    # name: (nf, blocks, attention, block_residual)
    "e-rfdn": (50, 4, "esa", False),
    "rfdn": (48, 6, "cca", True),
}


def conv(cin, cout, k, stride=1, padding=None):
    if padding is None:
        padding = k // 2
    return nn.Conv2d(cin, cout, k, stride=stride, padding=padding, bias=True)


class ESA(nn.Module):
    def __init__(self, nf):
        super().__init__()
        f = nf // 4
        self.conv1 = conv(nf, f, 1)
        self.conv_f = conv(f, f, 1)
        self.conv_max = conv(f, f, 3)
        self.conv2 = conv(f, f, 3, stride=2, padding=0)
        self.conv3 = conv(f, f, 3)
        self.conv3_ = conv(f, f, 3)
        self.conv4 = conv(f, nf, 1)

    def forward(self, x):
        c1_ = self.conv1(x)
        c1 = self.conv2(c1_)
        v = F.max_pool2d(c1, kernel_size=7, stride=3)
        v = F.relu(self.conv_max(v))
        c3 = F.relu(self.conv3(v))
        c3 = self.conv3_(c3)
        c3 = F.interpolate(c3, (x.size(2), x.size(3)), mode="bilinear",
                           align_corners=False)
        cf = self.conv_f(c1_)
        m = torch.sigmoid(self.conv4(c3 + cf))
        return x * m


class CCA(nn.Module):
    def __init__(self, nf, reduction=4):
        super().__init__()
        self.conv_du = nn.Sequential(
            conv(nf, nf // reduction, 1), nn.ReLU(inplace=True),
            conv(nf // reduction, nf, 1), nn.Sigmoid())

    def forward(self, x):
        mean = x.mean(dim=(2, 3), keepdim=True)
        std = ((x - mean) ** 2).mean(dim=(2, 3), keepdim=True).sqrt()
        return x * self.conv_du(mean + std)


class RFDB(nn.Module):
    def __init__(self, nf, attention, block_residual):
        super().__init__()
        dc = nf // 2
        self.c1_d = conv(nf, dc, 1)
        self.c1_r = conv(nf, nf, 3)
        self.c2_d = conv(nf, dc, 1)
        self.c2_r = conv(nf, nf, 3)
        self.c3_d = conv(nf, dc, 1)
        self.c3_r = conv(nf, nf, 3)
        self.c4 = conv(nf, dc, 3)
        self.c5 = conv(dc * 4, nf, 1)
        if attention == "esa":
            self.esa = ESA(nf)
        else:
            self.cca = CCA(nf)
        self.block_residual = block_residual

    def forward(self, x):
        act = lambda t: F.leaky_relu(t, LRELU_SLOPE)
        d1 = act(self.c1_d(x))
        r1 = act(self.c1_r(x) + x)
        d2 = act(self.c2_d(r1))
        r2 = act(self.c2_r(r1) + r1)
        d3 = act(self.c3_d(r2))
        r3 = act(self.c3_r(r2) + r2)
        d4 = act(self.c4(r3))
        f = self.c5(torch.cat([d1, d2, d3, d4], dim=1))
        out = self.esa(f) if hasattr(self, "esa") else self.cca(f)
        return out + x if self.block_residual else out


class Net(nn.Module):
    """RFDN / E-RFDN.  forward() returns y before the final clamp."""

    def __init__(self, arch="e-rfdn", scale=4, nf=None, blocks=None,
                 attention=None, block_residual=None):
        super().__init__()
        d = ARCHS[arch]
        self.arch = arch
        self.nf = nf if nf is not None else d[0]
        self.blocks = blocks if blocks is not None else d[1]
        self.attention = attention if attention is not None else d[2]
        self.block_residual = (block_residual if block_residual is not None
                               else d[3])
        self.scale = scale
        nf = self.nf
        self.fea_conv = conv(3, nf, 3)
        for k in range(1, self.blocks + 1):
            setattr(self, "B%d" % k,
                    RFDB(nf, self.attention, self.block_residual))
        self.c = nn.Sequential(conv(nf * self.blocks, nf, 1))
        self.LR_conv = conv(nf, nf, 3)
        self.upsampler = nn.Sequential(conv(nf, 3 * scale * scale, 3),
                                       nn.PixelShuffle(scale))

    def body(self, x):
        fea = self.fea_conv(x)
        outs = []
        b = fea
        for k in range(1, self.blocks + 1):
            b = getattr(self, "B%d" % k)(b)
            outs.append(b)
        fused = F.leaky_relu(self.c(torch.cat(outs, dim=1)), LRELU_SLOPE)
        lr = self.LR_conv(fused) + fea
        return self.upsampler(lr)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        if self.attention == "esa" and (h < ESA_MIN_SIZE or w < ESA_MIN_SIZE):
            ph, pw = max(0, ESA_MIN_SIZE - h), max(0, ESA_MIN_SIZE - w)
            x = F.pad(x, (0, pw, 0, ph), mode="replicate")
            y = self.body(x)
            return y[:, :, :h * self.scale, :w * self.scale]
        return self.body(x)

    def metadata(self):
        return {
            "format": "rfdn-upscaler",
            "format_version": "1",
            "architecture": self.arch,
            "scale": str(self.scale),
            "nf": str(self.nf),
            "blocks": str(self.blocks),
            "attention": self.attention,
            "block_residual": "true" if self.block_residual else "false",
            "input_range": "255",
        }


def count_params(model):
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------------------
# safetensors (https://github.com/huggingface/safetensors): 8-byte little-endian
# header length, JSON header, raw little-endian tensor data.

_DTYPES = {"F32": (np.float32, 4), "F16": (np.float16, 2)}


def save_safetensors(path, tensors, metadata, dtype="F32"):
    """tensors: dict name -> torch tensor or numpy array (any float dtype)."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    np_dtype, size = _DTYPES[dtype]
    blobs = []
    off = 0
    for name in sorted(tensors):
        t = tensors[name]
        a = t.detach().cpu().numpy() if torch.is_tensor(t) else np.asarray(t)
        a = np.ascontiguousarray(a, dtype=np.dtype(np_dtype).newbyteorder("<"))
        b = a.tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape),
                        "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)  # keep the data 8-byte aligned
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def load_safetensors(path):
    """Returns (dict name -> float32 torch tensor, metadata dict)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, info in header.items():
        np_dtype, size = _DTYPES[info["dtype"]]
        b, e = info["data_offsets"]
        a = np.frombuffer(data[base + b:base + e], dtype=np.dtype(np_dtype).newbyteorder("<"))
        out[name] = torch.from_numpy(a.astype(np.float32).reshape(info["shape"]))
    return out, meta


def model_from_file(path):
    tensors, meta = load_safetensors(path)
    net = Net(meta["architecture"], int(meta["scale"]), int(meta["nf"]),
              int(meta["blocks"]), meta["attention"],
              meta["block_residual"] == "true")
    net.load_state_dict(tensors, strict=True)
    net.eval()
    return net, meta


# ---------------------------------------------------------------------------
# Golden fixtures for tests/.

FIXTURE_MAGIC = b"RFDNFIX1"
FIXTURE_SIZES = [(1, 1), (7, 13), (15, 15), (16, 17), (64, 48)]  # (w, h)


def write_fixture(path, scale, x, y):
    """x: 3xHxW input, y: 3x(sH)x(sW) output (before clamping), float32."""
    _, h, w = x.shape
    with open(path, "wb") as f:
        f.write(FIXTURE_MAGIC)
        f.write(struct.pack("<4i", w, h, 3, scale))
        f.write(np.ascontiguousarray(x, dtype="<f4").tobytes())
        f.write(np.ascontiguousarray(y, dtype="<f4").tobytes())


def read_fixture_input(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == FIXTURE_MAGIC, "not a fixture file"
    w, h, c, scale = struct.unpack("<4i", data[8:24])
    x = np.frombuffer(data[24:24 + 4 * c * h * w], dtype="<f4").reshape(c, h, w)
    return x, scale


def seeded_model(arch, scale, seed, **kw):
    """Random weights with a deterministic generator, rounded to float16 (the
    fixtures are stored as F16 to keep the repository small).  Weights are
    scaled so that activations stay in the range of a real model and the final
    output spans [0, 255] rather than saturating.  The golden outputs are
    computed in float64, so they hold the exact result of these weights."""
    g = torch.Generator().manual_seed(seed)
    net = Net(arch, scale, **kw)
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name.endswith(".weight"):
                fan_in = p.shape[1] * p.shape[2] * p.shape[3]
                # gain 0.7 keeps activations (and float32 rounding) at the
                # level of the trained official model
                std = 0.7 * (1.0 / fan_in) ** 0.5
                p.copy_(torch.randn(p.shape, generator=g) * std)
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
        # Scale the output to a spread of about 50 around mid-grey so that
        # the final clamp seldom matters and the fixtures test every pixel.
        net.eval()
        y = net(fixture_input(32, 32, seed).unsqueeze(0))
        net.upsampler[0].weight.mul_(50.0 / y.std().item())
        net.upsampler[0].bias.mul_(50.0 / y.std().item()).add_(128.0)
        for p in net.parameters():
            p.copy_(p.half().float())
    net.eval()
    return net


FIXTURE_MODELS = [
    # (file stem, arch, scale, seed[, Net options])
    ("rfdn-x2", "rfdn", 2, 1002),
    ("rfdn-x3", "rfdn", 3, 1003),
    ("rfdn-x4", "rfdn", 4, 1004),
    ("e-rfdn-x2", "e-rfdn", 2, 2002),
    ("e-rfdn-x3", "e-rfdn", 3, 2003),
    # ESA with a residual around each block: not a published model, but the
    # format allows it and the engine has a path of its own for it
    ("e-rfdn-res-x2", "e-rfdn", 2, 2102, {"block_residual": True}),
]


def fixture_input(w, h, seed):
    """A test image: smooth gradients plus texture plus noise, in [0, 255]."""
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.arange(h, dtype=torch.float32),
                            torch.arange(w, dtype=torch.float32), indexing="ij")
    base = torch.stack([
        128 + 100 * torch.sin(xx * 0.31 + yy * 0.07),
        128 + 100 * torch.cos(yy * 0.23 - xx * 0.11),
        128 + 90 * torch.sin((xx + yy) * 0.17 + 1.0),
    ])
    noise = torch.rand((3, h, w), generator=g) * 40 - 20
    return (base + noise).clamp(0, 255)


def make_fixtures(outdir, only=None):
    os.makedirs(outdir, exist_ok=True)
    for stem, arch, scale, seed, *opt in FIXTURE_MODELS:
        if only and stem not in only:
            continue
        net = seeded_model(arch, scale, seed, **(opt[0] if opt else {}))
        meta = net.metadata()
        meta.update({"training_data": "none (seeded random test fixture)",
                     "iterations": "0", "seed": str(seed)})
        save_safetensors(os.path.join(outdir, stem + ".safetensors"),
                         net.state_dict(), meta, dtype="F16")
        for (w, h) in FIXTURE_SIZES:
            x = fixture_input(w, h, seed * 100 + w * 7 + h)
            with torch.no_grad():  # golden output in float64
                y = net.double()(x.unsqueeze(0).double())[0].float()
                net.float()
            sat = ((y < 0) | (y > 255)).float().mean().item()
            write_fixture(os.path.join(outdir, "%s_%dx%d.bin" % (stem, w, h)),
                          scale, x.numpy(), y.numpy())
            print("%-10s %3dx%-3d out range [%7.2f, %7.2f] saturated %.1f%%"
                  % (stem, w, h, y.min().item(), y.max().item(), sat * 100))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("fixtures")
    p.add_argument("outdir")
    p.add_argument("only", nargs="*", help="these fixture models only (default: all)")
    p = sub.add_parser("run", help="run MODEL on a fixture input, write a fixture")
    p.add_argument("model")
    p.add_argument("input")
    p.add_argument("output")
    sub.add_parser("params")
    a = ap.parse_args(argv)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    if a.cmd == "fixtures":
        make_fixtures(a.outdir, a.only)
    elif a.cmd == "run":
        net, meta = model_from_file(a.model)
        x, _ = read_fixture_input(a.input)
        with torch.no_grad():
            y = net(torch.from_numpy(x.copy()).unsqueeze(0))[0]
        write_fixture(a.output, net.scale, x, y.numpy())
    elif a.cmd == "params":
        for arch in ARCHS:
            print(arch, [count_params(Net(arch, s)) for s in (2, 3, 4)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
