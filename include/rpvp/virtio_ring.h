/*
 * Split virtqueue ("vring") layout, as Linux's include/uapi/linux/virtio_ring.h defines
 * it (virtio 1.x spec section 2.7 "Split Virtqueues", legacy layout of section 2.7.2 /
 * "Legacy Interfaces: A Note on Virtqueue Layout").
 *
 * Interface: the four ring structures, the descriptor/ring flag bits, the feature bits
 * that change the layout, vring_size()/vring_init() for the legacy one-block layout
 * (descriptor table, then the available ring, then -- aligned to `align` -- the used
 * ring), address-free offset helpers for code that works on guest/bus addresses rather
 * than host pointers (device models), and vring_need_event().
 *
 * All fields are little-endian on the wire (virtio 1.x, and legacy on the little-endian
 * machines rpvp models). Users on a little-endian host (x86-64, Cortex-M3) read them
 * directly. Shared by host code and the Cortex-M3 firmware: only <stdint.h>/<stddef.h>.
 *
 * Not here: packed virtqueues (VIRTIO_F_RING_PACKED), indirect-descriptor helpers.
 */
#ifndef RPVP_VIRTIO_RING_H
#define RPVP_VIRTIO_RING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Descriptor flags (struct vring_desc.flags). */
#define VRING_DESC_F_NEXT 1u     /* buffer continues via the next field */
#define VRING_DESC_F_WRITE 2u    /* buffer is device write-only (otherwise read-only) */
#define VRING_DESC_F_INDIRECT 4u /* buffer holds a list of descriptors */

/* vring_used.flags: the device asks the driver not to kick when it adds a buffer. */
#define VRING_USED_F_NO_NOTIFY 1u
/* vring_avail.flags: the driver asks the device not to interrupt when it consumes one. */
#define VRING_AVAIL_F_NO_INTERRUPT 1u

/* Transport feature bits that concern the ring. */
#define VIRTIO_RING_F_INDIRECT_DESC 28u
#define VIRTIO_RING_F_EVENT_IDX 29u
#define VIRTIO_F_VERSION_1 32u

/* Legacy alignment of the used ring (virtio_mmio/virtio_pci legacy, remoteproc). */
#define VIRTIO_LEGACY_VRING_ALIGN 4096u /* Linux: VIRTIO_MMIO_VRING_ALIGN / PAGE_SIZE */

/* One buffer descriptor: 16 bytes. */
struct vring_desc {
    uint64_t addr;  /* bus address of the buffer */
    uint32_t len;   /* length in bytes */
    uint16_t flags; /* VRING_DESC_F_* */
    uint16_t next;  /* next descriptor if flags & VRING_DESC_F_NEXT */
};

/* Driver -> device ring: heads of buffer chains the device may use. */
struct vring_avail {
    uint16_t flags; /* VRING_AVAIL_F_* */
    uint16_t idx;   /* where the driver puts the next entry (mod num), free-running */
    uint16_t ring[];
    /* with VIRTIO_RING_F_EVENT_IDX, uint16_t used_event follows ring[num] */
};

/* One used entry: 8 bytes. */
struct vring_used_elem {
    uint32_t id;  /* head index of the used descriptor chain (uint32 for padding) */
    uint32_t len; /* bytes written into the buffer by the device */
};
typedef struct vring_used_elem used_elem;

/* Device -> driver ring: buffers the device is done with. */
struct vring_used {
    uint16_t flags; /* VRING_USED_F_* */
    uint16_t idx;   /* free-running */
    struct vring_used_elem ring[];
    /* with VIRTIO_RING_F_EVENT_IDX, uint16_t avail_event follows ring[num] */
};

/* Host-pointer view of one vring, as Linux's struct vring. */
struct vring {
    unsigned int num;
    struct vring_desc *desc;
    struct vring_avail *avail;
    struct vring_used *used;
};

/* Event-index fields sit just past the rings (Linux: vring_used_event/vring_avail_event). */
#define vring_used_event(vr) ((vr)->avail->ring[(vr)->num])
#define vring_avail_event(vr) (*(uint16_t *)&(vr)->used->ring[(vr)->num])

#ifdef __cplusplus
#define RPVP_VRING_STATIC_ASSERT static_assert
#else
#define RPVP_VRING_STATIC_ASSERT _Static_assert
#endif
RPVP_VRING_STATIC_ASSERT(sizeof(struct vring_desc) == 16, "vring_desc is 16 bytes");
RPVP_VRING_STATIC_ASSERT(sizeof(struct vring_used_elem) == 8, "vring_used_elem is 8 bytes");
RPVP_VRING_STATIC_ASSERT(sizeof(struct vring_avail) == 4, "vring_avail header is 4 bytes");
RPVP_VRING_STATIC_ASSERT(sizeof(struct vring_used) == 4, "vring_used header is 4 bytes");

/* --- legacy one-block layout, offsets from the descriptor table's address --- */

/* Offset of the available ring: right after num descriptors. */
static inline uint64_t vring_avail_offset(unsigned int num)
{
    return (uint64_t)num * sizeof(struct vring_desc);
}

/* Offset of the used ring: after avail {flags, idx, ring[num], used_event}, rounded up
 * to `align` (a power of two). Same arithmetic as Linux's vring_init(). */
static inline uint64_t vring_used_offset(unsigned int num, unsigned long align)
{
    uint64_t end_of_avail = vring_avail_offset(num) + sizeof(uint16_t) * (3u + (uint64_t)num);
    return (end_of_avail + align - 1) & ~((uint64_t)align - 1);
}

/* Total bytes of a legacy vring of `num` entries, used ring aligned to `align`
 * (Linux: vring_size()). The used ring ends with avail_event. */
static inline unsigned vring_size(unsigned int num, unsigned long align)
{
    return (unsigned)(vring_used_offset(num, align) + sizeof(uint16_t) * 3u +
                      sizeof(struct vring_used_elem) * (uint64_t)num);
}

/* Fill `vr` for a legacy vring of `num` entries starting at host pointer `p`
 * (Linux: vring_init()). */
static inline void vring_init(struct vring *vr, unsigned int num, void *p, unsigned long align)
{
    vr->num = num;
    vr->desc = (struct vring_desc *)p;
    vr->avail = (struct vring_avail *)((char *)p + vring_avail_offset(num));
    vr->used = (struct vring_used *)((char *)p + vring_used_offset(num, align));
}

/* Bus-address helpers for device models that hold only the ring's address. */
static inline uint64_t vring_desc_addr(uint64_t base, unsigned int i)
{
    return base + (uint64_t)i * sizeof(struct vring_desc);
}
static inline uint64_t vring_avail_addr(uint64_t base, unsigned int num)
{
    return base + vring_avail_offset(num);
}
static inline uint64_t vring_used_addr(uint64_t base, unsigned int num, unsigned long align)
{
    return base + vring_used_offset(num, align);
}

/* With EVENT_IDX: must the other side be notified after moving the index from `old` to
 * `new_idx`, given it asked to be woken at `event_idx`? (Linux: vring_need_event().) */
static inline int vring_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old)
{
    return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old);
}

#ifdef __cplusplus
}
#endif
#endif
