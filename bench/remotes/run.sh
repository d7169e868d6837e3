#!/bin/sh
# Several remotes (docs/platform.md, "Several remotes"):
#  1. interference: in ONE run on the two-remote platform, remote 0's echo round trip
#     alone, then again while remote 1 streams 496-byte messages at full rate (window 32)
#     - simulated time, medians of the guest's 1,000 echoes (deterministic: one run says
#     it all; a second run is compared to show it);
#  2. the wall-time cost of the second remote on the default scenario: `rpvp` with one
#     and with two remotes (both running the default echo + throughput benchmark), RUNS
#     times alternating, medians and their ratio.
#
#   sh bench/remotes/run.sh [BUILD_DIR] [RUNS]
set -eu
build=${1:-build}; runs=${2:-5}
rpvp=$(cd "$build" && pwd)/bin/rpvp
work=$(mktemp -d /tmp/rpvp-bench-remotes.XXXXXX)
cd "$work"

val() { sed -n "s/.*$1 .*$2=\([0-9.]*\).*/\1/p" "$3" | head -1; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "== interference: remote 0's echo round trip (us), alone vs with remote 1 streaming"
for i in 1 2; do
    "$rpvp" --remotes=2 --interference --count=1000 --quiet --log=int$i.log >int$i.out 2>&1 ||
        { cat int$i.out; exit 1; }
done
for p in alone loaded; do
    printf '%-7s' "$p"
    for k in min median p99 max; do
        printf ' %s=%s' "$k" "$(val "RPVP-LATENCY remote=0 phase=$p" "$k" int1.out)"
    done
    echo
done
a=$(val "RPVP-LATENCY remote=0 phase=alone" median int1.out)
l=$(val "RPVP-LATENCY remote=0 phase=loaded" median int1.out)
echo "median loaded/alone: $(echo "$l $a" | awk '{printf "%.2f", $1/$2}')"
if [ "$(grep RPVP-LATENCY int1.out)" = "$(grep RPVP-LATENCY int2.out)" ]; then
    echo "second run: identical figures"
else
    echo "second run: DIFFERENT figures"; grep RPVP-LATENCY int1.out int2.out
fi

echo "== wall time of the default scenario, 1 vs 2 remotes ($runs runs each, alternating)"
: >w1; : >w2
for i in $(seq "$runs"); do
    for n in 1 2; do
        "$rpvp" --remotes=$n --quiet --log=w$n-$i.log >w$n-$i.out 2>&1 ||
            { cat w$n-$i.out; exit 1; }
        sed -n 's/.*done in \([0-9.]*\) s wall.*/\1/p' w$n-$i.out >>w$n
    done
done
m1=$(median <w1); m2=$(median <w2)
echo "1 remote:  median $m1 s wall  (runs: $(tr '\n' ' ' <w1))"
echo "2 remotes: median $m2 s wall  (runs: $(tr '\n' ' ' <w2))"
echo "ratio 2/1: $(echo "$m2 $m1" | awk '{printf "%.2f", $1/$2}')"
echo "(outputs in $work)"
