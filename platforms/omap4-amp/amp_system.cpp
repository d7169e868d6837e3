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
    /* On the remoteproc route Linux controls the M3 (hold-boot, reset); unless rpvp
     * started the remote before Linux boots, it waits for Linux's first release. */
    const bool rproc = soc_->remoteproc();
    const bool linux_loads = rproc && !cfg.soc.desc.remote_running;
    m3_ = std::make_unique<Cm3Cpu>("m3", num_irq, cfg.m3_clock_hz, cfg.m3_quantum, 4,
                                   cfg.m3_gdb_port, rproc, linux_loads);
    m3_->isock.bind(soc_->m3_socket());
    for (unsigned i = 0; i < num_irq; i++) {
        if (i == cfg.soc.desc.remote[0].mbox_nvic_irq)
            m3_->irq[i](soc_->m3_mbox_irq());
        else
            m3_->irq[i](irq_low_);
    }
    if (rproc) {
        m3_->reset_in()(soc_->m3_reset);
        m3_->boot_in()(soc_->m3_boot);
    }
    if (linux_loads) {
        /* Linux's ELF loader puts the image into the carveout. The measurement still
         * finds the vrings: through the table Linux loads from the same ELF (its place
         * read here, nothing written). */
        if (cfg.measure) {
            unsigned n;
            const rpvp_fw_region *map = soc_->m3_regions(&n);
            char err[512];
            rpvp_fw_info info{};
            auto no_write = [](void *, uint64_t, const void *, size_t) { return 0; };
            if (rpvp_fw_load_file(cfg.firmware.c_str(), map, n, no_write, nullptr, &info, err,
                                  sizeof err) == RPVP_FW_OK)
                measure_ = std::make_unique<Measurement>(*soc_, *m3_, info.rsc_da, info.rsc_size);
        }
        return;
    }

    std::string why;
    if (soc_->load_firmware(cfg.firmware, &fw_, &why) != 0)
        throw std::runtime_error("firmware refused: " + why);
    if (cfg.measure)
        measure_ = std::make_unique<Measurement>(*soc_, *m3_, fw_.rsc_da, fw_.rsc_size);
}

std::string AmpSystem::report() const
{
    std::ostringstream o;
    if (fw_.num_segments)
        o << "firmware " << cfg_.firmware << ": " << fw_.num_segments << " segments, "
          << fw_.loaded_bytes << " bytes, resource table at 0x" << std::hex << fw_.rsc_da
          << std::dec << " (" << fw_.rsc_entries << " entries)\n";
    else
        o << "firmware: loaded by Linux's remoteproc (" << m3_->boots() << " starts, "
          << m3_->resets() << " resets)\n";
    cm3_stats st;
    cm3_get_stats(m3_->core(), &st);
    o << "cortex-m3 at " << cfg_.m3_clock_hz / 1e6 << " MHz: " << st.insns << " instructions, "
      << st.cycles << " active cycles, " << st.sleep_cycles << " sleep cycles, "
      << st.exceptions << " exceptions";
    if (m3_->finished())
        o << "; stopped (reason " << static_cast<int>(m3_->stop_reason()) << ", "
          << cm3_last_error(m3_->core()) << ")";
    o << "\n";
    o << soc_->report();
    return o.str();
}

} // namespace rpvp
