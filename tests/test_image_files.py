#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Image files the CLI must handle cleanly (issue 26): a FIFO as the input
is refused at once as not a regular file (not "empty", never waiting).
Every run has a timeout, so a hang fails rather than blocks.

  test_image_files.py RFDN_UPSCALE MODEL DATA_DIR
"""
import os
import subprocess
import sys
import tempfile

from checks import Checks  # tests/checks.py, beside this script

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


def main():
    cli, model, data = sys.argv[1:4]
    check = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        special_inputs(check, cli, model, tmp)
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
