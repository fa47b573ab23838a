#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The training schedule's logic (tools/train/schedule.sh), with train.py
# replaced by a stand-in that records its command lines: stage order, x3/x4
# started from the x2 body, each scale's steps and lr schedule, the Set5 stop
# of pass 1, exports, the photo stages (fine-tuned from the clean ones,
# exported at their pass-1 step count, then trained on), and --max-minutes
# as one deadline for the whole schedule.
# usage: test_schedule.sh SOURCE_ROOT
set -u
src=${1:?source root}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
check() { # description command...
    d=$1
    shift
    if "$@"; then echo "ok: $d"; else echo "FAIL: $d"; fails=$((fails + 1)); fi
}

setup() {
    rm -rf "$t/tree"
    mkdir -p "$t/tree/tools/train" "$t/tree/models/checkpoints"
    cp "$src/tools/train/schedule.sh" "$src/tools/train/plan.sh" "$t/tree/tools/train/"
    cp "$src/models/bars" "$t/tree/models/"
    # the stand-in: a training call writes a checkpoint that holds its
    # --steps (the stage finishes), --step-of reads it back, --export writes
    # the model
    cat > "$t/tree/tools/train/train.py" << 'EOF'
import sys
a = sys.argv[1:]
def opt(name):
    return a[a.index(name) + 1] if name in a else None
if "--step-of" in a:
    print(open(opt("--step-of")).read())
    sys.exit(0)
with open("calls.log", "a") as f:
    f.write(" ".join(a) + "\n")
if "--export" in a:
    open(opt("--export"), "w").write("model")
    sys.exit(0)
import os
os.makedirs(opt("--run"), exist_ok=True)
# STANDIN_MAX_STEP: the run ends early there (a signal, the deadline)
end = min(int(opt("--steps")), int(os.environ.get("STANDIN_MAX_STEP", "1000000")))
open(opt("--run") + "/ckpt.pt", "w").write(str(end))
EOF
}
calls() { cat "$t/tree/calls.log" 2>/dev/null; }
# whether some call matches a pattern (grep's basic regular expression)
has() { grep -q -- "$1" "$t/tree/calls.log" 2>/dev/null; }
lacks() { ! has "$1"; }
# the training calls (not the exports), of all stages or of one
trainings() { calls | grep -v -- --export; }
trained() { trainings | grep -- "--run models/checkpoints/$1 "; }

# a fresh schedule, bounded to 10 minutes
setup
now=$(date +%s)
sh "$t/tree/tools/train/schedule.sh" --device cuda --max-minutes 10 > "$t/out" 2>&1
check "schedule runs (status $?)" [ $? -eq 0 ]
# six clean stages once, six photo stages twice (to their pass-1 steps,
# then on to the end)
check "18 training calls" [ "$(trainings | wc -l)" -eq 18 ]
check "18 exports" [ "$(calls | grep -c -- --export)" -eq 18 ]
order=$(trainings | sed 's/^--run models\/checkpoints\/\([^ ]*\) .*/\1/' | tr '\n' ' ')
photo="e-rfdn-x4-photo e-rfdn-x2-photo e-rfdn-x3-photo rfdn-x4-photo rfdn-x2-photo rfdn-x3-photo "
check "stage order ($order)" [ "$order" = "e-rfdn-x2 rfdn-x2 e-rfdn-x3 rfdn-x3 e-rfdn-x4 rfdn-x4 $photo$photo" ]
for s in e-rfdn-x2 rfdn-x2 e-rfdn-x3 rfdn-x3 e-rfdn-x4 rfdn-x4; do
    check "$s exported" [ -f "$t/tree/models/$s.safetensors" ]
    check "$s-photo exported" [ -f "$t/tree/models/$s-photo.safetensors" ]
done
check "clean stages are not degraded" lacks '--run models/checkpoints/[a-z-]*-x[234] .*--degrade'
check "photo stages are degraded, at their own lr" \
    [ "$(trained e-rfdn-x3-photo | grep -c -- '--degrade photo --lr 2e-4')" -eq 2 ]
check "e-rfdn-x3-photo starts from e-rfdn-x3" \
    has '--run models/checkpoints/e-rfdn-x3-photo .*--init-from models/checkpoints/e-rfdn-x3/ckpt.pt'
check "rfdn-x2-photo starts from rfdn-x2" \
    has '--run models/checkpoints/rfdn-x2-photo .*--init-from models/checkpoints/rfdn-x2/ckpt.pt'
check "photo: pass 1 to 6000 steps, then 24000, halving every 6000" [ "$(trained rfdn-x4-photo |
    sed -n 's/.*--steps \([0-9]*\) --halve-every 6000 .*/\1/p' | tr '\n' ' ')" = "6000 24000 " ]
check "photo: no Set5 stop" lacks '--run models/checkpoints/[a-z-]*-photo .*--until-set5'
x2photo=$(awk '$1 == 2 { print $2 - 0.5 }' "$src/models/bars")
check "photo export keeps clean input within 0.5 dB of the bar ($x2photo)" \
    has "--run models/checkpoints/e-rfdn-x2-photo --export models/e-rfdn-x2-photo.safetensors --min-set5 $x2photo --photo-bars models/e-rfdn-x2.safetensors\$"
check "x2 from scratch" lacks '--run models/checkpoints/[a-z-]*-x2 .*--init-from'
check "e-rfdn-x3 starts from the e-rfdn-x2 body" \
    has '--run models/checkpoints/e-rfdn-x3 .*--init-from models/checkpoints/e-rfdn-x2/ckpt.pt'
check "rfdn-x4 starts from the rfdn-x2 body" \
    has '--run models/checkpoints/rfdn-x4 .*--init-from models/checkpoints/rfdn-x2/ckpt.pt'
check "x3: 30000 steps, halving every 8000" \
    has '--run models/checkpoints/rfdn-x3 .*--steps 30000 --halve-every 8000'
check "x4: 60000 steps, halving every 17000" \
    has '--run models/checkpoints/e-rfdn-x4 .*--steps 60000 --halve-every 17000'
x4bar=$(awk '$1 == 4 { print $2 + 0.01 }' "$src/models/bars")
check "pass 1 stops 0.01 dB above the bar (x4: $x4bar)" \
    has "--run models/checkpoints/rfdn-x4 .*--until-set5 $x4bar "
check "options reach train.py" [ "$(trained rfdn-x3 | grep -c -- '--device cuda')" -eq 1 ]
# one deadline for all: stages that finish do not give the next one 10 more minutes
stops=$(trainings | sed -n 's/.*--stop-at \([0-9]*\).*/\1/p' | sort -u)
check "every stage gets --stop-at" [ "$(trainings | grep -c -- '--stop-at ')" -eq 18 ]
check "one deadline ($stops)" [ "$(echo "$stops" | wc -l)" -eq 1 ]
check "deadline 10 minutes from now" [ "${stops:-0}" -ge $((now + 600)) -a "${stops:-0}" -le $((now + 605)) ]
check "--max-minutes is not passed on" lacks --max-minutes

# run again: every stage finished and exported, nothing to do
: > "$t/tree/calls.log"
sh "$t/tree/tools/train/schedule.sh" > "$t/out" 2>&1
check "a finished schedule does nothing" [ -z "$(calls)" ]

# pass 1 skips an exported stage that has not finished
setup
mkdir -p "$t/tree/models/checkpoints/e-rfdn-x2"
echo 12000 > "$t/tree/models/checkpoints/e-rfdn-x2/ckpt.pt"
echo model > "$t/tree/models/e-rfdn-x2.safetensors"
sh "$t/tree/tools/train/schedule.sh" --max-minutes=0 > "$t/out" 2>&1
first=$(calls | head -n 1)
check "pass 1 skips an exported stage (first call: ${first%% --steps*})" \
    [ "${first%% --steps*}" = "--run models/checkpoints/rfdn-x2 --arch rfdn --scale 2" ]
check "pass 2 resumes it" [ "$(trained e-rfdn-x2 | wc -l)" -eq 1 ]
check "pass 2 has no Set5 stop" lacks '--run models/checkpoints/e-rfdn-x2 .*--until-set5'
check "--max-minutes 0: no deadline" lacks --stop-at

# the photo models train on before the clean ones' second pass: with every
# clean model shipped and E-RFDN x3 unfinished, its training comes last
setup
for n in e-rfdn-x2 rfdn-x2 e-rfdn-x3 rfdn-x3 e-rfdn-x4 rfdn-x4; do
    mkdir -p "$t/tree/models/checkpoints/$n"
    case $n in *-x4) echo 60000 ;; *) echo 30000 ;; esac > "$t/tree/models/checkpoints/$n/ckpt.pt"
    echo model > "$t/tree/models/$n.safetensors"
done
echo 12000 > "$t/tree/models/checkpoints/e-rfdn-x3/ckpt.pt"
sh "$t/tree/tools/train/schedule.sh" > "$t/out" 2>&1
order=$(trainings | sed 's/^--run models\/checkpoints\/\([^ ]*\) .*/\1/' | tr '\n' ' ')
check "photo passes before the clean second pass ($order)" [ "$order" = "$photo${photo}e-rfdn-x3 " ]

# a photo stage that ends before its pass-1 steps is not exported, and the
# schedule stops there (the next run resumes it)
setup
STANDIN_MAX_STEP=3000 sh "$t/tree/tools/train/schedule.sh" > "$t/out" 2>&1
check "an early end is not an error (status $?)" [ $? -eq 0 ]
check "photo stage ended early: not exported" [ ! -f "$t/tree/models/e-rfdn-x4-photo.safetensors" ]
check "photo stage ended early: the schedule stops" [ -z "$(trained e-rfdn-x2-photo)" ]
check "photo stage ended early: no export tried" lacks '--export models/e-rfdn-x4-photo'

# a bad --max-minutes is refused before any training
for bad in "--max-minutes abc" "--max-minutes" "--max-minutes=-5"; do
    setup
    sh "$t/tree/tools/train/schedule.sh" $bad > "$t/out" 2>&1
    rc=$?
    check "'$bad' refused (status $rc): $(head -c 80 "$t/out")" [ $rc -eq 2 ]
    check "'$bad': no training" [ -z "$(calls)" ]
done

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
