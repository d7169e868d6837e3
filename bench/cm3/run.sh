#!/bin/sh
# bench/cm3/run.sh [RPVP_CM3] -- run the same CPU-bound ELF (CRC-32 + shell sort + matmul,
# 531 M Cortex-M3 instructions) on rpvp-cm3 (cycle counting on, as always) and on
# qemu-system-arm -M mps2-an385, alternately, RUNS times each (default 3); print median wall
# times, MIPS and the ratio of the medians. Builds the ELF with arm-none-eabi-gcc into
# $BENCH_OUT (default /tmp/rpvp-cm3-bench).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rpvp=${1:-$root/build/models/cpu/cortex-m3/rpvp-cm3}
out=${BENCH_OUT:-/tmp/rpvp-cm3-bench}
rounds=${ROUNDS:-750}
runs=${RUNS:-3}
fw=$root/tests/cortex-m3/fw
mkdir -p "$out"
elf=$out/bench.elf
arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -mfloat-abi=soft -O2 -ffreestanding \
    -fno-tree-loop-distribute-patterns -Wno-format -I"$fw" -DROUNDS="$rounds" \
    -nostartfiles -nostdlib -T "$fw/link.ld" "$fw/startup.c" "$fw/sh.c" "$here/bench.c" -lgcc -o "$elf"

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$out/rpvp.times"; : >"$out/qemu.times"
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    t0=$(now); "$rpvp" --stats "$elf" >"$out/rpvp.out" 2>"$out/rpvp.stats"; t1=$(now)
    echo "$t1 - $t0" | bc -l >>"$out/rpvp.times"
    t0=$(now)
    qemu-system-arm -M mps2-an385 -nographic -monitor none -serial none \
        -semihosting-config enable=on,target=native -kernel "$elf" >/dev/null 2>"$out/qemu.out"
    t1=$(now)
    echo "$t1 - $t0" | bc -l >>"$out/qemu.times"
done
if ! cmp -s "$out/rpvp.out" "$out/qemu.out"; then
    echo "bench: results differ between rpvp-cm3 and QEMU" >&2; exit 1
fi
insns=$(sed -n 's/.*instructions \([0-9]*\) cycles \([0-9]*\).*/\1/p' "$out/rpvp.stats")
cycles=$(sed -n 's/.*instructions \([0-9]*\) cycles \([0-9]*\).*/\2/p' "$out/rpvp.stats")
tr=$(median <"$out/rpvp.times"); tq=$(median <"$out/qemu.times")
printf 'result:      %s' "$(cat "$out/rpvp.out")"; echo
printf 'instructions %s, cycles %s (CPI %.3f)\n' "$insns" "$cycles" "$(echo "$cycles / $insns" | bc -l)"
printf 'rpvp-cm3:    %.3f s (median of %d), %.1f MIPS\n' "$tr" "$runs" "$(echo "$insns / $tr / 1000000" | bc -l)"
printf 'qemu mps2:   %.3f s (median of %d), %.1f MIPS\n' "$tq" "$runs" "$(echo "$insns / $tq / 1000000" | bc -l)"
printf 'speed ratio rpvp-cm3 / qemu: %.2f (goal >= 0.33)\n' "$(echo "$tq / $tr" | bc -l)"
