/* virtio-rpmsg core: configuration checks, logging (hook, trace, default stderr logger
 * with its rate limit), statistics reset. */
#include "vrpmsg_fixture.h"

using namespace vrpmsg_test;

TEST_F(VrpmsgTest, BadConfigurationsAreRefused)
{
    rpvp_vrpmsg_config c;
    auto base = [&] {
        rpvp_vrpmsg_config_default(&c);
        c.bus = {bus_read, bus_write, bus_debug_read, bus_debug_write, this};
    };
    base();
    c.version = 3;
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(rpvp_vrpmsg_new(&c), nullptr);
    base();
    c.queue_num_max = 100;
    EXPECT_EQ(rpvp_vrpmsg_new(&c), nullptr);
    base();
    c.mbox_user = 16;
    EXPECT_EQ(rpvp_vrpmsg_new(&c), nullptr);
    base();
    c.bus.write = nullptr;
    EXPECT_EQ(rpvp_vrpmsg_new(&c), nullptr);
    std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("version must be 1 or 2"), std::string::npos);
    EXPECT_NE(err.find("bus read/write functions missing"), std::string::npos);
    base();
    rpvp_vrpmsg *ok = rpvp_vrpmsg_new(&c);
    EXPECT_NE(ok, nullptr);
    rpvp_vrpmsg_free(ok);
}

TEST_F(VrpmsgTest, TraceLogsOneLinePerRegisterAccessWithItsName)
{
    std::vector<std::string> traces;
    create(2);
    rpvp_vrpmsg_free(dev);
    cfg.trace = 1;
    cfg.log = [](void *ctx, rpvp_vrpmsg_log_level lvl, const char *msg) {
        if (lvl == RPVP_VRPMSG_LOG_TRACE)
            static_cast<std::vector<std::string> *>(ctx)->emplace_back(msg);
    };
    cfg.log_ctx = &traces;
    dev = rpvp_vrpmsg_new(&cfg);
    ASSERT_NE(dev, nullptr);
    rd(VIRTIO_MMIO_MAGIC_VALUE);
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    ASSERT_EQ(traces.size(), 2u);
    EXPECT_NE(traces[0].find("MagicValue"), std::string::npos);
    EXPECT_NE(traces[0].find("0x74726976"), std::string::npos);
    EXPECT_NE(traces[1].find("QueueSel"), std::string::npos);
}

TEST_F(VrpmsgTest, DefaultLoggerIsRateLimited)
{
    create(2);
    rpvp_vrpmsg_free(dev);
    cfg.log = nullptr;
    cfg.log_limit = 3;
    cfg.name = "vdev0";
    dev = rpvp_vrpmsg_new(&cfg);
    ASSERT_NE(dev, nullptr);
    ::testing::internal::CaptureStderr();
    for (int i = 0; i < 10; i++)
        rd(0x0f0); /* unknown register */
    std::string err = ::testing::internal::GetCapturedStderr();
    size_t lines = 0;
    for (char ch : err)
        lines += ch == '\n';
    EXPECT_EQ(lines, 3u);
    EXPECT_NE(err.find("rpvp vdev0: guest error: read of unknown register at 0x0f0"),
              std::string::npos);
    EXPECT_NE(err.find("further messages suppressed"), std::string::npos);
    EXPECT_EQ(stats().bad_offset, 10u) << "counting goes on";
}

TEST_F(VrpmsgTest, ClearStatsKeepsQueueConfiguration)
{
    create(2);
    bring_up();
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    rpvp_vrpmsg_clear_stats(dev);
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.notifies, 0u);
    EXPECT_EQ(s.queue[0].notifies, 0u);
    EXPECT_EQ(s.queue[0].num, 256u);
    EXPECT_EQ(s.queue[0].desc_addr, kDdrBase + 0x10000);
}
