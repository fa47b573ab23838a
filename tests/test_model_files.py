#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Model files that must cost neither time nor memory (issue 26): a FIFO
given as the model is refused at once instead of waiting for a writer; a
1000 MB file with a bad header is refused before it is read; a .pth whose
state_dict names one 4 MiB storage under 200 keys is refused without
copying it 200 times.  Peak memory is the loader process's ru_maxrss; a
.pth whose tensors legitimately share one flat storage still loads.

  test_model_files.py RFDN_UPSCALE LOAD_MODELS FIXTURES_DIR SAMPLE_PNG
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

from checks import Checks  # tests/checks.py, beside this script
import pthmake  # tests/pthmake.py: .pth files without torch

TIMEOUT = 20   # seconds: a hang fails the test rather than blocking it
PEAK_MB = 150  # the loaders' peak stays far below the 800-1000 MB of the old code


def run(cmd):
    """(exit status or None on timeout, stdout, stderr, peak RSS in MB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + TIMEOUT
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                _, status, ru = os.wait4(p.pid, 0)
                status = None
                break
            time.sleep(0.02)
        p.returncode = 0  # reaped here; keeps Popen from waiting again
        out.seek(0)
        err.seek(0)
        rc = os.waitstatus_to_exitcode(status) if status is not None else None
        return (rc, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                ru.ru_maxrss / 1024)


def flat_pth(fixture, path, zipped):
    """The fixture's tensors (F16 widened to F32) as views of one storage."""
    raw = open(fixture, "rb").read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    data, flat, tensors = raw[8 + n:], [], {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        assert t["dtype"] == "F16"
        a, b = t["data_offsets"]
        tensors[name] = ("0", len(flat), t["shape"])
        flat.extend(struct.unpack("<%de" % ((b - a) // 2), data[a:b]))
    pthmake.save(path, {"0": struct.pack("<%df" % len(flat), *flat)}, tensors, zipped)


def main():
    cli, loader, fixtures, sample = sys.argv[1:5]
    check = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "model.fifo")
        os.mkfifo(fifo)
        rc, out, err, _ = run([loader, fifo])
        check(rc == 0 and "not a regular file" in out,
              "FIFO as the model file: refused at once (%s) %s" % (out.strip(), err.strip()))
        rc, out, err, _ = run([cli, "-m", fifo, sample, "-o", os.path.join(tmp, "o.png")])
        check(rc == 1 and "not a regular file" in err,
              "rfdn-upscale -m FIFO: exit 1 at once, saying so (exit %s) %s" % (rc, err.strip()))

        big = os.path.join(tmp, "big.safetensors")
        with open(big, "wb") as f:
            f.truncate(1000 << 20)  # sparse: 1000 MB of zeros, header length 0
        rc, out, err, peak = run([loader, big])
        check(rc == 0 and "invalid header length" in out and peak < PEAK_MB,
              "1000 MB file with a bad header: refused, peak %.0f MB (%s)" % (peak, out.strip()))
        os.unlink(big)

        one = bytes(4 << 20)  # one 4 MiB storage, the whole of it under 200 keys
        names = {"fea_conv.weight": ("s", 0, [50, 3, 3, 3]),
                 "upsampler.0.weight": ("s", 0, [12, 50, 3, 3])}
        names.update({"B1.x%d.weight" % i: ("s", 0, [1 << 20]) for i in range(198)})
        for zipped in (False, True):
            pth = os.path.join(tmp, "shared-%d.pth" % zipped)
            pthmake.save(pth, {"s": one}, names, zipped)
            rc, out, err, peak = run([loader, pth])
            check(rc == 0 and out.startswith("error: ") and "storage" in out and
                  peak < PEAK_MB,
                  "%s .pth, one 4 MiB storage under 200 keys: refused, peak %.0f MB (%s)"
                  % ("zip" if zipped else "legacy", peak, out.strip()))
            os.unlink(pth)

        st = os.path.join(fixtures, "rfdn-x2.safetensors")
        want = os.path.join(tmp, "want.png")
        subprocess.run([cli, "-q", "-m", st, sample, "-o", want], check=True)
        for zipped in (False, True):
            pth = os.path.join(tmp, "flat-%d.pth" % zipped)
            flat_pth(st, pth, zipped)
            got = os.path.join(tmp, "got-%d.png" % zipped)
            rc, out, err, _ = run([cli, "-q", "-m", pth, sample, "-o", got])
            check(rc == 0 and open(got, "rb").read() == open(want, "rb").read(),
                  "%s .pth, every tensor a view of one flat storage: loads, same bytes %s"
                  % ("zip" if zipped else "legacy", err.strip()))
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
