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

rpvp_device_ops VirtioRpmsg::target_ops()
{
    rpvp_device_ops ops = *rpvp_vrpmsg_ops();
    ops.irq_in = nullptr;
    ops.num_irq_in = 0;
    return ops;
}

VirtioRpmsg::VirtioRpmsg(sc_core::sc_module_name name, const rpvp_vrpmsg_config &cfg,
                         sc_core::sc_time access_latency, bool start)
    : sc_module(name), master_("master"), core_(make_core(cfg, master_.port())),
      ops_(target_ops()), target_("regs", &ops_, core_, access_latency), irq_in_("irq_in")
{
    rpvp_vrpmsg_set_clock(core_, target_.clock());
    if (start)
        master_.spawn(&VirtioRpmsg::start, this);
    SC_HAS_PROCESS(VirtioRpmsg);
    SC_METHOD(mbox_irq_method);
    sensitive << irq_in_;
    dont_initialize();
    SC_METHOD(irq_update_method);
    sensitive << irq_update_;
    dont_initialize();
}

void VirtioRpmsg::mbox_irq_method()
{
    /* Only a rising edge has work to do; a falling one must not pull a pending update
     * earlier (sc_event keeps the earliest notification). */
    if (!irq_in_.read())
        return;
    uint64_t delay = 0;
    rpvp_vrpmsg_mailbox_irq(core_, 1, &delay);
    irq_update_.notify(sc_core::sc_time(static_cast<double>(delay), sc_core::SC_PS));
}

void VirtioRpmsg::irq_update_method()
{
    rpvp_vrpmsg_update_irq(core_);
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
