#!/bin/sh
# scenarios/linux-exhaust.yaml: the Linux benchmark against the firmware's slow consumer.
# Every message sent was received, the platform measured TX exhaustion intervals, and the
# report folder was written.
#   linux_exhaust.sh RPVP SCENARIO WORKDIR
set -eu
rpvp=$1 scenario=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"; mkdir -p "$work"; cd "$work"
"$rpvp" --scenario="$scenario" --out=out --log=console.log >run.txt 2>&1 ||
    { cat run.txt; fail "the run failed"; }
cat run.txt
line=$(grep -o 'RPVP-EXHAUST sent=[0-9]* received=[0-9]*' run.txt) || fail "no RPVP-EXHAUST line"
sent=$(echo "$line" | sed 's/.*sent=\([0-9]*\).*/\1/')
received=$(echo "$line" | sed 's/.*received=\([0-9]*\)/\1/')
[ "$sent" -gt 256 ] || fail "sent $sent: the 256 TX buffers were not exhausted"
[ "$sent" = "$received" ] || fail "sent $sent, received $received"
grep -Eq 'TX exhaustion[^0-9]*[1-9][0-9]* intervals' run.txt || fail "no TX exhaustion interval measured"
[ -s out/report.json ] || fail "no out/report.json"
echo "linux exhaustion: sent $sent = received $received, exhaustion measured, report written"
