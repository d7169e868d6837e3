#!/bin/sh
# --kernel (a zImage the user gives: here a copy of the image's own Debian kernel) and
# --dt-overlay (a node of the user's appended to the run's device tree): the guest boots
# that kernel and sees the node under /proc/device-tree.
#   guest_dt_kernel.sh RPVP WORKDIR
set -u
rpvp=$1 work=$2 src=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }
guest=$(sh "$src/tools/build-guest.sh" --print 2>/dev/null) || fail "guest image not built"
rm -rf "$work"; mkdir -p "$work"
cd "$work" || exit 1
cp "$guest/vmlinuz" my-zImage
cat >user.dts <<'EOD'
/ {
	rpvp-user-node {
		compatible = "rpvp,user-test";
		rpvp,value = <0x2a>;
	};
};
EOD
"$rpvp" --kernel=my-zImage --dt-overlay=user.dts --log=console.log --timeout=600 \
    --guest-run='echo "DT-NODE $(cat /proc/device-tree/rpvp-user-node/compatible)"' >out 2>err
rc=$?
cat out err
[ "$rc" = 0 ] || fail "rpvp exited $rc"
grep -q "Linux (my-zImage on QEMU" out || fail "the report does not name the kernel"
grep -q "^DT-NODE rpvp,user-test" console.log || fail "the guest does not see the node"
# A bad overlay: dtc's reason, before QEMU starts.
echo '/ { broken' >bad.dts
"$rpvp" --dt-overlay=bad.dts --guest-run=true >out 2>err
rc=$?
cat err
[ "$rc" = 1 ] && grep -q "dt-overlay bad.dts: dtc refused the device tree with it" err ||
    fail "a broken overlay was not refused (exit $rc)"
echo "user kernel booted with the user's device-tree node"
