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
find "$OUT" -mindepth 1 -maxdepth 1 -type f -delete
cp "$tarball" "$OUT/rfdn-upscaler_$version.orig.tar.xz"
echo "$me: $(basename "$tarball"): $(du -h "$tarball" | cut -f1)"

# the build dependencies, into the kept root (apt resolves debian/control's
# alternatives: libgimp2.0-dev on 12, libgimp-3.0-dev on 13)
"$SRC/scripts/debian-root.sh" "$SUITE" "$ROOT" "$BASE" \
    "cd /src && (dpkg-checkbuilddeps >/dev/null 2>&1 || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q --no-install-recommends ./))"

# the build and lintian, in a throwaway copy of that root
RFDN_ROOT_OUT=$OUT "$SRC/scripts/debian-root.sh" --fresh "$SUITE" "$ROOT" "$BASE" "
    set -e
    mkdir /tmp/b && cd /tmp/b
    cp /out/rfdn-upscaler_$version.orig.tar.xz .
    tar xf rfdn-upscaler_$version.orig.tar.xz
    cp -a /src/debian rfdn-upscaler-$version/
    cd rfdn-upscaler-$version
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
