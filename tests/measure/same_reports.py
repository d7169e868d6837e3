#!/usr/bin/env python3
"""Two measurement folders of the same scenario must be identical apart from wall time:
report.json with run.started_utc and run.wall_s removed, messages.csv, occupancy.csv and
trace.json byte for byte.   usage: same_reports.py DIR_A DIR_B"""
import json
import sys

a, b = sys.argv[1], sys.argv[2]
ra, rb = json.load(open(a + "/report.json")), json.load(open(b + "/report.json"))
for r in (ra, rb):
    del r["run"]["started_utc"], r["run"]["wall_s"]
if ra != rb:
    print("FAIL: report.json differs beyond the wall-time fields")
    sys.exit(1)
for f in ("messages.csv", "occupancy.csv", "trace.json"):
    if open(a + "/" + f, "rb").read() != open(b + "/" + f, "rb").read():
        print("FAIL: %s differs" % f)
        sys.exit(1)
print("identical reports apart from wall time (%d messages)" % ra["messages"]["count"])
