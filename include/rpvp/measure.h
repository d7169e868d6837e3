/*
 * rpvp measurement events: what the models observe, in simulated time, into one sink.
 *
 * The shape of QEMU's trace-events and Linux's tracepoints: every model emits typed,
 * fixed-size events at the point where something happens (one kind per line of the
 * table below, declared once here); it never formats output. A joiner (measure/join.h)
 * turns the stream into per-message hop records and occupancy series, and the writers
 * (summary, report.json, CSV, plots, Perfetto) read only the joined data. Emitting costs
 * one NULL test while no sink is installed.
 *
 * Time is simulated time in picoseconds, taken by the emitting model at the instant of
 * the access (global SystemC time plus the emitter's annotated/local offset), so the
 * events of agents that run ahead of SystemC (the M3, QEMU) arrive out of time order:
 * the joiner sorts them (stably, by time then emission order).
 */
#ifndef RPVP_MEASURE_H
#define RPVP_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Who observed the event (one Perfetto track group per agent). */
typedef enum rpvp_agent {
    RPVP_AGENT_APP = 0,   /* the host application (guest-side stamps, rpvp's own bench) */
    RPVP_AGENT_DRIVER,    /* Linux's driver side as seen on its vrings */
    RPVP_AGENT_VDEV,      /* the virtio-mmio rpmsg device */
    RPVP_AGENT_MBOX,      /* the OMAP4 mailbox */
    RPVP_AGENT_M3,        /* the Cortex-M3 and its firmware */
    RPVP_AGENT_COUNT
} rpvp_agent;

/* Event kinds. Fields used by each: q = queue (virtqueue / vring index), desc =
 * descriptor head, idx = ring index, fifo, value, src/dst/len/flags = rpmsg header. */
typedef enum rpvp_ev_kind {
    RPVP_EV_NOTIFY = 1,     /* VDEV: QueueNotify(q) written */
    RPVP_EV_AVAIL,          /* DRIVER: a new avail entry idx of vring q (desc, header) */
    RPVP_EV_USED,           /* M3: the remote wrote used entry idx of vring q (desc, value = used len) */
    RPVP_EV_MBOX_WRITE,     /* MBOX: MESSAGE(fifo) = value accepted; len = occupancy after */
    RPVP_EV_MBOX_READ,      /* MBOX: MESSAGE(fifo) popped value; len = occupancy after */
    RPVP_EV_MBOX_FULL,      /* MBOX: a write to a full fifo was discarded */
    RPVP_EV_IRQ_ENTRY,      /* M3: exception entry, value = exception number */
    RPVP_EV_KICK_DEFERRED,  /* VDEV: kick of q waits for room in the mailbox */
    RPVP_EV_KICK_COALESCED, /* VDEV: kick of q merged into a waiting one */
    RPVP_EV_IRQ_RAISE,      /* VDEV: the interrupt to Linux rose */
    RPVP_EV_IRQ_ACK,        /* VDEV: InterruptACK = value */
    RPVP_EV_VRING,          /* DRIVER/M3: vring q sampled: idx = avail.idx, desc = used.idx, len = num */
    RPVP_EV_APP_SEND,       /* APP: message `value` (sequence) handed to write(), len bytes */
    RPVP_EV_APP_RECV,       /* APP: reply to message `value` returned by read() */
    RPVP_EV_DROPPED,        /* the sink was full from t_ps on: value | src << 32 events
                               were counted, not stored (always the last one stored) */
    RPVP_EV_KIND_COUNT
} rpvp_ev_kind;

typedef struct rpvp_ev {
    uint64_t t_ps;
    uint16_t kind;   /* rpvp_ev_kind */
    uint8_t agent;   /* rpvp_agent */
    uint8_t q;
    uint16_t desc;
    uint16_t idx;
    uint32_t fifo;
    uint32_t value;
    uint32_t src, dst;
    uint16_t len, flags;
    uint32_t pad;
} rpvp_ev;

/* The sink: a growable array of events (one per simulation), bounded: at most `limit`
 * events are stored (about 21 per echo round trip, 40 bytes each); later ones are
 * counted in one RPVP_EV_DROPPED event, so a long run's memory stays flat and its
 * report says from when on it has no per-message detail. */
typedef struct rpvp_ev_sink rpvp_ev_sink;

#define RPVP_EV_DEFAULT_LIMIT (1u << 21) /* 80 MiB of events, ~100,000 round trips */

rpvp_ev_sink *rpvp_ev_sink_new(void);
void rpvp_ev_sink_free(rpvp_ev_sink *s);
/* At most `limit` events stored from now on (0: no limit); RPVP_EV_DEFAULT_LIMIT at first. */
void rpvp_ev_sink_set_limit(rpvp_ev_sink *s, uint64_t limit);
/* Append a copy of *e; past the limit (or out of memory) it is counted instead. */
void rpvp_ev_push(rpvp_ev_sink *s, const rpvp_ev *e);
const rpvp_ev *rpvp_ev_data(const rpvp_ev_sink *s, size_t *count);
/* A tap sees every event right after it is stored (e.g. the vring observer reacting
 * to kicks); it may emit further events into the same sink. fn NULL: none. */
typedef void (*rpvp_ev_tap_fn)(void *ctx, const rpvp_ev *e);
void rpvp_ev_sink_set_tap(rpvp_ev_sink *s, rpvp_ev_tap_fn fn, void *ctx);
/* Events counted but not stored (the limit, or no memory). */
uint64_t rpvp_ev_dropped(const rpvp_ev_sink *s);
/* The count an RPVP_EV_DROPPED event carries. */
static inline uint64_t rpvp_ev_dropped_count(const rpvp_ev *e)
{
    return e->value | (uint64_t)e->src << 32;
}
/* Save to / append from a binary file (header "RPVPEV1", then the events); 0 or -1
 * with the reason in err. Used to carry events out of QEMU's process. */
int rpvp_ev_save(const rpvp_ev_sink *s, const char *path, char *err, size_t err_size);
int rpvp_ev_load(rpvp_ev_sink *s, const char *path, char *err, size_t err_size);
/* Several remotes: remote r's events file beside remote 0's `path` ("run/events.bin" ->
 * "run/events-remote1.bin"; r = 0: `path` itself). As snprintf: the length it needs. */
int rpvp_ev_remote_path(char *buf, size_t size, const char *path, unsigned r);

/* The emitting side: a NULL sink costs a test. */
static inline void rpvp_ev_emit(rpvp_ev_sink *s, const rpvp_ev *e)
{
    if (s)
        rpvp_ev_push(s, e);
}

const char *rpvp_ev_kind_name(unsigned kind);
const char *rpvp_agent_name(unsigned agent);

#ifdef __cplusplus
}
#endif
#endif
