/*
 * rpvp::MboxScoreboard — live co-verification of the mailbox RTL against the C core
 * (`--mailbox=both`). It is itself a device core (rpvp_device_ops): every access goes to
 * the reference (the C core, whose responses, timing and interrupt lines the platform
 * sees) and to the RTL (through rpvp::MboxRtlCore), and after every access it compares
 * the response status, the read data and the level of every interrupt line.
 *
 * The first divergence stops the run: the report (access number, simulated time,
 * initiator, register, both values, the last 32 accesses) goes to the divergence
 * handler — by default stderr, every line prefixed "rpvp-mbox-check: ", then the
 * process exits with status kDivergenceExit. summary() gives the clean-run line (how
 * many accesses and interrupt edges were compared).
 */
#ifndef RPVP_MBOX_SCOREBOARD_H
#define RPVP_MBOX_SCOREBOARD_H

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "mbox_rtl_core.h"
#include "rpvp/omap_mailbox.h"

namespace rpvp {

class MboxScoreboard {
public:
    static constexpr int kDivergenceExit = 3;
    static constexpr unsigned kHistory = 32;
    using Who = std::function<std::string()>;
    using OnDivergence = std::function<void(const std::string &report)>;

    /* Neither core is owned. `who` names the initiator of the access in progress. */
    MboxScoreboard(rpvp_mbox *ref, MboxRtlCore *rtl, Who who);

    const rpvp_device_ops *ops() { return &ops_; }
    void set_clock(const rpvp_clock *clock) { clock_ = clock ? *clock : rpvp_clock{}; }
    /* Replace the default handler (print and exit), e.g. in tests. */
    void set_on_divergence(OnDivergence fn) { on_divergence_ = std::move(fn); }

    uint64_t accesses() const { return accesses_; }
    uint64_t edges() const { return edges_; }
    uint64_t divergences() const { return divergences_; }
    std::string summary() const;

private:
    struct Access {
        uint64_t n, time_ps;
        std::string who;
        bool write;
        uint64_t off;
        unsigned len;
        uint32_t ref_value, rtl_value;
        rpvp_status ref_st, rtl_st;
        uint32_t ref_irq, rtl_irq;
    };

    rpvp_status access(bool write, uint64_t off, void *data, unsigned len, uint64_t *delay_ps);
    void check(const Access &a);
    std::string describe(const Access &a) const;
    uint32_t ref_irq() const;
    uint32_t rtl_irq() const;

    static rpvp_status op_read(void *, uint64_t, void *, unsigned, uint64_t *);
    static rpvp_status op_write(void *, uint64_t, const void *, unsigned, uint64_t *);
    static unsigned op_debug_read(void *, uint64_t, void *, unsigned);
    static void op_reset(void *);
    static void op_set_irq_sink(void *, const rpvp_irq_sink *);
    static void ref_sink(void *, unsigned, int);
    static void rtl_sink(void *, unsigned, int);

    rpvp_mbox *ref_;
    MboxRtlCore *rtl_;
    Who who_;
    rpvp_device_ops ops_{};
    rpvp_irq_sink out_{};
    rpvp_clock clock_{};
    OnDivergence on_divergence_;
    std::deque<Access> history_;
    uint64_t accesses_ = 0, edges_ = 0, rtl_edges_ = 0, divergences_ = 0;
};

} // namespace rpvp
#endif
