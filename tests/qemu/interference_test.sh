#!/bin/sh
# --interference (docs/platform.md, "Several remotes"): with two remotes, remote 0's echo
# round trip and throughput alone ("phase=alone"), then while remote 1 streams
# ("phase=loaded"), in one run. Alone, remote 0 must measure what a one-remote platform
# measures (simulated time: the same benchmark on the same models); an idle neighbour
# cost it half its throughput while the guest piped the benchmark's output through sed.
# Streaming next to it can only slow it down.
#
#   interference_test.sh RPVP WORKDIR [extra rpvp arguments, e.g. --linux-route=remoteproc]
set -eu
rpvp=$1; work=$2; shift 2
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

"$rpvp" --remotes=2 --interference --count=200 --quiet --log=two.log --out=two "$@" \
    >two.out 2>&1 || { cat two.out; fail "the interference run failed"; }
"$rpvp" --count=200 --quiet --log=one.log --out=one "$@" >one.out 2>&1 ||
    { cat one.out; fail "the one-remote run failed"; }
grep -v '^ *RPVP-MSG' two.out
grep -q "RPVP-ERROR" two.out one.out && fail "the guest reported an error"

# field LINE-PATTERN KEY FILE: KEY's value on the first line matching the pattern
field() { sed -n "/$1/s/.* $2=\([0-9.]*\).*/\1/p" "$3" | head -1 | grep . || fail "no '$1' $2 in $3"; }
for p in alone loaded; do
    grep -q "RPVP-ECHO remote=0 phase=$p sent=200 ok=200 bad=0" two.out ||
        fail "phase $p: not 200 good echoes"
done
for size in 16 496; do
    one=$(field "RPVP-THROUGHPUT size=$size " msgs_per_s one.out)
    alone=$(field "RPVP-THROUGHPUT remote=0 phase=alone size=$size " msgs_per_s two.out)
    loaded=$(field "RPVP-THROUGHPUT remote=0 phase=loaded size=$size " msgs_per_s two.out)
    echo "$size B: one remote $one msg/s; remote 0 alone $alone, loaded $loaded"
    awk -v a="$alone" -v o="$one" 'BEGIN { exit !(a >= 0.95 * o && a <= 1.05 * o) }' ||
        fail "$size B: remote 0 alone ($alone msg/s) is not within 5 % of one remote ($one)"
    awk -v l="$loaded" -v a="$alone" 'BEGIN { exit !(l <= a) }' ||
        fail "$size B: remote 0 is faster with remote 1 streaming ($loaded > $alone msg/s)"
done
ma=$(field "RPVP-LATENCY remote=0 phase=alone" median two.out)
ml=$(field "RPVP-LATENCY remote=0 phase=loaded" median two.out)
echo "median round trip: alone $ma us, loaded $ml us"
awk -v l="$ml" -v a="$ma" 'BEGIN { exit !(l >= a) }' ||
    fail "remote 0's median round trip is shorter with remote 1 streaming ($ml < $ma us)"
echo "PASS: interference"
