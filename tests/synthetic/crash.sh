#!/bin/sh
# The firmware crashes on purpose during the echoes (rpvp-synthetic --crash=KIND): the run
# must stop at once with status 1 and the decoded report (the fault's status bits by
# name, PC with its symbol), and rpvp's ELF core of the M3 must load in gdb-multiarch in
# batch mode with a backtrace naming FUNCTION (the faulting one, or what the M3 was doing
# when its watchdog expired).
# usage: crash.sh RPVP_SYNTHETIC FIRMWARE_ELF KIND FUNCTION 'REPORT-REGEX'...
set -u
syn=$1; fw=$2; kind=$3; func=$4; shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; tail -40 "$tmp/run.out"; [ -f "$tmp/gdb.out" ] && cat "$tmp/gdb.out"; exit 1; }

"$syn" --crash="$kind" --count=200 --sizes=16 --m3-core="$tmp/m3.core" --out="$tmp/out" \
    >"$tmp/run.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "exit status $rc, want 1"
grep -q "rpvp: CRASH 1 of the Cortex-M3" "$tmp/run.out" || fail "no crash report"
grep -q "crashes: 1 " "$tmp/run.out" || fail "the crash is not counted in the report"
for re in "$@"; do
    grep -Eq "$re" "$tmp/run.out" || fail "report lacks /$re/"
done
if grep -q "did not crash" "$tmp/run.out"; then fail "the firmware did not crash"; fi
[ -s "$tmp/m3.core" ] || fail "no core file"

timeout 120 gdb-multiarch -q -batch -nx -ex "set pagination off" -ex "info registers pc" \
    -ex "bt" "$fw" "$tmp/m3.core" >"$tmp/gdb.out" 2>&1 || fail "gdb-multiarch failed"
# frame #0, or #1 when #0 is an inline function inside it (cm3_wfi in idle_task)
grep -E "^#[01] " "$tmp/gdb.out" | grep -Eq "^#[01] +(0x[0-9a-f]+ in )?$func " ||
    fail "the backtrace's first frames are not in $func"
cat "$tmp/gdb.out"
echo "crash $kind: status 1, decoded report, core loads in gdb, backtrace in $func: PASS"
