#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The test command: every test under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the threaded engine tests under ThreadSanitizer, the engine under
# clang's UBSan, the fuzz smoke runs, the GIMP 3 plug-in in a Debian 13 root,
# and the Debian packages built and tested on clean Debian 12 and 13 roots.
set -e
cd "$(dirname "$0")/.."
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite threads
[ -d build-tsan ] || meson setup build-tsan -Db_sanitize=thread -Db_lundef=false
meson test -C build-tsan --print-errorlogs --suite threads
# The engine's tests once more with clang's UBSan (it reports undefined
# behaviour gcc's misses), and each fuzz target's one-minute smoke run
# (scripts/fuzz.sh; issue 26).
[ -d build-clang-ubsan ] || CC=clang meson setup build-clang-ubsan -Db_sanitize=undefined \
    -Db_lundef=false -Dgui=disabled -Dgimp2=disabled -Dgimp3=disabled > /dev/null
meson test -C build-clang-ubsan --print-errorlogs --num-processes 2 --suite engine
scripts/fuzz.sh 60
# The GIMP 3 plug-in, in a Debian 13 root (Debian 12 has no GIMP 3): needs
# root for mmdebstrap and chroot; the root is made once and reused.
# Exit status 77 from it: the root could not be made here (no mirror, no
# mount namespaces): reported, not a failure of the code.
if [ "$(id -u)" -eq 0 ]; then
    rc=0
    scripts/gimp3-root.sh "[ -d build-gimp3-asan ] || meson setup build-gimp3-asan -Db_sanitize=address,undefined -Db_lundef=false -Dgimp2=disabled -Dgui=disabled >/dev/null; meson test -C build-gimp3-asan --print-errorlogs --suite gimp" || rc=$?
    if [ $rc -eq 77 ]; then
        echo "GIMP 3 plug-in test SKIPPED: its Debian 13 root could not be made here"
    elif [ $rc -ne 0 ]; then
        exit $rc
    fi
else
    echo "GIMP 3 plug-in test skipped: it needs root (mmdebstrap, chroot)"
fi
# The Debian packages (issue 25): built from meson dist's tarball in a clean
# Debian 12 root, lintian clean, then installed with apt on a fresh system
# and used there (scripts/test-debs.sh); the same for Debian 13 (GIMP 3).
# As root; 77 (no mirror, no mount namespaces): reported, not a failure.
if [ "$(id -u)" -eq 0 ]; then
    for suite in bookworm trixie; do
        rc=0
        scripts/build-debs.sh $suite && scripts/test-debs.sh $suite || rc=$?
        if [ $rc -eq 77 ]; then
            echo "Debian $suite packages SKIPPED: their Debian root could not be made here"
        elif [ $rc -ne 0 ]; then
            exit $rc
        fi
    done
else
    echo "Debian package tests skipped: they need root (mmdebstrap, chroot)"
fi
