/* rpvp::CrashMonitor: see crash_monitor.h. */
#include "crash_monitor.h"

#include <algorithm>
#include <cinttypes>
#include <cstring>
#include <cstdio>
#include <stdexcept>

#include "sc_time_ps.h"

namespace rpvp {

using namespace sc_core;

CrashMonitor::CrashMonitor(sc_module_name name, Omap4Amp &soc, Cm3Cpu &m3,
                           const std::string &firmware, const std::string &core_path,
                           CrashPolicy p)
    : sc_module(name), soc_(soc), m3_(m3), firmware_(firmware), core_path_(core_path),
      policy_(p), syms_(cm3_symtab_load(firmware.c_str())), crash_(soc.m3_crashed(0))
{
    m3_.set_fault_handler([this](int exc) { return on_fault(exc); });
    SC_METHOD(on_watchdog);
    sensitive << soc_.wdt_timeout(0).posedge_event();
    dont_initialize();
    SC_METHOD(act);
    sensitive << crash_ev_;
    dont_initialize();
    SC_METHOD(on_clear);
    sensitive << clear_ev_ << soc_.m3_reset(0).posedge_event();
    dont_initialize();
    SC_THREAD(poll_trace);
}

void CrashMonitor::watch_trace(uint32_t da, uint32_t len)
{
    trace_da_ = da;
    trace_len_ = len;
}

/* The trace buffer as text (up to its first NUL: where the firmware writes next), or
 * "" when there is none or it lies outside the DDR file. */
std::string CrashMonitor::read_trace() const
{
    unsigned n;
    const rpvp_fw_region *map = soc_.m3_regions(&n);
    uint64_t pa;
    const uint64_t base = soc_.config().desc.ddr_pa, size = soc_.ddr.size();
    if (!trace_len_ || !rpvp_fw_da_to_pa(map, n, trace_da_, trace_len_, &pa) || pa < base ||
        pa - base > size || trace_len_ > size - (pa - base))
        return std::string();
    const char *b = reinterpret_cast<const char *>(soc_.ddr.data() + (pa - base));
    return std::string(b, strnlen(b, trace_len_));
}

/* The last `lines` lines of the trace, each indented, or "" if it is empty. */
std::string CrashMonitor::trace_tail(unsigned lines) const
{
    std::vector<std::string> all;
    const std::string t = read_trace();
    for (size_t p = 0; p < t.size();) {
        const size_t e = std::min(t.find('\n', p), t.size());
        if (e > p)
            all.push_back(t.substr(p, e - p));
        p = e + 1;
    }
    std::string out;
    for (size_t k = all.size() > lines ? all.size() - lines : 0; k < all.size(); k++)
        out += "    " + all[k] + "\n";
    return out;
}

/* The firmware gave up (bsp_panic writes "PANIC:" and its reason, then sleeps with
 * interrupts masked): a crash of the remote like a fault, seen within one poll. */
void CrashMonitor::poll_trace()
{
    if (!trace_len_)
        return;
    for (;;) {
        wait(sc_time(kTracePollUs, SC_US));
        const std::string t = read_trace();
        const size_t p = t.find("PANIC:");
        if (p == std::string::npos) {
            panic_armed_ = true; /* cleared (the remote restarted): the next one counts */
            continue;
        }
        if (!panic_armed_)
            continue;
        panic_armed_ = false;
        std::string why = t.substr(p + 6);
        why = why.substr(why.find_first_not_of(" \n") == std::string::npos
                             ? why.size() : why.find_first_not_of(" \n"));
        capture(CrashRecord::panic, 0, why.substr(0, why.find('\n')));
    }
}

CrashMonitor::~CrashMonitor() { cm3_symtab_free(syms_); }

/* On the M3's thread, before its handler runs: the state is the fault's. */
bool CrashMonitor::on_fault(int exc)
{
    capture(exc ? CrashRecord::fault : CrashRecord::lockup, exc);
    return policy_ == CrashPolicy::go_on && exc != 0;
}

/* clear(), or the remote's reset (Linux's remoteproc stops or recovers the M3): the
 * watchdog is in the remote's reset domain, and the crash is handled. */
void CrashMonitor::on_clear()
{
    soc_.watchdog().reset();
    crash_.write(false);
}

void CrashMonitor::on_watchdog()
{
    /* A core already reported crashed (faulted, its handler now stuck) also stops
     * refreshing: that timeout is the same crash. */
    if (!crash_.read())
        capture(CrashRecord::watchdog, 0);
}

void CrashMonitor::capture(CrashRecord::Kind kind, int exc, const std::string &why)
{
    /* The "PANIC:" a fault handler then writes into the trace is this crash, not another
     * one (on the remoteproc route the platform goes on and the poll would see it):
     * panics count again once the trace no longer holds one (the remote reloaded). */
    panic_armed_ = false;
    CrashRecord r{};
    r.kind = kind;
    r.time_ps = kind == CrashRecord::panic ? rpvp::now_ps()
                                           : m3_.bridge.now_ps();
    cm3_crash_context(m3_.core(), exc, &r.regs);

    /* The M3's first region is its carveout (code, data, stacks, trace) at da 0. */
    unsigned nreg = 0;
    const rpvp_fw_region *map = soc_.m3_regions(&nreg);
    const cm3_core_region carveout{map[0].da, map[0].len,
                                   soc_.ddr.data() + (map[0].pa - soc_.config().desc.ddr_pa)};
    const size_t n = crashes_.size() + 1;
    std::string path = n == 1 ? core_path_ : core_path_ + "." + std::to_string(n);
    char err[256] = "";
    if (cm3_core_write(path.c_str(), &r.regs, kind == CrashRecord::watchdog ? 14 : 11,
                       &carveout, 1, err, sizeof err) == 0)
        r.core_file = path;

    char b[1024], pc[96], lr[96], cf[160], hf[64];
    const std::string panic_what = "the firmware panicked: " + why;
    const char *what = kind == CrashRecord::watchdog ? "the watchdog timed out (no refresh)"
                       : kind == CrashRecord::lockup ? "the core locked up"
                       : kind == CrashRecord::panic  ? panic_what.c_str()
                                                     : cm3_crash_exc_name(exc);
    std::snprintf(b, sizeof b,
                  "rpvp: CRASH %zu of the Cortex-M3 at %.3f us (simulated): %s%s%s\n"
                  "  PC 0x%08x %s   LR 0x%08x %s   SP 0x%08x   xPSR 0x%08x%s\n"
                  "  HFSR 0x%08x: %s\n"
                  "  CFSR 0x%08x: %s   MMFAR 0x%08x   BFAR 0x%08x\n"
                  "  core: %s\n",
                  n, static_cast<double>(r.time_ps) / 1e6, what,
                  kind == CrashRecord::lockup ? ": " : "",
                  kind == CrashRecord::lockup ? cm3_last_error(m3_.core()) : "",
                  r.regs.r[15], cm3_symtab_describe(syms_, r.regs.r[15], pc, sizeof pc),
                  r.regs.r[14], cm3_symtab_describe(syms_, r.regs.r[14], lr, sizeof lr),
                  r.regs.r[13], r.regs.xpsr, r.regs.unstacked ? " (from the exception frame)" : "",
                  r.regs.hfsr, cm3_crash_hfsr_names(r.regs.hfsr, hf, sizeof hf),
                  r.regs.cfsr, cm3_crash_cfsr_names(r.regs.cfsr, cf, sizeof cf),
                  r.regs.mmfar, r.regs.bfar,
                  r.core_file.empty() ? err
                                      : ("gdb-multiarch " + firmware_ + " " + r.core_file).c_str());
    r.text = b;
    const std::string tail = trace_tail(8);
    if (!tail.empty())
        r.text += "  firmware trace (last lines):\n" + tail;
    char h[512];
    std::snprintf(h, sizeof h, "the remote crashed: %s%s%s at %.3f us simulated (Cortex-M3 of "
                  "remote 0, PC 0x%08x %s)", what, kind == CrashRecord::lockup ? ": " : "",
                  kind == CrashRecord::lockup ? cm3_last_error(m3_.core()) : "",
                  static_cast<double>(r.time_ps) / 1e6, r.regs.r[15], pc);
    r.headline = h;
    std::fputs(r.text.c_str(), stderr);
    std::fflush(stderr);
    crashes_.push_back(r);
    crash_ev_.notify(SC_ZERO_TIME);
}

/* In SystemC's own context (not the M3's thread): the line, then the policy. */
void CrashMonitor::act()
{
    crash_.write(true);
    if (acted_ == crashes_.size())
        return;
    const CrashRecord &r = crashes_.back();
    acted_ = crashes_.size();
    switch (policy_) {
    case CrashPolicy::stop:
        sc_stop();
        break;
    case CrashPolicy::raise:
        throw std::runtime_error(r.headline + "\n" + r.text);
    case CrashPolicy::go_on:
        break;
    }
}

std::string CrashMonitor::report() const
{
    unsigned n[4] = {0, 0, 0, 0}; /* by CrashRecord::Kind */
    for (const CrashRecord &r : crashes_)
        n[r.kind]++;
    char b[160];
    std::snprintf(b, sizeof b, "crashes: %zu (faults %u, lock-ups %u, watchdog timeouts %u, "
                  "firmware panics %u)\n", crashes_.size(), n[CrashRecord::fault],
                  n[CrashRecord::lockup], n[CrashRecord::watchdog], n[CrashRecord::panic]);
    std::string s = b;
    for (const CrashRecord &r : crashes_)
        s += r.text;
    return s;
}

} // namespace rpvp
