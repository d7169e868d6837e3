/*
 * rpvp::MboxRtlCore — the transactor between rpvp's device-core interface
 * (rpvp_device_ops, include/rpvp/device.h) and the pins of the mailbox RTL
 * (mbox_rtl_pins.h). Wrap it with rpvp::CoreTarget (rpvp::OmapMailbox does) to get a
 * TLM-2.0 target whose interrupt outputs behave like the C core's.
 *
 * One register access = cycles of the mailbox's interface clock (L4, period a
 * parameter) driven on the verilated model at the access's simulated time: the request
 * cycle (ready_o follows) and the RTL's one-cycle output latency (irq_o settles). The
 * cycles times the period are added to the annotated delay. Between accesses the clock
 * does not run at all: the RTL is purely reactive, so idle simulated time costs no wall
 * time. Offsets outside the window (ADDRESS_ERROR) and accesses that are not one beat
 * of the 32-bit bus (8 bytes, or crossing a word: GENERIC_ERROR) never reach the pins;
 * narrow and misaligned beats do, and the RTL answers them with err_o.
 *
 * Statistics (the C core's structures) come from a monitor of the accesses: the
 * register decode of the shared table and the FIFO occupancy and contents it sees go
 * by (debug reads of MESSAGE peek at that copy; other debug reads are bus reads of
 * side-effect-free registers). The RTL's own registers are never read behind the bus.
 */
#ifndef RPVP_MBOX_RTL_CORE_H
#define RPVP_MBOX_RTL_CORE_H

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "mbox_rtl_pins.h"
#include "rpvp/omap_mailbox.h"

namespace rpvp {

class MboxRtlCore {
public:
    /* Request cycle + output latency of omap_mailbox.sv. */
    static constexpr unsigned kCyclesPerAccess = 2;

    /* Throws std::invalid_argument when no model matches cfg or the trace file cannot
     * be written (`trace_file` "": no waveforms; "*.vcd" or "*.fst"). */
    MboxRtlCore(const rpvp_mbox_config &cfg, uint64_t clock_period_ps,
                const std::string &trace_file = "", MboxRtlFactory factory = make_mbox_rtl);
    ~MboxRtlCore();
    MboxRtlCore(const MboxRtlCore &) = delete;
    MboxRtlCore &operator=(const MboxRtlCore &) = delete;

    const rpvp_device_ops *ops() { return &ops_; }
    void set_clock(const rpvp_clock *clock) { clock_ = clock ? *clock : rpvp_clock{}; }
    void set_occupancy_hook(rpvp_mbox_occupancy_fn fn, void *ctx);
    /* Measurement events, as the C core's (rpvp_mbox_set_event_sink); nullptr: none. */
    void set_event_sink(struct rpvp_ev_sink *sink) { events_ = sink; }

    int irq_level(unsigned user) const;
    unsigned num_users() const { return cfg_.num_users; }
    uint64_t cycles() const { return cycles_; }
    uint64_t clock_period_ps() const { return period_ps_; }
    int get_fifo_stats(unsigned fifo, rpvp_mbox_fifo_stats *out) const;
    int get_user_stats(unsigned user, rpvp_mbox_user_stats *out) const;
    void get_stats(rpvp_mbox_stats *out) const { *out = stats_; }

private:
    rpvp_status access(bool write, uint64_t off, void *data, unsigned len, uint64_t *delay_ps);
    void cycle();
    void update_irq();
    void monitor(bool write, uint32_t word_off, uint32_t wdata, uint32_t rdata);
    void occupancy_changed(unsigned fifo);
    void event(unsigned kind, unsigned fifo, uint32_t value);
    void guest_error(const std::string &line);
    uint32_t bus_read_quiet(uint32_t word_off);

    static rpvp_status op_read(void *, uint64_t, void *, unsigned, uint64_t *);
    static rpvp_status op_write(void *, uint64_t, const void *, unsigned, uint64_t *);
    static unsigned op_debug_read(void *, uint64_t, void *, unsigned);
    static void op_reset(void *);
    static void op_set_irq_sink(void *, const rpvp_irq_sink *);

    rpvp_mbox_config cfg_;
    std::string name_;
    uint64_t period_ps_;
    std::unique_ptr<MboxRtlPins> pins_;
    rpvp_device_ops ops_{};
    rpvp_irq_sink sink_{};
    rpvp_clock clock_{};
    rpvp_mbox_occupancy_fn occ_fn_ = nullptr;
    void *occ_ctx_ = nullptr;
    struct rpvp_ev_sink *events_ = nullptr;
    uint32_t irq_ = 0;
    uint64_t cycles_ = 0;
    uint64_t done_ps_ = 0; /* simulated time at the end of the access in progress */
    uint64_t t_ps_ = 0; /* waveform time of the next clock edge (monotonic) */
    bool tracing_ = false;
    std::vector<std::deque<uint32_t>> seen_; /* FIFO contents as seen on the bus */
    rpvp_mbox_stats stats_{};
    std::vector<rpvp_mbox_fifo_stats> fifo_stats_;
    std::vector<rpvp_mbox_user_stats> user_stats_;
    unsigned logged_ = 0;
};

} // namespace rpvp
#endif
