#!/usr/bin/env python3
"""Turn the register trace of a real run into seed inputs of the fuzz targets.

usage: record_seeds.py NAME [CORPUS_DIR] < stderr-of-`rpvp-synthetic --trace-devices`
(tools/fuzz-seeds.sh runs it; docs/hardening.md, "Seeds"). CORPUS_DIR defaults to
tests/fuzz/corpus.

The run's lines "rpvp: mailbox: write 0x040 MESSAGE(0) = 0x..." and "rpvp virtio-rpmsg:
trace: write QueueNotify [0x050] = 0x..." are the accesses the synthetic host (Linux's
virtio_mmio and rpmsg drivers replayed), the device and the firmware made, in order.
They become:
  corpus/mailbox/recorded_NAME       every mailbox access (OMAP4 parameters);
  corpus/virtio/recorded_NAME[_k]    the driver's register accesses, the firmware's own
                                     mailbox accesses (its kicks, its reads of the
                                     host->M3 FIFOs, its interrupt registers), and the
                                     ring indices the device samples written into the
                                     target's DDR image before each notify and kick
                                     (vring addresses moved into the target's 64 KiB);
in the record formats of fuzz_mailbox.c and fuzz_virtio.c, cut at the targets' 4 KiB."""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_LEN = 4096
name = sys.argv[1] if len(sys.argv) > 1 else "synthetic"
CORPUS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "corpus")

MBOX = re.compile(r"^rpvp: mailbox: (read|write) +0x([0-9a-f]+) (\w+)\((\d+)\) = 0x([0-9a-f]+)")
VDEV = re.compile(r"^rpvp virtio-rpmsg: trace: (read|write) +(\w+) +\[0x([0-9a-f]+)\] = 0x([0-9a-f]+)")
VERSION = re.compile(r"\[0x004\] = 0x0000000(\d)")

mbox, events = [], []   # events: ("dev", rw, off, v) or ("m3", rw, reg, idx, off, v)
version = 2
for line in sys.stdin:
    m = MBOX.match(line)
    if m:
        rw, off, reg, idx, v = m.group(1), int(m.group(2), 16), m.group(3), int(m.group(4)), int(m.group(5), 16)
        mbox.append((rw, off, v))
        # The firmware is user 2; of the FIFOs it reads the host->M3 ones (even), writes
        # the M3->host ones (odd) (include/rpvp/mbox_channels.h). The rest is the device's.
        fw = (reg.startswith("IRQ") and idx == 2) or \
             (reg in ("MESSAGE", "MSGSTATUS") and (idx % 2 == 0) == (rw == "read")) or \
             (reg == "FIFOSTATUS" and idx % 2 == 1)
        if fw:
            events.append(("m3", rw, reg, idx, off, v))
        continue
    m = VDEV.match(line)
    if m:
        off, v = int(m.group(3), 16), int(m.group(4), 16)
        if off == 0x004 and m.group(1) == "read":
            version = v
        events.append(("dev", m.group(1), off, v))


def put(target, fname, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)
    print("  %s/%s: %d bytes" % (target, fname, len(data)))


# ---- mailbox: header {users-1, fifos-1, depth-1, trace, draining}, 7-byte accesses ----
recs = [struct.pack("<BHI", 0 if rw == "write" else 2, off, v) for rw, off, v in mbox]
hdr = bytes([2, 7, 3, 0, 0b001])
n = (MAX_LEN - len(hdr)) // 7
for k in range(0, min(len(recs), 3 * n), n):
    put("mailbox", "recorded_%s%s" % (name, "_%d" % (k // n) if k else ""),
        hdr + b"".join(recs[k:k + n]))

# ---- virtio: header {version}, 8-byte actions {op, off16, v32, x8} -------------------
DDR = 0x80000000
VW, VR, DDR16, M3, M3REG, IRQ = 0, 2, 5, 6, 7, 8
# The run's vring addresses, moved so that the lowest lands at the target's DDR base.
addrs = [v for e in events if e[0] == "dev" and e[1] == "write" and e[2] in (0x080, 0x090, 0x0a0)
         for v in [e[3]]]
pfns = [e[3] for e in events if e[0] == "dev" and e[1] == "write" and e[2] == 0x040]
low = min(addrs) if addrs else (min(pfns) << 12 if pfns else 0)
move = lambda a: DDR + ((a - low) & 0xEFFF)   # below the target's table at 0xF000
acts, sel, avail, used, aidx, uidx, num, align = [], 0, {}, {}, {}, {}, {}, {}
for e in events:
    if e[0] == "m3":
        _, rw, reg, idx, off, v = e
        if reg == "MESSAGE":
            if rw == "write" and idx in (1, 3) and (idx // 2) in used:   # a kick of vq idx//2
                q = idx // 2
                uidx[q] = (uidx.get(q, 0) + 1) & 0xFFFF
                acts.append(struct.pack("<BHIB", DDR16, used[q] + 2, uidx[q], 0))
            acts.append(struct.pack("<BHIB", M3, 0, v, (idx << 1) | (rw == "write")))
            if rw == "write":
                acts.append(struct.pack("<BHIB", IRQ, 0, 0, 0))
        elif rw == "write":
            acts.append(struct.pack("<BHIB", M3REG, off, v, 0))
        continue
    _, rw, off, v = e
    if rw == "write":
        if off == 0x030:
            sel = v
        elif off in (0x080, 0x090, 0x0a0):
            v = move(v)
            if off == 0x090:
                avail[sel] = v - DDR
            if off == 0x0a0:
                used[sel] = v - DDR
        elif off == 0x038:
            num[sel] = v
        elif off == 0x03c:
            align[sel] = v
        elif off == 0x040 and v:   # legacy QueuePFN: the legacy layout from there
            v = move(v << 12) >> 12
            n_, a_ = num.get(sel, 0), align.get(sel, 4096) or 4096
            avail[sel] = (v << 12) - DDR + 16 * n_
            used[sel] = (avail[sel] + 2 * (3 + n_) + a_ - 1) // a_ * a_
        elif off == 0x050 and v in avail:   # the driver posted a buffer first
            aidx[v] = (aidx.get(v, 0) + 1) & 0xFFFF
            acts.append(struct.pack("<BHIB", DDR16, avail[v] + 2, aidx[v], 0))
        acts.append(struct.pack("<BHIB", VW, off, v, 0))
    else:
        acts.append(struct.pack("<BHIB", VR, off, 0, 0))
hdr = bytes([1 if version == 2 else 0])
n = (MAX_LEN - len(hdr)) // 8
put("virtio", "recorded_%s" % name, hdr + b"".join(acts[:n]))
if len(acts) > n:   # traffic past the bring-up, on a device the cut-off input set up
    put("virtio", "recorded_%s_traffic" % name, hdr + b"".join(acts[:n // 2] + acts[-(n - n // 2):]))
