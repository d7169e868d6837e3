#!/bin/sh
# rpvp installed into a scratch prefix, used from outside the build tree:
#  1. an out-of-tree consumer (tests/package/example) configured with find_package(rpvp)
#     instantiates the whole platform with the installed firmware and runs an echo;
#  2. the installed programs, started from another folder, use the prefix's plugin,
#     firmware and scripts (share/rpvp/tools, with the files their cache keys hash: the
#     same QEMU and guest-image cache entries as the source tree's scripts), never the
#     build tree's: rpvp --host=synthetic runs the installed rpvp-synthetic with the
#     installed firmware to PASS, and rpvp-qemu loads the installed plugin.
#   check_package.sh BUILD_DIR EXAMPLE_SRC WORKDIR SOURCE_DIR
set -eu
build=$1 src=$2 work=$3 source=$4
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work/elsewhere"
cmake --install "$build" --prefix "$work/prefix" > "$work.install.log" 2>&1 || {
    cat "$work.install.log"; exit 1; }
p=$(cd "$work/prefix" && pwd)
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$p"
cmake --build "$work/build"
cd "$work/elsewhere"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

# 1. the consumer: the whole platform from the package, an echo to the end.
"$work/build/consumer" > consumer.log 2>&1 || { cat consumer.log; fail "the consumer failed"; }
grep "^consumer ok" consumer.log

# 2. the installed programs' defaults point into the prefix.
"$p/bin/rpvp" --dump-config > dump.yaml
grep -qx "firmware: $p/share/rpvp/firmware/rpvp-m3-fw.elf" dump.yaml || { cat dump.yaml; fail "firmware not the installed one"; }
grep -qx "plugin: $p/lib/rpvp/librpvp_plugin.so" dump.yaml || { cat dump.yaml; fail "plugin not the installed one"; }
"$p/bin/rpvp" --host=synthetic --count=20 --out=syn-out > synthetic.log 2>&1 ||
    { cat synthetic.log; fail "installed rpvp --host=synthetic failed"; }
grep -q "firmware $p/share/rpvp/firmware/rpvp-m3-fw.elf on the Cortex-M3 ISS" synthetic.log ||
    { cat synthetic.log; fail "not the installed firmware"; }
grep "rpvp-synthetic: PASS" synthetic.log
"$p/bin/rpvp-synthetic" --count=5 --out=syn-out2 > synthetic2.log 2>&1 ||
    { cat synthetic2.log; fail "installed rpvp-synthetic failed"; }
grep -q "firmware $p/share/rpvp/firmware/rpvp-m3-fw.elf on the Cortex-M3 ISS" synthetic2.log ||
    { cat synthetic2.log; fail "rpvp-synthetic: not the installed firmware"; }
b=$(cd "$build" && pwd)   # (the scratch prefix may be inside it: its own folders only)
! grep -l -e "$b/bin/" -e "$b/lib/" -e "$b/firmware/" -e "$source/tools/" dump.yaml \
    synthetic.log synthetic2.log || fail "a build-tree path in the installed programs' output"
touch initrd.cpio.gz virt.dtb; head -c 64 /bin/true >vmlinuz   # an ELF header: a kernel to its check
"$p/bin/rpvp-qemu" --qemu=/bin/true --guest=. --print-cmd > qemu-cmd.txt 2>&1 ||
    { cat qemu-cmd.txt; fail "installed rpvp-qemu --print-cmd failed"; }
grep -q "$p/lib/rpvp/librpvp_plugin.so" qemu-cmd.txt || { cat qemu-cmd.txt; fail "rpvp-qemu: not the installed plugin"; }
# The installed scripts name the same cache entries as the source tree's (built or not).
a=$(sh "$source/tools/build-qemu.sh" --print 2>&1 || true)
b=$(sh "$p/share/rpvp/tools/build-qemu.sh" --print 2>&1 || true)
[ -n "$a" ] && [ "$a" = "$b" ] || fail "installed build-qemu.sh: '$b', source tree's: '$a'"
if sh "$source/tools/build-qemu.sh" --print >/dev/null 2>&1; then
    a=$(sh "$source/tools/build-guest.sh" --print 2>&1 || true)
    b=$(sh "$p/share/rpvp/tools/build-guest.sh" --print 2>&1 || true)
    [ "$a" = "$b" ] || fail "installed build-guest.sh: '$b', source tree's: '$a'"
fi
ls "$p/share/rpvp/scenarios/default-echo.yaml" >/dev/null
echo "installed programs use $p (plugin, firmware, scripts: same cache entries)"
echo "package ok"
