#!/bin/sh
# System tests of the remoteproc route: Debian's unmodified kernel drives the M3 through
# its own stm32_rproc and omap-mailbox drivers on rpvp's models (docs/platform.md).
#   remoteproc_system.sh RPVP WORK lifecycle|attach|determinism
# lifecycle: omap-mailbox and stm32_rproc probe; rpmsg_char is loaded before `echo start`;
#   start loads /lib/firmware/rproc-m3-fw and boots it; the name service creates the
#   channels; 1,000 echoes; `echo stop` stops the M3 (rpvp: a reset, the core held) and
#   the channels and /dev/rpmsg0 disappear; a second start brings them back, 1,000 echoes.
# attach: --remote-running: state "detached" at probe, `echo start` attaches (state
#   "attached", nothing loaded: the M3 was started once, by rpvp), echoes succeed; then
#   stop and a start that boots /lib/firmware, echoes again.
# detach: --remote-running --detach: attached; `echo detach` leaves the remote running
#   (state "detached", channels and /dev/rpmsg0 gone, the M3 never reset nor held) and
#   `echo start` attaches again (nothing loaded), the channel is re-announced, echoes.
# determinism: the lifecycle twice: the guest's latency lines and rpvp's report identical.
# Every case also checks rpvp's report: the platform's per-hop measurement and the
#   occupancy series of this route, and no access of the idle virtio-mmio device.
set -u
rpvp=$1; work=$2; what=$3
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL ($what): $*"; tail -40 console.log 2>/dev/null; exit 1; }
need() { grep -q -- "$1" "${2:-console.log}" || fail "missing: $1"; }
needx() { grep -Eq -- "$1" "${2:-console.log}" || fail "missing: $1"; } # extended regex
count() { n=$(grep -c -- "$1" console.log); [ "$n" = "$2" ] || fail "'$1' $n times, not $2"; }
line() { grep -n -- "$1" console.log | head -1 | cut -d: -f1; }

run() { # $1: output file; the rest: options
    out=$1; shift
    "$rpvp" --linux-route=remoteproc --count=1000 --timeout=600 --log=console.log \
        --out=out "$@" >"$out" 2>&1 || { cat "$out"; fail "rpvp failed"; }
}

# rpvp's own report of the route: the per-hop measurement end to end (application ->
# Linux's mailbox write -> M3 -> Linux's read, docs/measurement.md), the occupancy series,
# and the unused virtio-mmio device idle (no mailbox access of its own).
report_checks() {
    rts=$(grep -c "RPVP-ECHO sent=1000 ok=1000 bad=0" console.log)
    # every echo and pipelined message of the run, matched hop by hop to the bench's stamps
    needx "^measured by the platform \(simulated time, us\): [0-9]+ messages \($((rts * 1400)) round trips, 0 to the remote alone" report.txt
    needx "^    kick -> mbox_write " report.txt
    needx "^    mbox_write -> m3_irq " report.txt
    needx "^    repost -> app_recv " report.txt
    ! grep -Eq "^    [a-z_0-9]+ -> [a-z_0-9]+ +-" report.txt ||
        fail "negative hop: $(grep -E '^    [a-z_0-9]+ -> [a-z_0-9]+ +-' report.txt | head -1)"
    needx "^  high-water marks: .*vq0.in_flight=[1-9]" report.txt
    grep -q ",vq1.in_flight," out/occupancy.csv || fail "no vring occupancy series in out/occupancy.csv"
    needx "virtio-rpmsg: not on this route" report.txt
    needx "^    vdev: reads 0 \(0 B\), writes 0 \(0 B\)" report.txt
}

lifecycle_checks() {
    need "omap-mailbox b001000.mailbox: omap mailbox rev"
    need "RPVP-RPROC probed name=m3 state=offline firmware=rproc-m3-fw omap-mailbox=b001000.mailbox"
    mods=$(line "RPVP-MODULES .*rpmsg_char")
    up=$(line "remoteproc remoteproc0: powering up m3")
    [ -n "$mods" ] && [ -n "$up" ] && [ "$mods" -lt "$up" ] ||
        fail "rpmsg_char must be loaded before the remote starts (lines $mods, $up)"
    need "firmware: direct-loading firmware rproc-m3-fw"
    count "remote processor m3 is now up" 2
    count "virtio_rpmsg_bus virtio0: creating channel rpmsg-raw" 2
    count "RPVP-ECHO sent=1000 ok=1000 bad=0" 2
    need "RPVP-RPROC stop state=offline channels=0 rpmsg0=gone"
    need "firmware: loaded by Linux's remoteproc (2 starts, 1 resets)"
    # `echo stop` really stops the M3: held from the reset pulse to the next start, and
    # not one instruction executed in between.
    grep -Eq "cortex-m3 held in reset: 1 times, [0-9.]*[1-9][0-9.]* ms simulated, 0 instructions executed while held" report.txt ||
        fail "the M3 was not held after stop: $(grep 'held in reset' report.txt)"
    need "RPVP-DONE status=0"
    ! grep -q "RPVP-ERROR\|BUG:\|Oops\|scheduling while atomic" console.log ||
        fail "guest error: $(grep -m1 'RPVP-ERROR\|BUG:\|Oops\|scheduling while atomic' console.log)"
}

case "$what" in
lifecycle)
    run report.txt --restarts=1
    lifecycle_checks
    report_checks
    # rpvp's progress says what init does on this route (no virtio_mmio here)
    need "init: loading virtio_rpmsg_bus, rpmsg_char, stm32_rproc; then starting the remote" report.txt
    ! grep -q "loading virtio_mmio" report.txt || fail "progress claims virtio_mmio is loaded"
    ;;
attach)
    run report.txt --remote-running --restarts=1
    need "RPVP-RPROC probed name=m3 state=detached"
    need "RPVP-RPROC start from=detached state=attached"
    need "remote processor m3 is now attached"
    a=$(line "RPVP-RPROC start from=detached")
    l=$(line "direct-loading firmware")
    [ -z "$l" ] || [ "$l" -gt "$a" ] || fail "Linux loaded a firmware before attaching"
    count "RPVP-ECHO sent=1000 ok=1000 bad=0" 2
    need "RPVP-RPROC stop state=offline channels=0 rpmsg0=gone"
    need "RPVP-RPROC start from=offline state=running"
    need "RPVP-DONE status=0"
    report_checks
    ;;
detach)
    run report.txt --remote-running --restarts=1 --detach
    need "RPVP-RPROC probed name=m3 state=detached"
    count "RPVP-RPROC start from=detached state=attached" 2
    count "remote processor m3 is now attached" 2
    need "RPVP-RPROC detach state=detached channels=0 rpmsg0=gone"
    need "detached remote processor m3"
    ! grep -q "direct-loading firmware\|RPVP-RPROC stop" console.log ||
        fail "Linux loaded or stopped the remote instead of detaching"
    count "virtio_rpmsg_bus virtio0: creating channel rpmsg-raw" 2
    count "RPVP-ECHO sent=1000 ok=1000 bad=0" 2
    need "RPVP-DONE status=0"
    # The M3 ran through the detach: rpvp started it once, nothing reset or held it.
    needx "firmware .*: [0-9]+ segments" report.txt
    ! grep -q "held in reset" report.txt || fail "the M3 was reset: $(grep 'held in reset' report.txt)"
    # Linux's one "detach" message (FIFO 6, channel plan) reached the mailbox; no
    # "shutdown" (FIFO 4); the watchdog kept being refreshed by the one running image.
    need "^    fifo 6: 1, " report.txt
    ! grep -q "^    fifo 4: " report.txt || fail "a shutdown message was sent"
    need "watchdog: starts 1, refreshes [0-9]*, timeouts 0" report.txt
    need "crashes: 0 " report.txt
    report_checks
    ;;
determinism)
    run report.txt --restarts=1
    lifecycle_checks
    grep "RPVP-LATENCY\|RPVP-THROUGHPUT" console.log >first.txt
    mv console.log console-1.log
    run report2.txt --restarts=1
    grep "RPVP-LATENCY\|RPVP-THROUGHPUT" console.log >second.txt
    [ -s first.txt ] && cmp -s first.txt second.txt || fail "the two runs' latencies differ"
    # rpvp's report from the platform statistics on (simulated counts and times, the
    # platform's per-hop measurement), wall-time lines aside.
    for f in report.txt report2.txt; do
        sed -n '/^platform statistics:/,$p' "$f" | grep -v "wall" >"$f.sim"
    done
    [ -s report.txt.sim ] || fail "no platform statistics in rpvp's report"
    cmp -s report.txt.sim report2.txt.sim ||
        fail "the two runs' platform reports differ: $(diff report.txt.sim report2.txt.sim | head -5)"
    echo "identical: $(cat first.txt | head -1)"
    ;;
*) fail "unknown case" ;;
esac
echo "PASS ($what)"
