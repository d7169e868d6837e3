/* virtio-rpmsg core: QueueNotify -> mailbox message, remote kick -> interrupt, a full
 * mailbox FIFO, vring time series. */
#include "vrpmsg_fixture.h"

using namespace vrpmsg_test;

class VrpmsgKicks : public VrpmsgTest, public ::testing::WithParamInterface<uint32_t> {};

INSTANTIATE_TEST_SUITE_P(Versions, VrpmsgKicks, ::testing::Values(1u, 2u),
                         [](const ::testing::TestParamInfo<uint32_t> &i) {
                             return "v" + std::to_string(i.param);
                         });

/* The channel plan (rpvp/mbox_channels.h): vq0 = FIFOs 0/1, vq1 = FIFOs 2/3. */
constexpr unsigned kTx0 = RPVP_MBOX_CH_TX_FIFO(RPVP_MBOX_CH_VQ0);
constexpr unsigned kTx1 = RPVP_MBOX_CH_TX_FIFO(RPVP_MBOX_CH_VQ1);
constexpr uint32_t kRxNewmsg = RPVP_MBOX_IRQ_NEWMSG(RPVP_MBOX_CH_RX_FIFO(RPVP_MBOX_CH_VQ0)) |
                               RPVP_MBOX_IRQ_NEWMSG(RPVP_MBOX_CH_RX_FIFO(RPVP_MBOX_CH_VQ1));

TEST_P(VrpmsgKicks, StartEnablesNewmsgOfBothRemoteToHostFifosForUser0)
{
    create(GetParam());
    ASSERT_FALSE(trace.empty());
    EXPECT_TRUE(trace[0].write);
    EXPECT_EQ(trace[0].addr, kMbox + RPVP_MBOX_IRQENABLE_SET(0));
    EXPECT_EQ(trace[0].value, kRxNewmsg);
    EXPECT_EQ(mbox.enable, kRxNewmsg);
}

TEST_P(VrpmsgKicks, NotifyOfQueueNGoesToFifo2N)
{
    create(GetParam());
    bring_up();
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ASSERT_EQ(mbox.fifo[kTx1].size(), 1u);
    ASSERT_EQ(mbox.fifo[kTx0].size(), 1u);
    EXPECT_EQ(mbox.fifo[kTx1][0], table_vring(1).notifyid);
    EXPECT_EQ(mbox.fifo[kTx0][0], table_vring(0).notifyid);
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.notifies, 2u);
    EXPECT_EQ(s.mbox_sent, 2u);
    EXPECT_EQ(s.queue[1].notifies, 1u);
    /* The FIFO was checked before the write, as omap_mbox_chan_send does. */
    const Access &last = trace.back();
    EXPECT_TRUE(last.write);
    EXPECT_EQ(last.addr, kMbox + RPVP_MBOX_MESSAGE(kTx0));
    EXPECT_EQ(trace[trace.size() - 2].addr, kMbox + RPVP_MBOX_FIFOSTATUS(kTx0));
}

TEST_P(VrpmsgKicks, NotifyCostsTheMailboxAccessTime)
{
    create(GetParam());
    bring_up();
    uint64_t delay = 1000;
    uint32_t q = 1;
    rpvp_vrpmsg_ops()->write(dev, VIRTIO_MMIO_QUEUE_NOTIFY, &q, 4, &delay);
    /* FIFOSTATUS read + MESSAGE write, 10 ns each, added to the incoming delay. */
    EXPECT_EQ(delay, 1000 + 2 * kAccessPs);
}

TEST_P(VrpmsgKicks, RemoteKickOnEitherVqFifoRaisesInterruptUntilAcked)
{
    create(GetParam());
    bring_up();
    remote_kick(0);
    remote_kick(1, 0xc0ffee00); /* content ignored: Linux's stm32_rproc sends a pointer */
    EXPECT_TRUE(mbox.fifo[1].empty()) << "device drains vq0's remote->host FIFO";
    EXPECT_TRUE(mbox.fifo[3].empty()) << "device drains vq1's remote->host FIFO";
    EXPECT_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
    EXPECT_EQ(irq_level, 1);
    EXPECT_EQ(irq_edges, 1);
    /* vm_interrupt: read InterruptStatus, write it to InterruptACK. */
    wr(VIRTIO_MMIO_INTERRUPT_ACK, rd(VIRTIO_MMIO_INTERRUPT_STATUS));
    EXPECT_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0u);
    EXPECT_EQ(irq_level, 0);
    remote_kick(1);
    EXPECT_EQ(irq_level, 1);
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.mbox_received, 3u);
    EXPECT_EQ(s.interrupts, 2u);
    /* NEWMSG acked through IRQSTATUS_CLR after each drain. */
    EXPECT_EQ(trace.back().addr, kMbox + RPVP_MBOX_IRQSTATUS_CLR(0));
    EXPECT_EQ(trace.back().value, RPVP_MBOX_IRQ_NEWMSG(3));
}

TEST_P(VrpmsgKicks, FullFifoKeepsKicksCoalescesAndSendsThemOnNotFull)
{
    create(GetParam());
    bring_up();
    for (int i = 0; i < 4; i++)
        wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1); /* fills vq1's 4-deep FIFO: the M3 is busy */
    ASSERT_EQ(mbox.fifo[kTx1].size(), 4u);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1); /* waits */
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0); /* its own FIFO has room: goes at once */
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1); /* same queue already waiting: coalesced */
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.kicks_deferred, 1u);
    EXPECT_EQ(s.kicks_coalesced, 1u);
    EXPECT_EQ(s.mbox_sent, 5u);
    ASSERT_EQ(mbox.fifo[kTx0].size(), 1u);
    EXPECT_TRUE(mbox.enable & RPVP_MBOX_IRQ_NOTFULL(kTx1)) << "NOTFULL enabled while a kick waits";
    EXPECT_FALSE(mbox.enable & RPVP_MBOX_IRQ_NOTFULL(kTx0));
    EXPECT_TRUE(logged(infos, "waits for NOTFULL"));
    deliver_mbox_irq(); /* FIFO still full: nothing to do */
    EXPECT_EQ(mbox.fifo[kTx1].size(), 4u);

    /* The M3 takes one message: NOTFULL fires; the waiting kick goes, NOTFULL is off. */
    mbox.fifo[kTx1].pop_front();
    deliver_mbox_irq();
    ASSERT_EQ(mbox.fifo[kTx1].size(), 4u);
    EXPECT_EQ(mbox.fifo[kTx1].back(), 1u);
    EXPECT_FALSE(mbox.enable & RPVP_MBOX_IRQ_NOTFULL(kTx1));
    EXPECT_FALSE(mbox.line());
    EXPECT_EQ(stats().mbox_sent, 6u);
    /* A remote kick is no used-buffer interrupt for Linux unless a message came. */
    EXPECT_EQ(irq_level, 0);
}

TEST_P(VrpmsgKicks, ResetDropsWaitingKicksAndDisablesNotFull)
{
    create(GetParam());
    bring_up();
    for (int i = 0; i < 5; i++)
        wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ASSERT_TRUE(mbox.enable & RPVP_MBOX_IRQ_NOTFULL(kTx0));
    wr(VIRTIO_MMIO_STATUS, 0);
    EXPECT_EQ(stats().kicks_dropped_reset, 1u);
    EXPECT_FALSE(mbox.enable & RPVP_MBOX_IRQ_NOTFULL(kTx0));
    EXPECT_EQ(mbox.enable & kRxNewmsg, kRxNewmsg) << "remote kicks still reach us";
}

TEST_P(VrpmsgKicks, ResetOfALiveDeviceIsToldOnTheDetachChannel)
{
    const unsigned detach = RPVP_MBOX_CH_TX_FIFO(RPVP_MBOX_CH_DETACH);
    create(GetParam());
    wr(VIRTIO_MMIO_STATUS, 0); /* the probe's first reset: nothing was live */
    EXPECT_TRUE(mbox.fifo[detach].empty());
    bring_up();
    wr(VIRTIO_MMIO_STATUS, 0); /* the driver goes away from a live device */
    ASSERT_EQ(mbox.fifo[detach].size(), 1u);
    EXPECT_EQ(stats().detach_sent, 1u);
    wr(VIRTIO_MMIO_STATUS, 0); /* a second reset of a device already down: nothing */
    EXPECT_EQ(mbox.fifo[detach].size(), 1u);
}

TEST_P(VrpmsgKicks, VringIndicesAreSampledAtNotifyAndRemoteKick)
{
    create(GetParam());
    bring_up(8);
    const uint64_t desc1 = kDdrBase + 0x20000;
    const uint64_t avail1 = vring_avail_addr(desc1, 8) + 2;
    const uint64_t used1 = vring_used_addr(desc1, 8, 4096) + 2;
    set_idx(avail1, 3);
    set_idx(used1, 1);
    now_ps = 5000;
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    ASSERT_EQ(samples.size(), 1u);
    EXPECT_EQ(samples[0].queue, 1u);
    EXPECT_EQ(samples[0].avail, 3);
    EXPECT_EQ(samples[0].used, 1);
    EXPECT_EQ(samples[0].t, 5000u);

    /* Every TX buffer in flight: avail - used == num (with idx wrap-around). */
    set_idx(avail1, 4);
    set_idx(used1, 65532);
    now_ps = 9000;
    remote_kick(1);
    /* A remote kick samples every live queue. */
    ASSERT_EQ(samples.size(), 3u);
    EXPECT_EQ(samples[2].queue, 1u);
    EXPECT_EQ(samples[2].t, 9000u);
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.queue[1].max_in_flight, 8);
    EXPECT_EQ(s.queue[1].full_events, 1u);
    EXPECT_EQ(s.queue[1].last_avail_idx, 4);
    EXPECT_EQ(s.queue[1].last_used_idx, 65532);
    EXPECT_EQ(s.queue[0].samples, 1u);
    /* Still full at the next sample: no second event. */
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    EXPECT_EQ(stats().queue[1].full_events, 1u);
}

TEST_P(VrpmsgKicks, TimedMailboxIrqDefersTheOutputUntilUpdate)
{
    create(GetParam());
    bring_up();
    mbox.fifo[1].push_back(0);
    uint64_t delay = 0;
    rpvp_vrpmsg_mailbox_irq(dev, 1, &delay);
    /* vq0: MSGSTATUS, MESSAGE, MSGSTATUS, IRQSTATUS_CLR; vq1: MSGSTATUS (empty): 5 accesses
     * of 10 ns. */
    EXPECT_EQ(delay, 5 * kAccessPs);
    EXPECT_TRUE(mbox.fifo[1].empty());
    EXPECT_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
    EXPECT_EQ(irq_level, 0) << "the wrapper raises it after the delay";
    rpvp_vrpmsg_update_irq(dev);
    EXPECT_EQ(irq_level, 1);
    EXPECT_EQ(rpvp_vrpmsg_irq_level(dev), 1);
}

TEST_P(VrpmsgKicks, HardwareResetWithKicksWaitingDoesNotLeaveTheMailboxLineStuck)
{
    create(GetParam());
    bring_up();
    for (int i = 0; i < 5; i++)
        wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ASSERT_TRUE(mbox.enable & RPVP_MBOX_IRQ_NOTFULL(kTx0));
    rpvp_vrpmsg_ops()->reset(dev); /* no bus traffic: NOTFULL is still enabled */
    EXPECT_EQ(stats().kicks_dropped_reset, 1u);
    mbox.fifo[kTx0].clear(); /* the M3 drains: NOTFULL raises the line */
    deliver_mbox_irq();
    EXPECT_FALSE(mbox.enable & RPVP_MBOX_IRQ_NOTFULL(kTx0));
    EXPECT_FALSE(mbox.line());
    EXPECT_TRUE(mbox.fifo[kTx0].empty()) << "dropped kicks are not sent after the reset";
    /* A later remote kick is an edge again. */
    remote_kick(0);
    EXPECT_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
}
