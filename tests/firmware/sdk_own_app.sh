#!/bin/sh
# The firmware SDK on its own, as docs/firmware.md tells a user: copy the template app,
# rename its endpoint, build it with `cmake -S firmware -B DIR -DRPVP_FW_APP_SOURCES=...`
# (a separate CMake build of the firmware folder), then run the image on the synthetic host
# naming that channel: rpvp waits for what this firmware announces and runs the echo
# phases against it.
#   sdk_own_app.sh SOURCE_DIR RPVP_SYNTHETIC WORKDIR
set -u
src=$1 syn=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"; mkdir -p "$work"
sed 's/#define TEMPLATE_EPT "rpvp-template"/#define TEMPLATE_EPT "test-own-echo"/' \
    "$src/firmware/apps/template/template.c" >"$work/own_app.c"
grep -q '"test-own-echo"' "$work/own_app.c" || fail "template endpoint not renamed"
cmake -S "$src/firmware" -B "$work/build" -DRPVP_FW_APP_SOURCES="$work/own_app.c" \
    -DRPVP_FW_APP_NAME=own-fw >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure"; }
cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }
elf=$work/build/image/own-fw.elf
[ -f "$elf" ] && [ -f "$work/build/image/rpvp-m3-template.elf" ] || fail "no images"
"$syn" --firmware="$elf" --channel=test-own-echo --count=50 --sizes=1,496 >"$work/run.out" 2>&1
rc=$?
cat "$work/run.out"
[ "$rc" = 0 ] || fail "rpvp-synthetic exited $rc"
# rpvp's default channel is not this firmware's: a clear error, not a hang.
"$syn" --firmware="$elf" --count=5 >"$work/wrong.out" 2>&1 && fail "the wrong channel passed"
grep -q "channel rpmsg-raw was not announced within 1 s simulated (of rpvp's channels the firmware announced: none); name the one your firmware announces with --channel=NAME" \
    "$work/wrong.out" || { cat "$work/wrong.out"; fail "no clear error for the wrong channel"; }
echo "own firmware built with the SDK runs on the synthetic host"
