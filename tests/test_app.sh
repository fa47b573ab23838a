#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The desktop app driven as a person would, through its actions (over
# D-Bus, `gapplication action`), under Xvfb with a private D-Bus session:
# open, choose model and scale, upscale, save (pixels equal the CLI's),
# zoom, split view, batch queue with a corrupt file, preferences persisted,
# a long run cancelled (window responsive, nothing saved), a second launch
# handing its file to the running instance, and the German and Chinese
# translations.  Screenshots go to SHOTS for people to look at.
#   test_app.sh APP RFDN_UPSCALE SCHEMA_DIR LOCALE_DIR MODEL_DIR DATA_DIR PYTHON SHOTS [OFFICIAL]
set -u
APP=$1 CLI=$2 SCHEMAS=$3 LOCALES=$4 MODELS=$5 DATA=$6 PY=$7 SHOTS=$8 OFFICIAL=${9:-}
for t in xvfb-run dbus-run-session gapplication; do
    command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
if [ -z "${RFDN_APP_INNER:-}" ]; then
    T=$(mktemp -d)
    trap 'rm -rf "$T"' EXIT
    RFDN_APP_INNER=$T timeout 600 dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" "$0" "$@" 2>&1 |
        grep -v "dbus-daemon\|SpiRegistry\|Failed to set fd limit"
    exit "$(cat "$T/rc" 2>/dev/null || echo 1)"
fi
T=$RFDN_APP_INNER
TOOL="$PY $(dirname "$0")/pngtool.py"
fail=0
check() { d=$1; shift; if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi; }
export HOME=$T/home XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data XDG_CACHE_HOME=$T/cache
mkdir -p "$HOME/Pictures" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
export GSETTINGS_SCHEMA_DIR=$SCHEMAS GSETTINGS_BACKEND=keyfile RFDN_LOCALEDIR=$LOCALES
export RFDN_APP_STATE_FILE=$T/state NO_AT_BRIDGE=1
export RFDN_MODEL_DIR=$MODELS RFDN_UNINSTALLED=0 # its folder only, not the source tree's
[ -f "$OFFICIAL" ] && export RFDN_OFFICIAL_MODEL=$OFFICIAL
mkdir -p "$SHOTS"
ID=org.rfdn.Upscaler
act() { gapplication action $ID "$@"; }
field() { sed -n "s/^$1=//p" "$T/state" 2>/dev/null; }
wait_for() { # field value [seconds]
    n=$(( ${3:-60} * 10 ))
    while [ $n -gt 0 ]; do [ "$(field "$1")" = "$2" ] && return 0; sleep 0.1; n=$((n - 1)); done
    return 1
}
start() { "$APP" > "$T/app.log" 2>&1 & APP_PID=$!; wait_for state idle 30; }
stop() { act quit 2>/dev/null; wait $APP_PID 2>/dev/null; rm -f "$T/state"; }
same_pixels() { $TOOL decode "$1" "$T/a.raw" && $TOOL decode "$2" "$T/b.raw" && cmp -s "$T/a.raw" "$T/b.raw"; }

# the model: the authors' E-RFDN x4 where it is (meaningful screenshots),
# else the random-weight RFDN x3 test model
if [ -n "${RFDN_OFFICIAL_MODEL:-}" ]; then M=e-rfdn S=4 MF=$RFDN_OFFICIAL_MODEL; else M=rfdn S=3 MF=$MODELS/rfdn-x3.safetensors; fi
IMG=${RFDN_SHOT_IMAGE:-}
[ -f "$IMG" ] || IMG=$DATA/sample.png

gsettings set $ID output-folder "$T/out"
if ! start; then
    echo "FAIL the app starts (state idle):"; cat "$T/app.log"
    echo 1 > "$T/rc"; exit 1
fi
echo "ok   the app starts (state idle)"
act screenshot "'$SHOTS/app-empty.png'"
check "... empty-window screenshot" [ -s "$SHOTS/app-empty.png" ]
act set-model "'$M'"; act set-scale $S
act open-file "'$IMG'"
check "open + choose $M x$S: upscaled" wait_for state done 120
check "... model and scale as chosen" [ "$(field model)/$(field scale)" = "$M/$S" ]
# (issue 28) the result pane says whose weights ran: the authors' file, or
# the test model (random weights, not the project's own)
if [ -n "${RFDN_OFFICIAL_MODEL:-}" ]; then whose="the authors' weights"; else whose="other weights"; fi
check "... the result pane says whose weights ($(field result-label))" sh -c 'echo "$1" | grep -q " · $2 · "' _ "$(field result-label)" "$whose"
# (issue 28) with the result made, Upscale is no longer the suggested
# action; saving and copying are offered
check "... Upscale no longer suggested once the result is made" [ "$(field upscale-suggested)" = 0 ]
check "... Save As and Copy enabled ($(field enabled))" sh -c "echo '$(field enabled)' | grep -q 'save-as,copy'"
act screenshot "'$SHOTS/app-compare-fit.png'"
act zoom-100
check "key 1 / zoom-100: 100 %" wait_for zoom 1.0000 10
act screenshot "'$SHOTS/app-compare-100.png'"
# (issue 28) the zoom bar: a readout, zooming out stops where the image
# fits (it went on to 2 %), and the original is drawn smooth by default
check "... the zoom readout says 100 % ($(field zoom-label))" wait_for zoom-label "100 %" 5
act zoom-fit
fitz=$(field zoom)
act zoom-100
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do act zoom-out; done
wait_for zoom-label "$(awk -v z="$fitz" 'BEGIN { printf "%.0f %%", z * 100 }')" 5
check "zoom out stops at fit ($(field zoom), fit $fitz; readout $(field zoom-label))" sh -c "[ '$(field zoom)' = '$fitz' ] && [ '$(field zoom-label)' = \"\$(awk -v z='$fitz' 'BEGIN { printf \"%.0f %%\", z * 100 }')\" ]"
check "the original drawn smooth by default" [ "$(gsettings get $ID smooth-original)" = true ]
act zoom-100
act save-to "'$T/app-out.png'"
check "Save: written" wait_for state saved 30
"$CLI" -q -m "$MF" "$IMG" -o "$T/cli-out.png"
check "... its pixels equal the CLI's" same_pixels "$T/app-out.png" "$T/cli-out.png"
# copy the result, paste it back: it opens as a new image of the result's size
act copy
check "Copy: the result on the clipboard" wait_for state copied 10
act paste
check "Paste: the clipboard's image opens" wait_for image "Pasted image" 10
wait_for state done 120
act split
act zoom-fit
sleep 0.5
act screenshot "'$SHOTS/app-split.png'"
act split

# a second launch hands its file to the running instance
"$APP" "$DATA/sample.png" > /dev/null 2>&1
check "second launch: the file opens in the running app" wait_for image sample.png 30
wait_for state done 120

# batch: a folder with two images and a corrupt one
mkdir -p "$T/batch"
cp "$DATA/sample.png" "$T/batch/a.png"; cp "$DATA/sample-rgba.png" "$T/batch/b.png"
head -c 100 "$DATA/sample.png" > "$T/batch/corrupt.png"
act open-file "'$T/batch'"
check "a folder opens the batch queue" wait_for page batch 30
check "... the image's Upscale, Save As and Copy off on the batch page ($(field enabled))" sh -c "! echo '$(field enabled)' | grep -Eq 'upscale|save-as|copy'"
act screenshot "'$SHOTS/app-batch.png'"
act batch-start
check "the batch runs to the end, reporting the corrupt file" wait_for state error 120
OUT=$T/out
check "... the good images written, the corrupt one not" sh -c "[ -s '$OUT/a-x$S.png' ] && [ -s '$OUT/b-x$S.png' ] && [ ! -e '$OUT/corrupt-x$S.png' ]"
act screenshot "'$SHOTS/app-batch-done.png'"
# a folder with subfolders: mirrored in the output folder as the CLI's -r
# does (a/x.png and b/x.png do not collide); run again, every row fails at
# once because its output exists, and nothing is rewritten
mkdir -p "$T/tree/a" "$T/tree/b"
cp "$DATA/sample.png" "$T/tree/a/x.png"; cp "$DATA/sample-rgba.png" "$T/tree/b/x.png"
act open-file "'$T/tree'"
wait_for page batch 30
act batch-start
check "subfolders mirrored: the batch runs" wait_for state done 120
check "... out/a/x-x$S.png and out/b/x-x$S.png" sh -c "[ -s '$OUT/a/x-x$S.png' ] && [ -s '$OUT/b/x-x$S.png' ] && [ ! -e '$OUT/x-x$S.png' ]"
"$CLI" -q -m "$MF" "$T/tree/b/x.png" -o "$T/cli-bx.png"
check "... b/x's result is b/x.png's" same_pixels "$OUT/b/x-x$S.png" "$T/cli-bx.png"
before=$(stat -c %Y.%s "$OUT/a/x-x$S.png")
# run again (issue 28): the results exist; the app asks once, before any
# work: Skip, Replace or Keep Both, remembered when asked to be
act batch-start
check "run again: asked what to do with the existing results" wait_for state asking 30
act screenshot "'$SHOTS/app-batch-existing.png'"
act answer-existing "('cancel', false)"
check "... Cancel: nothing runs" wait_for state idle 10
check "... nothing rewritten" [ "$(stat -c %Y.%s "$OUT/a/x-x$S.png")" = "$before" ]
act batch-start; wait_for state asking 30
act cancel
check "... the Cancel action closes the question too" wait_for state idle 10
act batch-start; wait_for state asking 30
act open-batch "['$T/tree']"
wait_for state idle 10
act batch-start
check "... and so does opening a batch: Start then asks again" wait_for state asking 30
act answer-existing "('cancel', false)"; wait_for state idle 10
act batch-start; wait_for state asking 30
act answer-existing "('skip', false)"
check "... Skip: the batch done at once" wait_for state done 30
check "... the status says so ($(field status))" sh -c "echo '$(field status)' | grep -q '2 skipped: their results exist'"
check "... and nothing rewritten" [ "$(stat -c %Y.%s "$OUT/a/x-x$S.png")" = "$before" ]
act batch-start; wait_for state asking 30
act answer-existing "('rename', true)"
check "... Keep Both: new results beside the old ones" wait_for state done 120
check "... as x-x$S (2).png, the old ones untouched" sh -c "[ -s '$OUT/a/x-x$S (2).png' ] && [ -s '$OUT/b/x-x$S (2).png' ] && [ \"\$(stat -c %Y.%s '$OUT/a/x-x$S.png')\" = '$before' ]"
check "... remembered: the preference is rename" [ "$(gsettings get $ID existing)" = "'rename'" ]
act batch-start
check "... next run not asked: (3) written" sh -c "n=600; while [ \$n -gt 0 ] && [ ! -s '$OUT/a/x-x$S (3).png' ]; do sleep 0.1; n=\$((n - 1)); done; [ -s '$OUT/a/x-x$S (3).png' ]"
wait_for state done 120
act set-preference "('existing', 'replace')"
# (the keyfile backend of the tests rereads its file after a write: a start
# at once could see the value before)
sleep 1
act batch-start
check "... replace (preference): rewritten, no new name" sh -c "n=600; while [ \$n -gt 0 ] && [ \"\$(stat -c %Y.%s '$OUT/a/x-x$S.png')\" = '$before' ]; do sleep 0.1; n=\$((n - 1)); done; [ \"\$(stat -c %Y.%s '$OUT/a/x-x$S.png')\" != '$before' ] && [ ! -e '$OUT/a/x-x$S (4).png' ]"
wait_for state done 120
echo "     (replace run: $(field state), $(field status); $(ls "$OUT/a" | tr '\n' ' '))"
act set-preference "('existing', 'ask')"
act preferences
sleep 0.5
act screenshot "'$SHOTS/app-preferences.png'"
act close-preferences
check "preferences screenshot" [ -s "$SHOTS/app-preferences.png" ]
# a bad tile size or thread count: the settings table's message, as the CLI
# and GIMP give it, and the preference unchanged
act set-preference "('tile-size', '8')"
check "tile size 8 refused with the shared message" wait_for message "tile size 8 is out of range (0 = automatic, or 16 to 100000)" 10
check "... the preference unchanged" [ "$(gsettings get $ID tile-size)" = 0 ]
act set-preference "('threads', '2000')"
check "thread count 2000 refused with the shared message" wait_for message "thread count 2000 is out of range (0 = all cores, or 1 to 1024)" 10
act set-preference "('tile-size', '16')"
check "tile size 16 accepted" sh -c "sleep 0.5; [ \"\$(gsettings get $ID tile-size)\" = 16 ]"
gsettings reset $ID tile-size
stop

# preferences persist (GSettings): a default set before the start is used
gsettings set $ID model 'rfdn'
gsettings set $ID scale 3
start
check "preferences persisted: default model and scale" [ "$(field model)/$(field scale)" = "rfdn/3" ]
stop
gsettings reset $ID model; gsettings reset $ID scale

# clean or photo: a JPEG is upscaled by the photo model (the E-RFDN x3 test
# model stands in for rfdn-x3-photo, in the user's model folder) and the
# app says why; Content Clean gives the clean model's pixels
PM=$XDG_DATA_HOME/rfdn-upscaler/models
mkdir -p "$PM"
cp "$MODELS/e-rfdn-x3.safetensors" "$PM/rfdn-x3-photo.safetensors"
$PY -c "from PIL import Image; Image.open('$DATA/sample.png').convert('RGB').save('$T/photo.jpg', quality=50)"
start
act set-model "'rfdn'"; act set-scale 3
act open-file "'$T/photo.jpg'"
check "a JPEG: upscaled" wait_for state done 60
check "... by the photo model, saying why ($(field content-why))" [ "$(field content-why)" = "JPEG quality about 50: photo model" ]
act save-to "'$T/app-photo.png'"
wait_for state saved 30
"$CLI" -q -m "$PM/rfdn-x3-photo.safetensors" "$T/photo.jpg" -o "$T/cli-photo.png"
check "... its pixels are the photo model's" same_pixels "$T/app-photo.png" "$T/cli-photo.png"
"$CLI" -q -m "$MODELS/rfdn-x3.safetensors" "$T/photo.jpg" -o "$T/cli-clean.png"
# compare clean and photo (issue 23): the other variant's result as a
# third pane, labelled with model, variant and time
act compare-variants
check "Compare Clean and Photo: the other variant upscaled too" wait_for second done 60
check "... by the clean model ($(field second-why))" [ "$(field second-why)" = "clean model (compared)" ]
lbl=$(field second-label)
matches() { expr "$1" : "$2" > /dev/null; }
check "... labelled model, variant, weights, time ($lbl)" matches "$lbl" 'RFDN x3 clean · other weights · [0-9][0-9]*[.][0-9] s$'
act save-second-to "'$T/app-second.png'"
wait_for state saved 30
check "... its pixels are the clean model's" same_pixels "$T/app-second.png" "$T/cli-clean.png"
act zoom-fit
sleep 0.5
act screenshot "'$SHOTS/app-compare-variants.png'"
act compare-variants
check "... off again: no second result" wait_for second none 10
act set-content "'clean'"
check "Content Clean: upscaled again by the clean model" wait_for content-why "clean model (chosen)" 30
wait_for state done 60
act save-to "'$T/app-clean.png'"
wait_for state saved 30
check "... its pixels are the clean model's" same_pixels "$T/app-clean.png" "$T/cli-clean.png"
act set-content "'jpeg'"
check "a bad content is refused with the table's message" wait_for message "content 'jpeg' is not one of auto, clean, photo" 10
stop
gsettings reset $ID content; gsettings reset $ID model; gsettings reset $ID scale
rm -rf "$PM"

# cancel a long run: a big image, E-RFDN (or the test model)
$PY -c "
from PIL import Image; import random
random.seed(3); w, h = 900, 700
Image.frombytes('RGB', (w, h), bytes(random.getrandbits(8) for _ in range(w * h * 3))).save('$T/big.png')"
start
act set-model "'$M'"; act set-scale $S
act open-file "'$T/big.png'"
check "long run under way" wait_for state running 30
n=100; while [ "$(field first-pass-ms)" = 0 ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
# (a measure for people, not a check: timing belongs to benchmarks)
echo "     big image: the first region was drawn $(field first-pass-ms) ms after the start"
act cancel
check "Cancel: stopped within 3 s" wait_for state cancelled 3
check "... the result pane marked unfinished" [ "$(field result-label)" = "Unfinished (cancelled)" ]
act zoom-100
check "... the window responds" wait_for zoom 1.0000 5
act save-to "'$T/cancelled.png'" 2>/dev/null
sleep 0.5
check "... and nothing is saved" [ ! -e "$T/cancelled.png" ]
# a new scale in the middle of a run: the run is replaced, no stale tiles
act upscale
wait_for state running 30
sleep 0.5
act set-scale 2
check "scale changed during a run: the new one runs to the end" wait_for state done 300
check "... at the new scale" [ "$(field scale)" = 2 ]
# (issue 28) saving runs on a worker: the window says so, Cancel stops it
# and leaves nothing (the result, x4 of noise, is 3600 x 2800: its PNG
# takes about a second)
act set-scale 4
wait_for state done 300
act save-to "'$T/saving.png'"
check "Save on a worker: the window says Saving ($(field status))" sh -c "[ '$(field state)' = saving ] && echo '$(field status)' | grep -q '^Saving saving.png'"
act cancel
check "... Cancel stops it" wait_for state cancelled 10
check "... and leaves no file ($(ls -A "$T" | grep saving | tr '\n' ' '))" sh -c "! ls -A '$T' | grep -q saving"
check "... the status says so ($(field status))" [ "$(field status)" = "Saving saving.png cancelled: nothing was written" ]
act save-to "'$T/saving.png'"
check "... saved when let run" wait_for state saved 60
check "... a whole PNG" sh -c "$TOOL decode '$T/saving.png' '$T/saving.raw'"
stop

# (issue 28) no model at all: the banner says what to install, its text
# not selected, and the drop-downs labelled but off
mkdir -p "$T/nomodels"
RFDN_MODEL_DIR=$T/nomodels RFDN_OFFICIAL_MODEL= start
check "no model: the banner says so ($(field message | cut -c1-40)...)" sh -c "field() { sed -n \"s/^\$1=//p\" '$T/state'; }; field message | grep -q '^No model is installed'"
act screenshot "'$SHOTS/app-no-model.png'"
check "... screenshot" [ -s "$SHOTS/app-no-model.png" ]
stop

# no output folder chosen (issue 28): none is made; Start asks for one
gsettings reset $ID output-folder
start
# (issue 28) a queue not started grows: a second lot is added, not put in
# place of the first, and an image queued twice is queued once
act open-file "'$T/batch'"
wait_for page batch 30
act open-batch "['$T/tree']"
check "a second lot joins the queue ($(field status))" [ "$(field status)" = "5 images to upscale" ]
act open-file "'$T/tree'"
wait_for page batch 30
check "... the same images again: queued once ($(field status))" [ "$(field status)" = "5 images to upscale" ]
act batch-start
wait_for state error 10
check "no folder chosen: Start asks for one ($(field message))" [ "$(field message)" = 'Choose the output folder first' ]
check "... and no folder was made" [ ! -e "$HOME/Pictures/Upscaled" ]
stop

# translations (locales built privately, no system change)
mkdir -p "$T/locale"
for l in de_DE zh_CN; do localedef -i $l -f UTF-8 "$T/locale/$l.UTF-8" 2>/dev/null; done
for l in "de_DE:_Vergrößern" "zh_CN:放大(_U)"; do
    loc=${l%%:*} want=${l#*:}
    export LOCPATH=$T/locale LANG=$loc.UTF-8 LC_ALL=$loc.UTF-8 LANGUAGE=
    start
    check "starts in $loc with translated strings ($want)" [ "$(field upscale-label)" = "$want" ]
    [ "$loc" = zh_CN ] && check "... and the translated title ($(field title))" [ "$(field title)" = "RFDN 图像放大器" ]
    act screenshot "'$SHOTS/app-empty-$loc.png'"
    # (issue 28) the image layer's messages too
    : > "$T/leer.png"
    act open-file "'$T/leer.png'"
    wait_for state error 10
    case $loc in de_DE) want="leer.png kann nicht geöffnet werden: die Datei ist leer" ;;
    *) want="无法打开 leer.png: 文件为空" ;; esac
    check "... the image layer's message translated ($(field dialog))" [ "$(field dialog)" = "$want" ]
    stop
    unset LOCPATH LC_ALL LANGUAGE
    export LANG=C.UTF-8
done
echo $fail > "$T/rc"
