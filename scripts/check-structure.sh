#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The structure rules of issue 24, checked so that they stay true: no C
# file (.c or .h) over 700 lines, no function over 80 lines (the pickle
# reader's opcode switch, rfdn_unpickle, is the one exception), and no
# circle of #include "..." between the files (a file, its header and its
# private header count as one unit: foo.c, foo.h and foo-private.h).
# Reports every breach and exits 1 if any.
#   scripts/check-structure.sh [DIR...]   (default: engine common cli gui plugin)
# Needs universal-ctags (for the function extents) and awk.
set -eu
cd "$(dirname "$0")/.."
MAX_FILE_LINES=700
MAX_FUNC_LINES=80
# file:function pairs allowed over MAX_FUNC_LINES
FUNC_EXCEPTIONS="engine/src/pickle.c:rfdn_unpickle"

[ $# -gt 0 ] || set -- engine common cli gui plugin
command -v ctags > /dev/null 2>&1 || { echo "check-structure: ctags (universal-ctags) not found" >&2; exit 2; }
ctags --version 2>/dev/null | grep -q 'Universal Ctags' ||
    { echo "check-structure: ctags is not universal-ctags" >&2; exit 2; }

T=$(mktemp)
trap 'rm -f "$T"' EXIT
find "$@" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort > "$T"
[ -s "$T" ] || { echo "check-structure: no C files in $*" >&2; exit 2; }

bad=0

# files over the limit
# shellcheck disable=SC2046 # file names without spaces, from find
awk -v max="$MAX_FILE_LINES" '
    FNR == 1 && NR > 1 { if (n > max) { print prev ": " n " lines (limit " max ")"; bad = 1 } }
    { n = FNR; prev = FILENAME }
    END { if (n > max) { print prev ": " n " lines (limit " max ")"; bad = 1 } exit bad }
' $(cat "$T") || bad=1

# functions over the limit
# shellcheck disable=SC2046
ctags --fields=+ne --c-kinds=f -o - $(cat "$T") | awk -F'\t' -v max="$MAX_FUNC_LINES" \
    -v exc="$FUNC_EXCEPTIONS" '
    BEGIN { n = split(exc, e, " "); for (i = 1; i <= n; i++) ok[e[i]] = 1 }
    {
        s = ""; t = ""
        for (i = 4; i <= NF; i++) {
            if ($i ~ /^line:/) s = substr($i, 6)
            if ($i ~ /^end:/) t = substr($i, 5)
        }
        if (s == "" || t == "") next
        len = t - s + 1
        if (len > max && !(($2 ":" $1) in ok)) {
            print $2 ":" s ": function " $1 " has " len " lines (limit " max ")"
            bad = 1
        }
    }
    END { exit bad }
' || bad=1

# circles of includes between units (path without .c/.h); an include is
# resolved against the including file's folder, others (system and other
# folders' headers) are not followed
# shellcheck disable=SC2046
awk -v list="$T" '
    function unit(p) { sub(/\.[ch]$/, "", p); sub(/-private$/, "", p); return p }
    function norm(p,    n, a, i, k, o) {
        n = split(p, a, "/"); k = 0
        for (i = 1; i <= n; i++) {
            if (a[i] == "." || a[i] == "") continue
            if (a[i] == ".." && k > 0 && s[k] != "..") { k--; continue }
            s[++k] = a[i]
        }
        o = ""
        for (i = 1; i <= k; i++) o = o (i > 1 ? "/" : "") s[i]
        return o
    }
    function visit(u,    i, v) {
        color[u] = 1; stack[++depth] = u
        for (i = 1; i <= nout[u]; i++) {
            v = out[u, i]
            if (color[v] == 1) { report(v); found = 1 }
            else if (!color[v]) visit(v)
        }
        color[u] = 2; depth--
    }
    function report(v,    i, c) {
        for (i = depth; i > 0 && stack[i] != v; i--) ;
        c = stack[i]
        for (i++; i <= depth; i++) c = c " -> " stack[i]
        print "include circle: " c " -> " v
    }
    BEGIN { while ((getline f < list) > 0) { f = norm(f); have[f] = 1; units[unit(f)] = 1 } }
    /^[ \t]*#[ \t]*include[ \t]*"/ {
        inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*$/, "", inc)
        self = norm(FILENAME); dir = self; if (!sub(/\/[^\/]*$/, "", dir)) dir = "."
        tgt = norm(dir "/" inc)
        if (!(tgt in have)) next
        a = unit(self); b = unit(tgt)
        if (a == b || ((a, b) in edge)) next
        edge[a, b] = 1; out[a, ++nout[a]] = b
    }
    END {
        for (u in units) if (!color[u]) visit(u)
        exit found
    }
' $(cat "$T") || bad=1

if [ "$bad" -ne 0 ]; then
    echo "check-structure: FAILED (limits: $MAX_FILE_LINES lines a file, $MAX_FUNC_LINES a function, no include circles)"
    exit 1
fi
echo "check-structure: $(wc -l < "$T") files in $*: within the limits, no include circles"
