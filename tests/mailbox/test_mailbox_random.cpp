/* OMAP4 mailbox C core against a small, independent reference model of its FIFOs and
 * interrupt bits, over long random register sequences from all users (fixed seeds). */
#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <vector>

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

class MboxRandom : public ::testing::TestWithParam<Variant> {};

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

TEST_P(MboxRandom, CoreMatchesReference)
{
    const Variant v = GetParam();
    rpvp_mbox_config cfg;
    rpvp_mbox_config_default(&cfg);
    cfg.num_users = v.users;
    cfg.num_fifos = v.fifos;
    cfg.fifo_depth = v.depth;
    cfg.log = [](void *, rpvp_mbox_log_level, const char *) {};
    rpvp_mbox *mb = rpvp_mbox_new(&cfg);
    ASSERT_NE(mb, nullptr);
    std::vector<int> line(v.users, 0);
    std::vector<uint64_t> rises(v.users, 0);
    struct Ctx {
        std::vector<int> *line;
        std::vector<uint64_t> *rises;
    } ctx{&line, &rises};
    rpvp_irq_sink sink{[](void *c, unsigned l, int lv) {
                           auto *x = static_cast<Ctx *>(c);
                           EXPECT_NE((*x->line)[l], lv) << "sink called without a change";
                           (*x->line)[l] = lv;
                           (*x->rises)[l] += lv ? 1 : 0;
                       },
                       &ctx};
    rpvp_mbox_ops(mb)->set_irq_sink(mb, &sink);

    RefMailbox ref(v.users, v.fifos, v.depth);
    std::vector<uint64_t> ref_rises(v.users, 0);
    std::vector<bool> ref_line(v.users, false);
    std::mt19937 rng(v.seed);
    const int steps = 20000;
    for (int step = 0; step < steps; step++) {
        const unsigned u = rng() % v.users;
        const unsigned m = rng() % v.fifos;
        const uint32_t val = rng();
        uint32_t got = 0, want = 0;
        bool is_read = false;
        const unsigned op = rng() % 100;
        if (op < 25) { /* send, as a driver would, sometimes without checking */
            rpvp_mbox_write32(mb, RPVP_MBOX_MESSAGE(m), val);
            ref.send(m, val);
        } else if (op < 45) {
            is_read = true;
            got = rpvp_mbox_read32(mb, RPVP_MBOX_MESSAGE(m));
            want = ref.receive(m);
        } else if (op < 52) {
            is_read = true;
            got = rpvp_mbox_read32(mb, RPVP_MBOX_MSGSTATUS(m));
            want = (uint32_t)ref.q[m].size();
        } else if (op < 57) {
            is_read = true;
            got = rpvp_mbox_read32(mb, RPVP_MBOX_FIFOSTATUS(m));
            want = ref.q[m].size() == v.depth ? 1u : 0u;
        } else if (op < 63) {
            is_read = true;
            got = rpvp_mbox_read32(mb, RPVP_MBOX_IRQSTATUS_RAW(u));
            want = ref.raw(u);
        } else if (op < 69) {
            is_read = true;
            got = rpvp_mbox_read32(mb, RPVP_MBOX_IRQSTATUS_CLR(u));
            want = ref.raw(u) & ref.en[u];
        } else if (op < 73) {
            is_read = true;
            got = rpvp_mbox_read32(mb, (rng() & 1) ? RPVP_MBOX_IRQENABLE_SET(u)
                                                   : RPVP_MBOX_IRQENABLE_CLR(u));
            want = ref.en[u];
        } else if (op < 82) {
            uint32_t mask = random_mask(rng);
            rpvp_mbox_write32(mb, RPVP_MBOX_IRQENABLE_SET(u), mask);
            ref.en[u] |= mask & ref.implemented();
        } else if (op < 89) {
            uint32_t mask = random_mask(rng);
            rpvp_mbox_write32(mb, RPVP_MBOX_IRQENABLE_CLR(u), mask);
            ref.en[u] &= ~mask;
        } else if (op < 95) {
            uint32_t mask = random_mask(rng);
            rpvp_mbox_write32(mb, RPVP_MBOX_IRQSTATUS_CLR(u), mask);
            ref.debug_set[u] &= ~mask;
        } else if (op < 98) {
            uint32_t mask = random_mask(rng);
            rpvp_mbox_write32(mb, RPVP_MBOX_IRQSTATUS_RAW(u), mask);
            ref.debug_set[u] |= mask & ref.implemented();
        } else if (op < 99) {
            /* A bad access from time to time: must change nothing. */
            uint8_t b = 0;
            uint64_t d = 0;
            rpvp_mbox_ops(mb)->read(mb, RPVP_MBOX_MESSAGE(m), &b, 1, &d);
            rpvp_mbox_write32(mb, 0x020 + 4 * (rng() % 8), val);
        } else if (rng() % 8 == 0) {
            rpvp_mbox_write32(mb, RPVP_MBOX_SYSCONFIG, RPVP_MBOX_SYSCONFIG_SOFTRESET);
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
            ASSERT_EQ(rpvp_mbox_irq_level(mb, k), l ? 1 : 0)
                << "seed " << v.seed << " step " << step << " user " << k;
            ASSERT_EQ(line[k], l ? 1 : 0) << "sink out of step, user " << k;
        }
    }
    /* Statistics agree with the reference's counts. */
    uint64_t overflows = 0, empty = 0, passed = 0;
    for (unsigned f = 0; f < v.fifos; f++) {
        rpvp_mbox_fifo_stats s;
        ASSERT_EQ(rpvp_mbox_get_fifo_stats(mb, f, &s), 0);
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
        rpvp_mbox_user_stats s;
        ASSERT_EQ(rpvp_mbox_get_user_stats(mb, k, &s), 0);
        EXPECT_EQ(s.irq_assertions, ref_rises[k]);
        EXPECT_EQ(rises[k], ref_rises[k]);
    }
    rpvp_mbox_free(mb);
}

INSTANTIATE_TEST_SUITE_P(Seeds, MboxRandom,
                         ::testing::Values(Variant{3, 8, 4, 1}, Variant{3, 8, 4, 2},
                                           Variant{3, 8, 4, 12345}, Variant{4, 12, 4, 7},
                                           Variant{2, 3, 6, 99}, Variant{16, 16, 1, 5},
                                           Variant{1, 1, 4, 42}));

} // namespace
