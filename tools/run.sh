#!/bin/sh
# The README's main command: install what is missing, build, run the default scenario and
# print its report. Usage: tools/run.sh [scenario arguments]
set -eu
cd "$(dirname "$0")/.."
sh tools/setup.sh
build=${RPVP_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j "${RPVP_JOBS:-$(nproc)}"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
# Until the full platform lands, the most complete scenario: a C initiator streaming reads
# and writes through the interconnect into the shared DDR, by b_transport and by DMI.
exec "$build/bench/bridge/rpvp-traffic" "$@"
