/* rpvp::OmapWdt: the watchdog C core behind CoreTarget, plus its due-time wake-up. */
#include "omap_wdt_tlm.h"

#include <stdexcept>

#include "sc_time_ps.h"

namespace rpvp {

static rpvp_wdt *make_core(const char *name)
{
    rpvp_wdt_config cfg;
    rpvp_wdt_config_default(&cfg);
    cfg.name = name;
    rpvp_wdt *w = rpvp_wdt_new(&cfg);
    if (!w)
        throw std::bad_alloc();
    return w;
}

OmapWdt::OmapWdt(sc_core::sc_module_name name, sc_core::sc_time access_latency)
    : sc_module(name), core_(make_core(basename())),
      target_("target", rpvp_wdt_ops(core_), core_, access_latency)
{
    rpvp_wdt_set_clock(core_, target_.clock());
    rpvp_wdt_set_timer_hook(core_, on_timer_change, this);
    SC_METHOD(timer_method);
    sensitive << changed_;
}

OmapWdt::~OmapWdt() { rpvp_wdt_free(core_); }

void OmapWdt::on_timer_change(void *ctx)
{
    /* Called inside an access or a reset: look again in the next delta cycle. */
    static_cast<OmapWdt *>(ctx)->changed_.notify(sc_core::SC_ZERO_TIME);
}

void OmapWdt::timer_method()
{
    rpvp_wdt_set_timer_hook(core_, nullptr, nullptr); /* no self-notification */
    rpvp_wdt_update(core_);
    rpvp_wdt_set_timer_hook(core_, on_timer_change, this);
    const uint64_t due = rpvp_wdt_next_event_ps(core_), now = now_ps();
    if (due == UINT64_MAX)
        next_trigger(changed_);
    else
        next_trigger(ps_time(due > now ? due - now : 0), changed_);
}

} // namespace rpvp
