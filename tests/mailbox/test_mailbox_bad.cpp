/* OMAP4 mailbox C core: bad guest accesses are answered, counted and logged; none
 * changes state or crashes. */
#include "mbox_core_fixture.h"

#include <cstring>

namespace {

TEST_F(MboxCore, NarrowAndWideAccessesAreBusErrorsWithoutSideEffects)
{
    const rpvp_device_ops *ops = rpvp_mbox_ops(mb);
    wr(RPVP_MBOX_MESSAGE(0), 0xA5A5A5A5u);
    uint64_t d = 0;
    uint8_t buf[8] = {};
    for (unsigned len : {1u, 2u, 8u}) {
        /* A narrow read of MESSAGE must not pop the FIFO. */
        EXPECT_EQ(ops->read(mb, RPVP_MBOX_MESSAGE(0), buf, len, &d), RPVP_GENERIC_ERROR);
        EXPECT_EQ(ops->write(mb, RPVP_MBOX_MESSAGE(0), buf, len, &d), RPVP_GENERIC_ERROR);
    }
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(0)), 1u);
    /* Misaligned 32-bit access. */
    uint32_t v = 1;
    EXPECT_EQ(ops->write(mb, RPVP_MBOX_IRQENABLE_SET(0) + 1, &v, 4, &d), RPVP_GENERIC_ERROR);
    EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_SET(0)), 0u);
    EXPECT_EQ(rd(RPVP_MBOX_MESSAGE(0)), 0xA5A5A5A5u);
    rpvp_mbox_stats s = stats();
    EXPECT_EQ(s.bad_width, 7u);
    EXPECT_EQ(s.guest_errors, 7u);
    EXPECT_EQ(log_lines.size(), 7u);
    EXPECT_NE(log_lines[0].find("32-bit"), std::string::npos) << log_lines[0];
}

TEST_F(MboxCore, UnmappedOffsetsReadZeroIgnoreWrites)
{
    /* Holes in the map, a FIFO and a user that this instance does not have. */
    const uint32_t holes[] = {0x004, 0x00C, 0x014, 0x03C, RPVP_MBOX_MESSAGE(8),
                              RPVP_MBOX_FIFOSTATUS(15), RPVP_MBOX_MSGSTATUS(8),
                              RPVP_MBOX_IRQSTATUS_RAW(3), RPVP_MBOX_IRQENABLE_CLR(15)};
    for (uint32_t off : holes) {
        EXPECT_EQ(rpvp_mbox_write32(mb, off, 0xFFFFFFFFu), RPVP_OK) << std::hex << off;
        EXPECT_EQ(rd(off), 0u) << std::hex << off;
    }
    rpvp_mbox_stats s = stats();
    EXPECT_EQ(s.bad_offset, 2u * (sizeof holes / sizeof holes[0]));
    EXPECT_EQ(s.reads, 0u);
    EXPECT_EQ(s.writes, 0u);
    /* Nothing changed. */
    for (unsigned u = 0; u < 3; u++) {
        EXPECT_EQ(rd(RPVP_MBOX_IRQENABLE_SET(u)), 0u);
        EXPECT_EQ(rd(RPVP_MBOX_IRQSTATUS_RAW(u)), 0xAAAAu);
    }
    EXPECT_EQ(rd(RPVP_MBOX_SYSCONFIG), 0x8u);
}

TEST_F(MboxCore, OutsideWindowIsAddressError)
{
    const rpvp_device_ops *ops = rpvp_mbox_ops(mb);
    uint32_t v = 0;
    uint64_t d = 0;
    EXPECT_EQ(ops->read(mb, RPVP_MBOX_WINDOW_SIZE, &v, 4, &d), RPVP_ADDRESS_ERROR);
    EXPECT_EQ(ops->write(mb, 0x1000, &v, 4, &d), RPVP_ADDRESS_ERROR);
    EXPECT_EQ(ops->read(mb, UINT64_MAX - 1, &v, 4, &d), RPVP_ADDRESS_ERROR);
    EXPECT_EQ(stats().bad_offset, 3u);
}

TEST_F(MboxCore, WritesToReadOnlyRegistersAreIgnored)
{
    wr(RPVP_MBOX_MESSAGE(1), 5);
    wr(RPVP_MBOX_REVISION, 0x12345678u);
    wr(RPVP_MBOX_FIFOSTATUS(1), 1);
    wr(RPVP_MBOX_MSGSTATUS(1), 4);
    EXPECT_EQ(rd(RPVP_MBOX_REVISION), 0x400u);
    EXPECT_EQ(rd(RPVP_MBOX_FIFOSTATUS(1)), 0u);
    EXPECT_EQ(rd(RPVP_MBOX_MSGSTATUS(1)), 1u);
    EXPECT_EQ(stats().ro_writes, 3u);
    ASSERT_EQ(log_lines.size(), 3u);
    EXPECT_NE(log_lines[0].find("read-only REVISION"), std::string::npos) << log_lines[0];
    EXPECT_NE(log_lines[1].find("FIFOSTATUS(1)"), std::string::npos) << log_lines[1];
}

TEST_F(MboxCore, ReservedIdleModeIsLoggedAndStored)
{
    wr(RPVP_MBOX_SYSCONFIG, 3u << 2);
    EXPECT_EQ(rd(RPVP_MBOX_SYSCONFIG), 0xCu);
    EXPECT_EQ(stats().guest_errors, 1u);
}

TEST(MboxDefaultLog, StderrIsRateLimited)
{
    rpvp_mbox_config cfg;
    rpvp_mbox_config_default(&cfg);
    cfg.name = "mbx";
    cfg.log_limit = 3;
    rpvp_mbox *mb = rpvp_mbox_new(&cfg);
    ASSERT_NE(mb, nullptr);
    testing::internal::CaptureStderr();
    for (int k = 0; k < 50; k++)
        rpvp_mbox_write32(mb, 0x004, 0);
    std::string err = testing::internal::GetCapturedStderr();
    size_t lines = 0;
    for (char c : err)
        lines += c == '\n';
    EXPECT_EQ(lines, 4u) << err; /* three errors and one "not shown" notice */
    EXPECT_NE(err.find("rpvp: mbx: write 0x00000000 to unmapped offset 0x004"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("not shown"), std::string::npos) << err;
    rpvp_mbox_stats s;
    rpvp_mbox_get_stats(mb, &s);
    EXPECT_EQ(s.guest_errors, 50u) << "all counted even when not printed";
    rpvp_mbox_free(mb);
}

TEST(MboxTrace, OneLinePerAccessWithRegisterName)
{
    std::vector<std::string> lines;
    rpvp_mbox_config cfg;
    rpvp_mbox_config_default(&cfg);
    cfg.trace = 1;
    cfg.log_ctx = &lines;
    cfg.log = [](void *ctx, rpvp_mbox_log_level lvl, const char *msg) {
        if (lvl == RPVP_MBOX_LOG_TRACE)
            static_cast<std::vector<std::string> *>(ctx)->emplace_back(msg);
    };
    rpvp_mbox *mb = rpvp_mbox_new(&cfg);
    ASSERT_NE(mb, nullptr);
    rpvp_mbox_write32(mb, RPVP_MBOX_MESSAGE(1), 0x42);
    rpvp_mbox_read32(mb, RPVP_MBOX_MESSAGE(1));
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "write 0x044 MESSAGE(1) = 0x00000042");
    EXPECT_EQ(lines[1], "read  0x044 MESSAGE(1) = 0x00000042");
    rpvp_mbox_free(mb);
}

} // namespace
