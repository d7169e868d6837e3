/*
 * rpvp::CoreTarget — the one generic SystemC wrapper that turns a C device core
 * (rpvp_device_ops, include/rpvp/device.h) into a TLM-2.0 target.
 *
 * Interface:
 *   tsock       target socket; the interconnect hands it local offsets.
 *   irq_out[n]  the core's interrupt outputs (ops->num_irq_out); an edge the core raises
 *               during an access appears at the access's annotated time, not earlier.
 *   irq_in[n]   interrupt inputs into the core (ops->num_irq_in), reported through
 *               ops->irq_in at the simulated time of the edge.
 * Parameters: access latency annotated on every register access.
 * Checked here, for every core: byte enables (refused: registers have none), streaming
 * width (must equal the length), data length 1..8. The register map itself is the
 * core's business.
 */
#ifndef RPVP_CORE_TARGET_H
#define RPVP_CORE_TARGET_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <deque>
#include <vector>

#include "rpvp/device.h"

namespace rpvp {

class CoreTarget : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<CoreTarget> tsock;
    sc_core::sc_vector<sc_core::sc_out<bool>> irq_out;
    sc_core::sc_vector<sc_core::sc_in<bool>> irq_in;

    SC_HAS_PROCESS(CoreTarget);
    CoreTarget(sc_core::sc_module_name name, const rpvp_device_ops *ops, void *dev,
               sc_core::sc_time access_latency = sc_core::SC_ZERO_TIME);

    /* "now" for the core: global time plus the delay of the access being handled. */
    const rpvp_clock *clock() const { return &clock_; }
    void set_access_latency(sc_core::sc_time t) { latency_ = t; }
    void *device() const { return dev_; }
    uint64_t accesses() const { return accesses_; }
    uint64_t errors() const { return errors_; }
    /* The transaction being handled (nullptr outside b_transport): for cores that
     * report who accessed them (extensions, e.g. rpvp::RouterInitiator). */
    const tlm::tlm_generic_payload *current() const { return current_; }

private:
    void b_transport(tlm::tlm_generic_payload &tx, sc_core::sc_time &delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload &tx);
    void irq_out_method();
    void irq_in_method();
    void end_of_elaboration() override;
    static void sink_fn(void *ctx, unsigned line, int level);
    void queue_edge(uint64_t at_ps, unsigned line, bool level);
    static uint64_t now_fn(void *ctx);

    struct Edge {
        uint64_t at_ps;
        unsigned line;
        bool level;
    };

    const rpvp_device_ops *ops_;
    void *dev_;
    sc_core::sc_time latency_;
    rpvp_irq_sink sink_;
    rpvp_clock clock_;
    uint64_t cur_delay_ps_ = 0;
    std::deque<Edge> edges_;
    std::vector<Edge> held_; /* raised during the access in progress */
    std::vector<bool> written_scratch_; /* irq_out_method: lines written this delta */
    bool in_access_ = false;
    const tlm::tlm_generic_payload *current_ = nullptr;
    std::vector<bool> irq_state_;
    std::vector<bool> irq_in_last_;
    std::vector<uint64_t> last_edge_ps_; /* per output line: time of its last queued edge */
    sc_core::sc_event edge_event_;
    uint64_t accesses_ = 0;
    uint64_t errors_ = 0;
};

} // namespace rpvp
#endif
