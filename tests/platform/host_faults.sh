#!/bin/sh
# Faults of the host side of a Linux run (issue 16; docs/hardening.md). Each case must
# end in bounded time with a clear message and a non-zero status, print what was
# measured so far, and leave no /dev/shm/rpvp-<pid> file and no QEMU child behind.
# Every wait is for a condition (a console line, a process end), never a fixed sleep.
# The remote's faults (defect 8) are here too: each is reported at once as what it is.
# usage: host_faults.sh RPVP CASE [FIRMWARE.elf]
#   CASE: empty_cache print_never_builds corrupt_qemu corrupt_kernel   (no Linux boot)
#         sigint sigterm qemu_killed two_runs shm_full                  (host side)
#         dead_remote dead_remote_rproc m3_lockup bad_kernel long_run   (FIRMWARE: the
#         shipped image, from which the bad ones are made)
set -u
rpvp=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); case=$2; fw=${3:-}
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
cd "$tmp" # rpvp writes its report folder (rpvp-out/) into the current directory
pids=""
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL ($case): $*"; for f in "$tmp"/*; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done; exit 1; }

. "$(dirname "$0")/../common/wait.sh"
# wait_for FILE REGEX SECONDS PID: until FILE has a line matching REGEX (0), PID ends or
# the time is up (1).
wait_for() { wait_until "$3" "$4" grep -Eq "$2" "$1"; }
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
# timed ARGS...: rpvp in the foreground (status $rc, wall seconds $t, its pid $pid).
timed() {
    t0=$(date +%s)
    "$rpvp" "$@" --log="$tmp/console.log" >"$tmp/run.out" 2>"$tmp/run.err" &
    pid=$!; pids="$pids $pid"
    finish; t=$(( $(date +%s) - t0 ))
}
# failed_with TEXT: the run failed and its FAILED line starts with TEXT (the reason
# first), never SystemC's E546 nor a guessed hang, and nothing is left behind.
failed_with() {
    [ "$rc" = 1 ] || fail "status $rc"
    grep -q "^rpvp: FAILED: $1" "$tmp/run.err" || fail "FAILED line does not start with '$1'"
    ! grep -q "E546\|guest hang" "$tmp/run.err" || fail "E546 or 'guest hang' in the message"
    no_leftovers "$pid"
}
# refused WHAT REASON [ARGS...]: a 10-message run with ARGS fails at once with REASON.
refused() {
    what=$1; reason=$2; shift 2
    timed --count=10 "$@"
    failed_with "$reason"
    [ "$t" -le 60 ] || fail "took $t s" # two --print look-ups: apt-cache if its lists changed
    echo "ok: $what: $(grep FAILED "$tmp/run.err")"
}
# cache_path SCRIPT: where SCRIPT --print would find its product in $RPVP_CACHE_DIR
# (from its "not built yet: PATH" answer).
cache_path() {
    sh "$src/tools/$1" --print 2>&1 | sed -n 's/.*not built yet: \([^ ]*\) .*/\1/p'
}
# fake_cache QEMU VMLINUZ: a cache folder in $tmp/cache whose QEMU binary and kernel are
# the given files (the rest of the guest image: the real one's).
fake_cache() {
    real_guest=$(sh "$src/tools/build-guest.sh" --print) || fail "no guest image to copy"
    export RPVP_CACHE_DIR=$tmp/cache
    mkdir -p "$RPVP_CACHE_DIR" # with apt's answers (else --print asks apt-cache: seconds)
    cp "$(dirname "$real_guest")/.guest-apt-resolved" "$RPVP_CACHE_DIR/" 2>/dev/null
    bin=$(cache_path build-qemu.sh); [ -n "$bin" ] || fail "no QEMU path"
    mkdir -p "$(dirname "$bin")"; cp "$1" "$bin"; chmod +x "$bin"
    guest=$(cache_path build-guest.sh); [ -n "$guest" ] || fail "no guest path"
    mkdir -p "$guest"; cp "$real_guest"/* "$guest"/; cp "$2" "$guest/vmlinuz"
    touch "$guest/.done"
}

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
print_never_builds)
    # --print only looks, even with nothing built: no build, nothing written, at once.
    for script in build-qemu.sh build-guest.sh; do
        t0=$(date +%s)
        RPVP_CACHE_DIR=$tmp/empty-cache timeout 60 sh "$src/tools/$script" --print \
            >"$tmp/run.out" 2>"$tmp/run.err"
        rc=$?; t=$(( $(date +%s) - t0 ))
        [ "$rc" = 1 ] || fail "$script --print: status $rc"
        grep -q "run tools/build-qemu.sh" "$tmp/run.err" || fail "$script: no command named"
        [ ! -e "$tmp/empty-cache" ] || fail "$script --print wrote into the cache"
        [ "$t" -le 10 ] || fail "$script --print took $t s"
    done
    echo "ok: --print builds nothing: $(cat "$tmp/run.err")" ;;
corrupt_qemu)
    # The cached QEMU binary is garbage: refused by exec, said so, nothing left.
    head -c 4096 /dev/urandom >"$tmp/garbage"
    fake_cache "$tmp/garbage" "$(sh "$src/tools/build-guest.sh" --print)/vmlinuz"
    refused "garbage QEMU binary" "QEMU failed to start: cannot execute .*qemu-system-arm" ;;
corrupt_kernel)
    # The cached kernel is cut short (a broken download): refused before QEMU starts.
    head -c 1000000 "$(sh "$src/tools/build-guest.sh" --print)/vmlinuz" >"$tmp/vmlinuz"
    fake_cache "$(sh "$src/tools/build-qemu.sh" --print)" "$tmp/vmlinuz"
    refused "truncated cached kernel" \
        "kernel .*vmlinuz is truncated: 1000000 bytes, its zImage header says" ;;
bad_kernel)
    # The user's own kernel is truncated: the same at once.
    head -c 2000000 "$(sh "$src/tools/build-guest.sh" --print)/vmlinuz" >"$tmp/vmlinuz"
    refused "truncated kernel" "kernel .*vmlinuz is truncated: 2000000 bytes" \
        --kernel="$tmp/vmlinuz" ;;
dead_remote)
    # A vdev without vrings: the firmware's rpmsg init fails and it panics (bsp_panic);
    # rpvp says so at once with the firmware's last trace lines, not a guest hang.
    python3 "$src/tests/platform/bad_images.py" no-vrings "$fw" "$tmp/no-vrings.elf" ||
        fail "cannot make the image"
    timed --count=10 --firmware="$tmp/no-vrings.elf" --timeout=600
    failed_with "the remote crashed: the firmware panicked: rpmsg init failed"
    grep -q "firmware trace (last lines):" "$tmp/run.err" || fail "no firmware trace lines"
    grep -q "     PANIC:" "$tmp/run.err" || fail "the trace lines miss the panic"
    [ "$t" -le 120 ] || fail "took $t s (not at once)"
    echo "ok: dead remote in $t s: $(grep FAILED "$tmp/run.err")" ;;
dead_remote_rproc)
    # The same image on the remoteproc route: Linux loads it and fails on it (Linux 6.1's
    # rpmsg probe oopses on a vdev without vrings and init dies), the remote panics;
    # rpvp ends at once with Linux's reason and names the remote's panic too.
    python3 "$src/tests/platform/bad_images.py" no-vrings "$fw" "$tmp/no-vrings.elf" ||
        fail "cannot make the image"
    timed --count=10 --firmware="$tmp/no-vrings.elf" --linux-route=remoteproc --timeout=600
    [ "$rc" = 1 ] || fail "status $rc"
    grep -q "^rpvp: FAILED: " "$tmp/run.err" || fail "no FAILED line"
    grep -q "^rpvp: the remote crashed too: CRASH 1 of the Cortex-M3 .*: the firmware panicked: rpmsg init failed" \
        "$tmp/run.err" || fail "the remote's panic is not named"
    ! grep -q "E546\|guest hang" "$tmp/run.err" || fail "E546 or 'guest hang' in the message"
    no_leftovers "$pid"
    [ "$t" -le 120 ] || fail "took $t s (not at once)"
    echo "ok: dead remote on the remoteproc route in $t s: $(grep 'FAILED\|crashed too' "$tmp/run.err" | tr '\n' ' ')" ;;
m3_lockup)
    # The M3 locks up (a fault at priority -1): reported as that, not as SystemC's E546.
    python3 "$src/tests/platform/bad_images.py" lockup "$fw" "$tmp/lockup.elf" ||
        fail "cannot make the image"
    timed --count=10 --firmware="$tmp/lockup.elf" --timeout=600
    failed_with "the remote crashed: the core locked up: lockup: fault with HardFault unavailable"
    grep -q "core: gdb-multiarch" "$tmp/run.err" || fail "no core file named"
    [ "$t" -le 120 ] || fail "took $t s (not at once)"
    echo "ok: M3 lock-up in $t s: $(grep FAILED "$tmp/run.err")" ;;
long_run)
    # A healthy run longer than its --timeout: the limit is named, the guest is not
    # called hung. (It runs the echo of 10^6 messages, far past 60 s.)
    timed --count=1000000 --sizes=16 --timeout=60
    [ "$rc" = 1 ] || fail "status $rc"
    grep -q "^rpvp: FAILED: timeout: the run exceeded its limit of 60 s of wall time (--timeout) while the guest was still running" \
        "$tmp/run.err" || fail "not reported as a run past its limit"
    ! grep -q "hang" "$tmp/run.err" || fail "called a hang"
    # The echo prints nothing for minutes; the plugin's progress line (every 10 s of a
    # guest that uses the platform) is its sign of life.
    ago=$(sed -n 's/.*platform access \([0-9]*\)\.[0-9] s before.*/\1/p' "$tmp/run.err")
    [ -n "$ago" ] && [ "$ago" -le 25 ] || fail "no sign of life for ${ago:-?} s"
    no_leftovers "$pid"
    echo "ok: long run: $(grep FAILED "$tmp/run.err")" ;;
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
