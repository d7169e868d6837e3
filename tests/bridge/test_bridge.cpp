/* Bridge ABI end to end: a plain-C initiator through rpvp::BridgeInitiator, the router,
 * the shared DDR and a C device core behind rpvp::CoreTarget. */
#include <gtest/gtest.h>
#include <systemc>
#include <unistd.h>

#include <string>

#include "bridge_initiator.h"
#include "c_initiator.h"
#include "core_target.h"
#include "ddr_tlm.h"
#include "router.h"
#include "scratch_dev.h"

using namespace sc_core;
using rpvp::BridgeInitiator;
using rpvp::CoreTarget;
using rpvp::Router;
using rpvp::SharedDdr;

namespace {

constexpr uint64_t kDdrBase = 0x80000000, kDdrSize = 1 << 20;
constexpr uint64_t kScratchBase = 0x10000000;

std::string shm_name()
{
    return "rpvp-test-bridge-" + std::to_string(getpid());
}

struct Top {
    BridgeInitiator ini{"ini", 1, sc_time(1, SC_US)};
    Router bus{"bus", 1, 2};
    SharedDdr ddr{"ddr", shm_name(), kDdrSize};
    scratch_dev sdev{};
    CoreTarget scratch{"scratch", &scratch_dev_ops, &sdev, sc_time(10, SC_NS)};
    sc_signal<bool> irq_line{"irq_line"};

    Top()
    {
        ini.isock.bind(bus.tsock[0]);
        bus.isock[0].bind(ddr.tsock);
        bus.isock[1].bind(scratch.tsock);
        bus.map(0, kDdrBase, kDdrSize, 0, 0, sc_time(5, SC_NS));
        bus.map(0, kScratchBase, 0x100, 1, 0, sc_time(2, SC_NS));
        scratch.irq_out[0](irq_line);
        ini.irq[0](irq_line);
        scratch.irq_in[0](irq_line);
    }
};

} // namespace

TEST(BridgeAbi, PlainCInitiatorReadsWritesDmiDebugAndTime)
{
    Top top;
    c_initiator_ctx ctx{};
    ctx.cfg = {kDdrBase, kScratchBase, 0x20000000};
    top.ini.spawn(c_initiator_run, &ctx);
    sc_start();
    const c_initiator_result &r = ctx.res;

    EXPECT_TRUE(r.widths_ok) << "widths 1..64 must read back byte-exact";
    EXPECT_EQ(r.hole_read, RPVP_ADDRESS_ERROR);
    EXPECT_EQ(r.hole_write, RPVP_ADDRESS_ERROR);
    EXPECT_EQ(r.scratch_id, SCRATCH_ID_VALUE);
    EXPECT_EQ(r.scratch_data, 0x12345678u);
    EXPECT_EQ(r.scratch_bad_width, RPVP_GENERIC_ERROR);
    /* 10 ns device latency + 2 ns route latency */
    EXPECT_EQ(r.scratch_delay_ps, 12000u);

    ASSERT_TRUE(r.dmi_granted);
    EXPECT_EQ(r.dmi.start, kDdrBase);
    EXPECT_EQ(r.dmi.end, kDdrBase + kDdrSize - 1);
    EXPECT_TRUE(r.dmi.read_allowed && r.dmi.write_allowed);
    EXPECT_EQ(r.dmi.read_latency_ps, top.ddr.timing().read_latency_ps + 5000);
    EXPECT_TRUE(r.dmi_write_seen_by_tlm);
    EXPECT_EQ(r.debug_bytes, 8u);
    EXPECT_TRUE(r.debug_ok);

    EXPECT_EQ(r.time_after - r.time_before, 5000000u) << "1000 x 5 ns of advance";
    EXPECT_TRUE(r.woke_by_irq);
    EXPECT_EQ(r.irq_edges_seen, 2);
    EXPECT_EQ(top.sdev.edges, 2u) << "irq_in of the core sees both edges";

    rpvp_port_stats st;
    rpvp_port_get_stats(top.ini.port(), &st);
    EXPECT_GE(st.syncs, 5u) << "5 us of work with a 1 us quantum syncs at least 5 times";
    EXPECT_EQ(st.errors, 3u) << "two hole accesses and one bad width";
    EXPECT_EQ(st.dmi_grants, 1u);

    EXPECT_FALSE(r.dmi_invalidated);
    top.ddr.invalidate_dmi();
    EXPECT_TRUE(ctx.res.dmi_invalidated) << "invalidation reaches the C callback";
}

TEST(BridgeAbi, InterruptEdgeAppearsAtAnnotatedTime)
{
    Top top;
    struct Ctx {
        uint64_t write_done_at = 0, edge_at = 0;
    } ctx;
    top.ini.spawn(
        [](rpvp_port *p, void *c) {
            auto *x = static_cast<Ctx *>(c);
            rpvp_set_irq_callback(
                p, [](void *cc, unsigned, int level) {
                    if (level)
                        static_cast<Ctx *>(cc)->edge_at = rpvp_sim_time_ps();
                },
                c);
            rpvp_port_advance(p, 100000); /* 100 ns of local time, not yet synced */
            uint32_t one = 1;
            rpvp_write(p, kScratchBase + A_SCRATCH_IRQ, &one, 4, nullptr);
            x->write_done_at = rpvp_port_now(p);
            rpvp_port_wait_irq(p, 1000000);
        },
        &ctx);
    sc_start();
    /* The edge is raised at the end of the access as the initiator sees it: 100 ns of
     * local time plus the 12 ns of the access, although SystemC was at 0 when the
     * access was made. */
    EXPECT_EQ(ctx.write_done_at, 112000u);
    EXPECT_EQ(ctx.edge_at, 112000u);
}

TEST(BridgeAbi, DrivenFromOutsideTheKernelSyncRunsSimulation)
{
    /* QEMU-style use: the caller owns the thread and advances SystemC itself. */
    Top top;
    sc_start(SC_ZERO_TIME); /* elaborate */
    rpvp_port *p = top.ini.port();
    rpvp_port_set_quantum(p, 50000);
    uint32_t v = 0xCAFE;
    EXPECT_EQ(rpvp_write(p, kScratchBase + A_SCRATCH_DATA, &v, 4, nullptr), RPVP_OK);
    EXPECT_EQ(rpvp_port_local_offset(p), 12000u);
    EXPECT_EQ(rpvp_sim_time_ps(), 0u) << "below the quantum: no sync yet";
    rpvp_port_advance(p, 40000); /* crosses the 50 ns quantum -> sc_start */
    EXPECT_EQ(rpvp_sim_time_ps(), 52000u);
    EXPECT_EQ(rpvp_port_local_offset(p), 0u);

    /* The device raises its line; waiting from outside runs the kernel to the edge. */
    v = 1;
    rpvp_write(p, kScratchBase + A_SCRATCH_IRQ, &v, 4, nullptr);
    EXPECT_EQ(rpvp_port_wait_irq(p, 1000000), 1);
    EXPECT_EQ(rpvp_port_irq_level(p, 0), 1);
    EXPECT_EQ(rpvp_sim_time_ps(), 64000u) << "stopped exactly at the edge";
    /* Nothing will ever raise it again: a bounded wait returns 0 after max_ps. */
    EXPECT_EQ(rpvp_port_wait_irq(p, 200000), 0);
    EXPECT_EQ(rpvp_sim_time_ps(), 264000u);
}

TEST(CoreTarget, RefusesByteEnablesBurstsAndPassesCoreStatus)
{
    Top top;
    sc_start(SC_ZERO_TIME);
    tlm::tlm_generic_payload tx;
    uint32_t v = 0;
    unsigned char be[4] = {0xff, 0, 0xff, 0};
    sc_time d = SC_ZERO_TIME;
    tx.set_command(tlm::TLM_READ_COMMAND);
    tx.set_address(A_SCRATCH_DATA);
    tx.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
    tx.set_data_length(4);
    tx.set_streaming_width(4);
    tx.set_byte_enable_ptr(be);
    tx.set_byte_enable_length(4);
    top.bus.isock[1]->b_transport(tx, d);
    EXPECT_EQ(tx.get_response_status(), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    tx.set_byte_enable_ptr(nullptr);
    tx.set_streaming_width(2);
    top.bus.isock[1]->b_transport(tx, d);
    EXPECT_EQ(tx.get_response_status(), tlm::TLM_BURST_ERROR_RESPONSE);
    tx.set_streaming_width(4);
    tx.set_address(0x40); /* the core says: not mapped */
    top.bus.isock[1]->b_transport(tx, d);
    EXPECT_EQ(tx.get_response_status(), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    tx.set_command(tlm::TLM_WRITE_COMMAND);
    tx.set_address(A_SCRATCH_ID); /* read-only: the core's generic error */
    top.bus.isock[1]->b_transport(tx, d);
    EXPECT_EQ(tx.get_response_status(), tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(top.scratch.errors(), 4u);

    /* Debug reads go through the side-effect-free reader; debug writes are refused. */
    tx.set_command(tlm::TLM_READ_COMMAND);
    tx.set_address(A_SCRATCH_ID);
    EXPECT_EQ(top.bus.isock[1]->transport_dbg(tx), 4u);
    EXPECT_EQ(v, SCRATCH_ID_VALUE);
    tx.set_command(tlm::TLM_WRITE_COMMAND);
    tx.set_address(A_SCRATCH_DATA);
    EXPECT_EQ(top.bus.isock[1]->transport_dbg(tx), 0u);
}

TEST(CoreTarget, DecoupledInitiatorsCannotLeaveTheLineDisagreeingWithTheCore)
{
    /* Initiator "ahead" runs 900 ns ahead of SystemC and lowers the line; then
     * "behind", only 100 ns ahead, raises it again. In execution order the core's last
     * word is "high", so the line must end high even though that write carries the
     * earlier time stamp (a lost interrupt otherwise). */
    BridgeInitiator ahead("ahead"), behind("behind");
    Router bus("bus", 2, 1);
    scratch_dev sdev{};
    CoreTarget scratch("scratch", &scratch_dev_ops, &sdev, SC_ZERO_TIME);
    sc_signal<bool> line("line"), in("in");
    ahead.isock.bind(bus.tsock[0]);
    behind.isock.bind(bus.tsock[1]);
    bus.isock[0].bind(scratch.tsock);
    bus.map_all(0, 0x100, 0);
    scratch.irq_out[0](line);
    scratch.irq_in[0](in);
    sc_start(SC_ZERO_TIME);
    uint32_t one = 1, zero = 0;
    rpvp_write(ahead.port(), A_SCRATCH_IRQ, &one, 4, nullptr); /* high at 0 */
    sc_start(sc_time(10, SC_NS));
    ASSERT_TRUE(line.read());
    rpvp_port_set_auto_sync(ahead.port(), 0);
    rpvp_port_set_auto_sync(behind.port(), 0);
    rpvp_port_set_local_offset(ahead.port(), 900000);
    rpvp_write(ahead.port(), A_SCRATCH_IRQ, &zero, 4, nullptr);
    rpvp_port_set_local_offset(behind.port(), 100000);
    rpvp_write(behind.port(), A_SCRATCH_IRQ, &one, 4, nullptr);
    sc_start(sc_time(2, SC_US));
    EXPECT_EQ(sdev.irq, 1u);
    EXPECT_TRUE(line.read()) << "the line must follow the core's last state";
}

TEST(CoreTarget, ALowAndAHighAtTheSameInstantAreBothSeen)
{
    /* The line is high; the core lowers and raises it again at the same simulated time
     * (e.g. a FIFO drained and refilled by two decoupled initiators). A listener that
     * reacts to rising edges must see a new one. */
    BridgeInitiator cpu("cpu", 1);
    scratch_dev sdev{};
    CoreTarget scratch("scratch", &scratch_dev_ops, &sdev, SC_ZERO_TIME);
    sc_signal<bool> line("line"), in("in");
    cpu.isock.bind(scratch.tsock);
    scratch.irq_out[0](line);
    scratch.irq_in[0](in);
    cpu.irq[0](line);
    int rises = 0;
    rpvp_set_irq_callback(
        cpu.port(), [](void *c, unsigned, int level) { *static_cast<int *>(c) += level; },
        &rises);
    sc_start(SC_ZERO_TIME);
    uint32_t one = 1, zero = 0;
    rpvp_port_set_auto_sync(cpu.port(), 0);
    rpvp_write(cpu.port(), A_SCRATCH_IRQ, &one, 4, nullptr);
    sc_start(sc_time(10, SC_NS));
    ASSERT_EQ(rises, 1);
    rpvp_port_set_local_offset(cpu.port(), 5000);
    rpvp_write(cpu.port(), A_SCRATCH_IRQ, &zero, 4, nullptr);
    rpvp_port_set_local_offset(cpu.port(), 5000);
    rpvp_write(cpu.port(), A_SCRATCH_IRQ, &one, 4, nullptr);
    sc_start(sc_time(100, SC_NS));
    EXPECT_EQ(rises, 2) << "the second rising edge must reach the listener";
    EXPECT_TRUE(line.read());
}
