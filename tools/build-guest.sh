#!/bin/sh
# Build rpvp's Linux guest from Debian binaries: kernel, initramfs, device tree.
#
#   tools/build-guest.sh           build if needed; last stdout line = the guest directory
#   tools/build-guest.sh --print   only print that directory (exit 1 if not built yet)
#
# The guest directory holds: vmlinuz (Debian's linux-image-*-armmp, armhf, unmodified),
# initrd.cpio.gz (busybox-static:armhf, the kernel's rpmsg/virtio modules resolved from
# modules.dep, rpvp's /init and rpvp-linux-bench), virt.dtb and virt.dts (QEMU virt's
# own, dumpdtb, with fixed seeds), qemu-args (the -M/-cpu/-m options the dtb was dumped
# with) and versions. rpvp's own nodes (blocks, interrupts, reserved memory, the remote)
# are not here: rpvp generates them per run from its platform description
# (platforms/omap4-amp/platform_desc.c) and compiles them onto virt.dts, so this image
# does not depend on the scenario.
# Cached in $RPVP_CACHE_DIR/guest-<hash>/, <hash> over every input (package versions,
# rpvp's files, the QEMU binary path which carries its own hash, the parameters).
# Parameter (environment): RPVP_GUEST_MEM (256M).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cache=${RPVP_CACHE_DIR:-$HOME/.cache/rpvp}
PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH
export PATH
mem=${RPVP_GUEST_MEM:-256M}
# stm32_rproc: the remoteproc route (Linux's remoteproc core, omap-mailbox and
# reset-simple are built into Debian's armmp kernel).
MODULES="virtio_mmio rpmsg_core rpmsg_ns virtio_rpmsg_bus rpmsg_char rpmsg_ctrl stm32_rproc"
QEMU_MACHINE="-M virt -cpu cortex-a15 -m $mem -smp 1"

say() { echo "build-guest: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# --print only looks: it never builds (not even QEMU) nor writes into the cache.
print=; [ "${1:-}" = "--print" ] && print=1
dpkg --print-foreign-architectures | grep -qx armhf ||
    die "dpkg architecture armhf missing: run tools/setup.sh (tools/deps/qemu.hook)"
if ! qemu=$("$here/build-qemu.sh" --print 2>/dev/null); then
    # Looked up first (apt-cache below takes seconds): the image's key names the QEMU
    # binary, so without one there is no image to look up.
    [ -z "$print" ] || die "QEMU with rpvp's bridge is not built, so neither is the guest: run tools/build-qemu.sh, then tools/build-guest.sh (tools/run.sh runs both)"
    qemu=$("$here/build-qemu.sh" | tail -1)
fi
# apt-cache takes seconds: remember its answers until apt's package cache changes.
[ -n "$print" ] || mkdir -p "$cache"
aptstamp=$(stat -c %Y /var/cache/apt/pkgcache.bin /var/lib/apt/lists 2>/dev/null | tr '\n' .)
resolved=$cache/.guest-apt-resolved
if [ -n "$aptstamp" ] && [ "$(sed -n 1p "$resolved" 2>/dev/null)" = "$aptstamp" ]; then
    read -r kpkg kver bver <<EOF_R
$(sed -n 2p "$resolved")
EOF_R
else
    kpkg=$(apt-cache depends linux-image-armmp:armhf 2>/dev/null |
           sed -n 's/^ *Depends: \(linux-image-[0-9].*-armmp\)\(:armhf\)\{0,1\}$/\1/p' | head -1)
    if [ -n "$kpkg" ]; then
        kver=$(apt-cache policy "$kpkg:armhf" | sed -n 's/^ *Candidate: //p')
        bver=$(apt-cache policy busybox-static:armhf | sed -n 's/^ *Candidate: //p')
    fi
    if { [ -z "$kpkg" ] || [ -z "${kver:-}" ] || [ -z "${bver:-}" ]; } && [ -s "$resolved" ]; then
        # apt's lists are being rewritten (an apt-get update running): keep the last answer.
        say "apt-cache gave no answer now; using the last resolved versions"
        read -r kpkg kver bver <<EOF_R
$(sed -n 2p "$resolved")
EOF_R
        aptstamp=""
    fi
    [ -n "$kpkg" ] || die "cannot resolve linux-image-armmp:armhf (apt-get update after adding armhf?)"
    # Written aside and renamed: parallel callers (CTest) must never read half a file.
    if [ -n "$kver" ] && [ -n "$bver" ] && [ -z "$print" ]; then
        printf '%s\n%s %s %s\n' "$aptstamp" "$kpkg" "$kver" "$bver" >"$resolved.$$"
        mv -f "$resolved.$$" "$resolved"
    fi
fi
hash=$( (echo "$kpkg $kver $bver $qemu $QEMU_MACHINE"
         echo "$MODULES"; cat "$0" "$root"/firmware/linux/init.sh "$root"/firmware/linux/*.c \
             "$root"/firmware/apps/ctrl_proto.h) |
       sha256sum | cut -c1-16)
out=$cache/guest-$hash

if [ -n "$print" ]; then
    [ -e "$out/.done" ] || die "not built yet: $out (run tools/build-guest.sh)"
    echo "$out"; exit 0
fi
if [ -e "$out/.done" ]; then
    say "cached: $out"; echo "$out"; exit 0
fi
mkdir -p "$cache"
exec 9>"$cache/.guest-build.lock"
flock 9
[ -e "$out/.done" ] && { say "cached (built meanwhile): $out"; echo "$out"; exit 0; }

work=$out.tmp
rm -rf "$work"; mkdir -p "$work/dl" "$work/kernel" "$work/busybox" "$work/root"

start=$(date +%s)
say "downloading $kpkg:armhf $kver and busybox-static:armhf $bver"
dl=$cache/debs
mkdir -p "$dl"
for p in "$kpkg:armhf=$kver" "busybox-static:armhf=$bver"; do
    name=${p%%:*}
    if ! ls "$dl/${name}_"*"_armhf.deb" >/dev/null 2>&1 ||
       ! ls "$dl/${name}_$(echo "${p#*=}" | sed 's/^[0-9]*://')_armhf.deb" >/dev/null 2>&1; then
        (cd "$dl" && apt-get download -q "$p" >&2) || die "apt-get download $p failed"
    fi
done
dpkg-deb -x "$(ls "$dl/${kpkg}_"*"_armhf.deb" | sort -V | tail -1)" "$work/kernel"
dpkg-deb -x "$(ls "$dl/busybox-static_"*"_armhf.deb" | sort -V | tail -1)" "$work/busybox"
krel=$(ls "$work/kernel/lib/modules" | head -1)
kmods=$work/kernel/lib/modules/$krel
cp "$work/kernel/boot/vmlinuz-$krel" "$out.vmlinuz.tmp"

# --- modules: the closure of $MODULES over modules.dep, decompressed, depmod'ed ---
say "resolving modules from modules.dep ($krel)"
# The package ships no modules.dep (its postinst makes it): generate it in the tree.
depmod -b "$work/kernel" "$krel" || die "depmod -b on the kernel package failed"
need=""
for m in $MODULES; do
    line=$(grep -E "(^|/)$m\.ko(\.xz|\.zst|\.gz)?:" "$kmods/modules.dep" | head -1)
    [ -n "$line" ] || die "module $m not in modules.dep"
    # depmod lists the whole (transitive) dependency list on a module's line.
    need="$need ${line%%:*} ${line#*:}"
done
r=$work/root
mkdir -p "$r/lib/modules/$krel" "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/proc" \
         "$r/sys" "$r/dev" "$r/tmp" "$r/etc"
for path in $(echo "$need" | tr ' ' '\n' | sort -u); do
    dst=$r/lib/modules/$krel/$path
    mkdir -p "$(dirname "$dst")"
    case "$path" in
    *.ko.xz) xz -dc "$kmods/$path" >"${dst%.xz}" ;;
    *.ko.zst) zstd -qdc "$kmods/$path" >"${dst%.zst}" ;;
    *.ko.gz) gzip -dc "$kmods/$path" >"${dst%.gz}" ;;
    *) cp "$kmods/$path" "$dst" ;;
    esac
    say "  module $(basename "$path")"
done
cp "$kmods/modules.order" "$kmods/modules.builtin" "$r/lib/modules/$krel/" 2>/dev/null || true
[ -e "$kmods/modules.builtin.modinfo" ] && cp "$kmods/modules.builtin.modinfo" "$r/lib/modules/$krel/"
depmod -b "$r" "$krel" || die "depmod -b failed"

# --- user space ---
cp "$work/busybox/bin/busybox" "$r/bin/busybox"
cp "$root/firmware/linux/init.sh" "$r/init"
chmod 755 "$r/init" "$r/bin/busybox"
say "building firmware/linux/rpvp-linux-bench (static armhf)"
arm-linux-gnueabihf-gcc -static -O2 -Wall -Wextra -I "$root/firmware/apps" -o "$r/bin/rpvp-linux-bench" \
    "$root/firmware/linux/rpvp-linux-bench.c" || die "cross build of rpvp-linux-bench failed"
# Same inputs, same bytes: file times would otherwise change the image (and the guest's
# boot timing) from one build to the next.
find "$r" -exec touch -h -d @0 {} +
(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible 2>/dev/null |
    gzip -9n >"$out.initrd.tmp") || die "initramfs packing failed"

# --- device tree: QEMU virt's own (rpvp adds its nodes per run) ---
say "dumping QEMU virt's device tree ($QEMU_MACHINE)"
# shellcheck disable=SC2086
"$qemu" $QEMU_MACHINE -nographic -nic none -machine dumpdtb="$work/virt.dtb" >/dev/null 2>&1 ||
    [ -s "$work/virt.dtb" ] || die "qemu dumpdtb failed"
# dumpdtb writes QEMU's whole 1 MiB fdt buffer; a kernel given that with -dtb does not
# boot: re-pack it with dtc.
dtc -q -I dtb -O dts -o "$work/virt.dts" "$work/virt.dtb"
# QEMU puts fresh random rng-seed/kaslr-seed values into every dump: the guest's boot
# (and so every simulated time) would differ between two builds of the same inputs.
# The device tree keeps fixed ones, so the same inputs give the same simulated times.
sed -i -e 's/^\([[:space:]]*\)rng-seed = <.*>;/\1rng-seed = <0x52505650 0x2d726e67 0x2d736565 0x64000001 0x1 0x2 0x3 0x4>;/' \
       -e 's/^\([[:space:]]*\)kaslr-seed = <.*>;/\1kaslr-seed = <0x0 0x0>;/' "$work/virt.dts"
dtc -q -I dts -O dtb -o "$work/virt.dtb" "$work/virt.dts"

mkdir -p "$out"
mv "$out.vmlinuz.tmp" "$out/vmlinuz"; mv "$out.initrd.tmp" "$out/initrd.cpio.gz"
cp "$work/virt.dtb" "$work/virt.dts" "$out/"
echo "$QEMU_MACHINE" >"$out/qemu-args"
printf 'kernel %s %s %s\nbusybox-static %s\nqemu %s\n' "$kpkg" "$kver" "$krel" "$bver" "$qemu" \
    >"$out/versions"
rm -rf "$work"
touch "$out/.done"
say "ready in $(( $(date +%s) - start )) s: $out"
echo "$out"
