/* OMAP4 mailbox C core: register semantics through the public read/write API only. */
#include "mbox_core_fixture.h"

#include <cstring>

namespace {

constexpr uint32_t ALL_NOTFULL_8 = 0xAAAAu; /* NOTFULL(0..7): every FIFO empty */

TEST_F(MboxCore, ResetValues)
{
    EXPECT_EQ(rd(RPVP_MBOX_REVISION), 0x400u);
    EXPECT_EQ(rd(RPVP_MBOX_SYSCONFIG), 0x8u); /* SIDLEMODE = smart-idle */
    for (unsigned m = 0; m < 8; m++) {
        EXPECT_EQ(rd(RPVP_MBOX_FIFOSTATUS(m)), 0u);
        EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(m)), 0u);
    }
    for (unsigned u = 0; u < 3; u++) {
        /* Level events: every FIFO is empty, hence not full. */
        EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(u)), ALL_NOTFULL_8);
        /* Nothing enabled: the masked status is 0 and the line low. */
        EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_CLR(u)), 0u);
        EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_SET(u)), 0u);
        EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_CLR(u)), 0u);
        EXPECT_EQ(irq(u), 0);
    }
    EXPECT_TRUE(edges.empty());
    EXPECT_EQ(rpvp_mbox_ops(mb)->num_irq_out, 3u);
    EXPECT_EQ(rpvp_mbox_ops(mb)->num_irq_in, 0u);
}

TEST_F(MboxCore, FifoOrderDepthAndOverflow)
{
    for (uint32_t k = 0; k < 4; k++) {
        EXPECT_EQ(rd(RPVP_MBOX_FIFOSTATUS(2)), 0u) << "not full before message " << k;
        wr(RPVP_MBOX_MESSAGE(2), 0x100 + k);
        EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(2)), k + 1);
    }
    EXPECT_EQ(rd(RPVP_MBOX_FIFOSTATUS(2)), RPVP_MBOX_FIFOSTATUS_FIFOFULLMBM);
    /* A write to a full FIFO is discarded and counted. */
    wr(RPVP_MBOX_MESSAGE(2), 0xDEAD);
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(2)), 4u);
    EXPECT_EQ(fifo_stats(2).overflows, 1u);
    /* Other FIFOs are independent. */
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(1)), 0u);
    /* Reads pop in order. */
    for (uint32_t k = 0; k < 4; k++)
        EXPECT_EQ(rd(RPVP_MBOX_MESSAGE(2)), 0x100 + k);
    /* Reading an empty FIFO returns 0 and is counted. */
    EXPECT_EQ(rd(RPVP_MBOX_MESSAGE(2)), 0u);
    rpvp_mbox_fifo_stats s = fifo_stats(2);
    EXPECT_EQ(s.messages, 4u);
    EXPECT_EQ(s.reads, 4u);
    EXPECT_EQ(s.empty_reads, 1u);
    EXPECT_EQ(s.high_water, 4u);
    EXPECT_EQ(s.occupancy, 0u);
}

/* Firmware flooding the mailbox (issue 16's storms): 100,000 writes into the M3 -> host
 * FIFO nobody reads. The FIFO holds its 4 messages, every other write is discarded as
 * on silicon and counted (the "overflows" column of rpvp's mailbox report), the host's
 * line rose once, and nothing grows. */
TEST_F(MboxCore, FloodIntoAFullFifoIsDiscardedCountedAndBounded)
{
    constexpr uint32_t kFlood = 100000;
    wr(RPVP_MBOX_IRQENABLE_SET(0), RPVP_MBOX_IRQ_NEWMSG(1));
    for (uint32_t k = 0; k < kFlood; k++)
        wr(RPVP_MBOX_MESSAGE(1), k);
    rpvp_mbox_fifo_stats s = fifo_stats(1);
    EXPECT_EQ(s.messages, 4u);
    EXPECT_EQ(s.overflows, kFlood - 4);
    EXPECT_EQ(s.high_water, 4u);
    EXPECT_EQ(s.occupancy, 4u);
    EXPECT_EQ(edges.size(), 1u) << "one rising edge for the whole flood";
    EXPECT_EQ(irq(0), 1);
    for (uint32_t k = 0; k < 4; k++)
        EXPECT_EQ(rd(RPVP_MBOX_MESSAGE(1)), k) << "the first four are kept, in order";
    EXPECT_EQ(irq(0), 0);
}

TEST_F(MboxCore, NewMsgIsLevelWhileFifoNotEmpty)
{
    wr(RPVP_MBOX_IRQENABLE_SET(1), RPVP_MBOX_IRQ_NEWMSG(0));
    EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_SET(1)), RPVP_MBOX_IRQ_NEWMSG(0));
    EXPECT_EQ(irq(1), 0);
    wr(RPVP_MBOX_MESSAGE(0), 7);
    EXPECT_EQ(irq(1), 1);
    EXPECT_EQ(irq(0), 0) << "user 0 has nothing enabled";
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_CLR(1)), RPVP_MBOX_IRQ_NEWMSG(0));
    /* Acking while the message is still there: the event re-asserts at once. */
    wr(RPVP_MBOX_IRQSTATUS_CLR(1), RPVP_MBOX_IRQ_NEWMSG(0));
    EXPECT_EQ(irq(1), 1);
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_CLR(1)), RPVP_MBOX_IRQ_NEWMSG(0));
    /* Draining the FIFO drops the event and the line. */
    EXPECT_EQ(rd(RPVP_MBOX_MESSAGE(0)), 7u);
    EXPECT_EQ(irq(1), 0);
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(1)) & RPVP_MBOX_IRQ_NEWMSG(0), 0u);
    EXPECT_EQ(assertions(1), 1u);
    ASSERT_EQ(edges.size(), 2u);
    EXPECT_EQ(edges[0].line, 1u);
    EXPECT_EQ(edges[0].level, 1);
    EXPECT_EQ(edges[1].level, 0);
}

TEST_F(MboxCore, NotFullFollowsFifoSpace)
{
    for (int k = 0; k < 4; k++)
        wr(RPVP_MBOX_MESSAGE(5), k);
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(0)) & RPVP_MBOX_IRQ_NOTFULL(5), 0u);
    wr(RPVP_MBOX_IRQENABLE_SET(0), RPVP_MBOX_IRQ_NOTFULL(5));
    EXPECT_EQ(irq(0), 0) << "full FIFO: no NOTFULL event";
    rd(RPVP_MBOX_MESSAGE(5));
    EXPECT_EQ(irq(0), 1);
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_CLR(0)), RPVP_MBOX_IRQ_NOTFULL(5));
    /* Disabling drops the line; the raw status stays. */
    wr(RPVP_MBOX_IRQENABLE_CLR(0), RPVP_MBOX_IRQ_NOTFULL(5));
    EXPECT_EQ(irq(0), 0);
    EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_CLR(0)), 0u);
    EXPECT_NE(rd(RPVP_MBOX_IRQSTATUS_RAW(0)) & RPVP_MBOX_IRQ_NOTFULL(5), 0u);
}

TEST_F(MboxCore, RawWriteSetsEventUntilCleared)
{
    wr(RPVP_MBOX_IRQENABLE_SET(2), RPVP_MBOX_IRQ_NEWMSG(3));
    wr(RPVP_MBOX_IRQSTATUS_RAW(2), RPVP_MBOX_IRQ_NEWMSG(3)); /* debug: set the event */
    EXPECT_EQ(irq(2), 1);
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(3)), 0u) << "no message was queued";
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(1)) & RPVP_MBOX_IRQ_NEWMSG(3), 0u)
        << "other users unaffected";
    wr(RPVP_MBOX_IRQSTATUS_CLR(2), RPVP_MBOX_IRQ_NEWMSG(3));
    EXPECT_EQ(irq(2), 0);
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(2)), ALL_NOTFULL_8);
}

TEST_F(MboxCore, EnableBitsBeyondFifosAreNotImplemented)
{
    wr(RPVP_MBOX_IRQENABLE_SET(0), 0xFFFFFFFFu);
    EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_SET(0)), 0xFFFFu);
    EXPECT_EQ(irq(0), 1) << "NOTFULL events of empty FIFOs are pending";
    wr(RPVP_MBOX_IRQSTATUS_RAW(0), 0xFFFF0000u);
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(0)), ALL_NOTFULL_8);
    wr(RPVP_MBOX_IRQENABLE_CLR(0), 0xFFFFFFFFu);
    EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_SET(0)), 0u);
    EXPECT_EQ(irq(0), 0);
}

TEST_F(MboxCore, SoftResetClearsEverythingAndSelfClears)
{
    wr(RPVP_MBOX_MESSAGE(0), 1);
    wr(RPVP_MBOX_MESSAGE(4), 2);
    wr(RPVP_MBOX_IRQENABLE_SET(1), RPVP_MBOX_IRQ_NEWMSG(0));
    wr(RPVP_MBOX_IRQSTATUS_RAW(2), RPVP_MBOX_IRQ_NEWMSG(7));
    EXPECT_EQ(irq(1), 1);
    /* Soft reset with SIDLEMODE = no-idle in the same write. */
    wr(RPVP_MBOX_SYSCONFIG, RPVP_MBOX_SYSCONFIG_SOFTRESET | (RPVP_MBOX_SIDLE_NO << 2));
    EXPECT_EQ(rd(RPVP_MBOX_SYSCONFIG), RPVP_MBOX_SIDLE_NO << 2) << "SOFTRESET reads 0 (done)";
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(0)), 0u);
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(4)), 0u);
    EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_SET(1)), 0u);
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(2)), ALL_NOTFULL_8);
    EXPECT_EQ(irq(1), 0);
    EXPECT_EQ(stats().soft_resets, 1u);
    /* Statistics survive a register reset. */
    EXPECT_EQ(fifo_stats(0).messages, 1u);
    /* Idle mode alone is stored. */
    wr(RPVP_MBOX_SYSCONFIG, RPVP_MBOX_SIDLE_FORCE << 2);
    EXPECT_EQ(rd(RPVP_MBOX_SYSCONFIG), 0u);
}

TEST_F(MboxCore, DeviceResetOp)
{
    wr(RPVP_MBOX_SYSCONFIG, RPVP_MBOX_SIDLE_NO << 2);
    wr(RPVP_MBOX_MESSAGE(3), 9);
    wr(RPVP_MBOX_IRQENABLE_SET(0), RPVP_MBOX_IRQ_NEWMSG(3));
    EXPECT_EQ(irq(0), 1);
    rpvp_mbox_ops(mb)->reset(mb);
    EXPECT_EQ(rd(RPVP_MBOX_SYSCONFIG), 0x8u);
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(3)), 0u);
    EXPECT_EQ(irq(0), 0);
    ASSERT_FALSE(edges.empty());
    EXPECT_EQ(edges.back().level, 0);
}

TEST_F(MboxCore, Dra7VariantFourUsersTwelveFifos)
{
    make(4, 12, 4);
    EXPECT_EQ(rpvp_mbox_ops(mb)->num_irq_out, 4u);
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(3)), 0xAAAAAAu);
    wr(RPVP_MBOX_IRQENABLE_SET(3), RPVP_MBOX_IRQ_NEWMSG(11));
    EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_SET(3)), 1u << 22);
    wr(RPVP_MBOX_MESSAGE(11), 0xABCD);
    EXPECT_EQ(irq(3), 1);
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(11)), 1u);
    EXPECT_EQ(rd(RPVP_MBOX_MESSAGE(11)), 0xABCDu);
    EXPECT_EQ(irq(3), 0);
    /* User 4 and FIFO 12 do not exist here. */
    EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_SET(4)), 0u);
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(12)), 0u);
    EXPECT_EQ(stats().bad_offset, 2u);
}

TEST_F(MboxCore, DeeperFifoParameter)
{
    make(2, 2, 10);
    for (int k = 0; k < 10; k++)
        wr(RPVP_MBOX_MESSAGE(1), k);
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(1)), 10u);
    EXPECT_EQ(rd(RPVP_MBOX_FIFOSTATUS(1)), 1u);
    EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(0)), RPVP_MBOX_IRQ_NOTFULL(0) | RPVP_MBOX_IRQ_NEWMSG(1));
}

TEST_F(MboxCore, InterruptAssertionsCountRisingEdges)
{
    wr(RPVP_MBOX_IRQENABLE_SET(1), RPVP_MBOX_IRQ_NEWMSG(0) | RPVP_MBOX_IRQ_NEWMSG(1));
    for (int k = 0; k < 3; k++) {
        wr(RPVP_MBOX_MESSAGE(0), k);
        wr(RPVP_MBOX_MESSAGE(1), k); /* line already high: no new assertion */
        rd(RPVP_MBOX_MESSAGE(0));
        rd(RPVP_MBOX_MESSAGE(1));
    }
    EXPECT_EQ(assertions(1), 3u);
    EXPECT_EQ(assertions(0), 0u);
}

struct OccSample {
    unsigned fifo, occ;
    uint64_t t;
};

TEST_F(MboxCore, OccupancyHookWithClock)
{
    static uint64_t fake_now;
    std::vector<OccSample> samples;
    rpvp_clock clk{[](void *) { return fake_now; }, nullptr};
    rpvp_mbox_set_clock(mb, &clk);
    rpvp_mbox_set_occupancy_hook(
        mb,
        [](void *ctx, unsigned f, unsigned o, uint64_t t) {
            static_cast<std::vector<OccSample> *>(ctx)->push_back({f, o, t});
        },
        &samples);
    fake_now = 1000;
    wr(RPVP_MBOX_MESSAGE(6), 1);
    fake_now = 2000;
    wr(RPVP_MBOX_MESSAGE(6), 2);
    fake_now = 3000;
    rd(RPVP_MBOX_MESSAGE(6));
    rd(RPVP_MBOX_MESSAGE(5)); /* empty read: occupancy unchanged, no sample */
    fake_now = 4000;
    rpvp_mbox_ops(mb)->reset(mb);
    ASSERT_EQ(samples.size(), 4u);
    EXPECT_EQ(samples[0].fifo, 6u);
    EXPECT_EQ(samples[0].occ, 1u);
    EXPECT_EQ(samples[0].t, 1000u);
    EXPECT_EQ(samples[1].occ, 2u);
    EXPECT_EQ(samples[1].t, 2000u);
    EXPECT_EQ(samples[2].occ, 1u);
    EXPECT_EQ(samples[2].t, 3000u);
    EXPECT_EQ(samples[3].occ, 0u);
    EXPECT_EQ(samples[3].t, 4000u);
}

TEST_F(MboxCore, DebugReadHasNoSideEffects)
{
    wr(RPVP_MBOX_MESSAGE(0), 0x11223344u);
    uint32_t v = 0;
    ASSERT_EQ(rpvp_mbox_ops(mb)->debug_read(mb, RPVP_MBOX_MESSAGE(0), &v, 4), 4u);
    EXPECT_EQ(v, 0x11223344u);
    uint8_t b = 0;
    ASSERT_EQ(rpvp_mbox_ops(mb)->debug_read(mb, RPVP_MBOX_MESSAGE(0) + 2, &b, 1), 1u);
    EXPECT_EQ(b, 0x22u);
    uint32_t block[4] = {};
    ASSERT_EQ(rpvp_mbox_ops(mb)->debug_read(mb, 0, block, sizeof block), 16u);
    EXPECT_EQ(block[0], 0x400u);
    EXPECT_EQ(block[1], 0u);
    EXPECT_EQ(block[2], 0u);
    EXPECT_EQ(block[3], 0u);
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(0)), 1u) << "debug reads never pop";
    EXPECT_EQ(fifo_stats(0).reads, 0u);
    EXPECT_EQ(rpvp_mbox_ops(mb)->debug_read(mb, RPVP_MBOX_WINDOW_SIZE, &v, 4), 0u);
    EXPECT_EQ(stats().guest_errors, 0u);
}

TEST_F(MboxCore, ClearStatsKeepsCurrentOccupancy)
{
    wr(RPVP_MBOX_MESSAGE(0), 1);
    wr(RPVP_MBOX_MESSAGE(0), 2);
    rd(RPVP_MBOX_MESSAGE(0));
    rpvp_mbox_clear_stats(mb);
    rpvp_mbox_fifo_stats s = fifo_stats(0);
    EXPECT_EQ(s.messages, 0u);
    EXPECT_EQ(s.occupancy, 1u);
    EXPECT_EQ(s.high_water, 1u);
    EXPECT_EQ(stats().reads, 0u);
}

TEST(MboxConfig, RejectsOutOfRangeParameters)
{
    rpvp_mbox_config cfg;
    rpvp_mbox_config_default(&cfg);
    EXPECT_EQ(cfg.num_users, 3u);
    EXPECT_EQ(cfg.num_fifos, 8u);
    EXPECT_EQ(cfg.fifo_depth, 4u);
    const unsigned bad[][3] = {{0, 8, 4}, {17, 8, 4}, {3, 0, 4}, {3, 17, 4}, {3, 8, 0},
                               {3, 8, 257}};
    for (const auto &b : bad) {
        rpvp_mbox_config c = cfg;
        c.num_users = b[0];
        c.num_fifos = b[1];
        c.fifo_depth = b[2];
        EXPECT_EQ(rpvp_mbox_new(&c), nullptr) << b[0] << "/" << b[1] << "/" << b[2];
    }
    EXPECT_EQ(rpvp_mbox_new(nullptr), nullptr);
    rpvp_mbox_config c = cfg;
    c.num_users = 16;
    c.num_fifos = 16;
    rpvp_mbox *mb = rpvp_mbox_new(&c);
    ASSERT_NE(mb, nullptr);
    EXPECT_EQ(rpvp_mbox_read32(mb, RPVP_MBOX_IRQSTATUS_RAW(15)), 0xAAAAAAAAu);
    rpvp_mbox_free(mb);
}

} // namespace

/* Issue 16 defect 5: a sink that reacts synchronously to a rising line (reads MESSAGE,
 * as the virtio device's drain does) re-enters the interrupt update. Every line must end
 * at the level of the final state, with the edges delivered in order. */
struct DrainingSink {
    rpvp_mbox *mb;
    unsigned user, fifo;
    std::vector<IrqEdge> edges;
    std::vector<uint32_t> drained;
    static void fn(void *ctx, unsigned line, int level)
    {
        auto *s = static_cast<DrainingSink *>(ctx);
        s->edges.push_back({line, level});
        if (line == s->user && level)
            while (rpvp_mbox_read32(s->mb, RPVP_MBOX_MSGSTATUS(s->fifo)))
                s->drained.push_back(rpvp_mbox_read32(s->mb, RPVP_MBOX_MESSAGE(s->fifo)));
    }
};

TEST_F(MboxCore, ReentrantSinkLeavesNoStaleLevel)
{
    DrainingSink s{mb, 0, 1, {}, {}};
    rpvp_irq_sink sink{&DrainingSink::fn, &s};
    rpvp_mbox_ops(mb)->set_irq_sink(mb, &sink);
    wr(RPVP_MBOX_IRQENABLE_SET(0), RPVP_MBOX_IRQ_NEWMSG(1));
    /* User 2 watches the same FIFO: its line must fall too, though it saw the rise. */
    wr(RPVP_MBOX_IRQENABLE_SET(2), RPVP_MBOX_IRQ_NEWMSG(1));
    for (uint32_t k = 1; k <= 3; k++) {
        wr(RPVP_MBOX_MESSAGE(1), 0x100 + k);
        EXPECT_EQ(irq(0), 0) << "message " << k << ": line left high";
        EXPECT_EQ(irq(2), 0);
        EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_CLR(0)), 0u);
        EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(1)), 0u);
    }
    EXPECT_EQ(s.drained, (std::vector<uint32_t>{0x101, 0x102, 0x103}));
    /* Per message: user 0 rises, falls (its drain), nothing for user 2 before the drain
     * (the stale pass stops at the first nested change). Every rise has its fall. */
    int level[3] = {0, 0, 0};
    for (const IrqEdge &e : s.edges) {
        ASSERT_LT(e.line, 3u);
        EXPECT_NE(level[e.line], e.level) << "two edges of the same direction on line " << e.line;
        level[e.line] = e.level;
    }
    EXPECT_EQ(level[0], 0);
    EXPECT_EQ(level[2], 0);
    EXPECT_EQ(assertions(0), 3u);
}
