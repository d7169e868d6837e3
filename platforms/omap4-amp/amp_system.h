/*
 * rpvp::AmpSystem — the whole remote side of the reference platform: rpvp::Omap4Amp
 * plus the Cortex-M3 ISS running a firmware ELF (loaded into the carveout, its resource
 * table handed to the virtio-rpmsg device). The host side stays open: QEMU's bridge
 * (plugin platform "omap4-amp") or the synthetic host drive soc().host.
 */
#ifndef RPVP_AMP_SYSTEM_H
#define RPVP_AMP_SYSTEM_H

#include <memory>
#include <string>

#include "cm3_tlm.h"
#include "measurement.h"
#include "omap4_amp.h"

namespace rpvp {

struct AmpSystemConfig {
    Omap4AmpConfig soc;
    std::string firmware;          /* Cortex-M3 ELF (remoteproc-style, .resource_table) */
    uint64_t m3_clock_hz = 200000000;
    sc_core::sc_time m3_quantum = sc_core::sc_time(1, sc_core::SC_US);
    /* > 0: the M3 waits at reset for gdb-multiarch on 127.0.0.1:<port> and then runs
     * under it (the whole simulation stands still while gdb holds the core). */
    int m3_gdb_port = 0;
    /* Measurement events on (docs/measurement.md); off only to measure its cost. */
    bool measure = true;
};

class AmpSystem : public sc_core::sc_module {
public:
    /* Throws std::runtime_error with the loader's message for a bad firmware file. */
    AmpSystem(sc_core::sc_module_name name, const AmpSystemConfig &cfg);

    Omap4Amp &soc() { return *soc_; }
    Cm3Cpu &m3() { return *m3_; }
    const rpvp_fw_info &firmware_info() const { return fw_; }
    /* The measurement wiring, or nullptr when cfg.measure is off. */
    Measurement *measurement() const { return measure_.get(); }
    std::string report() const;

private:
    AmpSystemConfig cfg_;
    std::unique_ptr<Omap4Amp> soc_;
    std::unique_ptr<Cm3Cpu> m3_;
    sc_core::sc_signal<bool> irq_low_{"irq_low"}; /* NVIC inputs nobody drives */
    rpvp_fw_info fw_{};
    std::unique_ptr<Measurement> measure_;
};

} // namespace rpvp
#endif
