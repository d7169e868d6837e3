/* rpvp::AmpSystem: SoC + Cortex-M3 + firmware. */
#include "amp_system.h"

#include <sstream>
#include <stdexcept>

namespace rpvp {

AmpSystem::AmpSystem(sc_core::sc_module_name name, const AmpSystemConfig &cfg)
    : sc_module(name), cfg_(cfg)
{
    soc_ = std::make_unique<Omap4Amp>("soc", cfg.soc);
    const unsigned num_irq = 64; /* Ducati's NVIC */
    if (cfg.soc.desc.remote[0].mbox_nvic_irq >= num_irq)
        throw std::invalid_argument("m3 mailbox irq beyond the NVIC");
    /* OMAP4's Cortex-M3 implements 4 priority bits. */
    if (cfg.m3_gdb_port < 0 || cfg.m3_gdb_port > 65535)
        throw std::invalid_argument("m3 gdb port " + std::to_string(cfg.m3_gdb_port) +
                                    " is not a TCP port");
    if (cfg.firmware_more.size() + 1 > cfg.soc.desc.num_remotes)
        throw std::invalid_argument(std::to_string(cfg.firmware_more.size() + 1) +
                                    " firmware files for " +
                                    std::to_string(cfg.soc.desc.num_remotes) + " remotes");
    /* On the remoteproc route Linux controls the M3 (hold-boot, reset); unless rpvp
     * started the remote before Linux boots, it waits for Linux's first release. */
    const bool rproc = soc_->remoteproc();
    const bool linux_loads = rproc && !cfg.soc.desc.remote_running;
    fw_.resize(cfg.soc.desc.num_remotes);
    for (unsigned r = 0; r < cfg.soc.desc.num_remotes; r++) {
        const rpvp_remote_desc &rd = cfg.soc.desc.remote[r];
        if (rd.mbox_nvic_irq >= num_irq)
            throw std::invalid_argument(std::string(rd.name) + ": mailbox irq beyond the NVIC");
        /* gdb serves remote 0 only (one port). */
        m3_.push_back(std::make_unique<Cm3Cpu>(rd.name, num_irq, cfg.clock_hz(r),
                                               cfg.m3_quantum, 4, r ? 0 : cfg.m3_gdb_port,
                                               rproc, linux_loads));
        Cm3Cpu &m3 = *m3_.back();
        cm3_count_direct(m3.core(), cfg.count_ddr);
        m3.isock.bind(soc_->m3_socket(r));
        for (unsigned i = 0; i < num_irq; i++)
            m3.irq[i](i == rd.mbox_nvic_irq ? soc_->m3_mbox_irq(r) : irq_low_);
        if (rproc) {
            m3.reset_in()(soc_->m3_reset(r));
            m3.boot_in()(soc_->m3_boot(r));
        }
        if (linux_loads)
            continue; /* Linux's ELF loader puts the image into the carveout */
        std::string why;
        if (soc_->load_firmware(firmware(r), &fw_[r], &why, r) != 0)
            throw std::runtime_error("firmware refused: " + why);
    }
    /* Crashes of remote 0: its core file, the decoded fault, the crash line. */
    crash_ = std::make_unique<CrashMonitor>("crash", *soc_, *m3_[0], cfg.firmware,
                                            cfg.m3_core_file, cfg.crash_policy);
    /* The crash monitor decides how a lock-up ends the run: the core's own sc_stop
     * would make the QEMU plugin's next step fail with SystemC's E546 instead. */
    if (cfg.crash_policy != CrashPolicy::stop)
        m3_[0]->set_stop_on_exit(false);
    /* Remote r's firmware facts. When Linux's ELF loader puts the image into the
     * carveout, the measurement and the crash monitor still find the vrings and the
     * trace buffer: through the table Linux loads from the same ELF (its place read
     * here, nothing written). */
    auto info_of = [&](unsigned r, rpvp_fw_info *info) {
        *info = fw_[r];
        if (!linux_loads)
            return true;
        unsigned n;
        const rpvp_fw_region *map = soc_->m3_regions(&n, r);
        char err[512];
        auto no_write = [](void *, uint64_t, const void *, size_t) { return 0; };
        return rpvp_fw_load_file(firmware(r).c_str(), map, n, no_write, nullptr, info, err,
                                 sizeof err) == RPVP_FW_OK;
    };
    rpvp_fw_info info0;
    if (info_of(0, &info0))
        crash_->watch_trace(info0.trace_da, info0.trace_len);
    /* The platform's per-message measurement: one per remote, each into its own sink. */
    for (unsigned r = 0; cfg.measure && r < num_remotes(); r++) {
        rpvp_fw_info info;
        if (info_of(r, &info))
            measure_.push_back(
                std::make_unique<Measurement>(*soc_, *m3_[r], info.rsc_da, info.rsc_size, r,
                                              cfg.measure_events));
        else
            measure_.emplace_back();
    }
}

const std::string &AmpSystem::firmware(unsigned r) const
{
    return r == 0 || r > cfg_.firmware_more.size() ? cfg_.firmware : cfg_.firmware_more[r - 1];
}

void AmpSystem::report_remote(std::ostream &o, unsigned r) const
{
    const rpvp_fw_info &fw = fw_[r];
    const Cm3Cpu &m3 = *m3_[r];
    if (fw.num_segments)
        o << "firmware " << firmware(r) << ": " << fw.num_segments << " segments, "
          << fw.loaded_bytes << " bytes, resource table at 0x" << std::hex << fw.rsc_da
          << std::dec << " (" << fw.rsc_entries << " entries)\n";
    else
        o << "firmware: loaded by Linux's remoteproc (" << m3.boots() << " starts, "
          << m3.resets() << " resets)\n";
    /* What a stop did to the core: held from the reset pulse to the next release. */
    if (m3.resets())
        o << "cortex-m3 held in reset: " << m3.holds() << " times, "
          << static_cast<double>(m3.held_ps()) / 1e9 << " ms simulated, "
          << m3.insns_while_held() << " instructions executed while held\n";
    cm3_stats st;
    cm3_get_stats(m3_[r]->core(), &st);
    o << "cortex-m3 at " << cfg_.clock_hz(r) / 1e6 << " MHz"
      << (cfg_.soc.unicache(r) ? "" : " (no Unicache)") << ": " << st.insns << " instructions, "
      << st.cycles << " active cycles, " << st.sleep_cycles << " sleep cycles, "
      << st.exceptions << " exceptions";
    if (m3.finished())
        o << "; stopped (reason " << static_cast<int>(m3.stop_reason()) << ", "
          << cm3_last_error(m3_[r]->core()) << ")";
    o << "\n";
    /* The DDR under DMI: no bus counter sees it (the bus lines list only what missed DMI). */
    if (cfg_.count_ddr)
        o << "cortex-m3 DDR traffic (direct, --count-ddr): reads " << st.direct_reads << " ("
          << st.direct_read_bytes << " B), writes " << st.direct_writes << " ("
          << st.direct_write_bytes << " B)\n";
}

std::string AmpSystem::report() const
{
    std::ostringstream o;
    for (unsigned r = 0; r < num_remotes(); r++) {
        if (num_remotes() > 1)
            o << "remote " << r << " (" << cfg_.soc.desc.remote[r].name << "): ";
        report_remote(o, r);
    }
    o << soc_->report();
    o << crash_->report();
    return o.str();
}

} // namespace rpvp
