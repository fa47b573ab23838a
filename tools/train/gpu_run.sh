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
# Stages: e-rfdn-x2 resumes from its committed checkpoint; rfdn-x2 starts from
# scratch; e-rfdn-x4 and e-rfdn-x3 start from e-rfdn-x2's checkpoint as it is
# now; when e-rfdn-x2 reaches its step target with more than 2 minutes left,
# rfdn-x4 and rfdn-x3 start from rfdn-x2's checkpoint as it is then.
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
d = [os.path.join('$DATA', 'datasets', 'train', x) for x in ('T91', 'BSD200', 'SunHays80', 'Photos')]
print('LR cache:', train.prepare_cache(d, (2, 3, 4), 'cache/train', os.cpu_count()), 'pairs')
" || exit 2
echo "cache ready after $(( $(date +%s) - start )) s"

mkdir -p "$W"
cp -a models/checkpoints/e-rfdn-x2 "$W"/
cp "$W/e-rfdn-x2/ckpt.pt" "$W/init-e-rfdn-x2.pt"
common="--device $DEV --threads 2 --steps ${RFDN_TRAIN_STEPS:-30000} --halve-every ${RFDN_TRAIN_HALVE:-8000} --save-every 1000 --stop-at $end"
run() { # name [options]
    local name=$1
    shift
    $PY $T --run "$W/$name" "$@" $common > "$W/$name.out" 2>&1
    echo "$name: $(tail -n 1 "$W/$name.out")"
}
(
    run e-rfdn-x2
    if [ $((end - $(date +%s))) -gt 120 ] && [ -f "$W/rfdn-x2/ckpt.pt" ]; then
        cp "$W/rfdn-x2/ckpt.pt" "$W/init-rfdn-x2.pt"
        run rfdn-x4 --arch rfdn --scale 4 --init-from "$W/init-rfdn-x2.pt" &
        run rfdn-x3 --arch rfdn --scale 3 --init-from "$W/init-rfdn-x2.pt" &
        wait
    fi
) &
run rfdn-x2 --arch rfdn --scale 2 &
run e-rfdn-x4 --arch e-rfdn --scale 4 --init-from "$W/init-e-rfdn-x2.pt" &
run e-rfdn-x3 --arch e-rfdn --scale 3 --init-from "$W/init-e-rfdn-x2.pt" &

# every run stops by itself at $end (after its step); a stuck one is stopped
# with SIGTERM (train.py saves on it) 60 s later
while [ -n "$(jobs -r)" ] && [ "$(date +%s)" -lt $((end + 60)) ]; do
    sleep 2
done
pkill -TERM -f "$T" && sleep 15
for d in "$W"/*/; do
    name=$(basename "$d")
    [ -f "$d/ckpt.pt" ] && tar -C "$W" -cf "$OUT/$name.tar" "$name/ckpt.pt" "$name/log.tsv"
done
tail -n 4 "$W"/*.out
cat "$W"/*.out > "$OUT/console.txt"
ls -l "$OUT"
