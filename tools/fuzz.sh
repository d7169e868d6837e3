#!/bin/sh
# Fuzz campaigns with libFuzzer (docs/hardening.md). usage: tools/fuzz.sh [TARGET] [SECONDS]
#   TARGET   mailbox | virtio | fw_loader | rpmsg | plugin_config | run_config | cm3_diff |
#            all (default)
#   SECONDS  per target (default 600)
# Builds the target with clang, -fsanitize=fuzzer,address,undefined in build-fuzz/ (or
# $RPVP_FUZZ_BUILD_DIR), runs it at nice 10 on a working corpus build-fuzz/corpus/TARGET
# seeded from tests/fuzz/corpus/TARGET and tests/fuzz/regressions/TARGET, and prints
# executions, coverage and corpus size. A finding is saved in build-fuzz/artifacts/TARGET/
# and ends the script with status 1: commit it to tests/fuzz/regressions/TARGET/ with the fix.
#   RPVP_FUZZ_JOBS  build jobs (default 2)   RPVP_FUZZ_ARGS  extra libFuzzer flags
set -eu
cd "$(dirname "$0")/.."
all="mailbox virtio fw_loader rpmsg plugin_config run_config cm3_diff"
target=${1:-all}
secs=${2:-600}
[ "$target" = all ] && targets=$all || targets=$target
for t in $targets; do
    case " $all " in *" $t "*) ;; *) echo "tools/fuzz.sh: unknown target '$t' (one of: $all)" >&2; exit 2 ;; esac
done
case $secs in ''|*[!0-9]*) echo "tools/fuzz.sh: SECONDS must be a whole number, not '$secs'" >&2; exit 2 ;; esac
build=${RPVP_FUZZ_BUILD_DIR:-build-fuzz}
if ! command -v clang >/dev/null 2>&1; then
    echo "tools/fuzz.sh: clang is missing (sh tools/setup.sh installs tools/deps/fuzz.txt)" >&2
    exit 2
fi
launcher=
command -v ccache >/dev/null 2>&1 && launcher="-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
if [ ! -f "$build/CMakeCache.txt" ]; then
    # shellcheck disable=SC2086
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ $launcher \
        -DRPVP_SANITIZE=ON -DRPVP_FUZZ=ON -DRPVP_SYSTEM_TESTS=OFF >"$build.configure.log" 2>&1 ||
        { cat "$build.configure.log" >&2; exit 2; }
fi
status=0
for t in $targets; do
    cmake --build "$build" -j "${RPVP_FUZZ_JOBS:-2}" --target "fuzz_$t" >/dev/null ||
        { echo "tools/fuzz.sh: building fuzz_$t failed" >&2; exit 2; }
    work="$build/corpus/$t"; art="$build/artifacts/$t"; log="$build/fuzz-$t.log"
    mkdir -p "$work" "$art"
    maxlen=4096
    [ "$t" = fw_loader ] && maxlen=16384 # the shipped firmware ELF is ~13 KiB stripped
    dict=
    [ -f "tests/fuzz/dict/$t.dict" ] && dict="-dict=tests/fuzz/dict/$t.dict"
    echo "fuzzing $t for $secs s (log: $log)"
    # shellcheck disable=SC2086
    if nice -n 10 "$build/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$maxlen" -print_final_stats=1 -artifact_prefix="$art/" $dict ${RPVP_FUZZ_ARGS:-} \
        "$work" "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t" >"$log" 2>&1; then
        result="no finding"
    else
        result="FINDING (see $log and $art/)"; status=1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    files=$(find "$work" -type f | wc -l)
    bytes=$(du -sk "$work" | cut -f1)
    echo "  $t: ${execs:-?} executions in $secs s, $cov, corpus $files inputs ($bytes KiB): $result"
done
exit $status
