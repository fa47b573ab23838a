#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The project's training schedule, resumable: each stage continues from its
# checkpoint in models/checkpoints/ until it reaches its step target, then the
# next stage starts.  x2 models train from scratch; x3 and x4 start from the
# x2 body of the same architecture (as in the paper).  Run it at low priority:
#   nice -n 19 tools/train/schedule.sh            (CPU, background)
#   tools/train/schedule.sh --device cuda --max-minutes 10
set -e
cd "$(dirname "$0")/../.."
CK=models/checkpoints
STEPS=${RFDN_TRAIN_STEPS:-30000}
HALVE=${RFDN_TRAIN_HALVE:-8000}  # the learning rate halves every HALVE steps
T=tools/train/train.py
# the finished stage's model, for `meson install` and the README table,
# when it passes the issue's bar on Set5 (models/bars; the test shipped-models
# checks the same); a stage that ends below it is left for more steps
export_model() { # name scale
    bar=$(awk -v s="$2" '$1 == s { print $2 }' models/bars)
    rc=0 # (set -e: a status 3, below the bar, must not end the schedule)
    /usr/bin/python3 $T --run "$CK/$1" --export "models/$1.safetensors" --min-set5 "$bar" || rc=$?
    case $rc in 0|3) ;; *) exit 1 ;; esac
}
finished() { # run: whether its checkpoint reached $STEPS
    [ -f "$1/ckpt.pt" ] && [ "$(/usr/bin/python3 $T --step-of "$1/ckpt.pt")" -ge "$STEPS" ]
}
stage() { # name arch scale init-from|"" [train.py options]
    name=$1 run=$CK/$1 arch=$2 scale=$3 from=$4
    shift 4
    if finished "$run"; then
        # finished (here or in a GPU window): exported unless it is already
        [ -f "models/$name.safetensors" ] || export_model "$name" "$scale"
        return 0
    fi
    init=""
    [ -n "$from" ] && [ ! -f "$run/ckpt.pt" ] && init="--init-from $CK/$from/ckpt.pt"
    /usr/bin/python3 $T --run "$run" --arch "$arch" --scale "$scale" --steps "$STEPS" \
        --halve-every "$HALVE" $init "$@" || exit $?
    # stop here if the run ended early (signal or --max-minutes)
    finished "$run" || exit 0
    export_model "$name" "$scale"
}
stage e-rfdn-x2 e-rfdn 2 "" "$@"
stage rfdn-x2 rfdn 2 "" "$@"
stage e-rfdn-x4 e-rfdn 4 e-rfdn-x2 "$@"
stage e-rfdn-x3 e-rfdn 3 e-rfdn-x2 "$@"
stage rfdn-x4 rfdn 4 rfdn-x2 "$@"
stage rfdn-x3 rfdn 3 rfdn-x2 "$@"
