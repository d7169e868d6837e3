/*
 * rpmsg wire format over virtio, as Linux drivers/rpmsg/virtio_rpmsg_bus.c and
 * drivers/rpmsg/rpmsg_ns.c (include/linux/rpmsg/ns.h) define it, and as OpenAMP
 * lib/rpmsg/rpmsg_virtio.c speaks it on the remote side.
 *
 * Interface: the 16-byte message header that starts every buffer, the name-service
 * message sent to address 53, the address constants, the buffer geometry Linux uses
 * (MAX_RPMSG_NUM_BUFS buffers of MAX_RPMSG_BUF_SIZE bytes, first half RX, second half TX),
 * and which virtqueue carries which direction.
 *
 * Shared by the synthetic host (host build) and the remote stack (host build and
 * Cortex-M3 build): fixed-width types, little-endian, only <stdint.h>.
 * Not here: the big-endian "legacy virtio on a BE host" case (rpvp models LE machines).
 */
#ifndef RPVP_RPMSG_PROTO_H
#define RPVP_RPMSG_PROTO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Buffer geometry (virtio_rpmsg_bus.c). num_bufs = min(2 * vring size, 512). */
#define MAX_RPMSG_NUM_BUFS 512u
#define MAX_RPMSG_BUF_SIZE 512u

/* Addresses below this are reserved for predefined services (virtio_rpmsg_bus.c). */
#define RPMSG_RESERVED_ADDRESSES 1024u
/* Address of the name service (rpmsg_ns.h). */
#define RPMSG_NS_ADDR 53u
/* "Any address": allocate one (src) / not yet known (dst) (rpmsg.h). */
#define RPMSG_ADDR_ANY 0xFFFFFFFFu
/* Channel names are at most 31 characters plus NUL (RPMSG_NAME_SIZE, mod_devicetable.h). */
#define RPMSG_NAME_SIZE 32u

/* Virtqueue indexes as Linux numbers them (rpmsg_probe: names "input", "output").
 * The remote (OpenAMP, device role) receives on vring 1 and sends on vring 0. */
#define RPMSG_VQ_HOST_RX 0u /* host "input": host posts empty buffers, remote fills them */
#define RPMSG_VQ_HOST_TX 1u /* host "output": host posts full buffers, remote consumes them */

/* Header at the start of every rpmsg buffer (struct rpmsg_hdr). */
struct rpmsg_hdr {
    uint32_t src;      /* source address */
    uint32_t dst;      /* destination address */
    uint32_t reserved; /* 0 on the wire (OpenAMP keeps the buffer index here locally) */
    uint16_t len;      /* payload length in bytes */
    uint16_t flags;    /* 0 */
    uint8_t data[];    /* payload */
} __attribute__((packed));

/* Name-service flags (enum rpmsg_ns_flags). */
#define RPMSG_NS_CREATE 0u
#define RPMSG_NS_DESTROY 1u

/* Name-service announcement, sent from the announcing endpoint to RPMSG_NS_ADDR
 * (struct rpmsg_ns_msg). */
struct rpmsg_ns_msg {
    char name[RPMSG_NAME_SIZE];
    uint32_t addr;  /* address of the announced endpoint */
    uint32_t flags; /* RPMSG_NS_CREATE or RPMSG_NS_DESTROY */
} __attribute__((packed));

#ifdef __cplusplus
#define RPVP_RPMSG_STATIC_ASSERT static_assert
#else
#define RPVP_RPMSG_STATIC_ASSERT _Static_assert
#endif
RPVP_RPMSG_STATIC_ASSERT(sizeof(struct rpmsg_hdr) == 16, "rpmsg_hdr is 16 bytes");
RPVP_RPMSG_STATIC_ASSERT(sizeof(struct rpmsg_ns_msg) == 40, "rpmsg_ns_msg is 40 bytes");

/* Largest payload of one message: 512 - 16 = 496 bytes. */
#define RPMSG_MAX_PAYLOAD (MAX_RPMSG_BUF_SIZE - (unsigned)sizeof(struct rpmsg_hdr))

#ifdef __cplusplus
}
#endif
#endif
