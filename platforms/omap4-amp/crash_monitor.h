/*
 * rpvp::CrashMonitor — the remote's crash, seen by the platform (docs/firmware.md,
 * "Crash"). It watches the Cortex-M3 (a fault taken or a lock-up, reported by the ISS
 * before the firmware's handler runs), the M3's watchdog (timeout line) and the
 * firmware's trace buffer (a "PANIC:" line: the firmware gave up, e.g. bsp_panic
 * "rpmsg init failed" for a vdev without vrings), and at once:
 *   - writes an ELF core of the M3 (registers of the faulting context as an ARM
 *     NT_PRSTATUS note, the carveout as a PT_LOAD segment): gdb-multiarch fw.elf core;
 *   - prints the fault decoded (CFSR/HFSR bit names, PC and LR with symbols) and the
 *     firmware's last trace lines on stderr;
 *   - counts it (report());
 *   - raises crash() (the SoC's m3_crashed: with the watchdog's timeout the remote's
 *     crash line, on the remoteproc route stm32_rproc's crash interrupt) and, by
 *     policy, stops the run (sc_stop: the synthetic host), throws (the QEMU plugin: the
 *     bridge ends QEMU with the message), or lets the platform go on (Linux recovers
 *     the remote).
 */
#ifndef RPVP_CRASH_MONITOR_H
#define RPVP_CRASH_MONITOR_H

#include <systemc>

#include <string>
#include <vector>

#include "cm3_tlm.h"
#include "omap4_amp.h"

extern "C" {
#include "cm3_crash.h"
}

namespace rpvp {

enum class CrashPolicy { stop, raise, go_on };

struct CrashRecord {
    enum Kind { fault, lockup, watchdog, panic } kind;
    uint64_t time_ps;
    cm3_crash_regs regs;
    std::string core_file; /* empty if it could not be written */
    std::string headline;  /* one line: what happened, when */
    std::string text;      /* the decoded report, several lines */
};

class CrashMonitor : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(CrashMonitor);
    /* core_path: the first crash's core file; later ones get ".2", ".3", ... */
    CrashMonitor(sc_core::sc_module_name name, Omap4Amp &soc, Cm3Cpu &m3,
                 const std::string &firmware, const std::string &core_path, CrashPolicy p);
    ~CrashMonitor() override;

    sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> &crash() { return crash_; }
    /* The firmware's trace buffer (its RSC_TRACE, M3 addresses; len 0: none): polled
     * every kTracePoll of simulated time for a "PANIC:" line (debug reads: no bus
     * time), and its last lines go into every crash report. Call before sc_start. */
    void watch_trace(uint32_t da, uint32_t len);
    static constexpr double kTracePollUs = 1000;
    /* The remote was reset (its crash handled): crash() low again, the watchdog reset.
     * The remote's reset line (Omap4Amp::m3_reset) does the same. */
    void clear() { clear_ev_.notify(sc_core::SC_ZERO_TIME); }
    const std::vector<CrashRecord> &crashes() const { return crashes_; }
    std::string report() const;

private:
    bool on_fault(int exc);
    void on_watchdog();
    void capture(CrashRecord::Kind kind, int exc, const std::string &why = std::string());
    void poll_trace();
    std::string read_trace() const;
    std::string trace_tail(unsigned lines) const;
    void act();
    void on_clear();

    Omap4Amp &soc_;
    Cm3Cpu &m3_;
    std::string firmware_, core_path_;
    CrashPolicy policy_;
    cm3_symtab *syms_;
    std::vector<CrashRecord> crashes_;
    size_t acted_ = 0;
    uint32_t trace_da_ = 0, trace_len_ = 0;
    bool panic_armed_ = true; /* a "PANIC:" seen is reported once, until the trace clears */
    sc_core::sc_event crash_ev_, clear_ev_;
    sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> &crash_; /* the SoC's m3_crashed(0) */
};

} // namespace rpvp
#endif
