/*
 * rpvp synthetic host: a C model of the Linux driver side of rpmsg over virtio-mmio,
 * for fast tests and parameter sweeps (it never replaces the real-Linux proof).
 *
 * Models: drivers/virtio/virtio_mmio.c (probe, feature negotiation for virtio-mmio
 *   version 1 and 2, queue set-up, notify, interrupt handler), drivers/virtio/
 *   virtio_ring.c (split rings, driver side), drivers/rpmsg/virtio_rpmsg_bus.c (buffers,
 *   endpoints, send/trysend, receive, tx-complete wake-up), drivers/rpmsg/rpmsg_ns.c
 *   (name service) and drivers/rpmsg/rpmsg_core.c (channels, driver matching, probe and
 *   remove), as of Linux 6.1. The user API is Documentation/staging/rpmsg.rst, call for
 *   call, with the same names, arguments and return values.
 * Interface: the host reaches the platform only through rpvp_shost_bus (32-bit MMIO to
 *   the virtio-mmio window, a host pointer to its DMA pool in DDR, the interrupt line,
 *   time). rpvp_shost_bus_from_port() builds one on a bridge port (rpvp/bridge.h).
 * Not modelled: event-index and indirect descriptors (only VIRTIO_RPMSG_F_NS and
 *   VIRTIO_F_VERSION_1 are accepted), config-change handling, rpmsg_char/ctrl device
 *   nodes, poll(), signals (a blocked send ends only by a buffer or its timeout),
 *   several senders blocking at once (one simulation thread), big-endian legacy devices.
 *
 * Threads: one. Every call (including rx callbacks, probe and remove, which run inside
 * the host's calls: rpvp_shost_handle_irq/wait/run_until and a blocking send) happens
 * on the thread that drives the host, e.g. an SC_THREAD of rpvp::BridgeInitiator.
 * Receive callbacks may call the trysend family; a blocking send from a callback works
 * but does not deliver further messages until the callback returns (as in Linux, where
 * callbacks must not sleep).
 */
#ifndef RPVP_RPMSG_H
#define RPVP_RPMSG_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "rpvp/bridge.h"
#include "rpvp/rpmsg_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel-internal errno a send returns after its 15 s wait (include/linux/errno.h). */
#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif

/* Default wait of a blocking send for a TX buffer: 15 s (rpmsg_send_offchannel_raw). */
#define RPVP_SHOST_SEND_TIMEOUT_PS 15000000000000ull

typedef struct rpvp_shost rpvp_shost;
struct rpmsg_device;
struct rpmsg_driver;

/* ---------------------------------------------------------------------------------- */
/* The rpmsg API of Documentation/staging/rpmsg.rst                                   */
/* ---------------------------------------------------------------------------------- */

/* Receive callback: `data`/`len` is the payload (valid only during the call), `priv` the
 * endpoint's private pointer, `src` the sender's address. Return value is ignored. */
typedef int (*rpmsg_rx_cb_t)(struct rpmsg_device *rpdev, void *data, int len, void *priv,
                             uint32_t src);

struct rpmsg_device_id {
    char name[RPMSG_NAME_SIZE];
};

struct rpmsg_channel_info {
    char name[RPMSG_NAME_SIZE];
    uint32_t src; /* local address, RPMSG_ADDR_ANY: allocate */
    uint32_t dst; /* remote address */
};

struct rpmsg_endpoint {
    struct rpmsg_device *rpdev; /* the channel (or control device) it belongs to */
    rpmsg_rx_cb_t cb;
    uint32_t addr;              /* its local rpmsg address */
    void *priv;
    /* private */
    rpvp_shost *host;
    struct rpmsg_endpoint *next;
};

/* A channel: created by a name-service announcement of the remote ({name, src = a local
 * address once a driver is bound, dst = the remote's address}), or the control device
 * of a host (rpvp_shost_ctrl_dev) for endpoints without a channel. */
struct rpmsg_device {
    struct rpmsg_device_id id; /* channel name */
    uint32_t src;
    uint32_t dst;
    struct rpmsg_endpoint *ept; /* default endpoint, created for a driver with callback */
    int announce;               /* send NS create/destroy for it (src was given) */
    struct rpmsg_driver *driver; /* bound driver or NULL */
    void *drvdata;              /* the driver's (dev_set_drvdata) */
    /* private */
    rpvp_shost *host;
    struct rpmsg_device *next;
};

struct rpmsg_driver {
    const char *name;
    const struct rpmsg_device_id *id_table; /* ends with an entry whose name is "" */
    int (*probe)(struct rpmsg_device *rpdev);   /* may be NULL */
    void (*remove)(struct rpmsg_device *rpdev); /* may be NULL */
    rpmsg_rx_cb_t callback;                     /* default endpoint's callback or NULL */
    /* private */
    struct rpmsg_driver *next;
};

/* Send `len` bytes from ept->addr to the channel's dst. If no TX buffer is free, block
 * until the remote returns one (handling interrupts meanwhile) or the host's send
 * timeout (15 s by default) elapses. 0 on success; -EINVAL (NULL ept, src or dst is
 * RPMSG_ADDR_ANY), -EMSGSIZE (len > 496 or negative), -ERESTARTSYS (timeout). */
int rpmsg_send(struct rpmsg_endpoint *ept, void *data, int len);
/* As rpmsg_send, to address `dst`. */
int rpmsg_sendto(struct rpmsg_endpoint *ept, void *data, int len, uint32_t dst);
/* As rpmsg_send, from `src` to `dst` (any source address). */
int rpmsg_send_offchannel(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst, void *data,
                          int len);
/* Non-blocking variants: -ENOMEM at once when no TX buffer is free; otherwise as above. */
int rpmsg_trysend(struct rpmsg_endpoint *ept, void *data, int len);
int rpmsg_trysendto(struct rpmsg_endpoint *ept, void *data, int len, uint32_t dst);
int rpmsg_trysend_offchannel(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
                             void *data, int len);

/* Create an endpoint on `rpdev`'s host at chinfo.src (RPMSG_ADDR_ANY: the lowest free
 * address >= RPMSG_RESERVED_ADDRESSES), calling `cb(rpdev, data, len, priv, src)` for
 * each message to it. NULL if rpdev is NULL, the address is taken or memory runs out. */
struct rpmsg_endpoint *rpmsg_create_ept(struct rpmsg_device *rpdev, rpmsg_rx_cb_t cb,
                                        void *priv, struct rpmsg_channel_info chinfo);
/* Destroy an endpoint (NULL: nothing). No callback runs for it afterwards. */
void rpmsg_destroy_ept(struct rpmsg_endpoint *ept);

/* Register a driver: probed (default endpoint created if it has a callback, then
 * probe(), then an NS announcement if the channel announces) on every existing and
 * future channel whose name is in its id_table, on every host. 0 or -EINVAL. The driver
 * struct must stay valid until unregister_rpmsg_driver. */
int register_rpmsg_driver(struct rpmsg_driver *rpdrv);
/* Unbind the driver from all its channels (remove(), default endpoint destroyed). */
void unregister_rpmsg_driver(struct rpmsg_driver *rpdrv);

/* dev_set_drvdata/dev_get_drvdata of the channel. */
static inline void rpmsg_set_drvdata(struct rpmsg_device *rpdev, void *p) { rpdev->drvdata = p; }
static inline void *rpmsg_get_drvdata(const struct rpmsg_device *rpdev) { return rpdev->drvdata; }

/* ---------------------------------------------------------------------------------- */
/* The host itself                                                                     */
/* ---------------------------------------------------------------------------------- */

/* How the host reaches the platform. */
typedef struct rpvp_shost_bus {
    /* 32-bit register access at bus address `addr` (virtio-mmio window). Required. */
    rpvp_status (*mmio_read32)(void *ctx, uint64_t addr, uint32_t *val);
    rpvp_status (*mmio_write32)(void *ctx, uint64_t addr, uint32_t val);
    /* Host pointer to `len` bytes of DDR at Linux physical address `pa` (DMI), NULL if
     * not available. Asked once, for the whole DMA pool. Required. */
    void *(*mem_ptr)(void *ctx, uint64_t pa, size_t len);
    /* Level of the device's interrupt line into the host. Required. */
    int (*irq_level)(void *ctx);
    /* Block until the interrupt line changes or `max_ps` elapsed (UINT64_MAX: no
     * limit). Returns 1 if woken by a change. Required. */
    int (*wait_irq)(void *ctx, uint64_t max_ps);
    /* Simulated time in ps as the host sees it. Required. */
    uint64_t (*now_ps)(void *ctx);
    /* Account `ps` of host CPU work. Optional. */
    void (*advance)(void *ctx, uint64_t ps);
    void *ctx;
} rpvp_shost_bus;

typedef struct rpvp_shost_config {
    const char *name;         /* log prefix; default "shost" */
    uint64_t mmio_base;       /* virtio-mmio window (bus address) */
    uint64_t mem_base;        /* DMA pool: Linux physical range for vrings and buffers */
    uint64_t mem_size;        /*   (needs 2 * vring_size + num_bufs * 512, ~280 KiB) */
    uint64_t send_timeout_ps; /* 0: RPVP_SHOST_SEND_TIMEOUT_PS */
    uint64_t op_cost_ps;      /* host CPU time per message sent or received (default 0) */
    size_t log_capacity;      /* message records kept (0: none) */
    int verbose;              /* non-zero: dev_info-style lines on stderr */
} rpvp_shost_config;

/* Create a host (no bus access yet). NULL on a bad configuration. */
rpvp_shost *rpvp_shost_new(const rpvp_shost_config *cfg, const rpvp_shost_bus *bus);
/* Remove every channel (drivers' remove), reset the device (Status = 0), free. */
void rpvp_shost_free(rpvp_shost *h);

/* virtio_mmio_probe + virtio_dev_probe + rpmsg_probe: check the device, negotiate
 * features, set up both vrings, post the RX buffers, start the name service, DRIVER_OK,
 * kick the RX queue. 0 or a negative errno (-ENODEV no rpmsg device / features refused,
 * -ENXIO bad version, -ENOENT queue missing or busy, -EINVAL version 2 without
 * VIRTIO_F_VERSION_1, -ENOMEM pool too small or no DMI, -EIO bus error). */
int rpvp_shost_probe(rpvp_shost *h);
/* Version of the device found by the probe (1 or 2), and the negotiated features. */
unsigned rpvp_shost_version(const rpvp_shost *h);
uint64_t rpvp_shost_features(const rpvp_shost *h);

/* vm_interrupt if the line is up: read InterruptStatus, write InterruptACK, run the
 * virtqueue callbacks (receive, tx-complete). 1 if InterruptStatus was non-zero. */
int rpvp_shost_handle_irq(rpvp_shost *h);
/* Wait up to max_ps for the interrupt, then handle it. 1 if one was handled. */
int rpvp_shost_wait(rpvp_shost *h, uint64_t max_ps);
/* Handle interrupts until done(arg) is true (checked first and after each interrupt)
 * or timeout_ps elapses. 0, or -ETIMEDOUT. */
int rpvp_shost_run_until(rpvp_shost *h, int (*done)(void *arg), void *arg,
                         uint64_t timeout_ps);

/* The host's control device: rpmsg_create_ept on it gives channel-less endpoints
 * (as rpmsg_char does through rpmsg_ctrl). Its dst is RPMSG_ADDR_ANY. */
struct rpmsg_device *rpvp_shost_ctrl_dev(rpvp_shost *h);
/* Channel named `name` (first one), or NULL. */
struct rpmsg_device *rpvp_shost_find_channel(rpvp_shost *h, const char *name);
/* Now as the host sees it (ps). */
uint64_t rpvp_shost_now(const rpvp_shost *h);
/* TX buffers a send could take right now without waiting: the never-used ones plus
 * those the remote has returned (256 minus the in-flight ones after warm-up). */
unsigned rpvp_shost_tx_free(const rpvp_shost *h);
/* Change the blocking-send timeout (0: default). */
void rpvp_shost_set_send_timeout(rpvp_shost *h, uint64_t ps);

/* --- statistics --- */
typedef enum rpvp_shost_dir { RPVP_SHOST_TX = 0, RPVP_SHOST_RX = 1 } rpvp_shost_dir;

/* One message as the host saw it. TX: start_ps = the send call, done_ps = after the
 * buffer was published and the device notified. RX: start_ps = the interrupt handling
 * that found it began, done_ps = its callback was called. */
typedef struct rpvp_shost_msg_rec {
    uint64_t start_ps;
    uint64_t done_ps;
    uint32_t src, dst;
    uint16_t len;
    uint8_t dir; /* rpvp_shost_dir */
    uint8_t blocked; /* TX: had to wait for a buffer */
} rpvp_shost_msg_rec;

/* Called for each message, with its payload (valid only during the call). */
typedef void (*rpvp_shost_msg_fn)(void *ctx, const rpvp_shost_msg_rec *rec,
                                  const void *data);

typedef struct rpvp_shost_stats {
    uint64_t tx_msgs, tx_bytes;
    uint64_t rx_msgs, rx_bytes;
    uint64_t tx_exhaustion_events; /* a send (blocking or try) found no free TX buffer */
    uint64_t blocked_sends;        /* blocking sends that had to wait */
    uint64_t blocked_send_ps;      /* total time they waited */
    uint64_t max_blocked_send_ps;
    uint64_t send_timeouts;        /* -ERESTARTSYS */
    uint64_t trysend_failures;     /* -ENOMEM */
    uint64_t interrupts;           /* handler runs that found InterruptStatus != 0 */
    uint64_t spurious_irqs;        /* line seen up but InterruptStatus 0 (already acked) */
    uint64_t notifies;             /* QueueNotify writes */
    uint64_t rx_no_recipient;      /* message for an address without endpoint */
    uint64_t rx_bad;               /* bad length / bad used entry (receive stops) */
    uint64_t ns_msgs;              /* name-service messages handled */
    uint64_t ns_bad;               /* malformed ones */
    uint64_t channels_created, channels_released;
    uint64_t log_dropped;          /* records not kept (log full) */
} rpvp_shost_stats;

void rpvp_shost_get_stats(const rpvp_shost *h, rpvp_shost_stats *out);
/* The message records kept so far (valid until the next call into the host). */
const rpvp_shost_msg_rec *rpvp_shost_log(const rpvp_shost *h, size_t *count);
void rpvp_shost_set_msg_hook(rpvp_shost *h, rpvp_shost_msg_fn fn, void *ctx);

/* In library rpvp_synthetic_host_port: fill `bus` to use bridge port `port`, with the
 * device interrupt on its input `irq_line` (an rpvp_set_irq_callback counts edges).
 * `state` is storage the bus keeps using (DMI cache, edge count). */
typedef struct rpvp_shost_port_state {
    rpvp_port *port;
    unsigned irq_line;
    rpvp_dmi dmi;
    int have_dmi;
    uint64_t irq_edges;
} rpvp_shost_port_state;
void rpvp_shost_bus_from_port(rpvp_shost_bus *bus, rpvp_shost_port_state *state,
                              rpvp_port *port, unsigned irq_line);

#ifdef __cplusplus
}
#endif
#endif
