#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# meson dist: the release tarball holds the source, not the training
# checkpoints (tens of MB, for resuming training only) nor the Debian
# packaging (debian/ belongs to the packages built from the tarball:
# scripts/build-debs.sh adds it).
set -eu
rm -rf "$MESON_DIST_ROOT/models/checkpoints" "$MESON_DIST_ROOT/debian"
