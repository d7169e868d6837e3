/* The reference firmware on the Cortex-M3 ISS inside the omap4-amp platform: it loads
 * through the M3's address map, boots from its vector table, idles in WFI (time
 * advances without spinning), and a bad firmware file is refused with the reason. */
#include <gtest/gtest.h>
#include <systemc>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include "amp_system.h"

using namespace sc_core;
using namespace rpvp;

namespace {
AmpSystemConfig config(const std::string &fw)
{
    AmpSystemConfig c;
    c.soc.ddr_file = "rpvp-test-amp-" + std::to_string(getpid());
    c.firmware = fw;
    return c;
}
} // namespace

TEST(AmpSystem, FirmwareBootsOnTheIssAndIdlesInWfi)
{
    AmpSystem sys("sys", config(RPVP_FIRMWARE_ELF));
    EXPECT_GT(sys.firmware_info().num_segments, 0u);
    EXPECT_NE(rpvp_vrpmsg_vdev_addr(sys.soc().vdev_core()), 0u)
        << "the device found the firmware's RSC_VDEV entry";
    sc_start(sc_time(2, SC_MS));
    cm3_stats st;
    cm3_get_stats(sys.m3().core(), &st);
    EXPECT_FALSE(sys.m3().finished()) << cm3_last_error(sys.m3().core());
    EXPECT_GT(st.insns, 100u) << "the firmware ran";
    EXPECT_GT(st.sleep_cycles, 0u) << "an idle firmware sleeps in WFI";
    EXPECT_EQ(st.cycles + st.sleep_cycles, cm3_time_cycles(sys.m3().core()));
    /* 2 ms at 200 MHz = 400,000 cycles. A running core is at most one quantum (200
     * cycles) ahead of SystemC; a sleeping one (WFI, one wait up to its next event)
     * accounts its sleep when it wakes, so it may be behind by up to one SysTick period
     * of the firmware (1 ms = 200,000 cycles), never more. */
    const uint64_t t = st.cycles + st.sleep_cycles;
    EXPECT_LE(t, 400000u + 200u);
    EXPECT_GE(t, 400000u - 200000u);
    EXPECT_EQ(sc_time_stamp(), sc_time(2, SC_MS));
    std::printf("%s", sys.report().c_str());
}

TEST(AmpSystem, BadFirmwareIsRefusedWithTheReason)
{
    char path[] = "/tmp/rpvp-notelf-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, "this is not an ELF file at all", 30), 30);
    close(fd);
    try {
        AmpSystem sys("sys", config(path));
        FAIL() << "a text file was accepted as firmware";
    } catch (const std::runtime_error &e) {
        EXPECT_NE(std::string(e.what()).find("firmware refused"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    unlink(path);
}
