/*
 * Remoteproc resource table, as Linux's include/linux/remoteproc.h lays it out
 * (struct resource_table, fw_rsc_hdr, fw_rsc_carveout, fw_rsc_trace, fw_rsc_vdev,
 * fw_rsc_vdev_vring). Byte layout is the ABI between a firmware ELF and whatever boots
 * it (Linux remoteproc on silicon, rpvp's loader and virtio-rpmsg device here), so the
 * structs are packed, little-endian, fixed-width. Shared by the platform (host build)
 * and the firmware (arm-none-eabi build): no host-only includes.
 */
#ifndef RPVP_REMOTEPROC_H
#define RPVP_REMOTEPROC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RPVP_PACKED __attribute__((packed))

/* Resource types (enum fw_resource_type). */
enum {
    RSC_CARVEOUT = 0,
    RSC_DEVMEM = 1,
    RSC_TRACE = 2,
    RSC_VDEV = 3,
};

/* Any address: let the host choose (FW_RSC_ADDR_ANY). */
#define FW_RSC_ADDR_ANY 0xFFFFFFFFu

/* Virtio ids and features used by rpmsg. */
#define VIRTIO_ID_RPMSG 7u
#define VIRTIO_RPMSG_F_NS 0u /* feature bit: name-service announcements */

/* Virtio device status bits (virtio 1.x, 2.1). */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 1u
#define VIRTIO_CONFIG_S_DRIVER 2u
#define VIRTIO_CONFIG_S_DRIVER_OK 4u
#define VIRTIO_CONFIG_S_FEATURES_OK 8u
#define VIRTIO_CONFIG_S_NEEDS_RESET 0x40u
#define VIRTIO_CONFIG_S_FAILED 0x80u

struct resource_table {
    uint32_t ver; /* 1 */
    uint32_t num; /* number of entries */
    uint32_t reserved[2];
    uint32_t offset[]; /* byte offset of each entry from the table start */
} RPVP_PACKED;

struct fw_rsc_hdr {
    uint32_t type;
    /* the resource follows */
} RPVP_PACKED;

struct fw_rsc_carveout {
    uint32_t da;
    uint32_t pa;
    uint32_t len;
    uint32_t flags;
    uint32_t reserved;
    uint8_t name[32];
} RPVP_PACKED;

struct fw_rsc_devmem {
    uint32_t da;
    uint32_t pa;
    uint32_t len;
    uint32_t flags;
    uint32_t reserved;
    uint8_t name[32];
} RPVP_PACKED;

struct fw_rsc_trace {
    uint32_t da;
    uint32_t len;
    uint32_t reserved;
    uint8_t name[32];
} RPVP_PACKED;

struct fw_rsc_vdev_vring {
    uint32_t da;
    uint32_t align;
    uint32_t num;
    uint32_t notifyid;
    uint32_t pa; /* was 'reserved' in older kernels */
} RPVP_PACKED;

struct fw_rsc_vdev {
    uint32_t id;       /* virtio device id: VIRTIO_ID_RPMSG */
    uint32_t notifyid;
    uint32_t dfeatures; /* device features */
    uint32_t gfeatures; /* features the driver accepted (written by the host) */
    uint32_t config_len;
    uint8_t status;     /* virtio status byte (written by the host) */
    uint8_t num_of_vrings;
    uint8_t reserved[2];
    struct fw_rsc_vdev_vring vring[];
    /* config space of config_len bytes follows the vrings */
} RPVP_PACKED;

#ifdef __cplusplus
}
#endif
#endif
