/*
 * rpvp — the user's entry point. Runs the reference platform and prints a report.
 *
 *   rpvp [--host=linux|synthetic] [--firmware=ELF] [--count=N] [--sizes=A,B,...]
 *        [--quantum-ns=N] [--m3-clock-hz=HZ] [--console] [--log=FILE] [--timeout=S]
 *        [--json=FILE]
 *
 * --host=linux (default): the unmodified Debian kernel on QEMU (built and cached by
 *   tools/build-qemu.sh and tools/build-guest.sh), rpvp's platform inside QEMU as the
 *   plugin platform "omap4-amp", the firmware on the Cortex-M3 ISS. The DDR file is
 *   created here (clear errors) and QEMU maps it as guest RAM. The guest's benchmark
 *   measures in guest time, which with -icount is simulated time.
 * --host=synthetic: the synthetic host (a C model of Linux's virtio/rpmsg drivers)
 *   instead of QEMU, in this process (see rpvp-synthetic).
 */
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "qemu_launch.h"
#include "rpvp/ddr.h"

#ifndef RPVP_SOURCE_DIR
#define RPVP_SOURCE_DIR "."
#endif

namespace {

struct Options {
    std::string host = "linux";
    std::string firmware = RPVP_DEFAULT_FIRMWARE;
    std::string plugin = RPVP_PLUGIN_PATH;
    unsigned count = 1000;
    std::string sizes = "16,496";
    uint64_t quantum_ns = 1000; /* the read error bound: docs/platform.md, "Quantum" */
    uint64_t m3_clock_hz = 200000000;
    bool console = false;
    std::string log;
    double timeout_s = 900;
    std::string json;
    unsigned m3_gdb_port = 0;
};

const char *val(const char *arg, const char *name)
{
    size_t n = std::strlen(name);
    return std::strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : nullptr;
}

void usage()
{
    std::fprintf(stderr,
                 "usage: rpvp [--host=linux|synthetic] [--firmware=ELF] [--count=N]\n"
                 "            [--sizes=A,B,...] [--quantum-ns=N] [--m3-clock-hz=HZ]\n"
                 "            [--console] [--log=FILE] [--timeout=S] [--json=FILE]\n"
                 "            [--m3-gdb=PORT]\n"
                 "  --m3-gdb=PORT  the M3 waits at reset for gdb-multiarch (target remote :PORT)\n"
                 "                 on its firmware ELF; the whole simulation stands still while\n"
                 "                 gdb holds the core (no run or hang timeouts then)\n");
}

std::string script_output(const char *script)
{
    char *p = rpvp_qemu_cached_path(RPVP_SOURCE_DIR, script);
    std::string out = p ? p : "";
    std::free(p);
    return out;
}

/* What the guest's benchmark printed (firmware/linux/rpvp-linux-bench.c). */
struct GuestReport {
    std::vector<std::string> results; /* RPVP-ECHO / -LATENCY / -THROUGHPUT / -CHANNEL */
    std::vector<std::string> errors;  /* RPVP-ERROR */
    std::vector<std::string> platform; /* the plugin's statistics at exit */
    bool in_platform = false;
};

void on_line(void *ctx, const char *line)
{
    auto *g = static_cast<GuestReport *>(ctx);
    std::string l = line;
    for (const char *k : {"RPVP-ECHO", "RPVP-LATENCY", "RPVP-THROUGHPUT", "RPVP-CHANNEL"})
        if (l.find(k) != std::string::npos)
            g->results.push_back(l.substr(l.find(k)));
    if (l.find("RPVP-ERROR") != std::string::npos)
        g->errors.push_back(l.substr(l.find("RPVP-ERROR")));
    if (l.find("[qemu]") == 0 && (l.find("traffic per") != std::string::npos || g->in_platform)) {
        g->in_platform = true;
        g->platform.push_back(l.substr(7));
    }
}

int run_linux(const Options &o)
{
    std::string qemu = script_output("build-qemu.sh"), guest = script_output("build-guest.sh");
    if (qemu.empty() || guest.empty()) {
        std::fprintf(stderr, "rpvp: %s is not built: run tools/%s (tools/run.sh does it)\n",
                     qemu.empty() ? "QEMU with rpvp's bridge" : "the Linux guest image",
                     qemu.empty() ? "build-qemu.sh" : "build-guest.sh");
        return 1;
    }
    if (access(o.firmware.c_str(), R_OK) != 0) {
        std::fprintf(stderr, "rpvp: firmware %s: cannot read it\n", o.firmware.c_str());
        return 1;
    }
    /* The DDR file: created here, mapped by QEMU as guest RAM and by the plugin. */
    const std::string shm = "rpvp-" + std::to_string(getpid());
    char err[512];
    rpvp_ddr *ddr = rpvp_ddr_create(nullptr, shm.c_str(), 256ull << 20, err, sizeof(err));
    if (!ddr) {
        std::fprintf(stderr, "rpvp: %s\n", err);
        return 1;
    }
    std::string cfg = "platform=omap4-amp;firmware=" + o.firmware + ";ddr=" + shm +
                      ";quantum-ns=" + std::to_string(o.quantum_ns) +
                      ";m3-clock-hz=" + std::to_string(o.m3_clock_hz) +
                      ";m3-gdb-port=" + std::to_string(o.m3_gdb_port);
    std::string append = "rpvp.mode=echo rpvp.args=--count=" + std::to_string(o.count) +
                         ",--sizes=" + o.sizes;
    std::string log = o.log.empty() ? "rpvp-console-" + std::to_string(getpid()) + ".log" : o.log;

    rpvp_qemu_config c;
    rpvp_qemu_config_init(&c);
    c.qemu = qemu.c_str();
    c.guest_dir = guest.c_str();
    c.shm_name = shm.c_str();
    c.plugin = o.plugin.c_str();
    c.plugin_config = cfg.c_str();
    c.quantum_ns = o.quantum_ns;
    c.append = append.c_str();
    c.console_log = log.c_str();
    c.console_to_terminal = o.console;
    c.timeout_s = o.timeout_s;
    if (o.m3_gdb_port) {
        /* A debugging session stops simulated time for as long as the user likes. */
        c.timeout_s = 0;
        c.idle_timeout_s = 0;
        std::printf("rpvp: the M3 waits for gdb: gdb-multiarch %s -ex 'target remote :%u'\n",
                    o.firmware.c_str(), o.m3_gdb_port);
    }
    GuestReport g;
    c.on_line = on_line;
    c.on_line_ctx = &g;

    std::printf("rpvp: Linux (Debian armmp on QEMU, icount) <-> firmware %s on the Cortex-M3 "
                "ISS at %.0f MHz; quantum %llu ns; %u echo messages per size (%s)\n",
                o.firmware.c_str(), o.m3_clock_hz / 1e6,
                static_cast<unsigned long long>(o.quantum_ns), o.count, o.sizes.c_str());
    std::fflush(stdout);
    rpvp_qemu_result r;
    int rc = rpvp_qemu_run(&c, &r);
    rpvp_ddr_destroy(ddr);
    for (const auto &l : g.results)
        std::printf("  %s\n", l.c_str());
    for (const auto &l : g.errors)
        std::printf("  %s\n", l.c_str());
    if (!g.platform.empty()) {
        std::printf("platform statistics:\n");
        for (const auto &l : g.platform)
            std::printf("  %s\n", l.c_str());
    }
    if (rc != 0) {
        std::fprintf(stderr, "rpvp: FAILED: %s\n", r.reason);
        if (r.last_lines[0])
            std::fprintf(stderr, "rpvp: last console lines (full log: %s):\n%s", log.c_str(),
                         r.last_lines);
        return 1;
    }
    std::printf("rpvp: done in %.1f s wall (guest init after %.1f s); console log: %s\n",
                r.wall_s, r.init_wall_s, log.c_str());
    return g.errors.empty() ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if ((v = val(a, "--host")))
            o.host = v;
        else if ((v = val(a, "--firmware")))
            o.firmware = v;
        else if ((v = val(a, "--plugin")))
            o.plugin = v;
        else if ((v = val(a, "--count")))
            o.count = static_cast<unsigned>(std::strtoul(v, nullptr, 0));
        else if ((v = val(a, "--sizes")))
            o.sizes = v;
        else if ((v = val(a, "--quantum-ns")))
            o.quantum_ns = std::strtoull(v, nullptr, 0);
        else if ((v = val(a, "--m3-clock-hz")))
            o.m3_clock_hz = std::strtoull(v, nullptr, 0);
        else if (!std::strcmp(a, "--console"))
            o.console = true;
        else if ((v = val(a, "--log")))
            o.log = v;
        else if ((v = val(a, "--timeout")))
            o.timeout_s = std::atof(v);
        else if ((v = val(a, "--json")))
            o.json = v;
        else if ((v = val(a, "--m3-gdb")))
            o.m3_gdb_port = static_cast<unsigned>(std::strtoul(v, nullptr, 0));
        else {
            usage();
            return 2;
        }
    }
    if (o.m3_gdb_port > 65535) {
        std::fprintf(stderr, "rpvp: --m3-gdb=%u is not a TCP port\n", o.m3_gdb_port);
        return 2;
    }
    if (o.count == 0 || o.quantum_ns == 0 || o.m3_clock_hz == 0) {
        std::fprintf(stderr, "rpvp: --count, --quantum-ns and --m3-clock-hz must be > 0\n");
        return 2;
    }
    if (o.host == "linux")
        return run_linux(o);
    if (o.host == "synthetic") {
        std::string exe = std::string(RPVP_SYNTHETIC_PATH);
        std::vector<std::string> args = {exe, "--firmware=" + o.firmware,
                                         "--count=" + std::to_string(o.count),
                                         "--sizes=" + o.sizes,
                                         "--quantum-ns=" + std::to_string(o.quantum_ns),
                                         "--m3-clock-hz=" + std::to_string(o.m3_clock_hz)};
        if (!o.json.empty())
            args.push_back("--json=" + o.json);
        if (o.m3_gdb_port)
            args.push_back("--m3-gdb=" + std::to_string(o.m3_gdb_port));
        std::vector<char *> av;
        for (auto &s : args)
            av.push_back(&s[0]);
        av.push_back(nullptr);
        execv(exe.c_str(), av.data());
        std::fprintf(stderr, "rpvp: cannot run %s: %s\n", exe.c_str(), std::strerror(errno));
        return 1;
    }
    std::fprintf(stderr, "rpvp: unknown --host=%s (linux or synthetic)\n", o.host.c_str());
    return 2;
}
