#!/bin/sh
# A kernel module of Debian's kernel package that rpvp's image does not carry, added with
# --guest-overlay and loaded by --guest-run: lsmod in the guest lists it.
#   guest_module.sh RPVP WORKDIR   (RPVP_CACHE_DIR: where build-guest.sh keeps the .deb)
set -u
rpvp=$1 work=$2 src=$(cd "$(dirname "$0")/../.." && pwd)
cache=${RPVP_CACHE_DIR:-$HOME/.cache/rpvp}
fail() { echo "FAIL: $*"; exit 1; }
guest=$(sh "$src/tools/build-guest.sh" --print 2>/dev/null) || fail "guest image not built"
krel=$(sed -n 's/^kernel [^ ]* [^ ]* //p' "$guest/versions")
deb=$(ls "$cache"/debs/linux-image-"$krel"_*_armhf.deb 2>/dev/null | sort -V | tail -1)
[ -n "$krel" ] && [ -f "$deb" ] || fail "no kernel package for '$krel' in $cache/debs"
rm -rf "$work"; mkdir -p "$work/pkg" "$work/overlay/lib/modules/$krel/extra"
cd "$work" || exit 1
mod=nls_iso8859-1
zcat "$guest/initrd.cpio.gz" | cpio -t 2>/dev/null | grep -q "/$mod.ko" &&
    fail "$mod is in rpvp's image already: pick another module"
dpkg-deb -x "$deb" pkg || fail "dpkg-deb"
ko=$(find pkg/lib/modules -name "$mod.ko*" | head -1)
[ -n "$ko" ] || fail "$mod not in $deb"
case "$ko" in
*.xz) xz -dc "$ko" ;; *.zst) zstd -qdc "$ko" ;; *.gz) gzip -dc "$ko" ;; *) cat "$ko" ;;
esac >"overlay/lib/modules/$krel/extra/$mod.ko"
rm -rf pkg
"$rpvp" --guest-overlay=overlay --log=console.log --timeout=600 \
    --guest-run="insmod /lib/modules/\$(uname -r)/extra/$mod.ko && lsmod" >out 2>err
rc=$?
cat out err
[ "$rc" = 0 ] || fail "rpvp exited $rc"
grep -q "^nls_iso8859_1 " console.log || fail "lsmod does not list nls_iso8859_1"
echo "module $mod loaded from the overlay, listed by lsmod"
