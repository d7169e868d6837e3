/* Host-built remote on a bridge port (see remote_port.h). */
#include "remote_port.h"

#include <string.h>

#include "rpvp/mbox_channels.h"
#include "rpvp/omap_mailbox_regs.h"

#define MBOX_USER RPVP_MBOX_REMOTE_USER
/* The kicks of vring N arrive on channel vqN's host -> remote FIFO (2N) and leave on its
 * remote -> host FIFO (2N + 1): rpvp/mbox_channels.h. */
#define FIFO_IN(vq) RPVP_MBOX_CH_TX_FIFO(vq)
#define FIFO_OUT(vq) RPVP_MBOX_CH_RX_FIFO(vq)
#define IN_NEWMSG (RPVP_MBOX_IRQ_NEWMSG(FIFO_IN(0)) | RPVP_MBOX_IRQ_NEWMSG(FIFO_IN(1)))
#define KICK_RETRY_PS 100000ull /* 100 ns between tries when FIFO_OUT is full */
#define RECHECK_PS 1000000ull   /* 1 us: settle time for a stale interrupt level */
#define FOREVER_PS (1ull << 62) /* waits this long or longer have no limit */

/* ---- the mailbox driver: one accessor pair, intent-named helpers ------------------ */

static uint32_t mbox_read(remote_port *r, uint32_t off)
{
    uint32_t v = 0;
    rpvp_read(r->port, r->mbox_base + off, &v, 4, NULL);
    return v;
}

static void mbox_write(remote_port *r, uint32_t off, uint32_t v)
{
    rpvp_write(r->port, r->mbox_base + off, &v, 4, NULL);
}

static int mbox_fifo_full(remote_port *r, unsigned m)
{
    return (mbox_read(r, RPVP_MBOX_FIFOSTATUS(m)) & RPVP_MBOX_FIFOSTATUS_FIFOFULLMBM) != 0;
}

static uint32_t mbox_msg_count(remote_port *r, unsigned m)
{
    return mbox_read(r, RPVP_MBOX_MSGSTATUS(m));
}

static uint32_t mbox_in_count(remote_port *r)
{
    return mbox_msg_count(r, FIFO_IN(0)) + mbox_msg_count(r, FIFO_IN(1));
}

/* The ISR: ack NEWMSG first (a message arriving while draining raises it again), then
 * hand every queued kick to the stack as its vring's index (the content is ignored). */
static unsigned mbox_isr(remote_port *r)
{
    unsigned drained = 0;
    r->isr_runs++;
    do {
        mbox_write(r, RPVP_MBOX_IRQSTATUS_CLR(MBOX_USER), IN_NEWMSG);
        for (unsigned vq = 0; vq < RPVP_MBOX_NUM_VQ_CHANNELS; vq++)
            for (uint32_t n = mbox_msg_count(r, FIFO_IN(vq)); n; n--) {
                (void)mbox_read(r, RPVP_MBOX_MESSAGE(FIFO_IN(vq)));
                rpr_notify(&r->rdev, vq);
                r->mbox_msgs++;
                drained++;
            }
    } while (mbox_in_count(r));
    return drained;
}

/* ---- platform hooks of the stack --------------------------------------------------- */

static void *da_to_ptr(void *ctx, uint64_t da, size_t len)
{
    remote_port *r = ctx;
    if (len == 0)
        return NULL;
    for (int i = 0; i < r->ndmi; i++)
        if (da >= r->dmi[i].start && da + len - 1 <= r->dmi[i].end)
            return r->dmi[i].ptr + (da - r->dmi[i].start);
    if (r->ndmi == 2 || !rpvp_get_dmi(r->port, da, &r->dmi[r->ndmi]))
        return NULL;
    r->ndmi++;
    return da_to_ptr(ctx, da, len);
}

/* The host assigns notifyid = vring index (remoteproc's idr, one vdev). */
static void kick(void *ctx, uint32_t notifyid)
{
    remote_port *r = ctx;
    const unsigned out = FIFO_OUT(notifyid & 1u);
    while (mbox_fifo_full(r, out)) {
        r->kick_retries++;
        rpvp_port_advance(r->port, KICK_RETRY_PS);
        rpvp_port_sync(r->port);
    }
    mbox_write(r, RPVP_MBOX_MESSAGE(out), notifyid);
}

static int irq_up(remote_port *r) { return rpvp_port_irq_level(r->port, 0); }

/* Sleep until the mailbox interrupt brings messages (the ISR hands them over) or the
 * timeout. A level that looks up with the FIFOs empty is an acknowledge not yet seen
 * (temporal decoupling): let time move by at most a quantum and look again. */
static int wait_event(void *ctx, uint64_t timeout_ps)
{
    remote_port *r = ctx;
    uint64_t t0 = rpvp_port_now(r->port);
    for (;;) {
        if (irq_up(r) && mbox_isr(r))
            return 1;
        uint64_t el = rpvp_port_now(r->port) - t0;
        if (el >= timeout_ps)
            return 0;
        /* "no limit" stays UINT64_MAX: a huge finite wait would overflow sc_time */
        uint64_t rem = timeout_ps >= FOREVER_PS ? UINT64_MAX : timeout_ps - el;
        if (irq_up(r) && rem > RECHECK_PS)
            rem = RECHECK_PS;
        rpvp_port_wait_irq(r->port, rem);
    }
}

static uint64_t now(void *ctx) { return rpvp_port_now(((remote_port *)ctx)->port); }

/* ---- the echo application --------------------------------------------------------- */

static int echo_cb(struct rpr_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
    remote_port *r = priv;
    if (r->cost_ps)
        rpvp_port_advance(r->port, r->cost_ps);
    int rc = rpr_sendto(ept, data, (int)len, src);
    return rc == (int)len ? RPMSG_SUCCESS : rc;
}

void remote_port_main(rpvp_port *port, void *ctx)
{
    remote_port *r = ctx;
    r->port = port;
    r->plat = (struct rpr_platform){.da_to_ptr = da_to_ptr, .kick = kick,
                                    .wait_event = wait_event, .now_ps = now, .ctx = r};
    void *table = da_to_ptr(r, r->rsc_da, r->rsc_size);
    r->init_rc = table ? rpr_init(&r->rdev, table, r->rsc_size, &r->plat) : RPMSG_ERR_INIT;
    if (r->init_rc)
        return;
    mbox_write(r, RPVP_MBOX_IRQENABLE_SET(MBOX_USER), IN_NEWMSG);
    r->echo.priv = r;
    if (rpr_create_ept(&r->echo, &r->rdev, "rpmsg-echo", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
                       echo_cb, NULL) != RPMSG_SUCCESS) {
        r->init_rc = RPMSG_ERR_INIT;
        return;
    }
    while (!r->stop) {
        uint64_t t = rpvp_port_now(port);
        if (t < r->stall_until_ps) {
            r->stalls++;
            rpvp_port_advance(port, r->stall_until_ps - t);
            rpvp_port_sync(port);
            continue;
        }
        if (irq_up(r))
            mbox_isr(r);
        rpr_poll(&r->rdev);
        if (!rpr_has_work(&r->rdev))
            wait_event(r, UINT64_MAX);
    }
}
