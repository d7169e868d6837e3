/* rpvp::VirtioRpmsg: CoreTarget + BridgeInitiator around the virtio-rpmsg C core. */
#include "virtio_rpmsg_tlm.h"

#include <stdexcept>
#include <string>

namespace rpvp {

rpvp_vrpmsg *VirtioRpmsg::make_core(const rpvp_vrpmsg_config &cfg, rpvp_port *port)
{
    rpvp_vrpmsg_config c = cfg;
    rpvp_vrpmsg_bus_from_port(&c.bus, port);
    rpvp_vrpmsg *core = rpvp_vrpmsg_new(&c);
    if (!core)
        throw std::invalid_argument("virtio-rpmsg: configuration refused (see stderr)");
    return core;
}

VirtioRpmsg::VirtioRpmsg(sc_core::sc_module_name name, const rpvp_vrpmsg_config &cfg,
                         sc_core::sc_time access_latency)
    : sc_module(name), master_("master"), core_(make_core(cfg, master_.port())),
      target_("regs", rpvp_vrpmsg_ops(), core_, access_latency)
{
    rpvp_vrpmsg_set_clock(core_, target_.clock());
    master_.spawn(&VirtioRpmsg::start, this);
}

VirtioRpmsg::~VirtioRpmsg()
{
    rpvp_vrpmsg_free(core_);
}

void VirtioRpmsg::start(rpvp_port *port, void *ctx)
{
    auto *self = static_cast<VirtioRpmsg *>(ctx);
    uint64_t delay = 0;
    rpvp_vrpmsg_start(self->core_, &delay);
    rpvp_port_set_local_offset(port, 0);
}

} // namespace rpvp
