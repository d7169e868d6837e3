/* rpvp::OmapMailbox through TLM: Linux's omap-mailbox.c sequences (user 0) and the
 * remote firmware's (user 2), interrupt lines checked at each step. Every test runs on
 * the C model (tlm), the verilated RTL (rtl) and both compared live (both), through the
 * same socket. Each test runs in its own process (one SystemC elaboration each). */
#include "mbox_tlm_bench.h"

using namespace mbt;
using sc_core::sc_time_stamp;

namespace {

const sc_time LAT = rpvp::OmapMailbox::default_latency();

class MboxTlm : public ::testing::TestWithParam<rpvp::MailboxKind> {
protected:
    void SetUp() override { bench_options().kind = GetParam(); }
};

TEST_P(MboxTlm, ProbeReadsRevisionWithLatency)
{
    Bench b;
    run([&] {
        /* omap_mbox_probe: "just print the raw revision register" */
        EXPECT_EQ(b.bus.rd(RPVP_MBOX_REVISION), 0x400u);
        EXPECT_EQ(b.bus.last_delay, LAT);
        EXPECT_EQ(sc_time_stamp(), LAT);
        for (unsigned u = 0; u < 3; u++)
            EXPECT_FALSE(b.irq[u].read());
    });
}

TEST_P(MboxTlm, LinuxStartupEnablesNewMsgOfItsRxFifo)
{
    Bench b;
    LinuxOmapMbox linux_mbox(b.bus);
    run([&] {
        linux_mbox.startup();
        EXPECT_EQ(b.bus.rd(OMAP4_MAILBOX_IRQENABLE(0)), MAILBOX_IRQ_NEWMSG(1));
        EXPECT_FALSE(b.irq[0].read()) << "no message yet";
        /* The M3 posts one message in FIFO 1: Linux's line rises. */
        DucatiFw fw(b.bus);
        fw.send(0x1234);
        EXPECT_TRUE(b.irq[0].read());
        EXPECT_FALSE(b.irq[1].read());
        EXPECT_FALSE(b.irq[2].read()) << "user 2 enabled nothing";
    });
}

TEST_P(MboxTlm, InterruptEdgeAppearsAtAnnotatedTimeNotBefore)
{
    Bench b;
    run([&] {
        b.bus.wr(RPVP_MBOX_IRQENABLE_SET(0), RPVP_MBOX_IRQ_NEWMSG(1));
        uint32_t v = 7;
        const sc_time t0 = sc_time_stamp();
        b.bus.access(tlm::TLM_WRITE_COMMAND, RPVP_MBOX_MESSAGE(1), &v, 4, false);
        EXPECT_EQ(b.bus.last_delay, LAT);
        wait(LAT / 2);
        EXPECT_FALSE(b.irq[0].read()) << "edge must wait for the access's annotated time";
        b.wait_irq(0);
        EXPECT_EQ(sc_time_stamp(), t0 + LAT);
    });
}

TEST_P(MboxTlm, LinuxReceiveDrainsAcksAndReadsBack)
{
    Bench b;
    LinuxOmapMbox linux_mbox(b.bus);
    DucatiFw fw(b.bus);
    run([&] {
        linux_mbox.startup();
        for (uint32_t k = 0; k < 3; k++)
            fw.send(0xA0 + k);
        EXPECT_TRUE(b.irq[0].read());
        EXPECT_EQ(b.bus.rd(MAILBOX_MSGSTATUS(1)), 3u);
        /* mbox_interrupt: TX not enabled -> skipped; RX: drain, then ack + read back. */
        EXPECT_FALSE(linux_mbox.is_irq(true));
        ASSERT_TRUE(linux_mbox.is_irq(false));
        while (b.bus.rd(MAILBOX_MSGSTATUS(1)) != 0)
            linux_mbox.rxq.push_back(b.bus.rd(MAILBOX_MESSAGE(1)));
        EXPECT_FALSE(b.irq[0].read()) << "FIFO empty: NEWMSG event gone";
        EXPECT_EQ(linux_mbox.ack_irq(false), 0u) << "read-back after the ack";
        EXPECT_EQ(linux_mbox.rxq, (std::vector<uint32_t>{0xA0, 0xA1, 0xA2}));
        EXPECT_FALSE(b.irq[0].read());
        /* A new message after the ack raises the line again. */
        fw.send(0xA3);
        EXPECT_TRUE(b.irq[0].read());
        linux_mbox.isr();
        EXPECT_FALSE(b.irq[0].read());
        EXPECT_EQ(linux_mbox.rxq.back(), 0xA3u);
    });
    const rpvp_mbox_fifo_stats s = b.fifo(1);
    EXPECT_EQ(s.messages, 4u);
    EXPECT_EQ(s.high_water, 3u);
    EXPECT_EQ(s.empty_reads, 0u) << "the driver checks MSGSTATUS before reading";
}

TEST_P(MboxTlm, LinuxSendGetsTxReadyInterruptAndFirmwareReceives)
{
    Bench b;
    LinuxOmapMbox linux_mbox(b.bus);
    DucatiFw fw(b.bus);
    run([&] {
        fw.enable();
        linux_mbox.startup();
        EXPECT_EQ(linux_mbox.send(0x11), 0);
        /* Always-enabled TX interrupt: FIFO 0 not full -> user 0 line high at once. */
        EXPECT_TRUE(b.irq[0].read());
        EXPECT_TRUE(b.irq[2].read()) << "M3 sees NEWMSG of FIFO 0";
        linux_mbox.isr(); /* TX: disable NOTFULL, ack, txdone */
        EXPECT_EQ(linux_mbox.txdone, 1u);
        EXPECT_FALSE(b.irq[0].read());
        EXPECT_EQ(b.bus.rd(OMAP4_MAILBOX_IRQENABLE(0)), MAILBOX_IRQ_NEWMSG(1));
        fw.isr();
        EXPECT_FALSE(b.irq[2].read());
        EXPECT_EQ(fw.rx, (std::vector<uint32_t>{0x11}));
    });
}

TEST_P(MboxTlm, LinuxTxDoneWaitsWhileFifoFull)
{
    Bench b;
    LinuxOmapMbox linux_mbox(b.bus);
    DucatiFw fw(b.bus);
    run([&] {
        linux_mbox.startup();
        /* Firmware not running yet: the framework queues 6 messages, 4 fit. */
        for (uint32_t k = 0; k < 6; k++)
            linux_mbox.txq.push_back(0x200 + k);
        linux_mbox.submit();
        while (b.irq[0].read())
            linux_mbox.isr();
        /* The 4th write filled FIFO 0: its TX-ready interrupt waits for space. */
        EXPECT_EQ(linux_mbox.txdone, 3u);
        EXPECT_TRUE(linux_mbox.in_flight);
        EXPECT_EQ(linux_mbox.txq.size(), 2u);
        EXPECT_EQ(b.bus.rd(MAILBOX_FIFOSTATUS(0)), 1u);
        EXPECT_EQ(b.bus.rd(OMAP4_MAILBOX_IRQENABLE(0)),
                  MAILBOX_IRQ_NEWMSG(1) | MAILBOX_IRQ_NOTFULL(0));
        EXPECT_FALSE(b.irq[0].read()) << "NOTFULL enabled but FIFO full";
        /* The M3 starts and takes one message: NOTFULL fires, Linux sends the next. */
        fw.enable();
        EXPECT_TRUE(b.irq[2].read());
        fw.isr();
        EXPECT_TRUE(b.irq[0].read()) << "TX-ready interrupt";
        linux_mbox.isr();
        EXPECT_EQ(linux_mbox.txdone, 4u);
        EXPECT_EQ(linux_mbox.txq.size(), 1u);
        /* Let both sides run to completion. */
        while (!linux_mbox.txq.empty() || linux_mbox.in_flight || b.irq[2].read()) {
            if (b.irq[2].read())
                fw.isr();
            if (b.irq[0].read())
                linux_mbox.isr();
        }
        EXPECT_EQ(fw.rx, (std::vector<uint32_t>{0x200, 0x201, 0x202, 0x203, 0x204, 0x205}));
        EXPECT_EQ(linux_mbox.busy, 0u);
        EXPECT_FALSE(b.irq[0].read());
        EXPECT_FALSE(b.irq[2].read());
    });
    const rpvp_mbox_fifo_stats s = b.fifo(0);
    EXPECT_EQ(s.overflows, 0u) << "the driver never writes a full FIFO";
    EXPECT_EQ(s.high_water, 4u);
    EXPECT_EQ(s.messages, 6u);
}

TEST_P(MboxTlm, LinuxSendOnFullFifoIsBusyThenResendsOnNotFull)
{
    Bench b;
    LinuxOmapMbox linux_mbox(b.bus);
    DucatiFw fw(b.bus);
    run([&] {
        linux_mbox.startup();
        /* Another host-side user (e.g. the virtio device, user 1) filled FIFO 0. */
        for (uint32_t k = 0; k < 4; k++)
            b.bus.wr(RPVP_MBOX_MESSAGE(0), 0x300 + k);
        /* omap_mbox_chan_send: FIFOSTATUS full -> -EBUSY, TX interrupt enabled anyway. */
        EXPECT_EQ(linux_mbox.send(0x3FF), -16);
        EXPECT_EQ(linux_mbox.busy, 1u);
        EXPECT_FALSE(b.irq[0].read());
        EXPECT_EQ(b.bus.rd(OMAP4_MAILBOX_IRQSTATUS(0)), 0u);
        /* The M3 reads one: NOTFULL(0) asserts user 0's line. */
        fw.enable();
        fw.isr();
        EXPECT_TRUE(b.irq[0].read());
        EXPECT_EQ(b.bus.rd(OMAP4_MAILBOX_IRQSTATUS(0)), MAILBOX_IRQ_NOTFULL(0));
        /* __mbox_tx_interrupt: disable, ack (read back shows the level event is masked
         * off now), then the framework resends. */
        ASSERT_TRUE(linux_mbox.is_irq(true));
        linux_mbox.disable_irq(true);
        EXPECT_FALSE(b.irq[0].read());
        EXPECT_EQ(linux_mbox.ack_irq(true), 0u);
        EXPECT_EQ(linux_mbox.send(0x3FF), 0);
        EXPECT_EQ(b.bus.rd(MAILBOX_MSGSTATUS(0)), 4u);
        EXPECT_FALSE(b.irq[0].read()) << "full again: no TX-ready yet";
    });
    const rpvp_mbox_fifo_stats s = b.fifo(0);
    EXPECT_EQ(s.overflows, 0u);
}

TEST_P(MboxTlm, LinuxShutdownDisablesRx)
{
    Bench b;
    LinuxOmapMbox linux_mbox(b.bus);
    DucatiFw fw(b.bus);
    run([&] {
        linux_mbox.startup();
        linux_mbox.shutdown();
        EXPECT_EQ(b.bus.rd(OMAP4_MAILBOX_IRQENABLE(0)), 0u);
        EXPECT_EQ(b.bus.rd(OMAP4_MAILBOX_IRQENABLE_CLR(0)), 0u);
        fw.send(1);
        EXPECT_FALSE(b.irq[0].read()) << "disabled: a message does not interrupt Linux";
        EXPECT_EQ(b.bus.rd(OMAP4_MAILBOX_IRQSTATUS(0)), 0u);
        EXPECT_NE(b.bus.rd(RPVP_MBOX_IRQSTATUS_RAW(0)) & MAILBOX_IRQ_NEWMSG(1), 0u);
    });
}

/* The remote firmware alone (user 2), with the virtio-rpmsg device's role played by
 * user 1: host->M3 kicks in FIFO 0, M3->host kicks in FIFO 1. */
TEST_P(MboxTlm, FirmwareReceivesKicksAndKicksBack)
{
    Bench b;
    DucatiFw fw(b.bus);
    run([&] {
        fw.enable();
        EXPECT_EQ(b.bus.rd(RPVP_MBOX_IRQENABLE_SET(2)), RPVP_MBOX_IRQ_NEWMSG(0));
        b.bus.wr(RPVP_MBOX_IRQENABLE_SET(1), RPVP_MBOX_IRQ_NEWMSG(1)); /* host side */
        b.bus.wr(RPVP_MBOX_MESSAGE(0), 0); /* kick vq 0 */
        b.bus.wr(RPVP_MBOX_MESSAGE(0), 1); /* kick vq 1 */
        EXPECT_TRUE(b.irq[2].read());
        EXPECT_FALSE(b.irq[0].read());
        EXPECT_FALSE(b.irq[1].read());
        /* One message per ISR pass: the clear does not stick while one remains. */
        fw.isr();
        EXPECT_TRUE(b.irq[2].read()) << "second kick still queued: NEWMSG re-asserts";
        EXPECT_EQ(b.bus.rd(RPVP_MBOX_IRQSTATUS_CLR(2)), RPVP_MBOX_IRQ_NEWMSG(0));
        fw.isr();
        EXPECT_FALSE(b.irq[2].read());
        EXPECT_EQ(fw.rx, (std::vector<uint32_t>{0, 1}));
        /* Kick back: the host user's line rises, not the firmware's. */
        fw.send(0);
        EXPECT_TRUE(b.irq[1].read());
        EXPECT_FALSE(b.irq[2].read());
        for (uint32_t k = 1; k < 4; k++)
            fw.send(k);
        EXPECT_EQ(b.bus.rd(RPVP_MBOX_FIFOSTATUS(1)), 1u);
        /* A fifth kick spins on FIFOSTATUS until the host drains one. */
        sc_core::sc_spawn([&] {
            wait(1, sc_core::SC_US);
            EXPECT_EQ(b.bus.rd(RPVP_MBOX_MESSAGE(1)), 0u);
        });
        fw.send(4);
        EXPECT_GE(sc_time_stamp(), sc_time(1, sc_core::SC_US));
        EXPECT_EQ(b.bus.rd(RPVP_MBOX_MSGSTATUS(1)), 4u);
        for (uint32_t k = 1; k < 5; k++)
            EXPECT_EQ(b.bus.rd(RPVP_MBOX_MESSAGE(1)), k);
        EXPECT_FALSE(b.irq[1].read());
    });
    EXPECT_EQ(b.fifo(1).overflows, 0u);
    EXPECT_EQ(b.fifo(1).high_water, 4u);
}

/* Host and firmware as two concurrent threads: an echo over FIFO 0 / FIFO 1. */
TEST_P(MboxTlm, ConcurrentEchoRoundTrips)
{
    Bench b;
    LinuxOmapMbox linux_mbox(b.bus);
    DucatiFw fw(b.bus);
    const unsigned N = 40;
    bool fw_ready = false;
    sc_core::sc_spawn([&] { /* remote firmware: echo every message + 0x1000 */
        fw.enable();
        fw_ready = true;
        while (fw.rx.size() < N) {
            b.wait_irq(2);
            size_t before = fw.rx.size();
            fw.isr();
            for (size_t k = before; k < fw.rx.size(); k++)
                fw.send(fw.rx[k] + 0x1000);
        }
    });
    run([&] { /* Linux, once the firmware has enabled its interrupt */
        wait(2 * LAT);
        ASSERT_TRUE(fw_ready);
        linux_mbox.startup();
        for (uint32_t k = 0; k < N; k++)
            linux_mbox.txq.push_back(k);
        linux_mbox.submit();
        while (linux_mbox.rxq.size() < N || b.irq[0].read()) {
            b.wait_irq(0);
            linux_mbox.isr();
        }
        EXPECT_EQ(linux_mbox.txdone, N);
    });
    ASSERT_EQ(linux_mbox.rxq.size(), N);
    for (uint32_t k = 0; k < N; k++)
        EXPECT_EQ(linux_mbox.rxq[k], k + 0x1000);
    const rpvp_mbox_fifo_stats s0 = b.fifo(0), s1 = b.fifo(1);
    EXPECT_EQ(s0.messages, N);
    EXPECT_EQ(s1.messages, N);
    EXPECT_EQ(s0.overflows + s1.overflows, 0u);
    rpvp_mbox_user_stats u2;
    b.mbox.user_stats(2, &u2);
    EXPECT_GE(u2.irq_assertions, 1u);
    EXPECT_LE(u2.irq_assertions, N);
    EXPECT_FALSE(b.irq[0].read());
    EXPECT_FALSE(b.irq[2].read());
}

TEST_P(MboxTlm, BadAccessesGetHardwareResponses)
{
    Bench b;
    run([&] {
        b.bus.wr(RPVP_MBOX_MESSAGE(0), 0x55);
        uint8_t byte = 0;
        /* Narrow access: bus error, the FIFO is not popped. */
        EXPECT_EQ(b.bus.access(tlm::TLM_READ_COMMAND, RPVP_MBOX_MESSAGE(0), &byte, 1),
                  tlm::TLM_GENERIC_ERROR_RESPONSE);
        uint16_t half = 0;
        EXPECT_EQ(b.bus.access(tlm::TLM_WRITE_COMMAND, RPVP_MBOX_MESSAGE(0), &half, 2),
                  tlm::TLM_GENERIC_ERROR_RESPONSE);
        EXPECT_EQ(b.bus.rd(RPVP_MBOX_MSGSTATUS(0)), 1u);
        /* Unmapped offset inside the window: reads 0, writes ignored, OK. */
        EXPECT_EQ(b.bus.rd(0x030), 0u);
        b.bus.wr(0x030, 1);
        /* Write to a read-only register: ignored, OK. */
        b.bus.wr(RPVP_MBOX_MSGSTATUS(0), 3);
        EXPECT_EQ(b.bus.rd(RPVP_MBOX_MSGSTATUS(0)), 1u);
        /* Outside the window: address error. */
        uint32_t w = 0;
        EXPECT_EQ(b.bus.access(tlm::TLM_READ_COMMAND, RPVP_MBOX_WINDOW_SIZE, &w, 4),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        /* Debug transport peeks without popping. */
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(RPVP_MBOX_MESSAGE(0));
        tx.set_data_ptr(reinterpret_cast<unsigned char *>(&w));
        tx.set_data_length(4);
        EXPECT_EQ(b.bus.isock->transport_dbg(tx), 4u);
        EXPECT_EQ(w, 0x55u);
        EXPECT_EQ(b.bus.rd(RPVP_MBOX_MESSAGE(0)), 0x55u);
    });
    rpvp_mbox_stats s;
    b.mbox.stats(&s);
    EXPECT_EQ(s.bad_width, 2u);
    EXPECT_EQ(s.bad_offset, 3u);
    EXPECT_EQ(s.ro_writes, 1u);
    EXPECT_EQ(s.guest_errors, 6u);
}

TEST_P(MboxTlm, OccupancySamplesCarryAccessTime)
{
    Bench b;
    std::vector<std::pair<unsigned, uint64_t>> samples;
    b.mbox.set_occupancy_hook(
        [](void *ctx, unsigned, unsigned occ, uint64_t t) {
            static_cast<std::vector<std::pair<unsigned, uint64_t>> *>(ctx)->emplace_back(occ,
                                                                                       t);
        },
        &samples);
    run([&] {
        wait(1, sc_core::SC_US);
        b.bus.wr(RPVP_MBOX_MESSAGE(3), 1);
        b.bus.wr(RPVP_MBOX_MESSAGE(3), 2);
        b.bus.rd(RPVP_MBOX_MESSAGE(3));
    });
    const uint64_t lat = LAT.value(); /* ps at the default resolution */
    ASSERT_EQ(samples.size(), 3u);
    EXPECT_EQ(samples[0], std::make_pair(1u, 1000000 + lat));
    EXPECT_EQ(samples[1], std::make_pair(2u, 1000000 + 2 * lat));
    EXPECT_EQ(samples[2], std::make_pair(1u, 1000000 + 3 * lat));
}

TEST_P(MboxTlm, Dra7FourUserVariantAndLatencyParameter)
{
    rpvp_mbox_config cfg = Bench::defaults();
    cfg.num_users = 4;
    cfg.num_fifos = 12;
    Bench b(&cfg, sc_time(5, SC_NS));
    run([&] {
        b.bus.wr(RPVP_MBOX_IRQENABLE_SET(3), RPVP_MBOX_IRQ_NEWMSG(11));
        EXPECT_EQ(b.bus.last_delay, sc_time(5, SC_NS));
        b.bus.wr(RPVP_MBOX_MESSAGE(11), 9);
        EXPECT_TRUE(b.irq[3].read());
        EXPECT_EQ(b.bus.rd(RPVP_MBOX_MESSAGE(11)), 9u);
        EXPECT_FALSE(b.irq[3].read());
    });
}

TEST_P(MboxTlm, RefusedConfigThrows)
{
    rpvp_mbox_config cfg = Bench::defaults();
    cfg.num_fifos = 0;
    EXPECT_THROW(rpvp::OmapMailbox("bad", cfg), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Models, MboxTlm,
                         ::testing::Values(rpvp::MailboxKind::tlm, rpvp::MailboxKind::rtl,
                                           rpvp::MailboxKind::both),
                         [](const ::testing::TestParamInfo<rpvp::MailboxKind> &i) {
                             return std::string(rpvp::mailbox_kind_name(i.param));
                         });

} // namespace
