/*
 * Plugin platform "omap4-amp": rpvp::AmpSystem behind QEMU's rpvp-bridge. QEMU's CPU is
 * the SoC's host port (virtio-mmio window, GIC SPI), its guest RAM is the SoC's DDR
 * file. Config keys (docs/bridge-protocol.md): firmware (required), ddr (the
 * /dev/shm name QEMU maps; required), ddr-size (0x10000000), m3-clock-hz (200000000),
 * quantum-ns (1000), virtio-version (2), trace-devices (0), m3-gdb-port (0: none; else
 * the M3 waits for gdb-multiarch on 127.0.0.1:<port>), measure (1: measurement events
 * on), events (a file: the measurement events are saved there when QEMU ends, for the
 * rpvp command to join and report; docs/measurement.md; remote r > 0's beside it,
 * rpvp_ev_remote_path),
 * linux-route (virtio-mmio or remoteproc), remote-running (0; 1: on the remoteproc route
 * rpvp starts the firmware before Linux boots and Linux attaches), remotes (1; up to 4
 * Cortex-M3 remotes, each with its own mailbox instance, carveout and rpmsg device:
 * docs/platform.md, "Several remotes"), firmware-<r> (remote r's ELF; default remote
 * 0's), m3-unicache (1; 0: the M3's carveout at the DDR's latency), m3-clock-hz-<r> and
 * m3-unicache-<r> (remote r's own; default remote 0's). The rpvp command passes the same route, remote-running and remotes to the
 * platform description when it generates the device tree. mailbox (tlm, rtl or both),
 * mailbox-trace (the RTL's waveforms: FILE.vcd or FILE.fst; remote r > 0 writes FILE-r).
 */
#include "amp_system.h"
#include "plugin_platform.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace {

using namespace sc_core;

class Omap4AmpPlatform : public rpvp::PluginPlatform {
public:
    explicit Omap4AmpPlatform(const rpvp::PluginConfig &c)
    {
        rpvp::AmpSystemConfig cfg;
        cfg.firmware = c.get("firmware");
        if (cfg.firmware.empty())
            throw std::invalid_argument("omap4-amp: config needs firmware=<Cortex-M3 ELF>");
        cfg.soc.ddr_file = c.get("ddr");
        if (cfg.soc.ddr_file.empty())
            throw std::invalid_argument("omap4-amp: config needs ddr=<shm name of QEMU's RAM>");
        cfg.soc.ddr_attach = true;
        rpvp_linux_route route;
        const std::string r = c.get("linux-route", "virtio-mmio");
        if (rpvp_linux_route_parse(r.c_str(), &route) != 0)
            throw std::invalid_argument("omap4-amp: linux-route=" + r +
                                        " (virtio-mmio or remoteproc)");
        const uint64_t running = c.get_u64("remote-running", 0);
        if (running > 1 || (running && route != RPVP_ROUTE_REMOTEPROC))
            throw std::invalid_argument("omap4-amp: remote-running=1 needs linux-route=remoteproc");
        rpvp_platform_desc_init(&cfg.soc.desc, route, static_cast<int>(running));
        const uint64_t remotes = c.get_u64("remotes", 1);
        if (remotes > RPVP_MAX_REMOTES ||
            rpvp_platform_desc_set_remotes(&cfg.soc.desc, static_cast<unsigned>(remotes)) != 0)
            throw std::invalid_argument("omap4-amp: remotes=" + std::to_string(remotes) +
                                        " (1.." + std::to_string(RPVP_MAX_REMOTES) + ")");
        for (unsigned k = 1; k < remotes; k++) /* firmware-<k>: remote k's ELF */
            cfg.firmware_more.push_back(c.get("firmware-" + std::to_string(k), cfg.firmware));
        cfg.soc.desc.ddr_size = c.get_u64("ddr-size", cfg.soc.desc.ddr_size);
        cfg.soc.virtio_version = static_cast<uint32_t>(c.get_u64("virtio-version", 2));
        cfg.m3_clock_hz = c.get_u64("m3-clock-hz", cfg.m3_clock_hz);
        cfg.soc.m3_unicache = c.get_u64("m3-unicache", 1) != 0;
        for (unsigned k = 1; k < remotes; k++) { /* remote k's own clock and Unicache */
            const std::string sk = "-" + std::to_string(k);
            cfg.m3_clock_more.push_back(c.get_u64("m3-clock-hz" + sk, cfg.m3_clock_hz));
            cfg.soc.m3_unicache_more.push_back(
                c.get_u64("m3-unicache" + sk, cfg.soc.m3_unicache) != 0);
        }
        cfg.soc.trace_devices = c.get_u64("trace-devices", 0) != 0;
        cfg.m3_gdb_port = static_cast<int>(std::min<uint64_t>(c.get_u64("m3-gdb-port", 0), 65536));
        cfg.measure = c.get_u64("measure", 1) != 0;
        cfg.measure_events = c.get_u64("measure-events", cfg.measure_events);
        cfg.count_ddr = c.get_u64("count-ddr", 0) != 0;
        if (!c.get("m3-core").empty())
            cfg.m3_core_file = c.get("m3-core");
        /* The virtio-mmio route stops at a crash; on the remoteproc route Linux recovers. */
        cfg.crash_policy = route == RPVP_ROUTE_REMOTEPROC ? rpvp::CrashPolicy::go_on
                                                          : rpvp::CrashPolicy::raise;
        events_ = c.get("events");
        if (!rpvp::parse_mailbox_kind(c.get("mailbox", "tlm"), &cfg.soc.mailbox.kind))
            throw std::invalid_argument("omap4-amp: mailbox=" + c.get("mailbox") +
                                        ": want tlm, rtl or both");
        cfg.soc.mailbox.trace_file = c.get("mailbox-trace");
        const sc_time q(static_cast<double>(c.get_u64("quantum-ns", 1000)), SC_NS);
        cfg.soc.host_quantum = q;
        cfg.m3_quantum = q;
        sys_ = std::make_unique<rpvp::AmpSystem>("amp", cfg);
        rpvp_port_set_quantum(sys_->soc().host.port(),
                              static_cast<uint64_t>(q.to_seconds() * 1e12));
    }

    rpvp_port *port() override { return sys_->soc().host.port(); }
    std::string report() const override
    {
        std::string r = sys_->report();
        for (unsigned k = 0; k < sys_->num_remotes() && !events_.empty(); k++) {
            /* Remote k's events beside remote 0's (rpvp_ev_remote_path). */
            std::string why, path(events_.size() + 32, '\0');
            path.resize(static_cast<size_t>(
                rpvp_ev_remote_path(&path[0], path.size(), events_.c_str(), k)));
            if (sys_->measurement(k) && !sys_->measurement(k)->save(path, &why))
                r += "measurement events NOT saved: " + why + "\n";
        }
        return r;
    }

private:
    std::unique_ptr<rpvp::AmpSystem> sys_;
    std::string events_;
};

std::unique_ptr<rpvp::PluginPlatform> make(const rpvp::PluginConfig &c)
{
    return std::make_unique<Omap4AmpPlatform>(c);
}

} // namespace

RPVP_REGISTER_PLUGIN_PLATFORM("omap4-amp", make);
