/* rpvp::Router: per-initiator maps, translation, decode errors, latency, DMI, debug,
 * invalidation and counters. Driven from outside the kernel through two bridge ports. */
#include <gtest/gtest.h>
#include <systemc>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "bridge_initiator.h"
#include "core_target.h"
#include "ddr_tlm.h"
#include "router.h"
#include "scratch_dev.h"

using namespace sc_core;
using namespace rpvp;

namespace {

/* Initiator 0 ("m3") sees the scratch device at 0xAA0F4000 through its translation
 * window and the DDR's second 64 KiB at 0; initiator 1 ("host") sees the scratch device
 * at its own base 0x4A0F4000 and the whole DDR at 0x80000000. */
constexpr uint64_t kM3Scratch = 0xAA0F4000, kHostScratch = 0x4A0F4000;
constexpr uint64_t kHostDdr = 0x80000000, kDdrSize = 1 << 20;
constexpr uint64_t kM3WindowOffset = 0x10000, kM3WindowSize = 0x10000;

struct Top {
    BridgeInitiator m3{"m3"}, host{"host"};
    Router bus{"bus", 2, 2};
    SharedDdr ddr{"ddr", "rpvp-test-router-" + std::to_string(getpid()), kDdrSize};
    scratch_dev sdev{};
    CoreTarget scratch{"scratch", &scratch_dev_ops, &sdev, SC_ZERO_TIME};
    sc_signal<bool> dummy_in{"dummy_in"}, dummy_out{"dummy_out"};
    std::vector<std::pair<uint64_t, uint64_t>> inval_m3, inval_host;

    Top()
    {
        m3.isock.bind(bus.tsock[0]);
        host.isock.bind(bus.tsock[1]);
        bus.isock[0].bind(ddr.tsock);
        bus.isock[1].bind(scratch.tsock);
        scratch.irq_out[0](dummy_out);
        scratch.irq_in[0](dummy_in);
        bus.name_initiator(0, "m3");
        bus.name_initiator(1, "host");
        bus.name_target(0, "ddr");
        bus.name_target(1, "scratch");
        bus.map(0, kM3Scratch, 0x1000, 1, 0, sc_time(20, SC_NS));
        bus.map(0, 0, kM3WindowSize, 0, kM3WindowOffset, sc_time(3, SC_NS));
        bus.map(1, kHostScratch, 0x1000, 1, 0, sc_time(7, SC_NS));
        bus.map(1, kHostDdr, kDdrSize, 0, 0, SC_ZERO_TIME);
        rpvp_set_dmi_invalidate_callback(m3.port(), record, &inval_m3);
        rpvp_set_dmi_invalidate_callback(host.port(), record, &inval_host);
        sc_start(SC_ZERO_TIME);
    }
    static void record(void *v, uint64_t s, uint64_t e)
    {
        static_cast<std::vector<std::pair<uint64_t, uint64_t>> *>(v)->emplace_back(s, e);
    }
};

uint32_t rd32(rpvp_port *p, uint64_t a, rpvp_status *st = nullptr, uint64_t *d = nullptr)
{
    uint32_t v = 0xDEADBEEF;
    rpvp_status s = rpvp_read(p, a, &v, 4, d);
    if (st)
        *st = s;
    return v;
}

} // namespace

TEST(Router, SameTargetAtDifferentAddressesPerInitiator)
{
    Top t;
    uint32_t v = 0xA5A5F00D;
    ASSERT_EQ(rpvp_write(t.m3.port(), kM3Scratch + A_SCRATCH_DATA, &v, 4, nullptr), RPVP_OK);
    EXPECT_EQ(rd32(t.host.port(), kHostScratch + A_SCRATCH_DATA), v);
    EXPECT_EQ(t.sdev.data, v);
    /* The M3's low window lands 64 KiB into the DDR. */
    uint32_t w = 0x01020304;
    ASSERT_EQ(rpvp_write(t.m3.port(), 0x40, &w, 4, nullptr), RPVP_OK);
    EXPECT_EQ(rd32(t.host.port(), kHostDdr + kM3WindowOffset + 0x40), w);
}

TEST(Router, DecodeErrorsAreAddressErrors)
{
    Top t;
    rpvp_status st;
    rd32(t.host.port(), kM3Scratch, &st); /* only the M3 sees that address */
    EXPECT_EQ(st, RPVP_ADDRESS_ERROR);
    rd32(t.m3.port(), kHostScratch, &st);
    EXPECT_EQ(st, RPVP_ADDRESS_ERROR);
    /* An access straddling the end of a window is refused, not split. */
    uint64_t q = 0;
    EXPECT_EQ(rpvp_read(t.m3.port(), kM3WindowSize - 4, &q, 8, nullptr), RPVP_ADDRESS_ERROR);
    EXPECT_EQ(rpvp_read(t.m3.port(), kM3WindowSize - 8, &q, 8, nullptr), RPVP_OK);
    EXPECT_EQ(t.bus.initiator_counters(0).decode_errors, 2u);
    EXPECT_EQ(t.bus.initiator_counters(1).decode_errors, 1u);
}

TEST(Router, LatencyPerRouteIsAnnotated)
{
    Top t;
    rpvp_status st;
    uint64_t d = 0;
    rd32(t.m3.port(), kM3Scratch, &st, &d);
    EXPECT_EQ(d, 20000u);
    rd32(t.host.port(), kHostScratch, &st, &d);
    EXPECT_EQ(d, 7000u);
    const rpvp_ddr_timing &tm = t.ddr.timing();
    rd32(t.m3.port(), 0x100, &st, &d);
    EXPECT_EQ(d, 3000u + tm.read_latency_ps);
    uint8_t buf[64] = {};
    rpvp_write(t.host.port(), kHostDdr, buf, sizeof(buf), &d);
    EXPECT_EQ(d, rpvp_ddr_access_ps(&tm, 1, sizeof(buf)));
    EXPECT_EQ(d, tm.write_latency_ps + (64 / tm.beat_bytes - 1) * tm.per_beat_ps);
}

TEST(Router, DmiIsTranslatedAndClippedToTheWindow)
{
    Top t;
    rpvp_dmi dm3{}, dh{};
    ASSERT_TRUE(rpvp_get_dmi(t.m3.port(), 0x20, &dm3));
    EXPECT_EQ(dm3.start, 0u);
    EXPECT_EQ(dm3.end, kM3WindowSize - 1) << "the M3 must not see past its window";
    EXPECT_EQ(dm3.ptr, t.ddr.data() + kM3WindowOffset);
    EXPECT_EQ(dm3.read_latency_ps, t.ddr.timing().read_latency_ps + 3000);
    ASSERT_TRUE(rpvp_get_dmi(t.host.port(), kHostDdr + 5, &dh));
    EXPECT_EQ(dh.start, kHostDdr);
    EXPECT_EQ(dh.end, kHostDdr + kDdrSize - 1);
    EXPECT_EQ(dh.ptr, t.ddr.data());
    /* The scratch device grants no DMI. */
    rpvp_dmi none{};
    EXPECT_FALSE(rpvp_get_dmi(t.m3.port(), kM3Scratch, &none));
    EXPECT_FALSE(rpvp_get_dmi(t.host.port(), 0x1234, &none)) << "nothing decodes there";

    /* Invalidation of the whole DDR reaches each initiator in its own addresses. */
    t.ddr.invalidate_dmi();
    ASSERT_EQ(t.inval_m3.size(), 1u);
    EXPECT_EQ(t.inval_m3[0].first, 0u);
    EXPECT_EQ(t.inval_m3[0].second, kM3WindowSize - 1);
    ASSERT_EQ(t.inval_host.size(), 1u);
    EXPECT_EQ(t.inval_host[0].first, kHostDdr);
    EXPECT_EQ(t.inval_host[0].second, kHostDdr + kDdrSize - 1);
}

TEST(Router, DebugTransportTranslatesAndClips)
{
    Top t;
    const char msg[] = "debug through the router";
    ASSERT_EQ(rpvp_debug_write(t.host.port(), kHostDdr + kM3WindowOffset + 0x80, msg,
                               sizeof(msg)),
              sizeof(msg));
    char back[sizeof(msg)] = {};
    EXPECT_EQ(rpvp_debug_read(t.m3.port(), 0x80, back, sizeof(back)), sizeof(msg));
    EXPECT_STREQ(back, msg);
    /* A debug read crossing the end of the M3's window is cut at the window's end. */
    char big[32];
    EXPECT_EQ(rpvp_debug_read(t.m3.port(), kM3WindowSize - 8, big, sizeof(big)), 8u);
    EXPECT_EQ(rpvp_debug_read(t.m3.port(), 0x0F000000, big, 4), 0u);
    EXPECT_EQ(sc_time_stamp(), SC_ZERO_TIME) << "debug accesses take no time";
}

TEST(Router, CountersPerInitiatorAndTarget)
{
    Top t;
    uint8_t b[16] = {};
    rpvp_write(t.m3.port(), 0x0, b, 16, nullptr);
    rpvp_read(t.m3.port(), 0x0, b, 8, nullptr);
    rpvp_read(t.host.port(), kHostScratch, b, 4, nullptr);
    rpvp_read(t.host.port(), kHostScratch + 0x800, b, 4, nullptr); /* core: unmapped */
    const auto &m3 = t.bus.initiator_counters(0), &host = t.bus.initiator_counters(1);
    EXPECT_EQ(m3.writes, 1u);
    EXPECT_EQ(m3.write_bytes, 16u);
    EXPECT_EQ(m3.reads, 1u);
    EXPECT_EQ(m3.read_bytes, 8u);
    EXPECT_EQ(host.reads, 2u);
    EXPECT_EQ(host.target_errors, 1u);
    EXPECT_EQ(t.bus.target_counters(0).writes, 1u);
    EXPECT_EQ(t.bus.target_counters(1).reads, 2u);
    EXPECT_NE(t.bus.report().find("host: reads 2"), std::string::npos) << t.bus.report();
}

TEST(Router, BadMapsAreRefusedWithAReason)
{
    Router r("r", 1, 1);
    r.map(0, 0x1000, 0x1000, 0);
    EXPECT_THROW(r.map(0, 0x1800, 0x1000, 0), std::invalid_argument);
    EXPECT_THROW(r.map(0, 0x0, 0x1001, 0), std::invalid_argument);
    EXPECT_THROW(r.map(1, 0x0, 0x10, 0), std::invalid_argument);
    EXPECT_THROW(r.map(0, 0x0, 0x10, 5), std::invalid_argument);
    EXPECT_THROW(r.map(0, 0x10000, 0, 0), std::invalid_argument);
    EXPECT_THROW(r.map(0, ~0ull - 4, 0x10, 0), std::invalid_argument);
    try {
        r.map(0, 0x1800, 0x1000, 0);
    } catch (const std::invalid_argument &e) {
        EXPECT_NE(std::string(e.what()).find("overlaps"), std::string::npos) << e.what();
    }
    r.map(0, 0x2000, 0x1000, 0); /* adjacent is fine */
}

TEST(Router, ReplaceLatencyStandsForAnIdealCache)
{
    BridgeInitiator cpu("cpu");
    Router bus("bus", 1, 1);
    SharedDdr ddr("ddr", "rpvp-test-router-cache-" + std::to_string(getpid()), 1 << 16);
    cpu.isock.bind(bus.tsock[0]);
    bus.isock[0].bind(ddr.tsock);
    bus.map(0, 0x0, 0x8000, 0, 0, sc_time(2, SC_NS), Router::Latency::replace);
    bus.map(0, 0x10000, 0x8000, 0, 0x8000, sc_time(2, SC_NS));
    sc_start(SC_ZERO_TIME);
    uint32_t v = 0;
    uint64_t d = 0;
    rpvp_read(cpu.port(), 0x100, &v, 4, &d);
    EXPECT_EQ(d, 2000u) << "cached window: the route latency only";
    rpvp_read(cpu.port(), 0x10100, &v, 4, &d);
    EXPECT_EQ(d, 2000u + ddr.timing().read_latency_ps) << "uncached window: hop + DDR";
    rpvp_dmi dmi{};
    ASSERT_TRUE(rpvp_get_dmi(cpu.port(), 0x40, &dmi));
    EXPECT_EQ(dmi.read_latency_ps, 2000u);
    EXPECT_EQ(dmi.write_latency_ps, 2000u);
}
