/* rpvp::OmapMailbox: the C core, the RTL or both behind the generic CoreTarget. */
#include "omap_mailbox_tlm.h"

#include <stdexcept>
#include <string>

#include "router.h"

namespace rpvp {

static rpvp_mbox_config default_config()
{
    rpvp_mbox_config cfg;
    rpvp_mbox_config_default(&cfg);
    return cfg;
}

bool parse_mailbox_kind(const std::string &s, MailboxKind *out)
{
    for (MailboxKind k : {MailboxKind::tlm, MailboxKind::rtl, MailboxKind::both})
        if (s == mailbox_kind_name(k)) {
            *out = k;
            return true;
        }
    return false;
}

const char *mailbox_kind_name(MailboxKind k)
{
    switch (k) {
    case MailboxKind::rtl:
        return "rtl";
    case MailboxKind::both:
        return "both";
    case MailboxKind::tlm:
        break;
    }
    return "tlm";
}

rpvp_mbox *OmapMailbox::make_core(const rpvp_mbox_config &cfg, const char *name)
{
    rpvp_mbox_config c = cfg;
    if (!c.name || std::string(c.name) == "mailbox")
        c.name = name; /* log lines carry the SystemC instance name */
    rpvp_mbox *mb = rpvp_mbox_new(&c);
    if (!mb)
        throw std::invalid_argument(std::string(name) + ": mailbox configuration refused");
    return mb;
}

OmapMailbox::OmapMailbox(sc_core::sc_module_name name, sc_core::sc_time access_latency)
    : OmapMailbox(name, default_config(), access_latency)
{
}

OmapMailbox::OmapMailbox(sc_core::sc_module_name name, const rpvp_mbox_config &cfg,
                         sc_core::sc_time access_latency, const MailboxOptions &opt)
    : sc_module(name), cfg_(cfg), opt_(opt)
{
    /* The C core checks the configuration for every kind (clear message first). */
    core_ = make_core(cfg, basename());
    if (opt.kind != MailboxKind::tlm) {
        rpvp_mbox_config rc = cfg;
        rc.name = basename();
        const uint64_t period =
            static_cast<uint64_t>(opt.rtl_clock_period.to_seconds() * 1e12 + 0.5);
        try {
            rtl_ = std::make_unique<MboxRtlCore>(rc, period, opt.trace_file,
                                                 opt.rtl_factory ? opt.rtl_factory
                                                                 : make_mbox_rtl);
        } catch (...) {
            rpvp_mbox_free(core_);
            throw;
        }
    }
    switch (opt.kind) {
    case MailboxKind::tlm:
        target_ = std::make_unique<CoreTarget>("target", rpvp_mbox_ops(core_), core_,
                                               access_latency);
        rpvp_mbox_set_clock(core_, target_->clock());
        break;
    case MailboxKind::rtl:
        rpvp_mbox_free(core_);
        core_ = nullptr;
        target_ = std::make_unique<CoreTarget>("target", rtl_->ops(), rtl_.get(),
                                               sc_core::SC_ZERO_TIME);
        rtl_->set_clock(target_->clock());
        break;
    case MailboxKind::both:
        board_ = std::make_unique<MboxScoreboard>(core_, rtl_.get(),
                                                  [this] { return initiator(); });
        target_ = std::make_unique<CoreTarget>("target", board_->ops(), board_.get(),
                                               access_latency);
        rpvp_mbox_set_clock(core_, target_->clock());
        rtl_->set_clock(target_->clock());
        board_->set_clock(target_->clock());
        break;
    }
}

OmapMailbox::~OmapMailbox()
{
    target_.reset();
    board_.reset();
    rtl_.reset();
    rpvp_mbox_free(core_);
}

std::string OmapMailbox::initiator() const
{
    const tlm::tlm_generic_payload *tx = target_ ? target_->current() : nullptr;
    const RouterInitiator *tag = tx ? tx->get_extension<RouterInitiator>() : nullptr;
    return tag && tag->name ? *tag->name : "(direct)";
}

void OmapMailbox::set_access_latency(sc_core::sc_time t)
{
    if (opt_.kind != MailboxKind::rtl)
        target_->set_access_latency(t);
}

int OmapMailbox::fifo_stats(unsigned fifo, rpvp_mbox_fifo_stats *out) const
{
    return core_ ? rpvp_mbox_get_fifo_stats(core_, fifo, out) : rtl_->get_fifo_stats(fifo, out);
}

int OmapMailbox::user_stats(unsigned user, rpvp_mbox_user_stats *out) const
{
    return core_ ? rpvp_mbox_get_user_stats(core_, user, out) : rtl_->get_user_stats(user, out);
}

void OmapMailbox::stats(rpvp_mbox_stats *out) const
{
    if (core_)
        rpvp_mbox_get_stats(core_, out);
    else
        rtl_->get_stats(out);
}

void OmapMailbox::set_occupancy_hook(rpvp_mbox_occupancy_fn fn, void *ctx)
{
    if (core_)
        rpvp_mbox_set_occupancy_hook(core_, fn, ctx);
    else
        rtl_->set_occupancy_hook(fn, ctx);
}

void OmapMailbox::set_event_sink(struct rpvp_ev_sink *sink)
{
    if (core_)
        rpvp_mbox_set_event_sink(core_, sink);
    else
        rtl_->set_event_sink(sink);
}

} // namespace rpvp
