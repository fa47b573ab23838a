#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# rfdn-fetch-official without the network: a file:// "mirror" of the shared
# official weights installs and registers them (then the CLI's e-rfdn x4 is
# the official model); a wrong file fails the checksum, an unreachable
# address fails cleanly; neither leaves a file behind.
#   test_fetch.sh FETCH RFDN_UPSCALE OFFICIAL_PTH SAMPLE_PNG
set -u
FETCH=$1 CLI=$2 PTH=$3 SAMPLE=$4
if [ ! -f "$PTH" ]; then echo "SKIP: $PTH not found"; exit 77; fi
command -v curl >/dev/null || command -v wget >/dev/null || { echo "SKIP: no curl or wget"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/config HOME=$T
fail=0
check() { d=$1; shift; if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi; }
M=$T/data/rfdn-upscaler/models

printf 'not the weights' > "$T/wrong.pth"
RFDN_OFFICIAL_URL=file://$T/wrong.pth "$FETCH" > /dev/null 2> "$T/err"; rc=$?
check "wrong file: checksum refused" sh -c "[ $rc -ne 0 ] && grep -q 'checksum mismatch' '$T/err'"
check "... nothing left" sh -c "[ -z \"\$(ls -A '$M' 2>/dev/null)\" ] && [ ! -e '$T/config/rfdn-upscaler/config' ]"
RFDN_OFFICIAL_URL=http://127.0.0.1:9/RFDN_AIM.pth "$FETCH" > /dev/null 2> "$T/err"; rc=$?
check "offline: clean failure" sh -c "[ $rc -ne 0 ] && grep -q 'cannot download' '$T/err'"
check "... nothing left" sh -c "[ -z \"\$(ls -A '$M' 2>/dev/null)\" ]"
mkdir -p "$T/config/rfdn-upscaler"
printf '[ui]\ntheme = dark\n' > "$T/config/rfdn-upscaler/config"
check "from a mirror: installed" env RFDN_OFFICIAL_URL="file://$PTH" "$FETCH"
check "... intact" cmp -s "$M/RFDN_AIM.pth" "$PTH"
check "... registered, other settings kept" sh -c "grep -qx 'official = $M/RFDN_AIM.pth' '$T/config/rfdn-upscaler/config' && grep -qx 'theme = dark' '$T/config/rfdn-upscaler/config'"
check "the CLI's e-rfdn x4 is now the official model" sh -c "'$CLI' -q --model e-rfdn --scale 4 '$SAMPLE' -o '$T/a.png' && '$CLI' -q -m '$PTH' '$SAMPLE' -o '$T/b.png' && cmp -s '$T/a.png' '$T/b.png'"
check "a second run finds it intact" sh -c "'$FETCH' | grep -q intact"
exit $fail
