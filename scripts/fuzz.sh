#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The fuzz targets of tests/fuzz (issue 26): built by clang with
# libFuzzer, ASan and UBSan in build-fuzz, seeded by tests/fuzz/make-seeds.py,
# each run for SECONDS with its dictionary; what fuzzing found once
# (tests/fuzz/regress/TARGET) is part of every run's corpus.  The corpora grow in
# build-fuzz/corpus/TARGET (a later run goes on from them); what a run
# finds (crash-*, leak-*, timeout-*, oom-*) is left in build-fuzz/findings/
# and makes the script fail.
#   scripts/fuzz.sh [SECONDS [TARGET...]]   (default: 60 s each, model image)
#   scripts/fuzz.sh 1800                    (a long run: 30 minutes each)
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-60}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- model image
B=build-fuzz
command -v clang > /dev/null || { echo "fuzz.sh: clang is not installed" >&2; exit 77; }
[ -d $B ] || CC=clang meson setup $B -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dgui=disabled -Dgimp2=disabled -Dgimp3=disabled > $B.setup.log 2>&1 ||
    { cat $B.setup.log; exit 1; }
ninja -C $B tests/fuzz/fuzz_model tests/fuzz/fuzz_image > /dev/null
[ -d $B/seeds ] || /usr/bin/python3 tests/fuzz/make-seeds.py $B/seeds
rc=0
for t in "$@"; do
    mkdir -p $B/corpus/$t $B/findings
    case $t in model) len=65536 ;; *) len=16384 ;; esac
    echo "fuzz.sh: $t for $SECS s"
    # -timeout: one input may take this long (a big model's tiny upscale);
    # -rss_limit_mb: a file that makes us allocate more is a finding
    $B/tests/fuzz/fuzz_$t -max_total_time="$SECS" -timeout=30 -rss_limit_mb=2560 \
        -max_len=$len -dict=tests/fuzz/$t.dict -artifact_prefix=$B/findings/$t- \
        -print_final_stats=1 $B/corpus/$t $B/seeds/$t $(ls -d tests/fuzz/regress/$t 2>/dev/null) \
        > $B/fuzz-$t.log 2>&1 || rc=1
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done )" \
        $B/fuzz-$t.log || true
    [ $rc -eq 0 ] || { tail -40 $B/fuzz-$t.log; echo "fuzz.sh: $t found something: $B/findings/"; }
done
exit $rc
