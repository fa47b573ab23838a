#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One GPU window from the device tool, spent on every stage of schedule.sh
# that can run at once, side by side on the one GPU (each is launch-bound
# with batch 16, so one alone leaves the GPU mostly idle).
#
# The data is too big for one call: tools/train/gpu_pack.py cuts it into
# .gpu/a, .gpu/b, .gpu/c.  Calls, back to back on the warm machine:
#   carry [.gpu/a]               tools/train/gpu_run.sh gather
#   carry [.gpu/b]               tools/train/gpu_run.sh gather
#   carry [.gpu/c, .gpu/expected] tools/train/gpu_run.sh train SECONDS
# The last one trains for SECONDS and writes one tar per run under $OUT
# (ckpt.pt + log.tsv, for models/checkpoints/<run>/), then CPU training
# continues from them with schedule.sh.
#
# Stages, the six of schedule.sh side by side: a stage with a committed
# checkpoint in models/checkpoints resumes from it (one that reached its step
# target is left out); an x3 or x4 stage without one starts from the x2
# checkpoint of its architecture as it is now (the paper's schedule, with the
# x2 body not necessarily finished), or waits while there is none; an x2
# stage without one starts from scratch; a photo stage (<name>-photo) without
# one starts from the clean checkpoint of its name, with the degradations
# and learning rate of plan.sh's photo stages.
set -u
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
DATA=${RFDN_GPU_DATA:-/root/rfdn-shared}
W=${RFDN_GPU_WORK:-/root/rfdn-runs}
DEV=${RFDN_GPU_DEVICE:-cuda}
mkdir -p "$DATA"
for c in .gpu/*/; do
    [ -d "$c" ] && cp -a "$c". "$DATA"/
done
have=$(find "$DATA/datasets" -type f | wc -l)
echo "gathered: $have files"
[ "${1:-}" = train ] || exit 0

secs=${2:?seconds}
want=$(cat .gpu/expected)
if [ "$have" != "$want" ]; then
    echo "gpu_run: $have files of $want: a chunk is missing (the machine went back between calls?)" >&2
    exit 2
fi
export RFDN_SHARED_DIR=$DATA PYTHONUNBUFFERED=1
T=tools/train/train.py
start=$(date +%s)
end=$((start + secs))
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null
$PY -c "
import sys; sys.path.insert(0, 'tools/train'); import train, os
print('LR cache:', train.prepare_cache(train.train_dirs('$DATA'), (2, 3, 4), 'cache/train', os.cpu_count()), 'pairs')
" || exit 2
echo "cache ready after $(( $(date +%s) - start )) s"

mkdir -p "$W"
. tools/train/plan.sh  # steps_of, halve_of
common="--device $DEV --threads 2 --save-every 1000 --stop-at $end"
run() { # name arch scale [options]
    local name=$1 arch=$2 scale=$3 kind
    kind=$(kind_of "$name")
    shift 3
    $PY $T --run "$W/$name" --arch "$arch" --scale "$scale" "$@" \
        --steps "$(steps_of "$scale" "$kind")" $(kind_opts "$kind") \
        --halve-every "$(halve_of "$scale" "$kind")" $common > "$W/$name.out" 2>&1
    echo "$name: $(tail -n 1 "$W/$name.out")"
}
step_of() { # checkpoint
    $PY $T --step-of "$1"
}
CK=models/checkpoints
for name in e-rfdn-x2 rfdn-x2 e-rfdn-x4 e-rfdn-x3 rfdn-x4 rfdn-x3 \
    e-rfdn-x4-photo e-rfdn-x2-photo e-rfdn-x3-photo rfdn-x4-photo rfdn-x2-photo rfdn-x3-photo; do
    kind=$(kind_of "$name") clean=${name%-photo}
    arch=${clean%-x*} scale=${clean##*-x}
    if [ -f "$CK/$name/ckpt.pt" ]; then
        step=$(step_of "$CK/$name/ckpt.pt") || exit 2
        if [ "$step" -ge "$(steps_of "$scale" "$kind")" ]; then
            echo "$name: finished ($step steps)"
            continue
        fi
        cp -a "$CK/$name" "$W"/
        echo "$name: resumes at step $step"
        run "$name" "$arch" "$scale" &
    elif [ "$kind" = photo ] && [ ! -f "$CK/$clean/ckpt.pt" ]; then
        echo "$name: waits for $clean"
    elif [ "$kind" = photo ]; then
        [ -f "$W/init-$clean.pt" ] || cp "$CK/$clean/ckpt.pt" "$W/init-$clean.pt"
        echo "$name: from $clean at step $(step_of "$W/init-$clean.pt")"
        run "$name" "$arch" "$scale" --init-from "$W/init-$clean.pt" &
    elif [ "$scale" = 2 ]; then
        echo "$name: from scratch"
        run "$name" "$arch" "$scale" &
    elif [ -f "$CK/$arch-x2/ckpt.pt" ]; then
        [ -f "$W/init-$arch-x2.pt" ] || cp "$CK/$arch-x2/ckpt.pt" "$W/init-$arch-x2.pt"
        echo "$name: from $arch-x2 at step $(step_of "$W/init-$arch-x2.pt")"
        run "$name" "$arch" "$scale" --init-from "$W/init-$arch-x2.pt" &
    else
        echo "$name: waits for $arch-x2"
    fi
done

# every run stops by itself at $end (after its step); a stuck one is stopped
# with SIGTERM (train.py saves on it) 60 s later
while [ -n "$(jobs -r)" ] && [ "$(date +%s)" -lt $((end + 60)) ]; do
    sleep 2
done
pkill -TERM -f "$T --run $W/" && sleep 15
for d in "$W"/*/; do
    name=$(basename "$d")
    [ -f "$d/ckpt.pt" ] && tar -C "$W" -cf "$OUT/$name.tar" "$name/ckpt.pt" "$name/log.tsv"
done
tail -n 4 "$W"/*.out
cat "$W"/*.out > "$OUT/console.txt"
ls -l "$OUT"
