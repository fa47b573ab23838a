#!/bin/sh
# A/B timing on a noisy machine: runs rfdn-bench alternately with another
# build's engine (OLD_LIB_DIR holding its librfdn.so.0) and with this
# build's, ROUNDS times, and prints the best median of each per size and
# thread count.
#   bench/ab.sh OLD_LIB_DIR ROUNDS [rfdn-bench arguments...]
# e.g. keep the old engine first: mkdir /tmp/old && cp build/engine/librfdn.so.0 /tmp/old/
set -eu
old=$1 rounds=$2
shift 2
bench=${RFDN_BENCH:-build/bench/rfdn-bench}
i=0
while [ "$i" -lt "$rounds" ]; do
    LD_LIBRARY_PATH=$old "$bench" "$@" | awk 'NR > 1 {print "old", $2, $3, $4}'
    "$bench" "$@" | awk 'NR > 1 {print "new", $2, $3, $4}'
    i=$((i + 1))
done | awk '{k = $1 " " $2 " " $3; if (!(k in m) || $4 < m[k]) m[k] = $4}
            END {for (k in m) print k, m[k]}' | sort -k2n -k3n -k1
