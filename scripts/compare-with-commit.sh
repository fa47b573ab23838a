#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Output bytes unchanged by a restructuring: builds the CLI of COMMIT in a
# temporary folder and upscales Set14 (its LR_x2/x3/x4 images) with each of
# the six shipped models by both the old CLI and this tree's, then compares
# the output files byte for byte.
#   scripts/compare-with-commit.sh COMMIT [NEW_CLI]   (default build/cli/rfdn-upscale)
set -eu
cd "$(dirname "$0")/.."
REV=${1:?usage: compare-with-commit.sh COMMIT [NEW_CLI]}
NEW=$(realpath "${2:-build/cli/rfdn-upscale}")
SET14=$(realpath "${RFDN_SHARED_DIR:-../shared}")/datasets/eval/Set14
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir "$T/src"
git archive "$REV" | tar -x -C "$T/src"
meson setup "$T/build" "$T/src" -Dgui=disabled -Dgimp2=disabled -Dgimp3=disabled \
    -Dshared_dir="$(dirname "$(dirname "$SET14")")/.." > "$T/setup.log" 2>&1 ||
    { cat "$T/setup.log"; exit 1; }
ninja -C "$T/build" cli/rfdn-upscale > "$T/ninja.log" 2>&1 || { tail "$T/ninja.log"; exit 1; }
OLD=$T/build/cli/rfdn-upscale
n=0 diff=0
for arch in e-rfdn rfdn; do
    for s in 2 3 4; do
        m=models/$arch-x$s.safetensors
        for img in "$SET14/LR_x$s"/*.png; do
            b=$(basename "$img" .png)
            "$OLD" -q -m "$m" "$img" -o "$T/old.png"
            "$NEW" -q -m "$m" "$img" -o "$T/new.png"
            n=$((n + 1))
            if ! cmp -s "$T/old.png" "$T/new.png"; then
                echo "DIFFERENT: $arch x$s $b"
                diff=$((diff + 1))
            fi
            rm -f "$T/old.png" "$T/new.png"
        done
    done
done
echo "$n outputs compared with $REV's CLI: $diff different"
[ "$diff" -eq 0 ]
