#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Programs run from the build tree find the source tree's models/ (issue 25:
# "the model is not installed" although models/ holds it); the same program
# outside a build tree does not, and looks in the installed folder.
#   test_uninstalled.sh RFDN_UPSCALE SOURCE_MODELS_DIR SAMPLE_PNG
set -u
CLI=$1 SRC=$2 SAMPLE=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # description, then a command that must succeed
    d=$1; shift
    if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi
}
# nothing from the environment or the user's folder
export XDG_DATA_HOME="$T/data"
unset RFDN_MODEL_DIR RFDN_OFFICIAL_MODEL RFDN_UNINSTALLED
[ -f "$SRC/e-rfdn-x2.safetensors" ] || { echo "FAIL no $SRC/e-rfdn-x2.safetensors"; exit 1; }

"$CLI" models > "$T/models" 2>&1
check "models: the source tree's folder, said so" grep -q "^  $SRC  (the source tree's: run from the build tree)" "$T/models"
check "models: its E-RFDN x2 listed" grep -q "e-rfdn  x2 clean  $SRC/e-rfdn-x2.safetensors" "$T/models"
check "upscale by name from the build tree" "$CLI" -q -n e-rfdn -s 2 "$SAMPLE" -o "$T/by-name.png"
check "  the same bytes as with --model-file" sh -c "'$CLI' -q -m '$SRC/e-rfdn-x2.safetensors' '$SAMPLE' -o '$T/by-file.png' && cmp -s '$T/by-name.png' '$T/by-file.png'"

# the same program copied out of the build tree (its engine library beside
# it, found through LD_LIBRARY_PATH)
mkdir "$T/bin"
cp "$CLI" "$T/bin/"
lib=$(ldd "$CLI" | awk '/librfdn/ { print $3 }')
LD_LIBRARY_PATH=$(dirname "$lib") "$T/bin/$(basename "$CLI")" models > "$T/copy" 2>&1
check "outside a build tree: not the source tree's folder" sh -c "! grep -q '$SRC' '$T/copy' && ! grep -q 'source tree' '$T/copy'"
check "  the installed folder instead" grep -q "/share/rfdn-upscaler/models$" "$T/copy"
exit $fail
