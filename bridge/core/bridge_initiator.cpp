/* rpvp::BridgeInitiator: C initiator port -> TLM-2.0 base protocol. */
#include "bridge_initiator.h"
#include "sc_time_ps.h"

#include <cstring>
#include <limits>

using namespace sc_core;

namespace rpvp {

BridgeInitiator::BridgeInitiator(sc_module_name name, unsigned num_irqs, sc_time quantum)
    : sc_module(name), isock("isock"), irq("irq", num_irqs), quantum_ps_(to_ps(quantum)),
      irq_last_(num_irqs, false)
{
    port_.owner = this;
    isock.register_invalidate_direct_mem_ptr(this, &BridgeInitiator::invalidate_direct_mem_ptr);
    if (num_irqs) {
        SC_METHOD(irq_method);
        for (auto &in : irq)
            sensitive << in;
        dont_initialize();
    }
}

void BridgeInitiator::spawn(ThreadFn fn, void *ctx)
{
    thread_fn_ = fn;
    thread_ctx_ = ctx;
    sc_spawn_options opts;
    sc_spawn([this]() { thread_main(); }, (std::string(basename()) + "_thread").c_str(), &opts);
}

void BridgeInitiator::thread_main()
{
    thread_fn_(&port_, thread_ctx_);
    sync(); /* leave no local time behind */
}

BridgeInitiator::Context BridgeInitiator::context() const
{
    sc_process_handle h = sc_get_current_process_handle();
    if (!h.valid())
        return sc_get_status() == SC_RUNNING ? Context::nested : Context::outside;
    if (h.proc_kind() == SC_THREAD_PROC_ || h.proc_kind() == SC_CTHREAD_PROC_)
        return Context::thread;
    return Context::nested;
}

/* A plain payload: whole bytes, no byte enables, one beat. */
static void init_payload(tlm::tlm_generic_payload &tx, tlm::tlm_command cmd, uint64_t addr,
                         void *data, size_t len)
{
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(static_cast<unsigned char *>(data));
    tx.set_data_length(static_cast<unsigned>(len));
    tx.set_streaming_width(static_cast<unsigned>(len));
    tx.set_byte_enable_ptr(nullptr);
}

rpvp_status BridgeInitiator::access(tlm::tlm_command cmd, uint64_t addr, void *data,
                                    size_t len, uint64_t *delay_ps)
{
    tlm::tlm_generic_payload tx;
    init_payload(tx, cmd, addr, data, len);
    tx.set_dmi_allowed(false);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);

    sc_time delay = ps_time(offset_ps_);
    isock->b_transport(tx, delay);
    uint64_t after = to_ps(delay);
    uint64_t added = after >= offset_ps_ ? after - offset_ps_ : 0;
    offset_ps_ = after;
    if (delay_ps)
        *delay_ps = added;

    if (cmd == tlm::TLM_READ_COMMAND) {
        stats_.reads++;
        stats_.read_bytes += len;
    } else {
        stats_.writes++;
        stats_.write_bytes += len;
    }
    rpvp_status st = RPVP_OK;
    switch (tx.get_response_status()) {
    case tlm::TLM_OK_RESPONSE:
        break;
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
        st = RPVP_ADDRESS_ERROR;
        break;
    default: /* incomplete counts as an error: the target did not answer */
        st = RPVP_GENERIC_ERROR;
        break;
    }
    if (st != RPVP_OK)
        stats_.errors++;
    if (auto_sync_ && offset_ps_ >= quantum_ps_)
        sync();
    return st;
}

size_t BridgeInitiator::debug(tlm::tlm_command cmd, uint64_t addr, void *data, size_t len)
{
    tlm::tlm_generic_payload tx;
    init_payload(tx, cmd, addr, data, len);
    stats_.debug_accesses++;
    return isock->transport_dbg(tx);
}

bool BridgeInitiator::get_dmi(uint64_t addr, rpvp_dmi *out)
{
    tlm::tlm_generic_payload tx;
    tlm::tlm_dmi dmi;
    tx.set_command(tlm::TLM_READ_COMMAND);
    tx.set_address(addr);
    tx.set_data_length(0);
    if (!isock->get_direct_mem_ptr(tx, dmi))
        return false;
    if (dmi.get_dmi_ptr() == nullptr || addr < dmi.get_start_address() ||
        addr > dmi.get_end_address())
        return false;
    out->ptr = dmi.get_dmi_ptr();
    out->start = dmi.get_start_address();
    out->end = dmi.get_end_address();
    out->read_allowed = dmi.is_read_allowed();
    out->write_allowed = dmi.is_write_allowed();
    out->read_latency_ps = to_ps(dmi.get_read_latency());
    out->write_latency_ps = to_ps(dmi.get_write_latency());
    stats_.dmi_grants++;
    return true;
}

void BridgeInitiator::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end)
{
    stats_.dmi_invalidations++;
    if (dmi_fn_)
        dmi_fn_(dmi_ctx_, start, end);
}

void BridgeInitiator::advance(uint64_t ps)
{
    offset_ps_ += ps;
    if (auto_sync_ && offset_ps_ >= quantum_ps_)
        sync();
}

void BridgeInitiator::sync()
{
    if (offset_ps_ == 0)
        return;
    switch (context()) {
    case Context::thread:
        wait(ps_time(offset_ps_));
        break;
    case Context::outside:
        sc_start(ps_time(offset_ps_));
        break;
    case Context::nested:
        return; /* keep the offset for a context that can wait */
    }
    offset_ps_ = 0;
    stats_.syncs++;
}

bool BridgeInitiator::wait_irq(uint64_t max_ps)
{
    /* An edge that arrives while the local offset is being synced counts as a wake-up:
     * it happened after the caller decided to wait. */
    const uint64_t edges_before = irq_edges_;
    sync();
    if (irq_edges_ != edges_before)
        return true;
    const bool forever = max_ps == std::numeric_limits<uint64_t>::max();
    switch (context()) {
    case Context::thread: {
        if (forever)
            wait(irq_event_);
        else
            wait(ps_time(max_ps), irq_event_);
        return irq_event_.triggered();
    }
    case Context::outside: {
        /* Run the kernel until an edge arrives; irq_method pauses it at the edge's time,
         * so the caller resumes exactly then. */
        outside_waiting_ = true;
        uint64_t start = now_ps();
        while (irq_edges_ == edges_before) {
            if (forever && !sc_pending_activity())
                break; /* nothing left that could ever raise an interrupt */
            uint64_t step = quantum_ps_ ? quantum_ps_ : 1000000;
            uint64_t waited = now_ps() - start;
            if (!forever) {
                if (waited >= max_ps)
                    break;
                if (max_ps - waited < step)
                    step = max_ps - waited;
            }
            sc_start(ps_time(step), SC_RUN_TO_TIME);
        }
        outside_waiting_ = false;
        return irq_edges_ != edges_before;
    }
    case Context::nested:
        break;
    }
    return false;
}

uint64_t BridgeInitiator::now_ps() const
{
    return to_ps(sc_time_stamp()) + offset_ps_;
}

int BridgeInitiator::irq_level(unsigned line) const
{
    return line < irq.size() ? static_cast<int>(irq[line].read()) : 0;
}

void BridgeInitiator::irq_method()
{
    const uint64_t edges_before = irq_edges_;
    for (unsigned i = 0; i < irq.size(); i++) {
        bool v = irq[i].read();
        if (v == irq_last_[i])
            continue;
        irq_last_[i] = v;
        irq_edges_++;
        if (irq_fn_)
            irq_fn_(irq_ctx_, i, v ? 1 : 0);
    }
    irq_event_.notify(SC_ZERO_TIME);
    if (outside_waiting_ && irq_edges_ != edges_before)
        sc_pause();
}

} // namespace rpvp
