/*
 * Synthetic host <-> rpmsg remote stack, wired by the plain-C loopback harness (no
 * SystemC): virtio-mmio bring-up (v1, v2), name service, channels and drivers,
 * endpoints, 10,000 echoed messages, TX exhaustion on both sides, timeouts.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "echo_check.h"
#include "loopback.h"
#include "rpvp/virtio_mmio_regs.h"

namespace {

constexpr uint32_t kNs = 1u << VIRTIO_RPMSG_F_NS;
constexpr uint64_t kSecond = 1000000000000ull;

/* ---- remote echo application (what firmware/apps does with the stack) ---- */
int remote_echo_cb(struct rpr_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
    int rc = rpr_sendto(ept, data, (int)len, src);
    return rc == (int)len ? RPMSG_SUCCESS : rc;
}

/* ---- host side: a driver for the "rpmsg-echo" channel ---- */
struct HostSide {
    std::vector<uint32_t> rx_seq;     /* sequence numbers received, in order */
    int bad = 0;                      /* messages whose content did not check */
    int probes = 0, removes = 0;
    struct rpmsg_device *rpdev = nullptr;
};
HostSide *g_host;

int host_echo_cb(struct rpmsg_device *rpdev, void *data, int len, void *priv, uint32_t src)
{
    const uint8_t *b = static_cast<const uint8_t *>(data);
    uint32_t seq = 0;
    memcpy(&seq, b, len < 4 ? (size_t)len : 4);
    /* short messages carry only the low bytes of seq: take it from the order */
    if (len < 4)
        seq = g_host->rx_seq.empty() ? 0 : g_host->rx_seq.back() + 1;
    if (!echo_check(b, len, seq))
        g_host->bad++;
    g_host->rx_seq.push_back(seq);
    return 0;
}

int host_probe(struct rpmsg_device *rpdev)
{
    g_host->probes++;
    g_host->rpdev = rpdev;
    return 0;
}

void host_remove(struct rpmsg_device *rpdev)
{
    g_host->removes++;
    g_host->rpdev = nullptr;
}

const struct rpmsg_device_id echo_ids[] = {{"rpmsg-echo"}, {""}};
struct rpmsg_driver echo_driver = {"echo-test", echo_ids, host_probe, host_remove,
                                   host_echo_cb, nullptr};

int have_channel(void *arg) { return static_cast<HostSide *>(arg)->rpdev != nullptr; }

struct RxCount {
    size_t want;
};
int got_all(void *arg) { return g_host->rx_seq.size() >= static_cast<RxCount *>(arg)->want; }

class Loopback : public ::testing::Test {
protected:
    lb_platform p;
    HostSide hs;
    struct rpr_endpoint echo_ept;

    void SetUp() override { g_host = &hs; }
    void TearDown() override
    {
        unregister_rpmsg_driver(&echo_driver);
        lb_fini(&p);
        g_host = nullptr;
    }
    /* Bring both sides up with the echo endpoint announced and the driver bound. */
    void Up(unsigned version)
    {
        ASSERT_EQ(0, lb_init(&p, version, kNs));
        ASSERT_EQ(RPMSG_SUCCESS, rpr_create_ept(&echo_ept, &p.rdev, "rpmsg-echo",
                                                RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
                                                remote_echo_cb, nullptr));
        ASSERT_EQ(0, register_rpmsg_driver(&echo_driver));
        ASSERT_EQ(0, rpvp_shost_probe(p.host));
        ASSERT_EQ(0, rpvp_shost_run_until(p.host, have_channel, &hs, kSecond));
    }
    void Send(uint32_t seq, int expect = 0, int wait = 1)
    {
        uint8_t buf[512];
        int len = echo_size(seq);
        echo_fill(buf, seq, len);
        int rc = wait ? rpmsg_send(hs.rpdev->ept, buf, len) : rpmsg_trysend(hs.rpdev->ept, buf, len);
        ASSERT_EQ(expect, rc) << "seq " << seq;
    }
    void ExpectAllOnce(uint32_t n)
    {
        ASSERT_EQ(n, hs.rx_seq.size());
        for (uint32_t i = 0; i < n; i++)
            ASSERT_EQ(i, hs.rx_seq[i]) << "message lost, duplicated or reordered";
        EXPECT_EQ(0, hs.bad);
    }
};

/* Legacy (version 1) bring-up: status ACK|DRIVER|DRIVER_OK, no FEATURES_OK, vrings in
 * the resource table, 256 RX buffers posted, remote ready, channel announced. */
TEST_F(Loopback, ProbeVersion1)
{
    Up(1);
    EXPECT_EQ(1u, rpvp_shost_version(p.host));
    EXPECT_EQ(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_DRIVER_OK,
              p.vdev->status);
    EXPECT_EQ(kNs, p.vdev->gfeatures);
    EXPECT_EQ(256u, p.vring[0].num);
    EXPECT_EQ(0u, p.vring[0].da % 4096);
    EXPECT_NE(p.vring[0].da, p.vring[1].da);
    EXPECT_EQ(1, p.rdev.ready);
    EXPECT_EQ(256u, rpr_tx_free(&p.rdev)) << "the NS announcement's buffer was re-posted";
    EXPECT_EQ(256u, rpvp_shost_tx_free(p.host));
    EXPECT_EQ(1, hs.probes);
    EXPECT_EQ(1024u, echo_ept.addr);
    EXPECT_EQ(1024u, hs.rpdev->dst);
    EXPECT_EQ(1024u, hs.rpdev->src) << "driver's default endpoint: first free address";
    EXPECT_EQ(0u, p.guest_errors);
}

/* Version 2: FEATURES_OK, VIRTIO_F_VERSION_1 negotiated (high word not in gfeatures). */
TEST_F(Loopback, ProbeVersion2)
{
    Up(2);
    EXPECT_EQ(2u, rpvp_shost_version(p.host));
    EXPECT_EQ(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                  VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK,
              p.vdev->status);
    EXPECT_EQ((1ull << VIRTIO_F_VERSION_1) | kNs, rpvp_shost_features(p.host));
    EXPECT_EQ(0u, p.guest_errors);
}

/* A DMA pool too small for the buffers: -ENOMEM after both queues went live; the
 * queues are torn down again (del_vqs) and the device marked FAILED. */
TEST_F(Loopback, PoolTooSmallFailsCleanly)
{
    ASSERT_EQ(0, lb_init(&p, 2, kNs));
    rpvp_shost_free(p.host);
    rpvp_shost_config cfg = {};
    cfg.mmio_base = LB_MMIO_BASE;
    cfg.mem_base = LB_DDR_BASE;
    cfg.mem_size = 0x8000; /* two vrings fit (2 x 12 KiB), 256 KiB of buffers do not */
    p.host = rpvp_shost_new(&cfg, &p.bus);
    ASSERT_NE(nullptr, p.host);
    EXPECT_EQ(-ENOMEM, rpvp_shost_probe(p.host));
    EXPECT_EQ(0u, p.queue_ready[0]);
    EXPECT_EQ(0u, p.queue_ready[1]);
    EXPECT_TRUE(p.vdev->status & VIRTIO_CONFIG_S_FAILED);
    EXPECT_FALSE(p.vdev->status & VIRTIO_CONFIG_S_DRIVER_OK);
    uint8_t buf[4] = {0};
    struct rpmsg_channel_info ci = {"x", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY};
    struct rpmsg_endpoint *e = rpmsg_create_ept(rpvp_shost_ctrl_dev(p.host), host_echo_cb,
                                                nullptr, ci);
    ASSERT_NE(nullptr, e);
    EXPECT_EQ(-ENODEV, rpmsg_sendto(e, buf, 4, 1024)) << "no device: nothing to send with";
}

/* A version 2 device without VIRTIO_F_VERSION_1 is refused (vm_finalize_features). */
TEST_F(Loopback, Version2WithoutVersion1IsRefused)
{
    ASSERT_EQ(0, lb_init(&p, 2, kNs));
    p.offer_version_1 = 0;
    EXPECT_EQ(-EINVAL, rpvp_shost_probe(p.host));
    EXPECT_TRUE(p.vdev->status & VIRTIO_CONFIG_S_FAILED);
    EXPECT_FALSE(p.vdev->status & VIRTIO_CONFIG_S_DRIVER_OK);
}

/* Without VIRTIO_RPMSG_F_NS no announcement is sent and no channel appears; a
 * channel-less endpoint still talks to the remote's fixed address. */
TEST_F(Loopback, NoNameServiceWithoutFeature)
{
    ASSERT_EQ(0, lb_init(&p, 2, 0));
    ASSERT_EQ(RPMSG_SUCCESS, rpr_create_ept(&echo_ept, &p.rdev, "rpmsg-echo", 1100,
                                            RPMSG_ADDR_ANY, remote_echo_cb, nullptr));
    ASSERT_EQ(0, rpvp_shost_probe(p.host));
    rpvp_shost_wait(p.host, 10 * LB_STEP_PS);
    EXPECT_EQ(1, p.rdev.ready);
    EXPECT_EQ(0u, p.rdev.stats.ns_sent);
    EXPECT_EQ(nullptr, rpvp_shost_find_channel(p.host, "rpmsg-echo"));
    struct rpmsg_channel_info ci = {"raw", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY};
    struct rpmsg_endpoint *ept =
        rpmsg_create_ept(rpvp_shost_ctrl_dev(p.host), host_echo_cb, nullptr, ci);
    ASSERT_NE(nullptr, ept);
    uint8_t buf[512];
    echo_fill(buf, 0, echo_size(0));
    ASSERT_EQ(0, rpmsg_sendto(ept, buf, echo_size(0), 1100));
    RxCount want{1};
    ASSERT_EQ(0, rpvp_shost_run_until(p.host, got_all, &want, kSecond));
    ExpectAllOnce(1);
}

/* Endpoint API conventions of rpmsg.rst / rpmsg_core.c. */
TEST_F(Loopback, EndpointApi)
{
    Up(2);
    struct rpmsg_device *ctrl = rpvp_shost_ctrl_dev(p.host);
    struct rpmsg_channel_info any = {"x", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY};
    struct rpmsg_endpoint *a = rpmsg_create_ept(ctrl, host_echo_cb, nullptr, any);
    struct rpmsg_endpoint *b = rpmsg_create_ept(ctrl, host_echo_cb, nullptr, any);
    ASSERT_NE(nullptr, a);
    ASSERT_NE(nullptr, b);
    EXPECT_EQ(1025u, a->addr) << "1024 is the driver's default endpoint";
    EXPECT_EQ(1026u, b->addr);
    struct rpmsg_channel_info fixed = {"y", 1025, RPMSG_ADDR_ANY};
    EXPECT_EQ(nullptr, rpmsg_create_ept(ctrl, host_echo_cb, nullptr, fixed)) << "address taken";
    rpmsg_destroy_ept(a);
    struct rpmsg_endpoint *c = rpmsg_create_ept(ctrl, host_echo_cb, nullptr, any);
    ASSERT_NE(nullptr, c);
    EXPECT_EQ(1025u, c->addr) << "lowest free address is reused";
    EXPECT_EQ(nullptr, rpmsg_create_ept(nullptr, host_echo_cb, nullptr, any));

    uint8_t buf[512] = {0};
    EXPECT_EQ(-EINVAL, rpmsg_send(c, buf, 4)) << "control device has no dst";
    EXPECT_EQ(-EINVAL, rpmsg_sendto(c, buf, 4, RPMSG_ADDR_ANY));
    EXPECT_EQ(-EINVAL, rpmsg_send_offchannel(c, RPMSG_ADDR_ANY, 1024, buf, 4));
    EXPECT_EQ(-EINVAL, rpmsg_send(nullptr, buf, 4));
    EXPECT_EQ(-EMSGSIZE, rpmsg_sendto(c, buf, 497, 1024));
    EXPECT_EQ(-EMSGSIZE, rpmsg_trysendto(c, buf, -1, 1024));
    /* off-channel: any source address; the echo comes back to that address */
    echo_fill(buf, 0, echo_size(0));
    EXPECT_EQ(0, rpmsg_send_offchannel(c, 1026, 1024, buf, echo_size(0)));
    RxCount want{1};
    ASSERT_EQ(0, rpvp_shost_run_until(p.host, got_all, &want, kSecond));
    ExpectAllOnce(1);
    EXPECT_EQ(0u, p.rdev.stats.rx_no_ept);
    rpmsg_destroy_ept(b);
    rpmsg_destroy_ept(c);
}

/* The headline: 10,000 messages of sizes 1..496 echoed, every byte checked, in order. */
TEST_F(Loopback, Echo10000RandomSizes)
{
    Up(2);
    const uint32_t n = 10000;
    uint64_t bytes = 0;
    for (uint32_t s = 0; s < n; s++) {
        Send(s);
        bytes += (uint64_t)echo_size(s);
    }
    RxCount want{n};
    ASSERT_EQ(0, rpvp_shost_run_until(p.host, got_all, &want, kSecond));
    ExpectAllOnce(n);
    rpvp_shost_stats st;
    rpvp_shost_get_stats(p.host, &st);
    EXPECT_EQ(n, st.tx_msgs);
    EXPECT_EQ(n + 1, st.rx_msgs) << "echoes plus the NS announcement";
    EXPECT_EQ(bytes, st.tx_bytes);
    EXPECT_EQ(bytes + sizeof(struct rpmsg_ns_msg), st.rx_bytes);
    EXPECT_EQ(0u, st.send_timeouts);
    EXPECT_EQ(0u, st.rx_bad);
    EXPECT_EQ(n, p.rdev.stats.rx_msgs);
    EXPECT_EQ(n + 1, p.rdev.stats.tx_msgs) << "echoes plus the NS announcement";
    EXPECT_EQ(0u, p.guest_errors);
    size_t nlog;
    const rpvp_shost_msg_rec *log = rpvp_shost_log(p.host, &nlog);
    ASSERT_EQ(32u, nlog);
    EXPECT_EQ(2 * n + 1 - 32, st.log_dropped);
    EXPECT_EQ(RPVP_SHOST_RX, log[0].dir);
    EXPECT_EQ(RPMSG_NS_ADDR, log[0].dst);
    EXPECT_EQ(RPVP_SHOST_TX, log[1].dir);
    EXPECT_EQ((uint16_t)echo_size(0), log[1].len);
    EXPECT_LE(log[1].start_ps, log[1].done_ps);
}

/* TX exhaustion: with the remote stalled, trysend succeeds exactly 256 minus in-flight
 * times, then -ENOMEM; a blocking send times out with -ERESTARTSYS after exactly its
 * timeout; a blocking send completes once the remote resumes; nothing lost or doubled. */
TEST_F(Loopback, TxExhaustion)
{
    Up(2);
    p.remote_stalled = 1;
    uint32_t seq = 0;
    for (; seq < 40; seq++)
        Send(seq, 0, 0);
    EXPECT_EQ(256u - 40u, rpvp_shost_tx_free(p.host));
    unsigned ok = 0;
    for (;;) {
        uint8_t buf[512];
        int len = echo_size(seq);
        echo_fill(buf, seq, len);
        int rc = rpmsg_trysend(hs.rpdev->ept, buf, len);
        if (rc == -ENOMEM)
            break;
        ASSERT_EQ(0, rc);
        ok++;
        seq++;
    }
    EXPECT_EQ(256u - 40u, ok) << "trysend must fail after exactly the free TX buffers";
    EXPECT_EQ(0u, rpvp_shost_tx_free(p.host));
    rpvp_shost_stats st;
    rpvp_shost_get_stats(p.host, &st);
    EXPECT_EQ(1u, st.trysend_failures);
    EXPECT_EQ(1u, st.tx_exhaustion_events);

    /* blocking send with a 2 ms timeout: -ERESTARTSYS after exactly 2 ms */
    rpvp_shost_set_send_timeout(p.host, 2000000000ull);
    uint64_t t0 = rpvp_shost_now(p.host);
    Send(seq, -ERESTARTSYS);
    EXPECT_EQ(2000000000ull, rpvp_shost_now(p.host) - t0);
    rpvp_shost_get_stats(p.host, &st);
    EXPECT_EQ(1u, st.send_timeouts);
    EXPECT_EQ(2000000000ull, st.blocked_send_ps);

    /* the remote resumes 5 ms from now: a blocking send (15 s) waits, then completes */
    rpvp_shost_set_send_timeout(p.host, 0);
    p.stall_until_ps = rpvp_shost_now(p.host) + 5000000000ull;
    t0 = rpvp_shost_now(p.host);
    Send(seq);
    uint64_t waited = rpvp_shost_now(p.host) - t0;
    EXPECT_GE(waited, 5000000000ull);
    EXPECT_LT(waited, 6000000000ull);
    seq++;
    RxCount want{seq};
    ASSERT_EQ(0, rpvp_shost_run_until(p.host, got_all, &want, kSecond));
    ExpectAllOnce(seq);
    rpvp_shost_get_stats(p.host, &st);
    EXPECT_EQ(2u, st.blocked_sends);
    EXPECT_EQ(3u, st.tx_exhaustion_events);
    EXPECT_EQ(seq, st.tx_msgs);
    /* tx-complete interrupts are off again: VRING_AVAIL_F_NO_INTERRUPT on vring 1 */
    const uint8_t *vr1 = p.ddr + (p.vring[1].da - LB_DDR_BASE);
    uint16_t avail_flags;
    memcpy(&avail_flags, vr1 + vring_avail_offset(256), 2);
    EXPECT_EQ(VRING_AVAIL_F_NO_INTERRUPT, avail_flags);
}

/* Remote-side exhaustion: the host does not run, so the remote has only the 256 RX
 * buffers the host posted: trysend fails after 256, a blocking send times out with
 * RPMSG_ERR_NO_BUFF after its timeout; all 256 arrive once, in order, when the host runs. */
TEST_F(Loopback, RemoteTxExhaustion)
{
    Up(2);
    p.remote_stalled = 1; /* the harness must not run the remote by itself */
    struct rpr_endpoint *e = &echo_ept;
    uint32_t host_addr = hs.rpdev->src;
    EXPECT_EQ(256u, rpr_tx_free(&p.rdev));
    uint8_t buf[512];
    uint32_t s = 0;
    for (;; s++) {
        int len = echo_size(s);
        echo_fill(buf, s, len);
        int rc = rpr_trysendto(e, buf, len, host_addr);
        if (rc == RPMSG_ERR_NO_BUFF)
            break;
        ASSERT_EQ(len, rc);
    }
    EXPECT_EQ(256u, s);
    EXPECT_EQ(1u, p.rdev.stats.tx_no_buff);
    p.rdev.send_timeout_ps = 1000000000ull;
    rpvp_shost *h = p.host;
    p.host = nullptr; /* nobody serves the remote's wait: it must time out */
    EXPECT_EQ(RPMSG_ERR_NO_BUFF, rpr_sendto(e, buf, echo_size(s), host_addr));
    p.host = h;
    EXPECT_EQ(1u, p.rdev.stats.tx_timeouts);
    EXPECT_EQ(1000000000ull, p.rdev.stats.tx_wait_ps);
    RxCount want{256};
    ASSERT_EQ(0, rpvp_shost_run_until(p.host, got_all, &want, kSecond));
    ExpectAllOnce(256);
    EXPECT_EQ(256u, rpr_tx_free(&p.rdev)) << "the host re-posted every RX buffer";
}

/* NS destroy removes the channel (driver remove runs), a new announcement brings it
 * back and probes again; a driver registered after the channel appeared is probed. */
TEST_F(Loopback, ChannelLifecycle)
{
    ASSERT_EQ(0, lb_init(&p, 2, kNs));
    ASSERT_EQ(RPMSG_SUCCESS, rpr_create_ept(&echo_ept, &p.rdev, "rpmsg-echo", RPMSG_ADDR_ANY,
                                            RPMSG_ADDR_ANY, remote_echo_cb, nullptr));
    ASSERT_EQ(0, rpvp_shost_probe(p.host));
    rpvp_shost_wait(p.host, 10 * LB_STEP_PS);
    struct rpmsg_device *ch = rpvp_shost_find_channel(p.host, "rpmsg-echo");
    ASSERT_NE(nullptr, ch);
    EXPECT_EQ(nullptr, ch->driver);
    ASSERT_EQ(0, register_rpmsg_driver(&echo_driver));
    EXPECT_EQ(1, hs.probes);
    EXPECT_EQ(&echo_driver, ch->driver);

    rpr_destroy_ept(&echo_ept); /* NS destroy */
    rpvp_shost_wait(p.host, 10 * LB_STEP_PS);
    EXPECT_EQ(1, hs.removes);
    EXPECT_EQ(nullptr, rpvp_shost_find_channel(p.host, "rpmsg-echo"));

    ASSERT_EQ(RPMSG_SUCCESS, rpr_create_ept(&echo_ept, &p.rdev, "rpmsg-echo", RPMSG_ADDR_ANY,
                                            RPMSG_ADDR_ANY, remote_echo_cb, nullptr));
    rpvp_shost_wait(p.host, 10 * LB_STEP_PS);
    EXPECT_EQ(2, hs.probes);
    ASSERT_NE(nullptr, hs.rpdev);
    Send(0);
    RxCount want{1};
    ASSERT_EQ(0, rpvp_shost_run_until(p.host, got_all, &want, kSecond));
    ExpectAllOnce(1);
    rpvp_shost_stats st;
    rpvp_shost_get_stats(p.host, &st);
    EXPECT_EQ(3u, st.ns_msgs);
    EXPECT_EQ(2u, st.channels_created);
    EXPECT_EQ(1u, st.channels_released);
}

/* Name-service messages from the host side (sent raw to address 53): a create for an
 * unknown service reaches the bind callback, one for a waiting endpoint binds it, a
 * destroy unbinds it and calls its unbind callback; a malformed one is ignored. */
struct NsSeen {
    std::string bound_name;
    uint32_t bound_addr = 0;
    int unbinds = 0;
} g_ns;
void remote_bind(struct rpr_device *, const char *name, uint32_t dest)
{
    g_ns.bound_name = name;
    g_ns.bound_addr = dest;
}
void remote_unbind(struct rpr_endpoint *) { g_ns.unbinds++; }

TEST_F(Loopback, RemoteNameServiceFromHost)
{
    Up(2);
    rpr_set_ns_bind_cb(&p.rdev, remote_bind);
    struct rpr_endpoint waiting;
    ASSERT_EQ(RPMSG_SUCCESS, rpr_create_ept(&waiting, &p.rdev, "late-bind", RPMSG_ADDR_ANY,
                                            RPMSG_ADDR_ANY, remote_echo_cb, remote_unbind));
    struct rpmsg_channel_info ci = {"ns-sender", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY};
    struct rpmsg_endpoint *e = rpmsg_create_ept(rpvp_shost_ctrl_dev(p.host), host_echo_cb,
                                                nullptr, ci);
    ASSERT_NE(nullptr, e);
    auto ns = [&](const char *name, uint32_t addr, uint32_t flags, int len) {
        struct rpmsg_ns_msg m = {};
        strncpy(m.name, name, sizeof(m.name) - 1);
        m.addr = addr;
        m.flags = flags;
        uint64_t before = p.rdev.stats.rx_msgs;
        ASSERT_EQ(0, rpmsg_sendto(e, &m, len, RPMSG_NS_ADDR));
        while (p.rdev.stats.rx_msgs == before && rpvp_shost_wait(p.host, 10 * LB_STEP_PS)) {
        }
        ASSERT_EQ(before + 1, p.rdev.stats.rx_msgs) << "the remote got the NS message";
    };
    ns("svc-a", 1200, RPMSG_NS_CREATE, (int)sizeof(struct rpmsg_ns_msg));
    EXPECT_EQ("svc-a", g_ns.bound_name);
    EXPECT_EQ(1200u, g_ns.bound_addr);
    ns("late-bind", 1300, RPMSG_NS_CREATE, (int)sizeof(struct rpmsg_ns_msg));
    EXPECT_EQ(1300u, waiting.dest_addr);
    EXPECT_EQ("svc-a", g_ns.bound_name) << "a waiting endpoint binds, no callback";
    ns("late-bind", 1300, RPMSG_NS_CREATE, 20); /* malformed: ignored */
    ns("late-bind", 1300, RPMSG_NS_DESTROY, (int)sizeof(struct rpmsg_ns_msg));
    EXPECT_EQ(1, g_ns.unbinds);
    EXPECT_EQ(RPMSG_ADDR_ANY, waiting.dest_addr);
    EXPECT_EQ(3u, p.rdev.stats.ns_received);
    rpr_destroy_ept(&waiting);
}

/* The remote refuses a table without an rpmsg vdev and a duplicate address. */
TEST(RemoteStack, InitAndAddresses)
{
    lb_platform p;
    ASSERT_EQ(0, lb_init(&p, 2, kNs));
    struct rpr_device d;
    uint8_t t[LB_RSC_SIZE];
    const size_t id_off = LB_RSC_VDEV_OFF + 4, nvr_off = id_off + offsetof(fw_rsc_vdev, num_of_vrings);
    memcpy(t, p.rsc_mem, sizeof(t));
    t[id_off] = 5; /* virtio id 5: not rpmsg */
    EXPECT_EQ(RPMSG_ERR_INIT, rpr_init(&d, t, sizeof(t), &p.rplat));
    memcpy(t, p.rsc_mem, sizeof(t));
    t[nvr_off] = 1; /* one vring only */
    EXPECT_EQ(RPMSG_ERR_INIT, rpr_init(&d, t, sizeof(t), &p.rplat));
    memcpy(t, p.rsc_mem, sizeof(t));
    EXPECT_EQ(RPMSG_SUCCESS, rpr_init(&d, t, sizeof(t), &p.rplat));
    EXPECT_EQ(RPMSG_ERR_INIT, rpr_init(&d, t, LB_RSC_VDEV_OFF + 8, &p.rplat)) << "truncated";
    EXPECT_EQ(RPMSG_ERR_PARAM, rpr_init(&d, nullptr, sizeof(t), &p.rplat));

    struct rpr_endpoint a, b, c;
    EXPECT_EQ(RPMSG_SUCCESS, rpr_create_ept(&a, &p.rdev, nullptr, 1030, RPMSG_ADDR_ANY,
                                            remote_echo_cb, nullptr));
    EXPECT_EQ(RPMSG_ERR_ADDR, rpr_create_ept(&b, &p.rdev, nullptr, 1030, RPMSG_ADDR_ANY,
                                             remote_echo_cb, nullptr));
    EXPECT_EQ(RPMSG_ERR_ADDR, rpr_create_ept(&b, &p.rdev, nullptr, RPMSG_NS_ADDR, 1,
                                             remote_echo_cb, nullptr));
    EXPECT_EQ(RPMSG_SUCCESS, rpr_create_ept(&c, &p.rdev, nullptr, RPMSG_ADDR_ANY, 77,
                                            remote_echo_cb, nullptr));
    EXPECT_EQ(1024u, c.addr);
    /* not ready: sends fail with DEV_STATE, dest ANY with ADDR */
    EXPECT_EQ(RPMSG_ERR_ADDR, rpr_send(&a, "x", 1));
    EXPECT_EQ(RPMSG_ERR_DEV_STATE, rpr_trysend(&c, "x", 1));
    EXPECT_EQ(RPMSG_ERR_DEV_STATE, rpr_poll(&p.rdev));
    rpr_destroy_ept(&a);
    rpr_destroy_ept(&c);
    lb_fini(&p);
}

} // namespace

namespace {

/* The vring a vdev entry describes, as host pointers into the loopback DDR. */
struct vring ring_of(lb_platform &p, unsigned i)
{
    struct vring vr;
    vring_init(&vr, p.vring[i].num, p.ddr + (p.vring[i].da - LB_DDR_BASE), p.vring[i].align);
    return vr;
}

} // namespace

/* Issue 16 defect 7: a hostile host posts the remote's next TX buffer (vring 0) on top of
 * the RX buffer (vring 1) whose payload the echo application sends back. The stack used
 * to memcpy between overlapping ranges (and write the header over the payload); now it
 * gives that TX buffer back empty, counts it and sends from the next one, intact. */
TEST_F(Loopback, TxBufferOverlappingTheRxBufferIsRefused)
{
    Up(2);
    p.remote_stalled = 1;
    Send(7, 0, 0);
    struct vring rx = ring_of(p, 1), tx = ring_of(p, 0);
    uint16_t rx_head = rx.avail->ring[(uint16_t)(rx.avail->idx - 1) % rx.num];
    const uint64_t rx_addr = rx.desc[rx_head].addr;
    const uint32_t rx_len = rx.desc[rx_head].len;
    std::vector<uint8_t> before(p.ddr + (rx_addr - LB_DDR_BASE),
                                p.ddr + (rx_addr - LB_DDR_BASE) + rx_len);
    /* The remote's next TX buffer now is the RX buffer itself, 8 bytes in. */
    uint16_t tx_head = tx.avail->ring[p.rdev.svq.last_avail % tx.num];
    const uint64_t good_addr = tx.desc[tx_head].addr;
    tx.desc[tx_head].addr = rx_addr + 8;
    const uint16_t used_before = tx.used->idx;
    const uint64_t sent_before = p.rdev.stats.tx_msgs; /* the NS announcement */

    p.remote_stalled = 0;
    lb_run_remote(&p);

    EXPECT_EQ(1u, p.rdev.stats.tx_overlap);
    EXPECT_EQ(1u, p.rdev.stats.tx_bad);
    EXPECT_EQ(sent_before + 1, p.rdev.stats.tx_msgs) << "the echo went out in the next buffer";
    EXPECT_TRUE(std::equal(before.begin(), before.end(), p.ddr + (rx_addr - LB_DDR_BASE)))
        << "the RX buffer was written";
    ASSERT_EQ(used_before + 2, tx.used->idx);
    const struct vring_used_elem bad = tx.used->ring[used_before % tx.num];
    const struct vring_used_elem ok = tx.used->ring[(used_before + 1) % tx.num];
    EXPECT_EQ(tx_head, bad.id);
    EXPECT_EQ(0u, bad.len) << "given back empty";
    const uint8_t *echo = p.ddr + (tx.desc[ok.id].addr - LB_DDR_BASE) + sizeof(struct rpmsg_hdr);
    EXPECT_EQ(sizeof(struct rpmsg_hdr) + echo_size(7), ok.len);
    EXPECT_TRUE(echo_check(echo, echo_size(7), 7));
    tx.desc[tx_head].addr = good_addr;
}

/* A TX buffer on the rings themselves is refused the same way (the header write would
 * corrupt the host's descriptors). */
TEST_F(Loopback, TxBufferOnAVringIsRefused)
{
    Up(1);
    p.remote_stalled = 1;
    struct vring tx = ring_of(p, 0);
    uint16_t tx_head = tx.avail->ring[p.rdev.svq.last_avail % tx.num];
    tx.desc[tx_head].addr = p.vring[1].da; /* the descriptor table of vring 1 */
    Send(3, 0, 0);
    struct vring rx = ring_of(p, 1);
    std::vector<struct vring_desc> descs(rx.desc, rx.desc + rx.num);
    const uint64_t sent_before = p.rdev.stats.tx_msgs;
    p.remote_stalled = 0;
    lb_run_remote(&p);
    EXPECT_EQ(1u, p.rdev.stats.tx_overlap);
    EXPECT_EQ(sent_before + 1, p.rdev.stats.tx_msgs);
    EXPECT_EQ(0, memcmp(descs.data(), rx.desc, descs.size() * sizeof descs[0]))
        << "vring 1's descriptors were overwritten";
}
