#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch checkpoints read by the engine without Python (engine/src/pth.c).

The seeded fixtures are saved with torch.save in the legacy format and the
zip format, plain, wrapped ({"params": ...} with DataParallel's "module."
prefix) and in float16; the CLI must produce the same bytes with each as
with the fixture's safetensors file.  Then damaged files (every truncation
length on a grid, random byte changes, a pickle that names os.system, a
state_dict with a non-tensor entry) must each be refused with a message or
loaded, never crash (the test runs under the sanitizers).

  test_pth.py RFDN_UPSCALE LOAD_MODELS FIXTURES_DIR SAMPLE_PNG
Skips (exit 77) without python3-torch.
"""
import os
import random
import subprocess
import sys
import tempfile

from checks import Checks  # tests/checks.py, beside this script


SRC = os.environ.get("RFDN_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(SRC, "tools"))


def main():
    cli, loader, fixtures, sample = sys.argv[1:5]
    try:
        import torch
        import reference
    except ImportError as e:
        print("SKIP: %s" % e)
        return 77
    check = Checks()

    with tempfile.TemporaryDirectory() as tmp:
        for name in ("rfdn-x2", "e-rfdn-x3"):
            st = os.path.join(fixtures, name + ".safetensors")
            sd, _ = reference.load_safetensors(st)
            ref_out = os.path.join(tmp, name + "-ref.png")
            subprocess.run([cli, "-q", "-m", st, sample, "-o", ref_out], check=True)
            want = open(ref_out, "rb").read()
            variants = {
                "legacy": (sd, False),
                "zip": (sd, True),
                "zip, wrapped, module. prefix":
                    ({"params": {"module." + k: v for k, v in sd.items()}}, True),
                "legacy, float16": ({k: v.half() for k, v in sd.items()}, False),
                "zip4, pickle protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL)": (sd, True),
                "legacy4, pickle protocol 4": (sd, False),
            }
            for label, (obj, zipped) in variants.items():
                pth = os.path.join(tmp, "%s-%s.pth" % (name, label.split(",")[0]))
                torch.save(obj, pth, _use_new_zipfile_serialization=zipped,
                           pickle_protocol=4 if "protocol 4" in label else 2)
                out = os.path.join(tmp, "out.png")
                r = subprocess.run([cli, "-q", "--overwrite", "-m", pth, sample, "-o", out],
                                   capture_output=True, text=True)
                check(r.returncode == 0 and open(out, "rb").read() == want,
                      "%s, %s .pth: same bytes as the safetensors file %s"
                      % (name, label, r.stderr.strip()))

        # A safetensors file whose header length begins with the bytes of a
        # pickle's PROTO 2 (0x80 0x02) is still a safetensors file.
        st = os.path.join(fixtures, "rfdn-x2.safetensors")
        raw = open(st, "rb").read()
        n = int.from_bytes(raw[:8], "little")
        want_len = 0x10280 if n <= 0x10280 else None
        if want_len:
            hdr = raw[8:8 + n] + b" " * (want_len - n)
            odd = os.path.join(tmp, "odd-header.safetensors")
            open(odd, "wb").write(want_len.to_bytes(8, "little") + hdr + raw[8 + n:])
            out = os.path.join(tmp, "odd.png")
            ref = os.path.join(tmp, "odd-ref.png")
            r1 = subprocess.run([cli, "-q", "-m", odd, sample, "-o", out], capture_output=True, text=True)
            r2 = subprocess.run([cli, "-q", "-m", st, sample, "-o", ref], capture_output=True, text=True)
            check(r1.returncode == 0 and r2.returncode == 0 and
                  open(out, "rb").read() == open(ref, "rb").read(),
                  "safetensors with header length bytes 80 02: read as safetensors %s" % r1.stderr.strip())

        # Damaged files: one loader process for all of them.
        rng = random.Random(1234)
        files, expect_error = [], []
        for src in ("rfdn-x2-legacy.pth", "rfdn-x2-zip.pth"):
            data = open(os.path.join(tmp, src), "rb").read()
            cuts = sorted(set([0, 1, 2, 3, 4, 8, 16, 64, 200, 1000] +
                              [rng.randrange(len(data)) for _ in range(120)] +
                              [len(data) - k for k in (1, 2, 8, 22, 100)]))
            for c in cuts:
                f = os.path.join(tmp, "cut-%s-%d" % (src, c))
                open(f, "wb").write(data[:c])
                files.append(f)
                expect_error.append(True)
            for i in range(300):
                b = bytearray(data)
                for _ in range(rng.choice((1, 1, 4))):
                    b[rng.randrange(len(b))] = rng.randrange(256)
                f = os.path.join(tmp, "flip-%s-%d" % (src, i))
                open(f, "wb").write(bytes(b))
                files.append(f)
                expect_error.append(None)  # either way, never a crash

        # never executes anything: a pickle calling os.system
        class Evil:
            def __reduce__(self):
                return (os.system, ("touch %s" % os.path.join(tmp, "pwned"),))
        evil = os.path.join(tmp, "evil.pth")
        torch.save({"fea_conv.weight": Evil()}, evil, _use_new_zipfile_serialization=False)
        files.append(evil)
        expect_error.append(True)
        notensor = os.path.join(tmp, "notensor.pth")
        torch.save(dict(sd, extra=3), notensor)
        files.append(notensor)
        expect_error.append(True)

        r = subprocess.run([loader] + files, capture_output=True, text=True, errors="replace")
        lines = r.stdout.splitlines()
        check(r.returncode == 0 and len(lines) == len(files),
              "loader survived %d damaged files (exit %d) %s"
              % (len(files), r.returncode, r.stderr[-2000:]))
        if len(lines) == len(files):
            bad = [(f, l) for f, l, e in zip(files, lines, expect_error)
                   if e and not l.startswith("error: ")]
            check(not bad, "every truncated file refused with a message %s" % bad[:3])
            errs = sum(l.startswith("error: ") for l in lines)
            print("     %d of %d damaged files refused, the rest loaded" % (errs, len(files)))
            print("     e.g. " + "; ".join(sorted(set(l for l in lines if l != "ok"))[:6]))
            check("not a tensor" in lines[-1], "non-tensor entry named: " + lines[-1])
        check(not os.path.exists(os.path.join(tmp, "pwned")), "the pickle ran no code")
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
