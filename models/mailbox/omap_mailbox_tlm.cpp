/* rpvp::OmapMailbox: the mailbox C core behind the generic CoreTarget. */
#include "omap_mailbox_tlm.h"

#include <stdexcept>
#include <string>

namespace rpvp {

static rpvp_mbox_config default_config()
{
    rpvp_mbox_config cfg;
    rpvp_mbox_config_default(&cfg);
    return cfg;
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
                         sc_core::sc_time access_latency)
    : sc_module(name), core_(make_core(cfg, basename())),
      target_("target", rpvp_mbox_ops(core_), core_, access_latency)
{
    rpvp_mbox_set_clock(core_, target_.clock());
}

OmapMailbox::~OmapMailbox()
{
    rpvp_mbox_free(core_);
}

} // namespace rpvp
