#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A batch across machines (issue 25): three --shard parts of a folder write
# every output exactly once, byte-identical to one run over the folder; so
# do GNU parallel's two local job slots, over the parts and over the files.
#   test_shard.sh RFDN_UPSCALE MODEL PYTHON
set -u
CLI=$1 MODEL=$2 PY=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # description, then a command that must succeed
    d=$1; shift
    if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi
}
# the same tree, byte for byte: same files, same contents
same_tree() {
    [ "$(cd "$1" && find . -type f | sort)" = "$(cd "$2" && find . -type f | sort)" ] &&
        (cd "$1" && find . -type f) | while read -r f; do cmp -s "$1/$f" "$2/$f" || exit 1; done
}
# seven small images of their own (seeded noise), two in a subfolder, and
# a.jpg beside a.png: both would be a.png (-f png), so the second is skipped by every
# run alike
"$PY" - "$T/in" <<'EOF'
import os, random, sys
from PIL import Image
d = sys.argv[1]
os.makedirs(os.path.join(d, "sub"))
rnd = random.Random(25)
names = ["a.png", "a.jpg", "b.png", "c.png", "d.png", "sub/e.png", "sub/f.png", "g.png"]
for i, n in enumerate(names):
    w, h = 12 + i, 10 + 2 * i
    im = Image.new("RGB", (w, h))
    im.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(w * h)])
    im.save(os.path.join(d, n))
EOF
U() { "$CLI" -m "$MODEL" -t 1 -r -f png "$@"; }

U "$T/in" -d "$T/one" 2>"$T/one.err"; rc=$?
check "one run: the colliding a.jpg skipped (status 1), seven written" \
    sh -c "[ $rc -eq 1 ] && grep -q 'two inputs would be written to' '$T/one.err' && [ \$(find '$T/one' -type f | wc -l) -eq 7 ]"

# three parts into one folder, one after the other, without --overwrite: a
# part writing another's output would find it there and fail
: > "$T/written"
for k in 1 2 3; do
    U -v --shard $k/3 "$T/in" -d "$T/parts" 2>"$T/part$k.err"
    echo $? > "$T/rc$k"
    grep -- ' -> ' "$T/part$k.err" >> "$T/written"
done
check "parts: only the one holding a.jpg fails, for the collision alone" \
    sh -c "[ \$(cat '$T/rc1' '$T/rc2' '$T/rc3' | sort | tr -d '\n') = 001 ] && [ \$(cat '$T'/part?.err | grep 'rfdn-upscale:' | grep -vc '1 of 3 images failed') -eq 1 ] && grep -q 'two inputs would be written to' '$T'/part?.err"
check "parts: every output written once (7 lines, 7 names)" \
    sh -c "[ \$(wc -l < '$T/written') -eq 7 ] && [ \$(sed 's/.* -> //; s/: .*//' '$T/written' | sort -u | wc -l) -eq 7 ]"
check "parts: each part has 2 or 3 of the 8 inputs" \
    sh -c "for k in 1 2 3; do n=\$(grep -c -- ' -> ' '$T/part'\$k.err); c=\$(grep -c 'two inputs' '$T/part'\$k.err); [ \$((n + c)) -ge 2 ] && [ \$((n + c)) -le 3 ] || exit 1; done"
check "parts: byte-identical to one run" same_tree "$T/one" "$T/parts"

U --shard 9/9 "$T/in" -d "$T/empty" 2>"$T/err"; rc=$?
check "more parts than images: status 0, said, nothing written" \
    sh -c "[ $rc -eq 0 ] && grep -q 'no image in this part (8 in all)' '$T/err' && [ ! -e '$T/empty' ]"
for bad in 0/3 4/3 3 /3 1/ 1/0 a/b 1/3x; do
    "$CLI" -m "$MODEL" --shard "$bad" "$T/in" -d "$T/bad" 2>"$T/err"; rc=$?
    check "--shard $bad refused (status 2)" sh -c "[ $rc -eq 2 ] && grep -q 'shard must be K/N' '$T/err'"
done
"$CLI" -m "$MODEL" --shard 1/2 "$T/in/b.png" -o "$T/b.png" 2>"$T/err"; rc=$?
check "--shard with -o refused" sh -c "[ $rc -eq 2 ] && grep -q 'shard goes with -d' '$T/err'"

if command -v parallel >/dev/null; then
    parallel --will-cite -j2 "$CLI" -q -m "$MODEL" -t 1 -r -f png --shard {}/2 "$T/in" -d "$T/par" \
        ::: 1 2 2>"$T/err"
    check "GNU parallel -j2 over two parts: byte-identical to one run" same_tree "$T/one" "$T/par"
    # one command per file, as GNU parallel is most often used (a.png left
    # out: in name order a.jpg comes first and is the one written to a.png)
    mkdir -p "$T/files/sub"
    (cd "$T/in" && find . -type f ! -name a.png | sed 's|^\./||') |
        parallel --will-cite -j2 "$CLI" -q -m "$MODEL" -t 1 "$T/in/{}" -o "$T/files/{.}.png" \
            2>"$T/err"
    check "GNU parallel -j2 over the files: byte-identical to one run" same_tree "$T/one" "$T/files"
else
    echo "FAIL GNU parallel is not installed (scripts/install-deps.sh installs it)"
    fail=1
fi
exit $fail
