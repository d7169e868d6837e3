#!/bin/sh
# Debugging the firmware inside the co-simulation: rpvp-synthetic --m3-gdb=PORT, then
# gdb-multiarch breaks in the echo callback when the first echo message arrives (its
# length and source address visible as arguments), shows the call chain from the rpmsg
# stack, deletes the breakpoint and detaches; the run must then finish and PASS.
# usage: gdb_firmware.sh RPVP_SYNTHETIC FIRMWARE_ELF
set -u
syn=$1; fw=$2
tmp=$(mktemp -d)
trap 'kill $run 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*; do echo "--- $f"; tail -30 "$f"; done; exit 1; }

. "$(dirname "$0")/../common/gdb_listen.sh"
launch() { exec "$syn" --m3-gdb="$port" --count=20 --sizes=16 >"$tmp/run.out" 2>&1; }
start_listening "$tmp/run.out" launch || fail "rpvp-synthetic --m3-gdb did not listen"
run=$listener

timeout 120 gdb-multiarch -q -batch -nx -ex "set confirm off" -ex "set pagination off" \
    -ex "file $fw" -ex "target remote :$port" -ex "break echo_cb" -ex "continue" \
    -ex "bt 3" -ex "delete" -ex "detach" >"$tmp/gdb.out" 2>&1 || fail "gdb failed"
wait "$run"; rc=$?
grep -q "Breakpoint 1, echo_cb (.*len=16, src=[0-9]*" "$tmp/gdb.out" || fail "no stop in echo_cb"
grep -q "rpr_poll (rdev=" "$tmp/gdb.out" || fail "call chain without the rpmsg stack"
grep -q "detached" "$tmp/gdb.out" || fail "no detach"
[ "$rc" = 0 ] && grep -q "rpvp-synthetic: PASS" "$tmp/run.out" || fail "the run did not pass after detach (rc $rc)"
echo "firmware debugged in the co-simulation: break in echo_cb, backtrace, detach, PASS"
