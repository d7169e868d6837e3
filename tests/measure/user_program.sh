#!/bin/sh
# A plain rpmsg_char writer/reader that rpvp never saw (tests/measure/plain_rpmsg.c, no rpvp
# code), cross-built static for armhf here and run in the guest with --guest-overlay /
# --guest-run: the platform alone must give per-hop latencies and occupancy for it.
#   user_program.sh RPVP SOURCE_DIR WORKDIR
set -u
rpvp=$1 src=$2 work=$3
rm -rf "$work"; mkdir -p "$work/overlay/usr/bin"
cd "$work" || exit 1
arm-linux-gnueabihf-gcc -static -O2 -o overlay/usr/bin/plain-rpmsg "$src/tests/measure/plain_rpmsg.c" ||
    { echo "FAIL: cross build"; exit 1; }
"$rpvp" --guest-overlay=overlay --guest-run=/usr/bin/plain-rpmsg --out=reports --log=console.log \
    --timeout=600 >out 2>err
rc=$?
cat out err
[ "$rc" = 0 ] || { echo "FAIL: rpvp exited $rc"; exit 1; }
grep -q "PLAIN-RPMSG sent=200 received=200 bad=0" console.log || { echo "FAIL: the program did not finish"; exit 1; }
python3 "$src/tests/measure/check_reports.py" reports --schema="$src/docs/report-schema.json" \
    --user-program --round-trips=200
