/*
 * rpvp virtio-mmio rpmsg device: plain C core (no SystemC).
 *
 * Models: Linux's view of a remote processor's rpmsg vdev as a virtio-mmio transport
 *   (virtio 1.x spec section 4.2 "Virtio Over MMIO", version 2, and its legacy
 *   interface, version 1; register names of Linux's include/uapi/linux/virtio_mmio.h,
 *   see rpvp/virtio_mmio_regs.h), DeviceID 7 (rpmsg). Behind the registers it plays the
 *   part of Linux remoteproc (drivers/remoteproc/remoteproc_virtio.c): it mirrors the
 *   RSC_VDEV entry of the remote firmware's resource table (rpvp/remoteproc.h) and turns
 *   virtqueue notifications into OMAP4 mailbox messages (rpvp/omap_mailbox_regs.h).
 * Interface: one register window (0x100 registers + config space), served through
 *   rpvp_device_ops (rpvp/device.h): one interrupt output (line 0, to Linux's GIC) and
 *   one interrupt input (line 0, the mailbox user interrupt of `mbox_user`). A bus
 *   master interface (rpvp_vrpmsg_bus) reaches the resource table, the DDR (vring
 *   indices for statistics) and the mailbox registers.
 *   - DeviceFeatures = vdev dfeatures (+ VIRTIO_F_VERSION_1 in version 2); accepted
 *     features (low 32 bits) are written to gfeatures; Status is mirrored into the vdev
 *     status byte; config space 0x100.. mirrors the vdev config area.
 *   - Queue set-up writes the vring's da (Linux physical address of the descriptor
 *     table), num, align (4096) and notifyid (= queue index) into the vdev's
 *     fw_rsc_vdev_vring, as remoteproc does; version 2 layouts must be the legacy
 *     contiguous layout Linux uses (vring_init, align 4096) or DEVICE_NEEDS_RESET is set.
 *   - Mailbox FIFOs follow rpvp/mbox_channels.h: QueueNotify(n) after DRIVER_OK writes
 *     notifyid(n) to MESSAGE(2n) (channel "vq<n>"); when that FIFO is full the kick is
 *     kept (one pending entry per queue, coalesced) and sent when the mailbox reports
 *     NOTFULL. Only vq0 and vq1 have channels, so the device exposes two queues.
 *   - A remote kick (the input line rises) drains MESSAGE(1) and MESSAGE(3), sets
 *     InterruptStatus bit 0 and raises the output; InterruptACK lowers it.
 *   - Status = 0 after DRIVER_OK (the driver reset a live device) posts a message on
 *     channel "detach" (FIFO 6): the remote drops its vrings and endpoint bindings and
 *     waits for DRIVER_OK again, as after Linux remoteproc's detach.
 *   Every guest error (bad offset, width, queue size/address/layout, notify before
 *   DRIVER_OK, ...) is logged, counted and ignored as documented in
 *   docs/models/virtio-rpmsg.md; no guest action aborts the simulation.
 * Not modelled: packed rings, event-index suppression (the device offers only the vdev's
 *   dfeatures), device-side config changes, shared memory regions (SHM_LEN reads ~0),
 *   virtqueue reset (VIRTIO_F_RING_RESET), more than RPVP_VRPMSG_MAX_QUEUES queues.
 *
 * Threads: not thread-safe; call everything from the simulation thread.
 */
#ifndef RPVP_VIRTIO_RPMSG_DEV_H
#define RPVP_VIRTIO_RPMSG_DEV_H

#include <stdint.h>

#include "rpvp/bridge.h"
#include "rpvp/device.h"
#include "rpvp/mbox_channels.h"
#include "rpvp/virtio_mmio_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Queues with a mailbox channel (vq0, vq1): what an rpmsg vdev has. */
#define RPVP_VRPMSG_MAX_QUEUES RPVP_MBOX_NUM_VQ_CHANNELS
#define RPVP_VRPMSG_WINDOW_SIZE 0x200u    /* device tree: reg = <... 0x200> */
#define RPVP_VRPMSG_VENDOR_ID 0x50565052u /* "RPVP" as little-endian bytes */

typedef struct rpvp_vrpmsg rpvp_vrpmsg;

/* Bus master interface of the device. `delay_ps` is in/out: the caller's current
 * annotated offset goes in, the offset after the access comes out (TLM LT style).
 * debug_* move bytes without time or side effects and return the bytes moved.
 * rpvp_vrpmsg_bus_from_port() (SystemC wrapper library) fills one from an rpvp_port. */
typedef struct rpvp_vrpmsg_bus {
    rpvp_status (*read)(void *ctx, uint64_t addr, void *data, unsigned len,
                        uint64_t *delay_ps);
    rpvp_status (*write)(void *ctx, uint64_t addr, const void *data, unsigned len,
                         uint64_t *delay_ps);
    unsigned (*debug_read)(void *ctx, uint64_t addr, void *data, unsigned len);
    unsigned (*debug_write)(void *ctx, uint64_t addr, const void *data, unsigned len);
    void *ctx;
} rpvp_vrpmsg_bus;

typedef enum rpvp_vrpmsg_log_level {
    RPVP_VRPMSG_LOG_GUEST_ERROR = 0, /* the driver (or firmware table) did something wrong */
    RPVP_VRPMSG_LOG_INFO = 1,        /* state changes worth a line (reset, queue set-up) */
    RPVP_VRPMSG_LOG_TRACE = 2,       /* one line per register access (only if cfg.trace) */
} rpvp_vrpmsg_log_level;

/* Log hook: `msg` is one line without trailing newline, valid only during the call. */
typedef void (*rpvp_vrpmsg_log_fn)(void *ctx, rpvp_vrpmsg_log_level level, const char *msg);

/* Vring time series: queue `queue` had avail.idx `avail_idx` and used.idx `used_idx` at
 * simulated time `time_ps`. Sampled (debug reads of the rings in DDR) at every
 * QueueNotify of that queue and, for every live queue, at every remote kick. In flight =
 * (uint16_t)(avail_idx - used_idx). */
typedef void (*rpvp_vrpmsg_vring_fn)(void *ctx, unsigned queue, uint16_t avail_idx,
                                     uint16_t used_idx, uint64_t time_ps);

typedef struct rpvp_vrpmsg_config {
    const char *name;         /* used in log lines; default "virtio-rpmsg" */
    uint32_t version;         /* 1 (legacy) or 2 (virtio 1.x); default 2 */
    uint32_t vendor_id;       /* default RPVP_VRPMSG_VENDOR_ID */
    uint64_t rsc_table_addr;  /* bus address of the firmware's struct resource_table */
    uint32_t rsc_table_size;  /* its size in bytes (bounds every table access) */
    uint64_t ddr_base;        /* Linux physical window vrings must lie in ... */
    uint64_t ddr_size;        /* ... (default 0x40000000, 256 MiB) */
    uint64_t ddr_bus_offset;  /* bus address = Linux physical + this (default 0) */
    uint64_t mbox_base;       /* mailbox register window on the device's bus */
    unsigned mbox_user;       /* the device's mailbox user / interrupt (default 0); FIFOs
                                 follow the channel plan, rpvp/mbox_channels.h */
    uint32_t queue_num_max;   /* QueueNumMax, a power of two (default 256) */
    uint32_t vring_align;     /* used ring alignment Linux uses (default 4096) */
    rpvp_vrpmsg_bus bus;
    rpvp_vrpmsg_log_fn log;   /* NULL: stderr, guest errors/info rate-limited */
    void *log_ctx;
    unsigned log_limit;       /* default logger only: lines before it goes quiet (0: 50) */
    int trace;                /* non-zero: one TRACE line per register access */
} rpvp_vrpmsg_config;

/* Defaults as above; rsc_table_addr/size, mbox_base and bus are left 0/NULL. */
void rpvp_vrpmsg_config_default(rpvp_vrpmsg_config *cfg);

/* Create an instance in its reset state (no bus access yet). Returns NULL and says why
 * on stderr for a bad parameter (version, queue_num_max not a power of two, user index
 * out of the mailbox's range, missing bus read/write functions). */
rpvp_vrpmsg *rpvp_vrpmsg_new(const rpvp_vrpmsg_config *cfg);
void rpvp_vrpmsg_free(rpvp_vrpmsg *d);

/* The device-core table (num_irq_out = 1, num_irq_in = 1); pass it with `d` as `dev` to
 * rpvp::CoreTarget. Static: valid for every instance. */
const rpvp_device_ops *rpvp_vrpmsg_ops(void);

/* Start the mailbox side: enable NEWMSG of FIFOs 1 and 3 for mbox_user (timed write,
 * delay in/out) and drain anything already queued. Call once at simulation start (the
 * SystemC wrapper does it at time 0). Returns the status of the enable write. */
rpvp_status rpvp_vrpmsg_start(rpvp_vrpmsg *d, uint64_t *delay_ps);

/* Point the device at (another) resource table; the RSC_VDEV entry is looked up again
 * on the next access that needs it. For loaders that place the table after creation. */
void rpvp_vrpmsg_set_rsc_table(rpvp_vrpmsg *d, uint64_t addr, uint32_t size);
/* Bus address of the vdev entry found in the table, or 0 when none was found (yet).
 * Triggers the look-up. */
uint64_t rpvp_vrpmsg_vdev_addr(rpvp_vrpmsg *d);

/* Clock for time stamps (copied; NULL: time 0). The wrapper passes CoreTarget::clock(). */
void rpvp_vrpmsg_set_clock(rpvp_vrpmsg *d, const rpvp_clock *clock);
/* Vring time-series hook (fn NULL: none). */
void rpvp_vrpmsg_set_vring_hook(rpvp_vrpmsg *d, rpvp_vrpmsg_vring_fn fn, void *ctx);
/* Measurement events (rpvp/measure.h): NOTIFY, KICK_DEFERRED, KICK_COALESCED,
 * IRQ_RAISE, IRQ_ACK, time-stamped with the device's clock. NULL: none. */
struct rpvp_ev_sink;
void rpvp_vrpmsg_set_event_sink(rpvp_vrpmsg *d, struct rpvp_ev_sink *sink);

/* Convenience register access (same path as ops->read/write with len 4, no delay).
 * rpvp_vrpmsg_read32 returns 0 on an error. */
uint32_t rpvp_vrpmsg_read32(rpvp_vrpmsg *d, uint32_t off);
rpvp_status rpvp_vrpmsg_write32(rpvp_vrpmsg *d, uint32_t off, uint32_t value);
/* Timed alternative to ops->irq_in (which drives the output at once): the mailbox
 * interrupt changed to `level`; the service pass adds its mailbox access times to
 * *delay_ps and updates InterruptStatus but leaves the output line alone. The caller
 * calls rpvp_vrpmsg_update_irq() once *delay_ps has elapsed, so the interrupt reaches
 * Linux after the device's mailbox reads, not before. (rpvp::VirtioRpmsg does this.) */
void rpvp_vrpmsg_mailbox_irq(rpvp_vrpmsg *d, int level, uint64_t *delay_ps);
/* Recompute the interrupt output from InterruptStatus. */
void rpvp_vrpmsg_update_irq(rpvp_vrpmsg *d);
/* Level of the interrupt output to Linux. */
int rpvp_vrpmsg_irq_level(const rpvp_vrpmsg *d);

/* --- statistics (kept across resets; cleared by rpvp_vrpmsg_clear_stats) --- */
typedef struct rpvp_vrpmsg_queue_stats {
    uint64_t notifies;       /* QueueNotify writes for this queue that were delivered */
    uint64_t samples;        /* vring time-series samples taken */
    uint64_t full_events;    /* times a sample found it newly full: in flight == num */
    uint16_t last_avail_idx; /* last sampled avail.idx */
    uint16_t last_used_idx;  /* last sampled used.idx */
    uint16_t max_in_flight;  /* largest avail.idx - used.idx seen */
    uint32_t num;            /* size of the live vring, 0 when not set up */
    uint64_t desc_addr;      /* Linux physical address of the live vring */
} rpvp_vrpmsg_queue_stats;

typedef struct rpvp_vrpmsg_stats {
    uint64_t reads, writes;         /* register accesses served */
    uint64_t notifies;              /* QueueNotify writes accepted (all queues) */
    uint64_t mbox_sent;             /* messages written to the tx FIFO */
    uint64_t kicks_deferred;        /* notifies held because the tx FIFO was full */
    uint64_t kicks_coalesced;       /* notifies merged into an already pending one */
    uint64_t kicks_dropped_reset;   /* pending kicks discarded by a device reset */
    uint64_t mbox_received;         /* messages drained from the rx FIFO (remote kicks) */
    uint64_t interrupts;            /* rising edges of the interrupt output */
    uint64_t resets;                /* Status = 0 writes and ops->reset calls */
    uint64_t detach_sent;           /* resets after DRIVER_OK told on channel "detach" */
    uint64_t queue_setups;          /* queues made live */
    uint64_t needs_reset;           /* times DEVICE_NEEDS_RESET was set */
    /* guest errors, each also logged: */
    uint64_t bad_offset;            /* no register there: read 0 / write ignored */
    uint64_t bad_width;             /* register access not 32-bit aligned / config > 4 */
    uint64_t write_only_reads;      /* read of a write-only register: read 0 */
    uint64_t read_only_writes;      /* write to a read-only register: ignored */
    uint64_t wrong_version;         /* register of the other version: read 0 / ignored */
    uint64_t bad_queue_sel;         /* queue register access with QueueSel >= queues */
    uint64_t bad_queue_num;         /* QueueNum 0, > QueueNumMax or not a power of two */
    uint64_t bad_queue_addr;        /* vring not inside the DDR window */
    uint64_t bad_layout;            /* v2 avail/used not where the legacy layout puts them */
    uint64_t bad_queue_align;       /* descriptors not 16-, avail 2-, used 4-byte aligned */
    uint64_t bad_features;          /* driver accepted features the device did not offer */
    uint64_t notify_not_ready;      /* notify before DRIVER_OK or of a queue not live */
    uint64_t bad_config_access;     /* config space access beyond config_len */
    uint64_t guest_errors;          /* sum of the guest errors above */
    /* platform errors: */
    uint64_t table_errors;          /* no/invalid resource table or RSC_VDEV entry */
    uint64_t bus_errors;            /* mailbox or table accesses that failed */
    rpvp_vrpmsg_queue_stats queue[RPVP_VRPMSG_MAX_QUEUES];
} rpvp_vrpmsg_stats;

void rpvp_vrpmsg_get_stats(const rpvp_vrpmsg *d, rpvp_vrpmsg_stats *out);
void rpvp_vrpmsg_clear_stats(rpvp_vrpmsg *d);

/* In library rpvp_virtio_rpmsg (not the core): fill `bus` to master through `port`
 * (turns the port's auto-sync off: the device only ever runs nested, it never waits). */
void rpvp_vrpmsg_bus_from_port(rpvp_vrpmsg_bus *bus, rpvp_port *port);

#ifdef __cplusplus
}
#endif
#endif
