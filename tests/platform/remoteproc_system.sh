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
# determinism: the lifecycle twice: the guest's latency lines and rpvp's report identical.
set -u
rpvp=$1; work=$2; what=$3
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL ($what): $*"; tail -40 console.log 2>/dev/null; exit 1; }
need() { grep -q -- "$1" "${2:-console.log}" || fail "missing: $1"; }
count() { n=$(grep -c -- "$1" console.log); [ "$n" = "$2" ] || fail "'$1' $n times, not $2"; }
line() { grep -n -- "$1" console.log | head -1 | cut -d: -f1; }

run() { # $1: output file; the rest: options
    out=$1; shift
    "$rpvp" --linux-route=remoteproc --count=1000 --timeout=600 --log=console.log \
        --out=out "$@" >"$out" 2>&1 || { cat "$out"; fail "rpvp failed"; }
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
    need "RPVP-DONE status=0"
    ! grep -q "RPVP-ERROR\|BUG:\|Oops\|scheduling while atomic" console.log ||
        fail "guest error: $(grep -m1 'RPVP-ERROR\|BUG:\|Oops\|scheduling while atomic' console.log)"
}

case "$what" in
lifecycle)
    run report.txt --restarts=1
    lifecycle_checks
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
