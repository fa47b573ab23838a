#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command in a Debian 13 (trixie) root holding GIMP 3 and the
# project's build dependencies, with the source tree bind-mounted at /src and
# ../shared at /shared.  Debian 12 has no GIMP 3; the root is made with
# mmdebstrap the first time (about 3-7 minutes, 1.5 GB) and reused after
# (scripts/debian-root.sh).
#   scripts/gimp3-root.sh COMMAND...      (as root)
# RFDN_GIMP3_ROOT sets where the root lives (default
# /var/cache/rfdn-upscaler/gimp3-trixie).
set -eu
ROOT=${RFDN_GIMP3_ROOT:-/var/cache/rfdn-upscaler/gimp3-trixie}
PKGS="gimp libgimp-3.0-dev meson ninja-build pkg-config gcc libc6-dev libjson-c-dev
      libvips-dev libgdk-pixbuf-2.0-dev python3 python3-pil xvfb xauth ca-certificates"
exec "$(dirname "$0")/debian-root.sh" trixie "$ROOT" "$PKGS" "$@"
