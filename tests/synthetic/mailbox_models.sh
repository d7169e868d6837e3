#!/bin/sh
# The same scenario on the mailbox's C model, its RTL and both compared live: every run
# passes, `both` compares every access with zero divergences, and the three give the same
# simulated figures (only the wall-time line and the mailbox's own report lines differ).
# usage: mailbox_models.sh RPVP_SYNTHETIC ARGS...
set -u
exe=$1
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for k in tlm rtl both; do
    "$exe" --mailbox=$k --out="$dir/$k-reports" "$@" > "$dir/$k.out" 2>&1 || { echo "--mailbox=$k failed"; cat "$dir/$k.out"; exit 1; }
    grep -q 'rpvp-synthetic: PASS' "$dir/$k.out" || { echo "--mailbox=$k did not pass"; cat "$dir/$k.out"; exit 1; }
    grep -vE "^wall:| s wall\\] |^mailbox|^  fifo|rpvp-mbox-check|reports: " "$dir/$k.out" > "$dir/$k.fig"
done
grep -E 'mailbox co-verification.* [1-9][0-9]* accesses and [1-9][0-9]* interrupt edges compared, 0 divergences' "$dir/both.out" ||
    { echo "--mailbox=both: no clean co-verification line"; cat "$dir/both.out"; exit 1; }
grep -E '^mailbox RTL: [1-9][0-9]* clock cycles' "$dir/rtl.out" || { echo "no RTL cycles"; exit 1; }
for k in rtl both; do
    cmp -s "$dir/tlm.fig" "$dir/$k.fig" || { echo "--mailbox=$k differs from tlm:"; diff "$dir/tlm.fig" "$dir/$k.fig"; exit 1; }
done
echo "tlm, rtl and both: identical simulated figures ($(wc -l < "$dir/tlm.fig") lines)"
