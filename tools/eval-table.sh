#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The table of models/README.md "On compressed input": every model in models/
# (clean and photo) and bicubic, on Set5 and Set14 at x2, x3 and x4, with
# clean LR input and with the LR saved as JPEG at quality 85, 60 and 40
# (rfdn-upscale eval --jpeg Q), Y-PSNR in dB.  Markdown on stdout.
#   tools/eval-table.sh [CLI [EVAL_DIR]]
set -eu
cd "$(dirname "$0")/.."
CLI=${1:-build/cli/rfdn-upscale}
EVAL=${2:-${RFDN_SHARED_DIR:-../shared}/datasets/eval}
avg() { "$CLI" eval -q "$@" | awk '$1 == "average" { printf "%.2f", $2 }'; }
row() { # label eval-options...
    label=$1
    shift
    line="| $label |"
    for set in Set5 Set14; do
        for q in 0 85 60 40; do
            jq=""
            [ "$q" = 0 ] || jq="--jpeg $q"
            line="$line $(avg "$@" $jq "$EVAL/$set/HR") |"
        done
    done
    echo "$line"
}
echo "| model | Set5 clean | q85 | q60 | q40 | Set14 clean | q85 | q60 | q40 |"
echo "|---|---|---|---|---|---|---|---|---|"
for s in 2 3 4; do
    row "bicubic x$s" --bicubic -s "$s"
    for arch in e-rfdn rfdn; do
        for v in "" -photo; do
            f=models/$arch-x$s$v.safetensors
            [ -f "$f" ] && row "$arch-x$s$v" -m "$f"
        done
    done
done
