/* rpvp::MboxRtlCore: device-core accesses as clock cycles on the mailbox RTL's pins. */
#include "mbox_rtl_core.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "rpvp/measure.h"

namespace rpvp {

namespace {
constexpr unsigned kWord = 4;

std::string trace_format(const std::string &file)
{
    auto ends = [&](const char *ext) {
        size_t n = std::strlen(ext);
        return file.size() > n && file.compare(file.size() - n, n, ext) == 0;
    };
    if (file.empty())
        return "";
    if (ends(".vcd"))
        return "vcd";
    if (ends(".fst"))
        return "fst";
    throw std::invalid_argument("mailbox trace " + file + ": the name must end in .vcd or .fst");
}
} // namespace

MboxRtlCore::MboxRtlCore(const rpvp_mbox_config &cfg, uint64_t clock_period_ps,
                         const std::string &trace_file, MboxRtlFactory factory)
    : cfg_(cfg), name_(cfg.name ? cfg.name : "mailbox"), period_ps_(clock_period_ps),
      seen_(cfg.num_fifos), fifo_stats_(cfg.num_fifos), user_stats_(cfg.num_users)
{
    cfg_.name = name_.c_str();
    if (!cfg_.log_limit)
        cfg_.log_limit = 20;
    if (period_ps_ < 2)
        throw std::invalid_argument(name_ + ": RTL clock period must be at least 2 ps");
    std::string why;
    pins_ = factory(cfg.num_users, cfg.num_fifos, cfg.fifo_depth,
                          trace_format(trace_file), &why);
    if (!pins_)
        throw std::invalid_argument(name_ + ": " + why);
    if (!trace_file.empty()) {
        if (!pins_->open_trace(trace_file, &why))
            throw std::invalid_argument(name_ + ": " + why);
        tracing_ = true;
        pins_->dump(0);
        t_ps_ = period_ps_ / 2;
    }
    ops_.name = name_.c_str();
    ops_.read = &MboxRtlCore::op_read;
    ops_.write = &MboxRtlCore::op_write;
    ops_.debug_read = &MboxRtlCore::op_debug_read;
    ops_.reset = &MboxRtlCore::op_reset;
    ops_.set_irq_sink = &MboxRtlCore::op_set_irq_sink;
    ops_.num_irq_out = cfg.num_users;
}

MboxRtlCore::~MboxRtlCore()
{
    if (pins_)
        pins_->close_trace();
}

void MboxRtlCore::set_occupancy_hook(rpvp_mbox_occupancy_fn fn, void *ctx)
{
    occ_fn_ = fn;
    occ_ctx_ = ctx;
}

int MboxRtlCore::irq_level(unsigned user) const
{
    return user < cfg_.num_users ? static_cast<int>((irq_ >> user) & 1u) : 0;
}

int MboxRtlCore::get_fifo_stats(unsigned fifo, rpvp_mbox_fifo_stats *out) const
{
    if (fifo >= cfg_.num_fifos)
        return -1;
    *out = fifo_stats_[fifo];
    return 0;
}

int MboxRtlCore::get_user_stats(unsigned user, rpvp_mbox_user_stats *out) const
{
    if (user >= cfg_.num_users)
        return -1;
    *out = user_stats_[user];
    return 0;
}

/* One period of the interface clock: rising edge half a period in, falling at the end.
 * Waveform times follow simulated time but never go backwards (initiators a quantum
 * apart may call in out of time order). */
void MboxRtlCore::cycle()
{
    if (tracing_) {
        uint64_t now = rpvp_clock_now(&clock_);
        if (now > t_ps_)
            t_ps_ = now;
        pins_->dump(t_ps_);
    }
    pins_->set_clock(true);
    if (tracing_)
        pins_->dump(t_ps_ + period_ps_ / 2);
    pins_->set_clock(false);
    if (tracing_) {
        pins_->dump(t_ps_ + period_ps_);
        t_ps_ += period_ps_ + period_ps_ / 2; /* a visible gap between accesses */
    }
    cycles_++;
}

/* The only place the interrupt outputs are reported (rising edges counted). */
void MboxRtlCore::update_irq()
{
    const uint32_t now = pins_->irq();
    for (unsigned u = 0; u < cfg_.num_users; u++) {
        const uint32_t bit = 1u << u;
        if ((now ^ irq_) & bit) {
            if (now & bit)
                user_stats_[u].irq_assertions++;
            rpvp_irq_sink_set(&sink_, u, (now & bit) ? 1 : 0);
        }
    }
    irq_ = now;
}

void MboxRtlCore::guest_error(const std::string &line)
{
    stats_.guest_errors++;
    if (cfg_.log) {
        cfg_.log(cfg_.log_ctx, RPVP_MBOX_LOG_GUEST_ERROR, line.c_str());
        return;
    }
    if (logged_ > cfg_.log_limit)
        return;
    if (logged_++ == cfg_.log_limit)
        std::fprintf(stderr, "rpvp: %s: further guest errors not shown (still counted)\n",
                     name_.c_str());
    else
        std::fprintf(stderr, "rpvp: %s (rtl): %s\n", name_.c_str(), line.c_str());
}

rpvp_status MboxRtlCore::access(bool write, uint64_t off, void *data, unsigned len,
                                uint64_t *delay_ps)
{
    const char *what = write ? "write" : "read";
    char buf[128];
    if (off >= RPVP_MBOX_WINDOW_SIZE || len > RPVP_MBOX_WINDOW_SIZE - off) {
        stats_.bad_offset++;
        std::snprintf(buf, sizeof buf, "%s at 0x%llx outside the register window", what,
                      static_cast<unsigned long long>(off));
        guest_error(buf);
        return RPVP_ADDRESS_ERROR;
    }
    const unsigned lane = static_cast<unsigned>(off % kWord);
    const uint32_t word_off = static_cast<uint32_t>(off - lane);
    if (len == 0 || len > kWord || lane + len > kWord) {
        /* Not one beat of the 32-bit register bus: refused before the pins. */
        stats_.bad_width++;
        std::snprintf(buf, sizeof buf, "%u-byte %s at 0x%03llx: only aligned 32-bit accesses",
                      len, what, static_cast<unsigned long long>(off));
        guest_error(buf);
        return RPVP_GENERIC_ERROR;
    }
    uint32_t wdata = 0;
    if (write)
        std::memcpy(reinterpret_cast<uint8_t *>(&wdata) + lane, data, len);
    pins_->set_request(true, write, word_off, wdata, ((1u << len) - 1u) << lane);
    cycle(); /* the access */
    const bool ready = pins_->ready(), err = pins_->err();
    const uint32_t rdata = pins_->rdata();
    pins_->set_request(false, false, 0, 0, 0);
    for (unsigned k = 1; k < kCyclesPerAccess; k++)
        cycle(); /* irq_o settles */
    if (delay_ps)
        *delay_ps += kCyclesPerAccess * period_ps_;
    /* Effects (occupancy samples) are stamped at the end of the access, as the C core's
     * are at the end of its annotated latency. */
    done_ps_ = rpvp_clock_now(&clock_) + kCyclesPerAccess * period_ps_;
    if (!ready) {
        guest_error("RTL gave no ready_o: bus protocol broken (access dropped)");
        return RPVP_GENERIC_ERROR;
    }
    if (err) {
        stats_.bad_width++;
        std::snprintf(buf, sizeof buf, "%u-byte %s at 0x%03llx: only aligned 32-bit accesses",
                      len, what, static_cast<unsigned long long>(off));
        guest_error(buf);
        update_irq();
        return RPVP_GENERIC_ERROR;
    }
    if (!write)
        std::memcpy(data, &rdata, kWord);
    monitor(write, word_off, wdata, rdata);
    update_irq();
    return RPVP_OK;
}

void MboxRtlCore::occupancy_changed(unsigned m)
{
    rpvp_mbox_fifo_stats &st = fifo_stats_[m];
    st.occupancy = static_cast<unsigned>(seen_[m].size());
    if (st.occupancy > st.high_water)
        st.high_water = st.occupancy;
    if (occ_fn_)
        occ_fn_(occ_ctx_, m, st.occupancy, done_ps_);
}

void MboxRtlCore::event(unsigned kind, unsigned m, uint32_t value)
{
    if (!events_)
        return;
    rpvp_ev e{};
    e.t_ps = done_ps_;
    e.kind = static_cast<uint16_t>(kind);
    e.agent = RPVP_AGENT_MBOX;
    e.fifo = m;
    e.value = value;
    e.len = static_cast<uint16_t>(seen_[m].size());
    rpvp_ev_push(events_, &e);
}

/* Statistics from what went over the bus (same meaning as the C core's). */
void MboxRtlCore::monitor(bool write, uint32_t off, uint32_t wdata, uint32_t rdata)
{
    unsigned i = 0;
    const rpvp_mbox_reg_desc *d = rpvp_mbox_reg_decode(cfg_.num_users, cfg_.num_fifos, off, &i);
    char buf[128];
    if (!d) {
        stats_.bad_offset++;
        if (write)
            std::snprintf(buf, sizeof buf, "write 0x%08x to unmapped offset 0x%03x ignored",
                          wdata, off);
        else
            std::snprintf(buf, sizeof buf, "read of unmapped offset 0x%03x (reads 0)", off);
        guest_error(buf);
        return;
    }
    const bool message = d->base == RPVP_MBOX_MESSAGE_BASE;
    if (write && std::strcmp(d->access, "R") == 0) {
        stats_.ro_writes++;
        std::snprintf(buf, sizeof buf, "write 0x%08x to read-only %s(%u) at 0x%03x ignored",
                      wdata, d->name, i, off);
        guest_error(buf);
        return;
    }
    (write ? stats_.writes : stats_.reads)++;
    if (message && write) {
        if (seen_[i].size() == cfg_.fifo_depth) {
            event(RPVP_EV_MBOX_FULL, i, wdata);
            fifo_stats_[i].overflows++;
            return;
        }
        seen_[i].push_back(wdata);
        fifo_stats_[i].messages++;
        occupancy_changed(i);
        event(RPVP_EV_MBOX_WRITE, i, wdata);
    } else if (message) {
        if (seen_[i].empty()) {
            fifo_stats_[i].empty_reads++;
            return;
        }
        seen_[i].pop_front();
        fifo_stats_[i].reads++;
        occupancy_changed(i);
        event(RPVP_EV_MBOX_READ, i, rdata);
    } else if (write && off == RPVP_MBOX_SYSCONFIG) {
        if (wdata & RPVP_MBOX_SYSCONFIG_SOFTRESET) {
            stats_.soft_resets++;
            for (unsigned m = 0; m < cfg_.num_fifos; m++) {
                const bool had = !seen_[m].empty();
                seen_[m].clear();
                if (had)
                    occupancy_changed(m);
            }
        }
        if (((wdata & RPVP_MBOX_SYSCONFIG_SIDLEMODE_MASK) >>
             RPVP_MBOX_SYSCONFIG_SIDLEMODE_SHIFT) == 3u)
            guest_error("SYSCONFIG.SIDLEMODE = 3 is reserved (stored anyway)");
    }
}

/* A read of a register without side effects, for debuggers: real bus cycles, nothing
 * annotated, no statistics. */
uint32_t MboxRtlCore::bus_read_quiet(uint32_t off)
{
    pins_->set_request(true, false, off, 0, 0xF);
    cycle();
    const uint32_t v = pins_->ready() && !pins_->err() ? pins_->rdata() : 0;
    pins_->set_request(false, false, 0, 0, 0);
    for (unsigned k = 1; k < kCyclesPerAccess; k++)
        cycle();
    return v;
}

rpvp_status MboxRtlCore::op_read(void *dev, uint64_t off, void *data, unsigned len,
                                 uint64_t *delay_ps)
{
    return static_cast<MboxRtlCore *>(dev)->access(false, off, data, len, delay_ps);
}

rpvp_status MboxRtlCore::op_write(void *dev, uint64_t off, const void *data, unsigned len,
                                  uint64_t *delay_ps)
{
    return static_cast<MboxRtlCore *>(dev)->access(true, off, const_cast<void *>(data), len,
                                                   delay_ps);
}

unsigned MboxRtlCore::op_debug_read(void *dev, uint64_t off, void *data, unsigned len)
{
    auto *self = static_cast<MboxRtlCore *>(dev);
    if (off >= RPVP_MBOX_WINDOW_SIZE || len > RPVP_MBOX_WINDOW_SIZE - off)
        return 0;
    uint8_t *out = static_cast<uint8_t *>(data);
    for (unsigned k = 0; k < len; k++) {
        const uint32_t word = static_cast<uint32_t>((off + k) & ~uint64_t{3});
        unsigned i = 0;
        const rpvp_mbox_reg_desc *d =
            rpvp_mbox_reg_decode(self->cfg_.num_users, self->cfg_.num_fifos, word, &i);
        uint32_t v = 0;
        if (d && d->base == RPVP_MBOX_MESSAGE_BASE)
            v = self->seen_[i].empty() ? 0 : self->seen_[i].front(); /* no pop */
        else if (d)
            v = self->bus_read_quiet(word);
        out[k] = static_cast<uint8_t>(v >> (8u * ((off + k) & 3u)));
    }
    return len;
}

void MboxRtlCore::op_reset(void *dev)
{
    auto *self = static_cast<MboxRtlCore *>(dev);
    self->done_ps_ = rpvp_clock_now(&self->clock_);
    self->pins_->set_reset(false);
    self->pins_->set_reset(true);
    for (unsigned m = 0; m < self->cfg_.num_fifos; m++) {
        const bool had = !self->seen_[m].empty();
        self->seen_[m].clear();
        if (had)
            self->occupancy_changed(m);
    }
    self->update_irq();
}

void MboxRtlCore::op_set_irq_sink(void *dev, const rpvp_irq_sink *sink)
{
    auto *self = static_cast<MboxRtlCore *>(dev);
    self->sink_ = sink ? *sink : rpvp_irq_sink{};
}

} // namespace rpvp
