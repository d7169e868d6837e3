#!/bin/sh
# Peak memory of the synthetic host against the number of messages (docs/hardening.md,
# "Memory against message count"): rpvp-synthetic --count=N --sizes=16 under GNU time -v
# for each N, with the platform's measurement on (the default) and off (--measure=false:
# what the models and the host need alone), and the slope in KiB per message between
# consecutive counts. One run per point: peak RSS does not depend on the machine's load.
#   sh bench/memory/run.sh [BUILD_DIR] [COUNT...]     (counts: 1000 100000 1000000)
#   MEASURE=false sh bench/memory/run.sh ...          (only one of the two settings)
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
counts=${*:-1000 100000 1000000}
exe=$build/bin/rpvp-synthetic
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time (tools/deps/hardening.txt)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for measure in ${MEASURE:-true false}; do
    prev_n=; prev_kib=
    for n in $counts; do
        /usr/bin/time -v "$exe" --count="$n" --sizes=16 --measure=$measure --quiet \
            --out="$work/out-$n" >"$work/run.out" 2>"$work/time.out" ||
            { tail -20 "$work/run.out" "$work/time.out"; exit 1; }
        kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.out")
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.out")
        slope=
        [ -n "$prev_n" ] && slope=$(echo "scale=3; ($kib - $prev_kib) / ($n - $prev_n)" | bc)
        printf 'measure=%-5s messages=%-8s peak_rss=%8s KiB (%7.1f MiB)  wall=%-9s%s\n' \
            "$measure" "$n" "$kib" "$(echo "$kib / 1024" | bc -l)" "$wall" \
            "${slope:+  slope from $prev_n: $slope KiB/message}"
        prev_n=$n; prev_kib=$kib
        rm -rf "$work/out-$n"
    done
done
