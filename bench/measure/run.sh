#!/bin/sh
# Cost of the platform's measurement (docs/measurement.md): the same scenario with the
# measurement on and off (--measure=false), alternating, in the same session; medians and
# their ratios of (a) the simulation's own wall time as the program prints it (Linux:
# "done in X s wall", QEMU's run; synthetic: "wall: X s") - the cost of tracking - and
# (b) the whole command's wall time, which adds the joiner, the writers and gnuplot.
#   sh bench/measure/run.sh [BUILD_DIR] [LINUX_RUNS] [SYNTHETIC_RUNS]
set -eu
build=${1:-build} n_linux=${2:-3} n_syn=${3:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
# run FILE_PREFIX command...: appends the command's wall time to PREFIX.total and the
# simulation's own to PREFIX.sim
run() {
    p=$1; shift
    s=$(date +%s.%N); "$@" >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }; e=$(date +%s.%N)
    echo "$e - $s" | bc -l >>"$p.total"
    sed -n -e 's/.*done in \([0-9.]*\) s wall.*/\1/p' -e 's/^wall: \([0-9.]*\) s.*/\1/p' \
        "$work/out" >>"$p.sim"
}
for host in linux synthetic; do
    if [ "$host" = linux ]; then n=$n_linux; exe="$build/bin/rpvp"; else n=$n_syn; exe="$build/bin/rpvp-synthetic"; fi
    rm -f "$work"/on.* "$work"/off.*
    i=0
    while [ $i -lt "$n" ]; do
        run "$work/on" "$exe" --out="$work/r$i"
        run "$work/off" "$exe" --measure=false
        i=$((i + 1))
    done
    for k in sim total; do
        on=$(median <"$work/on.$k") off=$(median <"$work/off.$k")
        printf '%-9s %-5s runs %d each: median on %.3f s, off %.3f s, on/off %.3f   (on: %s; off: %s)\n' \
            "$host" "$k" "$n" "$on" "$off" "$(echo "$on / $off" | bc -l)" \
            "$(tr '\n' ' ' <"$work/on.$k")" "$(tr '\n' ' ' <"$work/off.$k")"
    done
done
