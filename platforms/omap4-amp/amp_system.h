/*
 * rpvp::AmpSystem — the whole remote side of the reference platform: rpvp::Omap4Amp
 * plus the Cortex-M3 ISS running a firmware ELF (loaded into the carveout, its resource
 * table handed to the virtio-rpmsg device). The host side stays open: QEMU's bridge
 * (plugin platform "omap4-amp") or the synthetic host drive soc().host.
 */
#ifndef RPVP_AMP_SYSTEM_H
#define RPVP_AMP_SYSTEM_H

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cm3_tlm.h"
#include "measurement.h"
#include "crash_monitor.h"
#include "omap4_amp.h"

namespace rpvp {

struct AmpSystemConfig {
    Omap4AmpConfig soc;
    std::string firmware;          /* Cortex-M3 ELF (remoteproc-style, .resource_table) */
    /* Remotes 1..soc.desc.num_remotes-1: their ELFs (none given: remote 0's). Each
     * remote is its own M3 (same clock and quantum, its own quantum keeper). */
    std::vector<std::string> firmware_more;
    uint64_t m3_clock_hz = 200000000;
    /* Remotes 1..n-1: their own M3 clocks (missing: m3_clock_hz). */
    std::vector<uint64_t> m3_clock_more;
    uint64_t clock_hz(unsigned r) const
    {
        return r >= 1 && r <= m3_clock_more.size() ? m3_clock_more[r - 1] : m3_clock_hz;
    }
    sc_core::sc_time m3_quantum = sc_core::sc_time(1, sc_core::SC_US);
    /* > 0: the M3 waits at reset for gdb-multiarch on 127.0.0.1:<port> and then runs
     * under it (the whole simulation stands still while gdb holds the core). */
    int m3_gdb_port = 0;
    /* Measurement events on (docs/measurement.md); off only to measure its cost. */
    bool measure = true;
    uint64_t measure_events = RPVP_EV_DEFAULT_LIMIT; /* stored per remote (0: no limit) */
    /* Count each M3's data accesses to the DDR through DMI (slower, same simulated time). */
    bool count_ddr = false;
    /* A crash of the M3 (fault, lock-up, watchdog timeout): its ELF core goes here
     * (later ones: ".2", ".3", ...), and then the run stops (sc_stop), fails (throws:
     * the QEMU plugin) or goes on (the remoteproc route: Linux recovers). */
    std::string m3_core_file = "rpvp-m3.core";
    CrashPolicy crash_policy = CrashPolicy::stop;
};

class AmpSystem : public sc_core::sc_module {
public:
    /* Throws std::runtime_error with the loader's message for a bad firmware file. */
    AmpSystem(sc_core::sc_module_name name, const AmpSystemConfig &cfg);

    Omap4Amp &soc() { return *soc_; }
    unsigned num_remotes() const { return static_cast<unsigned>(m3_.size()); }
    Cm3Cpu &m3(unsigned r = 0) { return *m3_.at(r); }
    const rpvp_fw_info &firmware_info(unsigned r = 0) const { return fw_.at(r); }
    /* Remote r's firmware file. */
    const std::string &firmware(unsigned r) const;
    /* Remote r's measurement wiring, or nullptr when cfg.measure is off (or its table
     * could not be read). */
    Measurement *measurement(unsigned r = 0) const
    {
        return r < measure_.size() ? measure_[r].get() : nullptr;
    }
    CrashMonitor &crash_monitor() { return *crash_; }
    std::string report() const;

private:
    AmpSystemConfig cfg_;
    std::unique_ptr<Omap4Amp> soc_;
    std::vector<std::unique_ptr<Cm3Cpu>> m3_;
    sc_core::sc_signal<bool> irq_low_{"irq_low"}; /* NVIC inputs nobody drives */
    std::vector<rpvp_fw_info> fw_;
    void report_remote(std::ostream &o, unsigned r) const;
    std::vector<std::unique_ptr<Measurement>> measure_; /* one per remote */
    std::unique_ptr<CrashMonitor> crash_;
};

} // namespace rpvp
#endif
