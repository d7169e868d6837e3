/*
 * The remoteproc side of the virtio-rpmsg device: find the RSC_VDEV entry in the remote
 * firmware's resource table and write into it what Linux remoteproc would
 * (remoteproc_virtio.c: status, gfeatures, vring da/num/notifyid, config).
 *
 * Every table access is a debug access: the table is remoteproc's software state, which
 * on silicon the host CPU updates with plain stores; it costs no bus time here.
 * Every access is bounded by the table size the platform gave.
 */
#include <stddef.h>
#include <string.h>

#include "rpvp/remoteproc.h"
#include "vrpmsg_internal.h"

#define VDEV_FIXED_SIZE ((uint32_t)sizeof(struct fw_rsc_vdev))
#define VRING_SIZE ((uint32_t)sizeof(struct fw_rsc_vdev_vring))
#define TABLE_HDR_SIZE ((uint32_t)sizeof(struct resource_table))

/* Read `len` bytes at offset `off` of the table; 0 if outside it or the bus fails. */
static int table_read(rpvp_vrpmsg *d, uint32_t off, void *data, unsigned len)
{
    if ((uint64_t)off + len > d->table_size || !d->cfg.bus.debug_read)
        return 0;
    return d->cfg.bus.debug_read(d->cfg.bus.ctx, d->table_addr + off, data, len) == len;
}

/* Write inside the vdev entry (offset from the entry start). */
static void vdev_write(rpvp_vrpmsg *d, uint32_t off, const void *data, unsigned len)
{
    if (!vrpmsg_table_lookup(d))
        return;
    if ((uint64_t)off + len > d->vdev_size || !d->cfg.bus.debug_write ||
        d->cfg.bus.debug_write(d->cfg.bus.ctx, d->vdev_addr + off, data, len) != len) {
        d->st.bus_errors++;
        vrpmsg_log(d, RPVP_VRPMSG_LOG_GUEST_ERROR,
                   "resource table write of %u bytes at vdev+0x%x failed", len, off);
    }
}

static int table_missing(rpvp_vrpmsg *d, const char *why)
{
    d->vdev_state = VDEV_MISSING;
    d->num_queues = 0;
    d->st.table_errors++;
    vrpmsg_log(d, RPVP_VRPMSG_LOG_GUEST_ERROR,
               "no usable rpmsg vdev in the resource table at 0x%llx (%u bytes): %s",
               (unsigned long long)d->table_addr, d->table_size, why);
    return 0;
}

/* Check entry `i` at table offset `eoff`; accept it if it is an rpmsg vdev. */
static int try_entry(rpvp_vrpmsg *d, uint32_t eoff)
{
    uint32_t type;
    struct fw_rsc_vdev v;
    if (!table_read(d, eoff, &type, sizeof type) || type != RSC_VDEV)
        return 0;
    if (!table_read(d, eoff + 4, &v, VDEV_FIXED_SIZE) || v.id != VIRTIO_ID_RPMSG)
        return 0;
    uint64_t size = VDEV_FIXED_SIZE + (uint64_t)v.num_of_vrings * VRING_SIZE + v.config_len;
    if ((uint64_t)eoff + 4 + size > d->table_size) {
        vrpmsg_log(d, RPVP_VRPMSG_LOG_GUEST_ERROR,
                   "rpmsg vdev at table+0x%x (%u vrings, config_len %u) overruns the table",
                   eoff, v.num_of_vrings, v.config_len);
        return 0;
    }
    d->vdev_addr = d->table_addr + eoff + 4;
    d->vdev_size = (uint32_t)size;
    d->table_vrings = v.num_of_vrings;
    d->num_queues = v.num_of_vrings;
    if (d->num_queues > RPVP_VRPMSG_MAX_QUEUES) {
        vrpmsg_log(d, RPVP_VRPMSG_LOG_GUEST_ERROR,
                   "vdev has %u vrings; only the first %u have mailbox channels", v.num_of_vrings,
                   RPVP_VRPMSG_MAX_QUEUES);
        d->num_queues = RPVP_VRPMSG_MAX_QUEUES;
    }
    d->config_len = v.config_len;
    d->dfeatures = v.dfeatures;
    d->vdev_state = VDEV_FOUND;
    vrpmsg_log(d, RPVP_VRPMSG_LOG_INFO,
               "rpmsg vdev at 0x%llx: %u vrings, dfeatures 0x%x, config_len %u",
               (unsigned long long)d->vdev_addr, v.num_of_vrings, v.dfeatures, v.config_len);
    return 1;
}

int vrpmsg_table_lookup(rpvp_vrpmsg *d)
{
    if (d->vdev_state != VDEV_UNKNOWN)
        return d->vdev_state == VDEV_FOUND;
    struct resource_table hdr;
    if (d->table_size < TABLE_HDR_SIZE || !table_read(d, 0, &hdr, TABLE_HDR_SIZE))
        return table_missing(d, "table not readable");
    if (hdr.ver != 1)
        return table_missing(d, "version is not 1");
    if ((uint64_t)TABLE_HDR_SIZE + 4ull * hdr.num > d->table_size)
        return table_missing(d, "entry count overruns the table");
    for (uint32_t i = 0; i < hdr.num; i++) {
        uint32_t eoff;
        if (!table_read(d, TABLE_HDR_SIZE + 4 * i, &eoff, sizeof eoff))
            break;
        if (try_entry(d, eoff))
            return 1;
    }
    return table_missing(d, "no RSC_VDEV entry with id 7");
}

void vrpmsg_table_forget(rpvp_vrpmsg *d)
{
    d->vdev_state = VDEV_UNKNOWN;
    d->vdev_addr = 0;
    d->vdev_size = 0;
    d->table_vrings = 0;
    d->num_queues = 0;
    d->config_len = 0;
    d->dfeatures = 0;
}

void vrpmsg_table_write_status(rpvp_vrpmsg *d, uint8_t status)
{
    vdev_write(d, offsetof(struct fw_rsc_vdev, status), &status, 1);
}

void vrpmsg_table_write_gfeatures(rpvp_vrpmsg *d, uint32_t gfeatures)
{
    vdev_write(d, offsetof(struct fw_rsc_vdev, gfeatures), &gfeatures, 4);
}

void vrpmsg_table_write_vring(rpvp_vrpmsg *d, unsigned i, uint32_t da, uint32_t align,
                              uint32_t num, uint32_t notifyid)
{
    struct fw_rsc_vdev_vring r;
    uint32_t off = VDEV_FIXED_SIZE + i * VRING_SIZE;
    if (!vrpmsg_table_lookup(d) || i >= d->num_queues)
        return;
    /* Keep the pa word as the firmware/loader left it. */
    if (!d->cfg.bus.debug_read ||
        d->cfg.bus.debug_read(d->cfg.bus.ctx, d->vdev_addr + off, &r, VRING_SIZE) != VRING_SIZE)
        memset(&r, 0, sizeof r);
    r.da = da;
    r.align = align;
    r.num = num;
    r.notifyid = notifyid;
    vdev_write(d, off, &r, VRING_SIZE);
}

static int config_range(rpvp_vrpmsg *d, uint32_t off, unsigned len, uint32_t *at)
{
    if (!vrpmsg_table_lookup(d) || (uint64_t)off + len > d->config_len)
        return 0;
    *at = VDEV_FIXED_SIZE + d->table_vrings * VRING_SIZE + off;
    return 1;
}

int vrpmsg_table_config_read(rpvp_vrpmsg *d, uint32_t off, void *data, unsigned len)
{
    uint32_t at;
    if (!config_range(d, off, len, &at))
        return 0;
    if (d->cfg.bus.debug_read(d->cfg.bus.ctx, d->vdev_addr + at, data, len) != len) {
        d->st.bus_errors++;
        memset(data, 0, len);
    }
    return 1;
}

int vrpmsg_table_config_write(rpvp_vrpmsg *d, uint32_t off, const void *data, unsigned len)
{
    uint32_t at;
    if (!config_range(d, off, len, &at))
        return 0;
    vdev_write(d, at, data, len);
    return 1;
}
