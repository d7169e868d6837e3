#!/bin/sh
# --count-ddr: each M3's DDR loads and stores (through DMI, which no bus counter sees) are
# counted and reported, and the run's simulated figures are those of a run without it
# (translated blocks leave loads and stores to the interpreter, whose timing is theirs).
# usage: count_ddr.sh RPVP_SYNTHETIC ARGS...
set -u
exe=$1
shift
a=$(mktemp) b=$(mktemp)
trap 'rm -f "$a" "$b"' EXIT
"$exe" "$@" --quiet 2>/dev/null > "$a" || { echo "FAIL: the run without --count-ddr failed"; cat "$a"; exit 1; }
"$exe" "$@" --quiet --count-ddr 2>/dev/null > "$b" || { echo "FAIL: the run with --count-ddr failed"; cat "$b"; exit 1; }
line=$(grep '^cortex-m3 DDR traffic (direct, --count-ddr): ' "$b") || { echo "FAIL: no DDR traffic line"; cat "$b"; exit 1; }
! grep -q 'DDR traffic' "$a" || { echo "FAIL: DDR traffic reported without --count-ddr"; exit 1; }
set -- $(echo "$line" | sed 's/.*reads \([0-9]*\) (\([0-9]*\) B), writes \([0-9]*\) (\([0-9]*\) B).*/\1 \2 \3 \4/')
[ $# -eq 4 ] && [ "$1" -gt 0 ] && [ "$3" -gt 0 ] || { echo "FAIL: counts not parsed or zero: $line"; exit 1; }
# Each access is 1, 2 or 4 bytes (LDRD/LDM count per word).
[ "$2" -ge "$1" ] && [ "$2" -le $(($1 * 4)) ] && [ "$4" -ge "$3" ] && [ "$4" -le $(($3 * 4)) ] ||
    { echo "FAIL: bytes do not fit the access counts: $line"; exit 1; }
strip() { grep -v -e '^wall:' -e '^  reports:' -e 'DDR traffic' "$1"; }
if strip "$a" | cmp -s - "$(strip "$b" > "$b.s"; echo "$b.s")"; then
    rm -f "$b.s"
    echo "$line"
    echo "same simulated figures with and without --count-ddr"
else
    echo "FAIL: --count-ddr changed the run:"
    strip "$a" | diff - "$b.s"
    rm -f "$b.s"
    exit 1
fi
