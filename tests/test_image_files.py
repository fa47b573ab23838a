#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Image files the CLI must handle cleanly (issue 26): a FIFO as the input
is refused at once as not a regular file (not "empty", never waiting); a
resolution out of range (PNG pHYs of 4294967295 pixels per metre) is
clamped to 1-100000 dpi, with a warning that -q silences; a 2-page TIFF
and an animated WebP are refused (libvips would read their first frame
alone), their single-frame twins upscaled; a run killed (SIGKILL) while
it writes its output leaves nothing in the output folder.
Every run has a timeout, so a hang fails rather than blocks.

  test_image_files.py RFDN_UPSCALE MODEL DATA_DIR
"""
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time

from checks import Checks  # tests/checks.py, beside this script
import pngtool  # tests/pngtool.py: PNG files made and read independently

TIMEOUT = 60


def run(cmd):
    """(exit status, stderr); status None on a timeout."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                           stdin=subprocess.DEVNULL)
        return r.returncode, r.stderr.strip()
    except subprocess.TimeoutExpired:
        return None, "timed out"


def special_inputs(check, cli, model, tmp):
    fifo = os.path.join(tmp, "in.png")
    os.mkfifo(fifo)
    out = os.path.join(tmp, "fifo-out.png")
    rc, err = run([cli, "-m", model, fifo, "-o", out])
    check(rc == 1 and "not a regular file" in err and "in.png" in err and
          not os.path.exists(out),
          "FIFO as the input: exit 1 at once, not a regular file (exit %s) %s" % (rc, err))
    os.unlink(fifo)


def png_with_phys(path, ppm):
    rows = [bytes((x * 7 + y * 3) % 256 for x in range(3 * 16)) for y in range(12)]
    phys = pngtool.chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
    with open(path, "wb") as f:
        f.write(pngtool.png(16, 12, 8, 2, rows, phys))


def dpi_of(path):
    """The PNG's pHYs in dots per inch (rounded), None without one."""
    b, p = open(path, "rb").read(), 8
    while p + 8 <= len(b):
        n, kind = struct.unpack(">I", b[p:p + 4])[0], b[p + 4:p + 8]
        if kind == b"pHYs":
            x, _, unit = struct.unpack(">IIB", b[p + 8:p + 17])
            return round(x * 0.0254) if unit == 1 else None
        p += 12 + n
    return None


def resolutions(check, cli, model, tmp):
    for ppm, want in ((0xFFFFFFFF, 100000), (1, 1)):
        src, out = os.path.join(tmp, "res-%d.png" % ppm), os.path.join(tmp, "res-out.png")
        png_with_phys(src, ppm)
        rc, err = run([cli, "-q", "-y", "-m", model, src, "-o", out])
        check(rc == 0 and err == "" and dpi_of(out) == want,
              "pHYs %d px/m, -q: exit 0, nothing on stderr, written as %d dpi (exit %s, "
              "dpi %s) %s" % (ppm, want, rc, dpi_of(out) if rc == 0 else "-", err))
        rc, err = run([cli, "-y", "-m", model, src, "-o", out])
        check(rc == 0 and "out of range" in err and "%d x %d dpi" % (want, want) in err,
              "... without -q: one warning saying so: %s" % err)


def several_frames(check, cli, model, tmp):
    from PIL import Image
    a, b = Image.new("RGB", (16, 12), (200, 10, 10)), Image.new("RGB", (16, 12), (10, 200, 10))
    for name, kw, word in (("two.tif", {}, "2 pages"),
                           ("anim.webp", {"duration": 100, "loop": 0, "lossless": True},
                            "animation of 2 frames")):
        path, out = os.path.join(tmp, name), os.path.join(tmp, "frames-out.png")
        a.save(path, save_all=True, append_images=[b], **kw)
        rc, err = run([cli, "-m", model, path, "-o", out])
        check(rc == 1 and word in err and not os.path.exists(out),
              "%s: refused, saying so (exit %s) %s" % (name, rc, err))
        a.save(path)
        rc, err = run([cli, "-q", "-y", "-m", model, path, "-o", out])
        check(rc == 0 and os.path.exists(out), "... one frame: upscaled %s" % err)
        os.unlink(out)


def open_in(pid, folder):
    """Whether process pid has a file of `folder` open (the output being written)."""
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)).startswith(folder + "/"):
                return True
        except OSError:
            pass
    return False


def killed_while_saving(check, cli, model, tmp):
    from PIL import Image
    src, outdir = os.path.join(tmp, "noise.png"), os.path.join(tmp, "killed")
    os.mkdir(outdir)
    # noise compresses slowly: the PNG writer runs long enough to be caught
    Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3)).save(src)
    for overwrite in ([], ["-y"]):
        if overwrite:
            open(os.path.join(outdir, "out.png"), "wb").write(b"old")
        before = sorted(os.listdir(outdir))
        p = subprocess.Popen([cli, "-q", "-m", model] + overwrite +
                             [src, "-o", os.path.join(outdir, "out.png")])
        deadline, caught = time.monotonic() + TIMEOUT, False
        while p.poll() is None and time.monotonic() < deadline:
            if open_in(p.pid, outdir):
                os.kill(p.pid, signal.SIGKILL)
                caught = True
                break
            time.sleep(0.001)
        p.kill()
        p.wait()
        left = sorted(os.listdir(outdir))
        if overwrite:
            left.append(open(os.path.join(outdir, "out.png"), "rb").read().decode("latin-1"))
            before.append("old")
        check(caught and left == before,
              "killed while writing its output%s: the folder as before %s (caught: %s)"
              % (" over an old one" if overwrite else "", left, caught))


def own_loader(check, cli, model, tmp):
    """A broken TIFF goes to the TIFF loader alone: libvips' search through
    every loader ran OpenSlide's detection on it, which asked for 16 GB
    (found by fuzzing; the old code called it "not a PNG, JPEG, WebP or
    TIFF image")."""
    tif = os.path.join(os.path.dirname(__file__), "fuzz", "regress", "image",
                       "openslide-16gb.tif")
    out = os.path.join(tmp, "oom.png")
    rc, err = run([cli, "-q", "-m", model, tif, "-o", out])
    check(rc == 1 and "cannot read the image" in err and "TIFF" in err
          and not os.path.exists(out),
          "a broken TIFF: the TIFF loader's error (%s)" % err.strip())


def main():
    cli, model, data = sys.argv[1:4]
    check = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        special_inputs(check, cli, model, tmp)
        resolutions(check, cli, model, tmp)
        several_frames(check, cli, model, tmp)
        killed_while_saving(check, cli, model, tmp)
        own_loader(check, cli, model, tmp)
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
