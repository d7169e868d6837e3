#!/bin/sh
# Wall-time benchmarks of rpvp's QEMU end (medians of N runs, default 5):
#   - boot to init: QEMU alone (same kernel, -icount, no bridge) vs with the plugin:
#     idle test platform (no syncs needed) and busy one (a sync every quantum) at
#     quanta of 1, 10 and 100 us;
#   - host cost of one bridged MMIO access inside QEMU: (mmio run with 1,000,000 round
#     trips - run with 1) / 2,000,000 accesses;
#   - wall time to init and to the rpmsg channel (/dev/rpmsg0) with the omap4-amp
#     platform and the M3 firmware (RPVP_BENCH_FIRMWARE, default the build's ELF).
# Usage: bench/qemu/boot_wall.sh <build dir> [runs]
set -eu
build=${1:?usage: boot_wall.sh <build dir> [runs]}
runs=${2:-5}
tool=$build/bin/rpvp-qemu
[ -x "$tool" ] || { echo "no $tool: build target rpvp-qemu" >&2; exit 1; }
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else print a[int((NR+1)/2)]}'; }

# run <label> <rpvp-qemu args...>: prints "<init_s> <total_s>" per run into $tmp/<label>
run() {
    label=$1; shift
    : >"$tmp/$label"
    i=0
    while [ "$i" -lt "$runs" ]; do
        out=$("$tool" "$@" --log="$tmp/log" 2>&1) || { echo "$label failed: $out" | tail -5 >&2; return 1; }
        sed -n 's/.*rpvp: plugin: accesses=[0-9]* syncs=\([0-9]*\).*/\1/p' "$tmp/log" >"$tmp/$label.syncs"
        echo "$out" | sed -n 's/.*finished in \([0-9.]*\) s wall (init after \([0-9.]*\) s), QEMU used \([0-9.]*\) s CPU.*/\2 \1 \3/p' >>"$tmp/$label"
        i=$((i + 1))
    done
    printf '%-34s init %6s s   total %6s s   QEMU CPU %6s s   (median of %d)\n' "$label" \
        "$(cut -d' ' -f1 "$tmp/$label" | median)" "$(cut -d' ' -f2 "$tmp/$label" | median)" \
        "$(cut -d' ' -f3 "$tmp/$label" | median)" "$runs"
}

echo "== wall time to init (Debian armmp kernel, -icount shift=0,sleep=off)"
run "qemu-alone" --no-bridge --mode=boot
run "qemu+plugin idle platform" --mode=boot --quantum-ns=10000
# A platform with activity all the time (a process waking every 1 us, like a running
# remote CPU): a sync at every quantum boundary.
for q in 1000 10000 100000; do
    run "qemu+plugin busy, quantum=$((q / 1000))us" --mode=boot --quantum-ns=$q \
        --config=platform=test,ticker-ns=1000
done

# CPU per quantum boundary = (busy run - QEMU alone) / boundaries (the plugin's count).
alone=$(cut -d' ' -f3 "$tmp/qemu-alone" | median)
for q in 1 10 100; do
    l="qemu+plugin busy, quantum=${q}us"
    echo "$(cut -d' ' -f3 "$tmp/$l" | median) $alone $(cat "$tmp/$l.syncs")" |
        awk -v q="$q" '$3 > 0 {printf "quantum %3s us: %d boundaries, %.2f us of QEMU CPU each (QEMU deadline + sync + platform work)\n", q, $3, ($1-$2)*1e6/$3}'
done

echo "== host cost of a bridged access inside QEMU (guest /dev/mem round trips)"
run "mmio 1 round trip" --mode=mmio --args=--count=1
run "mmio 1000000 round trips" --mode=mmio --args=--count=1000000
# QEMU's CPU time, not wall time: the machine is shared.
a=$(cut -d' ' -f3 "$tmp/mmio 1 round trip" | median)
b=$(cut -d' ' -f3 "$tmp/mmio 1000000 round trips" | median)
echo "per bridged access (write or read, incl. QEMU's MMIO exit), QEMU CPU: $(echo "$a $b" | awk '{printf "%.2f us", ($2-$1)*1e6/2000000}')"

cost=$build/bench/qemu/rpvp_bench_plugin_cost
if [ -x "$cost" ]; then
    echo "== plugin calls alone (no QEMU): ticker 0 / 1000 ns, quantum 1 / 10 us"
    for tk in 0 1000; do for q in 1000 10000; do "$cost" "$build/lib/librpvp_plugin.so" $tk $q; done; done
fi

fw=${RPVP_BENCH_FIRMWARE:-$build/firmware/m3/rpvp-m3-fw.elf}
if [ -r "$fw" ]; then
    echo "== omap4-amp platform (firmware on the M3 ISS), rpmsg echo from Linux"
    : >"$tmp/chan"
    i=0
    while [ "$i" -lt "$runs" ]; do
        shm=rpvp-bench-$$-$i
        t0=$(date +%s.%N)
        "$tool" --mode=echo --args=--count=100,--stream=0 --shm="$shm" --console \
            --config="platform=omap4-amp;firmware=$fw;ddr=$shm;quantum-ns=10000" 2>&1 |
            while IFS= read -r l; do
                case "$l" in
                RPVP-INIT*) ti=$(date +%s.%N) ;;
                RPVP-CHANNEL*) echo "$ti $(date +%s.%N) $t0" >>"$tmp/chan" ;;
                esac
            done
        rm -f "/dev/shm/$shm"
        i=$((i + 1))
    done
    printf '%-34s init %6s s   /dev/rpmsg0 %6s s   (median of %d)\n' "qemu+omap4-amp, quantum=10us" \
        "$(awk '{print $1-$3}' "$tmp/chan" | median)" "$(awk '{print $2-$3}' "$tmp/chan" | median)" "$runs"
fi
