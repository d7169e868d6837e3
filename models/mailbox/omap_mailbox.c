/*
 * OMAP4 system mailbox, C core. What is modelled and from which documents: see
 * include/rpvp/omap_mailbox.h; register reference: docs/models/mailbox.md.
 */
#include "rpvp/omap_mailbox.h"
#include "rpvp/measure.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MBOX_DEFAULT_LOG_LIMIT 20u
#define MBOX_REG_SIZE 4u

/* Registers, decoded from an offset into a kind plus an index (FIFO or user). The
 * kinds follow the order of mbox_regs[] (A_NONE is "no register"). */
typedef enum mbox_reg {
    A_NONE = 0,
    A_REVISION,
    A_SYSCONFIG,
    A_MESSAGE,
    A_FIFOSTATUS,
    A_MSGSTATUS,
    A_IRQSTATUS_RAW,
    A_IRQSTATUS_CLR,
    A_IRQENABLE_SET,
    A_IRQENABLE_CLR,
} mbox_reg;

/* The register map, stated once: decode, names, access types and OMAP4 reset values.
 * docs/models/mailbox.md has the same table; test_mailbox_regmap compares the two and
 * the RTL (models/mailbox/rtl) against it. */
static const rpvp_mbox_reg_desc mbox_regs[] = {
    { "REVISION", RPVP_MBOX_REVISION, 0, 0, "R", RPVP_MBOX_REVISION_OMAP4 },
    { "SYSCONFIG", RPVP_MBOX_SYSCONFIG, 0, 0, "RW", RPVP_MBOX_SYSCONFIG_RESET },
    { "MESSAGE", RPVP_MBOX_MESSAGE_BASE, 4, 'm', "RW", 0 },
    { "FIFOSTATUS", RPVP_MBOX_FIFOSTATUS_BASE, 4, 'm', "R", 0 },
    { "MSGSTATUS", RPVP_MBOX_MSGSTATUS_BASE, 4, 'm', "R", 0 },
    { "IRQSTATUS_RAW", RPVP_MBOX_IRQSTATUS_RAW(0), RPVP_MBOX_USER_STRIDE, 'u', "RW", 0xAAAAu },
    { "IRQSTATUS_CLR", RPVP_MBOX_IRQSTATUS_CLR(0), RPVP_MBOX_USER_STRIDE, 'u', "RW", 0 },
    { "IRQENABLE_SET", RPVP_MBOX_IRQENABLE_SET(0), RPVP_MBOX_USER_STRIDE, 'u', "RW", 0 },
    { "IRQENABLE_CLR", RPVP_MBOX_IRQENABLE_CLR(0), RPVP_MBOX_USER_STRIDE, 'u', "RW", 0 },
};
#define MBOX_NUM_REGS (sizeof mbox_regs / sizeof mbox_regs[0])

static const char *mbox_reg_name(mbox_reg r)
{
    return r == A_NONE ? "(no register)" : mbox_regs[r - 1].name;
}

typedef struct mbox_fifo {
    uint32_t *slot; /* fifo_depth entries, ring buffer */
    unsigned head;  /* index of the oldest message */
    unsigned count;
} mbox_fifo;

struct rpvp_mbox {
    rpvp_mbox_config cfg;
    char name[32];
    rpvp_device_ops ops;

    /* register state */
    uint32_t sysconfig;
    mbox_fifo fifo[RPVP_MBOX_MAX_FIFOS];
    uint32_t soft_status[RPVP_MBOX_MAX_USERS]; /* set through IRQSTATUS_RAW (debug) */
    uint32_t enable[RPVP_MBOX_MAX_USERS];
    uint32_t status_mask; /* the 2 * num_fifos implemented status bits */

    /* outputs */
    int irq_level[RPVP_MBOX_MAX_USERS];
    rpvp_irq_sink sink;
    int in_update;    /* mbox_update is running: a nested call only asks for a re-run */
    int update_again; /* state changed inside a sink call: recompute every line */
    rpvp_clock clock;
    rpvp_mbox_occupancy_fn occ_fn;
    void *occ_ctx;
    rpvp_ev_sink *events;

    /* statistics */
    rpvp_mbox_stats stats;
    rpvp_mbox_fifo_stats fifo_stats[RPVP_MBOX_MAX_FIFOS];
    rpvp_mbox_user_stats user_stats[RPVP_MBOX_MAX_USERS];
    unsigned logged; /* lines printed by the default logger */
    uint32_t *slots;
};

/* ---------------------------------------------------------------------------------- */
/* logging                                                                             */

static void mbox_log(rpvp_mbox *mb, rpvp_mbox_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void mbox_log(rpvp_mbox *mb, rpvp_mbox_log_level level, const char *fmt, ...)
{
    char line[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (mb->cfg.log) {
        mb->cfg.log(mb->cfg.log_ctx, level, line);
        return;
    }
    /* Default: stderr, guest errors rate-limited so a looping guest cannot flood it. */
    if (level == RPVP_MBOX_LOG_GUEST_ERROR) {
        if (mb->logged > mb->cfg.log_limit)
            return;
        if (mb->logged++ == mb->cfg.log_limit) {
            fprintf(stderr, "rpvp: %s: further guest errors not shown (still counted)\n",
                    mb->name);
            return;
        }
    }
    fprintf(stderr, "rpvp: %s: %s\n", mb->name, line);
}

#define GUEST_ERROR(mb, ...)                                                               \
    do {                                                                                   \
        (mb)->stats.guest_errors++;                                                        \
        mbox_log((mb), RPVP_MBOX_LOG_GUEST_ERROR, __VA_ARGS__);                            \
    } while (0)

/* ---------------------------------------------------------------------------------- */
/* state helpers                                                                       */

/* Status bits that hold by themselves: NEWMSG while a FIFO is not empty, NOTFULL while
 * it is not full. Identical for every user. */
static uint32_t mbox_level_status(const rpvp_mbox *mb)
{
    uint32_t s = 0;
    for (unsigned m = 0; m < mb->cfg.num_fifos; m++) {
        if (mb->fifo[m].count > 0)
            s |= RPVP_MBOX_IRQ_NEWMSG(m);
        if (mb->fifo[m].count < mb->cfg.fifo_depth)
            s |= RPVP_MBOX_IRQ_NOTFULL(m);
    }
    return s;
}

static uint32_t mbox_raw_status(const rpvp_mbox *mb, unsigned u)
{
    return mbox_level_status(mb) | mb->soft_status[u];
}

/* The only place interrupt outputs change. Re-entrant: a sink may react to a rising line
 * at once (read MESSAGE, as the virtio device's drain does), which changes the state and
 * calls back in here. The nested call only marks the levels stale; the outer call loops
 * until a pass delivers no edge, so every line ends at the level of the final state. */
static void mbox_update(rpvp_mbox *mb)
{
    if (mb->in_update) {
        mb->update_again = 1;
        return;
    }
    mb->in_update = 1;
    do {
        mb->update_again = 0;
        for (unsigned u = 0; u < mb->cfg.num_users && !mb->update_again; u++) {
            uint32_t level = mbox_level_status(mb);
            int on = ((level | mb->soft_status[u]) & mb->enable[u]) != 0;
            if (on == mb->irq_level[u])
                continue;
            mb->irq_level[u] = on;
            if (on)
                mb->user_stats[u].irq_assertions++;
            rpvp_irq_sink_set(&mb->sink, u, on);
        }
    } while (mb->update_again);
    mb->in_update = 0;
}

static void mbox_occupancy_changed(rpvp_mbox *mb, unsigned m)
{
    rpvp_mbox_fifo_stats *st = &mb->fifo_stats[m];
    st->occupancy = mb->fifo[m].count;
    if (st->occupancy > st->high_water)
        st->high_water = st->occupancy;
    if (mb->occ_fn)
        mb->occ_fn(mb->occ_ctx, m, st->occupancy, rpvp_clock_now(&mb->clock));
}

/* A measurement event of FIFO m (occupancy after the access in len). */
static void mbox_event(rpvp_mbox *mb, unsigned kind, unsigned m, uint32_t value)
{
    if (!mb->events)
        return;
    rpvp_ev e = {.t_ps = rpvp_clock_now(&mb->clock), .kind = (uint16_t)kind,
                 .agent = RPVP_AGENT_MBOX, .fifo = m, .value = value,
                 .len = (uint16_t)mb->fifo[m].count};
    rpvp_ev_push(mb->events, &e);
}

static void mbox_push(rpvp_mbox *mb, unsigned m, uint32_t value)
{
    mbox_fifo *f = &mb->fifo[m];
    if (f->count == mb->cfg.fifo_depth) {
        mbox_event(mb, RPVP_EV_MBOX_FULL, m, value);
        /* TRM: "If the queue is full, the message is discarded." Not a guest error:
         * the FIFOSTATUS check is optional for software. Counted, not logged. */
        mb->fifo_stats[m].overflows++;
        return;
    }
    f->slot[(f->head + f->count) % mb->cfg.fifo_depth] = value;
    f->count++;
    mb->fifo_stats[m].messages++;
    mbox_occupancy_changed(mb, m);
    mbox_event(mb, RPVP_EV_MBOX_WRITE, m, value);
}

static uint32_t mbox_pop(rpvp_mbox *mb, unsigned m)
{
    mbox_fifo *f = &mb->fifo[m];
    if (f->count == 0) {
        mb->fifo_stats[m].empty_reads++; /* TRM: reads 0 */
        return 0;
    }
    uint32_t v = f->slot[f->head];
    f->head = (f->head + 1) % mb->cfg.fifo_depth;
    f->count--;
    mb->fifo_stats[m].reads++;
    mbox_occupancy_changed(mb, m);
    mbox_event(mb, RPVP_EV_MBOX_READ, m, v);
    return v;
}

/* Every register to its reset value (SYSCONFIG included). */
static void mbox_reset_regs(rpvp_mbox *mb)
{
    mb->sysconfig = RPVP_MBOX_SYSCONFIG_RESET;
    for (unsigned m = 0; m < mb->cfg.num_fifos; m++) {
        unsigned had = mb->fifo[m].count;
        mb->fifo[m].head = 0;
        mb->fifo[m].count = 0;
        if (had)
            mbox_occupancy_changed(mb, m);
    }
    memset(mb->soft_status, 0, sizeof mb->soft_status);
    memset(mb->enable, 0, sizeof mb->enable);
    mbox_update(mb);
}

/* ---------------------------------------------------------------------------------- */
/* decode and register access                                                          */

static mbox_reg mbox_decode(const rpvp_mbox *mb, uint64_t off, unsigned *idx)
{
    const rpvp_mbox_reg_desc *d =
        rpvp_mbox_reg_decode(mb->cfg.num_users, mb->cfg.num_fifos, off, idx);
    return d ? (mbox_reg)(d - mbox_regs + 1) : A_NONE;
}

/* Value a read returns, without side effects (MESSAGE: the head, not popped). */
static uint32_t mbox_peek(const rpvp_mbox *mb, mbox_reg r, unsigned i)
{
    switch (r) {
    case A_REVISION:
        return mb->cfg.revision;
    case A_SYSCONFIG:
        return mb->sysconfig; /* SOFTRESET reads 0: the reset is already done */
    case A_MESSAGE:
        return mb->fifo[i].count ? mb->fifo[i].slot[mb->fifo[i].head] : 0;
    case A_FIFOSTATUS:
        return mb->fifo[i].count == mb->cfg.fifo_depth ? RPVP_MBOX_FIFOSTATUS_FIFOFULLMBM : 0;
    case A_MSGSTATUS:
        return mb->fifo[i].count;
    case A_IRQSTATUS_RAW:
        return mbox_raw_status(mb, i);
    case A_IRQSTATUS_CLR:
        return mbox_raw_status(mb, i) & mb->enable[i];
    case A_IRQENABLE_SET:
    case A_IRQENABLE_CLR:
        return mb->enable[i];
    case A_NONE:
        break;
    }
    return 0;
}

/* Checks common to reads and writes. Out of the window: address error (the bus should
 * not have routed it here). Not one aligned 32-bit word: the IP answers only 32-bit
 * accesses; we return a bus error and touch nothing (see docs/models/mailbox.md). */
static rpvp_status mbox_check(rpvp_mbox *mb, uint64_t off, unsigned len, const char *what)
{
    if (off >= RPVP_MBOX_WINDOW_SIZE || len > RPVP_MBOX_WINDOW_SIZE - off) {
        mb->stats.bad_offset++;
        GUEST_ERROR(mb, "%s at 0x%llx outside the register window", what,
                    (unsigned long long)off);
        return RPVP_ADDRESS_ERROR;
    }
    if (len != MBOX_REG_SIZE || (off % MBOX_REG_SIZE)) {
        mb->stats.bad_width++;
        GUEST_ERROR(mb, "%u-byte %s at 0x%03llx: only aligned 32-bit accesses", len, what,
                    (unsigned long long)off);
        return RPVP_GENERIC_ERROR;
    }
    return RPVP_OK;
}

static void mbox_trace(rpvp_mbox *mb, const char *dir, uint64_t off, mbox_reg r, unsigned i,
                       uint32_t v)
{
    if (mb->cfg.trace)
        mbox_log(mb, RPVP_MBOX_LOG_TRACE, "%s 0x%03llx %s(%u) = 0x%08x", dir,
                 (unsigned long long)off, mbox_reg_name(r), i, v);
}

static rpvp_status mbox_read(void *dev, uint64_t off, void *data, unsigned len,
                             uint64_t *delay_ps)
{
    rpvp_mbox *mb = dev;
    rpvp_status st = mbox_check(mb, off, len, "read");
    if (st != RPVP_OK)
        return st;

    unsigned i;
    mbox_reg r = mbox_decode(mb, off, &i);
    uint32_t v = mbox_peek(mb, r, i);
    switch (r) {
    case A_MESSAGE:
        v = mbox_pop(mb, i);
        mbox_update(mb);
        break;
    case A_NONE:
        mb->stats.bad_offset++;
        GUEST_ERROR(mb, "read of unmapped offset 0x%03llx (reads 0)", (unsigned long long)off);
        memcpy(data, &v, sizeof v);
        return RPVP_OK;
    default:
        break;
    }
    mb->stats.reads++;
    mbox_trace(mb, "read ", off, r, i, v);
    memcpy(data, &v, sizeof v);
    return RPVP_OK;
}

static void mbox_write_sysconfig(rpvp_mbox *mb, uint32_t v)
{
    uint32_t sidle = v & RPVP_MBOX_SYSCONFIG_SIDLEMODE_MASK;
    if (v & RPVP_MBOX_SYSCONFIG_SOFTRESET) {
        mb->stats.soft_resets++;
        mbox_reset_regs(mb);
    }
    if ((sidle >> RPVP_MBOX_SYSCONFIG_SIDLEMODE_SHIFT) == 3u)
        GUEST_ERROR(mb, "SYSCONFIG.SIDLEMODE = 3 is reserved (stored anyway)");
    /* The idle mode written together with SOFTRESET is kept. */
    mb->sysconfig = sidle;
}

static rpvp_status mbox_write(void *dev, uint64_t off, const void *data, unsigned len,
                              uint64_t *delay_ps)
{
    rpvp_mbox *mb = dev;
    rpvp_status st = mbox_check(mb, off, len, "write");
    if (st != RPVP_OK)
        return st;

    unsigned i;
    uint32_t v;
    memcpy(&v, data, sizeof v);
    mbox_reg r = mbox_decode(mb, off, &i);
    mbox_trace(mb, "write", off, r, i, v);
    switch (r) {
    case A_SYSCONFIG:
        mbox_write_sysconfig(mb, v);
        break;
    case A_MESSAGE:
        mbox_push(mb, i, v);
        break;
    case A_IRQSTATUS_RAW:
        mb->soft_status[i] |= v & mb->status_mask; /* debug: set events */
        break;
    case A_IRQSTATUS_CLR:
        mb->soft_status[i] &= ~v; /* level events re-assert at once */
        break;
    case A_IRQENABLE_SET:
        mb->enable[i] |= v & mb->status_mask;
        break;
    case A_IRQENABLE_CLR:
        mb->enable[i] &= ~v;
        break;
    case A_REVISION:
    case A_FIFOSTATUS:
    case A_MSGSTATUS:
        mb->stats.ro_writes++;
        GUEST_ERROR(mb, "write 0x%08x to read-only %s(%u) at 0x%03llx ignored", v,
                    mbox_reg_name(r), i, (unsigned long long)off);
        return RPVP_OK;
    case A_NONE:
        mb->stats.bad_offset++;
        GUEST_ERROR(mb, "write 0x%08x to unmapped offset 0x%03llx ignored", v,
                    (unsigned long long)off);
        return RPVP_OK;
    }
    mb->stats.writes++;
    mbox_update(mb);
    return RPVP_OK;
}

/* Debugger access: any size, byte-wise from the 32-bit register values, no pops. */
static unsigned mbox_debug_read(void *dev, uint64_t off, void *data, unsigned len)
{
    const rpvp_mbox *mb = dev;
    uint8_t *out = data;
    if (off >= RPVP_MBOX_WINDOW_SIZE || len > RPVP_MBOX_WINDOW_SIZE - off)
        return 0;
    for (unsigned k = 0; k < len; k++) {
        uint64_t a = off + k;
        unsigned i;
        mbox_reg r = mbox_decode(mb, a & ~(uint64_t)3, &i);
        out[k] = (uint8_t)(mbox_peek(mb, r, i) >> (8u * (a & 3u)));
    }
    return len;
}

static void mbox_ops_reset(void *dev)
{
    mbox_reset_regs(dev);
}

static void mbox_set_irq_sink(void *dev, const rpvp_irq_sink *sink)
{
    rpvp_mbox *mb = dev;
    mb->sink = sink ? *sink : (rpvp_irq_sink){ 0 };
}

/* ---------------------------------------------------------------------------------- */
/* public API                                                                          */

const rpvp_mbox_reg_desc *rpvp_mbox_reg_table(unsigned *n)
{
    *n = MBOX_NUM_REGS;
    return mbox_regs;
}

const rpvp_mbox_reg_desc *rpvp_mbox_reg_decode(unsigned users, unsigned fifos, uint64_t off,
                                               unsigned *idx)
{
    *idx = 0;
    if (off % MBOX_REG_SIZE || off >= RPVP_MBOX_WINDOW_SIZE)
        return NULL;
    for (unsigned k = 0; k < MBOX_NUM_REGS; k++) {
        const rpvp_mbox_reg_desc *d = &mbox_regs[k];
        if (off < d->base)
            continue;
        if (!d->stride) {
            if (off == d->base)
                return d;
            continue;
        }
        /* Blocks of 16 indices: FIFO blocks are 0x40 bytes, user blocks 0x10 each. */
        uint64_t n = (off - d->base) / d->stride;
        unsigned count = d->index == 'm' ? fifos : users;
        if ((off - d->base) % d->stride == 0 && n < RPVP_MBOX_MAX_FIFOS) {
            if (n >= count)
                return NULL; /* a FIFO or user this instance lacks */
            *idx = (unsigned)n;
            return d;
        }
    }
    return NULL;
}

void rpvp_mbox_config_default(rpvp_mbox_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->name = "mailbox";
    cfg->num_users = 3;
    cfg->num_fifos = 8;
    cfg->fifo_depth = 4;
    cfg->revision = RPVP_MBOX_REVISION_OMAP4;
    cfg->log_limit = MBOX_DEFAULT_LOG_LIMIT;
}

rpvp_mbox *rpvp_mbox_new(const rpvp_mbox_config *cfg)
{
    if (!cfg || cfg->num_users < 1 || cfg->num_users > RPVP_MBOX_MAX_USERS ||
        cfg->num_fifos < 1 || cfg->num_fifos > RPVP_MBOX_MAX_FIFOS || cfg->fifo_depth < 1 ||
        cfg->fifo_depth > RPVP_MBOX_MAX_DEPTH) {
        fprintf(stderr, "rpvp: mailbox: bad configuration (users 1..%u, fifos 1..%u, "
                        "depth 1..%u)\n",
                RPVP_MBOX_MAX_USERS, RPVP_MBOX_MAX_FIFOS, RPVP_MBOX_MAX_DEPTH);
        return NULL;
    }
    rpvp_mbox *mb = calloc(1, sizeof *mb);
    uint32_t *slots = calloc((size_t)cfg->num_fifos * cfg->fifo_depth, sizeof *slots);
    if (!mb || !slots) {
        free(mb);
        free(slots);
        fprintf(stderr, "rpvp: mailbox: out of memory\n");
        return NULL;
    }
    mb->cfg = *cfg;
    if (!mb->cfg.log_limit)
        mb->cfg.log_limit = MBOX_DEFAULT_LOG_LIMIT;
    snprintf(mb->name, sizeof mb->name, "%s", cfg->name ? cfg->name : "mailbox");
    mb->cfg.name = mb->name;
    mb->slots = slots;
    for (unsigned m = 0; m < cfg->num_fifos; m++)
        mb->fifo[m].slot = slots + (size_t)m * cfg->fifo_depth;
    mb->status_mask = cfg->num_fifos == 16 ? 0xFFFFFFFFu : (1u << (2u * cfg->num_fifos)) - 1u;

    mb->ops = (rpvp_device_ops){
        .name = mb->name,
        .read = mbox_read,
        .write = mbox_write,
        .debug_read = mbox_debug_read,
        .reset = mbox_ops_reset,
        .set_irq_sink = mbox_set_irq_sink,
        .irq_in = NULL,
        .num_irq_out = cfg->num_users,
        .num_irq_in = 0,
    };
    mbox_reset_regs(mb);
    return mb;
}

void rpvp_mbox_free(rpvp_mbox *mb)
{
    if (!mb)
        return;
    free(mb->slots);
    free(mb);
}

const rpvp_device_ops *rpvp_mbox_ops(rpvp_mbox *mb)
{
    return &mb->ops;
}

void rpvp_mbox_set_clock(rpvp_mbox *mb, const rpvp_clock *clock)
{
    mb->clock = clock ? *clock : (rpvp_clock){ 0 };
}

void rpvp_mbox_set_event_sink(rpvp_mbox *mb, rpvp_ev_sink *sink)
{
    mb->events = sink;
}

void rpvp_mbox_set_occupancy_hook(rpvp_mbox *mb, rpvp_mbox_occupancy_fn fn, void *ctx)
{
    mb->occ_fn = fn;
    mb->occ_ctx = ctx;
}

uint32_t rpvp_mbox_read32(rpvp_mbox *mb, uint32_t off)
{
    uint32_t v = 0;
    uint64_t delay = 0;
    return mbox_read(mb, off, &v, 4, &delay) == RPVP_OK ? v : 0;
}

rpvp_status rpvp_mbox_write32(rpvp_mbox *mb, uint32_t off, uint32_t value)
{
    uint64_t delay = 0;
    return mbox_write(mb, off, &value, 4, &delay);
}

int rpvp_mbox_irq_level(const rpvp_mbox *mb, unsigned user)
{
    return user < mb->cfg.num_users ? mb->irq_level[user] : 0;
}

unsigned rpvp_mbox_num_users(const rpvp_mbox *mb)
{
    return mb->cfg.num_users;
}

unsigned rpvp_mbox_num_fifos(const rpvp_mbox *mb)
{
    return mb->cfg.num_fifos;
}

unsigned rpvp_mbox_fifo_depth(const rpvp_mbox *mb)
{
    return mb->cfg.fifo_depth;
}

int rpvp_mbox_get_fifo_stats(const rpvp_mbox *mb, unsigned fifo, rpvp_mbox_fifo_stats *out)
{
    if (fifo >= mb->cfg.num_fifos)
        return -1;
    *out = mb->fifo_stats[fifo];
    return 0;
}

int rpvp_mbox_get_user_stats(const rpvp_mbox *mb, unsigned user, rpvp_mbox_user_stats *out)
{
    if (user >= mb->cfg.num_users)
        return -1;
    *out = mb->user_stats[user];
    return 0;
}

void rpvp_mbox_get_stats(const rpvp_mbox *mb, rpvp_mbox_stats *out)
{
    *out = mb->stats;
}

void rpvp_mbox_clear_stats(rpvp_mbox *mb)
{
    memset(&mb->stats, 0, sizeof mb->stats);
    memset(mb->user_stats, 0, sizeof mb->user_stats);
    for (unsigned m = 0; m < RPVP_MBOX_MAX_FIFOS; m++) {
        memset(&mb->fifo_stats[m], 0, sizeof mb->fifo_stats[m]);
        mb->fifo_stats[m].occupancy = mb->fifo[m].count;
        mb->fifo_stats[m].high_water = mb->fifo[m].count;
    }
}
