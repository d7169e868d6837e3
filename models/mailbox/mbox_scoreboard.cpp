/* rpvp::MboxScoreboard: both mailbox models behind one device core, compared live. */
#include "mbox_scoreboard.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace rpvp {

namespace {

const char *status_name(rpvp_status st)
{
    switch (st) {
    case RPVP_OK:
        return "OK";
    case RPVP_ADDRESS_ERROR:
        return "ADDRESS_ERROR";
    default:
        return "GENERIC_ERROR";
    }
}

std::string hex(uint64_t v, int width)
{
    char b[24];
    std::snprintf(b, sizeof b, "0x%0*" PRIx64, width, v);
    return b;
}

std::string irq_bits(uint32_t v, unsigned users)
{
    std::string s;
    for (unsigned u = 0; u < users; u++)
        s += ((v >> u) & 1u) ? '1' : '0';
    return s;
}

void default_divergence(const std::string &report)
{
    std::istringstream in(report);
    std::string line;
    while (std::getline(in, line))
        std::fprintf(stderr, "rpvp-mbox-check: %s\n", line.c_str());
    std::fflush(stderr);
    std::fflush(stdout);
    /* Stop here: nothing after the first divergence can be trusted, and the process may
     * be QEMU's (the plugin) with no clean way back into the simulation loop. */
    std::_Exit(MboxScoreboard::kDivergenceExit);
}

} // namespace

MboxScoreboard::MboxScoreboard(rpvp_mbox *ref, MboxRtlCore *rtl, Who who)
    : ref_(ref), rtl_(rtl), who_(std::move(who)), on_divergence_(default_divergence)
{
    ops_.name = "mailbox-both";
    ops_.read = &MboxScoreboard::op_read;
    ops_.write = &MboxScoreboard::op_write;
    ops_.debug_read = &MboxScoreboard::op_debug_read;
    ops_.reset = &MboxScoreboard::op_reset;
    ops_.set_irq_sink = &MboxScoreboard::op_set_irq_sink;
    ops_.num_irq_out = rpvp_mbox_num_users(ref);
    const rpvp_irq_sink rs{&MboxScoreboard::ref_sink, this};
    rpvp_mbox_ops(ref_)->set_irq_sink(ref_, &rs);
    const rpvp_irq_sink ts{&MboxScoreboard::rtl_sink, this};
    rtl_->ops()->set_irq_sink(rtl_, &ts);
}

uint32_t MboxScoreboard::ref_irq() const
{
    uint32_t v = 0;
    for (unsigned u = 0; u < rpvp_mbox_num_users(ref_); u++)
        v |= static_cast<uint32_t>(rpvp_mbox_irq_level(ref_, u)) << u;
    return v;
}

uint32_t MboxScoreboard::rtl_irq() const
{
    uint32_t v = 0;
    for (unsigned u = 0; u < rtl_->num_users(); u++)
        v |= static_cast<uint32_t>(rtl_->irq_level(u)) << u;
    return v;
}

std::string MboxScoreboard::summary() const
{
    std::ostringstream o;
    o << "mailbox co-verification (rtl vs tlm): " << accesses_ << " accesses and " << edges_
      << " interrupt edges compared, " << divergences_ << " divergences";
    return o.str();
}

rpvp_status MboxScoreboard::access(bool write, uint64_t off, void *data, unsigned len,
                                   uint64_t *delay_ps)
{
    /* The RTL gets its own copy of the data and of the delay: the platform sees only
     * the reference's answer and timing. */
    uint8_t rtl_buf[8] = {};
    if (write && len <= sizeof rtl_buf)
        std::memcpy(rtl_buf, data, len);
    uint64_t rtl_delay = *delay_ps;
    Access a{};
    a.n = ++accesses_;
    a.time_ps = rpvp_clock_now(&clock_);
    a.who = who_ ? who_() : "?";
    a.write = write;
    a.off = off;
    a.len = len;
    const rpvp_device_ops *ro = rpvp_mbox_ops(ref_);
    a.ref_st = write ? ro->write(ref_, off, data, len, delay_ps)
                     : ro->read(ref_, off, data, len, delay_ps);
    if (len <= sizeof rtl_buf)
        a.rtl_st = write ? rtl_->ops()->write(rtl_, off, rtl_buf, len, &rtl_delay)
                         : rtl_->ops()->read(rtl_, off, rtl_buf, len, &rtl_delay);
    else
        a.rtl_st = RPVP_GENERIC_ERROR; /* wider than any bus beat: never reaches the RTL */
    const unsigned n = len < 4 ? len : 4;
    std::memcpy(&a.ref_value, data, n);
    std::memcpy(&a.rtl_value, rtl_buf, n);
    a.ref_irq = ref_irq();
    a.rtl_irq = rtl_irq();
    history_.push_back(a);
    if (history_.size() > kHistory)
        history_.pop_front();
    check(a);
    return a.ref_st;
}

void MboxScoreboard::check(const Access &a)
{
    const bool value_differs = !a.write && a.ref_st == RPVP_OK && a.ref_value != a.rtl_value;
    if (a.ref_st == a.rtl_st && !value_differs && a.ref_irq == a.rtl_irq)
        return;
    divergences_++;
    const unsigned users = rtl_->num_users();
    std::ostringstream o;
    o << "FIRST DIVERGENCE between the mailbox RTL and the TLM model\n";
    o << "  access #" << a.n << " at " << a.time_ps / 1e6 << " us (" << a.time_ps
      << " ps), initiator " << a.who << "\n";
    o << "  " << describe(a) << "\n";
    if (a.ref_st != a.rtl_st)
        o << "  response: tlm " << status_name(a.ref_st) << ", rtl " << status_name(a.rtl_st)
          << "\n";
    if (value_differs)
        o << "  read data: tlm " << hex(a.ref_value, 8) << ", rtl " << hex(a.rtl_value, 8)
          << "\n";
    if (a.ref_irq != a.rtl_irq)
        o << "  interrupt lines (user 0.." << users - 1 << ") after the access: tlm "
          << irq_bits(a.ref_irq, users) << ", rtl " << irq_bits(a.rtl_irq, users) << "\n";
    o << "  last " << history_.size() << " accesses, oldest first (tlm value/irq | rtl):\n";
    for (const Access &h : history_)
        o << "    #" << h.n << " " << h.time_ps / 1e6 << " us " << h.who << " " << describe(h)
          << " | " << hex(h.rtl_value, 8) << " " << status_name(h.rtl_st) << " irq "
          << irq_bits(h.rtl_irq, users) << "\n";
    o << "  " << summary() << " (stopped at the first)\n";
    on_divergence_(o.str());
}

std::string MboxScoreboard::describe(const Access &a) const
{
    unsigned idx = 0;
    const rpvp_mbox_reg_desc *d = rpvp_mbox_reg_decode(
        rpvp_mbox_num_users(ref_), rpvp_mbox_num_fifos(ref_), a.off & ~uint64_t{3}, &idx);
    std::string reg = d ? std::string(d->name) + (d->index ? "(" + std::to_string(idx) + ")" : "")
                        : "(no register)";
    std::ostringstream o;
    o << (a.write ? "write " : "read  ") << hex(a.off, 3) << " " << reg;
    if (a.len != 4)
        o << " [" << a.len << " bytes]";
    o << (a.write ? " = " : " -> ") << hex(a.ref_value, 8) << " " << status_name(a.ref_st)
      << " irq " << irq_bits(a.ref_irq, rtl_->num_users());
    return o.str();
}

rpvp_status MboxScoreboard::op_read(void *dev, uint64_t off, void *data, unsigned len,
                                    uint64_t *delay_ps)
{
    return static_cast<MboxScoreboard *>(dev)->access(false, off, data, len, delay_ps);
}

rpvp_status MboxScoreboard::op_write(void *dev, uint64_t off, const void *data, unsigned len,
                                     uint64_t *delay_ps)
{
    return static_cast<MboxScoreboard *>(dev)->access(true, off, const_cast<void *>(data), len,
                                                      delay_ps);
}

unsigned MboxScoreboard::op_debug_read(void *dev, uint64_t off, void *data, unsigned len)
{
    auto *self = static_cast<MboxScoreboard *>(dev);
    return rpvp_mbox_ops(self->ref_)->debug_read(self->ref_, off, data, len);
}

void MboxScoreboard::op_reset(void *dev)
{
    auto *self = static_cast<MboxScoreboard *>(dev);
    rpvp_mbox_ops(self->ref_)->reset(self->ref_);
    self->rtl_->ops()->reset(self->rtl_);
}

void MboxScoreboard::op_set_irq_sink(void *dev, const rpvp_irq_sink *sink)
{
    auto *self = static_cast<MboxScoreboard *>(dev);
    self->out_ = sink ? *sink : rpvp_irq_sink{};
}

/* The reference drives the platform's lines; every edge is one compared edge (the RTL's
 * line is checked against it after the access). */
void MboxScoreboard::ref_sink(void *ctx, unsigned line, int level)
{
    auto *self = static_cast<MboxScoreboard *>(ctx);
    self->edges_++;
    rpvp_irq_sink_set(&self->out_, line, level);
}

void MboxScoreboard::rtl_sink(void *ctx, unsigned, int)
{
    static_cast<MboxScoreboard *>(ctx)->rtl_edges_++;
}

} // namespace rpvp
