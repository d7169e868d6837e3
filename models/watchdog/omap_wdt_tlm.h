/*
 * rpvp::OmapWdt — SystemC wrapper of the OMAP4 watchdog C core (include/rpvp/omap_wdt.h):
 * the generic CoreTarget for the registers plus the one thing a C core cannot do, waiting
 * for time: a method wakes at the core's next due overflow and lets the core catch up.
 *
 * Interface:
 *   tsock()     register window (RPVP_WDT_WINDOW_SIZE, aligned 32-bit accesses).
 *   timeout()   high from the first overflow until reset() (the crash line).
 *   irq()       WISR & WIER.
 *   reset()     the remote's reset domain: back to the reset state, line low.
 * Parameters: the register-access latency.
 */
#ifndef RPVP_OMAP_WDT_TLM_H
#define RPVP_OMAP_WDT_TLM_H

#include <systemc>

#include "core_target.h"
#include "rpvp/omap_wdt.h"

namespace rpvp {

class OmapWdt : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(OmapWdt);
    OmapWdt(sc_core::sc_module_name name,
            sc_core::sc_time access_latency = sc_core::sc_time(40, sc_core::SC_NS));
    ~OmapWdt() override;

    tlm_utils::simple_target_socket<CoreTarget> &tsock() { return target_.tsock; }
    sc_core::sc_out<bool> &timeout() { return target_.irq_out[RPVP_WDT_LINE_TIMEOUT]; }
    sc_core::sc_out<bool> &irq() { return target_.irq_out[RPVP_WDT_LINE_IRQ]; }
    void reset() { rpvp_wdt_reset(core_); }
    rpvp_wdt *core() const { return core_; }

private:
    static void on_timer_change(void *ctx);
    void timer_method();

    rpvp_wdt *core_;
    CoreTarget target_;
    sc_core::sc_event changed_;
};

} // namespace rpvp
#endif
