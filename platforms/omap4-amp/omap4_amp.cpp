/* rpvp::Omap4Amp: instantiate, map, bind, wire interrupts. No behaviour here. */
#include "omap4_amp.h"

#include <unistd.h>

#include <cstring>
#include <sstream>
#include <stdexcept>

using namespace sc_core;

namespace rpvp {

static std::unique_ptr<SharedDdr> make_ddr(const Omap4AmpConfig &c)
{
    std::string file = c.ddr_file.empty() ? "rpvp-" + std::to_string(getpid()) : c.ddr_file;
    if (c.ddr_attach)
        return std::make_unique<SharedDdr>("ddr", SharedDdr::Attach{}, "/dev/shm/" + file,
                                           c.ddr_size);
    return std::make_unique<SharedDdr>("ddr", file, c.ddr_size);
}

Omap4Amp::Omap4Amp(sc_module_name name, const Omap4AmpConfig &cfg)
    : sc_module(name), bus("bus", NUM_INITIATORS, NUM_TARGETS),
      ddr_owner(make_ddr(cfg)), ddr(*ddr_owner), cfg_(cfg), mbox_core_(nullptr)
{
    if (cfg.carveout_size == 0 || cfg.carveout_size > cfg.ddr_size)
        throw std::invalid_argument("omap4-amp: carveout must be 1..ddr_size bytes");

    rpvp_mbox_config mc;
    rpvp_mbox_config_default(&mc); /* OMAP4: 3 users, 8 FIFOs of depth 4 */
    mc.name = "mailbox";
    mc.trace = cfg.trace_devices;
    mbox_core_ = rpvp_mbox_new(&mc);
    if (!mbox_core_)
        throw std::runtime_error("omap4-amp: mailbox configuration refused");
    mbox_ = std::make_unique<CoreTarget>("mailbox", rpvp_mbox_ops(mbox_core_), mbox_core_,
                                         cfg.mbox_latency);
    rpvp_mbox_set_clock(mbox_core_, mbox_->clock());

    rpvp_vrpmsg_config vc;
    rpvp_vrpmsg_config_default(&vc);
    vc.version = cfg.virtio_version;
    vc.trace = cfg.trace_devices;
    vc.ddr_base = cfg.ddr_base;
    vc.ddr_size = cfg.ddr_size;
    vc.ddr_bus_offset = cfg.l3_ddr_base - cfg.ddr_base;
    vc.mbox_base = cfg.mbox_base;
    vc.mbox_user = MBOX_USER_VDEV; /* FIFOs: the channel plan, rpvp/mbox_channels.h */
    vdev_ = std::make_unique<VirtioRpmsg>("vdev", vc, cfg.vdev_latency);
    wdt_ = std::make_unique<OmapWdt>("watchdog", cfg.wdt_latency);

    /* Netlist. */
    host.isock.bind(bus.tsock[INIT_HOST]);
    vdev_->isock().bind(bus.tsock[INIT_VDEV]);
    bus.isock[TGT_DDR].bind(ddr.tsock);
    bus.isock[TGT_MBOX].bind(mbox_->tsock);
    bus.isock[TGT_VDEV].bind(vdev_->tsock());
    bus.isock[TGT_WDT].bind(wdt_->tsock());
    wdt_->timeout()(wdt_timeout);
    wdt_->irq()(wdt_irq);
    for (unsigned u = 0; u < 3; u++)
        mbox_->irq_out[u](mbox_irq[u]);
    vdev_->irq_in()(mbox_irq[MBOX_USER_VDEV]);
    vdev_->irq_out()(vdev_irq);
    host.irq[0](vdev_irq);

    bus.name_initiator(INIT_HOST, "host");
    bus.name_initiator(INIT_M3, "m3");
    bus.name_initiator(INIT_VDEV, "vdev");
    bus.name_target(TGT_DDR, "ddr");
    bus.name_target(TGT_MBOX, "mailbox");
    bus.name_target(TGT_VDEV, "virtio-mmio");
    bus.name_target(TGT_WDT, "watchdog");

    /* Maps. */
    const sc_time l3 = cfg.l3_latency;
    bus.map(INIT_HOST, cfg.ddr_base, cfg.ddr_size, TGT_DDR, 0, l3);
    bus.map(INIT_HOST, cfg.vdev_base, RPVP_VRPMSG_WINDOW_SIZE, TGT_VDEV, 0, l3);
    const uint64_t carve_off = cfg.ddr_size - cfg.carveout_size;
    if (cfg.m3_unicache)
        bus.map(INIT_M3, 0, cfg.carveout_size, TGT_DDR, carve_off, cfg.m3_unicache_latency,
                Router::Latency::replace);
    else
        bus.map(INIT_M3, 0, cfg.carveout_size, TGT_DDR, carve_off, l3);
    bus.map(INIT_M3, cfg.ddr_base, cfg.ddr_size, TGT_DDR, 0, l3);
    bus.map(INIT_M3, cfg.m3_mbox_base, 0x1000, TGT_MBOX, 0, l3);
    bus.map(INIT_M3, cfg.m3_wdt_base, RPVP_WDT_WINDOW_SIZE, TGT_WDT, 0, l3);
    bus.map(INIT_VDEV, cfg.l3_ddr_base, cfg.ddr_size, TGT_DDR, 0, l3);
    bus.map(INIT_VDEV, cfg.mbox_base, 0x1000, TGT_MBOX, 0, l3);

    regions_[0] = rpvp_fw_region{0, static_cast<uint32_t>(cfg.carveout_size),
                                 cfg.carveout_pa(), "carveout"};
    regions_[1] = rpvp_fw_region{static_cast<uint32_t>(cfg.ddr_base),
                                 static_cast<uint32_t>(cfg.ddr_size), cfg.ddr_base, "ddr"};
}

Omap4Amp::~Omap4Amp()
{
    wdt_.reset();
    vdev_.reset();
    mbox_.reset();
    rpvp_mbox_free(mbox_core_);
}

const rpvp_fw_region *Omap4Amp::m3_regions(unsigned *n) const
{
    *n = 2;
    return regions_;
}

int Omap4Amp::load_write(void *ctx, uint64_t pa, const void *data, size_t len)
{
    auto *self = static_cast<Omap4Amp *>(ctx);
    const uint64_t base = self->cfg_.ddr_base;
    if (pa < base || pa - base > self->ddr.size() || len > self->ddr.size() - (pa - base))
        return -1;
    std::memcpy(self->ddr.data() + (pa - base), data, len);
    return 0;
}

int Omap4Amp::load_firmware(const std::string &path, rpvp_fw_info *info, std::string *why)
{
    char err[512] = "";
    unsigned n;
    const rpvp_fw_region *map = m3_regions(&n);
    int rc = rpvp_fw_load_file(path.c_str(), map, n, load_write, this, info, err, sizeof(err));
    if (rc != RPVP_FW_OK) {
        if (why)
            *why = err;
        return rc;
    }
    set_resource_table(info->rsc_da, info->rsc_size);
    return 0;
}

void Omap4Amp::set_resource_table(uint32_t m3_da, uint32_t size)
{
    uint64_t pa = 0;
    unsigned n;
    const rpvp_fw_region *map = m3_regions(&n);
    if (!rpvp_fw_da_to_pa(map, n, m3_da, size, &pa))
        throw std::invalid_argument("omap4-amp: resource table outside the M3's memory");
    /* pa is a Linux physical address; the device sees DDR at its L3 base. */
    rpvp_vrpmsg_set_rsc_table(vdev_->core(), pa - cfg_.ddr_base + cfg_.l3_ddr_base, size);
}

std::string Omap4Amp::report() const
{
    std::ostringstream o;
    o << bus.report();
    o << "mailbox FIFOs (messages, high-water, overflows, empty reads):\n";
    for (unsigned f = 0; f < rpvp_mbox_num_fifos(mbox_core_); f++) {
        rpvp_mbox_fifo_stats s;
        if (rpvp_mbox_get_fifo_stats(mbox_core_, f, &s) != 0 || s.messages + s.empty_reads == 0)
            continue;
        o << "  fifo " << f << ": " << s.messages << ", " << s.high_water << ", " << s.overflows
          << ", " << s.empty_reads << "\n";
    }
    rpvp_vrpmsg_stats v;
    rpvp_vrpmsg_get_stats(vdev_->core(), &v);
    o << "virtio-rpmsg: notifies " << v.notifies << ", mailbox kicks sent " << v.mbox_sent
      << " (deferred " << v.kicks_deferred << ", coalesced " << v.kicks_coalesced
      << "), remote kicks " << v.mbox_received << ", interrupts " << v.interrupts
      << ", guest errors " << v.guest_errors << "\n";
    rpvp_wdt_stats w;
    rpvp_wdt_get_stats(wdt_->core(), &w);
    o << "watchdog: starts " << w.starts << ", refreshes " << w.refreshes << ", timeouts "
      << w.timeouts << "\n";
    for (unsigned q = 0; q < 2; q++)
        o << "  vq" << q << ": num " << v.queue[q].num << ", max in flight "
          << v.queue[q].max_in_flight << ", all-buffers-in-flight samples "
          << v.queue[q].full_events << "\n";
    return o.str();
}

} // namespace rpvp
