#!/bin/sh
# Crashes of the firmware under Linux (rpvp --crash=KIND, docs/platform.md "Crash").
#   linux_crash.sh RPVP FIRMWARE_ELF WORK ROUTE KIND FUNCTION
# Common: the guest's benchmark tells the firmware to crash during echo traffic
#   (RPVP-CRASH); rpvp prints the decoded fault at once, counts it in its report and
#   writes the M3's ELF core, which loads in gdb-multiarch in batch mode with a backtrace
#   whose first frames are in FUNCTION (the faulting function; "-" for a missed
#   watchdog: any firmware function, where the M3 was when it expired), and whose PC is
#   the one rpvp's decoded report names.
# ROUTE remoteproc: the crash reaches Linux as stm32_rproc's crash interrupt ("crash
#   detected"; a fault at once, not only when the watchdog expires); Linux's coredump
#   appears under /sys/class/devcoredump and parses as an ELF32 core holding the
#   firmware's code segments byte for byte; recovery reloads and restarts the firmware,
#   the echo channel (/dev/rpmsgN of rpmsg-raw) comes back and 1,000 echoes succeed;
#   rpvp exits 0.
# ROUTE remoteproc-attached: the same with --remote-running: Linux attached to the
#   firmware rpvp started, and recovers it by booting /lib/firmware/rproc-m3-fw.
# ROUTE virtio-mmio: nothing recovers a remote: the run ends with status 1 and a message
#   naming the crash, the report (crash count, decoded fault) printed.
set -u
rpvp=$1; fw=$2; work=$3; route=$4; kind=$5; func=$6
rm -rf "$work"; mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL ($route $kind): $*"; tail -30 report.txt 2>/dev/null; tail -40 console.log 2>/dev/null
         [ -f gdb.out ] && cat gdb.out; exit 1; }
need() { grep -Eq -- "$1" "${2:-console.log}" || fail "missing in ${2:-console.log}: $1"; }

opts="--linux-route=$route"
[ "$route" = remoteproc-attached ] && opts="--linux-route=remoteproc --remote-running"
# shellcheck disable=SC2086
"$rpvp" $opts --crash="$kind" --count=1000 --sizes=16 --timeout=600 \
    --log=console.log --out=out --m3-core="$work/m3.core" --json=run.json >report.txt 2>&1
rc=$?

need "RPVP-CRASH kind=$kind after=500"
need "rpvp: CRASH 1 of the Cortex-M3 at [0-9.]+ us \(simulated\)" report.txt
need "^  crashes: 1 \(" report.txt
case "$kind" in
fault) need "^  crashes: 1 \(faults 1, lock-ups 0, watchdog timeouts 0[,)]" report.txt
       need "HFSR 0x40000000: FORCED" report.txt
       need "CFSR 0x00008200: PRECISERR BFARVALID .*BFAR 0x30000000" report.txt ;;
watchdog) need "^  crashes: 1 \(faults 0, lock-ups 0, watchdog timeouts 1[,)]" report.txt
       need "the watchdog timed out" report.txt ;;
esac
[ -s m3.core ] || fail "rpvp wrote no M3 core"
need '"platform.crashes":[[:space:]]*1,' run.json

if [ "$route" != virtio-mmio ]; then
    [ "$rc" = 0 ] || fail "rpvp exit status $rc, want 0 (Linux recovers the remote)"
    need "remoteproc remoteproc0: crash detected in m3: type watchdog"
    # A fault reaches Linux through the crash line at once: well before the 50 ms
    # watchdog would have expired; the traffic of the watchdog case goes on until then.
    seen=$(sed -n 's/.*RPVP-CRASH-SEEN .*sim_ms=\([0-9]*\)\..*/\1/p' console.log)
    [ -n "$seen" ] || fail "no RPVP-CRASH-SEEN"
    case "$kind" in
    fault) [ "$seen" -lt 10 ] || fail "the fault reached Linux after $seen ms" ;;
    watchdog) [ "$seen" -ge 50 ] || fail "the traffic stopped after $seen ms, before the watchdog's 50 ms"
              need "RPVP-CRASH-SEEN echoes_after=[1-9][0-9]+ " ;;
    esac
    need "RPVP-CRASH-DUMP file=/sys/class/devcoredump/devcd[0-9]+/data"
    # An ELF32 core; the carveout (da 0, 16 MiB) among its segments; every PT_LOAD of the
    # firmware Linux loaded inside one of them and its code sections there byte for byte.
    need "RPVP-COREDUMP bytes=[0-9]+ elf=ELF32 type=core phnum=[0-9]+ loads=0x0\+0x1000000,"
    need "RPVP-COREDUMP .* fw_segments=([1-9][0-9]*)/\1 code_sections=([1-9][0-9]*)/\2$"
    need "remoteproc remoteproc0: remote processor m3 is now up"
    need "RPVP-RECOVERED state=running dev=/dev/rpmsg[0-9]+"
    need "RPVP-CRASH-ECHO sent=1000 ok=1000$"
    need "RPVP-DONE status=0"
    if [ "$route" = remoteproc ]; then
        need "firmware: loaded by Linux's remoteproc \(2 starts, 1 resets\)" report.txt
    else # attached: rpvp loaded it; Linux's recovery booted its own copy
        need "RPVP-RPROC start from=detached state=attached"
        need "firmware .*rpvp-m3-fw.elf: 1 segments" report.txt
        a=$(grep -n "crash detected in m3" console.log | head -1 | cut -d: -f1)
        l=$(grep -n "direct-loading firmware rproc-m3-fw" console.log | head -1 | cut -d: -f1)
        [ -n "$a" ] && [ -n "$l" ] && [ "$l" -gt "$a" ] || fail "recovery did not boot /lib/firmware (lines $a, $l)"
    fi
    need "cortex-m3 held in reset: 1 times, .* 0 instructions executed while held" report.txt
    ! grep -q "RPVP-ERROR\|BUG:\|Oops" console.log || fail "guest error: $(grep -m1 'RPVP-ERROR\|BUG:\|Oops' console.log)"
else
    [ "$rc" = 1 ] || fail "rpvp exit status $rc, want 1 (no recovery on the virtio-mmio route)"
    need "rpvp: the firmware crashed \(CRASH 1 of the Cortex-M3 .*HardFault\); the virtio-mmio route has no recovery" report.txt
    need "rpvp: FAILED: the remote crashed: HardFault" report.txt
    ! grep -q "RPVP-DONE" console.log || fail "the guest went on after the crash"
fi

timeout 120 gdb-multiarch -q -batch -nx -ex "set pagination off" -ex "info registers pc" \
    -ex "bt" "$fw" m3.core >gdb.out 2>&1 || fail "gdb-multiarch failed"
# The core is the crash rpvp reported: gdb's PC is the decoded report's.
pc=$(sed -n 's/^ *PC 0x0*\([0-9a-f]*\) .*/\1/p' report.txt | head -1)
grep -Eq "^pc +0x0*$pc " gdb.out || fail "gdb's pc is not the reported PC 0x$pc"
# frame #0, or #1 when #0 is an inline function inside it (cm3_wfi in idle_task); "-":
# any function of the firmware (where a watchdog finds a busy M3 depends on the traffic)
[ "$func" = - ] && func="[A-Za-z_][A-Za-z0-9_]*"
grep -E "^#[01] " gdb.out | grep -Eq "^#[01] +(0x[0-9a-f]+ in )?$func " ||
    fail "the backtrace's first frames are not in $func"
cat gdb.out
echo "PASS (crash $kind on $route)"
