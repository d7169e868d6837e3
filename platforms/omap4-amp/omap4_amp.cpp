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
                                           c.desc.ddr_size);
    return std::make_unique<SharedDdr>("ddr", file, c.desc.ddr_size);
}

/* The configuration with every address derived from the sizes, checked. */
static Omap4AmpConfig laid_out(Omap4AmpConfig c)
{
    rpvp_platform_desc_layout(&c.desc);
    char err[256];
    if (rpvp_platform_desc_check(&c.desc, err, sizeof(err)) != 0)
        throw std::invalid_argument(std::string("omap4-amp: ") + err);
    return c;
}

Omap4Amp::Omap4Amp(sc_module_name name, const Omap4AmpConfig &cfg_in)
    : sc_module(name), host("host", laid_out(cfg_in).desc.num_irqs, sc_time(1, SC_US)),
      bus("bus", NUM_INITIATORS, NUM_TARGETS), ddr_owner(make_ddr(cfg_in)), ddr(*ddr_owner),
      cfg_(laid_out(cfg_in)), mbox_core_(nullptr)
{
    const rpvp_platform_desc &d = cfg_.desc;
    const rpvp_remote_desc &m3 = d.remote[0];
    const bool rproc = remoteproc();

    rpvp_mbox_config mc;
    rpvp_mbox_config_default(&mc); /* OMAP4: 3 users, 8 FIFOs of depth 4 */
    mc.name = "mailbox";
    mc.trace = cfg_.trace_devices;
    mbox_core_ = rpvp_mbox_new(&mc);
    if (!mbox_core_)
        throw std::runtime_error("omap4-amp: mailbox configuration refused");
    mbox_ = std::make_unique<CoreTarget>("mailbox", rpvp_mbox_ops(mbox_core_), mbox_core_,
                                         cfg_.mbox_latency);
    rpvp_mbox_set_clock(mbox_core_, mbox_->clock());

    rpvp_vrpmsg_config vc;
    rpvp_vrpmsg_config_default(&vc);
    vc.version = cfg_.virtio_version;
    vc.trace = cfg_.trace_devices;
    vc.ddr_base = d.ddr_pa;
    vc.ddr_size = d.ddr_size;
    vc.ddr_bus_offset = d.vdev_ddr_base - d.ddr_pa;
    vc.mbox_base = d.vdev_mbox_base;
    vc.mbox_user = d.host_mbox_user; /* FIFOs: the channel plan, rpvp/mbox_channels.h */
    vdev_ = std::make_unique<VirtioRpmsg>("vdev", vc, cfg_.vdev_latency);

    /* A running remote (rpvp loaded it before Linux boots) shows state "running"; the
     * resource-table address is set when the firmware is loaded. */
    syscon_core_ = rpvp_syscon_new(d.remote_running ? RPVP_SYSCON_STATE_RUNNING
                                                    : RPVP_SYSCON_STATE_OFF, 0);
    rst_core_ = rpvp_rst_new();
    if (!syscon_core_ || !rst_core_)
        throw std::runtime_error("omap4-amp: out of memory");
    syscon_ = std::make_unique<CoreTarget>("syscon", rpvp_syscon_ops(), syscon_core_,
                                           cfg_.ctrl_latency);
    rst_ = std::make_unique<CoreTarget>("reset", rpvp_rst_ops(), rst_core_, cfg_.ctrl_latency);
    wdt_ = std::make_unique<OmapWdt>("watchdog", cfg_.wdt_latency);

    /* Netlist. */
    host.isock.bind(bus.tsock[INIT_HOST]);
    vdev_->isock().bind(bus.tsock[INIT_VDEV]);
    bus.isock[TGT_DDR].bind(ddr.tsock);
    bus.isock[TGT_MBOX].bind(mbox_->tsock);
    bus.isock[TGT_VDEV].bind(vdev_->tsock());
    bus.isock[TGT_WDT].bind(wdt_->tsock());
    wdt_->timeout()(wdt_timeout);
    wdt_->irq()(wdt_irq);
    bus.isock[TGT_SYSCON].bind(syscon_->tsock);
    bus.isock[TGT_RESET].bind(rst_->tsock);
    for (unsigned u = 0; u < 3; u++)
        mbox_->irq_out[u](mbox_irq[u]);
    syscon_->irq_out[0](m3_boot);
    rst_->irq_out[0](m3_reset);
    /* On the remoteproc route Linux is the host's mailbox user: the virtio device must
     * not take its messages, so it stays deaf and unmapped. */
    vdev_->irq_in()(rproc ? low_ : mbox_irq[d.host_mbox_user]);
    vdev_->irq_out()(vdev_irq);
    for (unsigned l = 0; l < d.num_irqs; l++) {
        if (!rproc && static_cast<int>(l) == d.vdev.irq)
            host.irq[l](vdev_irq);
        else if (rproc && static_cast<int>(l) == d.mbox.irq)
            host.irq[l](mbox_irq[d.host_mbox_user]);
        else if (static_cast<int>(l) == m3.wdg_irq)
            host.irq[l](wdt_timeout); /* the remote's crash line (remoteproc: watchdog) */
        else
            host.irq[l](low_);
    }

    bus.name_initiator(INIT_HOST, "host");
    bus.name_initiator(INIT_M3, "m3");
    bus.name_initiator(INIT_VDEV, "vdev");
    bus.name_target(TGT_DDR, "ddr");
    bus.name_target(TGT_MBOX, "mailbox");
    bus.name_target(TGT_VDEV, "virtio-mmio");
    bus.name_target(TGT_WDT, "watchdog");
    bus.name_target(TGT_SYSCON, "syscon");
    bus.name_target(TGT_RESET, "reset");

    /* Maps. */
    const sc_time l3 = cfg_.l3_latency;
    bus.map(INIT_HOST, d.ddr_pa, d.ddr_size, TGT_DDR, 0, l3);
    const std::pair<const rpvp_host_block *, Target> blocks[] = {
        {&d.vdev, TGT_VDEV}, {&d.mbox, TGT_MBOX}, {&d.syscon, TGT_SYSCON}, {&d.reset, TGT_RESET}};
    for (const auto &b : blocks)
        if (b.first->size)
            bus.map(INIT_HOST, b.first->base, b.first->size, b.second, 0, l3);
    for (unsigned w = 0; w < RPVP_REMOTE_WINDOWS; w++) {
        const rpvp_da_window &win = m3.win[w];
        const uint64_t off = win.pa - d.ddr_pa;
        if (w == 0 && cfg_.m3_unicache)
            bus.map(INIT_M3, win.da, win.size, TGT_DDR, off, cfg_.m3_unicache_latency,
                    Router::Latency::replace);
        else
            bus.map(INIT_M3, win.da, win.size, TGT_DDR, off, l3);
        regions_[w] = rpvp_fw_region{win.da, static_cast<uint32_t>(win.size), win.pa, win.name};
    }
    bus.map(INIT_M3, m3.mbox_da, 0x1000, TGT_MBOX, 0, l3);
    bus.map(INIT_M3, m3.wdt_da, RPVP_WDT_WINDOW_SIZE, TGT_WDT, 0, l3);
    bus.map(INIT_VDEV, d.vdev_ddr_base, d.ddr_size, TGT_DDR, 0, l3);
    bus.map(INIT_VDEV, d.vdev_mbox_base, 0x1000, TGT_MBOX, 0, l3);
}

Omap4Amp::~Omap4Amp()
{
    wdt_.reset();
    vdev_.reset();
    mbox_.reset();
    syscon_.reset();
    rst_.reset();
    rpvp_mbox_free(mbox_core_);
    rpvp_syscon_free(syscon_core_);
    rpvp_rst_free(rst_core_);
}

const rpvp_fw_region *Omap4Amp::m3_regions(unsigned *n) const
{
    *n = RPVP_REMOTE_WINDOWS;
    return regions_;
}

int Omap4Amp::load_write(void *ctx, uint64_t pa, const void *data, size_t len)
{
    auto *self = static_cast<Omap4Amp *>(ctx);
    const uint64_t base = self->cfg_.desc.ddr_pa;
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
    if (cfg_.desc.remote_running) /* what a boot loader that started the remote leaves */
        rpvp_syscon_preset(syscon_core_, RPVP_SYSCON_STATE_RUNNING, m3_da);
    /* pa is a Linux physical address; the device sees DDR at its L3 base. */
    rpvp_vrpmsg_set_rsc_table(vdev_->core(), pa - cfg_.desc.ddr_pa + cfg_.desc.vdev_ddr_base,
                              size);
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
