#!/bin/sh
# The GNU parallel recipe of docs/sweeps.md on the 2x2 synthetic sweep: the same points run
# by `parallel` from --print-commands, then `rpvp merge`, give a CSV identical to the one
# `rpvp sweep` wrote itself (every metric is simulated, so bit for bit).
#   sweep_parallel.sh RPVP SCENARIO WORKDIR
set -eu
rpvp=$1 scenario=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
"$rpvp" sweep "$scenario" --out "$work/direct" -j 2 >"$work/direct.log" 2>&1 ||
    { cat "$work/direct.log"; echo "rpvp sweep failed"; exit 1; }
"$rpvp" sweep "$scenario" --out "$work/parallel" --print-commands >"$work/commands"
[ "$(wc -l <"$work/commands")" = 4 ] || { echo "want 4 commands"; cat "$work/commands"; exit 1; }
parallel --will-cite -j 2 <"$work/commands"
"$rpvp" merge "$work/parallel" --no-plots
rows=$(tail -n +2 "$work/direct/results.csv" | grep -c ',ok,')
[ "$rows" = 4 ] || { echo "want 4 ok rows, got $rows"; cat "$work/direct/results.csv"; exit 1; }
head -1 "$work/direct/results.csv" | grep -q '^point,sizes,quantum-ns,status,reason,' ||
    { echo "bad header"; head -1 "$work/direct/results.csv"; exit 1; }
cmp "$work/direct/results.csv" "$work/parallel/results.csv" ||
    { diff "$work/direct/results.csv" "$work/parallel/results.csv"; exit 1; }
ls "$work/direct/plots/"*.svg >/dev/null || { echo "no plots"; exit 1; }
echo "4 points, parallel and merge give the identical CSV"
