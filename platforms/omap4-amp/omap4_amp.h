/*
 * rpvp::Omap4Amp — the reference platform: the parts of an OMAP4-class SoC that carry
 * rpmsg traffic, as a flat netlist.
 *
 *   initiators                       targets
 *   host  (QEMU's bridge or the      ddr   shared DDR (/dev/shm file; QEMU's guest RAM)
 *          synthetic host)           mbox  OMAP4 system mailbox (3 users, 8 FIFOs x 4)
 *   m3    (Cortex-M3 ISS or the      vdev  virtio-mmio rpmsg device registers
 *          host-built remote)
 *   vdev  (the device's bus master)
 *
 * Address maps (architecture.md, section 3):
 *   host: DDR at ddr_base (Linux physical, QEMU virt: 0x40000000), virtio-mmio window at
 *         vdev_base (0x0b000000, GIC SPI vdev_spi).
 *   m3:   its carveout (the top carveout_size bytes of DDR) at 0 through the AMMU-like
 *         window; all of DDR at its Linux physical addresses (vrings, buffers); the
 *         mailbox at m3_mbox_base (0xAA0F4000), user 2, FIFOs as rpvp/mbox_channels.h;
 *         its watchdog (OMAP4 WD_TIMER) at m3_wdt_base (0xAA314000).
 *   vdev: DDR at OMAP4's EMIF base 0x80000000 (QEMU virt's RAM at 0x40000000 would
 *         overlap the L4 window), the mailbox at its own base (0x4A0F4000) as user 0.
 * Interrupts: vdev_irq (to the host's GIC), mbox_irq[u] per mailbox user (user 2 is the
 * M3's NVIC input, user 0 the virtio device's input), wdt_timeout (the watchdog's
 * reset request: the remote's crash line), wdt_irq.
 */
#ifndef RPVP_OMAP4_AMP_H
#define RPVP_OMAP4_AMP_H

#include <systemc>

#include <cstdint>
#include <memory>
#include <string>

#include "bridge_initiator.h"
#include "core_target.h"
#include "ddr_tlm.h"
#include "router.h"
#include "loader.h"
#include "omap_wdt_tlm.h"
#include "rpvp/mbox_channels.h"
#include "rpvp/omap_mailbox.h"
#include "virtio_rpmsg_tlm.h"

namespace rpvp {

struct Omap4AmpConfig {
    std::string ddr_file;                   /* name under /dev/shm; empty: rpvp-<pid> */
    bool ddr_attach = false;                /* use an existing /dev/shm/<ddr_file> (QEMU's RAM) */
    uint64_t ddr_base = 0x40000000;         /* Linux physical address of DDR */
    uint64_t ddr_size = 256ull << 20;
    uint64_t carveout_size = 16ull << 20;   /* the M3's memory: top of DDR, at M3 address 0 */
    uint64_t vdev_base = 0x0b000000;
    unsigned vdev_spi = 10;
    uint64_t mbox_base = 0x4A0F4000;        /* OMAP4 L4_CFG system mailbox */
    uint64_t m3_mbox_base = 0xAA0F4000;     /* the same, through the M3's L3 window */
    /* The M3's watchdog: an OMAP4 WD_TIMER at WD_TIMER2's L4_WKUP address 0x4A314000,
     * seen by the M3 through the same window (docs/models/watchdog.md). */
    uint64_t m3_wdt_base = 0xAA314000;
    sc_core::sc_time wdt_latency = sc_core::sc_time(20, sc_core::SC_NS);
    /* Where the virtio device (an L3 master) sees DDR: OMAP4's EMIF base. Linux's
     * physical view (QEMU virt) has RAM at 0x40000000, which would overlap the L4 window
     * holding the mailbox at 0x4A0F4000, so the device's map uses the SoC's own layout. */
    uint64_t l3_ddr_base = 0x80000000;
    uint32_t virtio_version = 2;
    sc_core::sc_time host_quantum = sc_core::sc_time(1, sc_core::SC_US);
    sc_core::sc_time mbox_latency = sc_core::sc_time(20, sc_core::SC_NS);
    sc_core::sc_time vdev_latency = sc_core::sc_time(20, sc_core::SC_NS);
    sc_core::sc_time l3_latency = sc_core::sc_time(10, sc_core::SC_NS); /* per route */
    /* Ducati's Unicache in front of the M3's carveout, as an ideal cache (every access
     * hits) with this latency instead of the DDR's; the TRM's cycle counts assume zero
     * wait states. Vrings and buffers (Linux's DDR) stay uncached. */
    bool m3_unicache = true;
    bool trace_devices = false; /* one log line per mailbox / virtio register access */
    sc_core::sc_time m3_unicache_latency = sc_core::SC_ZERO_TIME;

    uint64_t carveout_pa() const { return ddr_base + ddr_size - carveout_size; }
};

class Omap4Amp : public sc_core::sc_module {
public:
    enum Initiator : unsigned { INIT_HOST, INIT_M3, INIT_VDEV, NUM_INITIATORS };
    enum Target : unsigned { TGT_DDR, TGT_MBOX, TGT_VDEV, TGT_WDT, NUM_TARGETS };
    static constexpr unsigned MBOX_USER_VDEV = RPVP_MBOX_HOST_USER,
                              MBOX_USER_M3 = RPVP_MBOX_REMOTE_USER;

    Omap4Amp(sc_core::sc_module_name name, const Omap4AmpConfig &cfg);
    ~Omap4Amp() override;

    const Omap4AmpConfig &config() const { return cfg_; }

    /* The host side: a bridge port whose irq[0] is the virtio device's interrupt. Spawn
     * the synthetic host on it, or drive it from QEMU's thread. */
    BridgeInitiator host{"host", 1, sc_core::sc_time(1, sc_core::SC_US)};
    /* Where the M3 (ISS or host-built remote) binds its initiator socket. */
    tlm_utils::simple_target_socket_tagged<Router> &m3_socket() { return bus.tsock[INIT_M3]; }
    /* The M3's mailbox interrupt (user 2). */
    sc_core::sc_signal<bool> &m3_mbox_irq() { return mbox_irq[MBOX_USER_M3]; }

    /* Hand the firmware's resource table (M3 device address and size) to the device. */
    void set_resource_table(uint32_t m3_da, uint32_t size);
    /* The M3's memory regions for the firmware loader: device address -> DDR bus address
     * (the carveout at 0, and DDR at its Linux physical addresses). */
    const rpvp_fw_region *m3_regions(unsigned *n) const;
    /* Load a firmware ELF into the carveout and hand its resource table to the device.
     * Returns 0, or a negative rpvp_fw_error with the reason in *why. */
    int load_firmware(const std::string &path, rpvp_fw_info *info, std::string *why);

    rpvp_mbox *mailbox_core() const { return mbox_core_; }
    /* The M3's watchdog; its timeout line is wdt_timeout (the remote's crash line). */
    OmapWdt &watchdog() { return *wdt_; }
    rpvp_vrpmsg *vdev_core() const { return vdev_->core(); }
    /* Human-readable statistics of the interconnect, mailbox and device. */
    std::string report() const;

    Router bus;
    std::unique_ptr<SharedDdr> ddr_owner;
    SharedDdr &ddr;

private:
    Omap4AmpConfig cfg_;
    rpvp_mbox *mbox_core_;
    std::unique_ptr<CoreTarget> mbox_;
    std::unique_ptr<VirtioRpmsg> vdev_;
    std::unique_ptr<OmapWdt> wdt_;
    rpvp_fw_region regions_[2];
    static int load_write(void *ctx, uint64_t pa, const void *data, size_t len);

public:
    sc_core::sc_vector<sc_core::sc_signal<bool>> mbox_irq{"mbox_irq", 3};
    sc_core::sc_signal<bool> vdev_irq{"vdev_irq"};
    sc_core::sc_signal<bool> wdt_timeout{"wdt_timeout"}; /* high from a missed refresh */
    sc_core::sc_signal<bool> wdt_irq{"wdt_irq"};
};

} // namespace rpvp
#endif
