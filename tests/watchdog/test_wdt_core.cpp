/* OMAP4 watchdog C core through its public API only: registers, the counter in time,
 * timeout, refresh, start/stop sequences, outputs, bad accesses. */
#include <gtest/gtest.h>

#include <string>
#include <vector>

extern "C" {
#include "rpvp/omap_wdt.h"
}

namespace {

constexpr uint64_t kSecond = 1000000000000ull; /* ps */

class WdtCore : public ::testing::Test {
protected:
    void SetUp() override
    {
        rpvp_wdt_config cfg;
        rpvp_wdt_config_default(&cfg);
        cfg.log = [](void *ctx, rpvp_wdt_log_level lvl, const char *msg) {
            auto *self = static_cast<WdtCore *>(ctx);
            if (lvl == RPVP_WDT_LOG_GUEST_ERROR)
                self->errors.push_back(msg);
        };
        cfg.log_ctx = this;
        w = rpvp_wdt_new(&cfg);
        ASSERT_NE(w, nullptr);
        clock.now_ps = [](void *ctx) { return static_cast<WdtCore *>(ctx)->now; };
        clock.ctx = this;
        rpvp_wdt_set_clock(w, &clock);
        rpvp_irq_sink sink{[](void *ctx, unsigned line, int level) {
                               static_cast<WdtCore *>(ctx)->lines[line] = level;
                               static_cast<WdtCore *>(ctx)->edges[line]++;
                           },
                           this};
        rpvp_wdt_ops(w)->set_irq_sink(w, &sink);
        rpvp_wdt_set_timer_hook(w, [](void *ctx) { static_cast<WdtCore *>(ctx)->timer_calls++; },
                                this);
    }
    void TearDown() override { rpvp_wdt_free(w); }

    uint32_t rd(uint32_t off) { return rpvp_wdt_read32(w, off); }
    void wr(uint32_t off, uint32_t v) { ASSERT_EQ(rpvp_wdt_write32(w, off, v), RPVP_OK); }
    void start()
    {
        wr(RPVP_WDT_WSPR, RPVP_WDT_WSPR_START1);
        wr(RPVP_WDT_WSPR, RPVP_WDT_WSPR_START2);
    }
    /* Timeout of `ticks` counter ticks from now: load, trigger, start (the firmware's
     * sequence, as omap_wdt.c's omap_wdt_start). */
    void arm(uint32_t ticks)
    {
        wr(RPVP_WDT_WLDR, RPVP_WDT_WLDR_FOR_TICKS(ticks));
        wr(RPVP_WDT_WTGR, ++trigger);
        start();
    }

    rpvp_wdt *w = nullptr;
    rpvp_clock clock{};
    uint64_t now = 0;
    int lines[RPVP_WDT_NUM_LINES] = {0, 0};
    int edges[RPVP_WDT_NUM_LINES] = {0, 0};
    int timer_calls = 0;
    uint32_t trigger = 0;
    std::vector<std::string> errors;
};

rpvp_wdt_stats get(rpvp_wdt *w)
{
    rpvp_wdt_stats s;
    rpvp_wdt_get_stats(w, &s);
    return s;
}

/* 32768 Hz: one tick is 30517578.125 ps. */
uint64_t ticks_ps(uint64_t ticks) { return (ticks * 244140625ull + 7) / 8; }

TEST_F(WdtCore, ResetValuesAsTheRegisterTable)
{
    EXPECT_EQ(rd(RPVP_WDT_WIDR), 0x50010201u);
    EXPECT_EQ(rd(RPVP_WDT_WDSC), 0x10u);
    EXPECT_EQ(rd(RPVP_WDT_WDST), RPVP_WDT_WDST_RESETDONE);
    EXPECT_EQ(rd(RPVP_WDT_WISR), 0u);
    EXPECT_EQ(rd(RPVP_WDT_WIER), 0u);
    EXPECT_EQ(rd(RPVP_WDT_WCLR), RPVP_WDT_WCLR_PRE);
    EXPECT_EQ(rd(RPVP_WDT_WCRR), 0u);
    EXPECT_EQ(rd(RPVP_WDT_WLDR), 0xFFFB0000u);
    EXPECT_EQ(rd(RPVP_WDT_WTGR), 0u);
    EXPECT_EQ(rd(RPVP_WDT_WWPS), 0u);
    EXPECT_EQ(rd(RPVP_WDT_WDLY), 0u);
    EXPECT_EQ(rd(RPVP_WDT_WSPR), 0u);
    EXPECT_TRUE(errors.empty());
}

TEST_F(WdtCore, StoppedAfterResetSoAFirmwareThatIgnoresItIsNeverKilled)
{
    EXPECT_FALSE(rpvp_wdt_running(w));
    EXPECT_EQ(rpvp_wdt_next_event_ps(w), UINT64_MAX);
    now = 3600 * kSecond;
    rpvp_wdt_update(w);
    EXPECT_EQ(rd(RPVP_WDT_WCRR), 0u);
    EXPECT_EQ(lines[RPVP_WDT_LINE_TIMEOUT], 0);
}

TEST_F(WdtCore, CountsAt32kHzDividedByTheProgrammedPrescaler)
{
    wr(RPVP_WDT_WCRR, 1000);
    start();
    now = kSecond;
    EXPECT_EQ(rd(RPVP_WDT_WCRR), 1000u + 32768u);
    /* PRE with PTV 3: divide by 8 from here on. */
    wr(RPVP_WDT_WCLR, RPVP_WDT_WCLR_PRE | (3u << RPVP_WDT_WCLR_PTV_SHIFT));
    now += kSecond;
    EXPECT_EQ(rd(RPVP_WDT_WCRR), 1000u + 32768u + 4096u);
    /* PRE clear: no division whatever PTV says. */
    wr(RPVP_WDT_WCLR, 3u << RPVP_WDT_WCLR_PTV_SHIFT);
    now += kSecond;
    EXPECT_EQ(rd(RPVP_WDT_WCRR), 1000u + 32768u + 4096u + 32768u);
}

TEST_F(WdtCore, MissedRefreshRaisesTheTimeoutLineAtTheExactDueTime)
{
    now = 5 * kSecond;
    arm(100);
    const uint64_t due = now + ticks_ps(100);
    EXPECT_EQ(rpvp_wdt_next_event_ps(w), due);
    now = due - 1;
    rpvp_wdt_update(w);
    EXPECT_EQ(lines[RPVP_WDT_LINE_TIMEOUT], 0) << "1 ps early";
    now = due;
    rpvp_wdt_update(w);
    EXPECT_EQ(lines[RPVP_WDT_LINE_TIMEOUT], 1);
    EXPECT_EQ(rd(RPVP_WDT_WISR), RPVP_WDT_IT_OVF);
    rpvp_wdt_stats s = get(w);
    EXPECT_EQ(s.timeouts, 1u);
    EXPECT_EQ(s.last_timeout_ps, due);
    /* The counter reloaded from WLDR at the overflow and keeps counting. */
    EXPECT_EQ(rd(RPVP_WDT_WCRR), RPVP_WDT_WLDR_FOR_TICKS(100));
    /* The line stays up (a reset request), through refreshes, until the block is reset. */
    wr(RPVP_WDT_WTGR, ++trigger);
    wr(RPVP_WDT_WISR, RPVP_WDT_IT_OVF);
    EXPECT_EQ(lines[RPVP_WDT_LINE_TIMEOUT], 1);
    EXPECT_EQ(edges[RPVP_WDT_LINE_TIMEOUT], 1);
    rpvp_wdt_reset(w);
    EXPECT_EQ(lines[RPVP_WDT_LINE_TIMEOUT], 0);
    EXPECT_FALSE(rpvp_wdt_running(w));
    EXPECT_EQ(rd(RPVP_WDT_WLDR), 0xFFFB0000u);
}

TEST_F(WdtCore, EachNewTriggerValueReloadsTheSameOneDoesNot)
{
    arm(100);
    for (int i = 0; i < 50; i++) { /* refreshed every 60 ticks for 3000 ticks */
        now += ticks_ps(60);
        wr(RPVP_WDT_WTGR, ++trigger);
    }
    rpvp_wdt_update(w);
    EXPECT_EQ(lines[RPVP_WDT_LINE_TIMEOUT], 0);
    EXPECT_EQ(get(w).refreshes, 51u);
    /* Writing the value already there is no refresh (TRM: a different value reloads). */
    now += ticks_ps(60);
    wr(RPVP_WDT_WTGR, trigger);
    now += ticks_ps(60);
    rpvp_wdt_update(w);
    EXPECT_EQ(lines[RPVP_WDT_LINE_TIMEOUT], 1);
    EXPECT_EQ(get(w).refreshes, 51u);
}

TEST_F(WdtCore, StartAndStopNeedTheirTwoWordSequences)
{
    wr(RPVP_WDT_WSPR, RPVP_WDT_WSPR_START2); /* second word alone: nothing */
    EXPECT_FALSE(rpvp_wdt_running(w));
    wr(RPVP_WDT_WSPR, RPVP_WDT_WSPR_START1);
    wr(RPVP_WDT_WSPR, 0x1234);
    wr(RPVP_WDT_WSPR, RPVP_WDT_WSPR_START2); /* broken sequence */
    EXPECT_FALSE(rpvp_wdt_running(w));
    arm(1000);
    EXPECT_TRUE(rpvp_wdt_running(w));
    EXPECT_EQ(rd(RPVP_WDT_WSPR), RPVP_WDT_WSPR_START2);
    now += ticks_ps(500);
    wr(RPVP_WDT_WSPR, RPVP_WDT_WSPR_STOP1);
    wr(RPVP_WDT_WSPR, RPVP_WDT_WSPR_STOP2);
    EXPECT_FALSE(rpvp_wdt_running(w));
    const uint32_t held = rd(RPVP_WDT_WCRR);
    EXPECT_EQ(held, RPVP_WDT_WLDR_FOR_TICKS(1000) + 500u);
    now += 100 * kSecond;
    rpvp_wdt_update(w);
    EXPECT_EQ(rd(RPVP_WDT_WCRR), held) << "a stopped counter holds its value";
    EXPECT_EQ(lines[RPVP_WDT_LINE_TIMEOUT], 0);
    rpvp_wdt_stats s = get(w);
    EXPECT_EQ(s.starts, 1u);
    EXPECT_EQ(s.stops, 1u);
}

TEST_F(WdtCore, InterruptLineIsStatusAndEnableWithWriteOneToClear)
{
    arm(10);
    now += ticks_ps(10);
    rpvp_wdt_update(w);
    EXPECT_EQ(rd(RPVP_WDT_WISR), RPVP_WDT_IT_OVF);
    EXPECT_EQ(lines[RPVP_WDT_LINE_IRQ], 0) << "not enabled";
    wr(RPVP_WDT_WIER, RPVP_WDT_IT_OVF);
    EXPECT_EQ(lines[RPVP_WDT_LINE_IRQ], 1);
    wr(RPVP_WDT_WISR, RPVP_WDT_IT_OVF);
    EXPECT_EQ(lines[RPVP_WDT_LINE_IRQ], 0);
    EXPECT_EQ(rd(RPVP_WDT_WISR), 0u);
}

TEST_F(WdtCore, ALongSilenceCountsEveryOverflowWithoutLooping)
{
    arm(1); /* one tick per overflow */
    const uint64_t t0 = now;
    now += 10 * kSecond;
    rpvp_wdt_update(w);
    /* Each reload restarts the tick phase at the overflow: periods of one tick rounded
     * up to the picosecond. */
    EXPECT_EQ(get(w).timeouts, (now - t0) / ticks_ps(1));
    EXPECT_EQ(get(w).timeouts, 327679u);
}

TEST_F(WdtCore, SoftResetAndTimerHook)
{
    arm(100);
    const int calls = timer_calls;
    wr(RPVP_WDT_WTGR, ++trigger);
    EXPECT_GT(timer_calls, calls) << "the wrapper must re-arm after a refresh";
    wr(RPVP_WDT_WDSC, RPVP_WDT_WDSC_SOFTRESET);
    EXPECT_FALSE(rpvp_wdt_running(w));
    EXPECT_EQ(rd(RPVP_WDT_WDSC), 0x10u);
    EXPECT_EQ(rd(RPVP_WDT_WDST), RPVP_WDT_WDST_RESETDONE);
}

TEST_F(WdtCore, BadAccessesAreGuestErrorsNeverFatal)
{
    uint16_t half = 0;
    uint64_t d = 0;
    EXPECT_EQ(rpvp_wdt_ops(w)->read(w, RPVP_WDT_WCRR, &half, 2, &d), RPVP_GENERIC_ERROR);
    EXPECT_EQ(rpvp_wdt_ops(w)->read(w, RPVP_WDT_WCRR + 1, &half, 4, &d), RPVP_GENERIC_ERROR);
    EXPECT_EQ(rd(0x054), 0u) << "WIRQSTATRAW of later revisions: no register";
    wr(0x07C, 1);
    wr(RPVP_WDT_WIDR, 0);
    wr(RPVP_WDT_WWPS, 0xff);
    EXPECT_EQ(rd(RPVP_WDT_WIDR), 0x50010201u);
    EXPECT_EQ(get(w).guest_errors, 6u);
    ASSERT_EQ(errors.size(), 6u);
    EXPECT_NE(errors[4].find("read-only WDT_WIDR"), std::string::npos) << errors[4];
}

} // namespace
