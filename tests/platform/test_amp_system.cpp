/* The reference firmware on the Cortex-M3 ISS inside the omap4-amp platform: it loads
 * through the M3's address map, boots from its vector table, idles in WFI (time
 * advances without spinning), and a bad firmware file is refused with the reason. */
#include <gtest/gtest.h>
#include <systemc>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>
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

/* The remoteproc route: the M3 waits for Linux. It starts at the reset vector of the
 * image that was written into the carveout behind the bus (as Linux's ELF loader does)
 * when HOLDBOOT goes 0->1, a later HOLDBOOT 0 does not stop it, a reset pulse stops and
 * holds it, and the next release runs the NEW image at the same addresses (decoded
 * code dropped). Driven from a host thread exactly as stm32_rproc drives the blocks. */
namespace {

struct RprocScript {
    AmpSystem *sys;
    std::vector<std::string> failures;
    void expect(bool ok, const std::string &what)
    {
        if (!ok)
            failures.push_back(what);
    }
};

/* Vector table (SP, PC) and "movs r0, #imm; b ." at 0x100: what an image leaves in r0. */
void place_image(AmpSystem &sys, uint8_t imm)
{
    const rpvp_remote_desc &m3 = sys.soc().config().desc.remote[0];
    uint8_t *cv = sys.soc().ddr.data() + (m3.win[0].pa - sys.soc().config().desc.ddr_pa);
    const uint32_t vt[2] = {0x1000, 0x101};
    std::memcpy(cv, vt, sizeof(vt));
    const uint16_t code[2] = {static_cast<uint16_t>(0x2000 | imm), 0xe7fe};
    std::memcpy(cv + 0x100, code, sizeof(code));
}

void host_wait(rpvp_port *p, uint64_t us)
{
    rpvp_port_advance(p, us * 1000000ull);
    rpvp_port_sync(p);
}

void write32(rpvp_port *p, uint64_t addr, uint32_t v)
{
    rpvp_write(p, addr, &v, 4, nullptr);
    rpvp_port_sync(p);
}

void rproc_script(rpvp_port *p, void *ctx)
{
    auto *s = static_cast<RprocScript *>(ctx);
    AmpSystem &sys = *s->sys;
    const rpvp_platform_desc &d = sys.soc().config().desc;
    const uint64_t holdboot = d.syscon.base + RPVP_SYSCON_HOLDBOOT;
    cm3_stats st;

    host_wait(p, 200);
    cm3_get_stats(sys.m3().core(), &st);
    s->expect(st.insns == 0 && sys.m3().boots() == 0 && sys.m3().held(),
              "the M3 runs nothing before Linux releases it");
    uint32_t tz = 1;
    rpvp_read(p, d.syscon.base + RPVP_SYSCON_TZEN, &tz, 4, nullptr);
    s->expect(tz == 0, "TZEN reads 0");

    const rpvp_remote_desc &m3 = d.remote[0];
    const uint8_t *cv = sys.soc().ddr.data() + (m3.win[0].pa - d.ddr_pa);
    s->expect(cv[0] == 0 && cv[4] == 0, "rpvp wrote nothing into the carveout");
    place_image(sys, 42);
    write32(p, holdboot, 1); /* stm32_rproc_start: release ... */
    host_wait(p, 1);
    write32(p, holdboot, 0); /* ... then 0, which must not stop it */
    host_wait(p, 100);
    s->expect(sys.m3().boots() == 1 && !sys.m3().held(), "one boot after the release");
    s->expect(cm3_get_reg(sys.m3().core(), 0) == 42, "the loaded image ran (r0 = 42)");

    write32(p, d.reset.base + RPVP_RESET_REG, RPVP_RESET_M3); /* stm32_rproc_stop */
    host_wait(p, 10);
    s->expect(sys.m3().held() && sys.m3().resets() == 1, "a reset pulse holds the M3");
    cm3_get_stats(sys.m3().core(), &st);
    const uint64_t insns = st.insns;
    host_wait(p, 100);
    cm3_get_stats(sys.m3().core(), &st);
    s->expect(st.insns == insns, "a held M3 executes nothing");
    s->expect(sys.m3().holds() == 1 && sys.m3().insns_while_held() == 0 &&
                  sys.m3().held_ps() >= 100000000ull,
              "the hold is counted: once, at least the 100 us waited, no instruction");

    place_image(sys, 7); /* same addresses, other code: a restart reloads */
    write32(p, holdboot, 1);
    write32(p, holdboot, 0);
    host_wait(p, 100);
    s->expect(sys.m3().boots() == 2, "second boot");
    const uint64_t held = sys.m3().held_ps();
    host_wait(p, 10);
    s->expect(sys.m3().held_ps() == held && sys.m3().holds() == 1,
              "released: the held time no longer grows");
    s->expect(cm3_get_reg(sys.m3().core(), 0) == 7, "the NEW image ran (r0 = 7), not stale code");
    sc_stop();
}

} // namespace

TEST(AmpSystem, RemoteprocRouteLinuxReleasesResetsAndRestartsTheM3)
{
    AmpSystemConfig c = config(RPVP_FIRMWARE_ELF);
    rpvp_platform_desc_init(&c.soc.desc, RPVP_ROUTE_REMOTEPROC, 0);
    AmpSystem sys("sys", c);
    EXPECT_EQ(0u, sys.firmware_info().num_segments) << "Linux loads the image, not rpvp";
    RprocScript s{&sys, {}};
    sys.soc().host.spawn(rproc_script, &s);
    sc_start(sc_time(10, SC_MS));
    for (const auto &f : s.failures)
        ADD_FAILURE() << f;
    EXPECT_LT(sc_time_stamp(), sc_time(10, SC_MS)) << "the script ran to its end";
    std::printf("%s", sys.report().c_str());
}
