/*
 * rpvp::SyntheticSession — the reference platform (rpvp::AmpSystem: omap4-amp + the
 * firmware on the Cortex-M3 ISS) driven by the synthetic host (include/rpvp/rpmsg.h, a C
 * model of Linux's virtio_mmio + virtio_rpmsg_bus) instead of Linux on QEMU.
 *
 * It builds the system, runs the host in soc().host's SC_THREAD (BridgeInitiator::spawn),
 * gives it a DMA pool in Linux's DDR, registers one rpmsg driver for the wanted channel
 * names, probes the device and waits for their name-service announcements; then it runs
 * a scenario on that thread (where rpmsg_send may block) and stops the simulation.
 * One session per process (SystemC elaborates once).
 */
#ifndef RPVP_SYNTHETIC_SESSION_H
#define RPVP_SYNTHETIC_SESSION_H

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "amp_system.h"
#include "rpvp/rpmsg.h"

namespace rpvp {

struct SyntheticSessionConfig {
    AmpSystemConfig sys;                  /* soc.host_quantum is also the host port's quantum */
    uint64_t pool_base = 0x48000000;      /* host DMA pool (vrings, buffers) in Linux's DDR */
    uint64_t pool_size = 1u << 20;
    std::vector<std::string> channels;    /* names the driver binds; boot waits for all */
    /* If not empty: boot needs only these channels, then waits up to settle_ps for the
     * others (a firmware that is not rpvp's announces what it announces). */
    std::vector<std::string> required;
    uint64_t settle_ps = 1000000000ull;   /* 1 ms simulated */
    uint64_t boot_timeout_ps = 1000000000000ull; /* 1 s simulated */
    uint64_t op_cost_ps = 0;              /* host CPU time per message (rpvp_shost_config) */
};

class SyntheticSession {
public:
    using Handler = std::function<void(const uint8_t *data, int len, uint32_t src)>;
    using Scenario = std::function<void(SyntheticSession &)>;

    /* Throws std::runtime_error with the loader's message for a bad firmware file. */
    explicit SyntheticSession(const SyntheticSessionConfig &cfg);
    ~SyntheticSession();
    SyntheticSession(const SyntheticSession &) = delete;
    SyntheticSession &operator=(const SyntheticSession &) = delete;

    /* Boot, and once every channel is announced run `scenario` on the host's thread;
     * returns when it is done (or boot failed) or `limit` of simulated time passed. */
    void run(Scenario scenario, sc_core::sc_time limit = sc_core::sc_time(3600, sc_core::SC_SEC));

    /* --- after run() --- */
    int probe_rc() const { return probe_rc_; }       /* rpvp_shost_probe's result */
    bool booted() const { return booted_; }          /* all channels announced */
    uint64_t boot_ps() const { return boot_ps_; }    /* when the last one was */
    const std::map<std::string, uint64_t> &announced_ps() const { return announced_ps_; }
    const rpvp_shost_stats &host_stats() const { return host_stats_; } /* at the end */

    /* --- inside the scenario (host thread) --- */
    rpvp_shost *host() { return host_; }
    uint64_t now() const { return rpvp_shost_now(host_); }
    rpmsg_device *channel(const std::string &name) const;
    rpmsg_endpoint *ept(const std::string &name) const; /* the channel's default endpoint */
    /* Messages arriving on a channel's default endpoint go to `h` (nullptr: dropped). */
    void on_message(const std::string &name, Handler h) { handlers_[name] = std::move(h); }
    /* Handle interrupts until pred() or `timeout_ps` of simulated time; false on timeout. */
    bool run_until(const std::function<bool()> &pred, uint64_t timeout_ps);

    AmpSystem &system() { return sys_; }

private:
    struct Driver {
        rpmsg_driver drv; /* first: rpdev->driver leads back to the session */
        SyntheticSession *self;
    };
    static int on_probe(rpmsg_device *rpdev);
    static int on_msg(rpmsg_device *rpdev, void *data, int len, void *priv, uint32_t src);
    static void host_main(rpvp_port *port, void *ctx);
    void host_thread(rpvp_port *port);

    SyntheticSessionConfig cfg_;
    AmpSystem sys_;
    rpvp_shost *host_ = nullptr;
    rpvp_shost_port_state pst_{};
    rpvp_shost_bus bus_{};
    std::vector<rpmsg_device_id> ids_;
    Driver driver_{};
    Scenario scenario_;
    std::map<std::string, rpmsg_device *> channels_;
    std::map<std::string, Handler> handlers_;
    std::map<std::string, uint64_t> announced_ps_;
    rpvp_shost_stats host_stats_{};
    int probe_rc_ = 1;
    bool booted_ = false;
    uint64_t boot_ps_ = 0;
};

} // namespace rpvp
#endif
