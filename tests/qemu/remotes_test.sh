#!/bin/sh
# Two remotes on one route (docs/platform.md, "Several remotes"): rpvp boots Linux with
# two Cortex-M3 remotes, each with its own firmware, mailbox instance and rpmsg device
# (virtio-mmio route) or remoteproc node (remoteproc route: Linux starts both); each
# remote announces its channels at its own addresses, 1,000 echoes run on both at once;
# the report shows both (guest figures, platform statistics, and the platform's
# measurement per remote and in total), and a second identical run gives identical
# figures.
#
#   remotes_test.sh RPVP WORKDIR [extra rpvp arguments, e.g. --linux-route=remoteproc]
set -eu
rpvp=$1; work=$2; shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
rproc=0
case " $* " in *" --linux-route=remoteproc "*) rproc=1 ;; esac

for run in 1 2; do
    rm -rf "run$run.json" "out$run"
    "$rpvp" --remotes=2 --count=1000 --quiet --log="run$run.log" --json="run$run.json" \
        --out="out$run" "$@" >"run$run.out" 2>&1 || { cat "run$run.out"; fail "run $run failed"; }
done
grep -v '^ *RPVP-MSG' run1.out

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
# The remoteproc route: Linux probed a remoteproc per remote and started each, loading
# each remote's own firmware from /lib/firmware.
if [ "$rproc" = 1 ]; then
    for r in 0 1; do
        name=m3; [ "$r" = 0 ] || name=m3_$r
        grep -q "RPVP-RPROC start remoteproc=remoteproc$r name=$name from=offline state=running" \
            run1.out || fail "remoteproc$r ($name) not started by Linux"
        grep -qF "remote $r ($name): firmware: loaded by Linux's remoteproc (1 starts" run1.out ||
            fail "remote $r: its M3 was not started by Linux"
    done
fi
# Per-remote M3s (--m3-clock-hz=A,B in MHz, --m3-unicache=X,Y): each core at its own
# clock, with or without its Unicache, as the report says.
clocks=$(printf '%s\n' "$@" | sed -n 's/^--m3-clock-hz=//p')
caches=$(printf '%s\n' "$@" | sed -n 's/^--m3-unicache=//p')
if [ -n "$clocks" ]; then
    for r in 0 1; do
        mhz=$(echo "$clocks" | cut -d, -f$((r + 1)) | sed 's/MHz$//')
        uc=$(echo "${caches:-true,true}" | cut -d, -f$((r + 1)))
        want="cortex-m3 at $mhz MHz"; [ "$uc" = false ] && want="$want (no Unicache)"
        grep -A1 "remote $r (" run1.out | grep -qF "$want:" || fail "remote $r: not '$want'"
        grep -q "\"index\": $r, .*\"m3_clock_hz\": ${mhz}000000," out1/remotes.json ||
            fail "remotes.json: remote $r not at $mhz MHz"
    done
fi
# The platform's measurement per remote (each a full report folder) and in total.
py=$(command -v python3) || fail "python3 needed"
for r in 0 1; do
    "$py" "$src/tests/measure/check_reports.py" "out1/remote$r" \
        --schema="$src/docs/report-schema.json" --round-trips=1000 >"check$r.txt" ||
        { cat "check$r.txt"; fail "remote $r's measurement report"; }
    grep -q "\"remote\": {\"index\": $r" "out1/remote$r/report.json" ||
        fail "remote $r's report.json does not name its remote"
done
"$py" - "$src/docs/remotes-schema.json" out1/remotes.json <<'EOF_PY' || fail "remotes.json"
import json, sys
import jsonschema
schema, doc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema)
rs = doc["remotes"]
assert [r["index"] for r in rs] == [0, 1], rs
for r in rs:
    assert r["round_trips"] >= 1000 and r["round_trip"]["n"] >= 1000, r
    assert r["mailbox_fifo_high_water"].get("fifo0.depth", 0) >= 1, r
assert doc["total"]["round_trips"] == sum(r["round_trips"] for r in rs), doc["total"]
print("remotes.json: valid; round trips %d + %d" % (rs[0]["round_trips"], rs[1]["round_trips"]))
EOF_PY
for r in 0 1; do
    "$py" "$src/tests/measure/same_reports.py" "out1/remote$r" "out2/remote$r" ||
        fail "remote $r's measurement differs between two identical runs"
done
cmp out1/remotes.json out2/remotes.json || fail "remotes.json differs between two runs"
# Same inputs, same figures: everything but wall time and file names.
strip() { grep -v -e ' wall' -e 'console log' -e 'reports: ' -e '^rpvp: ' "$1"; }
strip run1.out >run1.cmp
strip run2.out >run2.cmp
diff run1.cmp run2.cmp || fail "two identical runs differ"
sed -n '/"metrics"/,/}/p' run1.json >run1.metrics
sed -n '/"metrics"/,/}/p' run2.json >run2.metrics
[ -s run1.metrics ] || fail "no metrics in the JSON report"
cmp run1.metrics run2.metrics || fail "JSON metrics differ"
echo "PASS: two remotes, channels at $a0 and $a1, 1000 echoes each, measured per remote," \
     "identical over two runs"
