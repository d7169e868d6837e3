/* rpvp-traffic: the foundation scenario. A C traffic generator streams reads and writes
 * through the bridge ABI and the interconnect into the shared DDR, by b_transport and by
 * DMI, and prints simulated and host-speed figures. Also the bridge benchmark. */
#include <systemc>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bridge_initiator.h"
#include "ddr_tlm.h"
#include "router.h"
#include "traffic.h"

using namespace sc_core;

namespace {

struct Options {
    uint64_t count = 2000000;
    uint32_t size = 4;
    std::string modes = "btransport,dmi,plain";
    bool csv = false;
};

void usage()
{
    std::fprintf(stderr,
                 "usage: rpvp-traffic [--count N] [--size BYTES] [--modes LIST] [--csv]\n"
                 "  LIST: comma-separated of btransport, dmi, plain (default all)\n"
                 "  Streams N accesses (half writes, half reads, data checked) from a C\n"
                 "  initiator through the router into the shared DDR.\n");
}

bool parse(int argc, char **argv, Options &o)
{
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto next = [&]() -> const char * { return i + 1 < argc ? argv[++i] : nullptr; };
        const char *v = nullptr;
        if (a == "--count" && (v = next()))
            o.count = std::strtoull(v, nullptr, 0);
        else if (a == "--size" && (v = next()))
            o.size = static_cast<uint32_t>(std::strtoul(v, nullptr, 0));
        else if (a == "--modes" && (v = next()))
            o.modes = v;
        else if (a == "--csv")
            o.csv = true;
        else {
            usage();
            return false;
        }
    }
    if (o.size == 0 || o.size > 64 || o.count < 2) {
        std::fprintf(stderr, "rpvp-traffic: --size must be 1..64 and --count >= 2\n");
        return false;
    }
    return true;
}

struct Platform : sc_module {
    rpvp::BridgeInitiator cpu{"cpu"};
    rpvp::Router bus{"bus", 1, 1};
    rpvp::SharedDdr ddr;
    Platform(sc_module_name n, uint64_t ddr_size)
        : sc_module(n), ddr("ddr", "rpvp-traffic-" + std::to_string(getpid()), ddr_size)
    {
        cpu.isock.bind(bus.tsock[0]);
        bus.isock[0].bind(ddr.tsock);
        bus.map(0, 0x80000000, ddr_size, 0, 0, sc_time(2, SC_NS));
        bus.name_initiator(0, "traffic");
        bus.name_target(0, "ddr");
    }
};

} // namespace

int sc_main(int argc, char **argv)
{
    Options o;
    if (!parse(argc, argv, o))
        return 2;
    const uint64_t span = 1 << 20;
    std::vector<traffic_ctx> runs;
    std::vector<std::string> names;
    for (const char *m : {"btransport", "dmi", "plain"}) {
        if (o.modes.find(m) == std::string::npos)
            continue;
        traffic_ctx t{};
        t.cfg.mode = !std::strcmp(m, "btransport") ? TRAFFIC_BTRANSPORT
                     : !std::strcmp(m, "dmi")      ? TRAFFIC_DMI
                                                   : TRAFFIC_PLAIN_MEMORY;
        t.cfg.base = 0x80000000;
        t.cfg.span = span;
        t.cfg.access_bytes = o.size;
        t.cfg.count = o.count;
        t.cfg.cycle_ps = 5000; /* 200 MHz initiator: one cycle between accesses */
        runs.push_back(t);
        names.push_back(m);
    }
    Platform *plat;
    try {
        plat = new Platform("top", span);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "rpvp-traffic: %s\n", e.what());
        return 1;
    }
    std::vector<uint8_t> plain(span);
    sc_start(SC_ZERO_TIME);
    int rc = 0;
    if (!o.csv)
        std::printf("rpvp-traffic: %llu accesses of %u B per mode through router -> shared "
                    "DDR (%s)\n",
                    static_cast<unsigned long long>(o.count), o.size, plat->ddr.path());
    else
        std::printf("mode,accesses,size,wall_s,accesses_per_wall_s,sim_us,errors,mismatches\n");
    for (size_t i = 0; i < runs.size(); i++) {
        traffic_ctx &t = runs[i];
        if (t.cfg.mode == TRAFFIC_PLAIN_MEMORY)
            t.cfg.plain = plain.data();
        auto t0 = std::chrono::steady_clock::now();
        /* Driven from sc_main: syncs run the kernel (the QEMU-style mode of the bridge). */
        traffic_run(t.cfg.mode == TRAFFIC_PLAIN_MEMORY ? nullptr : plat->cpu.port(), &t);
        double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        double rate = static_cast<double>(t.res.done) / wall;
        double sim_us = static_cast<double>(t.res.sim_end_ps - t.res.sim_start_ps) / 1e6;
        if (o.csv)
            std::printf("%s,%llu,%u,%.6f,%.0f,%.3f,%llu,%llu\n", names[i].c_str(),
                        static_cast<unsigned long long>(t.res.done), o.size, wall, rate, sim_us,
                        static_cast<unsigned long long>(t.res.errors),
                        static_cast<unsigned long long>(t.res.mismatches));
        else
            std::printf("  %-10s %10llu accesses  %8.3f s wall  %12.0f accesses/wall-s  "
                        "%10.3f us simulated  errors %llu  mismatches %llu\n",
                        names[i].c_str(), static_cast<unsigned long long>(t.res.done), wall,
                        rate, sim_us, static_cast<unsigned long long>(t.res.errors),
                        static_cast<unsigned long long>(t.res.mismatches));
        if (t.res.errors || t.res.mismatches)
            rc = 1;
    }
    if (!o.csv)
        std::printf("%s", plat->bus.report().c_str());
    delete plat;
    return rc;
}
