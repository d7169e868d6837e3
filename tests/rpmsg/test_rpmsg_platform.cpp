/*
 * End to end on the SystemC platform (rpvp::Omap4Amp: Router, SharedDdr, OMAP4 mailbox,
 * virtio-rpmsg device): the synthetic host on the platform's host BridgeInitiator, the
 * rpmsg remote stack on a second BridgeInitiator in the M3's place (mailbox user 2,
 * resource table in the carveout). Every message crosses
 * host -> vring in DDR -> QueueNotify -> mailbox FIFO 2N -> remote interrupt -> remote
 * stack -> echo -> vring -> mailbox FIFO 2N+1 -> device interrupt -> host callback.
 */
#include <gtest/gtest.h>
#include <systemc>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "../common/rpmsg_vdev_table.h"
#include "echo_check.h"
#include "omap4_amp.h"
#include "remote_port.h"
#include "rpvp/rpmsg.h"

using namespace sc_core;
using namespace rpvp;

namespace {

using rpvp_test::kRscDa;
using rpvp_test::Table;

constexpr uint64_t kMs = 1000000000ull;   /* ps */
constexpr uint64_t kPoolOff = 0x100000;   /* the host's DMA pool: DDR + 1 MiB, 1 MiB */

struct Bench;
Bench *g_run;

struct Bench {
    Omap4AmpConfig cfg;
    std::unique_ptr<Omap4Amp> soc;
    BridgeInitiator m3{"m3", 1};
    remote_port rp{};
    void (*phase)(Bench &, rpvp_shost *) = nullptr;

    /* host results */
    int probe_rc = 1, channel_rc = 1;
    std::vector<uint32_t> rx_seq;
    std::vector<uint64_t> t_sent, rtt;
    int bad = 0;
    struct rpmsg_device *rpdev = nullptr;
    rpvp_shost_stats st{};
    std::vector<int> rcs;     /* return codes the phase wants checked */
    std::vector<uint64_t> ts; /* times the phase wants checked */
    bool finished = false;
    Table snap{};             /* the resource table before the host's final reset */

    explicit Bench(uint32_t virtio_version = 2)
    {
        cfg.ddr_file = "rpvp-test-rpmsg-" + std::to_string(getpid());
        cfg.desc.ddr_size = 64ull << 20;
        cfg.desc.remote[0].win[0].size = 1ull << 20;
        cfg.virtio_version = virtio_version;
        soc = std::make_unique<Omap4Amp>("soc", cfg);
        m3.isock.bind(soc->m3_socket());
        m3.irq[0](soc->m3_mbox_irq());
        rpvp_test::place_table(*soc, cfg);
        rp.mbox_base = cfg.desc.remote[0].mbox_da;
        rp.rsc_da = kRscDa;
        rp.rsc_size = sizeof(Table);
        rp.cost_ps = 1000000; /* 1 us of M3 work per echoed message (an assumption) */
        g_run = this;
    }
    ~Bench() { g_run = nullptr; }
    const Table *table() const { return rpvp_test::table_in(*soc, cfg); }
    void start()
    {
        soc->host.spawn(host_main, this);
        m3.spawn(remote_port_main, &rp);
        sc_start(sc_time(60, SC_SEC)); /* the host calls sc_stop when done */
    }
    static void host_main(rpvp_port *port, void *ctx);
};

/* ---- the host's driver for the remote's "rpmsg-echo" service ---- */
int echo_rx(struct rpmsg_device *rpdev, void *data, int len, void *priv, uint32_t src)
{
    Bench &r = *g_run;
    const uint8_t *b = static_cast<const uint8_t *>(data);
    uint32_t seq = r.rx_seq.empty() ? 0 : r.rx_seq.back() + 1;
    if (len >= 4)
        std::memcpy(&seq, b, 4);
    if (!echo_check(b, len, seq))
        r.bad++;
    if (seq < r.t_sent.size())
        r.rtt.push_back(rpvp_shost_now(rpdev->host) - r.t_sent[seq]);
    r.rx_seq.push_back(seq);
    return 0;
}
int echo_probe(struct rpmsg_device *rpdev)
{
    g_run->rpdev = rpdev;
    return 0;
}
const struct rpmsg_device_id echo_ids[] = {{"rpmsg-echo"}, {""}};
struct rpmsg_driver echo_driver = {"echo", echo_ids, echo_probe, nullptr, echo_rx, nullptr};

int have_channel(void *) { return g_run->rpdev != nullptr; }
size_t g_want;
int got_all(void *) { return g_run->rx_seq.size() >= g_want; }

int send_seq(Bench &r, uint32_t seq, bool wait)
{
    uint8_t buf[512];
    int len = echo_size(seq);
    echo_fill(buf, seq, len);
    if (r.t_sent.size() <= seq)
        r.t_sent.resize(seq + 1);
    r.t_sent[seq] = rpvp_shost_now(r.rpdev->host);
    return wait ? rpmsg_send(r.rpdev->ept, buf, len) : rpmsg_trysend(r.rpdev->ept, buf, len);
}

void Bench::host_main(rpvp_port *port, void *ctx)
{
    Bench &r = *static_cast<Bench *>(ctx);
    rpvp_shost_port_state ps;
    rpvp_shost_bus bus;
    rpvp_shost_bus_from_port(&bus, &ps, port, 0);
    rpvp_shost_config hc = {};
    hc.mmio_base = r.cfg.desc.vdev.base;
    hc.mem_base = r.cfg.desc.ddr_pa + kPoolOff;
    hc.mem_size = kPoolOff;
    rpvp_shost *h = rpvp_shost_new(&hc, &bus);
    register_rpmsg_driver(&echo_driver);
    r.probe_rc = rpvp_shost_probe(h);
    if (r.probe_rc == 0)
        r.channel_rc = rpvp_shost_run_until(h, have_channel, nullptr, 10 * kMs);
    if (r.channel_rc == 0 && r.phase)
        r.phase(r, h);
    rpvp_shost_get_stats(h, &r.st);
    std::memcpy(&r.snap, r.table(), sizeof(r.snap));
    r.rp.stop = 1;
    unregister_rpmsg_driver(&echo_driver);
    rpvp_shost_free(h);
    r.finished = true;
    sc_stop();
}

/* Pipelined: 10,000 blocking sends of sizes 1..496, then wait for every echo. Then 100
 * ping-pongs (one message in flight) for the round-trip latency. */
void phase_echo(Bench &r, rpvp_shost *h)
{
    const uint32_t n = 10000;
    uint64_t t0 = rpvp_shost_now(h);
    for (uint32_t s = 0; s < n; s++)
        r.rcs.push_back(send_seq(r, s, true));
    g_want = n;
    r.rcs.push_back(rpvp_shost_run_until(h, got_all, nullptr, 1000 * kMs));
    r.ts.push_back(rpvp_shost_now(h) - t0);
    r.rtt.clear();
    for (uint32_t s = n; s < n + 100; s++) {
        r.rcs.push_back(send_seq(r, s, true));
        g_want = s + 1;
        r.rcs.push_back(rpvp_shost_run_until(h, got_all, nullptr, 10 * kMs));
    }
}

uint64_t percentile(std::vector<uint64_t> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p * (double)v.size()))];
}

TEST(RpmsgPlatform, Echo10000RandomSizesThroughDeviceAndMailbox)
{
    Bench r;
    r.phase = phase_echo;
    r.start();
    ASSERT_TRUE(r.finished);
    ASSERT_EQ(RPMSG_SUCCESS, r.rp.init_rc);
    ASSERT_EQ(0, r.probe_rc);
    ASSERT_EQ(0, r.channel_rc) << "no channel from the remote's NS announcement";
    for (size_t i = 0; i < r.rcs.size(); i++)
        ASSERT_EQ(0, r.rcs[i]) << "call " << i;
    ASSERT_EQ(10100u, r.rx_seq.size());
    for (uint32_t i = 0; i < r.rx_seq.size(); i++)
        ASSERT_EQ(i, r.rx_seq[i]) << "message lost, duplicated or reordered";
    EXPECT_EQ(0, r.bad) << "content mismatch";
    EXPECT_EQ(10100u, r.st.tx_msgs);
    EXPECT_EQ(10101u, r.st.rx_msgs) << "echoes plus the NS announcement";
    EXPECT_EQ(0u, r.st.send_timeouts);
    EXPECT_EQ(10100u, r.rp.rdev.stats.rx_msgs);
    EXPECT_EQ(0u, r.rp.rdev.stats.rx_bad + r.rp.rdev.stats.rx_no_ept);
    /* the table was filled by the device the remoteproc way */
    EXPECT_EQ(0xFu, r.snap.vdev.status);
    EXPECT_EQ(256u, r.snap.vring[1].num);
    EXPECT_EQ(r.cfg.desc.ddr_pa + kPoolOff, r.snap.vring[0].da);
    EXPECT_EQ(0u, r.table()->vdev.status) << "rpvp_shost_free resets the device";
    rpvp_vrpmsg_stats vs;
    rpvp_vrpmsg_get_stats(r.soc->vdev_core(), &vs);
    EXPECT_EQ(0u, vs.guest_errors);
    std::printf("[ rpmsg ] 10000 pipelined echoes: %.3f ms simulated; tx exhaustion events %llu,"
                " blocked %.3f ms; notifies %llu, host irqs %llu, mailbox msgs to remote %llu\n",
                (double)r.ts[0] / 1e9, (unsigned long long)r.st.tx_exhaustion_events,
                (double)r.st.blocked_send_ps / 1e9, (unsigned long long)r.st.notifies,
                (unsigned long long)r.st.interrupts, (unsigned long long)r.rp.mbox_msgs);
    std::printf("[ rpmsg ] ping-pong round trip: p50 %.3f us, p99 %.3f us, max %.3f us\n",
                (double)percentile(r.rtt, 0.5) / 1e6, (double)percentile(r.rtt, 0.99) / 1e6,
                (double)percentile(r.rtt, 1.0) / 1e6);
    EXPECT_EQ(100u, r.rtt.size());
    EXPECT_GT(percentile(r.rtt, 0.5), r.rp.cost_ps) << "a round trip includes the remote's work";
}

/* TX exhaustion on the platform: the remote stalls for 5 ms; trysend succeeds exactly
 * 256 - 40 times after 40 messages are in flight, then -ENOMEM; a 1 ms blocking send
 * ends with -ERESTARTSYS after exactly 1 ms; a blocking send with the default timeout
 * completes once the remote resumes; every message comes back exactly once, in order. */
void phase_exhaustion(Bench &r, rpvp_shost *h)
{
    r.rcs.push_back((int)rpvp_shost_tx_free(h));                 /* [0] 256 */
    r.rp.stall_until_ps = rpvp_shost_now(h) + 5 * kMs;
    uint32_t seq = 0;
    for (; seq < 40; seq++)
        r.rcs.push_back(send_seq(r, seq, false));                /* [1..40] 0 */
    r.rcs.push_back((int)rpvp_shost_tx_free(h));                 /* [41] 216 */
    int ok = 0;
    for (;;) {
        int rc = send_seq(r, seq, false);
        if (rc)
            break;
        ok++;
        seq++;
    }
    r.rcs.push_back(ok);                                         /* [42] 216 */
    r.rcs.push_back(send_seq(r, seq, false));                    /* [43] -ENOMEM */
    rpvp_shost_set_send_timeout(h, kMs);
    uint64_t t0 = rpvp_shost_now(h);
    r.rcs.push_back(send_seq(r, seq, true));                     /* [44] -ERESTARTSYS */
    r.ts.push_back(rpvp_shost_now(h) - t0);                      /* [0] 1 ms */
    r.ts.push_back(rpvp_shost_now(h));                           /* [1] < stall end */
    rpvp_shost_set_send_timeout(h, 0);
    t0 = rpvp_shost_now(h);
    r.rcs.push_back(send_seq(r, seq, true));                     /* [45] 0 */
    r.ts.push_back(rpvp_shost_now(h));                           /* [2] >= stall end */
    r.ts.push_back(r.rp.stall_until_ps);                         /* [3] */
    seq++;
    g_want = seq;
    r.rcs.push_back(rpvp_shost_run_until(h, got_all, nullptr, 100 * kMs)); /* [46] 0 */
    r.rcs.push_back((int)rpvp_shost_tx_free(h));                 /* [47] 256 */
}

TEST(RpmsgPlatform, TxExhaustionTrysendBlockingSendAndResume)
{
    Bench r;
    r.phase = phase_exhaustion;
    r.start();
    ASSERT_TRUE(r.finished);
    ASSERT_EQ(0, r.probe_rc);
    ASSERT_EQ(0, r.channel_rc);
    ASSERT_EQ(48u, r.rcs.size());
    EXPECT_EQ(256, r.rcs[0]);
    for (int i = 1; i <= 40; i++)
        EXPECT_EQ(0, r.rcs[i]) << "trysend " << i;
    EXPECT_EQ(216, r.rcs[41]) << "256 minus 40 in flight";
    EXPECT_EQ(216, r.rcs[42]) << "trysend must fail after exactly the free TX buffers";
    EXPECT_EQ(-ENOMEM, r.rcs[43]);
    EXPECT_EQ(-ERESTARTSYS, r.rcs[44]);
    EXPECT_EQ(kMs, r.ts[0]) << "the blocking send waited exactly its timeout";
    EXPECT_LT(r.ts[1], r.ts[3]) << "the timeout happened while the remote was stalled";
    EXPECT_EQ(0, r.rcs[45]);
    EXPECT_GE(r.ts[2], r.ts[3]) << "the blocked send completed only after the remote resumed";
    EXPECT_EQ(0, r.rcs[46]);
    EXPECT_EQ(256, r.rcs[47]) << "every TX buffer came back";
    ASSERT_EQ(257u, r.rx_seq.size());
    for (uint32_t i = 0; i < r.rx_seq.size(); i++)
        ASSERT_EQ(i, r.rx_seq[i]) << "message lost, duplicated or reordered";
    EXPECT_EQ(0, r.bad);
    EXPECT_EQ(257u, r.st.tx_msgs);
    EXPECT_EQ(2u, r.st.trysend_failures);
    EXPECT_EQ(1u, r.st.send_timeouts);
    EXPECT_EQ(2u, r.st.blocked_sends);
    EXPECT_EQ(4u, r.st.tx_exhaustion_events);
    EXPECT_GE(r.st.blocked_send_ps, kMs + (r.ts[3] - r.ts[1]));
    EXPECT_GT(r.rp.stalls, 0u);
}

/* Legacy virtio-mmio (version 1): GuestPageSize/QueuePFN path, no FEATURES_OK. */
void phase_small(Bench &r, rpvp_shost *h)
{
    for (uint32_t s = 0; s < 300; s++)
        r.rcs.push_back(send_seq(r, s, true));
    g_want = 300;
    r.rcs.push_back(rpvp_shost_run_until(h, got_all, nullptr, 100 * kMs));
    r.rcs.push_back((int)rpvp_shost_version(h));
}

TEST(RpmsgPlatform, LegacyVersion1Device)
{
    Bench r(1);
    r.phase = phase_small;
    r.start();
    ASSERT_TRUE(r.finished);
    ASSERT_EQ(0, r.probe_rc);
    ASSERT_EQ(0, r.channel_rc);
    ASSERT_EQ(302u, r.rcs.size());
    for (size_t i = 0; i < 301; i++)
        ASSERT_EQ(0, r.rcs[i]) << "call " << i;
    EXPECT_EQ(1, r.rcs[301]);
    EXPECT_EQ(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_DRIVER_OK,
              r.snap.vdev.status) << "no FEATURES_OK for a legacy device";
    ASSERT_EQ(300u, r.rx_seq.size());
    for (uint32_t i = 0; i < 300; i++)
        ASSERT_EQ(i, r.rx_seq[i]);
    EXPECT_EQ(0, r.bad);
}

} // namespace
