/*
 * rpvp::Omap4Amp — the reference platform: the parts of an OMAP4-class SoC that carry
 * rpmsg traffic, as a flat netlist generated from the platform description
 * (platform_desc.h: every address, size and interrupt line is there).
 *
 *   initiators                       targets
 *   host  (QEMU's bridge or the      ddr     shared DDR (/dev/shm file; QEMU's guest RAM)
 *          synthetic host)           mbox    OMAP4 system mailbox (3 users, 8 FIFOs x 4)
 *   m3    (Cortex-M3 ISS or the      vdev    virtio-mmio rpmsg device registers
 *          host-built remote)        syscon  remote control registers (remoteproc route)
 *   vdev  (the device's bus master)  reset   the remote's reset controller (remoteproc)
 *
 * Routes (docs/platform.md): virtio-mmio - the host sees the virtio-mmio device, which is
 * mailbox user 0; remoteproc - the host sees the mailbox itself (Linux's omap-mailbox is
 * user 0), the syscon and the reset controller; the virtio device is then left
 * unconnected. Host interrupt lines: desc.vdev.irq, desc.mbox.irq, the remote's wdg_irq.
 * The M3's map: its da windows (carveout at 0 through the Unicache, DDR at Linux
 * physical addresses) and the mailbox at mbox_da as user 2, FIFOs as
 * rpvp/mbox_channels.h, its watchdog (OMAP4 WD_TIMER) at wdt_da; wdt_timeout (the
 * watchdog's reset request) or a crash the platform saw (m3_crashed) is the remote's crash
 * line.
 */
#ifndef RPVP_OMAP4_AMP_H
#define RPVP_OMAP4_AMP_H

#include <systemc>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bridge_initiator.h"
#include "core_target.h"
#include "ddr_tlm.h"
#include "router.h"
#include "loader.h"
#include "omap_wdt_tlm.h"
#include "rpvp/mbox_channels.h"
#include "omap_mailbox_tlm.h"
#include "platform_desc.h"
#include "rpvp/omap_mailbox.h"
#include "rpvp/rproc_ctrl.h"
#include "virtio_rpmsg_tlm.h"

namespace rpvp {

struct Omap4AmpConfig {
    std::string ddr_file;                   /* name under /dev/shm; empty: rpvp-<pid> */
    bool ddr_attach = false;                /* use an existing /dev/shm/<ddr_file> (QEMU's RAM) */
    /* Addresses, sizes, interrupt lines, the route and the remotes. Sizes are inputs
     * (desc.ddr_size, desc.remote[0].win[0].size); the platform re-derives the addresses
     * from them (rpvp_platform_desc_layout). */
    rpvp_platform_desc desc = default_desc();
    sc_core::sc_time wdt_latency = sc_core::sc_time(20, sc_core::SC_NS);
    uint32_t virtio_version = 2;
    sc_core::sc_time host_quantum = sc_core::sc_time(1, sc_core::SC_US);
    sc_core::sc_time mbox_latency = sc_core::sc_time(20, sc_core::SC_NS);
    sc_core::sc_time vdev_latency = sc_core::sc_time(20, sc_core::SC_NS);
    sc_core::sc_time ctrl_latency = sc_core::sc_time(20, sc_core::SC_NS); /* syscon, reset */
    sc_core::sc_time l3_latency = sc_core::sc_time(10, sc_core::SC_NS); /* per route */
    /* Ducati's Unicache in front of the M3's carveout, as an ideal cache (every access
     * hits) with this latency instead of the DDR's; the TRM's cycle counts assume zero
     * wait states. Vrings and buffers (Linux's DDR) stay uncached. */
    bool m3_unicache = true;
    /* Remotes 1..n-1: their own Unicache setting (missing: m3_unicache). */
    std::vector<bool> m3_unicache_more;
    bool unicache(unsigned r) const
    {
        return r >= 1 && r <= m3_unicache_more.size() ? m3_unicache_more[r - 1] : m3_unicache;
    }
    bool trace_devices = false; /* one log line per mailbox / virtio register access */
    /* Which mailbox: the C core (tlm), the verilated RTL (rtl) or both compared live;
     * the RTL's L4 clock (2 cycles per access: 20 ns = mbox_latency) and waveforms. */
    MailboxOptions mailbox;
    sc_core::sc_time m3_unicache_latency = sc_core::SC_ZERO_TIME;

    static rpvp_platform_desc default_desc()
    {
        rpvp_platform_desc d;
        rpvp_platform_desc_init(&d, RPVP_ROUTE_VIRTIO_MMIO, 0);
        return d;
    }
};

class Omap4Amp : public sc_core::sc_module {
public:
    /* Router ports. Remote 0's are the enum values; remote r's are those moved up by r
     * times the parts of one remote (init(INIT_M3, r), tgt(TGT_MBOX, r)). */
    enum Initiator : unsigned { INIT_HOST, INIT_M3, INIT_VDEV, NUM_INITIATORS };
    enum Target : unsigned { TGT_DDR, TGT_MBOX, TGT_VDEV, TGT_WDT, TGT_SYSCON, TGT_RESET,
                             NUM_TARGETS };
    static constexpr unsigned INITS_PER_REMOTE = NUM_INITIATORS - INIT_M3,
                              TGTS_PER_REMOTE = NUM_TARGETS - TGT_MBOX;
    static unsigned init(Initiator i, unsigned r) { return i + r * INITS_PER_REMOTE; }
    static unsigned tgt(Target t, unsigned r) { return t + r * TGTS_PER_REMOTE; }
    static constexpr unsigned MBOX_USER_VDEV = RPVP_MBOX_HOST_USER,
                              MBOX_USER_M3 = RPVP_MBOX_REMOTE_USER;

    Omap4Amp(sc_core::sc_module_name name, const Omap4AmpConfig &cfg);
    ~Omap4Amp() override;

    const Omap4AmpConfig &config() const { return cfg_; }
    unsigned num_remotes() const { return cfg_.desc.num_remotes; }

    /* The host side: a bridge port with desc.num_irqs interrupt lines (per remote: its
     * virtio device, its mailbox's user 0, its watchdog). Spawn the synthetic host on
     * it, or drive it from QEMU's thread. */
    BridgeInitiator host;
    /* Where remote r's M3 (ISS or host-built remote) binds its initiator socket. */
    tlm_utils::simple_target_socket_tagged<Router> &m3_socket(unsigned r = 0)
    {
        return bus.tsock[init(INIT_M3, r)];
    }
    /* Remote r's mailbox interrupt (user 2 of its own mailbox instance). */
    sc_core::sc_signal<bool> &m3_mbox_irq(unsigned r = 0)
    {
        return remotes_[r]->mbox_irq[MBOX_USER_M3];
    }
    /* Remoteproc route: HOLDBOOT (a rising edge releases a held M3) and the reset pulse
     * (a rising edge stops and holds it) of remote r. */
    sc_core::sc_signal<bool> &m3_boot(unsigned r = 0) { return remotes_[r]->boot; }
    sc_core::sc_signal<bool> &m3_reset(unsigned r = 0) { return remotes_[r]->reset; }
    /* Remote r's watchdog timeout (high from a missed refresh). */
    sc_core::sc_signal<bool> &wdt_timeout(unsigned r = 0) { return remotes_[r]->wdt_timeout; }
    /* Remote r crashed as the platform saw it (a fault or lock-up of the M3, reported by
     * rpvp::CrashMonitor; low again when the remote is reset). Its crash line into the
     * host's interrupt controller (its wdg_irq line, stm32_rproc's crash interrupt) is
     * this OR the watchdog's timeout, so Linux sees a fault at once, not only when the
     * watchdog expires. */
    sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> &m3_crashed(unsigned r = 0)
    {
        return remotes_[r]->crashed;
    }
    sc_core::sc_signal<bool> &crash_line(unsigned r = 0) { return remotes_[r]->crash_line; }
    bool remoteproc() const { return cfg_.desc.route == RPVP_ROUTE_REMOTEPROC; }

    /* Hand remote r's firmware resource table (M3 device address and size) to its device. */
    void set_resource_table(uint32_t m3_da, uint32_t size, unsigned r = 0);
    /* Remote r's memory regions for the firmware loader: device address -> DDR bus
     * address (its carveout at 0, and DDR at its Linux physical addresses). */
    const rpvp_fw_region *m3_regions(unsigned *n, unsigned r = 0) const;
    /* Load a firmware ELF into remote r's carveout and hand its resource table to its
     * device. Returns 0, or a negative rpvp_fw_error with the reason in *why. */
    int load_firmware(const std::string &path, rpvp_fw_info *info, std::string *why,
                      unsigned r = 0);

    /* Remote r's mailbox: its C core (nullptr with --mailbox=rtl) and the module. */
    rpvp_mbox *mailbox_core(unsigned r = 0) const { return remotes_[r]->mbox->core(); }
    OmapMailbox &mailbox(unsigned r = 0) { return *remotes_[r]->mbox; }
    /* Remote r's watchdog; its timeout line is wdt_timeout(r) (the remote's crash line). */
    OmapWdt &watchdog(unsigned r = 0) { return *remotes_[r]->wdt; }
    rpvp_vrpmsg *vdev_core(unsigned r = 0) const { return remotes_[r]->vdev->core(); }
    rpvp_syscon *syscon_core(unsigned r = 0) const { return remotes_[r]->syscon_core; }
    /* Human-readable statistics of the interconnect, and per remote of its mailbox and
     * device. */
    std::string report() const;

    Router bus;
    std::unique_ptr<SharedDdr> ddr_owner;
    SharedDdr &ddr;

private:
    /* What each remote has of its own: a mailbox instance, a virtio-mmio device, the
     * remoteproc route's syscon and reset controller, its loader regions and lines. */
    struct Remote {
        explicit Remote(unsigned r);
        ~Remote();
        std::unique_ptr<OmapMailbox> mbox; /* C model, RTL or both (cfg.mailbox) */
        std::unique_ptr<VirtioRpmsg> vdev;
        std::unique_ptr<OmapWdt> wdt;
        rpvp_syscon *syscon_core = nullptr;
        rpvp_rst *rst_core = nullptr;
        std::unique_ptr<CoreTarget> syscon, rst;
        rpvp_fw_region regions[RPVP_REMOTE_WINDOWS];
        sc_core::sc_vector<sc_core::sc_signal<bool>> mbox_irq;
        sc_core::sc_signal<bool> vdev_irq, boot, reset;
        sc_core::sc_signal<bool> wdt_timeout; /* high from a missed refresh */
        sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> crashed;
        sc_core::sc_signal<bool> crash_line; /* crashed || wdt_timeout, to the host */
        sc_core::sc_signal<bool> wdt_irq;
    };
    void build_remote(unsigned r, std::vector<bool> *driven);
    Omap4AmpConfig cfg_;
    std::vector<std::unique_ptr<Remote>> remotes_;
    sc_core::sc_signal<bool> low_{"low"}; /* inputs this route leaves unconnected */
    static int load_write(void *ctx, uint64_t pa, const void *data, size_t len);
};

} // namespace rpvp
#endif
