#!/bin/sh
# Replay every committed regression input of a fuzz target once (libFuzzer or the
# stand-alone driver: both run file arguments once). usage: replay.sh FUZZER DIR
set -eu
fuzzer=$1; dir=$2
n=0
for f in "$dir"/*; do
    [ -f "$f" ] || continue
    "$fuzzer" "$f" >/dev/null 2>"${TMPDIR:-/tmp}/rpvp-replay-$$.log" || {
        echo "FAIL: $f"; cat "${TMPDIR:-/tmp}/rpvp-replay-$$.log"; rm -f "${TMPDIR:-/tmp}/rpvp-replay-$$.log"; exit 1; }
    n=$((n + 1))
done
rm -f "${TMPDIR:-/tmp}/rpvp-replay-$$.log"
echo "replayed $n regression inputs of $(basename "$fuzzer"): no finding"
