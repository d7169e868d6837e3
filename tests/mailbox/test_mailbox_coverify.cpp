/* The co-verification can fail: the RTL built with a seeded fault (NOTFULL stuck high,
 * library rpvp_mailbox_rtl_fault) under `both`, while Linux's omap-mailbox driver fills
 * a FIFO that the remote has not started reading. The first access whose answer or
 * interrupt lines differ stops the run with the report. The faithful RTL, same
 * sequence: no divergence, and the clean-run line. */
#include <gtest/gtest.h>

#include <string>

#include "mbox_tlm_bench.h"

using namespace mbt;

namespace {

/* omap-mailbox.c queues 6 messages while the M3 is not yet reading, then the M3 starts:
 * the FIFO fills and Linux waits for the TX-ready interrupt. */
void fill_and_drain(Bench &b)
{
    LinuxOmapMbox linux_mbox(b.bus);
    DucatiFw fw(b.bus);
    linux_mbox.startup();
    for (uint32_t k = 0; k < 6; k++)
        linux_mbox.txq.push_back(0x200 + k);
    linux_mbox.submit();
    for (int guard = 0; guard < 50 && b.irq[0].read(); guard++)
        linux_mbox.isr();
    fw.enable();
    while (!linux_mbox.txq.empty() || linux_mbox.in_flight || b.irq[2].read()) {
        if (b.irq[2].read())
            fw.isr();
        if (b.irq[0].read())
            linux_mbox.isr();
    }
}

void use(rpvp::MboxRtlFactory f)
{
    bench_options().kind = rpvp::MailboxKind::both;
    bench_options().rtl_factory = f;
}

TEST(MboxCoverify, FaithfulRtlHasNoDivergence)
{
    use(rpvp::make_mbox_rtl);
    Bench b;
    run([&] { fill_and_drain(b); });
    const rpvp::MboxScoreboard *s = b.mbox.scoreboard();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->divergences(), 0u);
    EXPECT_GT(s->accesses(), 40u);
    EXPECT_GT(s->edges(), 4u);
    EXPECT_NE(s->summary().find("accesses and"), std::string::npos) << s->summary();
}

TEST(MboxCoverify, SeededFaultStopsAtFirstDivergenceWithReport)
{
    use(rpvp::make_mbox_rtl_fault);
    Bench b;
    std::string report;
    b.mbox.scoreboard()->set_on_divergence([&](const std::string &r) {
        if (report.empty())
            report = r;
        stop();
    });
    run([&] { fill_and_drain(b); });
    ASSERT_FALSE(report.empty()) << "the seeded fault went unnoticed";
    /* NOTFULL stuck high shows first once the 4th message has filled FIFO 0: Linux then
     * enables its TX-ready interrupt (NOTFULL(0)), which must stay low while the FIFO is
     * full; the faulty RTL raises it. */
    EXPECT_NE(report.find("FIRST DIVERGENCE"), std::string::npos) << report;
    EXPECT_NE(report.find("access #"), std::string::npos) << report;
    EXPECT_NE(report.find(" us ("), std::string::npos) << report;
    EXPECT_NE(report.find("initiator (direct)"), std::string::npos) << report;
    EXPECT_NE(report.find("write 0x108 IRQENABLE_SET(0) = 0x00000006"), std::string::npos) << report;
    EXPECT_NE(report.find("interrupt lines (user 0..2) after the access: tlm 000, rtl 100"),
              std::string::npos)
        << report;
    EXPECT_NE(report.find("last 32 accesses"), std::string::npos) << report;
    EXPECT_EQ(b.mbox.scoreboard()->divergences(), 1u);
}

TEST(MboxCoverify, DefaultHandlerPrintsReportAndExits)
{
    use(rpvp::make_mbox_rtl_fault);
    EXPECT_EXIT(
        {
            Bench b;
            run([&] { fill_and_drain(b); });
        },
        ::testing::ExitedWithCode(rpvp::MboxScoreboard::kDivergenceExit),
        "rpvp-mbox-check: FIRST DIVERGENCE(.|\n)*rpvp-mbox-check: +access #[0-9]+ at "
        "(.|\n)*rpvp-mbox-check: +last 32 accesses");
}

} // namespace
