#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command in a Debian 13 (trixie) root holding GIMP 3 and the
# project's build dependencies, with the source tree bind-mounted at /src and
# ../shared at /shared.  Debian 12 has no GIMP 3; the root is made with
# mmdebstrap the first time (about 3-7 minutes, 1.5 GB) and reused after.
#   scripts/gimp3-root.sh COMMAND...      (as root)
# RFDN_GIMP3_ROOT sets where the root lives (default
# /var/cache/rfdn-upscaler/gimp3-trixie).
set -eu
ROOT=${RFDN_GIMP3_ROOT:-/var/cache/rfdn-upscaler/gimp3-trixie}
SRC=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${RFDN_SHARED_DIR:-$SRC/../shared}
MIRROR=${RFDN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PKGS="gimp libgimp-3.0-dev meson ninja-build pkg-config gcc libc6-dev libjson-c-dev
      libvips-dev libgdk-pixbuf-2.0-dev python3 python3-pil xvfb xauth ca-certificates"
[ "$(id -u)" -eq 0 ] || { echo "gimp3-root.sh: needs root (mmdebstrap, chroot, mounts)" >&2; exit 77; }

if [ ! -x "$ROOT/usr/bin/gimp-console-3.0" ]; then
    command -v mmdebstrap >/dev/null || { echo "gimp3-root.sh: needs mmdebstrap" >&2; exit 77; }
    echo "gimp3-root.sh: making the Debian 13 root in $ROOT (once; a few minutes)"
    mkdir -p "$(dirname "$ROOT")"
    rm -rf "$ROOT.tmp"
    if ! mmdebstrap --variant=apt --include="$(echo $PKGS | tr ' ' ',')" trixie "$ROOT.tmp" "$MIRROR"; then
        rm -rf "$ROOT.tmp"
        echo "gimp3-root.sh: could not make the Debian 13 root (no access to $MIRROR?)" >&2
        exit 77
    fi
    mv "$ROOT.tmp" "$ROOT"
fi
# packages added to the list since the root was made
missing=$(chroot "$ROOT" sh -c "for p in $(echo $PKGS); do dpkg-query -W -f='\${Status}' \$p 2>/dev/null | grep -q 'install ok installed' || echo \$p; done")
if [ -n "$missing" ]; then
    chroot "$ROOT" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(echo $missing)"
fi

unshare --mount true 2>/dev/null || { echo "gimp3-root.sh: cannot make a mount namespace here" >&2; exit 77; }
mkdir -p "$ROOT/src" "$ROOT/shared"
# a private mount namespace: the mounts vanish with the command
exec unshare --mount --propagation private sh -c '
    set -e
    ROOT=$1 SRC=$2 SHARED=$3; shift 3
    mount --bind "$SRC" "$ROOT/src"
    if [ -d "$SHARED" ]; then mount --bind "$SHARED" "$ROOT/shared"; mount -o remount,bind,ro "$ROOT/shared"; fi
    mount -t proc proc "$ROOT/proc"
    mount --rbind /dev "$ROOT/dev"
    mount -t tmpfs tmpfs "$ROOT/tmp"
    exec chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 TERM=dumb sh -c "cd /src && $*"
' sh "$ROOT" "$SRC" "$SHARED" "$*"
