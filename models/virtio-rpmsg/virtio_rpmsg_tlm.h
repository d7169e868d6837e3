/*
 * rpvp::VirtioRpmsg — SystemC wrapper of the virtio-mmio rpmsg device core
 * (include/rpvp/virtio_rpmsg_dev.h). No behaviour here: sockets, signals, start-up.
 *
 * Interface:
 *   tsock()      register window (local offsets 0..RPVP_VRPMSG_WINDOW_SIZE-1), bind the
 *                router's initiator socket for Linux's map here.
 *   isock()      bus master: the resource table, the DDR (vring statistics) and the
 *                mailbox, at the addresses given in the config (the device's own map).
 *   irq_out()    interrupt to Linux (GIC SPI), high while InterruptStatus != 0.
 *   irq_in()     the mailbox's interrupt output of cfg.mbox_user.
 * At time 0 an SC_THREAD enables the mailbox NEWMSG interrupt (rpvp_vrpmsg_start), unless
 * the device is built idle (start = false: a route where another driver is the mailbox's
 * user; the device then makes no access at all).
 * Timing: a mailbox interrupt is served at the time of its edge; the interrupt to Linux
 * follows after the annotated time of the device's mailbox accesses
 * (rpvp_vrpmsg_mailbox_irq + rpvp_vrpmsg_update_irq). CoreTarget handles registers and
 * the output; the input is handled here because CoreTarget's irq_in carries no delay.
 * Parameters: the core config (its `bus` field is ignored: the wrapper fills it), the
 *   access latency annotated on every register access.
 * Construction throws std::invalid_argument when the core refuses the config.
 */
#ifndef RPVP_VIRTIO_RPMSG_TLM_H
#define RPVP_VIRTIO_RPMSG_TLM_H

#include <systemc>
#include <tlm>

#include "bridge_initiator.h"
#include "core_target.h"
#include "rpvp/virtio_rpmsg_dev.h"

namespace rpvp {

class VirtioRpmsg : public sc_core::sc_module {
public:
    VirtioRpmsg(sc_core::sc_module_name name, const rpvp_vrpmsg_config &cfg,
                sc_core::sc_time access_latency = sc_core::SC_ZERO_TIME, bool start = true);
    ~VirtioRpmsg() override;

    tlm_utils::simple_target_socket<CoreTarget> &tsock() { return target_.tsock; }
    tlm_utils::simple_initiator_socket<BridgeInitiator> &isock() { return master_.isock; }
    sc_core::sc_out<bool> &irq_out() { return target_.irq_out[0]; }
    sc_core::sc_in<bool> &irq_in() { return irq_in_; }

    /* The C core, for configuration hooks and statistics (rpvp_vrpmsg_*). */
    rpvp_vrpmsg *core() const { return core_; }

private:
    static rpvp_vrpmsg *make_core(const rpvp_vrpmsg_config &cfg, rpvp_port *port);
    static rpvp_device_ops target_ops();
    static void start(rpvp_port *port, void *ctx);
    void mbox_irq_method();
    void irq_update_method();

    BridgeInitiator master_;
    rpvp_vrpmsg *core_;
    const rpvp_device_ops ops_; /* the core's table without its interrupt input */
    CoreTarget target_;
    sc_core::sc_in<bool> irq_in_;
    sc_core::sc_event irq_update_;
};

} // namespace rpvp
#endif
