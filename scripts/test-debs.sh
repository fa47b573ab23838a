#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Tests the Debian packages of scripts/build-debs.sh on a clean system: in a
# fresh Debian root (mmdebstrap) holding only apt and the checks' own tools
# (Xvfb, D-Bus, gcc, pkg-config, locales), installs the .deb files with apt,
# their dependencies resolved from Debian, and checks the installed system
# as a user would (tests/debs/check-installed.sh: the CLI by model name, the
# app from its desktop entry, the GIMP plug-in in gimp-console, a C program
# through pkg-config, apt purge leaving nothing).  Screenshots of the app go
# to DEBDIR/shots.
#   scripts/test-debs.sh bookworm|trixie [DEBDIR]      (as root)
# DEBDIR defaults to debs/SUITE, where build-debs.sh leaves them.  The root
# is kept in /var/cache/rfdn-upscaler/test-SUITE (RFDN_TEST_DEBS_ROOT) and
# each run has a throwaway copy of it; downloaded packages are kept in
# /var/cache/rfdn-upscaler/apt-SUITE.
set -eu
SUITE=${1:-}
case $SUITE in
bookworm) GV=2.10 ;;
trixie) GV=3.0 ;;
*) echo "usage: scripts/test-debs.sh bookworm|trixie [DEBDIR]" >&2; exit 2 ;;
esac
SRC=$(cd "$(dirname "$0")/.." && pwd)
DEBS=$(cd "${2:-$SRC/debs/$SUITE}" && pwd)
ls "$DEBS"/*.deb > /dev/null 2>&1 || { echo "test-debs.sh: no .deb files in $DEBS (scripts/build-debs.sh $SUITE)" >&2; exit 1; }
ROOT=${RFDN_TEST_DEBS_ROOT:-/var/cache/rfdn-upscaler/test-$SUITE}
TOOLS="ca-certificates xvfb xauth dbus libglib2.0-bin gcc libc6-dev pkgconf locales
       fonts-wqy-microhei"
rm -rf "$DEBS/shots"
RFDN_ROOT_OUT=$DEBS RFDN_ROOT_APT_CACHE=/var/cache/rfdn-upscaler/apt-$SUITE \
    "$SRC/scripts/debian-root.sh" --fresh "$SUITE" "$ROOT" "$TOOLS" \
    "sh /src/tests/debs/check-installed.sh $GV"
