#!/bin/sh
# Run rpvp-synthetic twice with the same arguments; the outputs (stdout) must be identical
# except for the "wall:" line and the progress lines (wall time and MIPS depend on the
# machine) and the "reports:" line (the default folder is named after the wall-clock time).
# usage: same_twice.sh RPVP_SYNTHETIC ARGS...
set -u
exe=$1
shift
a=$(mktemp) b=$(mktemp)
trap 'rm -f "$a" "$b"' EXIT
"$exe" "$@" 2>/dev/null | grep -v -e '^wall:' -e '^  reports:' -e ' s wall\] ' > "$a" || { echo "first run failed"; cat "$a"; exit 1; }
"$exe" "$@" 2>/dev/null | grep -v -e '^wall:' -e '^  reports:' -e ' s wall\] ' > "$b" || { echo "second run failed"; cat "$b"; exit 1; }
grep -q 'rpvp-synthetic: PASS' "$a" || { echo "first run did not pass"; cat "$a"; exit 1; }
if cmp -s "$a" "$b"; then
    grep -E '^(echo|tx-exhaustion|simulated)' "$a"
    echo "identical simulated figures ($(wc -l < "$a") lines)"
else
    echo "the two runs differ:"
    diff "$a" "$b"
    exit 1
fi
