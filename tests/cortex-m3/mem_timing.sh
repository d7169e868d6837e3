#!/bin/sh
# rpvp-cm3 region timing options (rule 7 of issue 18): bad values give a clear error and
# exit status 2; wait states make the same program take more cycles with the same output;
# the zero-wait-state STM32F1-class profile keeps every TRM figure of t_cycles and adds
# its System-bus fetch and flash-data contention (t_cycles' MEMSEQS).
# usage: mem_timing.sh RPVP_CM3 FW_BUILD_DIR
set -u
rpvp=$1; fw=$2
fail=0
bad() {   # a --mem/--profile value that must be refused
    out=$(timeout 60 "$rpvp" "$@" "$fw/t_hello.elf" 2>&1); rc=$?
    if [ "$rc" != 2 ] || ! printf '%s\n' "$out" | grep -Eq "bad --mem|unknown profile"; then
        echo "FAIL $*: status $rc, output:"; printf '%s\n' "$out" | head -3; fail=1
    else
        echo "ok   refused: $*"
    fi
}
bad --mem 0:4M:x
bad --mem 0:4M:1:fetch=3
bad --mem 0:4M:1:fetch=128
bad --mem 0:4M:1:bogus
bad --mem 0:4M:33
bad --mem 0:0
bad --mem 0:4096M
bad --profile stm32f9
cycles() { sed -n 's/.* cycles \([0-9]*\) .*/\1/p' "$1"; }
timeout 60 "$rpvp" --stats "$fw/t_alu.elf" >/tmp/mem_timing.$$.0 2>/tmp/mem_timing.$$.0s
timeout 60 "$rpvp" --stats --mem 0:4M:2:fetch=8 --mem 0x20000000:4M:1 "$fw/t_alu.elf" \
    >/tmp/mem_timing.$$.1 2>/tmp/mem_timing.$$.1s
c0=$(cycles /tmp/mem_timing.$$.0s); c1=$(cycles /tmp/mem_timing.$$.1s)
if cmp -s /tmp/mem_timing.$$.0 /tmp/mem_timing.$$.1 && [ -n "$c0" ] && [ -n "$c1" ] && [ "$c1" -gt "$c0" ]; then
    echo "ok   wait states: same output, $c0 -> $c1 cycles"
else
    echo "FAIL wait states: cycles '$c0' -> '$c1' or the output differs"; fail=1
fi
rm -f /tmp/mem_timing.$$.*
# t_cycles with the profile's expectations (argument stm32f1), on blocks and the interpreter;
# with the plain expectations it must fail (the profile changes SRAM code and flash loads).
for env in "" "RPVP_CM3_NOJIT=1"; do
    if env $env timeout 60 "$rpvp" --profile stm32f1 "$fw/t_cycles.elf" stm32f1 |
            grep -q "all cycle counts as expected"; then
        echo "ok   --profile stm32f1 ${env:-blocks}: t_cycles' figures and the profile's hold"
    else
        echo "FAIL --profile stm32f1 ${env:-blocks}: t_cycles"; fail=1
    fi
done
if timeout 60 "$rpvp" --profile stm32f1 "$fw/t_cycles.elf" | grep -q "ram_add4 8  MISMATCH"; then
    echo "ok   --profile stm32f1 changes the SRAM-code figures"
else
    echo "FAIL --profile stm32f1 without its expectations should mismatch ram_add4"; fail=1
fi
exit $fail
