/*
 * rpvp::Cm3Cpu — SystemC shell of the Cortex-M3 ISS (cm3.h).
 *
 * Interface: `isock` (the rpvp::BridgeInitiator's TLM-2.0 initiator socket: every
 * memory access, DMI request and debug access of the core), `irq[n]` (sc_in<bool>,
 * level-sensitive, wired into the NVIC's external interrupt n). Parameters: number of
 * IRQs, clock frequency (cycles -> simulated time), quantum, implemented priority bits,
 * optional GDB port.
 * Time: the core runs ahead in quanta; before each bus access the port's local time is
 * brought up to the core's cycle count, bus-annotated delays become wait-state cycles,
 * DMI is used where granted (dropped on invalidate_direct_mem_ptr), WFI/WFE call
 * rpvp_port_wait_irq() so SystemC time advances to the next event instead of spinning.
 * Reset control (optional, `control`): two more inputs after the NVIC lines,
 * reset_in() and boot_in(). A rising edge of reset stops the core at once (its next
 * instruction boundary, or in WFI) and holds it; a rising edge of boot releases a held
 * core: decoded code and DMI windows are dropped (another master - Linux's ELF loader -
 * wrote the image behind the bus) and it starts from its reset vector at that instant.
 * With `start_held` the core waits for the first release instead of starting at time 0.
 * A controlled core that locks up stays locked until a reset (no sc_stop).
 * Not modelled here: anything the C core does not model (see cm3.h).
 */
#ifndef RPVP_CM3_TLM_H
#define RPVP_CM3_TLM_H

#include <systemc>
#include <cstdio>
#include <functional>
#include "bridge_initiator.h"
#include "rpvp/measure.h"

extern "C" {
#include "cm3.h"
#include "cm3_semihost.h"
}

namespace rpvp {

class Cm3Cpu : public sc_core::sc_module {
public:
    BridgeInitiator bridge;
    tlm_utils::simple_initiator_socket<BridgeInitiator> &isock;
    sc_core::sc_vector<sc_core::sc_in<bool>> &irq;

    Cm3Cpu(sc_core::sc_module_name name, unsigned num_irq, uint64_t clock_hz,
           sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US),
           unsigned prio_bits = 8, int gdb_port = 0, bool control = false,
           bool start_held = false);
    ~Cm3Cpu() override;

    cm3_cpu *core() { return cpu_; }
    /* Serve semihosting (console to `out`); without it BKPT 0xAB is a debug event. */
    void enable_semihosting(FILE *out);
    /* Call sc_stop() when the program exits or the core locks up (default on). */
    void set_stop_on_exit(bool on) { stop_on_exit_ = on; }
    bool finished() const { return finished_; }
    cm3_stop stop_reason() const { return reason_; }
    int exit_code() const { return cm3_exit_code(cpu_); }
    uint64_t clock_hz() const { return clock_hz_; }
    /* Reset control inputs (only with `control`). */
    sc_core::sc_in<bool> &reset_in() { return irq[num_irq_]; }
    sc_core::sc_in<bool> &boot_in() { return irq[num_irq_ + 1]; }
    bool held() const { return held_; }
    uint64_t boots() const { return boots_; }   /* releases from reset so far */
    uint64_t resets() const { return resets_; } /* reset pulses so far */
    /* Held by a reset pulse (stopped until the next release): how often, for how long
     * in simulated time (up to now while still held), and the instructions the core
     * executed in those intervals (0 when a reset really stops it). */
    uint64_t holds() const { return holds_; }
    uint64_t held_ps() const;
    uint64_t insns_while_held() const;
    /* Called on the core's thread, at its time, when it took a fault (exc 3..6: the
     * handler has not run yet) or locked up (exc 0), before anything else runs. Return
     * true to let the core go on (its fault handler runs), false to stop it here. */
    void set_fault_handler(std::function<bool(int exc)> fn) { fault_fn_ = std::move(fn); }

    /* Measurement (observation only: nothing here moves simulated time). Every
     * interrupt entry (exception >= 16) becomes an RPVP_EV_IRQ_ENTRY in `sink` (NULL:
     * none), stamped with the simulated time of the handler's first instruction. */
    void set_event_sink(rpvp_ev_sink *sink);
    /* Write watch `slot` (0..7) over [addr, addr + len) of the core's address space:
     * fn(ctx, slot, simulated time of the store) after each store there. len 0 removes
     * it. See cm3_set_write_watch for the cost. */
    using WatchFn = void (*)(void *ctx, unsigned slot, uint64_t t_ps);
    void set_write_watch(unsigned slot, uint32_t addr, uint32_t len, WatchFn fn, void *ctx);
    /* Simulated time at core cycle count `cyc` (>= the cycles already accounted). */
    uint64_t time_at(uint64_t cyc);

private:
    static void thread_entry(rpvp_port *p, void *ctx);
    static int bus_read(void *ctx, uint32_t a, unsigned len, uint32_t *v, uint32_t *wait);
    static int bus_write(void *ctx, uint32_t a, unsigned len, uint32_t v, uint32_t *wait);
    static int bus_dmi(void *ctx, uint32_t a, cm3_dmi *d);
    static uint64_t bus_sleep(void *ctx, uint64_t max_cycles);
    static void on_irq(void *ctx, unsigned line, int level);
    static void on_dmi_invalidate(void *ctx, uint64_t start, uint64_t end);
    static void gdb_slice_done(void *ctx);
    static void on_fault(void *ctx, int exc);
    bool handle_fault();
    static void on_exception(void *ctx, unsigned exc, uint64_t cyc);
    static void on_watch(void *ctx, uint32_t addr, unsigned len, uint32_t value, uint64_t cyc);
    void run();
    void run_until_stopped();
    void boot();
    void sync_port();
    uint32_t wait_cycles(uint64_t delay_ps);

    cm3_cpu *cpu_ = nullptr;
    cm3_semihost *sh_ = nullptr;
    uint64_t clock_hz_;
    uint64_t period_ps_;
    uint64_t quantum_cycles_;
    int gdb_port_;
    uint64_t acc_cyc_ = 0;        // core cycles already reflected in the port's time
    uint64_t annotated_ps_ = 0;   // bus delays already added to the port since then
    bool stop_on_exit_ = true;
    unsigned num_irq_;
    bool control_;
    bool held_;
    bool release_ = false;  // a boot edge arrived while held
    bool hold_req_ = false; // a reset edge arrived while running
    uint64_t boots_ = 0, resets_ = 0;
    void hold_begin();
    void hold_end();
    bool holding_ = false; /* held after a reset pulse (not the initial hold) */
    uint64_t holds_ = 0, held_ps_ = 0, hold_t0_ps_ = 0, hold_insns0_ = 0, held_insns_ = 0;
    bool finished_ = false;
    cm3_stop reason_ = CM3_STOP_BUDGET;
    rpvp_ev_sink *events_ = nullptr;
    struct Watch {
        Cm3Cpu *self;
        unsigned slot;
        WatchFn fn;
        void *ctx;
    } watch_[8]{};
    std::function<bool(int)> fault_fn_;
    int fault_exc_ = -1;          // a fault to report (-1: none)
};

}  // namespace rpvp
#endif
