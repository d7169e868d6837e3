/* The vring observer (include/rpvp/vring_observer.h). */
#include "rpvp/vring_observer.h"

#include <stdlib.h>
#include <string.h>

#include "rpvp/remoteproc.h"
#include "rpvp/rpmsg_proto.h"
#include "rpvp/virtio_ring.h"

typedef struct obs_vring {
    uint32_t da, num, align;   /* from the table; da 0: not set up */
    uint32_t desc, avail, used;
    uint16_t last_avail, last_used;
    int armed;
} obs_vring;

struct rpvp_vring_obs {
    rpvp_vring_obs_config cfg;
    obs_vring v[RPVP_VRING_OBS_MAX];
    unsigned nv;
};

static int rd(rpvp_vring_obs *o, uint32_t da, void *buf, uint32_t len)
{
    return o->cfg.read(o->cfg.read_ctx, da, buf, len);
}

static uint16_t rd16(rpvp_vring_obs *o, uint32_t da, int *ok)
{
    uint16_t x = 0;
    if (rd(o, da, &x, 2) != 0)
        *ok = 0;
    return x;
}

static void emit(rpvp_vring_obs *o, rpvp_ev *e)
{
    rpvp_ev_emit(o->cfg.sink, e);
}

static void sample(rpvp_vring_obs *o, unsigned q, uint8_t agent, uint64_t t)
{
    obs_vring *v = &o->v[q];
    int ok = 1;
    uint16_t a = rd16(o, v->avail + 2, &ok), u = rd16(o, v->used + 2, &ok);
    if (!ok)
        return;
    rpvp_ev e = {.t_ps = t, .kind = RPVP_EV_VRING, .agent = agent, .q = (uint8_t)q,
                 .idx = a, .desc = u, .len = (uint16_t)v->num};
    emit(o, &e);
}

/* The rpmsg header of descriptor `head`'s buffer into e (zeros if unreadable). */
static void header(rpvp_vring_obs *o, const obs_vring *v, uint32_t head, rpvp_ev *e)
{
    struct vring_desc d;
    struct rpmsg_hdr h;
    if (head >= v->num || rd(o, v->desc + head * (uint32_t)sizeof d, &d, sizeof d) != 0 ||
        d.len < sizeof h || rd(o, (uint32_t)d.addr, &h, sizeof h) != 0)
        return;
    e->src = h.src;
    e->dst = h.dst;
    e->len = h.len;
    e->flags = h.flags;
}

/* Re-read the vdev's vrings from the table; (re)arm the watches when they moved. */
static void refresh(rpvp_vring_obs *o)
{
    struct resource_table t;
    if (rd(o, o->cfg.rsc_da, &t, sizeof t) != 0 || t.ver != 1 ||
        t.num > (o->cfg.rsc_size - sizeof t) / 4)
        return;
    for (uint32_t i = 0; i < t.num; i++) {
        uint32_t off, type;
        struct fw_rsc_vdev vd;
        if (rd(o, o->cfg.rsc_da + (uint32_t)sizeof t + 4 * i, &off, 4) != 0 ||
            off + 4 + sizeof vd > o->cfg.rsc_size ||
            rd(o, o->cfg.rsc_da + off, &type, 4) != 0 || type != RSC_VDEV ||
            rd(o, o->cfg.rsc_da + off + 4, &vd, sizeof vd) != 0 || vd.id != VIRTIO_ID_RPMSG)
            continue;
        unsigned n = vd.num_of_vrings < RPVP_VRING_OBS_MAX ? vd.num_of_vrings
                                                           : RPVP_VRING_OBS_MAX;
        for (unsigned q = 0; q < n; q++) {
            struct fw_rsc_vdev_vring r;
            uint32_t at = o->cfg.rsc_da + off + 4 + (uint32_t)sizeof vd + q * (uint32_t)sizeof r;
            if (off + 4 + sizeof vd + (q + 1) * sizeof r > o->cfg.rsc_size ||
                rd(o, at, &r, sizeof r) != 0)
                break;
            obs_vring *v = &o->v[q];
            int live = r.da != 0 && r.da != FW_RSC_ADDR_ANY && r.num != 0 &&
                       (r.num & (r.num - 1)) == 0 && r.align != 0 &&
                       (r.align & (r.align - 1)) == 0 && r.num <= 32768;
            if (live && v->da == r.da && v->num == r.num && v->align == r.align)
                continue;
            if (v->armed && o->cfg.arm)
                o->cfg.arm(o->cfg.arm_ctx, q, 0, 0);
            memset(v, 0, sizeof *v);
            if (!live)
                continue;
            v->da = r.da;
            v->num = r.num;
            v->align = r.align;
            v->desc = r.da;
            v->avail = r.da + 16 * r.num;
            v->used = (v->avail + 4 + 2 * r.num + 2 + r.align - 1) & ~(r.align - 1);
            int ok = 1;
            v->last_avail = rd16(o, v->avail + 2, &ok);
            v->last_used = rd16(o, v->used + 2, &ok);
            if (o->cfg.arm) {
                o->cfg.arm(o->cfg.arm_ctx, q, v->used + 2, 2);
                v->armed = 1;
            }
        }
        o->nv = n;
        return;
    }
}

/* Where to continue from when the ring's index is now `now` and was `last`. A ring moves
 * by at most num entries between two looks; a larger step means the driver set it up
 * afresh at the same place (Linux's remoteproc restarting, recovering or re-attaching
 * the remote: new vrings start at index 0), not 65,000 new entries. */
static uint16_t resync(uint16_t last, uint16_t now, uint32_t num)
{
    if ((uint16_t)(now - last) <= num)
        return last;
    return now <= num ? 0 : now;
}

rpvp_vring_obs *rpvp_vring_obs_new(const rpvp_vring_obs_config *cfg)
{
    if (!cfg || !cfg->read || !cfg->sink)
        return NULL;
    rpvp_vring_obs *o = calloc(1, sizeof *o);
    if (o)
        o->cfg = *cfg;
    return o;
}

void rpvp_vring_obs_free(rpvp_vring_obs *o)
{
    free(o);
}

void rpvp_vring_obs_host_kick(rpvp_vring_obs *o, uint64_t t_ps)
{
    refresh(o);
    for (unsigned q = 0; q < o->nv; q++) {
        obs_vring *v = &o->v[q];
        if (!v->da)
            continue;
        int ok = 1;
        uint16_t a = rd16(o, v->avail + 2, &ok);
        if (!ok || a == v->last_avail)
            continue;
        v->last_avail = resync(v->last_avail, a, v->num);
        for (uint16_t i = v->last_avail; i != a; i++) {
            uint16_t head = rd16(o, v->avail + 4 + 2 * (i % v->num), &ok);
            rpvp_ev e = {.t_ps = t_ps, .kind = RPVP_EV_AVAIL, .agent = RPVP_AGENT_DRIVER,
                         .q = (uint8_t)q, .desc = head, .idx = i};
            header(o, v, head, &e);
            emit(o, &e);
        }
        v->last_avail = a;
        sample(o, q, RPVP_AGENT_DRIVER, t_ps);
    }
}

void rpvp_vring_obs_used_written(rpvp_vring_obs *o, unsigned slot, uint64_t t_ps)
{
    if (slot >= o->nv || !o->v[slot].da)
        return;
    obs_vring *v = &o->v[slot];
    int ok = 1;
    uint16_t u = rd16(o, v->used + 2, &ok);
    if (!ok || u == v->last_used)
        return;
    v->last_used = resync(v->last_used, u, v->num);
    for (uint16_t i = v->last_used; i != u; i++) {
        struct vring_used_elem el;
        if (rd(o, v->used + 4 + (uint32_t)sizeof el * (i % v->num), &el, sizeof el) != 0)
            break;
        rpvp_ev e = {.t_ps = t_ps, .kind = RPVP_EV_USED, .agent = RPVP_AGENT_M3,
                     .q = (uint8_t)slot, .desc = (uint16_t)el.id, .idx = i, .value = el.len};
        header(o, v, el.id, &e);
        emit(o, &e);
    }
    v->last_used = u;
    sample(o, slot, RPVP_AGENT_M3, t_ps);
}
