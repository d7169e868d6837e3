/*
 * Synthetic host, rpmsg part: Linux drivers/rpmsg/virtio_rpmsg_bus.c (rpmsg_probe,
 * get_a_tx_buf, rpmsg_upref/downref_sleepers, rpmsg_send_offchannel_raw,
 * rpmsg_recv_single, rpmsg_recv_done, rpmsg_xmit_done, __rpmsg_create_ept,
 * virtio_rpmsg_announce_create/destroy, __rpmsg_create_channel), rpmsg_ns.c
 * (rpmsg_ns_cb) and rpmsg_core.c (rpmsg_send & co., rpmsg_dev_match, rpmsg_dev_probe,
 * rpmsg_dev_remove, register_rpmsg_driver).
 */
#include <stdlib.h>
#include <string.h>

#include "rpvp/remoteproc.h"
#include "shost_internal.h"

static struct rpmsg_driver *all_drivers;

/* Copy a name into a zeroed RPMSG_NAME_SIZE field, always NUL-terminated. */
static void name_copy(char *dst, const char *src)
{
    memset(dst, 0, RPMSG_NAME_SIZE);
    for (unsigned i = 0; src && i < RPMSG_NAME_SIZE - 1 && src[i]; i++)
        dst[i] = src[i];
}

static int has_ns(const rpvp_shost *h) { return !!(h->features & (1ull << VIRTIO_RPMSG_F_NS)); }

static void log_msg(rpvp_shost *h, rpvp_shost_msg_rec *r, const void *data)
{
    if (h->log) {
        if (h->log_len < h->cfg.log_capacity)
            h->log[h->log_len++] = *r;
        else
            h->stats.log_dropped++;
    }
    if (h->hook)
        h->hook(h->hook_ctx, r, data);
}

static void advance(rpvp_shost *h)
{
    if (h->cfg.op_cost_ps && h->bus.advance)
        h->bus.advance(h->bus.ctx, h->cfg.op_cost_ps);
}

/* ---- endpoints (__rpmsg_create_ept, __rpmsg_destroy_ept) ------------------------- */

static struct rpmsg_endpoint *ept_find(rpvp_shost *h, uint32_t addr)
{
    for (struct rpmsg_endpoint *e = h->epts; e; e = e->next)
        if (e->addr == addr)
            return e;
    return NULL;
}

struct rpmsg_endpoint *rpmsg_create_ept(struct rpmsg_device *rpdev, rpmsg_rx_cb_t cb,
                                        void *priv, struct rpmsg_channel_info chinfo)
{
    if (!rpdev || !rpdev->host)
        return NULL;
    rpvp_shost *h = rpdev->host;
    uint32_t addr = chinfo.src;
    /* idr_alloc(min = RPMSG_RESERVED_ADDRESSES, no max) or exactly [src, src + 1) */
    if (addr == RPMSG_ADDR_ANY) {
        addr = RPMSG_RESERVED_ADDRESSES;
        while (ept_find(h, addr))
            addr++;
    } else if (ept_find(h, addr)) {
        shost_log(h, "idr_alloc failed: %d", -ENOSPC);
        return NULL;
    }
    struct rpmsg_endpoint *ept = calloc(1, sizeof(*ept));
    if (!ept)
        return NULL;
    ept->rpdev = rpdev;
    ept->cb = cb;
    ept->priv = priv;
    ept->addr = addr;
    ept->host = h;
    ept->next = h->epts;
    h->epts = ept;
    return ept;
}

void rpmsg_destroy_ept(struct rpmsg_endpoint *ept)
{
    if (!ept)
        return;
    rpvp_shost *h = ept->host;
    for (struct rpmsg_endpoint **pp = &h->epts; *pp; pp = &(*pp)->next)
        if (*pp == ept) {
            *pp = ept->next;
            break;
        }
    free(ept);
}

/* ---- sending --------------------------------------------------------------------- */

/* get_a_tx_buf: the next never-used TX buffer, or one the remote has returned. */
static int get_a_tx_buf(rpvp_shost *h, uint64_t *pa)
{
    if (h->last_sbuf < h->num_bufs / 2) {
        *pa = h->sbufs_pa + (uint64_t)h->buf_size * h->last_sbuf++;
        return 1;
    }
    uint32_t len;
    return shost_vq_get_buf(&h->vq[RPMSG_VQ_HOST_TX], pa, &len) == 1;
}

unsigned rpvp_shost_tx_free(const rpvp_shost *h)
{
    const struct shost_vq *svq = &h->vq[RPMSG_VQ_HOST_TX];
    if (!h->probed)
        return 0;
    uint16_t returned = (uint16_t)(*(const volatile uint16_t *)&svq->vr.used->idx -
                                   svq->last_used_idx);
    return (h->num_bufs / 2 - h->last_sbuf) + returned;
}

/* rpmsg_upref_sleepers / rpmsg_downref_sleepers: "tx-complete" interrupts are on only
 * while somebody waits for a TX buffer. */
static void upref_sleepers(rpvp_shost *h)
{
    if (h->sleepers++ == 0)
        shost_vq_enable_cb(&h->vq[RPMSG_VQ_HOST_TX]);
}

static void downref_sleepers(rpvp_shost *h)
{
    if (--h->sleepers == 0)
        shost_vq_disable_cb(&h->vq[RPMSG_VQ_HOST_TX]);
}

/* The wait of wait_event_interruptible_timeout(sendq, get_a_tx_buf(), timeout): handle
 * interrupts until a buffer comes back or the deadline passes. */
static int wait_tx_buf(rpvp_shost *h, uint64_t *pa)
{
    uint64_t t0 = shost_now(h);
    for (;;) {
        if (get_a_tx_buf(h, pa))
            return 1;
        uint64_t el = shost_now(h) - t0;
        if (el >= h->cfg.send_timeout_ps)
            return 0;
        rpvp_shost_wait(h, h->cfg.send_timeout_ps - el);
    }
}

static int send_offchannel_raw(struct rpmsg_device *rpdev, uint32_t src, uint32_t dst,
                               const void *data, int len, int wait)
{
    rpvp_shost *h = rpdev->host;
    rpvp_shost_msg_rec rec = {.start_ps = shost_now(h), .src = src, .dst = dst,
                              .dir = RPVP_SHOST_TX};
    /* bcasting isn't allowed */
    if (src == RPMSG_ADDR_ANY || dst == RPMSG_ADDR_ANY) {
        shost_log(h, "invalid addr (src 0x%x, dst 0x%x)", src, dst);
        return -EINVAL;
    }
    /* The payload's size is limited by the buffer size (unsigned compare, as Linux). */
    if ((unsigned)len > h->buf_size - sizeof(struct rpmsg_hdr)) {
        shost_log(h, "message is too big (%d)", len);
        return -EMSGSIZE;
    }
    if (!h->probed)
        return -ENODEV;
    uint64_t pa;
    if (!get_a_tx_buf(h, &pa)) {
        h->stats.tx_exhaustion_events++;
        if (!wait) {
            h->stats.trysend_failures++;
            return -ENOMEM;
        }
        /* no free buffer? wait for one (but bail after the timeout, 15 s by default) */
        h->stats.blocked_sends++;
        rec.blocked = 1;
        upref_sleepers(h);
        int got = wait_tx_buf(h, &pa);
        downref_sleepers(h);
        uint64_t waited = shost_now(h) - rec.start_ps;
        h->stats.blocked_send_ps += waited;
        if (waited > h->stats.max_blocked_send_ps)
            h->stats.max_blocked_send_ps = waited;
        if (!got) {
            h->stats.send_timeouts++;
            shost_log(h, "timeout waiting for a tx buffer");
            return -ERESTARTSYS;
        }
    }
    uint8_t *msg = shost_pa_to_ptr(h, pa);
    struct rpmsg_hdr hdr = {.src = src, .dst = dst, .reserved = 0, .len = (uint16_t)len,
                            .flags = 0};
    memcpy(msg, &hdr, sizeof(hdr));
    if (len)
        memcpy(msg + sizeof(hdr), data, (size_t)len);
    advance(h);
    /* add message to the remote processor's virtqueue */
    int err = shost_vq_add(&h->vq[RPMSG_VQ_HOST_TX], pa, (uint32_t)(sizeof(hdr) + (size_t)len), 0);
    if (err) {
        /* Linux: "need to reclaim the buffer here, otherwise it's lost" (it is lost). */
        shost_log(h, "virtqueue_add_outbuf failed: %d", err);
        return err;
    }
    /* tell the remote processor it has a pending message to read */
    shost_vq_kick(&h->vq[RPMSG_VQ_HOST_TX]);
    h->stats.tx_msgs++;
    h->stats.tx_bytes += (uint64_t)len;
    rec.len = (uint16_t)len;
    rec.done_ps = shost_now(h);
    log_msg(h, &rec, data);
    return 0;
}

/* rpmsg_core.c wrappers: the endpoint's channel gives dst, the endpoint gives src. */
int rpmsg_send(struct rpmsg_endpoint *ept, void *data, int len)
{
    if (!ept)
        return -EINVAL;
    return send_offchannel_raw(ept->rpdev, ept->addr, ept->rpdev->dst, data, len, 1);
}

int rpmsg_sendto(struct rpmsg_endpoint *ept, void *data, int len, uint32_t dst)
{
    if (!ept)
        return -EINVAL;
    return send_offchannel_raw(ept->rpdev, ept->addr, dst, data, len, 1);
}

int rpmsg_send_offchannel(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst, void *data,
                          int len)
{
    if (!ept)
        return -EINVAL;
    return send_offchannel_raw(ept->rpdev, src, dst, data, len, 1);
}

int rpmsg_trysend(struct rpmsg_endpoint *ept, void *data, int len)
{
    if (!ept)
        return -EINVAL;
    return send_offchannel_raw(ept->rpdev, ept->addr, ept->rpdev->dst, data, len, 0);
}

int rpmsg_trysendto(struct rpmsg_endpoint *ept, void *data, int len, uint32_t dst)
{
    if (!ept)
        return -EINVAL;
    return send_offchannel_raw(ept->rpdev, ept->addr, dst, data, len, 0);
}

int rpmsg_trysend_offchannel(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
                             void *data, int len)
{
    if (!ept)
        return -EINVAL;
    return send_offchannel_raw(ept->rpdev, src, dst, data, len, 0);
}

/* ---- channels and drivers (rpmsg_core.c) ----------------------------------------- */

static int id_match(const struct rpmsg_driver *drv, const struct rpmsg_device *rpdev)
{
    for (const struct rpmsg_device_id *id = drv->id_table; id && id->name[0]; id++)
        if (!strncmp(id->name, rpdev->id.name, RPMSG_NAME_SIZE))
            return 1;
    return 0;
}

/* virtio_rpmsg_announce_create / _destroy */
static void announce(struct rpmsg_device *rpdev, uint32_t flags)
{
    rpvp_shost *h = rpdev->host;
    if (!rpdev->announce || !rpdev->ept || !has_ns(h))
        return;
    struct rpmsg_ns_msg nsm;
    memset(&nsm, 0, sizeof(nsm));
    name_copy(nsm.name, rpdev->id.name);
    nsm.addr = rpdev->ept->addr;
    nsm.flags = flags;
    int err = rpmsg_sendto(rpdev->ept, &nsm, (int)sizeof(nsm), RPMSG_NS_ADDR);
    if (err)
        shost_log(h, "failed to announce service %d", err);
}

/* rpmsg_dev_probe */
static int dev_probe(struct rpmsg_device *rpdev, struct rpmsg_driver *drv)
{
    struct rpmsg_endpoint *ept = NULL;
    if (drv->callback) {
        struct rpmsg_channel_info chinfo = {.src = rpdev->src, .dst = RPMSG_ADDR_ANY};
        memcpy(chinfo.name, rpdev->id.name, RPMSG_NAME_SIZE);
        ept = rpmsg_create_ept(rpdev, drv->callback, NULL, chinfo);
        if (!ept) {
            shost_log(rpdev->host, "failed to create endpoint");
            return -ENOMEM;
        }
        rpdev->ept = ept;
        rpdev->src = ept->addr;
    }
    rpdev->driver = drv;
    int err = drv->probe ? drv->probe(rpdev) : 0;
    if (err) {
        shost_log(rpdev->host, "%s: failed: %d", __func__, err);
        rpdev->driver = NULL;
        rpmsg_destroy_ept(ept);
        rpdev->ept = NULL;
        return err;
    }
    if (ept)
        announce(rpdev, RPMSG_NS_CREATE);
    return 0;
}

/* rpmsg_dev_remove */
static void dev_remove(struct rpmsg_device *rpdev)
{
    struct rpmsg_driver *drv = rpdev->driver;
    if (!drv)
        return;
    announce(rpdev, RPMSG_NS_DESTROY);
    if (drv->remove)
        drv->remove(rpdev);
    if (rpdev->ept)
        rpmsg_destroy_ept(rpdev->ept);
    rpdev->ept = NULL;
    rpdev->driver = NULL;
}

/* Bus match + probe for a device without driver (device_attach). */
static void dev_attach(struct rpmsg_device *rpdev)
{
    for (struct rpmsg_driver *drv = all_drivers; drv && !rpdev->driver; drv = drv->next)
        if (id_match(drv, rpdev))
            dev_probe(rpdev, drv);
}

/* rpmsg_device_match: ANY fields in chinfo match everything. */
static struct rpmsg_device *find_device(rpvp_shost *h, const struct rpmsg_channel_info *ci)
{
    for (struct rpmsg_device *d = h->channels; d; d = d->next) {
        if (ci->src != RPMSG_ADDR_ANY && ci->src != d->src)
            continue;
        if (ci->dst != RPMSG_ADDR_ANY && ci->dst != d->dst)
            continue;
        if (strncmp(ci->name, d->id.name, RPMSG_NAME_SIZE))
            continue;
        return d;
    }
    return NULL;
}

/* __rpmsg_create_channel */
static struct rpmsg_device *create_channel(rpvp_shost *h, const struct rpmsg_channel_info *ci)
{
    if (find_device(h, ci)) {
        shost_log(h, "channel %s:%x:%x already exist", ci->name, ci->src, ci->dst);
        return NULL;
    }
    struct rpmsg_device *rpdev = calloc(1, sizeof(*rpdev));
    if (!rpdev)
        return NULL;
    memcpy(rpdev->id.name, ci->name, RPMSG_NAME_SIZE);
    rpdev->src = ci->src;
    rpdev->dst = ci->dst;
    /* channels created locally with a source address announce themselves */
    rpdev->announce = rpdev->src != RPMSG_ADDR_ANY;
    rpdev->host = h;
    struct rpmsg_device **pp = &h->channels; /* keep creation order */
    while (*pp)
        pp = &(*pp)->next;
    *pp = rpdev;
    h->stats.channels_created++;
    dev_attach(rpdev);
    return rpdev;
}

static void unlink_free_channel(rpvp_shost *h, struct rpmsg_device *rpdev)
{
    dev_remove(rpdev);
    for (struct rpmsg_device **pp = &h->channels; *pp; pp = &(*pp)->next)
        if (*pp == rpdev) {
            *pp = rpdev->next;
            break;
        }
    h->stats.channels_released++;
    free(rpdev);
}

struct rpmsg_device *rpvp_shost_find_channel(rpvp_shost *h, const char *name)
{
    struct rpmsg_channel_info ci = {.src = RPMSG_ADDR_ANY, .dst = RPMSG_ADDR_ANY};
    name_copy(ci.name, name);
    return find_device(h, &ci);
}

int register_rpmsg_driver(struct rpmsg_driver *rpdrv)
{
    if (!rpdrv || !rpdrv->id_table)
        return -EINVAL;
    for (struct rpmsg_driver *d = all_drivers; d; d = d->next)
        if (d == rpdrv)
            return -EBUSY;
    /* append: drivers registered first get the first chance to bind */
    struct rpmsg_driver **pp = &all_drivers;
    while (*pp)
        pp = &(*pp)->next;
    rpdrv->next = NULL;
    *pp = rpdrv;
    for (rpvp_shost *h = shost_first_host(); h; h = h->next_host)
        for (struct rpmsg_device *d = h->channels; d; d = d->next)
            if (!d->driver && id_match(rpdrv, d))
                dev_probe(d, rpdrv);
    return 0;
}

void unregister_rpmsg_driver(struct rpmsg_driver *rpdrv)
{
    if (!rpdrv)
        return;
    for (rpvp_shost *h = shost_first_host(); h; h = h->next_host)
        for (struct rpmsg_device *d = h->channels; d; d = d->next)
            if (d->driver == rpdrv)
                dev_remove(d);
    for (struct rpmsg_driver **pp = &all_drivers; *pp; pp = &(*pp)->next)
        if (*pp == rpdrv) {
            *pp = rpdrv->next;
            break;
        }
    rpdrv->next = NULL;
}

/* ---- name service (rpmsg_ns.c: rpmsg_ns_cb) -------------------------------------- */

static int ns_cb(struct rpmsg_device *rpdev, void *data, int len, void *priv, uint32_t src)
{
    rpvp_shost *h = rpdev->host;
    struct rpmsg_ns_msg msg;
    if (len != (int)sizeof(msg)) {
        shost_log(h, "malformed ns msg (%d)", len);
        h->stats.ns_bad++;
        return -EINVAL;
    }
    memcpy(&msg, data, sizeof(msg));
    /* don't trust the remote processor for null terminating the name */
    msg.name[RPMSG_NAME_SIZE - 1] = '\0';
    h->stats.ns_msgs++;
    struct rpmsg_channel_info ci = {.src = RPMSG_ADDR_ANY, .dst = msg.addr};
    name_copy(ci.name, msg.name);
    shost_log(h, "%sing channel %s addr 0x%x",
              (msg.flags & RPMSG_NS_DESTROY) ? "destroy" : "creat", msg.name, msg.addr);
    if (msg.flags & RPMSG_NS_DESTROY) {
        struct rpmsg_device *d = find_device(h, &ci);
        if (!d)
            shost_log(h, "rpmsg_destroy_channel failed: %d", -EINVAL);
        else
            unlink_free_channel(h, d);
    } else if (!create_channel(h, &ci)) {
        shost_log(h, "rpmsg_create_channel failed");
    }
    return 0;
}

/* ---- receiving (rpmsg_recv_single, rpmsg_recv_done, rpmsg_xmit_done) -------------- */

static int recv_single(rpvp_shost *h, uint64_t pa, uint32_t len)
{
    uint8_t *buf = shost_pa_to_ptr(h, pa);
    struct rpmsg_hdr hdr;
    memcpy(&hdr, buf, sizeof(hdr));
    /* We currently use fixed-sized buffers, so trivially sanitize the reported payload
     * length. (len < 16 is refused too: Linux's unsigned arithmetic would let it pass.) */
    if (len > h->buf_size || len < sizeof(hdr) || hdr.len > len - sizeof(hdr)) {
        shost_log(h, "inbound msg too big: (%u, %u)", len, hdr.len);
        h->stats.rx_bad++;
        return -EINVAL;
    }
    /* use the dst addr to fetch the callback of the appropriate user */
    struct rpmsg_endpoint *ept = ept_find(h, hdr.dst);
    if (ept && ept->cb) {
        h->stats.rx_msgs++;
        h->stats.rx_bytes += hdr.len;
        advance(h);
        rpvp_shost_msg_rec rec = {.start_ps = h->irq_start_ps, .done_ps = shost_now(h),
                                  .src = hdr.src, .dst = hdr.dst, .len = hdr.len,
                                  .dir = RPVP_SHOST_RX};
        log_msg(h, &rec, buf + sizeof(hdr));
        ept->cb(ept->rpdev, buf + sizeof(hdr), hdr.len, ept->priv, hdr.src);
    } else {
        shost_log(h, "msg received with no recipient");
        h->stats.rx_no_recipient++;
    }
    /* add the buffer back to the remote processor's virtqueue */
    int err = shost_vq_add(&h->vq[RPMSG_VQ_HOST_RX], pa, h->buf_size, 1);
    if (err < 0) {
        shost_log(h, "failed to add a virtqueue buffer: %d", err);
        return err;
    }
    return 0;
}

/* rpmsg_recv_done: drain the used RX buffers, then kick once if any came back. */
static void recv_done(struct shost_vq *rvq)
{
    rpvp_shost *h = rvq->host;
    unsigned received = 0;
    uint64_t pa;
    uint32_t len;
    h->in_irq = 1;
    while (shost_vq_get_buf(rvq, &pa, &len) == 1) {
        if (recv_single(h, pa, len))
            break;
        received++;
    }
    h->in_irq = 0;
    /* tell the remote processor we added another available rx buffer */
    if (received)
        shost_vq_kick(rvq);
}

/* rpmsg_xmit_done: wakes the senders waiting for a TX buffer. Their loop re-checks
 * after every interrupt, so nothing else to do. */
static void xmit_done(struct shost_vq *svq) { (void)svq; }

/* ---- probe and remove (rpmsg_probe, rpmsg_remove) --------------------------------- */

int shost_rpmsg_probe(rpvp_shost *h)
{
    /* We expect two virtqueues, rx and tx (and in this order) */
    int err = shost_find_vqs(h, recv_done, xmit_done);
    if (err)
        return err;
    struct shost_vq *rvq = &h->vq[RPMSG_VQ_HOST_RX], *svq = &h->vq[RPMSG_VQ_HOST_TX];
    /* we expect symmetric tx/rx vrings */
    if (rvq->num != svq->num)
        shost_log(h, "WARNING: asymmetric vrings %u/%u", rvq->num, svq->num);
    /* we need less buffers if vrings are small */
    h->num_bufs = rvq->num < MAX_RPMSG_NUM_BUFS / 2 ? rvq->num * 2 : MAX_RPMSG_NUM_BUFS;
    h->buf_size = MAX_RPMSG_BUF_SIZE;
    uint64_t total = (uint64_t)h->num_bufs * h->buf_size;
    /* allocate coherent memory for the buffers: first half RX, second half TX */
    uint64_t off = (h->pool_used + 4095u) & ~(uint64_t)4095u;
    if (off > h->cfg.mem_size || h->cfg.mem_size - off < total)
        return -ENOMEM;
    h->pool_used = off + total;
    h->rbufs_pa = h->cfg.mem_base + off;
    h->sbufs_pa = h->rbufs_pa + total / 2;
    h->last_sbuf = 0;
    memset(shost_pa_to_ptr(h, h->rbufs_pa), 0, total);
    /* set up the receive buffers */
    for (unsigned i = 0; i < h->num_bufs / 2; i++)
        if (shost_vq_add(rvq, h->rbufs_pa + (uint64_t)i * h->buf_size, h->buf_size, 1))
            return -ENOSPC;
    /* suppress "tx-complete" interrupts */
    shost_vq_disable_cb(svq);
    /* if supported by the remote processor, enable the name service */
    if (has_ns(h)) {
        struct rpmsg_channel_info ci = {.name = "name-service", .src = RPMSG_NS_ADDR,
                                        .dst = RPMSG_NS_ADDR};
        if (!rpmsg_create_ept(&h->ctrl, ns_cb, NULL, ci))
            return -ENOMEM;
    }
    /* Prepare to kick but don't notify yet - we can't do this before device is ready. */
    int notify = shost_vq_kick_prepare(rvq);
    /* From this point on, we can notify and get callbacks. */
    shost_device_ready(h);
    h->probed = 1; /* sends may start: the caller's probe only confirms it */
    /* tell the remote processor it can start sending messages */
    if (notify)
        shost_notify(rvq);
    return 0;
}

/* rpmsg_remove: every channel goes (drivers' remove), then every endpoint. */
void shost_rpmsg_remove(rpvp_shost *h)
{
    while (h->channels)
        unlink_free_channel(h, h->channels);
    while (h->epts)
        rpmsg_destroy_ept(h->epts);
}
