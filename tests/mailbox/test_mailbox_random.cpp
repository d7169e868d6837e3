/* The OMAP4 mailbox against a small, independent reference model of its FIFOs and
 * interrupt bits, over long random register sequences from all users (fixed seeds):
 * the C core through its C API, and the C model, the RTL and both compared live through
 * rpvp::OmapMailbox's TLM socket. */
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "mbox_tlm_bench.h"
#include "rpvp/omap_mailbox.h"

namespace {

/* Reference: written per bit and per FIFO from the TRM wording, sharing no code with
 * the core. */
struct RefMailbox {
    unsigned users, fifos, depth;
    std::vector<std::deque<uint32_t>> q;
    std::vector<uint32_t> debug_set; /* events set by writing IRQSTATUS_RAW */
    std::vector<uint32_t> en;
    uint32_t sysconfig = 0x8;
    uint64_t overflows = 0, empty_reads = 0, passed = 0;

    RefMailbox(unsigned u, unsigned f, unsigned d)
        : users(u), fifos(f), depth(d), q(f), debug_set(u), en(u) {}

    bool event(unsigned u, unsigned bit) const
    {
        unsigned m = bit / 2;
        if (m >= fifos)
            return false;
        bool cond = (bit % 2 == 0) ? !q[m].empty() : q[m].size() < depth;
        return cond || ((debug_set[u] >> bit) & 1u);
    }
    uint32_t raw(unsigned u) const
    {
        uint32_t v = 0;
        for (unsigned b = 0; b < 32; b++)
            v |= event(u, b) ? 1u << b : 0u;
        return v;
    }
    uint32_t implemented() const
    {
        uint32_t v = 0;
        for (unsigned b = 0; b < 2 * fifos; b++)
            v |= 1u << b;
        return v;
    }
    bool line(unsigned u) const { return (raw(u) & en[u]) != 0; }
    void reset()
    {
        for (auto &f : q)
            f.clear();
        std::fill(debug_set.begin(), debug_set.end(), 0u);
        std::fill(en.begin(), en.end(), 0u);
        sysconfig = 0x8;
    }
    void send(unsigned m, uint32_t v)
    {
        if (q[m].size() == depth) {
            overflows++;
            return;
        }
        q[m].push_back(v);
        passed++;
    }
    uint32_t receive(unsigned m)
    {
        if (q[m].empty()) {
            empty_reads++;
            return 0;
        }
        uint32_t v = q[m].front();
        q[m].pop_front();
        return v;
    }
};

struct Variant {
    unsigned users, fifos, depth;
    uint32_t seed;
};

/* What the random sequence drives: register accesses, interrupt levels, statistics. */
struct Dut {
    virtual ~Dut() = default;
    virtual uint32_t rd(uint32_t off) = 0;
    virtual void wr(uint32_t off, uint32_t v) = 0;
    virtual void narrow_read(uint32_t off) = 0; /* a 1-byte read: must change nothing */
    virtual int level(unsigned user) = 0;       /* the model's interrupt output */
    virtual int sink_level(unsigned user) = 0;  /* what the edges reported say */
    virtual uint64_t sink_rises(unsigned user) = 0;
    virtual rpvp_mbox_fifo_stats fifo(unsigned m) = 0;
    virtual uint64_t assertions(unsigned user) = 0;
};

/* The C core through its C API, its IRQ sink recording every edge. */
struct CoreDut : Dut {
    rpvp_mbox *mb;
    std::vector<int> line;
    std::vector<uint64_t> rises;
    explicit CoreDut(const rpvp_mbox_config &cfg)
        : mb(rpvp_mbox_new(&cfg)), line(cfg.num_users), rises(cfg.num_users)
    {
        rpvp_irq_sink sink{[](void *c, unsigned l, int lv) {
                               auto *x = static_cast<CoreDut *>(c);
                               EXPECT_NE(x->line[l], lv) << "sink called without a change";
                               x->line[l] = lv;
                               x->rises[l] += lv ? 1 : 0;
                           },
                           this};
        rpvp_mbox_ops(mb)->set_irq_sink(mb, &sink);
    }
    ~CoreDut() override { rpvp_mbox_free(mb); }
    uint32_t rd(uint32_t off) override { return rpvp_mbox_read32(mb, off); }
    void wr(uint32_t off, uint32_t v) override { rpvp_mbox_write32(mb, off, v); }
    void narrow_read(uint32_t off) override
    {
        uint8_t b = 0;
        uint64_t d = 0;
        rpvp_mbox_ops(mb)->read(mb, off, &b, 1, &d);
    }
    int level(unsigned u) override { return rpvp_mbox_irq_level(mb, u); }
    int sink_level(unsigned u) override { return line[u]; }
    uint64_t sink_rises(unsigned u) override { return rises[u]; }
    rpvp_mbox_fifo_stats fifo(unsigned m) override
    {
        rpvp_mbox_fifo_stats s{};
        EXPECT_EQ(rpvp_mbox_get_fifo_stats(mb, m, &s), 0);
        return s;
    }
    uint64_t assertions(unsigned u) override
    {
        rpvp_mbox_user_stats s{};
        EXPECT_EQ(rpvp_mbox_get_user_stats(mb, u, &s), 0);
        return s.irq_assertions;
    }
};

/* rpvp::OmapMailbox (any kind) through its TLM socket; the interrupt signals are
 * followed in simulated time (each access waits its annotated delay). */
struct SocketDut : Dut {
    mbt::Bus bus;
    rpvp::OmapMailbox mbox;
    sc_core::sc_vector<sc_core::sc_signal<bool>> irq;
    std::vector<uint64_t> rises;

    SocketDut(const rpvp_mbox_config &cfg, rpvp::MailboxKind kind)
        : bus("bus"), mbox("mbox", cfg, sc_core::sc_time(20, sc_core::SC_NS), options(kind)),
          irq("irq", cfg.num_users), rises(cfg.num_users)
    {
        bus.isock.bind(mbox.tsock());
        for (unsigned u = 0; u < cfg.num_users; u++)
            mbox.irq(u).bind(irq[u]);
    }
    static rpvp::MailboxOptions options(rpvp::MailboxKind kind)
    {
        rpvp::MailboxOptions o;
        o.kind = kind;
        return o;
    }
    /* One access; waits its annotated delay, so the edges have reached the signals. */
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint32_t off, void *data,
                                    unsigned len)
    {
        std::vector<bool> before(irq.size());
        for (unsigned u = 0; u < irq.size(); u++)
            before[u] = irq[u].read();
        tlm::tlm_response_status st = bus.access(cmd, off, data, len);
        for (unsigned u = 0; u < irq.size(); u++)
            rises[u] += (!before[u] && irq[u].read()) ? 1 : 0;
        return st;
    }
    uint32_t rd(uint32_t off) override
    {
        uint32_t v = 0;
        return access(tlm::TLM_READ_COMMAND, off, &v, 4) == tlm::TLM_OK_RESPONSE ? v : 0;
    }
    void wr(uint32_t off, uint32_t v) override { access(tlm::TLM_WRITE_COMMAND, off, &v, 4); }
    void narrow_read(uint32_t off) override
    {
        uint8_t b = 0;
        EXPECT_EQ(access(tlm::TLM_READ_COMMAND, off, &b, 1), tlm::TLM_GENERIC_ERROR_RESPONSE);
    }
    int level(unsigned u) override
    {
        return mbox.core() ? rpvp_mbox_irq_level(mbox.core(), u) : mbox.rtl()->irq_level(u);
    }
    int sink_level(unsigned u) override { return irq[u].read() ? 1 : 0; }
    uint64_t sink_rises(unsigned u) override { return rises[u]; }
    rpvp_mbox_fifo_stats fifo(unsigned m) override
    {
        rpvp_mbox_fifo_stats s{};
        EXPECT_EQ(mbox.fifo_stats(m, &s), 0);
        return s;
    }
    uint64_t assertions(unsigned u) override
    {
        rpvp_mbox_user_stats s{};
        EXPECT_EQ(mbox.user_stats(u, &s), 0);
        return s.irq_assertions;
    }
};

/* Masks biased toward one or two bits so that single events get exercised. */
uint32_t random_mask(std::mt19937 &rng)
{
    switch (rng() % 4) {
    case 0:
        return 1u << (rng() % 32);
    case 1:
        return (1u << (rng() % 32)) | (1u << (rng() % 32));
    case 2:
        return rng();
    default:
        return 0;
    }
}

void run_random(Dut &dut, const Variant v, int steps)
{
    RefMailbox ref(v.users, v.fifos, v.depth);
    std::vector<uint64_t> ref_rises(v.users, 0);
    std::vector<bool> ref_line(v.users, false);
    std::mt19937 rng(v.seed);
    for (int step = 0; step < steps; step++) {
        const unsigned u = rng() % v.users;
        const unsigned m = rng() % v.fifos;
        const uint32_t val = rng();
        uint32_t got = 0, want = 0;
        bool is_read = false;
        const unsigned op = rng() % 100;
        if (op < 25) { /* send, as a driver would, sometimes without checking */
            dut.wr(RPVP_MBOX_MESSAGE(m), val);
            ref.send(m, val);
        } else if (op < 45) {
            is_read = true;
            got = dut.rd(RPVP_MBOX_MESSAGE(m));
            want = ref.receive(m);
        } else if (op < 52) {
            is_read = true;
            got = dut.rd(RPVP_MBOX_MSGSTATUS(m));
            want = (uint32_t)ref.q[m].size();
        } else if (op < 57) {
            is_read = true;
            got = dut.rd(RPVP_MBOX_FIFOSTATUS(m));
            want = ref.q[m].size() == v.depth ? 1u : 0u;
        } else if (op < 63) {
            is_read = true;
            got = dut.rd(RPVP_MBOX_IRQSTATUS_RAW(u));
            want = ref.raw(u);
        } else if (op < 69) {
            is_read = true;
            got = dut.rd(RPVP_MBOX_IRQSTATUS_CLR(u));
            want = ref.raw(u) & ref.en[u];
        } else if (op < 73) {
            is_read = true;
            got = dut.rd((rng() & 1) ? RPVP_MBOX_IRQENABLE_SET(u) : RPVP_MBOX_IRQENABLE_CLR(u));
            want = ref.en[u];
        } else if (op < 82) {
            uint32_t mask = random_mask(rng);
            dut.wr(RPVP_MBOX_IRQENABLE_SET(u), mask);
            ref.en[u] |= mask & ref.implemented();
        } else if (op < 89) {
            uint32_t mask = random_mask(rng);
            dut.wr(RPVP_MBOX_IRQENABLE_CLR(u), mask);
            ref.en[u] &= ~mask;
        } else if (op < 95) {
            uint32_t mask = random_mask(rng);
            dut.wr(RPVP_MBOX_IRQSTATUS_CLR(u), mask);
            ref.debug_set[u] &= ~mask;
        } else if (op < 98) {
            uint32_t mask = random_mask(rng);
            dut.wr(RPVP_MBOX_IRQSTATUS_RAW(u), mask);
            ref.debug_set[u] |= mask & ref.implemented();
        } else if (op < 99) {
            /* A bad access from time to time: must change nothing. */
            dut.narrow_read(RPVP_MBOX_MESSAGE(m));
            dut.wr(0x020 + 4 * (rng() % 8), val);
        } else if (rng() % 8 == 0) {
            dut.wr(RPVP_MBOX_SYSCONFIG, RPVP_MBOX_SYSCONFIG_SOFTRESET);
            ref.reset();
            ref.sysconfig = 0;
        }
        if (is_read) {
            ASSERT_EQ(got, want) << "seed " << v.seed << " step " << step << " op " << op;
        }
        for (unsigned k = 0; k < v.users; k++) {
            bool l = ref.line(k);
            if (l && !ref_line[k])
                ref_rises[k]++;
            ref_line[k] = l;
            ASSERT_EQ(dut.level(k), l ? 1 : 0)
                << "seed " << v.seed << " step " << step << " user " << k;
            ASSERT_EQ(dut.sink_level(k), l ? 1 : 0) << "sink out of step, user " << k;
        }
    }
    /* Statistics agree with the reference's counts. */
    uint64_t overflows = 0, empty = 0, passed = 0;
    for (unsigned f = 0; f < v.fifos; f++) {
        rpvp_mbox_fifo_stats s = dut.fifo(f);
        overflows += s.overflows;
        empty += s.empty_reads;
        passed += s.messages;
        EXPECT_EQ(s.occupancy, ref.q[f].size());
        EXPECT_LE(s.high_water, v.depth);
    }
    EXPECT_EQ(overflows, ref.overflows);
    EXPECT_EQ(empty, ref.empty_reads);
    EXPECT_EQ(passed, ref.passed);
    EXPECT_GT(ref.overflows, 0u) << "sequence too gentle: never filled a FIFO";
    for (unsigned k = 0; k < v.users; k++) {
        EXPECT_EQ(dut.assertions(k), ref_rises[k]);
        EXPECT_EQ(dut.sink_rises(k), ref_rises[k]);
    }
}

rpvp_mbox_config variant_config(const Variant &v)
{
    rpvp_mbox_config cfg;
    rpvp_mbox_config_default(&cfg);
    cfg.num_users = v.users;
    cfg.num_fifos = v.fifos;
    cfg.fifo_depth = v.depth;
    cfg.log = [](void *, rpvp_mbox_log_level, const char *) {};
    return cfg;
}

class MboxRandom : public ::testing::TestWithParam<Variant> {};

TEST_P(MboxRandom, CoreMatchesReference)
{
    CoreDut dut(variant_config(GetParam()));
    ASSERT_NE(dut.mb, nullptr);
    run_random(dut, GetParam(), 20000);
}

const Variant kVariants[] = {{3, 8, 4, 1},  {3, 8, 4, 2},  {3, 8, 4, 12345}, {4, 12, 4, 7},
                             {2, 3, 6, 99}, {16, 16, 1, 5}, {1, 1, 4, 42}};

/* Through the socket: every variant on the C model, the RTL and both compared. */
class MboxRandomTlm
    : public ::testing::TestWithParam<std::tuple<rpvp::MailboxKind, Variant>> {};

TEST_P(MboxRandomTlm, ModelMatchesReference)
{
    const Variant v = std::get<1>(GetParam());
    SocketDut dut(variant_config(v), std::get<0>(GetParam()));
    sc_core::sc_spawn([&] { run_random(dut, v, 20000); });
    sc_core::sc_start();
}

INSTANTIATE_TEST_SUITE_P(
    Models, MboxRandomTlm,
    ::testing::Combine(::testing::Values(rpvp::MailboxKind::tlm, rpvp::MailboxKind::rtl,
                                         rpvp::MailboxKind::both),
                       ::testing::ValuesIn(kVariants)),
    [](const ::testing::TestParamInfo<std::tuple<rpvp::MailboxKind, Variant>> &i) {
        const Variant &v = std::get<1>(i.param);
        return std::string(rpvp::mailbox_kind_name(std::get<0>(i.param))) + "_" +
               std::to_string(v.users) + "u" + std::to_string(v.fifos) + "f" +
               std::to_string(v.depth) + "d_seed" + std::to_string(v.seed);
    });

INSTANTIATE_TEST_SUITE_P(Seeds, MboxRandom, ::testing::ValuesIn(kVariants));

} // namespace
