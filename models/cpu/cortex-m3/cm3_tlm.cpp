// rpvp::Cm3Cpu: SystemC shell of the Cortex-M3 ISS (see cm3_tlm.h).
#include "cm3_tlm.h"

extern "C" {
#include "cm3_gdb.h"
}

namespace rpvp {

Cm3Cpu::Cm3Cpu(sc_core::sc_module_name name, unsigned num_irq, uint64_t clock_hz,
               sc_core::sc_time quantum, unsigned prio_bits, int gdb_port, bool control,
               bool start_held)
    : sc_module(name), bridge("bridge", num_irq + (control ? 2 : 0), quantum),
      isock(bridge.isock), irq(bridge.irq), clock_hz_(clock_hz ? clock_hz : 1),
      gdb_port_(gdb_port), num_irq_(num_irq), control_(control), held_(control && start_held)
{
    period_ps_ = 1000000000000ull / clock_hz_;
    if (!period_ps_) period_ps_ = 1;
    quantum_cycles_ = static_cast<uint64_t>(quantum.to_seconds() * 1e12) / period_ps_;
    if (!quantum_cycles_) quantum_cycles_ = 1;
    cm3_config cfg{ num_irq ? num_irq : 1, prio_bits, 0 };
    cm3_bus bus{};
    bus.ctx = this;
    bus.read = bus_read;
    bus.write = bus_write;
    bus.get_dmi = bus_dmi;
    bus.sleep = bus_sleep;
    bus.fault = on_fault;
    cpu_ = cm3_create(&cfg, &bus);
    cm3_set_clock_hz(cpu_, clock_hz_);
    rpvp_set_irq_callback(bridge.port(), on_irq, this);
    rpvp_set_dmi_invalidate_callback(bridge.port(), on_dmi_invalidate, this);
    bridge.spawn(thread_entry, this);
}

Cm3Cpu::~Cm3Cpu()
{
    cm3_destroy(cpu_);
    if (sh_) cm3_semihost_destroy(sh_);
}

void Cm3Cpu::enable_semihosting(FILE *out)
{
    cm3_semihost_cfg cfg{};
    cfg.in = nullptr;
    cfg.out = out;
    cfg.err = out;
    cfg.cmdline = name();
    cfg.heap_base = 0x20000000u;
    cfg.heap_limit = 0x20000000u;
    if (sh_) cm3_semihost_destroy(sh_);
    sh_ = cm3_semihost_create(&cfg);
    cm3_set_semihost(cpu_, sh_);
}

uint32_t Cm3Cpu::wait_cycles(uint64_t delay_ps)
{
    annotated_ps_ += delay_ps;
    uint64_t w = (delay_ps + period_ps_ - 1) / period_ps_;
    return w > 0xffffffffu ? 0xffffffffu : static_cast<uint32_t>(w);
}

/* Bring the port's local time up to the core's cycle count (minus what bus accesses
 * have already annotated), so accesses and syncs happen at the core's "now". */
void Cm3Cpu::sync_port()
{
    uint64_t now = cm3_time_cycles(cpu_);
    uint64_t ps = (now - acc_cyc_) * period_ps_;
    acc_cyc_ = now;
    uint64_t adv = ps > annotated_ps_ ? ps - annotated_ps_ : 0;
    annotated_ps_ = annotated_ps_ > ps ? annotated_ps_ - ps : 0;
    if (adv) rpvp_port_advance(bridge.port(), adv);
}

int Cm3Cpu::bus_read(void *ctx, uint32_t a, unsigned len, uint32_t *v, uint32_t *wait)
{
    auto *s = static_cast<Cm3Cpu *>(ctx);
    s->sync_port();
    uint64_t d = 0;
    uint32_t x = 0;
    rpvp_status st = rpvp_read(s->bridge.port(), a, &x, len, &d);
    *v = x;
    *wait = s->wait_cycles(d);
    return st == RPVP_OK ? 0 : -1;
}

int Cm3Cpu::bus_write(void *ctx, uint32_t a, unsigned len, uint32_t v, uint32_t *wait)
{
    auto *s = static_cast<Cm3Cpu *>(ctx);
    s->sync_port();
    uint64_t d = 0;
    rpvp_status st = rpvp_write(s->bridge.port(), a, &v, len, &d);
    *wait = s->wait_cycles(d);
    return st == RPVP_OK ? 0 : -1;
}

int Cm3Cpu::bus_dmi(void *ctx, uint32_t a, cm3_dmi *d)
{
    auto *s = static_cast<Cm3Cpu *>(ctx);
    rpvp_dmi g{};
    if (!rpvp_get_dmi(s->bridge.port(), a, &g) || !g.ptr || !g.read_allowed) return 0;
    uint64_t start = g.start, end = g.end > 0xffffffffull ? 0xffffffffull : g.end;
    if (start > 0xffffffffull) return 0;
    d->ptr = g.ptr;
    d->start = static_cast<uint32_t>(start);
    d->end = static_cast<uint32_t>(end);
    d->writable = g.write_allowed;
    d->read_wait = static_cast<uint32_t>((g.read_latency_ps + s->period_ps_ - 1) / s->period_ps_);
    d->write_wait = static_cast<uint32_t>((g.write_latency_ps + s->period_ps_ - 1) / s->period_ps_);
    return 1;
}

/* WFI/WFE: let SystemC time run to the next interrupt edge or the core's own next
 * event (SysTick), whichever is first. */
uint64_t Cm3Cpu::bus_sleep(void *ctx, uint64_t max_cycles)
{
    auto *s = static_cast<Cm3Cpu *>(ctx);
    s->sync_port();
    rpvp_port *p = s->bridge.port();
    uint64_t t0 = rpvp_port_now(p);
    uint64_t max_ps = max_cycles == UINT64_MAX || max_cycles > UINT64_MAX / s->period_ps_
                          ? UINT64_MAX : max_cycles * s->period_ps_;
    rpvp_port_wait_irq(p, max_ps);
    uint64_t t1 = rpvp_port_now(p);
    uint64_t cyc = (t1 - t0 + s->period_ps_ - 1) / s->period_ps_;
    if (max_cycles != UINT64_MAX && cyc > max_cycles) cyc = max_cycles;
    if (cyc * s->period_ps_ > t1 - t0) rpvp_port_advance(p, cyc * s->period_ps_ - (t1 - t0));
    s->acc_cyc_ += cyc;   // the ISS adds these cycles itself when this returns
    if (cyc == 0 && max_cycles == UINT64_MAX) cyc = 0;
    return cyc;
}

void Cm3Cpu::on_irq(void *ctx, unsigned line, int level)
{
    auto *s = static_cast<Cm3Cpu *>(ctx);
    if (line < s->num_irq_) {
        cm3_set_irq(s->cpu_, line, level);
        return;
    }
    if (!level)
        return;
    if (line == s->num_irq_) { /* reset pulse: stop now, stay held */
        s->resets_++;
        s->release_ = false;
        if (!s->held_) {
            s->hold_req_ = true;
            cm3_request_stop(s->cpu_);
        }
    } else if (s->held_ || s->hold_req_) { /* boot: release a held core */
        s->release_ = true;
    }
}

void Cm3Cpu::on_dmi_invalidate(void *ctx, uint64_t start, uint64_t end)
{
    if (start > 0xffffffffull) return;
    cm3_invalidate_dmi(static_cast<Cm3Cpu *>(ctx)->cpu_, static_cast<uint32_t>(start),
                       static_cast<uint32_t>(end > 0xffffffffull ? 0xffffffffull : end));
}

uint64_t Cm3Cpu::time_at(uint64_t cyc)
{
    uint64_t ps = cyc > acc_cyc_ ? (cyc - acc_cyc_) * period_ps_ : 0;
    return rpvp_port_now(bridge.port()) + (ps > annotated_ps_ ? ps - annotated_ps_ : 0);
}

void Cm3Cpu::set_event_sink(rpvp_ev_sink *sink)
{
    events_ = sink;
    cm3_set_exception_hook(cpu_, sink ? on_exception : nullptr, this);
}

void Cm3Cpu::on_exception(void *ctx, unsigned exc, uint64_t cyc)
{
    auto *s = static_cast<Cm3Cpu *>(ctx);
    if (exc < 16)
        return;
    rpvp_ev e{};
    e.t_ps = s->time_at(cyc);
    e.kind = RPVP_EV_IRQ_ENTRY;
    e.agent = RPVP_AGENT_M3;
    e.value = exc;
    rpvp_ev_emit(s->events_, &e);
}

void Cm3Cpu::set_write_watch(unsigned slot, uint32_t addr, uint32_t len, WatchFn fn, void *ctx)
{
    if (slot >= 8)
        return;
    watch_[slot] = Watch{this, slot, fn, ctx};
    cm3_set_write_watch(cpu_, slot, addr, fn ? len : 0, on_watch, &watch_[slot]);
}

void Cm3Cpu::on_watch(void *ctx, uint32_t, unsigned, uint32_t, uint64_t cyc)
{
    auto *w = static_cast<Watch *>(ctx);
    w->fn(w->ctx, w->slot, w->self->time_at(cyc));
}

void Cm3Cpu::thread_entry(rpvp_port *, void *ctx) { static_cast<Cm3Cpu *>(ctx)->run(); }

/* Inside cm3_run: note it and get control back at the next instruction boundary. */
void Cm3Cpu::on_fault(void *ctx, int exc)
{
    auto *s = static_cast<Cm3Cpu *>(ctx);
    if (!s->fault_fn_ || s->fault_exc_ >= 0)
        return;
    s->fault_exc_ = exc;
    cm3_request_stop(s->cpu_);
}

/* After cm3_run returned: report a noted fault. false: stop the core. */
bool Cm3Cpu::handle_fault()
{
    if (fault_exc_ < 0)
        return true;
    const int exc = fault_exc_;
    fault_exc_ = -1;
    return fault_fn_(exc);
}

void Cm3Cpu::gdb_slice_done(void *ctx)
{
    auto *s = static_cast<Cm3Cpu *>(ctx);
    s->sync_port();
    rpvp_port_sync(s->bridge.port());
}

/* Start from the reset vector of whatever image is in memory now. */
void Cm3Cpu::boot()
{
    cm3_invalidate_dmi(cpu_, 0, 0xffffffffu); /* the image was written behind the bus */
    cm3_reset(cpu_);
    for (unsigned i = 0; i < num_irq_; i++) /* input levels survive the core's reset */
        if (bridge.irq_level(i) > 0)
            cm3_set_irq(cpu_, i, 1);
    acc_cyc_ = cm3_time_cycles(cpu_);
    annotated_ps_ = 0;
    boots_++;
}

void Cm3Cpu::run_until_stopped()
{
    if (gdb_port_) {
        /* Quantum by quantum, as below, so the rest of the platform keeps time while gdb
         * has the core running. */
        reason_ = cm3_gdb_serve_sliced(cpu_, gdb_port_, quantum_cycles_, gdb_slice_done, this);
        sync_port();
        return;
    }
    for (;;) {
        reason_ = cm3_run(cpu_, quantum_cycles_);
        sync_port();
        if (!handle_fault()) return;
        if (hold_req_) return;
        if (reason_ != CM3_STOP_BUDGET && reason_ != CM3_STOP_REQUEST) return;
    }
}

static uint64_t core_insns(cm3_cpu *c)
{
    cm3_stats st;
    cm3_get_stats(c, &st);
    return st.insns;
}

void Cm3Cpu::hold_begin()
{
    holding_ = true;
    holds_++;
    hold_t0_ps_ = bridge.now_ps();
    hold_insns0_ = core_insns(cpu_);
}

void Cm3Cpu::hold_end()
{
    if (!holding_)
        return;
    holding_ = false;
    held_ps_ += bridge.now_ps() - hold_t0_ps_;
    held_insns_ += core_insns(cpu_) - hold_insns0_;
}

uint64_t Cm3Cpu::held_ps() const
{
    return held_ps_ + (holding_ ? bridge.now_ps() - hold_t0_ps_ : 0);
}

uint64_t Cm3Cpu::insns_while_held() const
{
    return held_insns_ + (holding_ ? core_insns(cpu_) - hold_insns0_ : 0);
}

void Cm3Cpu::run()
{
    rpvp_port *p = bridge.port();
    for (;;) {
        while (held_ && !release_)
            rpvp_port_wait_irq(p, UINT64_MAX);
        hold_end();
        held_ = release_ = false;
        boot();
        run_until_stopped();
        if (hold_req_) { /* reset while running: wait for the next release */
            hold_req_ = false;
            held_ = true;
            hold_begin();
            continue;
        }
        rpvp_port_sync(p);
        if (reason_ == CM3_STOP_LOCKUP || reason_ == CM3_STOP_SLEEP_FOREVER)
            SC_REPORT_WARNING(name(), cm3_last_error(cpu_));
        if (!control_)
            break;
        /* A controlled core stays stopped (locked up, exited) until it is reset. */
        finished_ = true;
        while (!hold_req_)
            rpvp_port_wait_irq(p, UINT64_MAX);
        hold_req_ = false;
        held_ = true;
        hold_begin();
        finished_ = false;
    }
    finished_ = true;
    if (stop_on_exit_) sc_core::sc_stop();
}

}  // namespace rpvp
