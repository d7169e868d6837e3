/* The verilated mailbox models behind rpvp::MboxRtlPins. The list of models comes from
 * CMake (RPVP_MBOX_RTL_MODELS: X(users, fifos, depth, class, trace class) ...). */
#include "mbox_rtl_pins.h"

#include <verilated.h>
#if VM_TRACE_VCD
#include <verilated_vcd_c.h>
#endif
#if VM_TRACE_FST
#include <verilated_fst_c.h>
#endif

#include "mbox_rtl_model_headers.h" /* generated: one #include per model class */

#ifndef RPVP_MBOX_RTL_FACTORY
#define RPVP_MBOX_RTL_FACTORY make_mbox_rtl
#endif

namespace rpvp {
namespace {

template <class V, class Trace> class Model final : public MboxRtlPins {
public:
    Model() : ctx_(std::make_unique<VerilatedContext>())
    {
        ctx_->traceEverOn(true);
        top_ = std::make_unique<V>(ctx_.get(), "mailbox");
        top_->clk_i = 0;
        top_->req_i = 0;
        /* Power-on reset: a falling edge of rst_ni (the flops reset asynchronously;
         * Verilator starts every signal at 0, so 0 alone is no edge). */
        set_reset(true);
        set_reset(false);
        set_reset(true);
    }
    ~Model() override
    {
        close_trace();
        top_->final();
    }
    void set_request(bool req, bool we, uint32_t addr, uint32_t wdata, uint32_t be) override
    {
        top_->req_i = req;
        top_->we_i = we;
        top_->addr_i = addr & 0x1FFu;
        top_->wdata_i = wdata;
        top_->be_i = be & 0xFu;
    }
    void set_reset(bool rst_n) override
    {
        top_->rst_ni = rst_n;
        top_->eval();
    }
    void set_clock(bool clk) override
    {
        top_->clk_i = clk;
        top_->eval();
    }
    bool ready() const override { return top_->ready_o; }
    bool err() const override { return top_->err_o; }
    uint32_t rdata() const override { return top_->rdata_o; }
    uint32_t irq() const override { return top_->irq_o; }
    bool open_trace(const std::string &file, std::string *why) override
    {
        close_trace();
        tfp_ = std::make_unique<Trace>();
        top_->trace(tfp_.get(), 99);
        tfp_->open(file.c_str());
        if (!tfp_->isOpen()) {
            tfp_.reset();
            *why = "cannot write " + file;
            return false;
        }
        return true;
    }
    void dump(uint64_t time_ps) override
    {
        if (tfp_)
            tfp_->dump(time_ps);
    }
    void close_trace() override
    {
        if (tfp_) {
            tfp_->close();
            tfp_.reset();
        }
    }

private:
    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<V> top_;
    std::unique_ptr<Trace> tfp_;
};

template <class Trace> const char *format_of();
#if VM_TRACE_VCD
template <> const char *format_of<VerilatedVcdC>() { return "vcd"; }
#endif
#if VM_TRACE_FST
template <> const char *format_of<VerilatedFstC>() { return "fst"; }
#endif

} // namespace

std::unique_ptr<MboxRtlPins> RPVP_MBOX_RTL_FACTORY(unsigned users, unsigned fifos,
                                                   unsigned depth,
                                                   const std::string &trace_format,
                                                   std::string *why)
{
    std::string sets;
#define X(u, f, d, cls, tr)                                                                \
    if (users == (u) && fifos == (f) && depth == (d) &&                                    \
        (trace_format.empty() || trace_format == format_of<tr>()))                         \
        return std::make_unique<Model<cls, tr>>();                                         \
    sets += std::string(sets.empty() ? "" : ", ") + #u "/" #f "/" #d " (" +                \
            format_of<tr>() + ")";
    RPVP_MBOX_RTL_MODELS
#undef X
    if (why)
        *why = "no verilated mailbox RTL for " + std::to_string(users) + " users, " +
               std::to_string(fifos) + " FIFOs of depth " + std::to_string(depth) +
               (trace_format.empty() ? "" : " with " + trace_format + " tracing") +
               " (built: users/FIFOs/depth " + sets +
               "; add the set to models/mailbox/rtl/CMakeLists.txt)";
    return nullptr;
}

} // namespace rpvp
