#!/bin/sh
# Faults of the host side of a Linux run (issue 16; docs/hardening.md). Each case must
# end in bounded time with a clear message and a non-zero status, print what was
# measured so far, and leave no /dev/shm/rpvp-<pid> file and no QEMU child behind.
# Every wait is for a condition (a console line, a process end), never a fixed sleep.
# usage: host_faults.sh RPVP CASE      CASE: empty_cache sigint sigterm qemu_killed
#                                            two_runs shm_full
set -u
rpvp=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); case=$2
tmp=$(mktemp -d)
cd "$tmp" # rpvp writes its report folder (rpvp-out/) into the current directory
pids=""
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL ($case): $*"; for f in "$tmp"/*; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done; exit 1; }

# wait_for FILE REGEX SECONDS PID: until FILE has a line matching REGEX (0), PID ends or
# the time is up (1). Polls; the bound only turns a hang into a failure.
wait_for() {
    n=$(($3 * 10))
    while [ "$n" -gt 0 ]; do
        grep -Eq "$2" "$1" 2>/dev/null && return 0
        kill -0 "$4" 2>/dev/null || { grep -Eq "$2" "$1" 2>/dev/null; return $?; }
        sleep 0.1; n=$((n - 1))
    done
    return 1
}
# no_leftovers PID: no /dev/shm file and no process of that run's QEMU.
no_leftovers() {
    [ ! -e "/dev/shm/rpvp-$1" ] || fail "/dev/shm/rpvp-$1 left behind"
    if pgrep -f "mem-path=/dev/shm/rpvp-$1\b|rpvp-$1," >/dev/null 2>&1; then
        fail "a QEMU of run $1 is still running"
    fi
}
# start ARGS...: rpvp in the background, output in $tmp/run.out / run.err; sets $pid.
start() {
    "$rpvp" "$@" --log="$tmp/console.log" >"$tmp/run.out" 2>"$tmp/run.err" &
    pid=$!; pids="$pids $pid"
}
finish() { wait "$pid"; rc=$?; }

case $case in
empty_cache)
    # No QEMU, no guest image: say so at once, with the command that builds them.
    t0=$(date +%s)
    RPVP_CACHE_DIR=$tmp/empty-cache timeout 60 "$rpvp" --count=10 >"$tmp/run.out" 2>"$tmp/run.err"
    rc=$?; t=$(( $(date +%s) - t0 ))
    [ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "status $rc"
    grep -q "is not built: run .*/tools/build-qemu.sh" "$tmp/run.err" || fail "no clear message"
    [ "$t" -le 20 ] || fail "took $t s (a build started?)"
    [ ! -e "$tmp/empty-cache/qemu-"* ] 2>/dev/null || fail "something was built"
    echo "ok: empty cache refused in $t s: $(head -1 "$tmp/run.err")" ;;
sigint|sigterm)
    sig=$(echo "$case" | sed 's/^sig//' | tr a-z A-Z)
    start --count=1000000 --sizes=16 --timeout=600
    wait_for "$tmp/console.log" "RPVP-INIT" 300 "$pid" || fail "the guest never came up"
    kill -"$sig" "$pid"
    finish
    want=130; [ "$sig" = TERM ] && want=143
    [ "$rc" = "$want" ] || fail "status $rc, want $want"
    grep -q "interrupted by SIG$sig" "$tmp/run.err" || fail "no 'interrupted by SIG$sig'"
    grep -q "partial report above" "$tmp/run.err" || fail "no partial report"
    no_leftovers "$pid"
    echo "ok: SIG$sig: status $rc, $(grep -o 'interrupted by[^:]*' "$tmp/run.err")" ;;
qemu_killed)
    start --count=1000000 --sizes=16 --timeout=600
    wait_for "$tmp/console.log" "RPVP-INIT" 300 "$pid" || fail "the guest never came up"
    qemu=$(pgrep -P "$pid" | head -1)
    [ -n "$qemu" ] || fail "no QEMU child of $pid"
    kill -9 "$qemu"
    finish
    [ "$rc" = 1 ] || fail "status $rc"
    grep -q "QEMU was killed by signal 9" "$tmp/run.err" || fail "reason not given"
    no_leftovers "$pid"
    echo "ok: QEMU killed: status $rc, $(grep -o 'QEMU was killed[^)]*)' "$tmp/run.err" | head -1)" ;;
two_runs)
    # Two runs at once: each its own DDR file, console log and report.
    "$rpvp" --count=200 --sizes=16 --timeout=600 --log="$tmp/a.log" >"$tmp/a.out" 2>&1 &
    a=$!; pids="$pids $a"
    "$rpvp" --count=200 --sizes=496 --timeout=600 --log="$tmp/b.log" >"$tmp/b.out" 2>&1 &
    b=$!; pids="$pids $b"
    wait "$a"; ra=$?; wait "$b"; rb=$?
    [ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "statuses $ra $rb"
    grep -q "RPVP-ECHO sent=200 ok=200 bad=0" "$tmp/a.out" || fail "run a"
    grep -q "RPVP-ECHO sent=200 ok=200 bad=0" "$tmp/b.out" || fail "run b"
    grep -q "console log: $tmp/a.log" "$tmp/a.out" && grep -q "console log: $tmp/b.log" "$tmp/b.out" ||
        fail "the runs did not keep their own console logs"
    no_leftovers "$a"; no_leftovers "$b"
    echo "ok: two runs at once both passed" ;;
shm_full)
    # No room for the 256 MiB DDR file: a file-size limit makes posix_fallocate fail as a
    # full /dev/shm does (filling the real, shared /dev/shm is not an option).
    ( trap '' XFSZ; ulimit -f 1024; exec "$rpvp" --count=10 --log="$tmp/console.log" ) \
        >"$tmp/run.out" 2>"$tmp/run.err" &
    pid=$!; pids="$pids $pid"
    finish
    [ "$rc" = 1 ] || fail "status $rc"
    grep -q "rpvp: .*rpvp-$pid" "$tmp/run.err" || fail "message does not name the DDR file"
    no_leftovers "$pid"
    echo "ok: no room for the DDR file: $(head -1 "$tmp/run.err")" ;;
*) echo "unknown case $case"; exit 2 ;;
esac
