/*
 * The mailbox side of the virtio-rpmsg device, as Linux's remoteproc + omap-mailbox
 * pair does it, on the channel plan of rpvp/mbox_channels.h (queue n = channel "vq<n>"):
 *   kick out   QueueNotify(n) -> MESSAGE(2n) = notifyid(n) when FIFOSTATUS(2n) says
 *              not full; otherwise the kick waits (one entry per queue: kicks are
 *              idempotent, so a second kick of a waiting queue coalesces) and NOTFULL(2n)
 *              is enabled for our user; its interrupt sends the waiting kicks in order.
 *   kick in    our mailbox user interrupt -> drain MESSAGE(2n+1) of every vq channel
 *              while MSGSTATUS != 0, ack NEWMSG, set InterruptStatus.VRING. The FIFO
 *              names the ring; the message content is not interpreted.
 * Mailbox registers are reached with timed bus accesses (they are on the measured path).
 * Vring indices are sampled with debug reads (statistics must not perturb timing).
 */
#include <string.h>

#include "rpvp/mbox_channels.h"
#include "rpvp/omap_mailbox_regs.h"
#include "rpvp/virtio_ring.h"
#include "vrpmsg_internal.h"

/* Upper bound of messages drained per interrupt: a FIFO holds at most 256
 * (RPVP_MBOX_MAX_DEPTH); more means a broken mailbox, not a busy one. */
#define DRAIN_LIMIT 1024u

static const char *status_name(rpvp_status s)
{
    return s == RPVP_ADDRESS_ERROR ? "address error" : "error response";
}

static int mbox_rd(rpvp_vrpmsg *d, uint32_t off, uint32_t *v, uint64_t *delay_ps)
{
    rpvp_status s = d->cfg.bus.read(d->cfg.bus.ctx, d->cfg.mbox_base + off, v, 4, delay_ps);
    if (s == RPVP_OK)
        return 1;
    d->st.bus_errors++;
    vrpmsg_log(d, RPVP_VRPMSG_LOG_GUEST_ERROR, "mailbox read at +0x%03x failed: %s", off,
               status_name(s));
    *v = 0;
    return 0;
}

static rpvp_status mbox_wr_status(rpvp_vrpmsg *d, uint32_t off, uint32_t v,
                                  uint64_t *delay_ps)
{
    rpvp_status s = d->cfg.bus.write(d->cfg.bus.ctx, d->cfg.mbox_base + off, &v, 4, delay_ps);
    if (s == RPVP_OK)
        return s;
    d->st.bus_errors++;
    vrpmsg_log(d, RPVP_VRPMSG_LOG_GUEST_ERROR, "mailbox write 0x%x at +0x%03x failed: %s", v,
               off, status_name(s));
    return s;
}

static int mbox_wr(rpvp_vrpmsg *d, uint32_t off, uint32_t v, uint64_t *delay_ps)
{
    return mbox_wr_status(d, off, v, delay_ps) == RPVP_OK;
}

/* 1 if queue's tx FIFO has room. A failed read counts as "no room": the kick waits. */
static int tx_has_room(rpvp_vrpmsg *d, unsigned queue, uint64_t *delay_ps)
{
    uint32_t fs;
    if (!mbox_rd(d, RPVP_MBOX_FIFOSTATUS(RPVP_MBOX_CH_TX_FIFO(queue)), &fs, delay_ps))
        return 0;
    return !(fs & RPVP_MBOX_FIFOSTATUS_FIFOFULLMBM);
}

/* The notifyid written into the table at set-up is the queue index; the remote does not
 * need it (the FIFO tells the ring) but a firmware written for omap_remoteproc reads it. */
static void send_kick(rpvp_vrpmsg *d, unsigned queue, uint64_t *delay_ps)
{
    if (mbox_wr(d, RPVP_MBOX_MESSAGE(RPVP_MBOX_CH_TX_FIFO(queue)), queue, delay_ps))
        d->st.mbox_sent++;
}

/* NOTFULL of queue's tx FIFO on or off for our user (one bit per queue in
 * notfull_enabled). */
static void set_notfull_irq(rpvp_vrpmsg *d, unsigned queue, int on, uint64_t *delay_ps)
{
    const uint32_t bit = RPVP_MBOX_IRQ_NOTFULL(RPVP_MBOX_CH_TX_FIFO(queue));
    const unsigned mask = 1u << queue;
    if (!on == !(d->notfull_enabled & mask))
        return;
    d->notfull_enabled ^= mask;
    if (on) {
        mbox_wr(d, RPVP_MBOX_IRQENABLE_SET(d->cfg.mbox_user), bit, delay_ps);
    } else {
        mbox_wr(d, RPVP_MBOX_IRQENABLE_CLR(d->cfg.mbox_user), bit, delay_ps);
        mbox_wr(d, RPVP_MBOX_IRQSTATUS_CLR(d->cfg.mbox_user), bit, delay_ps);
    }
}

/* Send each queue's waiting kick once its FIFO has room; NOTFULL off for the others. */
static void flush_kicks(rpvp_vrpmsg *d, uint64_t *delay_ps)
{
    for (unsigned q = 0; q < RPVP_VRPMSG_MAX_QUEUES; q++) {
        if (d->q[q].kick_pending && tx_has_room(d, q, delay_ps)) {
            d->q[q].kick_pending = 0;
            d->num_pending--;
            send_kick(d, q, delay_ps);
        }
        if (!d->q[q].kick_pending)
            set_notfull_irq(d, q, 0, delay_ps);
    }
}

void vrpmsg_kick(rpvp_vrpmsg *d, unsigned queue, uint64_t *delay_ps)
{
    if (d->q[queue].kick_pending) {
        d->st.kicks_coalesced++;
        vrpmsg_event(d, RPVP_EV_KICK_COALESCED, queue, 0);
        return;
    }
    if (tx_has_room(d, queue, delay_ps)) {
        send_kick(d, queue, delay_ps);
        return;
    }
    d->q[queue].kick_pending = 1;
    d->num_pending++;
    d->st.kicks_deferred++;
    vrpmsg_event(d, RPVP_EV_KICK_DEFERRED, queue, 0);
    vrpmsg_log(d, RPVP_VRPMSG_LOG_INFO,
               "mailbox FIFO %u full: kick of queue %u waits for NOTFULL (%u waiting)",
               RPVP_MBOX_CH_TX_FIFO(queue), queue, d->num_pending);
    set_notfull_irq(d, queue, 1, delay_ps);
}

void vrpmsg_send_detach(rpvp_vrpmsg *d, uint64_t *delay_ps)
{
    const unsigned fifo = RPVP_MBOX_CH_TX_FIFO(RPVP_MBOX_CH_DETACH);
    uint32_t fs;
    if (!mbox_rd(d, RPVP_MBOX_FIFOSTATUS(fifo), &fs, delay_ps) ||
        (fs & RPVP_MBOX_FIFOSTATUS_FIFOFULLMBM)) {
        vrpmsg_log(d, RPVP_VRPMSG_LOG_INFO,
                   "reset: detach FIFO %u full, the remote has not read the last ones", fifo);
        return;
    }
    if (mbox_wr(d, RPVP_MBOX_MESSAGE(fifo), 0, delay_ps))
        d->st.detach_sent++;
}

void vrpmsg_drop_kicks(rpvp_vrpmsg *d, uint64_t *delay_ps, int use_bus)
{
    for (unsigned q = 0; q < RPVP_VRPMSG_MAX_QUEUES; q++)
        d->q[q].kick_pending = 0;
    d->st.kicks_dropped_reset += d->num_pending;
    d->num_pending = 0;
    /* Without the bus (hardware reset) NOTFULL may stay enabled in the mailbox; keep
     * the flags so the next service pass disables it rather than leave the mailbox line
     * stuck high (a stuck level line would hide every later remote kick). */
    if (use_bus)
        for (unsigned q = 0; q < RPVP_VRPMSG_MAX_QUEUES; q++)
            set_notfull_irq(d, q, 0, delay_ps);
}

/* Pop every message of one remote -> host FIFO; returns how many. */
static unsigned drain_fifo(rpvp_vrpmsg *d, unsigned fifo, uint64_t *delay_ps)
{
    unsigned n = 0;
    uint32_t cnt, msg;
    while (mbox_rd(d, RPVP_MBOX_MSGSTATUS(fifo), &cnt, delay_ps) && cnt) {
        if (n == DRAIN_LIMIT) {
            vrpmsg_log(d, RPVP_VRPMSG_LOG_GUEST_ERROR,
                       "mailbox FIFO %u still not empty after %u reads; giving up", fifo, n);
            break;
        }
        if (!mbox_rd(d, RPVP_MBOX_MESSAGE(fifo), &msg, delay_ps))
            break;
        n++;
        d->st.mbox_received++;
        vrpmsg_log(d, RPVP_VRPMSG_LOG_TRACE, "remote kick on FIFO %u (message 0x%x)", fifo,
                   msg);
    }
    if (n)
        mbox_wr(d, RPVP_MBOX_IRQSTATUS_CLR(d->cfg.mbox_user), RPVP_MBOX_IRQ_NEWMSG(fifo),
                delay_ps);
    return n;
}

/* Every vq channel's remote -> host FIFO. */
static unsigned drain_rx(rpvp_vrpmsg *d, uint64_t *delay_ps)
{
    unsigned n = 0;
    for (unsigned ch = 0; ch < RPVP_MBOX_NUM_VQ_CHANNELS; ch++)
        n += drain_fifo(d, RPVP_MBOX_CH_RX_FIFO(ch), delay_ps);
    return n;
}

void vrpmsg_service(rpvp_vrpmsg *d, uint64_t *delay_ps, int update_irq)
{
    /* A bus whose interrupt path is synchronous could call back into us. */
    if (d->in_service) {
        d->in_service = 2;
        return;
    }
    do {
        d->in_service = 1;
        unsigned n = drain_rx(d, delay_ps);
        flush_kicks(d, delay_ps);
        if (n) {
            d->int_status |= VIRTIO_MMIO_INT_VRING;
            for (unsigned q = 0; q < d->num_queues; q++)
                vrpmsg_sample(d, q);
            if (update_irq)
                vrpmsg_update(d);
        }
    } while (d->in_service == 2);
    d->in_service = 0;
}

rpvp_status vrpmsg_mbox_start(rpvp_vrpmsg *d, uint64_t *delay_ps)
{
    uint32_t newmsg = 0;
    for (unsigned ch = 0; ch < RPVP_MBOX_NUM_VQ_CHANNELS; ch++)
        newmsg |= RPVP_MBOX_IRQ_NEWMSG(RPVP_MBOX_CH_RX_FIFO(ch));
    rpvp_status s = mbox_wr_status(d, RPVP_MBOX_IRQENABLE_SET(d->cfg.mbox_user), newmsg,
                                   delay_ps);
    if (s == RPVP_OK)
        vrpmsg_service(d, delay_ps, 1);
    return s;
}

static int read_idx(rpvp_vrpmsg *d, uint64_t pa, uint16_t *idx)
{
    if (!d->cfg.bus.debug_read ||
        d->cfg.bus.debug_read(d->cfg.bus.ctx, pa + d->cfg.ddr_bus_offset, idx, 2) != 2) {
        d->st.bus_errors++;
        vrpmsg_log(d, RPVP_VRPMSG_LOG_GUEST_ERROR, "debug read of vring idx at 0x%llx failed",
                   (unsigned long long)pa);
        return 0;
    }
    return 1;
}

void vrpmsg_sample(rpvp_vrpmsg *d, unsigned queue)
{
    vrpmsg_queue *q = &d->q[queue];
    rpvp_vrpmsg_queue_stats *qs = &d->st.queue[queue];
    uint16_t avail, used;
    if (!q->live)
        return;
    if (!read_idx(d, q->live_avail + offsetof(struct vring_avail, idx), &avail) ||
        !read_idx(d, q->live_used + offsetof(struct vring_used, idx), &used))
        return;
    uint16_t in_flight = (uint16_t)(avail - used);
    qs->samples++;
    qs->last_avail_idx = avail;
    qs->last_used_idx = used;
    if (in_flight > qs->max_in_flight)
        qs->max_in_flight = in_flight;
    int full = in_flight >= q->live_num;
    if (full && !q->was_full)
        qs->full_events++;
    q->was_full = full;
    if (d->vring_fn)
        d->vring_fn(d->vring_ctx, queue, avail, used, vrpmsg_now(d));
}
