/* The joiner on event orders the two Linux routes produce (measure/join.h), and the
 * events file of each remote (rpvp_ev_remote_path). */
#include <gtest/gtest.h>

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

/* One echo on Linux's remoteproc route, in the order the platform emits it: the kick IS
 * the mailbox write into FIFO 2 (vq1), and the vring observer, reacting to that write,
 * emits the avail entry it reveals AFTER it, at the same instant. */
std::vector<rpvp_ev> remoteproc_echo()
{
    std::vector<rpvp_ev> v;
    rpvp_ev w = ev(1000, RPVP_EV_MBOX_WRITE, RPVP_AGENT_MBOX);
    w.fifo = RPVP_MBOX_CH_TX_FIFO(1);
    w.len = 1;
    v.push_back(w);
    v.push_back(entry(1000, RPVP_EV_AVAIL, RPVP_AGENT_DRIVER, 1, 7, 0x400, 0x401));
    rpvp_ev irq = ev(1060, RPVP_EV_IRQ_ENTRY, RPVP_AGENT_M3);
    irq.value = 16 + 34;
    v.push_back(irq);
    rpvp_ev rd = ev(1100, RPVP_EV_MBOX_READ, RPVP_AGENT_MBOX);
    rd.fifo = RPVP_MBOX_CH_TX_FIFO(1);
    v.push_back(rd);
    v.push_back(entry(9000, RPVP_EV_USED, RPVP_AGENT_M3, 0, 3, 0x401, 0x400));
    rpvp_ev k = ev(9600, RPVP_EV_MBOX_WRITE, RPVP_AGENT_MBOX);
    k.fifo = RPVP_MBOX_CH_RX_FIFO(0);
    k.len = 1;
    v.push_back(k);
    rpvp_ev r = ev(10500, RPVP_EV_MBOX_READ, RPVP_AGENT_MBOX);
    r.fifo = RPVP_MBOX_CH_RX_FIFO(0);
    v.push_back(r);
    return v;
}

} // namespace

TEST(MeasureJoin, RemoteprocKickRevealsItsAvailEntryAtTheSameInstant)
{
    const std::vector<rpvp_ev> v = remoteproc_echo();
    const Joined j = join(v.data(), v.size());
    ASSERT_EQ(j.messages.size(), 1u);
    const Message &m = j.messages[0];
    EXPECT_EQ(m.kind, "round_trip");
    EXPECT_EQ(m.t[KICK], 1000000);
    EXPECT_EQ(m.t[MBOX_WRITE], 1000000) << "the kick's own write, not the next message's";
    EXPECT_EQ(m.t[M3_IRQ], 1060000);
    EXPECT_EQ(m.t[RX_FILLED], 9000000);
    EXPECT_EQ(m.t[REMOTE_KICK], 9600000);
    EXPECT_EQ(m.t[MBOX_READ], 10500000);
    for (auto h : m.hops())
        EXPECT_GE(m.t[h.second] - m.t[h.first], 0)
            << stamp_name(h.first) << " -> " << stamp_name(h.second);
    EXPECT_EQ(j.high_water.at("fifo2.depth"), 1);
}

TEST(MeasureJoin, RemoteEventFilesSitBesideRemoteZeros)
{
    char b[128];
    rpvp_ev_remote_path(b, sizeof b, "out/events.bin", 0);
    EXPECT_STREQ(b, "out/events.bin");
    rpvp_ev_remote_path(b, sizeof b, "out/events.bin", 1);
    EXPECT_STREQ(b, "out/events-remote1.bin");
    rpvp_ev_remote_path(b, sizeof b, "out.d/events", 3);
    EXPECT_STREQ(b, "out.d/events-remote3") << "a dot in the folder is not an extension";
    EXPECT_EQ(rpvp_ev_remote_path(b, 4, "out/events.bin", 2),
              static_cast<int>(std::string("out/events-remote2.bin").size()));
}
