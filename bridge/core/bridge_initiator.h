/*
 * rpvp::BridgeInitiator — the SystemC module behind an rpvp_port (include/rpvp/bridge.h).
 *
 * Each C call on the port becomes one TLM-2.0 base-protocol transaction on `isock`:
 * rpvp_read/rpvp_write -> b_transport, rpvp_get_dmi -> get_direct_mem_ptr,
 * rpvp_debug_* -> transport_dbg. Interrupt lines come in on `irq` and are reported to the
 * C side through its callback. Time is kept with a quantum like tlm_quantumkeeper.
 *
 * Contexts in which the C side may run (decides what a sync does):
 *   - spawn(fn, ctx): fn runs in an SC_THREAD of this module; syncs call wait().
 *   - driven from outside the kernel (QEMU's vCPU thread between sc_start calls):
 *     syncs call sc_start(offset).
 *   - nested inside another transport or an SC_METHOD: no sync is possible; the offset
 *     accumulates (see rpvp_port_set_auto_sync / rpvp_port_set_local_offset).
 */
#ifndef RPVP_BRIDGE_INITIATOR_H
#define RPVP_BRIDGE_INITIATOR_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "rpvp/bridge.h"

namespace rpvp {

class BridgeInitiator;

} // namespace rpvp

/* The opaque C handle is a thin view of the module. */
struct rpvp_port {
    rpvp::BridgeInitiator *owner;
};

namespace rpvp {

class BridgeInitiator : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<BridgeInitiator> isock;
    sc_core::sc_vector<sc_core::sc_in<bool>> irq;

    SC_HAS_PROCESS(BridgeInitiator);
    using ThreadFn = void (*)(rpvp_port *, void *);

    BridgeInitiator(sc_core::sc_module_name name, unsigned num_irqs = 0,
                    sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US));

    rpvp_port *port() { return &port_; }
    /* Run fn(port(), ctx) in an SC_THREAD of this module, starting at time 0. */
    void spawn(ThreadFn fn, void *ctx);

    /* --- implementation of the C ABI (called through rpvp_port) --- */
    rpvp_status access(tlm::tlm_command cmd, uint64_t addr, void *data, size_t len,
                       uint64_t *delay_ps);
    size_t debug(tlm::tlm_command cmd, uint64_t addr, void *data, size_t len);
    bool get_dmi(uint64_t addr, rpvp_dmi *out);
    void advance(uint64_t ps);
    void sync();
    bool wait_irq(uint64_t max_ps);
    uint64_t offset_ps() const { return offset_ps_; }
    void set_offset_ps(uint64_t ps) { offset_ps_ = ps; }
    void set_auto_sync(bool on) { auto_sync_ = on; }
    uint64_t now_ps() const;
    void set_quantum_ps(uint64_t ps) { quantum_ps_ = ps; }
    uint64_t quantum_ps() const { return quantum_ps_; }
    void set_irq_callback(rpvp_irq_fn fn, void *ctx) { irq_fn_ = fn; irq_ctx_ = ctx; }
    void set_dmi_callback(rpvp_dmi_invalidate_fn fn, void *ctx) { dmi_fn_ = fn; dmi_ctx_ = ctx; }
    unsigned num_irqs() const { return static_cast<unsigned>(irq.size()); }
    int irq_level(unsigned line) const;
    const rpvp_port_stats &stats() const { return stats_; }

private:
    enum class Context { thread, outside, nested };
    Context context() const;
    void irq_method();
    void thread_main();
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

    rpvp_port port_;
    uint64_t offset_ps_ = 0;
    uint64_t quantum_ps_;
    bool auto_sync_ = true;
    rpvp_irq_fn irq_fn_ = nullptr;
    void *irq_ctx_ = nullptr;
    rpvp_dmi_invalidate_fn dmi_fn_ = nullptr;
    void *dmi_ctx_ = nullptr;
    std::vector<bool> irq_last_;
    sc_core::sc_event irq_event_;
    uint64_t irq_edges_ = 0;
    bool outside_waiting_ = false;
    ThreadFn thread_fn_ = nullptr;
    void *thread_ctx_ = nullptr;
    rpvp_port_stats stats_{};
};

} // namespace rpvp

#endif
