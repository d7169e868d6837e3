#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).

usage: make_seeds.py BUILD_DIR   (a configured and built build tree: firmware, cm3 tests)

Register sequences follow what the real drivers do, in their order: Linux's
virtio_mmio_probe + virtio_dev_probe + rpmsg_probe (as models/synthetic-host replays them
against the device), the firmware's mailbox ISR (firmware/bsp/mailbox.c), remoteproc's
kicks; ELF seeds are the shipped firmware image and test programs (stripped: symbols
only make inputs longer); instruction seeds are the .text of those real programs."""
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
build = sys.argv[1] if len(sys.argv) > 1 else "build"


def put(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- mailbox: header {users-1, fifos-1, depth-1, trace, draining}, 7-byte accesses ----
def mb(op, off, v):
    return struct.pack("<BHI", op, off, v)


MSG = lambda m: 0x40 + 4 * m
MSGSTATUS = lambda m: 0xC0 + 4 * m
FIFOSTATUS = lambda m: 0x80 + 4 * m
RAW = lambda u: 0x100 + 0x10 * u
CLR = lambda u: 0x104 + 0x10 * u
ENSET = lambda u: 0x108 + 0x10 * u
ENCLR = lambda u: 0x10C + 0x10 * u
NEWMSG = lambda m: 1 << (2 * m)
NOTFULL = lambda m: 1 << (2 * m + 1)
W, R = 0, 2

omap4 = bytes([2, 7, 3, 0, 0b001])
boot = [mb(R, 0x000, 0), mb(W, 0x010, 1), mb(R, 0x010, 0),
        mb(W, ENSET(0), NEWMSG(1) | NEWMSG(3)), mb(W, ENSET(2), NEWMSG(0) | NEWMSG(2))]
kick = [mb(W, MSG(0), 0), mb(R, CLR(2), 0), mb(R, MSGSTATUS(0), 0), mb(R, MSG(0), 0),
        mb(W, CLR(2), NEWMSG(0)), mb(W, MSG(1), 1), mb(R, CLR(0), 0)]
flood = [mb(W, MSG(0), k) for k in range(6)] + [mb(R, FIFOSTATUS(0), 0),
         mb(W, ENSET(0), NOTFULL(0)), mb(R, MSG(0), 0), mb(R, CLR(0), 0),
         mb(W, ENCLR(0), NOTFULL(0)), mb(W, CLR(0), NOTFULL(0))]
debug = [mb(W, RAW(1), 0xFFFFFFFF), mb(W, ENSET(1), 0xFFFF), mb(W, CLR(1), 0xFFFFFFFF),
         mb(4, 0x040, 7), mb(3, 0x041, 1), mb(W, 0x010, 0x0C), mb(W, 0x1FC, 5)]
put("mailbox", "omap4_boot_kick", omap4 + b"".join(boot + kick))
put("mailbox", "omap4_kick_flood", omap4 + b"".join(boot + flood))
put("mailbox", "omap4_debug_raw", omap4 + b"".join(boot + debug))
put("mailbox", "dra7_12fifo_drain_all", bytes([3, 11, 3, 1, 0xFF]) +
    b"".join(boot + kick + flood))

# ---- virtio: header {version/qmax/trace}, 8-byte actions {op, off16, v32, x8} -------
def va(op, off, v=0, x=0):
    return struct.pack("<BHIB", op, off, v & 0xFFFFFFFF, x)


VW, VR, DDR32, DDR16, M3, IRQ = 0, 2, 4, 5, 6, 8
DDR = 0x80000000


def probe(version, num=16, d0=0x1000, d1=0x3000):
    s = [va(VR, 0x000), va(VR, 0x004), va(VR, 0x008), va(VR, 0x00C), va(VW, 0x070, 0),
         va(VW, 0x070, 1), va(VW, 0x070, 3), va(VW, 0x014, 1), va(VR, 0x010),
         va(VW, 0x014, 0), va(VR, 0x010)]
    if version == 2:
        s += [va(VW, 0x024, 1), va(VW, 0x020, 1), va(VW, 0x024, 0), va(VW, 0x020, 1),
              va(VW, 0x070, 0xB), va(VR, 0x070)]
    else:
        s += [va(VW, 0x024, 0), va(VW, 0x020, 1), va(VW, 0x028, 4096)]
    for q, d in ((0, d0), (1, d1)):
        desc = DDR + d
        avail = desc + 16 * num
        used = (avail + 2 * (3 + num) + 4095) & ~4095
        s += [va(VW, 0x030, q), va(VR, 0x034), va(VW, 0x038, num)]
        if version == 2:
            s += [va(VW, 0x080, desc), va(VW, 0x084, 0), va(VW, 0x090, avail),
                  va(VW, 0x094, 0), va(VW, 0x0A0, used), va(VW, 0x0A4, 0), va(VW, 0x044, 1)]
        else:
            s += [va(VW, 0x03C, 4096), va(VW, 0x040, desc >> 12)]
    s += [va(VW, 0x070, 0xF if version == 2 else 7), va(VR, 0x100), va(VR, 0x0FC)]
    return s


def traffic(num=16, d1=0x3000):
    avail_idx = d1 + 16 * num + 2
    s = []
    for k in range(1, 4):
        s += [va(DDR16, avail_idx, k), va(VW, 0x050, 1), va(M3, 0, 0, 0),
              va(DDR16, 0x1000 + 4096 + 2, k), va(M3, 0, k, 3), va(VR, 0x060),
              va(VW, 0x064, 1)]
    s += [va(VW, 0x050, 0)] * 6 + [va(M3, 0, 0, 0)] * 6 + [va(IRQ, 0)]
    return s


for v in (1, 2):
    hdr = bytes([1 if v == 2 else 0])
    put("virtio", f"v{v}_probe_echo", hdr + b"".join(probe(v) + traffic()))
    put("virtio", f"v{v}_probe_reset_reprobe",
        hdr + b"".join(probe(v) + [va(VW, 0x070, 0)] + probe(v, 8, 0x5000, 0x7000)))
put("virtio", "v2_misaligned_queue", bytes([1]) + b"".join(probe(2, 16, 0x1002, 0x3000)))
put("virtio", "v2_table_scribbled", bytes([3]) + b"".join(
    [va(DDR32, 0xF000 + 4, 9), va(DDR32, 0xF014, 0xFFFF)] + probe(2, 64)))

# ---- fw_loader: the shipped firmware and the ISS test programs, stripped -----------
strip = "arm-none-eabi-strip"
elves = [("firmware/m3/rpvp-m3-fw.elf", "rpvp_m3_fw"),
         ("firmware/m3/rtos-test.elf", "rtos_test")]
for rel, name in elves:
    src = os.path.join(build, rel)
    if os.path.exists(src):
        out = os.path.join(HERE, "corpus", "fw_loader", name + ".elf")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run([strip, "-o", out, src], check=True)

# ---- cm3_diff: {opt, r0..r3 seeds, 8 budgets} + real .text --------------------------
def text_of(path, limit=1536):
    tmp = "/tmp/rpvp-seed-text.bin"
    subprocess.run(["arm-none-eabi-objcopy", "-O", "binary", "-j", ".text", path, tmp],
                   check=True)
    with open(tmp, "rb") as f:
        data = f.read()
    os.remove(tmp)
    return data[:limit]


progs = [os.path.join(build, "firmware/m3/rpvp-m3-fw.elf")]
fwdir = os.path.join(build, "tests/cortex-m3/fw")
if os.path.isdir(fwdir):
    for n in ("t_alu", "t_mem", "t_exc", "t_itexc", "t_systick", "t_random"):
        p = os.path.join(fwdir, n + ".elf")
        if os.path.exists(p):
            progs.append(p)
for i, p in enumerate(progs):
    if os.path.exists(p):
        code = text_of(p)
        for off in (0, len(code) // 2):
            put("cm3_diff", f"{os.path.basename(p)[:-4]}_{off}",
                bytes([i & 1 | (i << 1), 1, 2, 3, 4]) + bytes([7, 61, 3, 97, 13, 255, 1, 29]) +
                code[off:off + 768])
# the unit test's loop: loads/stores, IT, shifted operands, SysTick inside blocks
loop = struct.pack("<19H", 0x2101, 0x0749, 0x2632, 0x680A, 0x3203, 0x600A, 0x684B, 0x429A,
                   0xBFB8, 0x3401, 0x7A0D, 0x4055, 0x724D, 0xEB07, 0x07D5, 0x3E01, 0xD1F1,
                   0x2632, 0xE7EF)
put("cm3_diff", "systick_loop", bytes([1 | (14 << 1), 0, 0, 0, 0]) + bytes([5] * 8) + loop)

# ---- rpmsg: {mode}, 8-byte actions {op, sel, off16, v32} ----------------------------
def ra(op, sel=0, off=0, v=0):
    return struct.pack("<BBHI", op, sel, off, v & 0xFFFFFFFF)


echo = [ra(3, 0, 1, 16), ra(4), ra(5), ra(3, 0, 1, 496), ra(4), ra(5), ra(7, 1, 0, 8)]
put("rpmsg", "host_echo_v1", bytes([0]) + b"".join(echo))
put("rpmsg", "host_echo_v2_blocking", bytes([6]) + b"".join(echo))
put("rpmsg", "hostile_host_desc_loop", bytes([2]) + b"".join(
    [ra(3, 0, 1, 32), ra(1, 1 | 0, 12, 0x00010001), ra(2, 1, 0, 0x200), ra(4)] + echo))
put("rpmsg", "hostile_host_avail_jump", bytes([2]) + b"".join(
    [ra(3, 0, 1, 32), ra(0, 1 | 2, 2, 0x7FFF), ra(4), ra(0, 0 | 2, 4, 999), ra(4)] + echo))
put("rpmsg", "hostile_remote_used", bytes([3]) + b"".join(
    [ra(6, 0, 1, 20), ra(1, 4 | 4, 4, 300), ra(0, 4 | 4, 2, 0xFFFF), ra(5, 1, 0, 1)] + echo))
put("rpmsg", "ns_from_host", bytes([2]) + b"".join([ra(3, 0, 0, 40), ra(4)] + echo))

# ---- plugin_config: what rpvp and rpvp-qemu pass -----------------------------------
for name, text in (
        ("omap4", "platform=omap4-amp,firmware=/x/rpvp-m3-fw.elf,ddr=rpvp-1234,"
                  "ddr-size=0x10000000,m3-clock-hz=200000000,quantum-ns=1000,virtio-version=2"),
        ("test_platform", "platform=test;quantum-ns=10000;latency-ps=10000;base=0x0b000000;size=0x200"),
        ("numbers", "a=0,b=18446744073709551615,c=0xFFFFFFFFFFFFFFFF,d=010,e=-1,f= 7"),
        ("gdb", "platform=omap4-amp,firmware=f,ddr=d,m3-gdb-port=0,trace-devices=1")):
    put("plugin_config", name, text.encode())
print("seeds written under", os.path.join(HERE, "corpus"))
