#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A GIMP plug-in in real GIMP, headless: gimp-console-2.10 or -3.0 in batch
# mode with a temporary profile holding the plug-in, driven by Script-Fu (the
# checks are the same for both; a few helpers differ with the PDB).
# Checks sizes, modes, precision, layer offsets, that 8-bit and 16-bit
# pixels equal the CLI's for the same input and model, that bad arguments
# are refused without touching the image, and saves a screenshot of the
# dialog (under Xvfb) for people to look at.
#   test_gimp.sh 2|3 PLUGIN RFDN_UPSCALE MODEL DATA_DIR PYTHON SCREENSHOT_DIR
set -u
V=$1 PLUGIN=$2 CLI=$3 MODEL=$4 DATA=$5 PY=$6 SHOTS=$7
[ "$V" = 2 ] && GV=2.10 || GV=3.0
GIMP=$(command -v gimp-console-$GV) || { echo "SKIP: gimp-console-$GV not installed"; exit 77; }
TOOL="$PY $(dirname "$0")/pngtool.py"
T=$(mktemp -d)
trap '[ -n "${RFDN_KEEP_TMP:-}" ] || rm -rf "$T"' EXIT
fail=0
check() { d=$1; shift; if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi; }
info() { $TOOL info "$1" | grep "^$2=" | cut -d= -f2; }
same_pixels() { $TOOL decode "$1" "$T/a.raw" && $TOOL decode "$2" "$T/b.raw" && cmp -s "$T/a.raw" "$T/b.raw"; }

# the profile: the plug-in in its own folder, as the README says to install it
mkdir -p "$T/profile/plug-ins/rfdn-upscale-gimp" "$T/profile/gradients" "$T/models" "$T/in" "$T/out"
cp "$PLUGIN" "$T/profile/plug-ins/rfdn-upscale-gimp/"
S=$(grep -ao '"scale":"[234]"' "$MODEL" | head -1 | tr -dc 234)
cp "$MODEL" "$T/models/rfdn-x$S.safetensors"
# for the last-values run, whose defaults are the settings table's: E-RFDN x4
cp "${RFDN_TEST_DEFAULT_MODEL:?the project's e-rfdn-x4.safetensors}" "$T/models/e-rfdn-x4.safetensors"
export GIMP2_DIRECTORY="$T/profile" GIMP3_DIRECTORY="$T/profile" RFDN_MODEL_DIR="$T/models"
export RFDN_UNINSTALLED=0 # its folder only, not the source tree's
cp "$DATA/sample.png" "$DATA/sample-rgba.png" "$T/in/"
$TOOL make "$T/in"
# the photo variant of the test model: other weights (the E-RFDN x3 test
# model), so its results differ from the clean one's
cp "$(dirname "$MODEL")/e-rfdn-x3.safetensors" "$T/models/rfdn-x$S-photo.safetensors"
$PY -c "from PIL import Image; Image.open('$T/in/sample.png').convert('RGB').save('$T/in/photo.jpg', quality=60)"
I=$T/in O=$T/out

# model 1 = RFDN, output 0 = new image, 1 = in place
if [ "$V" = 2 ]; then
cat > "$T/test.scm" <<SCM
(define (load f) (car (gimp-file-load RUN-NONINTERACTIVE f f)))
(define (drw img) (car (gimp-image-get-active-drawable img)))
(define (save img d f) (file-png-save2 RUN-NONINTERACTIVE img d f f 0 9 0 0 0 1 0 0 0))
(define (upscale img d model scale output)
  (car (plug-in-rfdn-upscale RUN-NONINTERACTIVE img d model scale output 0 0 0)))
(define (width img) (car (gimp-image-width img)))
(define (height img) (car (gimp-image-height img)))
(define (base img) (car (gimp-image-base-type img)))
(define (dwidth d) (car (gimp-drawable-width d)))
(define (dheight d) (car (gimp-drawable-height d)))
(define (offsets d) (gimp-drawable-offsets d))
(define (nlayers img) (car (gimp-image-get-layers img)))
(define (load-layer img f) (car (gimp-file-load-layer RUN-NONINTERACTIVE img f)))
(define (to-indexed img) (gimp-image-convert-indexed img 0 0 16 0 0 ""))
(define (upscale-last img d) (car (plug-in-rfdn-upscale RUN-WITH-LAST-VALS img d 1 3 0 0 0 0)))
(define (upscale-tt img d tile threads)
  (car (plug-in-rfdn-upscale RUN-NONINTERACTIVE img d 1 $S 1 0 tile threads)))
; RFDN into a new image, transparency upscaled bicubic (code 1)
(define (upscale-bicubic img d) (car (plug-in-rfdn-upscale RUN-NONINTERACTIVE img d 1 $S 0 1 0 0)))
SCM
else
cat > "$T/test.scm" <<SCM
(define (load f) (car (gimp-file-load RUN-NONINTERACTIVE f)))
(define (drw img) (vector-ref (car (gimp-image-get-selected-drawables img)) 0))
(define (save img d f) (file-png-export #:run-mode RUN-NONINTERACTIVE #:image img #:file f
                                       #:options -1 #:phys TRUE #:compression 9
                                       #:include-color-profile TRUE))
; GIMP 3's model, output and alpha are choice arguments: scripts pass
; names; the codes the shared checks use are turned into them here (and an
; unknown code into a name that is not a choice)
(define (model-name m)
  (cond ((= m 0) "e-rfdn") ((= m 1) "rfdn") (else (string-append "model" (number->string m)))))
(define (output-name o) (if (= o 1) "in-place" "new-image"))
(define (upscale img d model scale output)
  (car (plug-in-rfdn-upscale #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d)
                             #:model (model-name model) #:scale scale
                             #:output (output-name output))))
(define (width img) (car (gimp-image-get-width img)))
(define (height img) (car (gimp-image-get-height img)))
(define (base img) (car (gimp-image-get-base-type img)))
(define (dwidth d) (car (gimp-drawable-get-width d)))
(define (dheight d) (car (gimp-drawable-get-height d)))
(define (offsets d) (gimp-drawable-get-offsets d))
(define (nlayers img) (vector-length (car (gimp-image-get-layers img))))
(define (load-layer img f) (car (gimp-file-load-layer RUN-NONINTERACTIVE img f)))
(define (to-indexed img) (gimp-image-convert-indexed img CONVERT-DITHER-NONE CONVERT-PALETTE-GENERATE 16 FALSE FALSE ""))
(define (upscale-last img d)
  (car (plug-in-rfdn-upscale #:run-mode RUN-WITH-LAST-VALS #:image img #:drawables (vector d))))
(define (upscale-tt img d tile threads)
  (car (plug-in-rfdn-upscale #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d)
                             #:model "rfdn" #:scale $S #:output "in-place" #:tile-size tile
                             #:threads threads)))
(define (upscale-bicubic img d)
  (car (plug-in-rfdn-upscale #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d)
                             #:model "rfdn" #:scale $S #:alpha "bicubic")))
SCM
fi

# model 1 = RFDN, output 0 = new image, 1 = in place
cat >> "$T/test.scm" <<SCM
(define (say . parts) (gimp-message (apply string-append parts)))
(define (num n) (number->string n))
(define (new-image f)
  (let* ((img (load f))
         (new (upscale img (drw img) 1 $S 0)))
    (gimp-image-delete img)
    new))
(define (report name new)
  (say "RESULT " name " " (num (width new)) "x" (num (height new))
       " base " (num (base new))
       " precision " (num (car (gimp-image-get-precision new)))
       " alpha " (num (car (gimp-drawable-has-alpha (drw new))))))
(for-each
  (lambda (name)
    (let ((new (new-image (string-append "$I/" name ".png"))))
      (report name new)
      (save new (drw new) (string-append "$O/" name ".png"))
      (gimp-image-delete new)))
  '("sample" "sample-rgba" "gray" "rgb16-noexif"))

; transparency upscaled bicubic (GIMP 3: by name)
(let* ((img (load "$I/sample-rgba.png"))
       (new (upscale-bicubic img (drw img))))
  (save new (drw new) "$O/rgba-bicubic.png")
  (gimp-image-delete new)
  (gimp-image-delete img))

; content auto: a JPEG that GIMP loaded (its quality kept in the
; jpeg-settings parasite) is upscaled by the photo model
(let ((new (new-image "$I/photo.jpg")))
  (report "photo-jpeg" new)
  (save new (drw new) "$O/photo-jpeg.png")
  (gimp-image-delete new))

; 32-bit float linear light: processed in float, stays float linear
(let* ((img (load "$I/sample.png")))
  (gimp-image-convert-precision img 600)
  (let ((new (upscale img (drw img) 1 $S 0)))
    (report "float" new)
    (gimp-image-convert-precision new 150)
    (save new (drw new) "$O/float.png")
    (gimp-image-delete new))
  (gimp-image-delete img))

; several layers, scaled in place: a second layer with an offset
(let* ((img (load "$I/sample.png"))
       (bottom (drw img))
       (top (load-layer img "$I/sample-rgba.png")))
  (gimp-image-insert-layer img top 0 0)
  (gimp-layer-resize top 20 10 -3 -2)
  (gimp-layer-set-offsets top 5 7)
  (let ((ret (upscale img bottom 1 $S 1)))
    (say "INPLACE ret " (if (and (number? ret) (= ret -1)) "none" (if (null? ret) "none" "image"))
         " size " (num (width img)) "x" (num (height img))
         " layers " (num (nlayers img))
         " top " (num (dwidth top)) "x" (num (dheight top))
         " at " (num (car (offsets top))) "," (num (cadr (offsets top)))
         " bottom " (num (dwidth bottom)) "x" (num (dheight bottom))))
  (gimp-image-remove-layer img top)
  (save img bottom "$O/inplace-bottom.png")
  (gimp-image-delete img))

; with last values and none stored (only interactive runs store them):
; the defaults, E-RFDN x4
(let* ((img (load "$I/sample.png"))
       (new (upscale-last img (drw img))))
  (say "LASTVALS " (num (width new)) "x" (num (height new)))
  (gimp-image-delete new)
  (gimp-image-delete img))

; bad arguments: an error, and the image as it was
(define (refused label model scale output img)
  (let* ((w (width img))
         (r (catch "refused" (upscale img (drw img) model scale output))))
    (say "BAD " label " " (if (equal? r "refused") "refused" "accepted")
         " width " (if (= w (width img)) "unchanged" "changed"))))
(define (refused-tt label tile threads img)
  (let* ((w (width img))
         (r (catch "refused" (upscale-tt img (drw img) tile threads))))
    (say "BAD " label " " (if (equal? r "refused") "refused" "accepted")
         " width " (if (= w (width img)) "unchanged" "changed"))))
(let ((img (load "$I/sample.png")))
  (refused "scale5" 1 5 1 img)
  (refused "model7" 7 $S 1 img)
  (refused-tt "tile8" 8 0 img)
  (refused-tt "threads2000" 0 2000 img)
  (to-indexed img)
  (refused "indexed" 1 $S 1 img)
  (gimp-image-delete img))
SCM

timeout 300 "$GIMP" -i -d -f --batch-interpreter=plug-in-script-fu-eval \
    -b "(load \"$T/test.scm\")" -b '(gimp-quit 0)' > "$T/log" 2>&1
rc=$?
grep -E "RESULT|INPLACE|BAD|rror" "$T/log"
check "GIMP ran the script" [ $rc -eq 0 ]
W=$((40 * S)) H=$((30 * S))
check "8-bit RGB: new RGB image, 8-bit, scale x the size" grep -q "RESULT sample ${W}x$H base 0 precision 150 alpha 0" "$T/log"
"$CLI" -q -m "$MODEL" "$I/sample.png" -o "$T/cli-sample.png"
check "... its pixels equal the CLI's" same_pixels "$O/sample.png" "$T/cli-sample.png"
"$CLI" -q -m "$T/models/rfdn-x$S-photo.safetensors" "$I/photo.jpg" -o "$T/cli-photo.png"
"$CLI" -q -m "$MODEL" "$I/photo.jpg" -o "$T/cli-photo-clean.png"
# (GIMP decodes JPEG a level apart from libvips here and there)
max_diff() { $PY -c "
import sys; from PIL import Image, ImageChops
a, b = (Image.open(f).convert('RGB') for f in sys.argv[1:3])
print(max(e[1] for e in ImageChops.difference(a, b).getextrema()) if a.size == b.size else 999)" "$1" "$2"; }
d=$(max_diff "$O/photo-jpeg.png" "$T/cli-photo.png") dc=$(max_diff "$O/photo-jpeg.png" "$T/cli-photo-clean.png")
check "content auto: a JPEG gets the photo model (within $d level(s) of the CLI's with it; $dc from the clean model's)" [ "$d" -le 2 -a "$dc" -gt 20 ]
check "RGBA: transparency kept" grep -q "RESULT sample-rgba ${W}x$H base 0 precision 150 alpha 1" "$T/log"
check "... saved with alpha (colour type 6)" [ "$(info "$O/sample-rgba.png" colortype)" = 6 ]
"$CLI" -q -m "$MODEL" "$I/sample-rgba.png" -o "$T/cli-rgba.png"
"$CLI" -q -m "$MODEL" --alpha bicubic "$I/sample-rgba.png" -o "$T/cli-rgba-bicubic.png"
check "... its pixels equal the CLI's" same_pixels "$O/sample-rgba.png" "$T/cli-rgba.png"
# (GIMP's PNG export writes black for the colour of fully transparent
# pixels, which bicubic alpha has and the network's does not)
same_visible() { $PY -c "
import sys; from PIL import Image
a, b = (list(Image.open(f).convert('RGBA').getdata()) for f in sys.argv[1:3])
sys.exit(0 if len(a) == len(b) and all(p == q for p, q in zip(a, b) if p[3] or q[3]) else 1)" "$1" "$2"; }
check "transparency bicubic: the CLI's --alpha bicubic pixels (where not fully transparent)" same_visible "$O/rgba-bicubic.png" "$T/cli-rgba-bicubic.png"
check "... which differ from the network's" sh -c "! cmp -s '$T/cli-rgba.png' '$T/cli-rgba-bicubic.png'"
W2=$((37 * S)) H2=$((23 * S))
check "grayscale stays grayscale" grep -q "RESULT gray ${W2}x$H2 base 1 precision 150 alpha 0" "$T/log"
check "... saved gray (colour type 0)" [ "$(info "$O/gray.png" colortype)" = 0 ]
check "16-bit: the new image is 16-bit (precision 250)" grep -q "RESULT rgb16-noexif ${W2}x$H2 base 0 precision 250" "$T/log"
check "... saved 16-bit" [ "$(info "$O/rgb16-noexif.png" depth)" = 16 ]
"$CLI" -q -m "$MODEL" "$I/rgb16-noexif.png" -o "$T/cli-rgb16.png"
check "... with the CLI's 16-bit pixels" same_pixels "$O/rgb16-noexif.png" "$T/cli-rgb16.png"
check "... the resolution kept (300 dpi)" [ "$(info "$O/rgb16-noexif.png" dpi)" = 300 ]
check "... and the colour profile" [ "$(info "$O/rgb16-noexif.png" icc_sha256)" = "$(info "$I/rgb16-noexif.png" icc_sha256)" ]
check "32-bit float linear: stays float linear (precision 600)" grep -q "RESULT float ${W}x$H base 0 precision 600" "$T/log"
check "... and close to the 8-bit result (within 2 levels)" $PY -c "
import struct,sys
def px(f):
    import subprocess
    subprocess.run(sys.argv[1:3] + ['decode', f, f + '.raw'], check=True)
    return open(f + '.raw', 'rb').read()[20:]
a, b = px('$O/float.png'), px('$O/sample.png')
sys.exit(0 if len(a) == len(b) and max(abs(x - y) for x, y in zip(a, b)) <= 2 else 1)
" $TOOL
check "in place: image scaled, both layers upscaled, offsets scaled" \
    grep -q "INPLACE ret none size ${W}x$H layers 2 top $((20 * S))x$((10 * S)) at $((5 * S)),$((7 * S)) bottom ${W}x$H" "$T/log"
check "... the bottom layer's pixels equal the CLI's" same_pixels "$O/inplace-bottom.png" "$T/cli-sample.png"
check "with last values (none stored): the defaults, E-RFDN x4" grep -q "LASTVALS 160x120" "$T/log"
for bad in scale5 model7 tile8 threads2000 indexed; do
    check "bad argument ($bad): refused, image untouched" grep -q "BAD $bad refused width unchanged" "$T/log"
done
# (GIMP 3 checks the ranges declared with the arguments itself)
[ "$V" = 2 ] && check "... with the settings table's message" grep -q "scale 5 is not supported (2, 3 or 4)" "$T/log"
check "... and for indexed images" grep -q "Indexed images" "$T/log"
# the settings table's messages, the same words as the CLI's and the app's
# (GIMP 3 refuses a thread count outside the argument's range itself)
check "... tile size 8: the shared message" grep -q "tile size 8 is out of range (0 = automatic, or 16 to 100000)" "$T/log"
[ "$V" = 2 ] && check "... thread count 2000: the shared message" grep -q "thread count 2000 is out of range (0 = all cores, or 1 to 1024)" "$T/log"

# The dialog, interactive, under Xvfb: the plug-in saves a screenshot of
# itself once its preview is computed, then closes.
if command -v xvfb-run >/dev/null; then
    mkdir -p "$SHOTS"
    # with the authors' weights where they are (a random-weight model's
    # result is noise), E-RFDN x4, on a Set5 image
    SHOT_IN=$I/sample.png SHOT_ARGS="1 rfdn $S"
    if [ -f "${RFDN_OFFICIAL_MODEL:-}" ]; then
        SHOT_ARGS="0 e-rfdn 4"
        [ -f "${RFDN_SHOT_IMAGE:-}" ] && SHOT_IN=$RFDN_SHOT_IMAGE
    fi
    set -- $SHOT_ARGS
    if [ "$V" = 2 ]; then
        CALL="(plug-in-rfdn-upscale RUN-INTERACTIVE img (car (gimp-image-get-active-drawable img)) $1 $3 0 0 0 0)"
        LOAD="(car (gimp-file-load RUN-NONINTERACTIVE \"$SHOT_IN\" \"s\"))"
    else
        CALL="(plug-in-rfdn-upscale #:run-mode RUN-INTERACTIVE #:image img #:drawables (car (gimp-image-get-selected-drawables img)) #:model \"$2\" #:scale $3)"
        LOAD="(car (gimp-file-load RUN-NONINTERACTIVE \"$SHOT_IN\"))"
    fi
    SHOT=$SHOTS/gimp$V-dialog.png
    rm -f "$SHOT"
    RFDN_PLUGIN_SCREENSHOT="$SHOT" timeout 120 xvfb-run -a -s "-screen 0 1280x1024x24" \
        "$GIMP" -d -f --batch-interpreter=plug-in-script-fu-eval \
        -b "(let ((img $LOAD)) (catch #f $CALL))" -b '(gimp-quit 0)' > "$T/log2" 2>&1
    check "dialog screenshot saved ($SHOT)" sh -c "[ -s '$SHOT' ] && [ \$($TOOL info '$SHOT' | grep width= | cut -d= -f2) -gt 300 ]"
else
    echo "skip dialog screenshot (no xvfb-run)"
fi
exit $fail
