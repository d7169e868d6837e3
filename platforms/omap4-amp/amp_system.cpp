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
    if (cfg.m3_mbox_irq >= num_irq)
        throw std::invalid_argument("m3 mailbox irq beyond the NVIC");
    /* OMAP4's Cortex-M3 implements 4 priority bits. */
    if (cfg.m3_gdb_port < 0 || cfg.m3_gdb_port > 65535)
        throw std::invalid_argument("m3 gdb port " + std::to_string(cfg.m3_gdb_port) +
                                    " is not a TCP port");
    m3_ = std::make_unique<Cm3Cpu>("m3", num_irq, cfg.m3_clock_hz, cfg.m3_quantum, 4,
                                   cfg.m3_gdb_port);
    m3_->isock.bind(soc_->m3_socket());
    for (unsigned i = 0; i < num_irq; i++) {
        if (i == cfg.m3_mbox_irq)
            m3_->irq[i](soc_->m3_mbox_irq());
        else
            m3_->irq[i](irq_low_);
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
    o << "firmware " << cfg_.firmware << ": " << fw_.num_segments << " segments, "
      << fw_.loaded_bytes << " bytes, resource table at 0x" << std::hex << fw_.rsc_da
      << std::dec << " (" << fw_.rsc_entries << " entries)\n";
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
