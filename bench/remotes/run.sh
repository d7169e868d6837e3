#!/bin/sh
# Several remotes (docs/platform.md, "Several remotes"), on each Linux route (virtio-mmio:
# rpvp's virtio-mmio devices; remoteproc: Linux's stm32_rproc + omap-mailbox):
#  1. interference: in ONE run on the two-remote platform, remote 0's echo round trip
#     alone, then again while remote 1 streams 496-byte messages at full rate (window 32)
#     - simulated time, medians of the guest's 1,000 echoes (deterministic: one run says
#     it all; a second run is compared to show it);
#  2. the wall-time cost of the second remote on the default scenario: `rpvp` with one
#     and with two remotes (both running the default echo + throughput benchmark), RUNS
#     times alternating, medians and their ratio.
#
#   sh bench/remotes/run.sh [BUILD_DIR] [RUNS] [ROUTES]
#   ROUTES: "virtio-mmio remoteproc" (default), or one of them
set -eu
build=${1:-build}; runs=${2:-5}; routes=${3:-virtio-mmio remoteproc}
rpvp=$(cd "$build" && pwd)/bin/rpvp
work=$(mktemp -d /tmp/rpvp-bench-remotes.XXXXXX)
cd "$work"

val() { sed -n "s/.*$1 .*$2=\([0-9.]*\).*/\1/p" "$3" | head -1; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

for route in $routes; do
    echo "== route $route: interference: remote 0's echo round trip (us), alone vs with remote 1 streaming"
    for i in 1 2; do
        "$rpvp" --linux-route="$route" --remotes=2 --interference --count=1000 --quiet \
            --log="int-$route-$i.log" --out="int-$route-$i" >"int-$route-$i.out" 2>&1 ||
            { cat "int-$route-$i.out"; exit 1; }
    done
    o=int-$route-1.out
    for p in alone loaded; do
        printf '%-7s' "$p"
        for k in min median p99 max; do
            printf ' %s=%s' "$k" "$(val "RPVP-LATENCY remote=0 phase=$p" "$k" "$o")"
        done
        echo
    done
    a=$(val "RPVP-LATENCY remote=0 phase=alone" median "$o")
    l=$(val "RPVP-LATENCY remote=0 phase=loaded" median "$o")
    echo "median loaded/alone: $(echo "$l $a" | awk '{printf "%.2f", $1/$2}')"
    if [ "$(grep RPVP-LATENCY "$o")" = "$(grep RPVP-LATENCY "int-$route-2.out")" ]; then
        echo "second run: identical figures"
    else
        echo "second run: DIFFERENT figures"; grep RPVP-LATENCY "$o" "int-$route-2.out"
    fi
done

for route in $routes; do
    echo "== route $route: wall time of the default scenario, 1 vs 2 remotes ($runs runs each, alternating)"
    : >"w1-$route"; : >"w2-$route"
    for i in $(seq "$runs"); do
        for n in 1 2; do
            "$rpvp" --linux-route="$route" --remotes=$n --quiet --log="w$n-$route-$i.log" \
                --out="w$n-$route-$i" >"w$n-$route-$i.out" 2>&1 ||
                { cat "w$n-$route-$i.out"; exit 1; }
            sed -n 's/.*done in \([0-9.]*\) s wall.*/\1/p' "w$n-$route-$i.out" >>"w$n-$route"
        done
    done
    m1=$(median <"w1-$route"); m2=$(median <"w2-$route")
    echo "1 remote:  median $m1 s wall  (runs: $(tr '\n' ' ' <"w1-$route"))"
    echo "2 remotes: median $m2 s wall  (runs: $(tr '\n' ' ' <"w2-$route"))"
    echo "ratio 2/1: $(echo "$m2 $m1" | awk '{printf "%.2f", $1/$2}')"
done
echo "(outputs in $work)"
