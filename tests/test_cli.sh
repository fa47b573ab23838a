#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# rfdn-upscale end to end: output size, determinism, alpha, and the safety
# rules (never overwrite an input or an existing file unasked, no partial
# output on failure, clear errors).
#   test_cli.sh RFDN_UPSCALE MODEL DATA_DIR
set -u
CLI=$1 MODEL=$2 DATA=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # description, then a command that must succeed
    d=$1; shift
    if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi
}
png_size() { # prints "W H" from a PNG's IHDR
    od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'
}
only_files() { # dir, expected file names...: no temporary files left behind
    dir=$1; shift
    [ "$(ls -A "$dir" | sort | tr '\n' ' ')" = "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]
}

cp "$DATA/sample.png" "$DATA/sample-rgba.png" "$T/"
S=$(grep -ao '"scale":"[234]"' "$MODEL" | head -1 | tr -dc 234)

check "upscale a PNG" "$CLI" --model-file "$MODEL" "$T/sample.png" -o "$T/out.png"
check "output is scale x the input" [ "$(png_size "$T/out.png")" = "$((40 * S)) $((30 * S))" ]
check "same input, same bytes" sh -c "'$CLI' --model-file '$MODEL' '$T/sample.png' -o '$T/out2.png' && cmp -s '$T/out.png' '$T/out2.png'"
check "RGBA keeps its alpha (colour type 6)" sh -c "'$CLI' --model-file '$MODEL' '$T/sample-rgba.png' -o '$T/outa.png' && [ \$(od -An -tu1 -j25 -N1 '$T/outa.png') = 6 ]"
check "JPEG output" sh -c "'$CLI' --model-file '$MODEL' '$T/sample-rgba.png' -o '$T/out.jpg' && od -An -tx1 -N3 '$T/out.jpg' | grep -q 'ff d8 ff'"
rm -f "$T/out2.png" "$T/outa.png" "$T/out.jpg"

before=$(md5sum < "$T/out.png")
"$CLI" --model-file "$MODEL" "$T/sample.png" -o "$T/out.png" 2>"$T/err"; rc=$?
check "existing output refused without --overwrite" [ $rc -ne 0 ]
check "... with a message" grep -q "exists" "$T/err"
check "... and left as it was" [ "$(md5sum < "$T/out.png")" = "$before" ]
check "--overwrite replaces it" "$CLI" --overwrite --model-file "$MODEL" "$T/sample.png" -o "$T/out.png"

cp "$T/sample.png" "$T/keep.png"
"$CLI" --overwrite --model-file "$MODEL" "$T/keep.png" -o "$T/keep.png" 2>"$T/err"; rc=$?
check "the input is never overwritten" sh -c "[ $rc -ne 0 ] && cmp -s '$T/keep.png' '$DATA/sample.png' && grep -q 'input' '$T/err'"
rm -f "$T/keep.png" "$T/err"

head -c 300 "$DATA/sample.png" > "$T/truncated.png"
"$CLI" --model-file "$MODEL" "$T/truncated.png" -o "$T/t.png" 2>"$T/err"; rc=$?
check "truncated image: error" [ $rc -ne 0 ]
check "... naming the file" grep -q "truncated.png" "$T/err"
: > "$T/empty.png"
"$CLI" --model-file "$MODEL" "$T/empty.png" -o "$T/e.png" 2>/dev/null; rc=$?
check "empty image: error" [ $rc -ne 0 ]
rm -f "$T/err" "$T/truncated.png" "$T/empty.png"
check "no partial or temporary output left" only_files "$T" sample.png sample-rgba.png out.png

printf 'not a model' > "$T/bad.safetensors"
"$CLI" --model-file "$T/bad.safetensors" "$T/sample.png" -o "$T/b.png" 2>"$T/err"; rc=$?
check "corrupt model: error" sh -c "[ $rc -ne 0 ] && grep -q 'cannot load the model' '$T/err' && [ ! -e '$T/b.png' ]"
rm -f "$T/bad.safetensors" "$T/err"

"$CLI" --model-file "$MODEL" "$T/sample.png" -o "$T/no/such/dir/o.png" 2>"$T/err"; rc=$?
check "missing output folder: clear error" sh -c "[ $rc -ne 0 ] && grep -q 'cannot create the output' '$T/err'"
"$CLI" --model-file "$MODEL" "$T/sample.png" -o "$T/o.bmp" 2>/dev/null; rc=$?
check "unsupported output type refused" [ $rc -eq 2 ]
rm -f "$T/err"
check "still no stray files" only_files "$T" sample.png sample-rgba.png out.png
exit $fail
