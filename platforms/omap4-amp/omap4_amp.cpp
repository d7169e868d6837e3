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

/* Remote r's name for a part: remote 0 keeps the plain name ("mailbox"), remote r > 0
 * gets "mailbox_<r>". */
static std::string part_name(const char *base, unsigned r)
{
    return r ? std::string(base) + "_" + std::to_string(r) : std::string(base);
}

Omap4Amp::Remote::Remote(unsigned r)
    : mbox_irq(part_name("mbox_irq", r).c_str(), 3), vdev_irq(part_name("vdev_irq", r).c_str()),
      boot(part_name("m3_boot", r).c_str()), reset(part_name("m3_reset", r).c_str()),
      wdt_timeout(part_name("wdt_timeout", r).c_str()), crashed(part_name("m3_crashed", r).c_str()),
      crash_line(part_name("crash_line", r).c_str()), wdt_irq(part_name("wdt_irq", r).c_str())
{
}

Omap4Amp::Remote::~Remote()
{
    wdt.reset();
    vdev.reset();
    mbox.reset();
    syscon.reset();
    rst.reset();
    rpvp_syscon_free(syscon_core);
    rpvp_rst_free(rst_core);
}

Omap4Amp::Omap4Amp(sc_module_name name, const Omap4AmpConfig &cfg_in)
    : sc_module(name), host("host", laid_out(cfg_in).desc.num_irqs, sc_time(1, SC_US)),
      bus("bus", init(INIT_M3, cfg_in.desc.num_remotes),
          tgt(TGT_MBOX, cfg_in.desc.num_remotes)),
      ddr_owner(make_ddr(cfg_in)), ddr(*ddr_owner), cfg_(laid_out(cfg_in))
{
    const rpvp_platform_desc &d = cfg_.desc;
    host.isock.bind(bus.tsock[INIT_HOST]);
    bus.isock[TGT_DDR].bind(ddr.tsock);
    bus.name_initiator(INIT_HOST, "host");
    bus.name_target(TGT_DDR, "ddr");
    bus.map(INIT_HOST, d.ddr_pa, d.ddr_size, TGT_DDR, 0, cfg_.l3_latency);
    std::vector<bool> driven(d.num_irqs);
    for (unsigned r = 0; r < d.num_remotes; r++)
        build_remote(r, &driven);
    /* A remote's reset (Linux's reset pulse on the remoteproc route: stop, crash
     * recovery) also resets its watchdog, one reset domain: the crash line drops, and the
     * next missed refresh is a new rising edge for Linux's crash handler. */
    for (unsigned r = 0; r < d.num_remotes; r++) {
        sc_spawn_options o;
        o.spawn_method();
        o.dont_initialize();
        o.set_sensitivity(&m3_reset(r).posedge_event());
        sc_spawn([this, r]() { watchdog(r).reset(); }, sc_gen_unique_name("wdt_reset"), &o);
        sc_spawn_options l;
        l.spawn_method();
        l.dont_initialize();
        l.set_sensitivity(&m3_crashed(r));
        l.set_sensitivity(&wdt_timeout(r));
        sc_spawn([this, r]() { crash_line(r).write(m3_crashed(r).read() || wdt_timeout(r).read()); },
                 sc_gen_unique_name("crash_line"), &l);
    }
    for (unsigned l = 0; l < d.num_irqs; l++) /* lines this route leaves undriven */
        if (!driven[l])
            host.irq[l](low_);
}

/* Remote r's blocks, their netlist, interrupt lines and maps. */
void Omap4Amp::build_remote(unsigned r, std::vector<bool> *driven)
{
    const rpvp_platform_desc &d = cfg_.desc;
    const rpvp_remote_desc &m3 = d.remote[r];
    const bool rproc = remoteproc();
    remotes_.push_back(std::make_unique<Remote>(r));
    Remote &p = *remotes_.back();

    rpvp_mbox_config mc;
    rpvp_mbox_config_default(&mc); /* OMAP4: 3 users, 8 FIFOs of depth 4 */
    const std::string mbox_name = part_name("mailbox", r);
    mc.name = mbox_name.c_str();
    mc.trace = cfg_.trace_devices;
    MailboxOptions mo = cfg_.mailbox;
    if (r > 0 && !mo.trace_file.empty()) /* one waveform file per instance: x.vcd, x-1.vcd */
        mo.trace_file.insert(mo.trace_file.size() - 4, "-" + std::to_string(r));
    p.mbox = std::make_unique<OmapMailbox>(mbox_name.c_str(), mc, cfg_.mbox_latency, mo);

    /* The device's own L3 view: DDR at the EMIF base, its remote's mailbox instance at
     * the next 4 KiB page per remote (instance 0 at OMAP4's L4_CFG address). */
    const uint64_t vdev_mbox = d.vdev_mbox_base + r * 0x1000ull;
    rpvp_vrpmsg_config vc;
    rpvp_vrpmsg_config_default(&vc);
    vc.version = cfg_.virtio_version;
    vc.trace = cfg_.trace_devices;
    vc.ddr_base = d.ddr_pa;
    vc.ddr_size = d.ddr_size;
    vc.ddr_bus_offset = d.vdev_ddr_base - d.ddr_pa;
    vc.mbox_base = vdev_mbox;
    vc.mbox_user = d.host_mbox_user; /* FIFOs: the channel plan, rpvp/mbox_channels.h */
    /* On the remoteproc route Linux is the host's mailbox user: the device stays idle
     * (no mailbox access), deaf and unmapped. */
    p.vdev = std::make_unique<VirtioRpmsg>(part_name("vdev", r).c_str(), vc, cfg_.vdev_latency,
                                           !rproc);
    p.wdt = std::make_unique<OmapWdt>(part_name("watchdog", r).c_str(), cfg_.wdt_latency);

    /* A running remote (rpvp loaded it before Linux boots) shows state "running"; the
     * resource-table address is set when the firmware is loaded. */
    p.syscon_core = rpvp_syscon_new(d.remote_running ? RPVP_SYSCON_STATE_RUNNING
                                                     : RPVP_SYSCON_STATE_OFF, 0);
    p.rst_core = rpvp_rst_new();
    if (!p.syscon_core || !p.rst_core)
        throw std::runtime_error("omap4-amp: out of memory");
    p.syscon = std::make_unique<CoreTarget>(part_name("syscon", r).c_str(), rpvp_syscon_ops(),
                                            p.syscon_core, cfg_.ctrl_latency);
    p.rst = std::make_unique<CoreTarget>(part_name("reset", r).c_str(), rpvp_rst_ops(),
                                         p.rst_core, cfg_.ctrl_latency);

    /* Netlist. */
    p.vdev->isock().bind(bus.tsock[init(INIT_VDEV, r)]);
    bus.isock[tgt(TGT_MBOX, r)].bind(p.mbox->tsock());
    bus.isock[tgt(TGT_VDEV, r)].bind(p.vdev->tsock());
    bus.isock[tgt(TGT_WDT, r)].bind(p.wdt->tsock());
    p.wdt->timeout()(p.wdt_timeout);
    p.wdt->irq()(p.wdt_irq);
    bus.isock[tgt(TGT_SYSCON, r)].bind(p.syscon->tsock);
    bus.isock[tgt(TGT_RESET, r)].bind(p.rst->tsock);
    for (unsigned u = 0; u < 3; u++)
        p.mbox->irq(u)(p.mbox_irq[u]);
    p.syscon->irq_out[0](p.boot);
    p.rst->irq_out[0](p.reset);
    p.vdev->irq_in()(rproc ? low_ : p.mbox_irq[d.host_mbox_user]);
    p.vdev->irq_out()(p.vdev_irq);
    const rpvp_host_block vdev = rpvp_remote_block(&d, &d.vdev, r),
                          mbox = rpvp_remote_block(&d, &d.mbox, r),
                          syscon = rpvp_remote_block(&d, &d.syscon, r),
                          reset = rpvp_remote_block(&d, &d.reset, r);
    const auto drive = [&](int line, sc_signal<bool> &sig) {
        host.irq[static_cast<unsigned>(line)](sig);
        (*driven)[static_cast<unsigned>(line)] = true;
    };
    if (rproc)
        drive(mbox.irq, p.mbox_irq[d.host_mbox_user]);
    else
        drive(vdev.irq, p.vdev_irq);
    if (m3.wdg_irq >= 0)
        drive(m3.wdg_irq, p.crash_line); /* stm32_rproc's crash ("watchdog") interrupt */

    bus.name_initiator(init(INIT_M3, r), m3.name);
    bus.name_initiator(init(INIT_VDEV, r), part_name("vdev", r));
    bus.name_target(tgt(TGT_MBOX, r), mbox_name);
    bus.name_target(tgt(TGT_VDEV, r), part_name("virtio-mmio", r));
    bus.name_target(tgt(TGT_WDT, r), part_name("watchdog", r));
    bus.name_target(tgt(TGT_SYSCON, r), part_name("syscon", r));
    bus.name_target(tgt(TGT_RESET, r), part_name("reset", r));

    /* Maps. */
    const sc_time l3 = cfg_.l3_latency;
    const std::pair<const rpvp_host_block *, Target> blocks[] = {
        {&vdev, TGT_VDEV}, {&mbox, TGT_MBOX}, {&syscon, TGT_SYSCON}, {&reset, TGT_RESET}};
    for (const auto &b : blocks)
        if (b.first->size)
            bus.map(INIT_HOST, b.first->base, b.first->size, tgt(b.second, r), 0, l3);
    const unsigned m3_port = init(INIT_M3, r);
    for (unsigned w = 0; w < RPVP_REMOTE_WINDOWS; w++) {
        const rpvp_da_window &win = m3.win[w];
        const uint64_t off = win.pa - d.ddr_pa;
        if (w == 0 && cfg_.unicache(r))
            bus.map(m3_port, win.da, win.size, TGT_DDR, off, cfg_.m3_unicache_latency,
                    Router::Latency::replace);
        else
            bus.map(m3_port, win.da, win.size, TGT_DDR, off, l3);
        p.regions[w] = rpvp_fw_region{win.da, static_cast<uint32_t>(win.size), win.pa, win.name};
    }
    bus.map(m3_port, m3.mbox_da, 0x1000, tgt(TGT_MBOX, r), 0, l3);
    bus.map(m3_port, m3.wdt_da, RPVP_WDT_WINDOW_SIZE, tgt(TGT_WDT, r), 0, l3);
    bus.map(init(INIT_VDEV, r), d.vdev_ddr_base, d.ddr_size, TGT_DDR, 0, l3);
    bus.map(init(INIT_VDEV, r), vdev_mbox, 0x1000, tgt(TGT_MBOX, r), 0, l3);
}

Omap4Amp::~Omap4Amp()
{
    remotes_.clear();
}

const rpvp_fw_region *Omap4Amp::m3_regions(unsigned *n, unsigned r) const
{
    *n = RPVP_REMOTE_WINDOWS;
    return remotes_.at(r)->regions;
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

int Omap4Amp::load_firmware(const std::string &path, rpvp_fw_info *info, std::string *why,
                            unsigned r)
{
    char err[512] = "";
    unsigned n;
    const rpvp_fw_region *map = m3_regions(&n, r);
    int rc = rpvp_fw_load_file(path.c_str(), map, n, load_write, this, info, err, sizeof(err));
    if (rc != RPVP_FW_OK) {
        if (why)
            *why = err;
        return rc;
    }
    set_resource_table(info->rsc_da, info->rsc_size, r);
    return 0;
}

void Omap4Amp::set_resource_table(uint32_t m3_da, uint32_t size, unsigned r)
{
    uint64_t pa = 0;
    unsigned n;
    const rpvp_fw_region *map = m3_regions(&n, r);
    if (!rpvp_fw_da_to_pa(map, n, m3_da, size, &pa))
        throw std::invalid_argument("omap4-amp: resource table outside the M3's memory");
    if (cfg_.desc.remote_running) /* what a boot loader that started the remote leaves */
        rpvp_syscon_preset(remotes_[r]->syscon_core, RPVP_SYSCON_STATE_RUNNING, m3_da);
    /* pa is a Linux physical address; the device sees DDR at its L3 base. */
    rpvp_vrpmsg_set_rsc_table(vdev_core(r), pa - cfg_.desc.ddr_pa + cfg_.desc.vdev_ddr_base,
                              size);
}

std::string Omap4Amp::report() const
{
    std::ostringstream o;
    o << bus.report();
    for (unsigned r = 0; r < num_remotes(); r++) {
        const std::string who =
            num_remotes() > 1 ? " of remote " + std::to_string(r) + " (" + cfg_.desc.remote[r].name + ")"
                              : std::string();
        const OmapMailbox &mb = *remotes_[r]->mbox;
        o << "mailbox FIFOs" << who << " [" << mailbox_kind_name(mb.mailbox_kind())
          << "] (messages, high-water, overflows, empty reads):\n";
        for (unsigned f = 0;; f++) {
            rpvp_mbox_fifo_stats s;
            if (mb.fifo_stats(f, &s) != 0)
                break;
            if (s.messages + s.empty_reads == 0)
                continue;
            o << "  fifo " << f << ": " << s.messages << ", " << s.high_water << ", "
              << s.overflows << ", " << s.empty_reads << "\n";
        }
        if (const MboxRtlCore *rtl = mb.rtl())
            o << "mailbox RTL" << who << ": " << rtl->cycles() << " clock cycles of "
              << rtl->clock_period_ps() / 1000.0 << " ns\n";
        if (const MboxScoreboard *b = mb.scoreboard())
            o << b->summary() << who << "\n";
        rpvp_vrpmsg_stats v;
        rpvp_vrpmsg_get_stats(vdev_core(r), &v);
        if (remoteproc()) { /* Linux's own remoteproc and omap-mailbox move the messages */
            o << "virtio-rpmsg" << who << ": not on this route (Linux's remoteproc)\n";
        } else {
            o << "virtio-rpmsg" << who << ": notifies " << v.notifies << ", mailbox kicks sent "
              << v.mbox_sent << " (deferred " << v.kicks_deferred << ", coalesced "
              << v.kicks_coalesced << "), remote kicks " << v.mbox_received << ", interrupts "
              << v.interrupts << ", guest errors " << v.guest_errors << "\n";
            for (unsigned q = 0; q < 2; q++)
                o << "  vq" << q << ": num " << v.queue[q].num << ", max in flight "
                  << v.queue[q].max_in_flight << ", all-buffers-in-flight samples "
                  << v.queue[q].full_events << "\n";
        }
        rpvp_wdt_stats w;
        rpvp_wdt_get_stats(remotes_[r]->wdt->core(), &w);
        o << "watchdog" << who << ": starts " << w.starts << ", refreshes " << w.refreshes
          << ", timeouts " << w.timeouts << "\n";
    }
    return o.str();
}

} // namespace rpvp
