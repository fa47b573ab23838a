#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The project's training schedule, resumable: each stage continues from its
# checkpoint in models/checkpoints/.  x2 models train from scratch; x3 and x4
# start from the x2 body of the same architecture (as in the paper).
# Two passes, so that every model ships as early as it can: the first trains
# each stage without a model in models/ until its Set5 validation passes the
# issue's bar (models/bars) and exports it; the second takes every stage on
# to its step target and exports it again there.  The photo stages
# (<name>-photo, issue 23) are fine-tuned from the clean model of the same
# name; their first pass ends at a step count (FIRST_PHOTO) rather than a
# Set5 bar, and both their passes come before the clean models' second.  Run it at low priority:
#   nice -n 19 tools/train/schedule.sh            (CPU, background)
#   tools/train/schedule.sh --device cuda --max-minutes 10
set -e
cd "$(dirname "$0")/../.."
CK=models/checkpoints
. tools/train/plan.sh  # STEPS, HALVE and their x4 values
T=tools/train/train.py
# --max-minutes bounds the whole schedule, not each stage: it becomes one
# --stop-at time (Unix seconds) that every stage's train.py is given
n=$#
while [ "$n" -gt 0 ]; do
    a=$1
    shift
    n=$((n - 1))
    case $a in
    --max-minutes=*) m=${a#*=} ;;
    --max-minutes)
        m=""
        if [ "$n" -gt 0 ]; then m=$1; shift; n=$((n - 1)); fi ;;
    *) set -- "$@" "$a"; continue ;;
    esac
    end=$(awk -v m="$m" -v t="$(date +%s)" 'BEGIN { if (m !~ /^[0-9]+([.][0-9]*)?$/) exit 1; printf "%d", (m > 0 ? t + m * 60 : 0) }') || {
        echo "schedule.sh: --max-minutes needs a number of minutes, not '$m'" >&2
        exit 2
    }
    if [ "$end" -gt 0 ]; then set -- "$@" --stop-at "$end"; fi # 0: no bound
done
bar() { awk -v s="$1" '$1 == s { print $2 }' models/bars; }
# the Set5 (clean input) a photo model must keep: at most 0.5 dB below the
# clean bar (issue 23)
photo_bar() { awk -v b="$(bar "$1")" 'BEGIN { print b - 0.5 }'; }
# the stage's model, for `meson install` and the README table, when it
# passes the bar on Set5 (the test shipped-models checks the same); a stage
# below it is left for more steps
export_model() { # name scale
    rc=0 # (set -e: a status 3, below the bar, must not end the schedule)
    b=$(bar "$2") pb=""
    if [ "$(kind_of "$1")" = photo ]; then
        # and issue 23's bars against the shipped clean model
        b=$(photo_bar "$2") pb="--photo-bars models/${1%-photo}.safetensors"
    fi
    /usr/bin/python3 $T --run "$CK/$1" --export "models/$1.safetensors" \
        --min-set5 "$b" $pb || rc=$?
    case $rc in 0|3) ;; *) exit 1 ;; esac
}
reached() { # run steps: whether its checkpoint reached that step
    [ -f "$1/ckpt.pt" ] && [ "$(/usr/bin/python3 $T --step-of "$1/ckpt.pt")" -ge "$2" ]
}
finished() { # run scale kind: whether its checkpoint reached the stage's steps
    reached "$1" "$(steps_of "$2" "$3")"
}
stage() { # pass name arch scale init-from|"" [train.py options]
    pass=$1 name=$2 run=$CK/$2 arch=$3 scale=$4 from=$5
    shift 5
    kind=$(kind_of "$name")
    steps=$(steps_of "$scale" "$kind")
    if finished "$run" "$scale" "$kind"; then
        # finished (here or in a GPU window): exported unless it is already
        [ -f "models/$name.safetensors" ] || export_model "$name" "$scale"
        return 0
    fi
    until=""
    if [ "$pass" = 1 ]; then
        [ -f "models/$name.safetensors" ] && return 0
        if [ "$kind" = photo ]; then
            steps=$FIRST_PHOTO
        else
            # 0.01 dB above the bar: the CLI's measurement may differ in the
            # third decimal from PyTorch's
            until="--until-set5 $(awk -v b="$(bar "$scale")" 'BEGIN { print b + 0.01 }')"
        fi
    fi
    init=""
    [ -n "$from" ] && [ ! -f "$run/ckpt.pt" ] && init="--init-from $CK/$from/ckpt.pt"
    /usr/bin/python3 $T --run "$run" --arch "$arch" --scale "$scale" \
        --steps "$steps" --halve-every "$(halve_of "$scale" "$kind")" \
        $(kind_opts "$kind") $init $until "$@" || exit $?
    if [ "$pass" = 1 ]; then
        # a photo stage is exported once it reached its pass-1 steps
        [ "$kind" = clean ] || reached "$run" "$steps" || exit 0
        export_model "$name" "$scale"
        # on to the next stage with this one exported or at its last step;
        # otherwise the run ended early (signal or --max-minutes)
        [ -f "models/$name.safetensors" ] || reached "$run" "$steps" || exit 0
        return 0
    fi
    finished "$run" "$scale" "$kind" || exit 0
    export_model "$name" "$scale"
}
clean() { # pass [options]
    p=$1
    shift
    stage "$p" e-rfdn-x2 e-rfdn 2 "" "$@"
    stage "$p" rfdn-x2 rfdn 2 "" "$@"
    stage "$p" e-rfdn-x3 e-rfdn 3 e-rfdn-x2 "$@"
    stage "$p" rfdn-x3 rfdn 3 rfdn-x2 "$@"
    stage "$p" e-rfdn-x4 e-rfdn 4 e-rfdn-x2 "$@"
    stage "$p" rfdn-x4 rfdn 4 rfdn-x2 "$@"
}
photo() { # pass [options]: E-RFDN (the default network) first, x4 (the
    # default scale) first
    p=$1
    shift
    stage "$p" e-rfdn-x4-photo e-rfdn 4 e-rfdn-x4 "$@"
    stage "$p" e-rfdn-x2-photo e-rfdn 2 e-rfdn-x2 "$@"
    stage "$p" e-rfdn-x3-photo e-rfdn 3 e-rfdn-x3 "$@"
    stage "$p" rfdn-x4-photo rfdn 4 rfdn-x4 "$@"
    stage "$p" rfdn-x2-photo rfdn 2 rfdn-x2 "$@"
    stage "$p" rfdn-x3-photo rfdn 3 rfdn-x3 "$@"
}
# every clean model ships first, then every photo model, then the photo
# models train on (users need them most), then the clean ones
clean 1 "$@"
photo 1 "$@"
photo 2 "$@"
clean 2 "$@"
