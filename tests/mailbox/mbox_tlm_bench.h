/* Test bench for rpvp::OmapMailbox through TLM: one initiator that plays every CPU,
 * the same socket whichever model is behind it (MboxTlm is parameterised over tlm, rtl
 * and both; the RTL's clock is chosen so that an access takes the same time),
 * the per-user interrupt signals, and replays of the two drivers' register sequences:
 *   LinuxOmapMbox — drivers/mailbox/omap-mailbox.c ("ti,omap4-mailbox", intr_type 1),
 *                   one sub-mailbox with tx FIFO 0 / rx FIFO 1 on user 0 (OMAP4 "mbox_ipu")
 *   DucatiFw      — the remote side as TI's Ducati (SYS/BIOS IPC) firmware drives it from
 *                   user 2: NEWMSG of host->M3 FIFO 0 enabled, busy-wait send on FIFO 1.
 * Every access is one b_transport; the caller's thread then waits the annotated latency
 * (plus one delta, so interrupt edges caused by the access are visible). */
#ifndef RPVP_TEST_MBOX_TLM_BENCH_H
#define RPVP_TEST_MBOX_TLM_BENCH_H

#include <gtest/gtest.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <vector>

#include "omap_mailbox_tlm.h"

namespace mbt {

using sc_core::sc_time;
using sc_core::SC_NS;

/* Thrown in the bench's thread by the access after stop(): unwinds the drivers' state. */
struct Stopped {};
inline bool &stop_requested()
{
    static bool s;
    return s;
}
/* End the run from inside an access (a divergence handler): sc_stop, and the access that
 * is being made returns by throwing Stopped, which run() catches. The thread so ends
 * instead of staying suspended in its next wait with the drivers' objects alive on its
 * stack (their heap memory would leak: LeakSanitizer reported it). */
inline void stop()
{
    stop_requested() = true;
    sc_core::sc_stop();
}

struct Bus : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Bus> isock;
    tlm::tlm_response_status last = tlm::TLM_INCOMPLETE_RESPONSE;
    sc_time last_delay;

    explicit Bus(sc_core::sc_module_name n) : sc_module(n), isock("isock") {}

    tlm::tlm_response_status access(tlm::tlm_command cmd, uint32_t off, void *data,
                                    unsigned len, bool wait_delay = true)
    {
        tlm::tlm_generic_payload tx;
        tx.set_command(cmd);
        tx.set_address(off);
        tx.set_data_ptr(static_cast<unsigned char *>(data));
        tx.set_data_length(len);
        tx.set_streaming_width(len);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time d = sc_core::SC_ZERO_TIME;
        isock->b_transport(tx, d);
        if (stop_requested())
            throw Stopped{};
        last = tx.get_response_status();
        last_delay = d;
        if (wait_delay) {
            wait(d);
            wait(sc_core::SC_ZERO_TIME); /* let the CoreTarget's edge reach the signal */
        }
        return last;
    }
    uint32_t rd(uint32_t off)
    {
        uint32_t v = 0xBADBADu;
        EXPECT_EQ(access(tlm::TLM_READ_COMMAND, off, &v, 4), tlm::TLM_OK_RESPONSE)
            << std::hex << off;
        return v;
    }
    void wr(uint32_t off, uint32_t v)
    {
        EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, off, &v, 4), tlm::TLM_OK_RESPONSE)
            << std::hex << off;
    }
};

/* The model the next Bench gets (set by parameterised fixtures). */
inline rpvp::MailboxOptions &bench_options()
{
    static rpvp::MailboxOptions o;
    return o;
}

struct Bench {
    rpvp::OmapMailbox mbox;
    Bus bus;
    sc_core::sc_vector<sc_core::sc_signal<bool>> irq;

    /* An RTL access is MboxRtlCore::kCyclesPerAccess clock cycles: pick the period that
     * makes it last `latency`, as the C core's does. */
    static rpvp::MailboxOptions options(sc_time latency)
    {
        rpvp::MailboxOptions o = bench_options();
        o.rtl_clock_period = latency / rpvp::MboxRtlCore::kCyclesPerAccess;
        return o;
    }

    explicit Bench(const rpvp_mbox_config *cfg = nullptr,
                   sc_time latency = rpvp::OmapMailbox::default_latency())
        : mbox("mbox", cfg ? *cfg : defaults(), latency, options(latency)), bus("bus"),
          irq("irq", mbox.num_users())
    {
        bus.isock.bind(mbox.tsock());
        for (unsigned u = 0; u < mbox.num_users(); u++)
            mbox.irq(u).bind(irq[u]);
    }
    static rpvp_mbox_config defaults()
    {
        rpvp_mbox_config c;
        rpvp_mbox_config_default(&c);
        return c;
    }
    rpvp_mbox_fifo_stats fifo(unsigned m) const
    {
        rpvp_mbox_fifo_stats s{};
        EXPECT_EQ(mbox.fifo_stats(m, &s), 0);
        return s;
    }
    void wait_irq(unsigned u)
    {
        while (!irq[u].read())
            sc_core::wait(irq[u].value_changed_event());
    }
};

/* Register offsets exactly as omap-mailbox.c computes them for intr_type 1 (OMAP4). */
constexpr uint32_t MAILBOX_MESSAGE(unsigned m) { return 0x040 + 4 * m; }
constexpr uint32_t MAILBOX_FIFOSTATUS(unsigned m) { return 0x080 + 4 * m; }
constexpr uint32_t MAILBOX_MSGSTATUS(unsigned m) { return 0x0c0 + 4 * m; }
constexpr uint32_t OMAP4_MAILBOX_IRQSTATUS(unsigned u) { return 0x104 + 0x10 * u; }
constexpr uint32_t OMAP4_MAILBOX_IRQENABLE(unsigned u) { return 0x108 + 0x10 * u; }
constexpr uint32_t OMAP4_MAILBOX_IRQENABLE_CLR(unsigned u) { return 0x10c + 0x10 * u; }
constexpr uint32_t MAILBOX_IRQ_NEWMSG(unsigned m) { return 1u << (2 * m); }
constexpr uint32_t MAILBOX_IRQ_NOTFULL(unsigned m) { return 1u << (2 * m + 1); }

/* One sub-mailbox of the Linux driver (struct omap_mbox with its tx/rx omap_mbox_fifo). */
struct LinuxOmapMbox {
    Bus &bus;
    unsigned tx_id = 0, tx_usr = 0, rx_id = 1, rx_usr = 0;
    std::vector<uint32_t> rxq;  /* stands for the kfifo + mbox_chan_received_data */
    std::vector<uint32_t> txq;  /* messages the mailbox framework still has to send */
    unsigned txdone = 0, busy = 0, isr_runs = 0;

    explicit LinuxOmapMbox(Bus &b) : bus(b) {}

    /* _omap_mbox_enable_irq: read-modify-write of IRQENABLE_SET */
    void enable_irq(bool tx)
    {
        uint32_t reg = OMAP4_MAILBOX_IRQENABLE(tx ? tx_usr : rx_usr);
        uint32_t l = bus.rd(reg);
        bus.wr(reg, l | (tx ? MAILBOX_IRQ_NOTFULL(tx_id) : MAILBOX_IRQ_NEWMSG(rx_id)));
    }
    /* _omap_mbox_disable_irq: OMAP4 has a dedicated IRQENABLE_CLR */
    void disable_irq(bool tx)
    {
        bus.wr(OMAP4_MAILBOX_IRQENABLE_CLR(tx ? tx_usr : rx_usr),
               tx ? MAILBOX_IRQ_NOTFULL(tx_id) : MAILBOX_IRQ_NEWMSG(rx_id));
    }
    /* ack_mbox_irq: W1C, then read back to flush the posted write */
    uint32_t ack_irq(bool tx)
    {
        uint32_t reg = OMAP4_MAILBOX_IRQSTATUS(tx ? tx_usr : rx_usr);
        bus.wr(reg, tx ? MAILBOX_IRQ_NOTFULL(tx_id) : MAILBOX_IRQ_NEWMSG(rx_id));
        return bus.rd(reg);
    }
    /* is_mbox_irq: enable & status & bit */
    bool is_irq(bool tx)
    {
        unsigned u = tx ? tx_usr : rx_usr;
        uint32_t bit = tx ? MAILBOX_IRQ_NOTFULL(tx_id) : MAILBOX_IRQ_NEWMSG(rx_id);
        uint32_t enable = bus.rd(OMAP4_MAILBOX_IRQENABLE(u));
        uint32_t status = bus.rd(OMAP4_MAILBOX_IRQSTATUS(u));
        return (enable & status & bit) != 0;
    }
    void startup() { enable_irq(false); }      /* omap_mbox_startup */
    void shutdown() { disable_irq(false); }    /* omap_mbox_fini */

    /* omap_mbox_chan_send: -EBUSY when full; the TX interrupt is always enabled */
    int send(uint32_t msg)
    {
        int ret = -16; /* -EBUSY */
        if (!bus.rd(MAILBOX_FIFOSTATUS(tx_id))) {
            bus.wr(MAILBOX_MESSAGE(tx_id), msg);
            ret = 0;
        } else {
            busy++;
        }
        enable_irq(true);
        return ret;
    }
    /* mailbox framework: msg_submit of the head of txq (if no send is in flight) */
    bool in_flight = false;
    void submit()
    {
        if (in_flight || txq.empty())
            return;
        if (send(txq.front()) == 0) {
            txq.erase(txq.begin());
            in_flight = true;
        }
    }
    /* mbox_interrupt */
    void isr()
    {
        isr_runs++;
        if (is_irq(true)) { /* __mbox_tx_interrupt */
            disable_irq(true);
            ack_irq(true);
            txdone++;
            in_flight = false; /* mbox_chan_txdone -> tx_tick -> msg_submit */
            submit();
        }
        if (is_irq(false)) { /* __mbox_rx_interrupt */
            while (bus.rd(MAILBOX_MSGSTATUS(rx_id)) != 0)
                rxq.push_back(bus.rd(MAILBOX_MESSAGE(rx_id)));
            ack_irq(false);
        }
    }
};

/* The remote firmware's mailbox use, as TI's Ducati IPC (InterruptDucati) did, user 2. */
struct DucatiFw {
    Bus &bus;
    unsigned user = 2, rx_fifo = 0, tx_fifo = 1;
    std::vector<uint32_t> rx;

    explicit DucatiFw(Bus &b) : bus(b) {}

    void enable() { bus.wr(RPVP_MBOX_IRQENABLE_SET(user), RPVP_MBOX_IRQ_NEWMSG(rx_fifo)); }
    void disable() { bus.wr(RPVP_MBOX_IRQENABLE_CLR(user), RPVP_MBOX_IRQ_NEWMSG(rx_fifo)); }
    /* send: spin while the FIFO is full, then write */
    void send(uint32_t msg)
    {
        while (bus.rd(RPVP_MBOX_FIFOSTATUS(tx_fifo)) & RPVP_MBOX_FIFOSTATUS_FIFOFULLMBM)
            ;
        bus.wr(RPVP_MBOX_MESSAGE(tx_fifo), msg);
    }
    /* ISR: one message per pass, then clear the status (it re-fires if more remain) */
    void isr()
    {
        if (bus.rd(RPVP_MBOX_MSGSTATUS(rx_fifo)) != 0)
            rx.push_back(bus.rd(RPVP_MBOX_MESSAGE(rx_fifo)));
        bus.wr(RPVP_MBOX_IRQSTATUS_CLR(user), RPVP_MBOX_IRQ_NEWMSG(rx_fifo));
    }
};

/* Run fn in an SC_THREAD and simulate until everything is idle. */
template <class F> void run(F fn)
{
    stop_requested() = false;
    sc_core::sc_spawn([fn] {
        try {
            fn();
        } catch (const Stopped &) {
        }
    });
    sc_core::sc_start();
}

} // namespace mbt
#endif
