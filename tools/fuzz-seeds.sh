#!/bin/sh
# Regenerate the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/; docs/hardening.md,
# "Seeds"). usage: tools/fuzz-seeds.sh [BUILD_DIR]   (default build; a built tree)
#  1. records real runs: rpvp-synthetic --trace-devices (virtio-mmio versions 2 and 1, a
#     few echoes of 16 and 496 bytes) logs every mailbox and virtio-mmio register access;
#     tests/fuzz/record_seeds.py turns each log into mailbox and virtio inputs
#     (recorded_v2*, recorded_v1*), with the ring indices the device sampled;
#  2. rpvp's option layer: the effective configuration of a real run (--dump-config), the
#     repository's scenario files and the command lines the tests and docs use (run_config);
#  3. tests/fuzz/make_seeds.py: the shipped firmware ELF and the RTOS test image
#     (fw_loader), the real firmware's .text (cm3_diff), the drivers' sequences written
#     by hand (mailbox, virtio, rpmsg), the config strings rpvp passes (plugin_config).
# Review `git status tests/fuzz/corpus` and commit what changed.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
synth=$build/bin/rpvp-synthetic
[ -x "$synth" ] || { echo "tools/fuzz-seeds.sh: $synth is not built (cmake --build $build)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for v in 2 1; do
    (cd "$tmp" && "$OLDPWD/$synth" --trace-devices --virtio-version=$v --count=2 --sizes=16,496 \
        --quiet --out="$tmp/out" >"$tmp/run$v.out" 2>"$tmp/run$v.err") ||
        { echo "tools/fuzz-seeds.sh: the recorded run (virtio-mmio v$v) failed:" >&2; tail "$tmp/run$v.err" >&2; exit 1; }
    python3 tests/fuzz/record_seeds.py "v$v" <"$tmp/run$v.err"
done
rc=tests/fuzz/corpus/run_config
mkdir -p "$rc"
{ printf '\001'; "$synth" --dump-config; } >"$rc/dump_config_synthetic"
for f in scenarios/*.yaml tests/scenarios/*.yaml; do
    { printf '\001'; cat "$f"; } >"$rc/scenario_$(basename "$f" .yaml)"
done
# Command lines: form 2 (NUL-separated); bit 2 of the first byte: rpvp-synthetic.
printf '\002--count=1000\000--sizes=16,496\000--quantum-ns=1us\000--timeout=15m' >"$rc/argv_rpvp_echo"
printf '\002--linux-route=remoteproc\000--remote-running\000--restarts=2\000--mailbox=both' >"$rc/argv_rpvp_remoteproc"
printf '\006--count=100\000--sizes=random\000--seed=7\000--m3-clock-hz=100MHz\000--crash=fault\000--json=r.json' >"$rc/argv_synthetic"
printf '\000count=4294967297\nsizes=16 rpvp.hang=1\nquantum-ns=1e3\ntimeout=abc\nm3-clock-hz=1\nsizes=0' >"$rc/setters_probed_defects"
python3 tests/fuzz/make_seeds.py "$build"
