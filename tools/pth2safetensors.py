#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Convert a PyTorch RFDN / E-RFDN checkpoint to the project's model format.

Reads a state_dict saved by torch.save, in either the legacy pickle format
(like the authors' RFDN_AIM.pth) or the zip format, optionally wrapped in a
training checkpoint ({"model": ...}, {"state_dict": ...}, {"params": ...}) and
with DataParallel's "module." prefix.  The architecture, scale, nf and block
count are inferred from the tensors; --arch etc. override and are cross-checked.

  pth2safetensors.py ../shared/models/RFDN_AIM.pth e-rfdn-x4-official.safetensors \
      --source "AIM 2020 (njulj/RFDN)" --license MIT --training-data DF2K

The converted official file must not be committed to the repository.
"""

import argparse
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402


def extract_state_dict(obj):
    if isinstance(obj, dict):
        for key in ("state_dict", "model", "params", "params_ema", "net"):
            if key in obj and isinstance(obj[key], dict):
                return extract_state_dict(obj[key])
    if not isinstance(obj, dict) or not obj:
        raise ValueError("the file does not contain a state_dict")
    sd = {}
    for k, v in obj.items():
        if not torch.is_tensor(v):
            raise ValueError("entry %r is not a tensor" % k)
        sd[k[7:] if k.startswith("module.") else k] = v
    return sd


def infer(sd):
    if "fea_conv.weight" not in sd or "upsampler.0.weight" not in sd:
        raise ValueError("not an RFDN state_dict (no fea_conv / upsampler.0)")
    nf = sd["fea_conv.weight"].shape[0]
    blocks = max(int(m.group(1)) for k in sd
                 for m in [re.match(r"B(\d+)\.", k)] if m)
    up = sd["upsampler.0.weight"].shape[0] // 3
    scale = int(round(up ** 0.5))
    if scale * scale * 3 != sd["upsampler.0.weight"].shape[0]:
        raise ValueError("upsampler.0 has %d outputs, not 3*s*s"
                         % sd["upsampler.0.weight"].shape[0])
    attention = "esa" if any(".esa." in k for k in sd) else "cca"
    return nf, blocks, scale, attention


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--arch", choices=sorted(reference.ARCHS),
                    help="default: e-rfdn for ESA models, rfdn for CCA models")
    ap.add_argument("--block-residual", choices=["true", "false"],
                    help="default: false for e-rfdn, true for rfdn")
    ap.add_argument("--dtype", choices=["F32", "F16"], default="F32")
    ap.add_argument("--source", default="")
    ap.add_argument("--license", default="")
    ap.add_argument("--training-data", default="unknown")
    ap.add_argument("--iterations", default="unknown")
    ap.add_argument("--psnr-set5", default="")
    ap.add_argument("--psnr-set14", default="")
    a = ap.parse_args(argv)

    try:
        obj = torch.load(a.input, map_location="cpu")
        sd = extract_state_dict(obj)
        nf, blocks, scale, attention = infer(sd)
        arch = a.arch or ("e-rfdn" if attention == "esa" else "rfdn")
        if a.block_residual is not None:
            residual = a.block_residual == "true"
        else:
            residual = reference.ARCHS[arch][3]
        net = reference.Net(arch, scale, nf, blocks, attention, residual)
        # strict: every tensor name and shape must match the architecture
        net.load_state_dict({k: v.float() for k, v in sd.items()}, strict=True)
    except Exception as e:  # noqa: BLE001 - report any failure plainly
        print("pth2safetensors: %s: %s" % (a.input, e), file=sys.stderr)
        return 1

    meta = net.metadata()
    meta.update({"training_data": a.training_data, "iterations": a.iterations,
                 "converted_from": os.path.basename(a.input)})
    for key, val in (("source", a.source), ("license", a.license),
                     ("psnr_set5", a.psnr_set5), ("psnr_set14", a.psnr_set14)):
        if val:
            meta[key] = val
    reference.save_safetensors(a.output, net.state_dict(), meta, dtype=a.dtype)
    print("%s: %s x%d, nf %d, %d blocks, %d parameters" %
          (a.output, arch, scale, nf, blocks, reference.count_params(net)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
