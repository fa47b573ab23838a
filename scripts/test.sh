#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The test command: every test under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the threaded engine tests under ThreadSanitizer.
set -e
cd "$(dirname "$0")/.."
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite threads
[ -d build-tsan ] || meson setup build-tsan -Db_sanitize=thread -Db_lundef=false
meson test -C build-tsan --print-errorlogs --suite threads
# The GIMP 3 plug-in, in a Debian 13 root (Debian 12 has no GIMP 3): needs
# root for mmdebstrap and chroot; the root is made once and reused.
if [ "$(id -u)" -eq 0 ]; then
    scripts/gimp3-root.sh "[ -d build-gimp3-asan ] || meson setup build-gimp3-asan -Db_sanitize=address,undefined -Db_lundef=false -Dgimp2=disabled >/dev/null; meson test -C build-gimp3-asan --print-errorlogs --suite gimp"
else
    echo "GIMP 3 plug-in test skipped: it needs root (mmdebstrap, chroot)"
fi
