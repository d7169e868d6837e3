#!/bin/sh
# Differential test: run prog.elf on QEMU mps2-an385 (the reference) and on rpvp-cm3;
# the semihosting console output and the exit status must be identical.
# usage: run_diff.sh RPVP_CM3 PROG.ELF [expected-exit-status]
set -u
rpvp=$1; elf=$2; want=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# QEMU writes SYS_WRITE0/WRITEC to stderr and SYS_WRITE to stdout: take both.
# RPVP_DIFF_QEMU_ARGS: extra QEMU options, e.g. -icount for a program whose output
# interleaving would otherwise follow QEMU's host-clock SysTick on a loaded machine.
# shellcheck disable=SC2086
timeout 120 qemu-system-arm -M mps2-an385 -nographic -monitor none -serial none ${RPVP_DIFF_QEMU_ARGS:-} \
    -semihosting-config enable=on,target=native -kernel "$elf" >"$tmp/qemu.out" 2>&1
qrc=$?
# QEMU's own diagnostics on stderr are not guest output: drop the known ones
# ("Timer with delta zero": ptimer when SysTick runs with RVR = 0).
grep -v '^Timer with delta zero, disabling$' "$tmp/qemu.out" >"$tmp/qemu.flt"
mv "$tmp/qemu.flt" "$tmp/qemu.out"
timeout 120 "$rpvp" --max-insns 2000000000 "$elf" >"$tmp/rpvp.out" 2>"$tmp/rpvp.err"
rrc=$?
fail=0
if ! cmp -s "$tmp/qemu.out" "$tmp/rpvp.out"; then
    echo "output differs (< qemu, > rpvp-cm3):"
    diff "$tmp/qemu.out" "$tmp/rpvp.out" | head -40
    fail=1
fi
if [ "$qrc" != "$rrc" ]; then
    echo "exit status differs: qemu $qrc, rpvp-cm3 $rrc"; cat "$tmp/rpvp.err"; fail=1
fi
if [ -n "$want" ] && [ "$rrc" != "$want" ]; then
    echo "exit status $rrc, expected $want"; fail=1
fi
lines=$(wc -l <"$tmp/rpvp.out")
[ "$lines" -gt 0 ] || { echo "no output at all"; fail=1; }
[ $fail = 0 ] && echo "identical: $lines lines, exit status $rrc"
exit $fail
