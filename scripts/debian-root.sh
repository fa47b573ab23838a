#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command in a Debian root made with mmdebstrap: the machinery under
# the GIMP 3 root (gimp3-root.sh), the package builds (build-debs.sh) and
# the installed-system checks (test-debs.sh).  The root is made the first
# time (minutes) and reused; packages added to the list since are installed
# into it.  The source tree is bind-mounted at /src, ../shared read-only at
# /shared, $RFDN_ROOT_OUT (when set) at /out, and $RFDN_ROOT_APT_CACHE (when
# set) at /var/cache/apt/archives, so that fresh runs download each package
# once.
#   scripts/debian-root.sh [--fresh] SUITE ROOT "PACKAGES" COMMAND...   (as root)
# --fresh: the command runs in a throwaway copy of the root (an overlay):
# what it installs or writes there is gone afterwards, so every run starts
# from the same clean root.
# Exit status 77: the root cannot be made or entered here (no mirror in
# reach, no mmdebstrap, no mount namespaces); any other failure is 1.
set -eu
fresh=0
[ "${1:-}" = --fresh ] && { fresh=1; shift; }
SUITE=$1 ROOT=$2 PKGS=$3
shift 3
SRC=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${RFDN_SHARED_DIR:-$SRC/../shared}
MIRROR=${RFDN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
OUTDIR=${RFDN_ROOT_OUT:-}
APTCACHE=${RFDN_ROOT_APT_CACHE:-}
me=debian-root.sh
[ "$(id -u)" -eq 0 ] || { echo "$me: needs root (mmdebstrap, chroot, mounts)" >&2; exit 77; }

# a root of this suite made before the marker existed (an older
# gimp3-root.sh) is kept: its missing packages are added below
if [ ! -f "$ROOT/.made-by-debian-root-sh" ] && [ -x "$ROOT/usr/bin/dpkg" ] &&
    grep -qx "VERSION_CODENAME=$SUITE" "$ROOT/etc/os-release" 2>/dev/null; then
    touch "$ROOT/.made-by-debian-root-sh"
fi
if [ ! -f "$ROOT/.made-by-debian-root-sh" ]; then
    command -v mmdebstrap >/dev/null || { echo "$me: needs mmdebstrap" >&2; exit 77; }
    # only a mirror out of reach is a reason to skip; any other failure of
    # mmdebstrap (a package name wrong, a broken dependency) is a failure
    probe=$(mktemp)
    if ! timeout 60 /usr/lib/apt/apt-helper download-file "$MIRROR/dists/$SUITE/Release" "$probe" \
        > /dev/null 2>&1; then
        rm -f "$probe"
        echo "$me: no access to $MIRROR ($MIRROR/dists/$SUITE/Release)" >&2
        exit 77
    fi
    rm -f "$probe"
    echo "$me: making the Debian $SUITE root in $ROOT (once; a few minutes)"
    mkdir -p "$(dirname "$ROOT")"
    rm -rf "$ROOT.tmp"
    if ! mmdebstrap --variant=apt --include="$(echo $PKGS | tr ' ' ',')" "$SUITE" "$ROOT.tmp" \
        "$MIRROR"; then
        rm -rf "$ROOT.tmp"
        echo "$me: mmdebstrap could not make the Debian $SUITE root (above)" >&2
        exit 1
    fi
    touch "$ROOT.tmp/.made-by-debian-root-sh"
    rm -rf "$ROOT"
    mv "$ROOT.tmp" "$ROOT"
fi
# packages added to the list since the root was made
missing=$(chroot "$ROOT" sh -c "for p in $(echo $PKGS); do dpkg-query -W -f='\${Status}' \$p 2>/dev/null | grep -q 'install ok installed' || echo \$p; done")
if [ -n "$missing" ]; then
    chroot "$ROOT" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(echo $missing)"
fi

unshare --mount true 2>/dev/null || { echo "$me: cannot make a mount namespace here" >&2; exit 77; }
work=""
if [ $fresh -eq 1 ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/rfdn-root.XXXXXX")
    mkdir "$work/upper" "$work/work" "$work/root"
fi
[ -n "$OUTDIR" ] && mkdir -p "$OUTDIR"
[ -n "$APTCACHE" ] && mkdir -p "$APTCACHE/partial"
mkdir -p "$ROOT/src" "$ROOT/shared" "$ROOT/out"
# a private mount namespace: the mounts (and the overlay) vanish with the command
rc=0
unshare --mount --propagation private sh -c '
    set -e
    ROOT=$1 SRC=$2 SHARED=$3 OUTDIR=$4 WORK=$5 APTCACHE=$6; shift 6
    if [ -n "$WORK" ]; then
        mount -t overlay overlay -o "lowerdir=$ROOT,upperdir=$WORK/upper,workdir=$WORK/work" "$WORK/root"
        ROOT=$WORK/root
    fi
    mount --bind "$SRC" "$ROOT/src"
    if [ -d "$SHARED" ]; then mount --bind "$SHARED" "$ROOT/shared"; mount -o remount,bind,ro "$ROOT/shared"; fi
    [ -n "$OUTDIR" ] && mount --bind "$OUTDIR" "$ROOT/out"
    [ -n "$APTCACHE" ] && mount --bind "$APTCACHE" "$ROOT/var/cache/apt/archives"
    mount -t proc proc "$ROOT/proc"
    mount --rbind /dev "$ROOT/dev"
    mount -t tmpfs tmpfs "$ROOT/tmp"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
    exec chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 TERM=dumb sh -c "cd /src && $*"
' sh "$ROOT" "$SRC" "$SHARED" "$OUTDIR" "$work" "$APTCACHE" "$*" || rc=$?
[ -n "$work" ] && rm -rf "$work"
exit $rc
