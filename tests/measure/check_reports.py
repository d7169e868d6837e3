#!/usr/bin/env python3
"""Check an rpvp measurement folder (docs/measurement.md) as a user's tools would read it.

usage: check_reports.py DIR [--schema=docs/report-schema.json] [--console=LOG]
                            [--round-trips=N] [--exhaust] [--user-program]

- report.json validates against the schema (python3-jsonschema);
- messages.csv and occupancy.csv parse with exactly the documented columns;
- every PNG decodes (zlib, chunk CRCs, scanline sizes: Python's standard library);
- trace.json parses; it has the hop tracks, and one flow (one "s", one "f") per message
  of two or more hops;
- every round trip with the application's stamps: its hops are >= 0 and add up exactly
  to app_recv - app_send; with --console, that is exactly the round trip the guest
  printed for the same message (RPVP-MSG t1 - t0), for every message it printed;
- --round-trips=N: at least N round trips; --exhaust: the guest's exhaustion figures and
  the platform's side by side; --user-program: hops and occupancy without any stamp
  from the application.
Prints one line per check; exit 1 on the first failure.
"""
import csv
import json
import os
import re
import struct
import sys
import zlib

CHAIN = ["app_send", "kick", "mbox_write", "m3_irq", "rx_filled", "remote_kick",
         "mbox_read", "irq_raise", "irq_ack", "repost", "app_recv"]
STAMPS = CHAIN + ["tx_consumed"]
MSG_COLS = ["id", "kind", "pipelined", "src", "dst", "size", "tx_desc", "rx_desc"] + \
    [s + "_us" for s in STAMPS] + ["total_us"]
OCC_COLS = ["t_us", "series", "value", "unit"]
PLOTS = ["latency_hist.png", "latency_cdf.png", "hops.png", "occupancy.png"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def ok(msg):
    print("ok: " + msg)


def ps(text):
    """'12.345678' (us, 6 decimals) -> integer ps, exactly."""
    whole, frac = text.split(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 1000000 + int(frac))


def check_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + ": no PNG signature")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        if zlib.crc32(kind + body) & 0xffffffff != crc:
            fail(path + ": bad CRC in chunk " + kind.decode())
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + n
    if not ihdr:
        fail(path + ": no IHDR")
    w, h, depth, ctype = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = 1 + (w * channels * depth + 7) // 8
    if w == 0 or h == 0 or len(raw) != h * stride:
        fail("%s: %dx%d but %d bytes of scanlines" % (path, w, h, len(raw)))
    return w, h


def main():
    args = sys.argv[1:]
    if not args:
        fail(__doc__)
    d = args[0]
    opt = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "1") for a in args[1:])
    schema = opt.get("schema", os.path.join(os.path.dirname(__file__), "../../docs/report-schema.json"))

    import jsonschema
    report = json.load(open(os.path.join(d, "report.json")))
    jsonschema.validate(report, json.load(open(schema)))
    ok("report.json validates against " + os.path.basename(schema))

    rows = list(csv.reader(open(os.path.join(d, "messages.csv"))))
    if rows[0] != MSG_COLS:
        fail("messages.csv columns %s" % rows[0])
    msgs = [dict(zip(MSG_COLS, r)) for r in rows[1:]]
    for m in msgs:
        if len(m) != len(MSG_COLS):
            fail("messages.csv row %s" % m)
        int(m["id"]), int(m["size"]), ps(m["total_us"])
        for s in STAMPS:
            if m[s + "_us"]:
                ps(m[s + "_us"])
    ok("messages.csv: %d rows, columns as documented" % len(msgs))
    occ = list(csv.reader(open(os.path.join(d, "occupancy.csv"))))
    if occ[0] != OCC_COLS or len(occ) < 2:
        fail("occupancy.csv columns %s, %d rows" % (occ[0], len(occ)))
    series = set()
    for r in occ[1:]:
        ps(r[0]), int(r[2])
        series.add(r[1])
    for want in ("vq0.in_flight", "vq1.in_flight", "linux.free_tx"):
        if want not in series:
            fail("occupancy.csv has no %s series (%s)" % (want, sorted(series)))
    if not any(s.startswith("fifo") for s in series):
        fail("occupancy.csv has no mailbox FIFO series")
    ok("occupancy.csv: %d samples, series %s" % (len(occ) - 1, ", ".join(sorted(series))))

    for p in PLOTS:
        w, h = check_png(os.path.join(d, p))
        ok("%s decodes (%dx%d)" % (p, w, h))

    trace = json.load(open(os.path.join(d, "trace.json")))
    ev = trace["traceEvents"]
    tracks = {e["args"]["name"] for e in ev if e.get("ph") == "M" and e["name"] == "thread_name"}
    procs = {e["args"]["name"] for e in ev if e.get("ph") == "M" and e["name"] == "process_name"}
    for want in ("kick -> mbox_write", "mbox_write -> m3_irq", "rx_filled -> remote_kick",
                 "remote_kick -> mbox_read"):
        if want not in tracks:
            fail("trace.json has no track '%s' (%s)" % (want, sorted(tracks)))
    for want in ("linux-driver", "virtio-device", "mailbox", "m3", "occupancy"):
        if want not in procs:
            fail("trace.json has no process '%s'" % want)
    starts, ends = {}, {}
    for e in ev:
        if e.get("ph") == "s":
            starts[e["id"]] = starts.get(e["id"], 0) + 1
        elif e.get("ph") == "f":
            ends[e["id"]] = ends.get(e["id"], 0) + 1
    multi = set()
    for m in msgs:
        if sum(1 for s in CHAIN if m[s + "_us"]) >= 3 or (m["kind"] == "to_remote" and
                                                           sum(1 for s in STAMPS if m[s + "_us"]) >= 3):
            multi.add(int(m["id"]))
    if set(starts) != set(ends) or any(v != 1 for v in list(starts.values()) + list(ends.values())):
        fail("trace.json: flows not one start and one end per message")
    if not multi <= set(starts):
        fail("trace.json: %d messages without a flow" % len(multi - set(starts)))
    counters = {e["name"] for e in ev if e.get("ph") == "C"}
    if "linux.free_tx" not in counters:
        fail("trace.json has no occupancy counters")
    ok("trace.json: %d events, %d hop tracks, one flow per message (%d), counters %d" %
       (len(ev), len(tracks), len(starts), len(counters)))

    rt = [m for m in msgs if m["kind"] == "round_trip"]
    stamped = [m for m in rt if m["app_send_us"] and m["app_recv_us"]]
    for m in rt:
        vals = [ps(m[s + "_us"]) for s in CHAIN if m[s + "_us"]]
        hops = [b - a for a, b in zip(vals, vals[1:])]
        if any(h < 0 for h in hops):
            fail("message %s: a negative hop %s" % (m["id"], hops))
        if sum(hops) != ps(m["total_us"]):
            fail("message %s: hops add up to %d ps, total %s us" % (m["id"], sum(hops), m["total_us"]))
    if "round-trips" in opt and len(rt) < int(opt["round-trips"]):
        fail("%d round trips, want at least %s" % (len(rt), opt["round-trips"]))
    ok("%d round trips (%d with the application's stamps): every hop >= 0, the hops add up "
       "to each total exactly" % (len(rt), len(stamped)))

    if "console" in opt:
        guest = []
        for line in open(opt["console"], errors="replace"):
            m = re.search(r"RPVP-MSG seq=(\d+) len=(\d+) t0=(\d+) t1=(\d+)", line)
            if m:
                guest.append((int(m.group(2)), int(m.group(4)) - int(m.group(3))))
        if not guest:
            fail("no RPVP-MSG lines in " + opt["console"])
        stamped.sort(key=lambda m: ps(m["app_send_us"]))
        if len(stamped) != len(guest):
            fail("the guest printed %d messages, the report has %d with its stamps" %
                 (len(guest), len(stamped)))
        for k, (m, (size, rtt_ns)) in enumerate(zip(stamped, guest)):
            vals = [ps(m[s + "_us"]) for s in CHAIN if m[s + "_us"]]
            if int(m["size"]) != size or sum(b - a for a, b in zip(vals, vals[1:])) != rtt_ns * 1000:
                fail("message %d: size %s, hops add up to %d ps; the guest measured %d ns (size %d)"
                     % (k, m["size"], vals[-1] - vals[0], rtt_ns, size))
        ok("all %d messages: the per-hop latencies add up to the round trip the guest "
           "measured, exactly" % len(guest))

    if "exhaust" in opt:
        g = report["guest"]
        for k in ("sent", "received", "eagain", "blocked_total_us", "blocked_writes", "poll_rc"):
            if k not in g:
                fail("report.json guest figures lack %s: %s" % (k, g))
        if g["sent"] != g["received"] or int(g["eagain"]) < 1:
            fail("exhaustion: sent %s received %s eagain %s" % (g["sent"], g["received"], g["eagain"]))
        ex = report["exhaustion"]
        if ex["count"] < 1:
            fail("exhaustion: the platform saw no interval without a free TX buffer")
        ok("exhaustion: sent %s = received %s, EAGAIN %s, blocked %s us in %s writes; the "
           "platform: %d intervals, %.3f us without a free TX buffer" %
           (g["sent"], g["received"], g["eagain"], g["blocked_total_us"], g["blocked_writes"],
            ex["count"], ex["total"]))

    if "user-program" in opt:
        if stamped:
            fail("user program: stamps from an application rpvp did not write?")
        hopped = [m for m in msgs if m["kind"] in ("round_trip", "to_remote") and
                  m["kick_us"] and m["mbox_write_us"] and (m["rx_filled_us"] or m["tx_consumed_us"])]
        if len(hopped) < 10 or not report["latency"]:
            fail("user program: %d messages with hops" % len(hopped))
        ok("user program: %d messages with per-hop latencies and occupancy from the platform "
           "alone" % len(hopped))


if __name__ == "__main__":
    main()
