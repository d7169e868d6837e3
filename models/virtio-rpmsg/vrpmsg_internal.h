/*
 * Private state of the virtio-mmio rpmsg device core, shared by its parts:
 *   virtio_mmio_rpmsg.c  the register file (read/write switch, status, reset, update)
 *   vrpmsg_queue.c       queue set-up/teardown and its checks
 *   vrpmsg_api.c         public API, logging
 *   vrpmsg_table.c       the remoteproc side: RSC_VDEV look-up and mirror writes
 *   vrpmsg_mbox.c        the mailbox side: kicks out, remote kicks in, vring sampling
 */
#ifndef RPVP_VRPMSG_INTERNAL_H
#define RPVP_VRPMSG_INTERNAL_H

#include <stdint.h>

#include "rpvp/measure.h"
#include "rpvp/virtio_rpmsg_dev.h"

#define VRPMSG_DEVICE_ID 7u /* VIRTIO_ID_RPMSG */
#define VRPMSG_F_VERSION_1_HI 1u /* VIRTIO_F_VERSION_1 (bit 32) in feature word 1 */

typedef struct vrpmsg_queue {
    /* as written by the driver (take effect at set-up) */
    uint32_t num;
    uint32_t align;              /* v1 QueueAlign */
    uint32_t pfn;                /* v1 QueuePFN of the live queue (0 when not live) */
    uint64_t desc, avail, used;  /* v2 QueueDesc/Avail/Used */
    /* accepted by set-up */
    int live;
    uint64_t live_desc, live_avail, live_used; /* Linux physical */
    uint32_t live_num;
    uint32_t live_align;
    int kick_pending;            /* a kick waits for room in the tx FIFO */
    int was_full;                /* last sample had every buffer in flight */
} vrpmsg_queue;

/* What was found in the resource table (looked up lazily). */
typedef enum vrpmsg_vdev_state {
    VDEV_UNKNOWN = 0,
    VDEV_FOUND = 1,
    VDEV_MISSING = -1,
} vrpmsg_vdev_state;

struct rpvp_vrpmsg {
    rpvp_vrpmsg_config cfg;
    char name[48];
    rpvp_irq_sink sink;
    rpvp_clock clock;
    rpvp_vrpmsg_vring_fn vring_fn;
    void *vring_ctx;
    rpvp_ev_sink *events;
    unsigned log_lines;

    /* resource table */
    uint64_t table_addr;
    uint32_t table_size;
    vrpmsg_vdev_state vdev_state;
    uint64_t vdev_addr;      /* bus address of struct fw_rsc_vdev */
    uint32_t vdev_size;      /* bytes of the entry including vrings and config */
    unsigned table_vrings;   /* num_of_vrings as in the table (config follows them) */
    unsigned num_queues;     /* num_of_vrings, capped at RPVP_VRPMSG_MAX_QUEUES */
    uint32_t config_len;
    uint32_t dfeatures;

    /* registers */
    uint32_t dev_features_sel;
    uint32_t drv_features_sel;
    uint64_t drv_features;
    uint32_t guest_page_size;
    uint32_t queue_sel;
    uint32_t status;
    uint32_t int_status;
    vrpmsg_queue q[RPVP_VRPMSG_MAX_QUEUES];

    /* mailbox side */
    unsigned num_pending;     /* queues whose kick waits for room in their FIFO */
    unsigned notfull_enabled; /* bit q: NOTFULL of queue q's tx FIFO is enabled */
    int in_service; /* guards against re-entry through a synchronous irq path */

    int irq_level;
    rpvp_vrpmsg_stats st;
};

/* --- logging (vrpmsg_api.c) --- */
void vrpmsg_log(rpvp_vrpmsg *d, rpvp_vrpmsg_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Count one guest error in `counter` and log it. */
void vrpmsg_guest_error(rpvp_vrpmsg *d, uint64_t *counter, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
uint64_t vrpmsg_now(const rpvp_vrpmsg *d);
/* One measurement event (no-op without a sink). */
void vrpmsg_event(rpvp_vrpmsg *d, unsigned kind, unsigned queue, uint32_t value);
/* Recompute the interrupt output from InterruptStatus. */
void vrpmsg_update(rpvp_vrpmsg *d);
/* Set DEVICE_NEEDS_RESET (+ config-change interrupt), mirror the status. */
void vrpmsg_set_needs_reset(rpvp_vrpmsg *d);

/* --- register file (virtio_mmio_rpmsg.c) --- */
/* Every register to its reset value. */
void vrpmsg_reset_registers(rpvp_vrpmsg *d);

/* --- queues (vrpmsg_queue.c) --- */
int vrpmsg_is_pow2(uint64_t x);
/* The queue QueueSel points at, or NULL after counting/logging a bad_queue_sel. */
vrpmsg_queue *vrpmsg_selected_queue(rpvp_vrpmsg *d, const char *what);
void vrpmsg_write_queue_pfn(rpvp_vrpmsg *d, uint32_t pfn);
void vrpmsg_write_queue_ready(rpvp_vrpmsg *d, uint32_t v);
/* QueueDesc/Driver/Device Low/High at register offset `off`. */
void vrpmsg_write_queue_addr(rpvp_vrpmsg *d, uint32_t off, uint32_t v);

/* --- resource table (vrpmsg_table.c) --- */
/* Find the RSC_VDEV entry if not done yet; returns 1 when one is usable. */
int vrpmsg_table_lookup(rpvp_vrpmsg *d);
void vrpmsg_table_forget(rpvp_vrpmsg *d);
void vrpmsg_table_write_status(rpvp_vrpmsg *d, uint8_t status);
void vrpmsg_table_write_gfeatures(rpvp_vrpmsg *d, uint32_t gfeatures);
/* Write da/align/num/notifyid of vring i (da 0 = torn down). */
void vrpmsg_table_write_vring(rpvp_vrpmsg *d, unsigned i, uint32_t da, uint32_t align,
                              uint32_t num, uint32_t notifyid);
/* Config area access; returns 1 when [off, off+len) lies inside config_len. */
int vrpmsg_table_config_read(rpvp_vrpmsg *d, uint32_t off, void *data, unsigned len);
int vrpmsg_table_config_write(rpvp_vrpmsg *d, uint32_t off, const void *data, unsigned len);

/* --- mailbox and vrings (vrpmsg_mbox.c) --- */
/* Enable NEWMSG(rx) for our user, then service what is already queued. */
rpvp_status vrpmsg_mbox_start(rpvp_vrpmsg *d, uint64_t *delay_ps);
/* QueueNotify of a live queue after DRIVER_OK. */
void vrpmsg_kick(rpvp_vrpmsg *d, unsigned queue, uint64_t *delay_ps);
/* Drain the rx FIFO, flush pending kicks, set the used-buffer interrupt status; drive
 * the output now when update_irq, else leave it to rpvp_vrpmsg_update_irq(). */
void vrpmsg_service(rpvp_vrpmsg *d, uint64_t *delay_ps, int update_irq);
/* Tell the remote the driver reset a live device: a message on channel "detach" (a
 * full FIFO already holds one: nothing lost). */
void vrpmsg_send_detach(rpvp_vrpmsg *d, uint64_t *delay_ps);
/* Forget pending kicks (device reset); disables NOTFULL now when use_bus, else at the
 * next service pass. */
void vrpmsg_drop_kicks(rpvp_vrpmsg *d, uint64_t *delay_ps, int use_bus);
/* Sample avail/used idx of a live queue and feed stats and the time-series hook. */
void vrpmsg_sample(rpvp_vrpmsg *d, unsigned queue);

#endif
