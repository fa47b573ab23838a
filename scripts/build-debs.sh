#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian packages (debian/) for Debian 12 or 13 the way a
# distribution would: from `meson dist`'s tarball (what is committed, less
# the training checkpoints), in a clean root made with mmdebstrap that holds
# only build-essential, debhelper, lintian and the Build-Depends; then runs
# lintian on them, which must report no error and no warning.  The .deb
# files, the source package and lintian's report are left in one folder.
#   scripts/build-debs.sh bookworm|trixie [OUTDIR]      (as root)
# OUTDIR defaults to debs/SUITE in the source tree.  The root is kept in
# /var/cache/rfdn-upscaler/build-SUITE (RFDN_DEBS_ROOT) and reused; each build
# runs in a throwaway copy of it (scripts/debian-root.sh --fresh).
set -eu
SUITE=${1:-}
case $SUITE in
bookworm | trixie) ;;
*) echo "usage: scripts/build-debs.sh bookworm|trixie [OUTDIR]" >&2; exit 2 ;;
esac
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${2:-$SRC/debs/$SUITE}" && cd "${2:-$SRC/debs/$SUITE}" && pwd)
ROOT=${RFDN_DEBS_ROOT:-/var/cache/rfdn-upscaler/build-$SUITE}
BASE="build-essential debhelper lintian fakeroot ca-certificates"
me=build-debs.sh

# the upstream tarball: meson dist of the committed tree, without its tests
# (the package build runs them); scripts/dist-prune.sh leaves out the
# training checkpoints and debian/
version=$(sed -n "s/^project('rfdn-upscaler', 'c',\$//; s/^  version: '\([^']*\)',\$/\1/p" "$SRC/meson.build")
deb_version=$(sed -n '1s/^rfdn-upscaler (\([^)]*\)).*/\1/p' "$SRC/debian/changelog")
[ "${deb_version%-*}" = "$version" ] ||
    { echo "$me: debian/changelog's $deb_version is not of version $version (meson.build)" >&2; exit 1; }
if [ -n "$(git -C "$SRC" status --porcelain --untracked-files=no -- . ':!models/checkpoints')" ]; then
    echo "$me: note: uncommitted changes are not in the packages (meson dist takes what is committed)"
fi
dist=$SRC/build-dist
[ -d "$dist" ] || meson setup "$dist" -Dgui=disabled -Dgimp2=disabled -Dgimp3=disabled > /dev/null
rm -rf "$dist/meson-dist"
meson dist -C "$dist" --no-tests --allow-dirty --formats xztar > /dev/null
tarball=$dist/meson-dist/rfdn-upscaler-$version.tar.xz
# this script's own outputs of an earlier build, and nothing else of OUTDIR
rm -f "$OUT"/*.deb "$OUT"/*.ddeb "$OUT"/*.dsc "$OUT"/*.debian.tar.xz "$OUT"/*.orig.tar.xz \
    "$OUT"/*.buildinfo "$OUT"/*.changes "$OUT/build.log" "$OUT/build-dep.log" "$OUT/lintian.txt"
# debian/ as committed too (the working tree's may hold uncommitted changes)
git -C "$SRC" archive --format=tar -o "$dist/debian.tar" HEAD debian
cp "$tarball" "$OUT/rfdn-upscaler_$version.orig.tar.xz"
echo "$me: $(basename "$tarball"): $(du -h "$tarball" | cut -f1)"

# the build and lintian, in a throwaway copy of the kept root (which holds
# only $BASE): the build dependencies are installed there each time from
# debian/control alone (apt resolves its alternatives: libgimp2.0-dev on
# 12, libgimp-3.0-dev on 13), so a Build-Depends dropped by mistake fails
# the build; the downloads are cached
cache=${RFDN_ROOT_APT_CACHE:-/var/cache/rfdn-upscaler/apt-$SUITE}
RFDN_ROOT_APT_CACHE=$cache RFDN_ROOT_OUT=$OUT "$SRC/scripts/debian-root.sh" --fresh "$SUITE" "$ROOT" "$BASE" "
    set -e
    mkdir /tmp/b && cd /tmp/b
    cp /out/rfdn-upscaler_$version.orig.tar.xz .
    tar xf rfdn-upscaler_$version.orig.tar.xz
    tar xf /src/build-dist/debian.tar -C rfdn-upscaler-$version
    cd rfdn-upscaler-$version
    apt-get update -q > /out/build-dep.log 2>&1 || { tail -5 /out/build-dep.log; echo 'no mirror in reach'; exit 77; }
    DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q --no-install-recommends ./ \
        >> /out/build-dep.log 2>&1 || { tail -30 /out/build-dep.log; exit 1; }
    dpkg-buildpackage -us -uc -j2 > /out/build.log 2>&1 || { tail -60 /out/build.log; exit 1; }
    cd ..
    cp *.deb *.dsc *.debian.tar.xz *.buildinfo *.changes /out/
    rc=0
    lintian --fail-on error,warning --display-info --suppress-tags-from-file /dev/null \
        rfdn-upscaler_${deb_version}_*.changes > /out/lintian.txt 2>&1 || rc=\$?
    cat /out/lintian.txt
    [ \$rc -eq 0 ] && echo 'lintian: no error, no warning' || { echo 'lintian: errors or warnings (above)'; exit 1; }
"
echo "$me: the packages for $SUITE are in $OUT:"
ls "$OUT"/*.deb | sed 's|.*/|  |'
