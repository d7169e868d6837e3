/* The measurement event sink's limit (rpvp/measure.h): a long run's events stop being
 * stored at the limit, the rest are counted in one RPVP_EV_DROPPED record that survives
 * the events file, and the joiner leaves out only the messages the cut left incomplete. */
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "join.h"
#include "rpvp/mbox_channels.h"
#include "rpvp/measure.h"
#include "ev_build.h"

using namespace rpvp::measure;
using rpvp::measure::test::entry;
using rpvp::measure::test::ev;

namespace {

rpvp_ev mbox(uint64_t t_ns, rpvp_ev_kind kind, unsigned fifo)
{
    rpvp_ev e = ev(t_ns, kind, RPVP_AGENT_MBOX);
    e.fifo = fifo;
    e.len = kind == RPVP_EV_MBOX_WRITE ? 1 : 0;
    return e;
}

/* Echo k on the remoteproc route (its events 10 us apart from the previous echo's), the
 * RX buffer reposted at the next echo's kick: 9 events. */
void echo(std::vector<rpvp_ev> &v, unsigned k)
{
    const uint64_t t = 10000 * (k + 1);
    v.push_back(mbox(t, RPVP_EV_MBOX_WRITE, RPVP_MBOX_CH_TX_FIFO(1)));
    v.push_back(entry(t, RPVP_EV_AVAIL, RPVP_AGENT_DRIVER, 1, k % 8, 0x400, 0x401));
    v.push_back(entry(t, RPVP_EV_AVAIL, RPVP_AGENT_DRIVER, 0, 3, 0, 0)); /* repost of k-1 */
    rpvp_ev irq = ev(t + 60, RPVP_EV_IRQ_ENTRY, RPVP_AGENT_M3);
    irq.value = 16 + 34;
    v.push_back(irq);
    v.push_back(mbox(t + 100, RPVP_EV_MBOX_READ, RPVP_MBOX_CH_TX_FIFO(1)));
    v.push_back(entry(t + 200, RPVP_EV_USED, RPVP_AGENT_M3, 1, k % 8, 0, 0));
    v.push_back(entry(t + 3000, RPVP_EV_USED, RPVP_AGENT_M3, 0, 3, 0x401, 0x400));
    v.push_back(mbox(t + 3600, RPVP_EV_MBOX_WRITE, RPVP_MBOX_CH_RX_FIFO(0)));
    v.push_back(mbox(t + 4500, RPVP_EV_MBOX_READ, RPVP_MBOX_CH_RX_FIFO(0)));
}

struct Sink {
    rpvp_ev_sink *s = rpvp_ev_sink_new();
    ~Sink() { rpvp_ev_sink_free(s); }
    std::vector<rpvp_ev> events() const
    {
        size_t n;
        const rpvp_ev *p = rpvp_ev_data(s, &n);
        return std::vector<rpvp_ev>(p, p + n);
    }
};

void count_tap(void *ctx, const rpvp_ev *) { ++*static_cast<unsigned *>(ctx); }

} // namespace

TEST(EventSink, StoresUpToItsLimitThenCountsTheRestInOneRecord)
{
    Sink k;
    unsigned tapped = 0;
    rpvp_ev_sink_set_limit(k.s, 10);
    rpvp_ev_sink_set_tap(k.s, count_tap, &tapped);
    for (unsigned i = 0; i < 25; i++) {
        const rpvp_ev e = ev(i, RPVP_EV_NOTIFY, RPVP_AGENT_VDEV);
        rpvp_ev_push(k.s, &e);
    }
    const std::vector<rpvp_ev> v = k.events();
    ASSERT_EQ(v.size(), 11u) << "10 events and the record";
    EXPECT_EQ(v[9].t_ps, 9000u);
    EXPECT_EQ(v[10].kind, RPVP_EV_DROPPED);
    EXPECT_EQ(v[10].t_ps, 10000u) << "the time of the first event not stored";
    EXPECT_EQ(rpvp_ev_dropped_count(&v[10]), 15u);
    EXPECT_EQ(rpvp_ev_dropped(k.s), 15u);
    EXPECT_EQ(tapped, 25u) << "the tap (the vring observer) sees dropped events too";
}

TEST(EventSink, TheDroppedCountSurvivesTheEventsFile)
{
    Sink a;
    rpvp_ev_sink_set_limit(a.s, 4);
    for (unsigned i = 0; i < 1000; i++) {
        const rpvp_ev e = ev(i, RPVP_EV_NOTIFY, RPVP_AGENT_VDEV);
        rpvp_ev_push(a.s, &e);
    }
    const std::string path = ::testing::TempDir() + "/sink-limit.bin";
    char err[256];
    ASSERT_EQ(rpvp_ev_save(a.s, path.c_str(), err, sizeof err), 0) << err;
    Sink b;
    rpvp_ev_sink_set_limit(b.s, 0);
    ASSERT_EQ(rpvp_ev_load(b.s, path.c_str(), err, sizeof err), 0) << err;
    std::remove(path.c_str());
    EXPECT_EQ(b.events().size(), 5u);
    EXPECT_EQ(rpvp_ev_dropped(b.s), 996u);
    const std::vector<rpvp_ev> v = b.events();
    const Joined j = join(v.data(), v.size());
    EXPECT_EQ(j.events, 4u) << "the record is not an event";
    EXPECT_EQ(j.events_dropped, 996u);
    EXPECT_EQ(j.dropped_from_ps, 4000);
}

TEST(EventSink, NoLimitStoresEverything)
{
    Sink k;
    rpvp_ev_sink_set_limit(k.s, 0);
    for (unsigned i = 0; i < 3 * RPVP_EV_DEFAULT_LIMIT / 1024; i++) {
        const rpvp_ev e = ev(i, RPVP_EV_NOTIFY, RPVP_AGENT_VDEV);
        rpvp_ev_push(k.s, &e);
    }
    EXPECT_EQ(k.events().size(), 3 * RPVP_EV_DEFAULT_LIMIT / 1024);
    EXPECT_EQ(rpvp_ev_dropped(k.s), 0u);
}

TEST(MeasureJoin, ACutStreamLeavesOutOnlyTheMessagesInFlightAtTheCut)
{
    std::vector<rpvp_ev> all;
    for (unsigned k = 0; k < 20; k++)
        echo(all, k);
    const Joined whole = join(all.data(), all.size());
    ASSERT_EQ(whole.messages.size(), 20u);

    /* Stored through echo 11's remote kick: echo 11's answer is never read. */
    Sink s;
    const size_t keep = 11 * 9 + 8;
    rpvp_ev_sink_set_limit(s.s, keep);
    for (const rpvp_ev &e : all)
        rpvp_ev_push(s.s, &e);
    const std::vector<rpvp_ev> v = s.events();
    const Joined cut = join(v.data(), v.size());
    EXPECT_EQ(cut.events, keep);
    EXPECT_EQ(cut.events_dropped, all.size() - keep);
    EXPECT_EQ(cut.messages_cut, 1u);
    ASSERT_EQ(cut.messages.size(), 11u) << "echoes 0-10, complete";
    for (size_t i = 0; i < cut.messages.size(); i++) {
        EXPECT_EQ(cut.messages[i].kind, "round_trip");
        for (unsigned st = 0; st < NUM_STAMPS; st++)
            EXPECT_EQ(cut.messages[i].t[st], whole.messages[i].t[st])
                << "message " << i << " " << stamp_name(st);
    }
}
