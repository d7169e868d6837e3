#!/bin/sh
# The README's test command: install what is missing, build everything, run the whole
# suite with CTest (ends with CTest's summary). Usage: tools/test.sh [extra cmake args]
#   RPVP_BUILD_DIR  build folder (default: build)      RPVP_JOBS  parallel jobs (default: nproc)
#   RPVP_SANITIZE=1 build and test with ASan+UBSan in build-asan
#   RPVP_SANITIZER_SUITE=0  skip the sanitizer stage (below; on by default)
# The sanitizer stage: before the suite, a second build tree (build-asan-units, or
# $RPVP_ASAN_BUILD_DIR) builds everything with AddressSanitizer+UBSan and runs the unit
# and component tests there, fuzz smoke runs and regression inputs included (no Linux
# system tests: those run in the main suite; docs/hardening.md gives its cost); a finding
# stops the script with that tree's CTest summary. Then the whole suite runs in the main
# tree (summary last).
set -eu
cd "$(dirname "$0")/.."
sh tools/setup.sh
jobs=${RPVP_JOBS:-$(nproc)}
build=${RPVP_BUILD_DIR:-build}
san=OFF
if [ "${RPVP_SANITIZE:-0}" = 1 ]; then san=ON; build=${RPVP_BUILD_DIR:-build-asan}; fi
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
if [ "$san" = OFF ] && [ "${RPVP_SANITIZER_SUITE:-1}" != 0 ]; then
    asan=${RPVP_ASAN_BUILD_DIR:-build-asan-units}
    t0=$(date +%s)
    cmake -S . -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRPVP_SANITIZE=ON \
        -DRPVP_SYSTEM_TESTS=OFF "$@"
    cmake --build "$asan" -j "$jobs"
    # valgrind on top of ASan makes no sense; the main tree runs the valgrind label.
    (cd "$asan" && ctest --output-on-failure -j "$jobs" --timeout 1800 -LE "system|valgrind") || {
        echo "tools/test.sh: the ASan+UBSan unit/component suite in $asan FAILED" >&2; exit 1; }
    echo "tools/test.sh: ASan+UBSan unit/component suite passed in $(( $(date +%s) - t0 )) s ($asan)"
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRPVP_SANITIZE=$san "$@"
cmake --build "$build" -j "$jobs"
cd "$build"
exec ctest --output-on-failure -j "$jobs" --timeout 1800
