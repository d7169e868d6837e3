/*
 * rpvp OMAP4 system mailbox: plain C core (no SystemC).
 *
 * Models: the TI OMAP4 system mailbox IP ("ti,omap4-mailbox": OMAP4430/4460 TRM
 *   SWPU231/SWPU235, same IP in AM335x SPRUH73 ch. 17.1 and DRA7 SPRUI30). Register map
 *   in rpvp/omap_mailbox_regs.h; every register and its reset value in
 *   docs/models/mailbox.md.
 * Interface: one 32-bit register window of RPVP_MBOX_WINDOW_SIZE bytes, served through
 *   the rpvp_device_ops of rpvp/device.h (wrap it with rpvp::CoreTarget, or use
 *   rpvp::OmapMailbox from models/mailbox/omap_mailbox_tlm.h). One interrupt output per
 *   user (ops->num_irq_out == num_users), no interrupt inputs.
 * Parameters: users (OMAP4: 3), FIFOs (OMAP4: 8), FIFO depth (4); 4 users / 12 FIFOs
 *   gives the DRA7 MAILBOX2..13 variant of the same binding.
 * Semantics (TRM): a write to MESSAGE(m) appends to FIFO m (discarded when full), a read
 *   pops (0 when empty). Per FIFO m and user u, status bit NEWMSG(m) is set while FIFO m
 *   holds a message and NOTFULL(m) while it is not full (level events: a W1C on
 *   IRQSTATUS_CLR does not clear them while the condition holds). Writing 1 to
 *   IRQSTATUS_RAW sets a status bit by software (debug) until cleared through
 *   IRQSTATUS_CLR. A user's line is high while (status & enable) != 0.
 * Not modelled: idle/wake-up handshakes (SIDLEMODE is stored only), the OMAP2/3
 *   interrupt layout, the clock/reset timing of SOFTRESET (it completes at once),
 *   register-access latency (the wrapper annotates it).
 *
 * Threads: not thread-safe; call everything from the simulation thread.
 */
#ifndef RPVP_OMAP_MAILBOX_H
#define RPVP_OMAP_MAILBOX_H

#include <stdint.h>

#include "rpvp/device.h"
#include "rpvp/omap_mailbox_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RPVP_MBOX_MAX_USERS  16u  /* IRQ blocks fit 0x100..0x1FF */
#define RPVP_MBOX_MAX_FIFOS  16u  /* two status bits per FIFO in 32 bits */
#define RPVP_MBOX_MAX_DEPTH  256u

typedef struct rpvp_mbox rpvp_mbox;

/* Log levels passed to the log hook. */
typedef enum rpvp_mbox_log_level {
    RPVP_MBOX_LOG_GUEST_ERROR = 0, /* bad width/offset, write to a read-only register */
    RPVP_MBOX_LOG_TRACE = 1,       /* one line per register access (only if cfg.trace) */
} rpvp_mbox_log_level;

/* Log hook: `msg` is one line without trailing newline, valid only during the call. */
typedef void (*rpvp_mbox_log_fn)(void *ctx, rpvp_mbox_log_level level, const char *msg);

/* Time-series hook: FIFO `fifo` now holds `occupancy` messages, at simulated time
 * `time_ps` (from the clock set with rpvp_mbox_set_clock(); 0 without one). Called after
 * every push, pop and reset that changes an occupancy. */
typedef void (*rpvp_mbox_occupancy_fn)(void *ctx, unsigned fifo, unsigned occupancy,
                                       uint64_t time_ps);

typedef struct rpvp_mbox_config {
    const char *name;     /* used in log lines; default "mailbox" */
    unsigned num_users;   /* 1..RPVP_MBOX_MAX_USERS */
    unsigned num_fifos;   /* 1..RPVP_MBOX_MAX_FIFOS */
    unsigned fifo_depth;  /* 1..RPVP_MBOX_MAX_DEPTH */
    uint32_t revision;    /* value of REVISION */
    rpvp_mbox_log_fn log; /* NULL: stderr, rate-limited to log_limit guest errors */
    void *log_ctx;
    unsigned log_limit;   /* default logger only: lines before it goes quiet (0: 20) */
    int trace;            /* non-zero: log one TRACE line per register access */
} rpvp_mbox_config;

/* OMAP4 defaults: 3 users, 8 FIFOs of depth 4, REVISION 0x400, stderr logging. */
void rpvp_mbox_config_default(rpvp_mbox_config *cfg);

/* Create an instance in its reset state. Returns NULL (and says why on stderr) if a
 * parameter is out of range or memory runs out. */
rpvp_mbox *rpvp_mbox_new(const rpvp_mbox_config *cfg);
void rpvp_mbox_free(rpvp_mbox *mb);

/* The device-core table for this instance (num_irq_out == num_users); pass it with `mb`
 * as `dev` to rpvp::CoreTarget. Valid as long as the instance. */
const rpvp_device_ops *rpvp_mbox_ops(rpvp_mbox *mb);

/* Clock used to time-stamp occupancy samples (copied; NULL: time 0). */
void rpvp_mbox_set_clock(rpvp_mbox *mb, const rpvp_clock *clock);
/* Measurement events (rpvp/measure.h): MBOX_WRITE / MBOX_READ / MBOX_FULL per FIFO,
 * time-stamped with the clock above. NULL: none. */
struct rpvp_ev_sink;
void rpvp_mbox_set_event_sink(rpvp_mbox *mb, struct rpvp_ev_sink *sink);
/* Occupancy time-series hook (fn NULL: none). */
void rpvp_mbox_set_occupancy_hook(rpvp_mbox *mb, rpvp_mbox_occupancy_fn fn, void *ctx);

/* Convenience 32-bit register access (same path as ops->read/write with len 4, no
 * delay). rpvp_mbox_read32 returns 0 on an error response. */
uint32_t rpvp_mbox_read32(rpvp_mbox *mb, uint32_t off);
rpvp_status rpvp_mbox_write32(rpvp_mbox *mb, uint32_t off, uint32_t value);

/* Current level of user u's interrupt output (0 for an unknown user). */
int rpvp_mbox_irq_level(const rpvp_mbox *mb, unsigned user);

unsigned rpvp_mbox_num_users(const rpvp_mbox *mb);
unsigned rpvp_mbox_num_fifos(const rpvp_mbox *mb);
unsigned rpvp_mbox_fifo_depth(const rpvp_mbox *mb);

/* --- register table (the C core decodes through it; tests compare it with the RTL and
 * with docs/models/mailbox.md) --- */
typedef struct rpvp_mbox_reg_desc {
    const char *name;   /* as in the TRM */
    uint32_t base;      /* offset of index 0 */
    uint32_t stride;    /* between indices; 0: one register */
    char index;         /* 0: none, 'm': per FIFO, 'u': per user */
    const char *access; /* "R" or "RW" (the docs table's column) */
    uint32_t reset;     /* reset value in the OMAP4 instance (3 users, 8 FIFOs of 4) */
} rpvp_mbox_reg_desc;

/* The table, in offset order; *n receives its length. */
const rpvp_mbox_reg_desc *rpvp_mbox_reg_table(unsigned *n);
/* The register at `off` in an instance with `users` users and `fifos` FIFOs, or NULL for
 * a hole or an offset outside the window; *idx receives the FIFO or user index. */
const rpvp_mbox_reg_desc *rpvp_mbox_reg_decode(unsigned users, unsigned fifos, uint64_t off,
                                               unsigned *idx);

/* --- statistics (kept across register resets; cleared by rpvp_mbox_clear_stats) --- */
typedef struct rpvp_mbox_fifo_stats {
    uint64_t messages;    /* messages accepted into the FIFO (passed) */
    uint64_t reads;       /* messages popped by a MESSAGE read */
    uint64_t overflows;   /* writes discarded because the FIFO was full */
    uint64_t empty_reads; /* MESSAGE reads of an empty FIFO (returned 0) */
    unsigned high_water;  /* largest occupancy seen */
    unsigned occupancy;   /* current occupancy */
} rpvp_mbox_fifo_stats;

typedef struct rpvp_mbox_user_stats {
    uint64_t irq_assertions; /* rising edges of the user's interrupt output */
} rpvp_mbox_user_stats;

typedef struct rpvp_mbox_stats {
    uint64_t reads, writes;   /* accepted 32-bit register accesses */
    uint64_t bad_width;       /* accesses of another size or misaligned (bus error) */
    uint64_t bad_offset;      /* accesses to no register (read 0 / write ignored) */
    uint64_t ro_writes;       /* writes to read-only registers (ignored) */
    uint64_t soft_resets;     /* SYSCONFIG.SOFTRESET requests */
    uint64_t guest_errors;    /* sum of bad_width, bad_offset, ro_writes, bad values */
} rpvp_mbox_stats;

/* Return 0 on success, -1 for an index out of range (out untouched). */
int rpvp_mbox_get_fifo_stats(const rpvp_mbox *mb, unsigned fifo, rpvp_mbox_fifo_stats *out);
int rpvp_mbox_get_user_stats(const rpvp_mbox *mb, unsigned user, rpvp_mbox_user_stats *out);
void rpvp_mbox_get_stats(const rpvp_mbox *mb, rpvp_mbox_stats *out);
void rpvp_mbox_clear_stats(rpvp_mbox *mb);

#ifdef __cplusplus
}
#endif
#endif
