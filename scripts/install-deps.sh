#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs everything needed to build, run and test RFDN Upscaler on Debian 12
# (bookworm), from Debian's packages only.
set -e
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
PKGS="meson ninja-build pkg-config gcc libc6-dev
      libjson-c-dev libgdk-pixbuf-2.0-dev shared-mime-info libvips-dev curl ca-certificates
      gimp libgimp2.0-dev xvfb xauth mmdebstrap
      libgtk-3-dev desktop-file-utils appstream gettext dbus libglib2.0-bin
      librsvg2-common fonts-wqy-microhei locales
      python3 python3-torch python3-numpy python3-pil universal-ctags
      clang libclang-rt-14-dev parallel"
missing=
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi
