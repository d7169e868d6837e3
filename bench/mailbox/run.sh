#!/bin/sh
# bench/mailbox/run.sh [BUILD] -- wall time of the default scenario (Linux on QEMU +
# firmware on the M3, `rpvp`) and of the synthetic scenario (`rpvp --host=synthetic`)
# with --mailbox=tlm, rtl and both, run alternately RUNS times each (default 5; LINUX_RUNS
# for the default scenario, default 3; LINUX_RUNS=0 skips it); prints the medians and
# their ratios to tlm, measured in the same run. Then the mailbox RTL alone
# (rpvp-mbox-rtl-bench): Verilator's simulated cycles per wall second.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
rpvp=$build/bin/rpvp
runs=${RUNS:-5}
linux_runs=${LINUX_RUNS:-3}
out=${BENCH_OUT:-/tmp/rpvp-mailbox-bench}
mkdir -p "$out"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# scenario NAME RUNS ARGS...: every run of tlm, rtl, both in turn; times in $out/NAME.K.times
scenario() {
    name=$1 n=$2
    shift 2
    for k in tlm rtl both; do : >"$out/$name.$k.times"; done
    i=0
    while [ "$i" -lt "$n" ]; do
        i=$((i + 1))
        for k in tlm rtl both; do
            t0=$(now)
            "$rpvp" --quiet --mailbox=$k --out="$out/reports-$name-$k-$i" "$@" \
                >"$out/$name.$k.out" 2>&1 ||
                { echo "bench: $name --mailbox=$k failed (see $out/$name.$k.out)" >&2; exit 1; }
            t1=$(now)
            echo "$t1 - $t0" | bc -l >>"$out/$name.$k.times"
        done
    done
    grep -q ' 0 divergences' "$out/$name.both.out" ||
        { echo "bench: $name --mailbox=both did not end clean" >&2; exit 1; }
    tlm=$(median <"$out/$name.tlm.times")
    rtl=$(median <"$out/$name.rtl.times")
    both=$(median <"$out/$name.both.times")
    printf '%-9s (%d runs each): median wall tlm %.2f s, rtl %.2f s (%.2fx), both %.2f s (%.2fx)\n' \
        "$name" "$n" "$tlm" "$rtl" "$(echo "$rtl / $tlm" | bc -l)" "$both" \
        "$(echo "$both / $tlm" | bc -l)"
    grep -h 'co-verification' "$out/$name.both.out" | sed 's/^ */  /' | head -1
}

scenario synthetic "$runs" --host=synthetic
if [ "$linux_runs" -gt 0 ]; then
    scenario default "$linux_runs"
fi
"$build/bench/mailbox/rpvp-mbox-rtl-bench" "${ACCESSES:-4000000}"
