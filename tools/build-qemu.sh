#!/bin/sh
# Build Debian's QEMU (arm-softmmu only, minimal devices) with rpvp's bridge device added.
#
#   tools/build-qemu.sh            build if needed; last stdout line = path of qemu-system-arm
#   tools/build-qemu.sh --print    only print that path (exit 1 if it is not built yet)
#
# Source: `apt-get source qemu` (Debian's package, its patches applied), unpacked once per
# package version in $RPVP_CACHE_DIR/qemu-<ver>-src and built there (a change to rpvp's
# device rebuilds incrementally, in seconds). Each result is kept in
# $RPVP_CACHE_DIR/qemu-<ver>-<hash>/ where <hash> covers rpvp's QEMU-side files
# (bridge/qemu/*, include/rpvp/plugin.h) and this script's build options; a second run
# with the same inputs does nothing. Progress goes to stderr.
# Needs the packages of tools/deps/qemu.txt and the deb-src stanza of tools/deps/qemu.hook.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cache=${RPVP_CACHE_DIR:-$HOME/.cache/rpvp}
jobs=${RPVP_JOBS:-2}
# Debian's QEMU build must not pick up a python3 from pyenv or similar.
PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH
export PATH

say() { echo "build-qemu: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# Options that change the build output; part of the cache key.
CONFIGURE_OPTS="--target-list=arm-softmmu --without-default-devices --with-devices-arm=rpvp
 --disable-docs --disable-tools --disable-user --disable-guest-agent --disable-werror
 --disable-gtk --disable-sdl --disable-vnc --disable-opengl --disable-spice --disable-slirp
 --disable-curl --disable-libusb --disable-usb-redir --disable-xkbcommon --disable-capstone
 --disable-png --disable-vde --disable-virglrenderer --disable-gnutls --disable-nettle
 --disable-gcrypt --disable-seccomp --disable-linux-aio --disable-linux-io-uring
 --disable-libiscsi --disable-libnfs --disable-rbd --disable-glusterfs --disable-smartcard
 --disable-brlapi --disable-curses --disable-sndio --disable-alsa --disable-pa --disable-jack
 --disable-oss --disable-fuse --disable-bpf --disable-zstd --disable-lzo --disable-snappy
 --disable-bzip2 --disable-libssh --disable-numa --disable-rdma --disable-tpm --disable-vhost-user
 --disable-vhost-net --disable-vhost-kernel --disable-vhost-crypto --disable-vhost-vdpa"
DEVICES="CONFIG_ARM_VIRT=y
CONFIG_ARM_V7M=y
CONFIG_SEMIHOSTING=y
CONFIG_ARM_COMPATIBLE_SEMIHOSTING=y
CONFIG_RPVP_BRIDGE=y"

command -v apt-cache >/dev/null || die "apt-cache not found (Debian needed)"
ver=$(apt-cache showsrc qemu 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -1)
[ -n "$ver" ] || die "no deb-src entry for qemu: run tools/setup.sh (tools/deps/qemu.hook adds it)"
verdir=$(echo "$ver" | tr ':+~' '___')
hash=$( (cat "$root"/bridge/qemu/rpvp-bridge.c "$root"/include/rpvp/plugin.h
         echo "$CONFIGURE_OPTS"; echo "$DEVICES") | sha256sum | cut -c1-16)
out=$cache/qemu-$verdir-$hash
bin=$out/bin/qemu-system-arm

if [ "${1:-}" = "--print" ]; then
    [ -x "$bin" ] || die "not built yet: $bin (run tools/build-qemu.sh)"
    echo "$bin"; exit 0
fi
if [ -x "$bin" ] && [ -e "$out/.done" ]; then
    say "cached: $bin"
    echo "$bin"; exit 0
fi

mkdir -p "$cache"
# One build at a time per cache (CTest fixtures and users may start it together).
exec 9>"$cache/.qemu-build.lock"
say "waiting for the build lock $cache/.qemu-build.lock" 
flock 9
if [ -x "$bin" ] && [ -e "$out/.done" ]; then
    say "cached (built meanwhile): $bin"; echo "$bin"; exit 0
fi

srcroot=$cache/qemu-$verdir-src
if [ ! -e "$srcroot/.unpacked" ]; then
    say "fetching Debian's qemu source $ver (about 23 MB, unpacks to about 300 MB)"
    rm -rf "$srcroot"; mkdir -p "$srcroot"
    (cd "$srcroot" && apt-get source -q --only-source "qemu=$ver" >&2) \
        || die "apt-get source qemu=$ver failed"
    touch "$srcroot/.unpacked"
fi
src=$(find "$srcroot" -mindepth 1 -maxdepth 1 -type d -name 'qemu-*' | head -1)
[ -n "$src" ] && [ -e "$src/configure" ] || die "unpacked source not found in $srcroot"

# --- add rpvp's device: copy only what changed (keeps mtimes: incremental ninja) ---
put() { # put <from> <to>
    if ! cmp -s "$1" "$2"; then cp "$1" "$2"; say "updated $(basename "$2")"; fi
}
put "$root/bridge/qemu/rpvp-bridge.c" "$src/hw/misc/rpvp-bridge.c"
put "$root/include/rpvp/plugin.h" "$src/hw/misc/rpvp-plugin.h"
grep -q RPVP_BRIDGE "$src/hw/misc/Kconfig" ||
    printf '\nconfig RPVP_BRIDGE\n    bool\n' >>"$src/hw/misc/Kconfig"
grep -q rpvp-bridge "$src/hw/misc/meson.build" ||
    printf "\nsoftmmu_ss.add(when: 'CONFIG_RPVP_BRIDGE', if_true: files('rpvp-bridge.c'))\n" \
        >>"$src/hw/misc/meson.build"
devfile=$src/configs/devices/arm-softmmu/rpvp.mak
printf '# rpvp: the fewest devices that still run virt, plus the bridge\n%s\n' "$DEVICES" >"$devfile.new"
if cmp -s "$devfile.new" "$devfile"; then rm "$devfile.new"; else mv "$devfile.new" "$devfile"; fi

build=$src/build-rpvp
optstamp=$build/.rpvp-configure-opts
if [ ! -e "$build/build.ninja" ] || [ "$(cat "$optstamp" 2>/dev/null)" != "$CONFIGURE_OPTS" ]; then
    say "configuring (arm-softmmu, minimal devices)"
    rm -rf "$build"; mkdir -p "$build"
    # shellcheck disable=SC2086
    (cd "$build" && ../configure $CONFIGURE_OPTS >configure.log 2>&1) || {
        tail -30 "$build/configure.log" >&2; die "configure failed (log: $build/configure.log)"; }
    echo "$CONFIGURE_OPTS" >"$optstamp"
fi
say "building qemu-system-arm with ninja -j$jobs (first time: several minutes on 2 cores)"
start=$(date +%s)
(cd "$build" && ninja -j"$jobs" qemu-system-arm >ninja.log 2>&1) || {
    grep -E 'error|Error' "$build/ninja.log" | head -20 >&2; tail -20 "$build/ninja.log" >&2
    die "ninja failed (log: $build/ninja.log)"; }
say "built in $(( $(date +%s) - start )) s"
"$build/qemu-system-arm" -device help 2>/dev/null | grep -q '"rpvp-bridge"' ||
    die "built QEMU has no rpvp-bridge device"

mkdir -p "$out/bin"
cp "$build/qemu-system-arm" "$bin.tmp" && mv "$bin.tmp" "$bin"
echo "$ver" >"$out/version"
touch "$out/.done"
say "ready: $bin"
echo "$bin"
