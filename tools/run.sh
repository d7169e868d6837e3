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
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j "$jobs"
sh tools/build-qemu.sh
sh tools/build-guest.sh
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
exec "$build/bin/rpvp" "$@"
