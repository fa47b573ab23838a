#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The project's shipped weights (models/<arch>-x<scale>.safetensors): each one
# present loads in the engine through the CLI and scores at least the
# issue's bar on Set5 (MODELS_DIR/bars) (Y-PSNR as MODELS.md defines it; the CLI's eval is
# itself checked against PyTorch with the official weights, test 'official').
#   test_models.sh RFDN_UPSCALE MODELS_DIR SET5_HR_DIR
set -u
CLI=$1 MODELS=$2 SET5=$3
if [ ! -d "$SET5" ]; then
    echo "SKIP: no Set5 at $SET5"
    exit 77
fi
if [ ! -f "$MODELS/bars" ]; then
    echo "FAIL no $MODELS/bars"
    exit 1
fi
fail=0 n=0
for arch in rfdn e-rfdn; do
    for s in 2 3 4; do
        f=$MODELS/$arch-x$s.safetensors
        [ -f "$f" ] || continue
        n=$((n + 1))
        bar=$(awk -v s="$s" '$1 == s { print $2 }' "$MODELS/bars")
        psnr=$("$CLI" eval -m "$f" "$SET5" | awk '$1 == "average" { print $2 }')
        if [ -n "$psnr" ] && awk -v p="$psnr" -v b="$bar" 'BEGIN { exit !(p >= b) }'; then
            echo "ok   $arch x$s: Set5 $psnr dB (bar $bar)"
        else
            echo "FAIL $arch x$s: Set5 '${psnr}' dB, bar $bar"
            fail=1
        fi
    done
done
[ $n -gt 0 ] || { echo "FAIL no model in $MODELS"; fail=1; }
exit $fail
