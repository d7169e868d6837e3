#!/bin/sh
# Two remotes on one route (docs/platform.md, "Several remotes"): rpvp boots Linux with
# two Cortex-M3 remotes, each with its own firmware, mailbox instance and rpmsg device;
# each remote announces its channels at its own addresses, 1,000 echoes run on both at
# once; the report shows both, and a second identical run gives identical figures.
#
#   remotes_test.sh RPVP WORKDIR [extra rpvp arguments, e.g. --linux-route=remoteproc]
set -eu
rpvp=$1; work=$2; shift 2
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

for run in 1 2; do
    rm -f "run$run.json"
    "$rpvp" --remotes=2 --count=1000 --quiet --log="run$run.log" --json="run$run.json" "$@" \
        >"run$run.out" 2>&1 || { cat "run$run.out"; fail "run $run failed"; }
done
cat run1.out

# Both remotes announced their echo channel, at different rpmsg addresses.
a0=$(sed -n 's/.*RPVP-REMOTE remote=0 .*channel=[^ ]*\.\([0-9]*\)$/\1/p' run1.out)
a1=$(sed -n 's/.*RPVP-REMOTE remote=1 .*channel=[^ ]*\.\([0-9]*\)$/\1/p' run1.out)
[ -n "$a0" ] && [ -n "$a1" ] || fail "a remote announced no rpmsg-raw channel"
[ "$a0" != "$a1" ] || fail "both remotes' channels at address $a0"
# 1,000 echoes per remote, concurrently (one benchmark process per remote), all good.
for r in 0 1; do
    grep -q "RPVP-ECHO remote=$r sent=1000 ok=1000 bad=0" run1.out ||
        fail "remote $r: not 1000 good echoes"
    grep -q "RPVP-LATENCY remote=$r .*n=1000" run1.out || fail "remote $r: no latency"
    grep -q "RPVP-THROUGHPUT remote=$r size=496 .* bad=0" run1.out ||
        fail "remote $r: no throughput"
done
grep -q "RPVP-ERROR" run1.out && fail "the guest reported an error"
# The platform's report shows both remotes: their cores, mailboxes, devices and traffic.
for pat in "remote 0 (m3): firmware" "remote 1 (m3_1): firmware" \
           "mailbox FIFOs of remote 1 (m3_1)" "virtio-rpmsg of remote 1 (m3_1)" \
           "  m3_1: reads" "  vdev_1: reads"; do
    grep -qF "$pat" run1.out || fail "report lacks '$pat'"
done
# Same inputs, same figures: everything but wall time and file names.
strip() { grep -v -e ' wall' -e 'console log' -e 'reports: rpvp-out' "$1"; }
strip run1.out >run1.cmp
strip run2.out >run2.cmp
diff run1.cmp run2.cmp || fail "two identical runs differ"
sed -n '/"metrics"/,/}/p' run1.json >run1.metrics
sed -n '/"metrics"/,/}/p' run2.json >run2.metrics
[ -s run1.metrics ] || fail "no metrics in the JSON report"
cmp run1.metrics run2.metrics || fail "JSON metrics differ"
echo "PASS: two remotes, channels at $a0 and $a1, 1000 echoes each, identical over two runs"
