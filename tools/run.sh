#!/bin/sh
# The README's main command: install what is missing, build rpvp, build (or reuse from
# the cache) QEMU with rpvp's bridge device and the Debian guest image, then run the
# default scenario: unmodified Linux on QEMU exchanges rpmsg messages with the firmware on
# the Cortex-M3 ISS, and rpvp prints latency, throughput and platform statistics.
# Usage: tools/run.sh [rpvp arguments, e.g. --count=1000 --sizes=16,256,496 --console]
set -eu
cd "$(dirname "$0")/.."
sh tools/setup.sh
build=${RPVP_BUILD_DIR:-build}
jobs=${RPVP_JOBS:-$(nproc)}
# Each set-up step says what it does and how long it took (ninja counts its steps).
step() { echo "run: $*" >&2; t0=$(date +%s); }
took() { echo "run: ... done in $(( $(date +%s) - t0 )) s" >&2; }
step "building rpvp in $build/ with $jobs jobs (first time: several minutes on 2 cores, ninja counts its steps; then seconds)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j "$jobs"
took
step "QEMU with rpvp's bridge device (first time: 15-30 minutes on 2 cores; then cached)"
sh tools/build-qemu.sh >/dev/null
took
step "the Linux guest image (first time: about a minute; then cached)"
sh tools/build-guest.sh >/dev/null
took
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
exec "$build/bin/rpvp" "$@"
