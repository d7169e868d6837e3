#!/bin/sh
# A remote that is dead or never answers, on the synthetic host (issue 16): the run ends
# in bounded simulated and wall time with status 1 and says what the remote did.
#   dead_remote    the vdev has no vrings: the firmware's rpmsg init fails and it panics
#                  (bsp_panic); reported at once as a crash of the remote, with the
#                  firmware's last trace lines, counted, and its core in bsp_panic
#   never_answers  the echo phase talks to rpvp-slow, which takes messages and answers
#                  none: each run of the phase ends at its 1 s simulated limit per message
# usage: remote_faults.sh RPVP_SYNTHETIC FIRMWARE_ELF CASE
set -u
syn=$1; fw=$2; case=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL ($case): $*"; tail -40 "$tmp/run.out"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)

case $case in
dead_remote)
    python3 "$here/../platform/bad_images.py" no-vrings "$fw" "$tmp/no-vrings.elf" ||
        fail "cannot make the image"
    "$syn" --firmware="$tmp/no-vrings.elf" --count=10 --sizes=16 --m3-core="$tmp/m3.core" \
        --out="$tmp/out" >"$tmp/run.out" 2>&1
    rc=$?
    [ "$rc" -eq 1 ] || fail "status $rc, want 1"
    grep -q "the remote crashed: the firmware panicked: rpmsg init failed" "$tmp/run.out" ||
        fail "not reported as the firmware's panic"
    grep -q "firmware trace (last lines):" "$tmp/run.out" || fail "no trace lines"
    grep -q "crashes: 1 (.*firmware panics 1)" "$tmp/run.out" || fail "not counted"
    if grep -q "was not announced" "$tmp/run.out"; then fail "reported as a missing channel"; fi
    timeout 120 gdb-multiarch -q -batch -nx -ex "bt" "$fw" "$tmp/m3.core" >"$tmp/gdb.out" 2>&1 ||
        fail "gdb-multiarch failed on the core"
    grep -Eq "^#[0-9]+ .*bsp_panic" "$tmp/gdb.out" || { cat "$tmp/gdb.out"; fail "no bsp_panic in the backtrace"; }
    echo "dead remote: $(grep -m1 'the remote crashed' "$tmp/run.out" | sed 's/^ *//'): PASS" ;;
never_answers)
    "$syn" --channel=rpvp-slow --count=5 --sizes=16 --out="$tmp/out" >"$tmp/run.out" 2>&1
    rc=$?
    [ "$rc" -eq 1 ] || fail "status $rc, want 1"
    grep -q "message 0 (16 bytes) lost: no echo within 1 s simulated" "$tmp/run.out" ||
        fail "the lost message is not reported"
    echo "remote never answers: $(grep -m1 'lost: no echo' "$tmp/run.out" | sed 's/^ *//'): PASS" ;;
*) echo "unknown case $case"; exit 2 ;;
esac
