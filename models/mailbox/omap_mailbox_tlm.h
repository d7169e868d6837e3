/*
 * rpvp::OmapMailbox — the OMAP4 system mailbox as a SystemC module, in one of three
 * implementations behind the same TLM socket and interrupt outputs:
 *   tlm   the C core (include/rpvp/omap_mailbox.h) — the reference;
 *   rtl   the SystemVerilog RTL (models/mailbox/rtl) verilated, driven by the
 *         transactor rpvp::MboxRtlCore, clocked only around accesses;
 *   both  the two side by side under rpvp::MboxScoreboard: the platform sees the
 *         C core; every access is compared with the RTL, the first divergence stops
 *         the run with a report.
 * All three are wrapped by the generic CoreTarget (edges at the access's annotated time).
 *
 * Interface:
 *   tsock()     register window (local offsets 0..RPVP_MBOX_WINDOW_SIZE-1, 32-bit only).
 *   irq(u)      interrupt output of user u (u < num_users), high while the user's
 *               IRQSTATUS_CLR (enabled status) is non-zero; edges appear at the annotated
 *               time of the access that caused them.
 * Parameters: the core config (users, FIFOs, depth, logging), the register-access
 *   latency of the C core (default kDefaultLatency), MailboxOptions (implementation,
 *   the RTL's interface clock, waveform file). The RTL annotates its own clock cycles
 *   (MboxRtlCore::kCyclesPerAccess x period); `both` annotates the reference's latency.
 * Construction throws std::invalid_argument when a model refuses the config.
 */
#ifndef RPVP_OMAP_MAILBOX_TLM_H
#define RPVP_OMAP_MAILBOX_TLM_H

#include <systemc>
#include <tlm>

#include <memory>
#include <string>

#include "core_target.h"
#include "mbox_rtl_core.h"
#include "mbox_scoreboard.h"
#include "rpvp/omap_mailbox.h"

namespace rpvp {

enum class MailboxKind { tlm, rtl, both };

/* "tlm", "rtl" or "both" -> kind; false for anything else. */
bool parse_mailbox_kind(const std::string &s, MailboxKind *out);
const char *mailbox_kind_name(MailboxKind k);

struct MailboxOptions {
    MailboxKind kind = MailboxKind::tlm;
    /* The mailbox's L4 interface clock (OMAP4 L4_CFG: 100 MHz). */
    sc_core::sc_time rtl_clock_period = sc_core::sc_time(10, sc_core::SC_NS);
    std::string trace_file;              /* rtl/both: "*.vcd" or "*.fst" waveforms */
    MboxRtlFactory rtl_factory = nullptr; /* nullptr: the faithful RTL (make_mbox_rtl) */
};

class OmapMailbox : public sc_core::sc_module {
public:
    /* Estimate for one register access from the L3 through the OMAP4 L4_CFG
     * interconnect (100 MHz): a few L4 cycles. Not a measured figure; tune per study. */
    static sc_core::sc_time default_latency() { return sc_core::sc_time(40, sc_core::SC_NS); }

    /* OMAP4 defaults (3 users, 8 FIFOs of 4). */
    OmapMailbox(sc_core::sc_module_name name,
                sc_core::sc_time access_latency = default_latency());
    OmapMailbox(sc_core::sc_module_name name, const rpvp_mbox_config &cfg,
                sc_core::sc_time access_latency = default_latency(),
                const MailboxOptions &opt = MailboxOptions());
    ~OmapMailbox() override;

    tlm_utils::simple_target_socket<CoreTarget> &tsock() { return target_->tsock; }
    sc_core::sc_out<bool> &irq(unsigned user) { return target_->irq_out[user]; }
    unsigned num_users() const { return cfg_.num_users; }
    MailboxKind mailbox_kind() const { return opt_.kind; }
    /* The C core's latency (tlm, both); the RTL's comes from its clock. */
    void set_access_latency(sc_core::sc_time t);

    /* The C core (tlm, both), for hooks and statistics; nullptr with the RTL alone. */
    rpvp_mbox *core() const { return core_; }
    MboxRtlCore *rtl() const { return rtl_.get(); }
    MboxScoreboard *scoreboard() const { return board_.get(); }

    /* Statistics and the occupancy hook of whichever model the platform sees. */
    int fifo_stats(unsigned fifo, rpvp_mbox_fifo_stats *out) const;
    int user_stats(unsigned user, rpvp_mbox_user_stats *out) const;
    void stats(rpvp_mbox_stats *out) const;
    void set_occupancy_hook(rpvp_mbox_occupancy_fn fn, void *ctx);
    void set_event_sink(struct rpvp_ev_sink *sink);

private:
    static rpvp_mbox *make_core(const rpvp_mbox_config &cfg, const char *name);
    std::string initiator() const;

    rpvp_mbox_config cfg_;
    MailboxOptions opt_;
    rpvp_mbox *core_ = nullptr;
    std::unique_ptr<MboxRtlCore> rtl_;
    std::unique_ptr<MboxScoreboard> board_;
    std::unique_ptr<CoreTarget> target_;
};

} // namespace rpvp
#endif
