/* rpvp::OmapWdt in SystemC: a firmware-like initiator starts the watchdog, refreshes it
 * for a while, then stops refreshing; the timeout line rises at the due time by itself
 * (no access needed), and reset() lowers it. One SystemC elaboration per process. */
#include <gtest/gtest.h>
#include <systemc>

#include "bridge_initiator.h"
#include "omap_wdt_tlm.h"
#include "sc_time_ps.h"

using namespace sc_core;

namespace {

constexpr uint64_t kTickPs = 30517579; /* one 32 kHz tick, rounded up */

struct Top {
    rpvp::BridgeInitiator cpu{"cpu", 1, sc_time(1, SC_US)};
    rpvp::OmapWdt wdt{"wdt", sc_time(20, SC_NS)};
    sc_signal<bool> timeout{"timeout"}, irq{"irq"};
    uint64_t last_refresh_ps = 0;
    uint64_t rose_at_ps = 0;
    bool low_after_reset = false;

    Top()
    {
        cpu.isock.bind(wdt.tsock());
        wdt.timeout()(timeout);
        wdt.irq()(irq);
        cpu.irq[0](timeout);
    }
};

void wr(rpvp_port *p, uint32_t off, uint32_t v) { rpvp_write(p, off, &v, 4, nullptr); }

void firmware(rpvp_port *p, void *ctx)
{
    auto *t = static_cast<Top *>(ctx);
    wr(p, RPVP_WDT_WLDR, RPVP_WDT_WLDR_FOR_TICKS(328)); /* ~10 ms */
    wr(p, RPVP_WDT_WTGR, 1);
    wr(p, RPVP_WDT_WSPR, RPVP_WDT_WSPR_START1);
    wr(p, RPVP_WDT_WSPR, RPVP_WDT_WSPR_START2);
    for (uint32_t i = 2; i < 22; i++) { /* refresh every 5 ms for 100 ms */
        rpvp_port_advance(p, 5000000000ull);
        rpvp_port_sync(p);
        wr(p, RPVP_WDT_WTGR, i);
        EXPECT_FALSE(t->timeout.read()) << "refreshed in time, refresh " << i;
    }
    rpvp_port_sync(p);
    t->last_refresh_ps = rpvp_port_now(p);
    /* Silence: the line rises by itself. */
    EXPECT_TRUE(rpvp_port_wait_irq(p, 1000000000000ull));
    t->rose_at_ps = rpvp_port_now(p);
    t->wdt.reset();
    rpvp_port_advance(p, 1000000);
    rpvp_port_sync(p);
    t->low_after_reset = !t->timeout.read();
}

TEST(WdtTlm, SilenceRaisesTheTimeoutLineAtTheDueTimeAndResetLowersIt)
{
    Top t;
    t.cpu.spawn(firmware, &t);
    sc_start(sc_time(2, SC_SEC));
    ASSERT_GT(t.rose_at_ps, 0u);
    /* Due 328 ticks after the last refresh (its write took 20 ns); within one tick. */
    const uint64_t due = t.last_refresh_ps + 328 * kTickPs;
    EXPECT_GE(t.rose_at_ps + kTickPs, due);
    EXPECT_LE(t.rose_at_ps, due + kTickPs);
    EXPECT_TRUE(t.low_after_reset);
    rpvp_wdt_stats s;
    rpvp_wdt_get_stats(t.wdt.core(), &s);
    EXPECT_EQ(s.timeouts, 1u);
    EXPECT_EQ(s.refreshes, 21u);
}

} // namespace
