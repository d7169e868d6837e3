/* Storms and runaway guests at the virtio-rpmsg device (issue 16): each is survived with
 * state of fixed size, counted in the statistics rpvp reports (Omap4Amp::report: the
 * "virtio-rpmsg" and "vqN" lines), and logged at most cfg.log_limit times. */
#include "vrpmsg_fixture.h"

using namespace vrpmsg_test;

class VrpmsgStorms : public VrpmsgTest, public ::testing::WithParamInterface<uint32_t> {};

INSTANTIATE_TEST_SUITE_P(Versions, VrpmsgStorms, ::testing::Values(1u, 2u),
                         [](const ::testing::TestParamInfo<uint32_t> &i) {
                             return "v" + std::to_string(i.param);
                         });

constexpr unsigned kStorm = 100000;
constexpr unsigned kTx1 = RPVP_MBOX_CH_TX_FIFO(RPVP_MBOX_CH_VQ1);

/* The remote kicks far faster than Linux acknowledges: the device drains every kick
 * (none is lost in the mailbox), InterruptStatus is a level, so Linux sees one
 * interrupt for the whole storm and the next one only after its ack. */
TEST_P(VrpmsgStorms, InterruptStormFromTheRemoteIsOneInterruptUntilAcked)
{
    create(GetParam());
    bring_up();
    for (unsigned i = 0; i < kStorm; i++)
        remote_kick(i & 1);
    EXPECT_TRUE(mbox.fifo[1].empty() && mbox.fifo[3].empty()) << "every kick drained";
    EXPECT_EQ(irq_edges, 1);
    EXPECT_EQ(irq_level, 1);
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.mbox_received, kStorm);
    EXPECT_EQ(s.interrupts, 1u);
    EXPECT_EQ(s.guest_errors, 0u);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, rd(VIRTIO_MMIO_INTERRUPT_STATUS));
    EXPECT_EQ(irq_level, 0);
    remote_kick(0);
    EXPECT_EQ(stats().interrupts, 2u);
}

/* A guest writes QueueNotify in a tight loop while the M3 takes nothing: the 4-deep
 * FIFO fills, then one kick per queue waits (a flag, not a queue) and every further
 * notify is merged into it; the M3 draining its FIFO lets exactly that one kick go. */
TEST_P(VrpmsgStorms, NotifyLoopAgainstABusyRemoteKeepsOneWaitingKick)
{
    create(GetParam());
    bring_up();
    const size_t lines = infos.size();
    for (unsigned i = 0; i < kStorm; i++)
        wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    ASSERT_EQ(mbox.fifo[kTx1].size(), 4u);
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.notifies, kStorm);
    EXPECT_EQ(s.mbox_sent, 4u);
    EXPECT_EQ(s.kicks_deferred, 1u);
    EXPECT_EQ(s.kicks_coalesced, kStorm - 5);
    EXPECT_LE(infos.size() - lines, 1u) << "one line for the deferral, none per coalesced notify";
    mbox.fifo[kTx1].clear(); /* the M3 catches up */
    deliver_mbox_irq();
    EXPECT_EQ(mbox.fifo[kTx1].size(), 1u) << "the waiting kick, once";
    EXPECT_EQ(stats().mbox_sent, 5u);
    deliver_mbox_irq();
    EXPECT_EQ(stats().mbox_sent, 5u) << "nothing else was queued";
}

/* The same loop before DRIVER_OK (a runaway driver): every notify is a guest error,
 * counted and ignored. (The platform's log of guest errors stops at cfg.log_limit lines:
 * VrpmsgApi's test of the default log.) */
TEST_P(VrpmsgStorms, NotifyLoopBeforeDriverOkIsCountedAndTheLogCapped)
{
    create(GetParam());
    for (unsigned i = 0; i < kStorm; i++)
        wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.notify_not_ready, kStorm);
    EXPECT_EQ(s.guest_errors, kStorm);
    EXPECT_EQ(s.mbox_sent, 0u);
    EXPECT_TRUE(mbox.fifo[kTx1].empty());
}

/* Every TX buffer posted and none ever given back (the remote never reclaims): each
 * notify samples a full ring; the statistics keep the high-water mark and the number of
 * times the ring was seen becoming full, in fixed space, however long it lasts. */
TEST_P(VrpmsgStorms, VringNeverReclaimedIsCountedOncePerFilling)
{
    create(GetParam());
    bring_up(8);
    const uint64_t desc1 = kDdrBase + 0x20000;
    const uint64_t avail1 = vring_avail_addr(desc1, 8) + 2;
    for (unsigned i = 0; i < kStorm; i++) {
        set_idx(avail1, static_cast<uint16_t>(i < 8 ? i + 1 : 8)); /* used.idx stays 0 */
        wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
        if (i % 4 == 3)
            mbox.fifo[kTx1].clear(); /* the M3 takes its kicks, returns no buffer */
        deliver_mbox_irq();
    }
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.queue[1].max_in_flight, 8);
    EXPECT_EQ(s.queue[1].full_events, 1u);
    EXPECT_EQ(s.queue[1].last_avail_idx, 8);
    EXPECT_EQ(s.queue[1].last_used_idx, 0);
    EXPECT_EQ(s.notifies, kStorm);
    EXPECT_EQ(s.guest_errors, 0u);
}
