#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# rfdn-upscale end to end: output size, determinism, pixels equal to the
# engine's, formats and metadata, batches, and the safety rules (never
# overwrite an input or an existing file unasked, no partial output on
# failure, clear errors).  PNG files are made and read back with
# tests/pngtool.py, a decoder independent of the code under test.
#   test_cli.sh RFDN_UPSCALE ENGINE_RAW MODEL DATA_DIR PYTHON
set -u
CLI=$1 ENGINE=$2 MODEL=$3 DATA=$4 PY=$5
TOOL="$PY $(dirname "$0")/pngtool.py"
T=$(mktemp -d)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
fail=0
check() { # description, then a command that must succeed
    d=$1; shift
    if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi
}
info() { $TOOL info "$1" | grep "^$2=" | cut -d= -f2; }
only_files() { # dir, expected file names...: no temporary files left behind
    dir=$1; shift
    [ $# -eq 0 ] && { [ -z "$(ls -A "$dir")" ]; return; }
    [ "$(ls -A "$dir" | sort | tr '\n' ' ')" = "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]
}
same_pixels() { # CLI output PNG, input PNG: the engine's pixels for the input
    $TOOL decode "$2" "$T/in.raw" && "$ENGINE" "$MODEL" "$T/in.raw" "$T/eng.raw" &&
        $TOOL decode "$1" "$T/cli.raw" && cmp -s "$T/eng.raw" "$T/cli.raw"
    r=$?; rm -f "$T/in.raw" "$T/eng.raw" "$T/cli.raw"; return $r
}
U() { "$CLI" -q -m "$MODEL" "$@"; }
# the model folders are the ones each check names, not the source tree's
export RFDN_UNINSTALLED=0

mkdir "$T/in"
cp "$DATA/sample.png" "$DATA/sample-rgba.png" "$T/in/"
$TOOL make "$T/in" && mv "$T/in/profile.icc" "$T/in/huge.png" "$T/"
S=$(grep -ao '"scale":"[234]"' "$MODEL" | head -1 | tr -dc 234)
I=$T/in O=$T/out
mkdir "$O"

# --help fits an 80-column terminal, and no sentence breaks off a line
# early (issue 28: "...file can also" / "be set with")
"$CLI" --help > "$T/help" 2>&1
check "--help: every line at most 79 columns" sh -c "! awk 'length(\$0) > 79' '$T/help' | grep -q ."
check "--help: no prose line cut short (a short line followed by a lowercase one)" sh -c "! awk 'prev != \"\" && length(prev) < 40 && prev !~ /^ / && \$0 ~ /^[a-z\$]/ { print; found = 1 } { prev = \$0 } END { exit !found }' '$T/help'"

# --- the settings table's messages (the same words in the app and GIMP) ---
"$CLI" -T 8 "$DATA/sample.png" -o "$T/t.png" 2>"$T/err"; rc=$?
check "--tile 8 refused with the shared message" sh -c "[ $rc -eq 2 ] && grep -q 'tile size 8 is out of range (0 = automatic, or 16 to 100000)' '$T/err' && [ ! -e '$T/t.png' ]"
"$CLI" -t 2000 "$DATA/sample.png" -o "$T/t.png" 2>"$T/err"; rc=$?
check "--threads 2000 refused with the shared message" sh -c "[ $rc -eq 2 ] && grep -q 'thread count 2000 is out of range (0 = all cores, or 1 to 1024)' '$T/err'"
check "--tile 16 and 0 accepted" sh -c "'$CLI' -q -m '$MODEL' -T 16 '$DATA/sample.png' -o '$T/t16.png' && '$CLI' -q -m '$MODEL' -T 0 '$DATA/sample.png' -o '$T/t0.png'"

# --- a model file is what it is (issue 28): no silent x2 for -s 4 ----------
OTHER=$((S == 2 ? 3 : 2))
"$CLI" -m "$MODEL" -s $OTHER "$DATA/sample.png" -o "$T/t.png" 2>"$T/err"; rc=$?
check "-m x$S file with -s $OTHER: refused, nothing written" sh -c "[ $rc -eq 1 ] && grep -q 'is an x$S model, not x$OTHER' '$T/err' && [ ! -e '$T/t.png' ]"
"$CLI" --official "$MODEL" "$DATA/sample.png" -o "$T/t.png" 2>"$T/err"; rc=$?
check "--official with a file that is not E-RFDN x4: refused" sh -c "[ $rc -eq 1 ] && grep -q \"takes the authors' E-RFDN x4 weights\" '$T/err' && [ ! -e '$T/t.png' ]"

# --- the progress bar on an 80-column terminal: one row, never wrapped ----
if command -v script >/dev/null; then
    mkdir -p "$T/pb"
    for i in 1 2 3; do cp "$DATA/sample.png" "$T/pb/a-rather-long-file-name-for-the-progress-bar-$i.png"; done
    script -qc "stty cols 80; '$CLI' -m '$MODEL' -T 16 '$T/pb' -d '$T/pbo'" "$T/typescript" > /dev/null 2>&1
    widest=$($PY -c "
import re, sys
s = open(sys.argv[1], 'rb').read().decode('utf-8', 'replace')
bars = [x.replace('\x1b[K', '') for x in re.split(r'[\r\n]', s) if '] ' in x and ' left' in x]
print('%d %d' % (len(bars), max(map(len, bars)) if bars else 0))" "$T/typescript")
    check "progress on 80 columns: drawn, at most 79 wide (${widest% *} updates, widest ${widest#* })" \
        sh -c "[ ${widest% *} -gt 0 ] && [ ${widest#* } -le 79 ]"
    rm -rf "$T/pb" "$T/pbo" "$T/typescript"
else
    echo "skip progress width (no script)"
fi

# --- pixels and formats ------------------------------------------------
check "upscale a PNG" U "$I/sample.png" -o "$O/a.png"
check "output is scale x the input" [ "$(info "$O/a.png" width)x$(info "$O/a.png" height)" = "$((40 * S))x$((30 * S))" ]
check "the CLI's pixels are the engine's (8-bit RGB)" same_pixels "$O/a.png" "$I/sample.png"
check "same input, same bytes" sh -c "'$CLI' -q -m '$MODEL' '$I/sample.png' -o '$O/a2.png' && cmp -s '$O/a.png' '$O/a2.png'"
check "RGBA keeps its alpha (colour type 6)" U "$I/sample-rgba.png" -o "$O/rgba.png"
check "... and its pixels are the engine's" same_pixels "$O/rgba.png" "$I/sample-rgba.png"
check "16-bit PNG in, upscaled" U "$I/rgb16.png" -o "$O/rgb16.png"
check "... comes out 16-bit RGB" [ "$(info "$O/rgb16.png" depth)/$(info "$O/rgb16.png" colortype)" = "16/2" ]
check "... with the engine's 16-bit pixels" same_pixels "$O/rgb16.png" "$I/rgb16.png"
check "... the same ICC profile" [ "$(info "$O/rgb16.png" icc_sha256)" = "$(sha256sum < "$T/profile.icc" | cut -d' ' -f1)" ]
check "... the EXIF (Make, Orientation 6)" [ "$(info "$O/rgb16.png" exif_make)/$(info "$O/rgb16.png" orientation)" = "RFDN test/6" ]
check "... and the resolution (300 dpi, as Scale Image keeps it)" [ "$(info "$O/rgb16.png" dpi)" = 300 ]
check "gray stays gray" sh -c "'$CLI' -q -m '$MODEL' '$I/gray.png' -o '$O/gray.png' && [ \$($TOOL info '$O/gray.png' | grep colortype=) = colortype=0 ]"
check "... with the engine's pixels" same_pixels "$O/gray.png" "$I/gray.png"
check "JPEG output (alpha flattened)" sh -c "'$CLI' -q -m '$MODEL' '$I/sample-rgba.png' -o '$O/x.jpg' && od -An -tx1 -N3 '$O/x.jpg' | grep -q 'ff d8 ff'"
check "WebP output" sh -c "'$CLI' -q -m '$MODEL' '$I/sample.png' -o '$O/x.webp' && od -An -c -j8 -N4 '$O/x.webp' | tr -d ' ' | grep -q WEBP"
check "16-bit TIFF output, --format" sh -c "'$CLI' -q -m '$MODEL' -f tif '$I/rgb16.png' -o '$O/t16' && od -An -c -N2 '$O/t16' | tr -d ' ' | grep -q II"
check "TIFF read back: PNG out identical to the PNG path's" sh -c "'$CLI' -q -m '$MODEL' -f tif '$I/sample.png' -o '$O/s.tif' && '$CLI' -q -m '$MODEL' '$O/s.tif' -o '$O/s2.png' && [ \$($TOOL info '$O/s2.png' | grep width=) = width=$((120 * S)) ]"
$PY -c "from PIL import Image; Image.open('$I/sample.png').convert('CMYK').save('$T/cmyk.jpg', quality=95)"
check "CMYK JPEG: converted, out as RGB" sh -c "'$CLI' -q -m '$MODEL' '$T/cmyk.jpg' -o '$O/cmyk.png' && [ \$($TOOL info '$O/cmyk.png' | grep colortype=) = colortype=2 ]"
rm -f "$T/cmyk.jpg"
"$CLI" -q -m "$MODEL" -f png "$I/sample.png" -o - > "$O/stdout.png" 2>/dev/null
check "-o - writes to stdout" cmp -s "$O/stdout.png" "$O/a.png"
rm -rf "$O"; mkdir "$O"

# --- existing files and inputs -----------------------------------------
U "$I/sample.png" -o "$O/out.png"
before=$(md5sum < "$O/out.png")
"$CLI" -m "$MODEL" "$I/sample.png" -o "$O/out.png" 2>"$T/err"; rc=$?
check "existing output refused without --overwrite" [ $rc -ne 0 ]
check "... with a message" grep -q "exists" "$T/err"
check "... and left as it was" [ "$(md5sum < "$O/out.png")" = "$before" ]
chmod 640 "$O/out.png"
check "--overwrite replaces it" U --overwrite "$I/rgb16.png" -o "$O/out.png"
check "... keeping its permissions" [ "$(stat -c %a "$O/out.png")" = 640 ]
# --existing (the settings table's choices, as the app's batch): skip leaves
# the file and processes nothing, rename keeps both
before=$(md5sum < "$O/out.png")
"$CLI" -m "$MODEL" --existing skip "$I/sample.png" -o "$O/out.png" 2>"$T/err"; rc=$?
check "--existing skip: status 0, said, the file left as it was" sh -c "[ $rc -eq 0 ] && grep -q 'exists; left as it is' '$T/err' && [ \"\$(md5sum < '$O/out.png')\" = '$before' ]"
"$CLI" -m "$MODEL" --existing rename "$I/sample.png" -o "$O/out.png" 2>"$T/err"; rc=$?
"$CLI" -q -m "$MODEL" --existing rename "$I/sample.png" -o "$O/out.png"
check "--existing rename: out (2).png then out (3).png, the first left" sh -c "[ $rc -eq 0 ] && [ -s '$O/out (2).png' ] && [ -s '$O/out (3).png' ] && [ \"\$(md5sum < '$O/out.png')\" = '$before' ]"
rm -f "$O/out (2).png" "$O/out (3).png"
# a new name never taken from another input's own result: b.png's result
# exists, and b (2).png is an input too (it keeps its name; b.png's goes to (3))
mkdir -p "$T/rn/in" "$T/rn/out"
cp "$I/sample.png" "$T/rn/in/b.png"; cp "$I/sample.png" "$T/rn/in/b (2).png"
cp "$I/sample.png" "$T/rn/out/b.png"
"$CLI" -q -m "$MODEL" --existing rename -d "$T/rn/out" "$T/rn/in/b.png" "$T/rn/in/b (2).png" 2>"$T/err"; rc=$?
check "--existing rename: b (2).png keeps its own name, b.png's new result is b (3).png" sh -c "[ $rc -eq 0 ] && [ -s '$T/rn/out/b (2).png' ] && [ -s '$T/rn/out/b (3).png' ] && cmp -s '$T/rn/out/b.png' '$I/sample.png'"
"$CLI" -m "$MODEL" "$I/sample.png" -o "$O/out.png" 2>"$T/err"
check "refused: the message names the choices" grep -q 'use --overwrite to replace it, or --existing skip or rename' "$T/err"
for bad in ask never; do
    "$CLI" -m "$MODEL" --existing $bad "$I/sample.png" -o "$O/x.png" 2>"$T/err"; rc=$?
    check "--existing $bad refused (status 2)" sh -c "[ $rc -eq 2 ] && [ ! -e '$O/x.png' ]"
done
cp "$I/sample.png" "$T/keep.png"
"$CLI" --overwrite -m "$MODEL" "$T/keep.png" -o "$T/keep.png" 2>"$T/err"; rc=$?
check "the input is never overwritten" sh -c "[ $rc -ne 0 ] && cmp -s '$T/keep.png' '$DATA/sample.png' && grep -q 'input' '$T/err'"
"$CLI" --overwrite -m "$MODEL" "$T" -d "$T" 2>"$T/err"; rc=$?
check "... not even by a batch into the input's folder" sh -c "[ $rc -ne 0 ] && cmp -s '$T/keep.png' '$DATA/sample.png'"
rm -f "$T/keep.png" "$T/err"

# --- bad inputs: clear errors, nothing written ---------------------------
bad() { # description, input file, expected text in the message
    "$CLI" -m "$MODEL" "$2" -o "$O/bad.png" 2>"$T/err"; rc=$?
    check "$1: error" [ $rc -eq 1 ]
    check "... saying so ($3)" grep -qi "$3" "$T/err"
    check "... and naming the file" grep -q "$(basename "$2")" "$T/err"
    check "... no output" [ ! -e "$O/bad.png" ]
}
head -c 300 "$DATA/sample.png" > "$T/truncated.png"
bad "truncated image" "$T/truncated.png" "truncated"
: > "$T/empty.png"
bad "zero-size file" "$T/empty.png" "empty"
printf 'GIF89a not really' > "$T/fake.png"
bad "not an image" "$T/fake.png" "not a PNG, JPEG"
bad "header claiming 100000 x 100000" "$T/huge.png" "too large"
bad "missing file" "$T/nonexistent.png" "No such file"
printf 'not a model' > "$T/bad.safetensors"
"$CLI" -m "$T/bad.safetensors" "$I/sample.png" -o "$O/b.png" 2>"$T/err"; rc=$?
check "corrupt model: error" sh -c "[ $rc -ne 0 ] && grep -q 'cannot load the model' '$T/err' && [ ! -e '$O/b.png' ]"
RFDN_MODEL_DIR=$T "$CLI" --model rfdn --scale 3 "$I/sample.png" -o "$O/b.png" 2>"$T/err"; rc=$?
check "model by name, not installed: error naming the folders" sh -c "[ $rc -ne 0 ] && grep -q 'not installed' '$T/err' && grep -q '$T' '$T/err'"
cp "$MODEL" "$T/rfdn-x$S.safetensors"
check "model by name from \$RFDN_MODEL_DIR: same bytes as --model-file" sh -c "RFDN_MODEL_DIR='$T' '$CLI' -q --model rfdn --scale $S '$I/sample.png' -o '$O/n.png' && '$CLI' -q -m '$MODEL' '$I/sample.png' -o '$O/f.png' && cmp -s '$O/n.png' '$O/f.png'"
rm -f "$T/rfdn-x$S.safetensors" "$O/n.png" "$O/f.png"
rm -f "$T/bad.safetensors" "$T/err"

# --- output failures: clear error, no partial or temporary file -----------
"$CLI" -m "$MODEL" "$I/sample.png" -o "$T/no/such/dir/o.png" 2>"$T/err"; rc=$?
check "missing output folder: clear error" sh -c "[ $rc -ne 0 ] && grep -q 'cannot create the output' '$T/err'"
mkdir "$T/ro" && chmod 555 "$T/ro"
# as root, the run drops to user nobody so that permissions apply
AS=
[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
chmod 755 "$T" "$I"
# the build tree may sit in a folder that user cannot enter: a copy of the
# CLI, its engine library and the model in $T
mkdir "$T/bin"
cp "$CLI" "$MODEL" "$T/bin/"
for d in $(echo "${LD_LIBRARY_PATH:-}" | tr ':' ' '); do cp -P "$d"/librfdn.so* "$T/bin/" 2>/dev/null; done
chmod -R a+rX "$T/bin"
RO_CLI="env LD_LIBRARY_PATH=$T/bin $T/bin/$(basename "$CLI")"
[ -n "$AS" ] && ! $AS $RO_CLI --version >/dev/null 2>&1 && AS=
if [ "$(id -u)" -ne 0 ] || [ -n "$AS" ]; then
    $AS $RO_CLI -m "$T/bin/$(basename "$MODEL")" "$I/sample.png" -o "$T/ro/o.png" 2>"$T/err"; rc=$?
    check "unwritable output folder: clear error" sh -c "[ $rc -eq 1 ] && grep -q 'Permission denied' '$T/err'"
else
    echo "skip unwritable output folder (root, and user nobody cannot run the CLI here)"
fi
check "... nothing left in it" only_files "$T/ro"
rm -rf "$T/bin"
"$CLI" -m "$MODEL" -f png "$I/sample.png" -o /dev/full 2>"$T/err"; rc=$?
check "full disk (/dev/full): clear error" sh -c "[ $rc -ne 0 ] && grep -q 'No space left on device' '$T/err'"
(ulimit -f 2; "$CLI" -m "$MODEL" "$I/rgb16.png" -o "$O/big.png" 2>"$T/err"); rc=$?
check "file size limit hit while writing: clear error" sh -c "[ $rc -eq 1 ] && grep -q 'File too large' '$T/err'"
"$CLI" -m "$MODEL" "$I/sample.png" -o "$O/o.bmp" 2>/dev/null; rc=$?
check "unsupported output type refused" [ $rc -eq 2 ]
rm -f "$T/err"
check "no partial or temporary output left" only_files "$O" out.png

# --- batches --------------------------------------------------------------
mkdir -p "$T/batch/sub/deeper" "$T/res"
cp "$I/sample.png" "$T/batch/a.png"
cp "$I/gray.png" "$T/batch/sub/b.png"
cp "$I/sample-rgba.png" "$T/batch/sub/deeper/c.png"
head -c 200 "$I/sample.png" > "$T/batch/sub/corrupt.png"
"$CLI" -m "$MODEL" -r "$T/batch" -d "$T/res" 2>"$T/err"; rc=$?
check "batch with a corrupt file: exit status 1" [ $rc -eq 1 ]
check "... the corrupt file reported" grep -q "corrupt.png" "$T/err"
check "... the others processed, the tree mirrored" sh -c "[ -s '$T/res/a.png' ] && [ -s '$T/res/sub/b.png' ] && [ -s '$T/res/sub/deeper/c.png' ]"
check "... with the same bytes as one by one" sh -c "'$CLI' -q -m '$MODEL' '$T/batch/sub/b.png' -o '$T/one.png' && cmp -s '$T/one.png' '$T/res/sub/b.png'"
check "... and nothing for the corrupt one" [ ! -e "$T/res/sub/corrupt.png" ]
rm -rf "$T/res" "$T/one.png"
"$CLI" -q -m "$MODEL" "$T/batch" -d "$T/res" --suffix _x$S -f jpg 2>/dev/null
check "without -r: only the folder's own images, suffix and format applied" only_files "$T/res" "a_x$S.jpg"
rm -rf "$T/res"
check "several files into a folder" U "$T/batch/a.png" "$T/batch/sub/b.png" -d "$T/res"
check "... both written" only_files "$T/res" a.png b.png
out=$("$CLI" -m "$MODEL" "$T/batch/a.png" -d "$T/res2" 2>&1)
check "not a terminal: nothing printed" [ -z "$out" ]
exit $fail
