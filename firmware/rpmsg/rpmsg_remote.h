/*
 * rpvp rpmsg remote stack: the remote-processor (virtio device) side of rpmsg, portable
 * C11, no RTOS or CPU dependency. Behaves as OpenAMP lib/rpmsg/rpmsg_virtio.c in the
 * VIRTIO_DEV_DEVICE role (what Linux's virtio_rpmsg_bus.c talks to):
 *   - finds the RSC_VDEV entry (virtio id 7) in the firmware's resource table, waits
 *     until the host wrote DRIVER_OK into its status byte, then takes each vring's da,
 *     num, align and notifyid from the table (written by Linux remoteproc on silicon,
 *     by rpvp's virtio-rpmsg device here);
 *   - receives on vring 1 (Linux's "output" queue: full buffers from the host) and sends
 *     on vring 0 (Linux's "input" queue: empty buffers the host posted);
 *   - endpoints with callbacks, addresses allocated from RPMSG_RESERVED_ADDRESSES up,
 *     name-service announcements (create/destroy) to address 53 when the host accepted
 *     VIRTIO_RPMSG_F_NS, name-service messages from the host (bind/unbind);
 *   - send/sendto/send_offchannel wait for a free buffer up to a timeout (15 s by
 *     default, as RPMSG_TICK_COUNT); the trysend family fails at once.
 *
 * Names are prefixed rpr_ (the host side in the same simulation uses Linux's rpmsg_*
 * names); each function says which OpenAMP call it matches. Return codes are OpenAMP's:
 * send returns the payload size, errors are the negative RPMSG_ERR_* below.
 *
 * Execution model: an "interrupt arrived" entry point rpr_notify() that only records
 * (safe from an ISR), and rpr_poll() that does all the work (call it from a task woken
 * by the mailbox ISR, or from a main loop). Endpoint callbacks run inside rpr_poll().
 * Everything except rpr_notify() must be called from one task at a time.
 *
 * Not modelled: chained or indirect descriptors, event-index notification suppression,
 * zero-copy (hold/nocopy) buffer APIs, config-space access, more than one vdev.
 */
#ifndef RPMSG_REMOTE_H
#define RPMSG_REMOTE_H

#include <stddef.h>
#include <stdint.h>

#include "rpr_virtqueue.h"
#include "rpvp/remoteproc.h"
#include "rpvp/rpmsg_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* OpenAMP error codes (openamp/rpmsg.h). */
#define RPMSG_SUCCESS 0
#define RPMSG_ERROR_BASE (-2000)
#define RPMSG_ERR_NO_MEM (RPMSG_ERROR_BASE - 1)
#define RPMSG_ERR_NO_BUFF (RPMSG_ERROR_BASE - 2)
#define RPMSG_ERR_PARAM (RPMSG_ERROR_BASE - 3)
#define RPMSG_ERR_DEV_STATE (RPMSG_ERROR_BASE - 4)
#define RPMSG_ERR_BUFF_SIZE (RPMSG_ERROR_BASE - 5)
#define RPMSG_ERR_INIT (RPMSG_ERROR_BASE - 6)
#define RPMSG_ERR_ADDR (RPMSG_ERROR_BASE - 7)

/* Addresses the stack hands out for RPMSG_ADDR_ANY: [1024, 1024 + RPR_ADDR_BMP_SIZE). */
#define RPR_ADDR_BMP_SIZE 128u
/* Default wait of a blocking send for a free buffer (OpenAMP: 15 s). */
#define RPR_SEND_TIMEOUT_PS 15000000000000ull

/* What the stack needs from its platform. */
struct rpr_platform {
    /* Device address (a Linux physical address from the table or a descriptor) to a
     * pointer for `len` bytes; NULL if not reachable. M3: identity (through the AMMU
     * window); host build: a DMI pointer into the shared DDR. Required. */
    void *(*da_to_ptr)(void *ctx, uint64_t da, size_t len);
    /* Tell the host that vring `notifyid` has news (write it to the mailbox). Required. */
    void (*kick)(void *ctx, uint32_t notifyid);
    /* Sleep until an event may have arrived (the mailbox ISR ran) or `timeout_ps`
     * elapsed (2^62 ps or more: no limit). Used only by blocking calls. Returns non-zero
     * if woken early. Optional
     * (NULL: a blocking call behaves as its try variant once its timeout is 0). */
    int (*wait_event)(void *ctx, uint64_t timeout_ps);
    /* Current time in picoseconds (monotonic). Optional (NULL: 0, no timeouts). */
    uint64_t (*now_ps)(void *ctx);
    /* Full memory barrier beyond the C11 fence (e.g. DSB, cache maintenance).
     * Optional. */
    void (*mb)(void *ctx);
    void *ctx;
};

struct rpr_device;
struct rpr_endpoint;

/* Endpoint receive callback (OpenAMP rpmsg_ept_cb). `data` is valid only during the
 * call. Return RPMSG_SUCCESS (other values are counted as callback errors). */
typedef int (*rpr_ept_cb)(struct rpr_endpoint *ept, void *data, size_t len, uint32_t src,
                          void *priv);
/* The host destroyed the channel this endpoint is bound to (OpenAMP rpmsg_ns_unbind_cb). */
typedef void (*rpr_ns_unbind_cb)(struct rpr_endpoint *ept);
/* The host announced a service no local endpoint has (OpenAMP rpmsg_ns_bind_cb). */
typedef void (*rpr_ns_bind_cb)(struct rpr_device *rdev, const char *name, uint32_t dest);

struct rpr_endpoint {
    char name[RPMSG_NAME_SIZE];
    struct rpr_device *rdev;
    uint32_t addr;      /* local address */
    uint32_t dest_addr; /* peer address; RPMSG_ADDR_ANY until known */
    rpr_ept_cb cb;
    rpr_ns_unbind_cb ns_unbind_cb;
    void *priv;         /* the caller's; never touched by the stack */
    /* private */
    int announced;      /* an NS create went out for this endpoint */
    int dest_fixed;     /* dest was given at creation (else learnt: forgotten at a reset) */
    struct rpr_endpoint *next;
};

struct rpr_stats {
    uint64_t notifications;  /* rpr_notify calls */
    uint64_t polls;
    uint64_t rx_msgs, rx_bytes;
    uint64_t rx_no_ept;      /* message for an address with no endpoint (dropped) */
    uint64_t rx_bad;         /* malformed RX buffer (length, address, head, on a ring) dropped */
    uint64_t rx_cb_errors;   /* callbacks that returned non-zero */
    uint64_t tx_msgs, tx_bytes;
    uint64_t tx_no_buff;     /* try-sends that found no buffer */
    uint64_t tx_bad;         /* TX buffers posted wrongly (length, address, head, overlap),
                              * given back empty and skipped */
    uint64_t tx_overlap;     /* ... of which overlapped a ring or the data being sent */
    uint64_t tx_waits;       /* blocking sends that had to wait */
    uint64_t tx_wait_ps;     /* total time blocking sends waited */
    uint64_t tx_timeouts;    /* blocking sends that gave up */
    uint64_t kicks;          /* platform kick calls */
    uint64_t ns_sent, ns_received;
    uint64_t resets_seen;    /* DRIVER_OK dropped (host reset the device) */
};

struct rpr_device {
    const struct rpr_platform *plat;
    struct fw_rsc_vdev *vdev;  /* the RSC_VDEV entry inside the resource table */
    int ready;                 /* DRIVER_OK seen and both vrings attached */
    uint32_t features;         /* dfeatures & gfeatures */
    struct rpr_vq rvq;         /* vring 1: host -> remote */
    struct rpr_vq svq;         /* vring 0: remote -> host */
    struct rpr_endpoint *epts;
    struct rpr_endpoint ns_ept;
    uint32_t addr_bmp[RPR_ADDR_BMP_SIZE / 32];
    rpr_ns_bind_cb ns_bind_cb;
    uint64_t send_timeout_ps;  /* RPR_SEND_TIMEOUT_PS after rpr_init */
    int in_rx;                 /* inside the receive loop (no nested receive) */
    volatile uint32_t notify_count; /* written only by rpr_notify (ISR) */
    uint32_t notify_seen;           /* written only by rpr_poll */
    volatile uint32_t reset_count;  /* written only by rpr_notify_reset (ISR) */
    uint32_t reset_seen;            /* written only by rpr_poll */
    struct rpr_stats stats;
};

/* Find the rpmsg vdev in the resource table at `table` (`size` bytes, as the firmware
 * lays it out) and prepare `rdev`. Nothing is read from the vrings yet. Returns
 * RPMSG_SUCCESS, RPMSG_ERR_PARAM (bad arguments) or RPMSG_ERR_INIT (no usable RSC_VDEV
 * entry with two vrings). (OpenAMP: rproc_virtio_create_vdev + rpmsg_init_vdev.) */
int rpr_init(struct rpr_device *rdev, void *table, size_t size,
             const struct rpr_platform *plat);
/* Install the callback for host announcements of unknown services. */
void rpr_set_ns_bind_cb(struct rpr_device *rdev, rpr_ns_bind_cb cb);

/* Non-blocking: if the host has set DRIVER_OK, attach the vrings, start the name
 * service and send the announcements of endpoints created earlier. 1 if ready. */
int rpr_check_ready(struct rpr_device *rdev);
/* Blocking: as rpr_check_ready, waiting up to timeout_ps (UINT64_MAX: forever) through
 * wait_event. RPMSG_SUCCESS or RPMSG_ERR_DEV_STATE on timeout.
 * (OpenAMP: the DRIVER_OK wait of rpmsg_init_vdev.) */
int rpr_wait_ready(struct rpr_device *rdev, uint64_t timeout_ps);

/* "An interrupt arrived" for vring `notifyid` (the mailbox message). Only counts: safe
 * from an ISR. The work happens in rpr_poll(). (OpenAMP: rproc_virtio_notified.) */
void rpr_notify(struct rpr_device *rdev, uint32_t notifyid);
/* "The host reset the vdev" (Linux remoteproc's detach message, or rpvp's virtio-mmio
 * device on a driver reset): the vrings are gone even if DRIVER_OK is already set again.
 * Only counts: safe from an ISR. The next rpr_poll() drops the vrings, forgets every
 * peer address learnt from the host and re-announces every named endpoint once the host
 * is ready again. */
void rpr_notify_reset(struct rpr_device *rdev);
/* Do all pending work: readiness, every received message (callbacks run here), the
 * kick that returns consumed buffers. Returns the number of messages delivered, or
 * RPMSG_ERR_DEV_STATE while the host is not ready. */
int rpr_poll(struct rpr_device *rdev);
/* Non-zero if rpr_notify was called since the last rpr_poll or messages are waiting. */
int rpr_has_work(struct rpr_device *rdev);

/* Create endpoint `ept` (storage owned by the caller until rpr_destroy_ept) named
 * `name` (may be NULL or ""), at `src` (RPMSG_ADDR_ANY: allocate), talking to `dest`
 * (RPMSG_ADDR_ANY: learnt from the first message received). A named endpoint with
 * dest ANY is announced to the host (NS create) when the name service is on; before the
 * host is ready the announcement waits for readiness. RPMSG_SUCCESS, RPMSG_ERR_PARAM,
 * RPMSG_ERR_ADDR (address in use / none left) or the announcement's send error.
 * (OpenAMP: rpmsg_create_ept.) */
int rpr_create_ept(struct rpr_endpoint *ept, struct rpr_device *rdev, const char *name,
                   uint32_t src, uint32_t dest, rpr_ept_cb cb, rpr_ns_unbind_cb unbind_cb);
/* Announce NS destroy for an announced endpoint, unregister it, free its address.
 * (OpenAMP: rpmsg_destroy_ept.) */
void rpr_destroy_ept(struct rpr_endpoint *ept);

/* Send `len` bytes from ept->addr to ept->dest_addr / to `dst` / from `src` to `dst`.
 * Blocking variants wait for a free buffer up to rdev->send_timeout_ps.
 * Returns len on success; RPMSG_ERR_PARAM (NULL ept/data, dst or dest ANY),
 * RPMSG_ERR_DEV_STATE (host not ready), RPMSG_ERR_BUFF_SIZE (len larger than the
 * buffer), RPMSG_ERR_NO_BUFF (no buffer: at once for try, after the timeout otherwise).
 * (OpenAMP: rpmsg_send, rpmsg_sendto, rpmsg_send_offchannel and the rpmsg_trysend*.) */
int rpr_send(struct rpr_endpoint *ept, const void *data, int len);
int rpr_sendto(struct rpr_endpoint *ept, const void *data, int len, uint32_t dst);
int rpr_send_offchannel(struct rpr_endpoint *ept, uint32_t src, uint32_t dst,
                        const void *data, int len);
int rpr_trysend(struct rpr_endpoint *ept, const void *data, int len);
int rpr_trysendto(struct rpr_endpoint *ept, const void *data, int len, uint32_t dst);
int rpr_trysend_offchannel(struct rpr_endpoint *ept, uint32_t src, uint32_t dst,
                           const void *data, int len);
/* Common path of all six (OpenAMP: rpmsg_send_offchannel_raw). */
int rpr_send_offchannel_raw(struct rpr_endpoint *ept, uint32_t src, uint32_t dst,
                            const void *data, int len, int wait);

/* Largest payload a send can carry now (buffer length - header), 0 if unknown.
 * (OpenAMP: rpmsg_virtio_get_buffer_size.) */
int rpr_get_buffer_size(struct rpr_device *rdev);
/* Free buffers this side could send into right now. */
unsigned rpr_tx_free(struct rpr_device *rdev);

#ifdef __cplusplus
}
#endif
#endif
