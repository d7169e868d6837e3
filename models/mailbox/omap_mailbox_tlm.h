/*
 * rpvp::OmapMailbox — SystemC wrapper of the OMAP4 system mailbox C core
 * (include/rpvp/omap_mailbox.h). No behaviour here: the core, the generic CoreTarget,
 * the clock for occupancy time stamps.
 *
 * Interface:
 *   tsock()     register window (local offsets 0..RPVP_MBOX_WINDOW_SIZE-1, 32-bit only).
 *   irq(u)      interrupt output of user u (u < num_users), high while the user's
 *               IRQSTATUS_CLR (enabled status) is non-zero; edges appear at the annotated
 *               time of the access that caused them.
 * Parameters: the core config (users, FIFOs, depth, logging), the register-access
 *   latency annotated on every access (default kDefaultLatency).
 * Construction throws std::invalid_argument when the core refuses the config.
 */
#ifndef RPVP_OMAP_MAILBOX_TLM_H
#define RPVP_OMAP_MAILBOX_TLM_H

#include <systemc>
#include <tlm>

#include "core_target.h"
#include "rpvp/omap_mailbox.h"

namespace rpvp {

class OmapMailbox : public sc_core::sc_module {
public:
    /* Estimate for one register access from the L3 through the OMAP4 L4_CFG
     * interconnect (100 MHz): a few L4 cycles. Not a measured figure; tune per study. */
    static sc_core::sc_time default_latency() { return sc_core::sc_time(40, sc_core::SC_NS); }

    /* OMAP4 defaults (3 users, 8 FIFOs of 4). */
    OmapMailbox(sc_core::sc_module_name name,
                sc_core::sc_time access_latency = default_latency());
    OmapMailbox(sc_core::sc_module_name name, const rpvp_mbox_config &cfg,
                sc_core::sc_time access_latency = default_latency());
    ~OmapMailbox() override;

    tlm_utils::simple_target_socket<CoreTarget> &tsock() { return target_.tsock; }
    sc_core::sc_out<bool> &irq(unsigned user) { return target_.irq_out[user]; }
    unsigned num_users() const { return rpvp_mbox_num_users(core_); }
    void set_access_latency(sc_core::sc_time t) { target_.set_access_latency(t); }

    /* The C core, for hooks and statistics (rpvp_mbox_*). */
    rpvp_mbox *core() const { return core_; }

private:
    static rpvp_mbox *make_core(const rpvp_mbox_config &cfg, const char *name);

    rpvp_mbox *core_;
    CoreTarget target_;
};

} // namespace rpvp
#endif
