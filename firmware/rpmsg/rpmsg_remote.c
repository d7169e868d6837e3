/*
 * rpmsg remote stack (see rpmsg_remote.h). Behaviour follows OpenAMP
 * lib/rpmsg/rpmsg_virtio.c (device role) and lib/rpmsg/rpmsg.c; function comments name
 * the OpenAMP function each one stands for.
 */
#include "rpmsg_remote.h"

#include <string.h>

/* ---- small helpers ---------------------------------------------------------------- */

static uint64_t now(const struct rpr_device *rdev)
{
    const struct rpr_platform *p = rdev->plat;
    return p->now_ps ? p->now_ps(p->ctx) : 0;
}

static void barrier(const struct rpr_device *rdev)
{
    const struct rpr_platform *p = rdev->plat;
    if (p->mb)
        p->mb(p->ctx);
}

static void kick(struct rpr_device *rdev, const struct rpr_vq *vq)
{
    rdev->stats.kicks++;
    rdev->plat->kick(rdev->plat->ctx, vq->notifyid);
}

/* The vdev entry is written by the host (status, gfeatures, vring da/num): it is read
 * only through these volatile views. */
typedef const volatile struct fw_rsc_vdev vdev_view;
typedef const volatile struct fw_rsc_vdev_vring vring_view;

static int is_pow2(uint32_t v) { return v && !(v & (v - 1)); }

/* [a, a+alen) and [b, b+blen) share a byte. */
static int overlaps(const void *a, size_t alen, const void *b, size_t blen)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return alen && blen && x < y + blen && y < x + alen;
}

/* A buffer the host posted lies (partly) on a live vring: writing it would corrupt the
 * rings, reading it gives the host's ring state as a message. */
static int on_a_ring(const struct rpr_device *rdev, const void *p, size_t len)
{
    const struct rpr_vq *vqs[2] = {&rdev->rvq, &rdev->svq};
    for (unsigned i = 0; i < 2; i++) {
        const struct vring *vr = &vqs[i]->vr;
        if (!vqs[i]->live)
            continue;
        /* vring_init layout: descriptors first, the used ring (and avail_event) last. */
        const uint8_t *lo = (const uint8_t *)vr->desc;
        const uint8_t *hi = (const uint8_t *)&vr->used->ring[vr->num] + sizeof(uint16_t);
        if (overlaps(p, len, lo, (size_t)(hi - lo)))
            return 1;
    }
    return 0;
}

/* Copy a name into a zeroed RPMSG_NAME_SIZE field, always NUL-terminated. */
static void name_copy(char *dst, const char *src)
{
    memset(dst, 0, RPMSG_NAME_SIZE);
    for (unsigned i = 0; src && i < RPMSG_NAME_SIZE - 1 && src[i]; i++)
        dst[i] = src[i];
}

/* ---- endpoints and addresses (OpenAMP lib/rpmsg/rpmsg.c) ------------------------- */

static struct rpr_endpoint *ept_by_addr(struct rpr_device *rdev, uint32_t addr)
{
    for (struct rpr_endpoint *e = rdev->epts; e; e = e->next)
        if (e->addr == addr)
            return e;
    return NULL;
}

/* rpmsg_get_endpoint by name: the endpoint `name` bound to `dest` or not bound yet. */
static struct rpr_endpoint *ept_by_name(struct rpr_device *rdev, const char *name,
                                        uint32_t dest)
{
    for (struct rpr_endpoint *e = rdev->epts; e; e = e->next)
        if (e->name[0] && !strncmp(e->name, name, RPMSG_NAME_SIZE) &&
            (e->dest_addr == dest || e->dest_addr == RPMSG_ADDR_ANY))
            return e;
    return NULL;
}

static void ept_unlink(struct rpr_device *rdev, struct rpr_endpoint *ept)
{
    for (struct rpr_endpoint **pp = &rdev->epts; *pp; pp = &(*pp)->next)
        if (*pp == ept) {
            *pp = ept->next;
            break;
        }
    ept->next = NULL;
}

static int addr_in_bmp(uint32_t addr)
{
    return addr >= RPMSG_RESERVED_ADDRESSES &&
           addr < RPMSG_RESERVED_ADDRESSES + RPR_ADDR_BMP_SIZE;
}

static void addr_set(struct rpr_device *rdev, uint32_t addr, int on)
{
    if (!addr_in_bmp(addr))
        return;
    uint32_t bit = addr - RPMSG_RESERVED_ADDRESSES;
    if (on)
        rdev->addr_bmp[bit / 32] |= 1u << (bit % 32);
    else
        rdev->addr_bmp[bit / 32] &= ~(1u << (bit % 32));
}

/* rpmsg_get_address: lowest free address at or above RPMSG_RESERVED_ADDRESSES. */
static uint32_t addr_alloc(struct rpr_device *rdev)
{
    for (uint32_t bit = 0; bit < RPR_ADDR_BMP_SIZE; bit++)
        if (!(rdev->addr_bmp[bit / 32] & (1u << (bit % 32)))) {
            uint32_t addr = RPMSG_RESERVED_ADDRESSES + bit;
            addr_set(rdev, addr, 1);
            return addr;
        }
    return RPMSG_ADDR_ANY;
}

static void ept_setup(struct rpr_endpoint *ept, struct rpr_device *rdev, const char *name,
                      uint32_t addr, uint32_t dest, rpr_ept_cb cb, rpr_ns_unbind_cb unbind)
{
    name_copy(ept->name, name);
    ept->rdev = rdev;
    ept->addr = addr;
    ept->dest_addr = dest;
    ept->cb = cb;
    ept->ns_unbind_cb = unbind;
    ept->announced = 0;
    ept->dest_fixed = dest != RPMSG_ADDR_ANY;
    /* Appended: announcements (here and after a reset) go out in creation order. */
    struct rpr_endpoint **pp = &rdev->epts;
    while (*pp)
        pp = &(*pp)->next;
    ept->next = NULL;
    *pp = ept;
}

/* rpmsg_send_ns_message */
static int send_ns(struct rpr_endpoint *ept, uint32_t flags)
{
    struct rpmsg_ns_msg m;
    memset(&m, 0, sizeof(m));
    name_copy(m.name, ept->name);
    m.addr = ept->addr;
    m.flags = flags;
    int rc = rpr_send_offchannel_raw(ept, ept->addr, RPMSG_NS_ADDR, &m, (int)sizeof(m), 1);
    if (rc < 0)
        return rc;
    ept->rdev->stats.ns_sent++;
    return RPMSG_SUCCESS;
}

static int wants_announce(const struct rpr_endpoint *ept)
{
    const struct rpr_device *rdev = ept->rdev;
    return ept->name[0] && ept->addr != RPMSG_NS_ADDR && ept->dest_addr == RPMSG_ADDR_ANY &&
           (rdev->features & (1u << VIRTIO_RPMSG_F_NS));
}

/* rpmsg_virtio_ns_callback: the host announced (or withdrew) one of its services. */
static int ns_cb(struct rpr_endpoint *ns, void *data, size_t len, uint32_t src, void *priv)
{
    struct rpr_device *rdev = ns->rdev;
    struct rpmsg_ns_msg m;
    if (len != sizeof(m))
        return RPMSG_SUCCESS; /* malformed: ignored, as OpenAMP does */
    memcpy(&m, data, sizeof(m));
    m.name[RPMSG_NAME_SIZE - 1] = '\0'; /* do not trust the peer to terminate it */
    rdev->stats.ns_received++;
    struct rpr_endpoint *ept = ept_by_name(rdev, m.name, m.addr);
    if (m.flags & RPMSG_NS_DESTROY) {
        if (ept) {
            ept->dest_addr = RPMSG_ADDR_ANY;
            if (ept->ns_unbind_cb)
                ept->ns_unbind_cb(ept);
        }
    } else if (ept) {
        ept->dest_addr = m.addr;
    } else if (rdev->ns_bind_cb) {
        rdev->ns_bind_cb(rdev, m.name, m.addr);
    }
    return RPMSG_SUCCESS;
}

/* ---- bring-up (OpenAMP rproc_virtio_create_vdev + rpmsg_init_vdev) --------------- */

int rpr_init(struct rpr_device *rdev, void *table, size_t size,
             const struct rpr_platform *plat)
{
    if (!rdev || !table || !plat || !plat->da_to_ptr || !plat->kick ||
        size < sizeof(struct resource_table))
        return RPMSG_ERR_PARAM;
    memset(rdev, 0, sizeof(*rdev));
    rdev->plat = plat;
    rdev->send_timeout_ps = RPR_SEND_TIMEOUT_PS;

    const struct resource_table *rt = table;
    uint32_t n = rt->num;
    if (rt->ver != 1 || n > (size - sizeof(*rt)) / sizeof(uint32_t))
        return RPMSG_ERR_INIT;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off = rt->offset[i];
        if (off > size || size - off < sizeof(struct fw_rsc_hdr) + sizeof(struct fw_rsc_vdev))
            continue;
        const struct fw_rsc_hdr *hdr = (const void *)((const uint8_t *)table + off);
        if (hdr->type != RSC_VDEV)
            continue;
        struct fw_rsc_vdev *v = (void *)((uint8_t *)table + off + sizeof(*hdr));
        size_t need = sizeof(*hdr) + sizeof(*v) +
                      (size_t)v->num_of_vrings * sizeof(struct fw_rsc_vdev_vring);
        if (v->id != VIRTIO_ID_RPMSG || v->num_of_vrings < 2 || size - off < need)
            continue;
        rdev->vdev = v;
        break;
    }
    if (!rdev->vdev)
        return RPMSG_ERR_INIT;
    /* The name-service endpoint owns address 53 (used only once NS is negotiated). */
    ept_setup(&rdev->ns_ept, rdev, "NS", RPMSG_NS_ADDR, RPMSG_NS_ADDR, ns_cb, NULL);
    return RPMSG_SUCCESS;
}

void rpr_set_ns_bind_cb(struct rpr_device *rdev, rpr_ns_bind_cb cb) { rdev->ns_bind_cb = cb; }

/* The host reset the vdev. Its side of every channel is gone: an endpoint whose peer was
 * learnt (first message, host announcement) is unbound again, so it is announced again
 * like the others when the host comes back (Linux creates the channel, rpmsg_char binds
 * rpmsg-raw anew). */
static void went_down(struct rpr_device *rdev)
{
    rdev->ready = 0;
    rdev->rvq.live = 0;
    rdev->svq.live = 0;
    rdev->stats.resets_seen++;
    for (struct rpr_endpoint *e = rdev->epts; e; e = e->next) {
        e->announced = 0;
        if (!e->dest_fixed)
            e->dest_addr = RPMSG_ADDR_ANY;
    }
}

static int attach_vring(struct rpr_device *rdev, struct rpr_vq *vq, unsigned i)
{
    vring_view *r = &rdev->vdev->vring[i];
    uint32_t da = r->da, num = r->num, align = r->align, notifyid = r->notifyid;
    if (!is_pow2(num) || num > 32768u || !is_pow2(align) || da == 0 || da == FW_RSC_ADDR_ANY)
        return -1;
    void *mem = rdev->plat->da_to_ptr(rdev->plat->ctx, da, vring_size(num, align));
    if (!mem)
        return -1;
    rpr_vq_attach(vq, mem, num, align, notifyid, da);
    return 0;
}

int rpr_check_ready(struct rpr_device *rdev)
{
    vdev_view *v = rdev->vdev;
    uint8_t status = v->status;
    if (rdev->ready) {
        if (!(status & VIRTIO_CONFIG_S_DRIVER_OK))
            went_down(rdev);
        return rdev->ready;
    }
    if (!(status & VIRTIO_CONFIG_S_DRIVER_OK))
        return 0;
    barrier(rdev);
    rdev->features = v->dfeatures & v->gfeatures;
    /* Device role: receive on vring 1, send on vring 0 (rpmsg_init_vdev). */
    if (attach_vring(rdev, &rdev->svq, 0) || attach_vring(rdev, &rdev->rvq, 1)) {
        rdev->svq.live = rdev->rvq.live = 0;
        return 0;
    }
    rdev->ready = 1;
    for (struct rpr_endpoint *e = rdev->epts; e; e = e->next)
        if (!e->announced && wants_announce(e) && send_ns(e, RPMSG_NS_CREATE) == RPMSG_SUCCESS)
            e->announced = 1;
    return 1;
}

int rpr_wait_ready(struct rpr_device *rdev, uint64_t timeout_ps)
{
    uint64_t t0 = now(rdev);
    while (!rpr_check_ready(rdev)) {
        uint64_t el = now(rdev) - t0;
        if (!rdev->plat->wait_event || el >= timeout_ps)
            return RPMSG_ERR_DEV_STATE;
        rdev->plat->wait_event(rdev->plat->ctx, timeout_ps - el);
    }
    return RPMSG_SUCCESS;
}

/* ---- receive (rpmsg_virtio_rx_callback) ------------------------------------------ */

static int process_rx(struct rpr_device *rdev)
{
    struct rpr_vq *vq = &rdev->rvq;
    struct rpr_vq_buf b;
    int delivered = 0, returned = 0;
    if (rdev->in_rx)
        return 0;
    rdev->in_rx = 1;
    /* A reset notified meanwhile ends the loop: the ring may already be the next host's. */
    while (rdev->ready && rdev->reset_count == rdev->reset_seen && rpr_vq_get(vq, &b)) {
        if (b.head >= vq->vr.num) { /* cannot even be given back */
            rdev->stats.rx_bad++;
            continue;
        }
        returned++;
        uint8_t *buf = b.len >= sizeof(struct rpmsg_hdr)
                           ? rdev->plat->da_to_ptr(rdev->plat->ctx, b.addr, b.len) : NULL;
        if (buf && on_a_ring(rdev, buf, b.len))
            buf = NULL; /* a hostile host: dropped, given back */
        struct rpmsg_hdr h;
        if (buf)
            memcpy(&h, buf, sizeof(h));
        if (!buf || h.len > b.len - sizeof(h)) {
            rdev->stats.rx_bad++;
        } else {
            struct rpr_endpoint *ept = ept_by_addr(rdev, h.dst);
            if (!ept) {
                rdev->stats.rx_no_ept++;
            } else {
                /* First message on an unbound endpoint binds it (OpenAMP). */
                if (ept->dest_addr == RPMSG_ADDR_ANY)
                    ept->dest_addr = h.src;
                rdev->stats.rx_msgs++;
                rdev->stats.rx_bytes += h.len;
                delivered++;
                if (ept->cb && ept->cb(ept, buf + sizeof(h), h.len, h.src, ept->priv))
                    rdev->stats.rx_cb_errors++;
            }
        }
        rpr_vq_add_used(vq, b.head, b.len);
    }
    /* Tell the host its TX buffers are back, unless it suppressed that interrupt
     * (virtio_rpmsg_bus disables "tx-complete" callbacks when no sender waits). */
    if (returned && rpr_vq_must_notify(vq))
        kick(rdev, vq);
    rdev->in_rx = 0;
    return delivered;
}

void rpr_notify(struct rpr_device *rdev, uint32_t notifyid)
{
    (void)notifyid; /* both rings are checked on every poll: cheap and never misses */
    rdev->notify_count++;
}

void rpr_notify_reset(struct rpr_device *rdev) { rdev->reset_count++; }

int rpr_poll(struct rpr_device *rdev)
{
    rdev->stats.polls++;
    if (rdev->reset_count != rdev->reset_seen) {
        rdev->reset_seen = rdev->reset_count;
        if (rdev->ready) {
            went_down(rdev);
            /* Not ready now, even if DRIVER_OK is back: the caller decides when to
             * attach again (a firmware may want to let the host settle first). */
            return RPMSG_ERR_DEV_STATE;
        }
    }
    rdev->stats.notifications += (uint32_t)(rdev->notify_count - rdev->notify_seen);
    rdev->notify_seen = rdev->notify_count;
    if (!rpr_check_ready(rdev))
        return RPMSG_ERR_DEV_STATE;
    return process_rx(rdev);
}

int rpr_has_work(struct rpr_device *rdev)
{
    return rdev->notify_count != rdev->notify_seen || rdev->reset_count != rdev->reset_seen ||
           (rdev->ready && rpr_vq_avail_count(&rdev->rvq) != 0);
}

/* ---- endpoints API ---------------------------------------------------------------- */

int rpr_create_ept(struct rpr_endpoint *ept, struct rpr_device *rdev, const char *name,
                   uint32_t src, uint32_t dest, rpr_ept_cb cb, rpr_ns_unbind_cb unbind_cb)
{
    if (!ept || !rdev || !rdev->vdev)
        return RPMSG_ERR_PARAM;
    uint32_t addr = src;
    if (src == RPMSG_ADDR_ANY) {
        addr = addr_alloc(rdev);
        if (addr == RPMSG_ADDR_ANY)
            return RPMSG_ERR_ADDR;
    } else {
        if (ept_by_addr(rdev, src))
            return RPMSG_ERR_ADDR;
        addr_set(rdev, src, 1);
    }
    ept_setup(ept, rdev, name, addr, dest, cb, unbind_cb);
    if (rdev->ready && wants_announce(ept)) {
        int rc = send_ns(ept, RPMSG_NS_CREATE);
        if (rc) {
            ept_unlink(rdev, ept);
            addr_set(rdev, addr, 0);
            return rc;
        }
        ept->announced = 1;
    }
    return RPMSG_SUCCESS;
}

void rpr_destroy_ept(struct rpr_endpoint *ept)
{
    if (!ept || !ept->rdev)
        return;
    struct rpr_device *rdev = ept->rdev;
    if (ept->announced && rdev->ready && (rdev->features & (1u << VIRTIO_RPMSG_F_NS)))
        (void)send_ns(ept, RPMSG_NS_DESTROY);
    ept_unlink(rdev, ept);
    addr_set(rdev, ept->addr, 0);
    ept->announced = 0;
    ept->rdev = NULL;
}

/* ---- send (rpmsg_virtio_send_offchannel_raw) ------------------------------------- */

/* Next usable TX buffer (an empty buffer the host posted on vring 0), waiting for one
 * when `wait`. Buffers the host posted wrongly are given back empty and skipped. */
static int get_tx_buffer(struct rpr_device *rdev, const void *data, int len, int wait,
                         struct rpr_vq_buf *b, uint8_t **ptr)
{
    uint64_t t0 = 0;
    int waited = 0;
    for (;;) {
        if (!rdev->ready)
            return RPMSG_ERR_DEV_STATE;
        if (rpr_vq_peek(&rdev->svq, b)) {
            *ptr = b->head < rdev->svq.vr.num && b->len >= sizeof(struct rpmsg_hdr)
                       ? rdev->plat->da_to_ptr(rdev->plat->ctx, b->addr, b->len) : NULL;
            /* Issue 16 defect 7: a hostile host may post a TX buffer on top of the RX
             * buffer being echoed (memcpy of overlapping ranges) or of the rings. */
            if (*ptr && (on_a_ring(rdev, *ptr, b->len) ||
                         overlaps(*ptr, b->len, data, (size_t)len))) {
                rdev->stats.tx_overlap++;
                *ptr = NULL;
            }
            if (!*ptr) {
                rdev->stats.tx_bad++;
                rpr_vq_get(&rdev->svq, b);
                rpr_vq_add_used(&rdev->svq, b->head, 0);
                continue;
            }
            if ((uint32_t)len > b->len - sizeof(struct rpmsg_hdr))
                return RPMSG_ERR_BUFF_SIZE; /* left where it is */
            rpr_vq_get(&rdev->svq, b);
            if (waited)
                rdev->stats.tx_wait_ps += now(rdev) - t0;
            return RPMSG_SUCCESS;
        }
        if (!wait) {
            rdev->stats.tx_no_buff++;
            return RPMSG_ERR_NO_BUFF;
        }
        if (!waited) {
            waited = 1;
            t0 = now(rdev);
            rdev->stats.tx_waits++;
        }
        uint64_t el = now(rdev) - t0;
        if (!rdev->plat->wait_event || el >= rdev->send_timeout_ps) {
            rdev->stats.tx_wait_ps += el;
            rdev->stats.tx_timeouts++;
            return RPMSG_ERR_NO_BUFF;
        }
        rdev->plat->wait_event(rdev->plat->ctx, rdev->send_timeout_ps - el);
        rpr_check_ready(rdev); /* the host may have reset the device meanwhile */
    }
}

int rpr_send_offchannel_raw(struct rpr_endpoint *ept, uint32_t src, uint32_t dst,
                            const void *data, int len, int wait)
{
    if (!ept || !ept->rdev || len < 0 || (!data && len) || dst == RPMSG_ADDR_ANY)
        return RPMSG_ERR_PARAM;
    struct rpr_device *rdev = ept->rdev;
    if (!rdev->ready && !rpr_check_ready(rdev))
        return RPMSG_ERR_DEV_STATE;
    if ((unsigned)len > RPMSG_MAX_PAYLOAD)
        return RPMSG_ERR_BUFF_SIZE;

    struct rpr_vq_buf b;
    uint8_t *buf;
    int rc = get_tx_buffer(rdev, data, len, wait, &b, &buf);
    if (rc)
        return rc;
    struct rpmsg_hdr h = {.src = src, .dst = dst, .reserved = 0, .len = (uint16_t)len,
                          .flags = 0};
    memcpy(buf, &h, sizeof(h));
    if (len)
        memcpy(buf + sizeof(h), data, (size_t)len);
    barrier(rdev);
    rpr_vq_add_used(&rdev->svq, b.head, (uint32_t)(sizeof(h) + (size_t)len));
    rdev->stats.tx_msgs++;
    rdev->stats.tx_bytes += (uint64_t)len;
    if (rpr_vq_must_notify(&rdev->svq))
        kick(rdev, &rdev->svq);
    return len;
}

int rpr_send(struct rpr_endpoint *ept, const void *data, int len)
{
    if (!ept)
        return RPMSG_ERR_PARAM;
    if (ept->dest_addr == RPMSG_ADDR_ANY)
        return RPMSG_ERR_ADDR;
    return rpr_send_offchannel_raw(ept, ept->addr, ept->dest_addr, data, len, 1);
}

int rpr_sendto(struct rpr_endpoint *ept, const void *data, int len, uint32_t dst)
{
    return ept ? rpr_send_offchannel_raw(ept, ept->addr, dst, data, len, 1) : RPMSG_ERR_PARAM;
}

int rpr_send_offchannel(struct rpr_endpoint *ept, uint32_t src, uint32_t dst,
                        const void *data, int len)
{
    return rpr_send_offchannel_raw(ept, src, dst, data, len, 1);
}

int rpr_trysend(struct rpr_endpoint *ept, const void *data, int len)
{
    if (!ept)
        return RPMSG_ERR_PARAM;
    if (ept->dest_addr == RPMSG_ADDR_ANY)
        return RPMSG_ERR_ADDR;
    return rpr_send_offchannel_raw(ept, ept->addr, ept->dest_addr, data, len, 0);
}

int rpr_trysendto(struct rpr_endpoint *ept, const void *data, int len, uint32_t dst)
{
    return ept ? rpr_send_offchannel_raw(ept, ept->addr, dst, data, len, 0) : RPMSG_ERR_PARAM;
}

int rpr_trysend_offchannel(struct rpr_endpoint *ept, uint32_t src, uint32_t dst,
                           const void *data, int len)
{
    return rpr_send_offchannel_raw(ept, src, dst, data, len, 0);
}

int rpr_get_buffer_size(struct rpr_device *rdev)
{
    struct rpr_vq_buf b;
    if (!rdev->ready)
        return 0;
    if (rpr_vq_peek(&rdev->svq, &b) && b.len >= sizeof(struct rpmsg_hdr))
        return (int)(b.len - sizeof(struct rpmsg_hdr));
    return (int)RPMSG_MAX_PAYLOAD;
}

unsigned rpr_tx_free(struct rpr_device *rdev)
{
    return rdev->ready ? rpr_vq_avail_count(&rdev->svq) : 0;
}
