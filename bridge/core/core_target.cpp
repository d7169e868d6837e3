/* rpvp::CoreTarget: generic TLM target around a C device core. */
#include "core_target.h"
#include "sc_time_ps.h"

using namespace sc_core;

namespace rpvp {

CoreTarget::CoreTarget(sc_module_name name, const rpvp_device_ops *ops, void *dev,
                       sc_time access_latency)
    : sc_module(name), tsock("tsock"), irq_out("irq_out", ops->num_irq_out),
      irq_in("irq_in", ops->num_irq_in), ops_(ops), dev_(dev), latency_(access_latency),
      irq_state_(ops->num_irq_out, false), irq_in_last_(ops->num_irq_in, false),
      last_edge_ps_(ops->num_irq_out, 0)
{
    tsock.register_b_transport(this, &CoreTarget::b_transport);
    tsock.register_transport_dbg(this, &CoreTarget::transport_dbg);
    sink_.fn = &CoreTarget::sink_fn;
    sink_.ctx = this;
    clock_.now_ps = &CoreTarget::now_fn;
    clock_.ctx = this;
    if (ops_->set_irq_sink)
        ops_->set_irq_sink(dev_, &sink_);

    SC_METHOD(irq_out_method);
    sensitive << edge_event_;
    dont_initialize();
    if (ops_->num_irq_in) {
        SC_METHOD(irq_in_method);
        for (auto &in : irq_in)
            sensitive << in;
        dont_initialize();
    }
}

void CoreTarget::end_of_elaboration()
{
    /* Drive the reset levels of the outputs (a core may have raised a line while it was
     * being configured, before simulation started). */
    for (unsigned i = 0; i < irq_out.size(); i++)
        irq_out[i].initialize(irq_state_[i]);
}

uint64_t CoreTarget::now_fn(void *ctx)
{
    auto *self = static_cast<CoreTarget *>(ctx);
    return now_ps() + self->cur_delay_ps_;
}

void CoreTarget::sink_fn(void *ctx, unsigned line, int level)
{
    auto *self = static_cast<CoreTarget *>(ctx);
    if (line >= self->irq_state_.size())
        return;
    if (sc_get_status() != SC_RUNNING && sc_get_status() != SC_PAUSED) {
        self->irq_state_[line] = level != 0; /* before simulation: becomes the initial level */
        return;
    }
    if (self->in_access_) {
        /* Stamped when the access returns, at its final annotated time (after any nested
         * accesses the core made). */
        self->held_.push_back(Edge{0, line, level != 0});
        return;
    }
    self->queue_edge(now_ps() + self->cur_delay_ps_, line, level != 0);
}

void CoreTarget::queue_edge(uint64_t at, unsigned line, bool level)
{
    /* Temporal decoupling lets initiators call in with annotated times out of order (one
     * may run a quantum ahead of another). Edges of one line are applied in the order
     * the core produced them, never earlier than the line's previous edge: otherwise a
     * "high" stamped earlier than an already queued "low" would leave the line low while
     * the core's state says high — a lost interrupt. */
    if (at < last_edge_ps_[line])
        at = last_edge_ps_[line];
    last_edge_ps_[line] = at;
    /* Edges are applied in order of time; keep the queue sorted (stable for equal times). */
    auto it = edges_.end();
    while (it != edges_.begin() && (it - 1)->at_ps > at)
        --it;
    edges_.insert(it, Edge{at, line, level});
    edge_event_.notify(ps_time(edges_.front().at_ps - now_ps()));
}

void CoreTarget::irq_out_method()
{
    /* One edge per line per delta cycle: a signal keeps only the last write of a delta,
     * so a low and a high due at the same instant would cancel out and the listener
     * would never see the new rising edge (a device waiting for it would hang). */
    const uint64_t now = now_ps();
    std::vector<bool> &written = written_scratch_;
    written.assign(irq_out.size(), false);
    while (!edges_.empty() && edges_.front().at_ps <= now) {
        Edge e = edges_.front();
        if (written[e.line]) {
            edge_event_.notify(SC_ZERO_TIME);
            return;
        }
        edges_.pop_front();
        if (e.level == irq_state_[e.line])
            continue; /* no change: nothing to show */
        written[e.line] = true;
        irq_state_[e.line] = e.level;
        irq_out[e.line].write(e.level);
    }
    if (!edges_.empty())
        edge_event_.notify(ps_time(edges_.front().at_ps - now));
}

void CoreTarget::irq_in_method()
{
    for (unsigned i = 0; i < irq_in.size(); i++) {
        bool v = irq_in[i].read();
        if (v == irq_in_last_[i])
            continue;
        irq_in_last_[i] = v;
        cur_delay_ps_ = 0;
        if (ops_->irq_in)
            ops_->irq_in(dev_, i, v ? 1 : 0);
    }
}

void CoreTarget::b_transport(tlm::tlm_generic_payload &tx, sc_time &delay)
{
    accesses_++;
    const unsigned len = tx.get_data_length();
    if (tx.get_byte_enable_ptr()) {
        tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        errors_++;
        return;
    }
    if (len == 0 || len > 8 || tx.get_streaming_width() != len) {
        tx.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        errors_++;
        return;
    }
    delay += latency_;
    uint64_t d = to_ps(delay);
    cur_delay_ps_ = d;
    in_access_ = true;
    current_ = &tx;
    rpvp_status st;
    if (tx.is_read())
        st = ops_->read(dev_, tx.get_address(), tx.get_data_ptr(), len, &d);
    else if (tx.is_write())
        st = ops_->write(dev_, tx.get_address(), tx.get_data_ptr(), len, &d);
    else
        st = RPVP_OK; /* TLM_IGNORE_COMMAND */
    in_access_ = false;
    current_ = nullptr;
    cur_delay_ps_ = 0;
    for (const Edge &e : held_)
        queue_edge(now_ps() + d, e.line, e.level);
    held_.clear();
    delay = ps_time(d);
    switch (st) {
    case RPVP_OK:
        tx.set_response_status(tlm::TLM_OK_RESPONSE);
        break;
    case RPVP_ADDRESS_ERROR:
        errors_++;
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        break;
    default:
        errors_++;
        tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        break;
    }
}

unsigned int CoreTarget::transport_dbg(tlm::tlm_generic_payload &tx)
{
    /* Debug reads must not disturb the device (no FIFO pops): only the core's
     * side-effect-free reader is used; debug writes are refused. */
    if (!tx.is_read() || !ops_->debug_read)
        return 0;
    return ops_->debug_read(dev_, tx.get_address(), tx.get_data_ptr(), tx.get_data_length());
}

} // namespace rpvp
