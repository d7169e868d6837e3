#!/bin/sh
# Bridge benchmark: transactions per wall second through the C bridge ABI, by b_transport
# and by DMI, against a plain-memory reference loop doing the same work (same binary,
# same data checks). Prints each run and the median of RUNS runs, with ratios.
# usage: bench/bridge/run.sh [BUILD_DIR] [RUNS] [COUNT]
set -eu
build=${1:-build}
runs=${2:-5}
count=${3:-2000000}
bin="$build/bench/bridge/rpvp-traffic"
[ -x "$bin" ] || { echo "bench: $bin not built (cmake --build $build --target rpvp-traffic)" >&2; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
i=1
while [ "$i" -le "$runs" ]; do
    SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 "$bin" --csv --count "$count" | tail -n +2 >> "$tmp"
    i=$((i + 1))
done
echo "bridge benchmark: $runs runs x $count accesses of 4 B (median accesses per wall second)"
median() { # median of column 5 for mode $1
    grep "^$1," "$tmp" | cut -d, -f5 | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ref=$(median plain)
printf '  %-10s %14s %12s %s\n' mode accesses/s ns/access "ratio to the plain-memory reference"
for m in btransport dmi plain; do
    med=$(median $m)
    awk -v m="$m" -v v="$med" -v r="$ref" 'BEGIN { printf "  %-10s %14.0f %12.1f %10.4f\n", m, v, 1e9 / v, v / r }'
done
