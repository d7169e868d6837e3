/*
 * rpvp::MboxRtlPins — the pins of one verilated mailbox RTL model (omap_mailbox.sv),
 * without Verilator's headers: the transactor (mbox_rtl_core.h) drives these and nothing
 * else, so a team that swaps in its own RTL only has to provide a model with the same
 * ports (docs/models/mailbox.md, "Swapping in your own RTL").
 *
 * Ports: clk_i, rst_ni, req_i, we_i, addr_i[8:0], wdata_i[31:0], be_i[3:0] in;
 * ready_o, err_o, rdata_o[31:0], irq_o[users-1:0] out. Setting an input does not
 * evaluate; set_clock() and set_reset() do.
 */
#ifndef RPVP_MBOX_RTL_PINS_H
#define RPVP_MBOX_RTL_PINS_H

#include <cstdint>
#include <memory>
#include <string>

namespace rpvp {

class MboxRtlPins {
public:
    virtual ~MboxRtlPins() = default;
    virtual void set_request(bool req, bool we, uint32_t addr, uint32_t wdata, uint32_t be) = 0;
    virtual void set_reset(bool rst_n) = 0; /* evaluates */
    virtual void set_clock(bool clk) = 0;   /* evaluates */
    virtual bool ready() const = 0;
    virtual bool err() const = 0;
    virtual uint32_t rdata() const = 0;
    virtual uint32_t irq() const = 0; /* bit u: irq_o[u] */
    /* Waveforms of every port and register (FIFO contents, counts, enables). Returns
     * false with the reason if this model cannot trace in the file's format. */
    virtual bool open_trace(const std::string &file, std::string *why) = 0;
    virtual void dump(uint64_t time_ps) = 0;
    virtual void close_trace() = 0;
};

/* A model of the mailbox RTL with these parameters, or nullptr with the reason (the
 * verilated parameter sets are listed in it). `trace_format` is "", "vcd" or "fst". */
using MboxRtlFactory = std::unique_ptr<MboxRtlPins> (*)(unsigned users, unsigned fifos,
                                                        unsigned depth,
                                                        const std::string &trace_format,
                                                        std::string *why);
/* The faithful RTL (library rpvp_mailbox_rtl). */
std::unique_ptr<MboxRtlPins> make_mbox_rtl(unsigned users, unsigned fifos, unsigned depth,
                                           const std::string &trace_format, std::string *why);
/* OMAP4 parameters only, built with RPVP_MBOX_FAULT_NOTFULL_STUCK (library
 * rpvp_mailbox_rtl_fault): for the test that shows the co-verification catches it. */
std::unique_ptr<MboxRtlPins> make_mbox_rtl_fault(unsigned users, unsigned fifos,
                                                 unsigned depth,
                                                 const std::string &trace_format,
                                                 std::string *why);

} // namespace rpvp
#endif
