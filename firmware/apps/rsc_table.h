/*
 * The firmware's remoteproc resource table (section .resource_table), laid out as Linux
 * remoteproc expects (include/rpvp/remoteproc.h):
 *   0: RSC_CARVEOUT  da 0, 16 MiB, pa FW_RSC_ADDR_ANY (the host fills it): code + data
 *   (no RSC_DEVMEM: the M3's view of L4_CFG - the mailbox, the watchdog - is the
 *   platform's fixed map, and Linux's remoteproc refuses RSC_DEVMEM without an IOMMU:
 *   "Failed to process resources: -22")
 *   1: RSC_TRACE     the log buffer (bsp_trace_buf)
 *   2: RSC_VDEV      virtio id 7 (rpmsg), VIRTIO_RPMSG_F_NS, two vrings of 256 entries,
 *                    align 4096, da FW_RSC_ADDR_ANY: the host writes where it put them.
 * The host writes vring da's, gfeatures and status into the loaded copy; the firmware
 * reads them from here (volatile: another master writes them).
 */
#ifndef FW_RSC_TABLE_H
#define FW_RSC_TABLE_H

#include <stdint.h>

#include "rpvp/remoteproc.h"

#define FW_NUM_VRINGS 2
#define FW_VRING_NUM 256u
#define FW_VRING_ALIGN 4096u
#define FW_RSC_NUM_ENTRIES 3

/* The vdev entry with its vrings: the C extension OpenAMP uses (a struct ending in a
 * flexible array member followed by its elements). */
struct fw_resource_table {
    uint32_t ver;
    uint32_t num;
    uint32_t reserved[2];
    uint32_t offset[FW_RSC_NUM_ENTRIES];

    uint32_t carveout_type;
    struct fw_rsc_carveout carveout;


    uint32_t trace_type;
    struct fw_rsc_trace trace;

    uint32_t vdev_type;
    struct fw_rsc_vdev vdev;
    struct fw_rsc_vdev_vring vring[FW_NUM_VRINGS];
} __attribute__((packed));

extern volatile struct fw_resource_table fw_rsc_table;

#endif
