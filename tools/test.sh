#!/bin/sh
# The README's test command: install what is missing, build everything, run the whole
# suite with CTest (ends with CTest's summary). Usage: tools/test.sh [extra cmake args]
#   RPVP_BUILD_DIR  build folder (default: build)      RPVP_JOBS  parallel jobs (default: nproc)
#   RPVP_SANITIZE=1 build and test with ASan+UBSan in build-asan
set -eu
cd "$(dirname "$0")/.."
sh tools/setup.sh
jobs=${RPVP_JOBS:-$(nproc)}
build=${RPVP_BUILD_DIR:-build}
san=OFF
if [ "${RPVP_SANITIZE:-0}" = 1 ]; then san=ON; build=${RPVP_BUILD_DIR:-build-asan}; fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRPVP_SANITIZE=$san "$@"
cmake --build "$build" -j "$jobs"
cd "$build"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
exec ctest --output-on-failure -j "$jobs" --timeout 1800
