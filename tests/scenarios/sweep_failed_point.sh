#!/bin/sh
# A failing point is reported with its command and reason, the others finish, and the
# merge marks it: a 2x2 grid over a good firmware and a file that is not an ELF.
#   sweep_failed_point.sh RPVP SCENARIO GOOD_ELF WORKDIR
set -u
rpvp=$1 scenario=$2 good=$3 work=$4
rm -rf "$work"; mkdir -p "$work"
echo 'not an elf' >"$work/bad.elf"
"$rpvp" sweep "$scenario" --grid "firmware=$good,$work/bad.elf" --grid sizes=16,496 \
    --grid quantum-ns=1000 --out "$work/out" -j 2 >"$work/log" 2>&1
rc=$?
cat "$work/log"
[ "$rc" = 1 ] || { echo "want exit 1 from the sweep, got $rc"; exit 1; }
grep -q 'point-002 failed; its command:' "$work/log" || { echo "no command of point-002"; exit 1; }
[ "$(grep -c ',ok,' "$work/out/results.csv")" = 2 ] || { echo "want 2 ok rows"; exit 1; }
grep -q '^point-002,.*,missing,.*not an ELF' "$work/out/results.csv" ||
    { echo "point-002 not marked missing with its reason"; cat "$work/out/results.csv"; exit 1; }
# A point folder lost on the cluster: the merge marks it too.
rm -rf "$work/out/point-000"
"$rpvp" merge "$work/out" --no-plots >/dev/null
grep -q '^point-000,.*,missing,no result.json' "$work/out/results.csv" ||
    { echo "point-000 not marked missing"; cat "$work/out/results.csv"; exit 1; }
echo "failed point reported, others finished, merge marks the missing points"
