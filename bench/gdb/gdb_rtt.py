#!/usr/bin/env python3
"""bench/gdb/gdb_rtt.py [RPVP_CM3] [ELF] -- round-trip time of the Cortex-M3 GDB stub.

Starts `rpvp-cm3 --gdb PORT ELF` on a free port (waits for its "waiting for gdb" line), connects as
gdb-multiarch does (TCP_NODELAY; '+' acknowledgements, then QStartNoAckMode), and times
N packets of what `stepi` and a conditional breakpoint cost: 'p f' (read the PC), 'g'
(all registers), 'm' (64 bytes of memory), in both modes. Prints the median and p99 round
trip per packet in microseconds (RUNS rounds, default 3, N=500 packets each; medians of
the rounds' medians). Measured figures: docs/models/cortex-m3.md, "GDB stub".
"""
import os, re, socket, statistics, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
cm3 = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build/models/cpu/cortex-m3/rpvp-cm3")
elf = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "build/firmware/m3/rpvp-m3-fw.elf")
N = int(os.environ.get("N", "500"))
RUNS = int(os.environ.get("RUNS", "3"))


def packet(body):
    return b"$" + body + b"#%02x" % (sum(body) & 0xFF)


class Client:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.ack = True

    def read_reply(self):
        while True:
            m = re.search(rb"\$([^#]*)#..", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m.group(1)
            d = self.s.recv(65536)
            if not d:
                raise EOFError("stub closed the connection")
            self.buf += d

    def request(self, body):
        self.s.sendall(packet(body))
        r = self.read_reply()
        if self.ack:
            self.s.sendall(b"+")
        return r


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def one_run():
    p = subprocess.Popen([cm3, "--gdb", str(free_port()), elf], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    line = p.stderr.readline().decode()
    m = re.search(r"127\.0\.0\.1:(\d+)", line)
    if not m:
        p.kill()
        sys.exit("no gdb port in: " + line)
    c = Client(int(m.group(1)))
    sup = c.request(b"qSupported:multiprocess+;swbreak+")
    res = {}
    for mode in ("ack", "noack") if b"QStartNoAckMode+" in sup else ("ack",):
        if mode == "noack":
            assert c.request(b"QStartNoAckMode") == b"OK"
            c.ack = False
        for name, body in (("p f", b"pf"), ("g", b"g"), ("m 64", b"m0,40")):
            ts = []
            for _ in range(N):
                t0 = time.perf_counter()
                c.request(body)
                ts.append((time.perf_counter() - t0) * 1e6)
            ts.sort()
            res[(mode, name)] = (statistics.median(ts), ts[int(len(ts) * 0.99) - 1])
    c.s.sendall(packet(b"k"))
    p.wait(timeout=10)
    return res


runs = [one_run() for _ in range(RUNS)]
print("gdb stub round trip, %d packets x %d runs (us): median / p99" % (N, RUNS))
for key in runs[0]:
    med = statistics.median(r[key][0] for r in runs)
    p99 = statistics.median(r[key][1] for r in runs)
    print("  %-6s %-5s %9.1f / %9.1f" % (key[0], key[1], med, p99))
