/*
 * virtio-rpmsg device: queue set-up and teardown (QueuePFN in version 1, QueueReady with
 * Desc/Driver/Device in version 2), the checks that refuse a vring the resource table
 * cannot express, and the remoteproc-style table update of a live queue.
 */
#include "rpvp/virtio_ring.h"
#include "vrpmsg_internal.h"

vrpmsg_queue *vrpmsg_selected_queue(rpvp_vrpmsg *d, const char *what)
{
    if (vrpmsg_table_lookup(d) && d->queue_sel < d->num_queues)
        return &d->q[d->queue_sel];
    vrpmsg_guest_error(d, &d->st.bad_queue_sel, "%s with QueueSel %u: device has %u queues",
                       what, d->queue_sel, d->num_queues);
    return NULL;
}

int vrpmsg_is_pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

/* Check a vring at `desc` of `num` entries laid out with `align`; 1 if acceptable. */
static int check_vring(rpvp_vrpmsg *d, unsigned qi, uint64_t desc, uint32_t num,
                       uint32_t align)
{
    if (!vrpmsg_is_pow2(num) || num > d->cfg.queue_num_max) {
        vrpmsg_guest_error(d, &d->st.bad_queue_num,
                           "queue %u: QueueNum %u is not a power of two <= QueueNumMax %u",
                           qi, num, d->cfg.queue_num_max);
        return 0;
    }
    /* virtio 1.x 2.7 (split virtqueues): descriptor table 16-byte, driver (avail) ring
     * 2-byte, device (used) ring 4-byte aligned. The firmware reads descriptors with LDRD
     * and used entries with word accesses: a misaligned ring faults the M3. */
    uint64_t avail = vring_avail_addr(desc, num), used = vring_used_addr(desc, num, align);
    if (desc % 16 || avail % 2 || used % 4) {
        vrpmsg_guest_error(d, &d->st.bad_queue_align,
                           "queue %u: vring misaligned (descriptors 0x%llx need 16, avail "
                           "0x%llx 2, used 0x%llx 4 bytes); setting DEVICE_NEEDS_RESET",
                           qi, (unsigned long long)desc, (unsigned long long)avail,
                           (unsigned long long)used);
        return 0;
    }
    uint64_t size = vring_size(num, align);
    uint64_t lo = d->cfg.ddr_base, hi = d->cfg.ddr_base + d->cfg.ddr_size;
    if (desc < lo || desc > hi || size > hi - desc || desc + size - 1 > 0xffffffffull) {
        vrpmsg_guest_error(d, &d->st.bad_queue_addr,
                           "queue %u: vring 0x%llx..+0x%llx outside DDR window "
                           "0x%llx..0x%llx (or above 4 GiB, which fw_rsc_vdev_vring.da "
                           "cannot hold)",
                           qi, (unsigned long long)desc, (unsigned long long)size,
                           (unsigned long long)lo, (unsigned long long)hi);
        return 0;
    }
    return 1;
}

/* Make queue qi live at `desc` (legacy layout) and tell the firmware through the table. */
static void queue_go_live(rpvp_vrpmsg *d, unsigned qi, uint64_t desc, uint32_t num,
                          uint32_t align)
{
    vrpmsg_queue *q = &d->q[qi];
    q->live = 1;
    q->live_desc = desc;
    q->live_avail = vring_avail_addr(desc, num);
    q->live_used = vring_used_addr(desc, num, align);
    q->live_num = num;
    q->live_align = align;
    q->was_full = 0;
    d->st.queue_setups++;
    d->st.queue[qi].num = num;
    d->st.queue[qi].desc_addr = desc;
    vrpmsg_table_write_vring(d, qi, (uint32_t)desc, align, num, qi);
    vrpmsg_log(d, RPVP_VRPMSG_LOG_INFO, "queue %u live: da 0x%llx num %u align %u", qi,
               (unsigned long long)desc, num, align);
}

static void queue_teardown(rpvp_vrpmsg *d, unsigned qi)
{
    vrpmsg_queue *q = &d->q[qi];
    if (!q->live)
        return;
    q->live = 0;
    q->pfn = 0;
    d->st.queue[qi].num = 0;
    d->st.queue[qi].desc_addr = 0;
    vrpmsg_table_write_vring(d, qi, 0, q->live_align, q->live_num, qi);
}

void vrpmsg_write_queue_pfn(rpvp_vrpmsg *d, uint32_t pfn)
{
    vrpmsg_queue *q = vrpmsg_selected_queue(d, "QueuePFN write");
    unsigned qi = d->queue_sel;
    if (!q)
        return;
    queue_teardown(d, qi);
    if (!pfn)
        return;
    if (!vrpmsg_is_pow2(d->guest_page_size) || !vrpmsg_is_pow2(q->align)) {
        vrpmsg_guest_error(d, &d->st.bad_layout,
                           "queue %u: GuestPageSize %u / QueueAlign %u not powers of two",
                           qi, d->guest_page_size, q->align);
        vrpmsg_set_needs_reset(d);
        return;
    }
    uint64_t desc = (uint64_t)pfn * d->guest_page_size;
    if (!check_vring(d, qi, desc, q->num, q->align)) {
        vrpmsg_set_needs_reset(d);
        return;
    }
    q->pfn = pfn;
    queue_go_live(d, qi, desc, q->num, q->align);
}

void vrpmsg_write_queue_ready(rpvp_vrpmsg *d, uint32_t v)
{
    vrpmsg_queue *q = vrpmsg_selected_queue(d, "QueueReady write");
    unsigned qi = d->queue_sel;
    if (!q)
        return;
    if (!(v & 1)) {
        queue_teardown(d, qi);
        return;
    }
    if (q->live)
        return;
    if (!check_vring(d, qi, q->desc, q->num, d->cfg.vring_align)) {
        vrpmsg_set_needs_reset(d);
        return;
    }
    uint64_t avail = vring_avail_addr(q->desc, q->num);
    uint64_t used = vring_used_addr(q->desc, q->num, d->cfg.vring_align);
    if (q->avail != avail || q->used != used) {
        /* fw_rsc_vdev_vring holds one address: only the legacy layout is expressible. */
        vrpmsg_guest_error(d, &d->st.bad_layout,
                           "queue %u: driver area 0x%llx / device area 0x%llx are not the "
                           "legacy layout of desc 0x%llx num %u align %u (expected 0x%llx / "
                           "0x%llx); setting DEVICE_NEEDS_RESET",
                           qi, (unsigned long long)q->avail, (unsigned long long)q->used,
                           (unsigned long long)q->desc, q->num, d->cfg.vring_align,
                           (unsigned long long)avail, (unsigned long long)used);
        vrpmsg_set_needs_reset(d);
        return;
    }
    queue_go_live(d, qi, q->desc, q->num, d->cfg.vring_align);
}

/* Store one 32-bit half of a v2 queue address (HIGH registers sit at LOW + 4). */
void vrpmsg_write_queue_addr(rpvp_vrpmsg *d, uint32_t off, uint32_t v)
{
    vrpmsg_queue *q = vrpmsg_selected_queue(d, "queue address write");
    if (!q)
        return;
    uint64_t *field = off < VIRTIO_MMIO_QUEUE_AVAIL_LOW  ? &q->desc
                      : off < VIRTIO_MMIO_QUEUE_USED_LOW ? &q->avail
                                                         : &q->used;
    if (off & 4)
        *field = (*field & 0xffffffffull) | ((uint64_t)v << 32);
    else
        *field = (*field & ~0xffffffffull) | v;
}

