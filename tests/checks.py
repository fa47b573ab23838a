# SPDX-License-Identifier: GPL-3.0-or-later
"""The ok/FAIL lines of the Python test scripts, counted for their exit status."""


class Checks:
    def __init__(self):
        self.failures = 0

    def __call__(self, ok, what):
        print("%s %s" % ("ok  " if ok else "FAIL", what), flush=True)
        if not ok:
            self.failures += 1
        return ok

    def status(self):
        return 1 if self.failures else 0
