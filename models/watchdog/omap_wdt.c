/*
 * OMAP4 watchdog timer, C core. What is modelled and from which documents: see
 * include/rpvp/omap_wdt.h; register table: include/rpvp/omap_wdt_regs.h.
 *
 * The counter is kept as (value cnt0 at time t0) while running; its value at `now` is
 * cnt0 + ticks(now - t0). Every event that changes the counter (start, refresh, a WCRR
 * or WCLR write, an overflow) rebases it at that instant, so the sub-tick phase of the
 * divided clock restarts there (a free-running prescaler is not modelled).
 */
#include "rpvp/omap_wdt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WDT_REVISION 0x50010201u
#define WDT_WDSC_RESET 0x00000010u
#define WDT_WCLR_RESET RPVP_WDT_WCLR_PRE
#define WDT_WLDR_RESET 0xFFFB0000u
#define WDT_WDSC_STORED 0x3Du /* AUTOIDLE, IDLEMODE, EMUFREE: kept, no effect */
#define WDT_LOG_LIMIT 20u
#define PS_PER_S 1000000000000ull

typedef enum wdt_access { R, W, RW } wdt_access;

/* The register table: offset, TRM name, access. */
static const struct wdt_reg {
    uint32_t off;
    const char *name;
    wdt_access access;
} wdt_regs[] = {
    {RPVP_WDT_WIDR, "WDT_WIDR", R},  {RPVP_WDT_WDSC, "WDT_WDSC", RW},
    {RPVP_WDT_WDST, "WDT_WDST", R},  {RPVP_WDT_WISR, "WDT_WISR", RW},
    {RPVP_WDT_WIER, "WDT_WIER", RW}, {RPVP_WDT_WCLR, "WDT_WCLR", RW},
    {RPVP_WDT_WCRR, "WDT_WCRR", RW}, {RPVP_WDT_WLDR, "WDT_WLDR", RW},
    {RPVP_WDT_WTGR, "WDT_WTGR", RW}, {RPVP_WDT_WWPS, "WDT_WWPS", R},
    {RPVP_WDT_WDLY, "WDT_WDLY", RW}, {RPVP_WDT_WSPR, "WDT_WSPR", RW},
};

struct rpvp_wdt {
    rpvp_wdt_config cfg;
    char name[32];
    rpvp_device_ops ops;
    rpvp_irq_sink sink;
    rpvp_clock clock;
    rpvp_wdt_timer_fn timer_fn;
    void *timer_ctx;

    uint32_t wdsc, wisr, wier, wclr, wldr, wtgr, wdly, wspr;
    int running;
    uint32_t cnt0; /* counter value at t0 */
    uint64_t t0;   /* ps */
    uint64_t last_now;
    int timeout;   /* the reset request is asserted */
    int line[RPVP_WDT_NUM_LINES];

    rpvp_wdt_stats st;
    unsigned logged;
};

/* ---- logging ------------------------------------------------------------------------ */

static void wdt_log(rpvp_wdt *w, rpvp_wdt_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void wdt_log(rpvp_wdt *w, rpvp_wdt_log_level lvl, const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (w->cfg.log) {
        w->cfg.log(w->cfg.log_ctx, lvl, line);
        return;
    }
    if (lvl == RPVP_WDT_LOG_GUEST_ERROR && w->logged++ >= WDT_LOG_LIMIT)
        return;
    fprintf(stderr, "rpvp: %s: %s\n", w->name, line);
}

#define GUEST_ERROR(w, ...)                                                                \
    do {                                                                                   \
        (w)->st.guest_errors++;                                                            \
        wdt_log((w), RPVP_WDT_LOG_GUEST_ERROR, __VA_ARGS__);                               \
    } while (0)

/* ---- time ---------------------------------------------------------------------------- */

static uint64_t wdt_now(rpvp_wdt *w)
{
    uint64_t t = rpvp_clock_now(&w->clock);
    /* Decoupled initiators may call in slightly out of order: time never goes back. */
    if (t < w->last_now)
        t = w->last_now;
    w->last_now = t;
    return t;
}

static uint64_t wdt_divider(const rpvp_wdt *w)
{
    if (!(w->wclr & RPVP_WDT_WCLR_PRE))
        return 1;
    return 1ull << ((w->wclr & RPVP_WDT_WCLR_PTV_MASK) >> RPVP_WDT_WCLR_PTV_SHIFT);
}

/* Counter ticks in dt ps: floor(floor(dt * 32768 / 1e12) / divider), without overflow. */
static uint64_t wdt_ticks(const rpvp_wdt *w, uint64_t dt)
{
    uint64_t edges = dt / PS_PER_S * RPVP_WDT_CLOCK_HZ +
                     dt % PS_PER_S * RPVP_WDT_CLOCK_HZ / PS_PER_S;
    return edges / wdt_divider(w);
}

/* The first dt at which wdt_ticks(dt) >= k: ceil(k * div * 1e12 / 32768), where
 * 1e12 / 32768 = 244140625 / 8 exactly. */
static uint64_t wdt_dt_for_ticks(const rpvp_wdt *w, uint64_t k)
{
    const uint64_t edges = k * wdt_divider(w); /* <= 2^32 * 128 */
    return edges / 8u * 244140625ull + (edges % 8u * 244140625ull + 7u) / 8u;
}

/* Ticks from the counter's base to the next overflow (1 .. 2^32). */
static uint64_t wdt_ticks_to_overflow(const rpvp_wdt *w)
{
    return (1ull << 32) - w->cnt0;
}

static uint32_t wdt_counter(rpvp_wdt *w, uint64_t now)
{
    if (!w->running)
        return w->cnt0;
    return (uint32_t)(w->cnt0 + wdt_ticks(w, now - w->t0));
}

static void wdt_rebase(rpvp_wdt *w, uint32_t value, uint64_t now)
{
    w->cnt0 = value;
    w->t0 = now;
}

/* ---- outputs ------------------------------------------------------------------------- */

static void wdt_update_lines(rpvp_wdt *w)
{
    const int level[RPVP_WDT_NUM_LINES] = {
        [RPVP_WDT_LINE_TIMEOUT] = w->timeout,
        [RPVP_WDT_LINE_IRQ] = (w->wisr & w->wier) != 0,
    };
    for (unsigned i = 0; i < RPVP_WDT_NUM_LINES; i++)
        if (level[i] != w->line[i]) {
            w->line[i] = level[i];
            rpvp_irq_sink_set(&w->sink, i, level[i]);
        }
}

static void wdt_timer_changed(rpvp_wdt *w)
{
    if (w->timer_fn)
        w->timer_fn(w->timer_ctx);
}

/* Every overflow due by `now`: flag, timeout line, reload from WLDR at that instant. */
static void wdt_catch_up(rpvp_wdt *w, uint64_t now)
{
    if (!w->running)
        return;
    uint64_t due = w->t0 + wdt_dt_for_ticks(w, wdt_ticks_to_overflow(w));
    if (due > now)
        return;
    w->st.timeouts++;
    w->st.last_timeout_ps = due;
    wdt_log(w, RPVP_WDT_LOG_INFO, "timeout: counter overflow at %.3f us (no refresh)",
            (double)due / 1e6);
    wdt_rebase(w, w->wldr, due);
    /* Later overflows of the same silence come one reload period apart. */
    const uint64_t period = wdt_dt_for_ticks(w, wdt_ticks_to_overflow(w));
    if (now - due >= period) {
        const uint64_t n = (now - due) / period;
        w->st.timeouts += n;
        wdt_rebase(w, w->wldr, due + n * period);
        w->st.last_timeout_ps = w->t0;
    }
    w->wisr |= RPVP_WDT_IT_OVF;
    w->timeout = 1;
    wdt_update_lines(w);
}

void rpvp_wdt_update(rpvp_wdt *w)
{
    wdt_catch_up(w, wdt_now(w));
    wdt_timer_changed(w);
}

uint64_t rpvp_wdt_next_event_ps(rpvp_wdt *w)
{
    if (!w->running)
        return UINT64_MAX;
    return w->t0 + wdt_dt_for_ticks(w, wdt_ticks_to_overflow(w));
}

/* ---- registers ----------------------------------------------------------------------- */

static const struct wdt_reg *wdt_find(uint64_t off)
{
    for (size_t i = 0; i < sizeof wdt_regs / sizeof wdt_regs[0]; i++)
        if (wdt_regs[i].off == off)
            return &wdt_regs[i];
    return NULL;
}

static void wdt_reset_registers(rpvp_wdt *w)
{
    w->wdsc = WDT_WDSC_RESET;
    w->wisr = w->wier = 0;
    w->wclr = WDT_WCLR_RESET;
    w->wldr = WDT_WLDR_RESET;
    w->wtgr = w->wdly = w->wspr = 0;
    w->running = 0;
    w->cnt0 = 0;
    w->t0 = 0;
    w->timeout = 0;
}

static uint32_t wdt_reg_read(rpvp_wdt *w, uint32_t off, uint64_t now)
{
    switch (off) {
    case RPVP_WDT_WIDR:
        return WDT_REVISION;
    case RPVP_WDT_WDSC:
        return w->wdsc;
    case RPVP_WDT_WDST:
        return RPVP_WDT_WDST_RESETDONE;
    case RPVP_WDT_WISR:
        return w->wisr;
    case RPVP_WDT_WIER:
        return w->wier;
    case RPVP_WDT_WCLR:
        return w->wclr;
    case RPVP_WDT_WCRR:
        return wdt_counter(w, now);
    case RPVP_WDT_WLDR:
        return w->wldr;
    case RPVP_WDT_WTGR:
        return w->wtgr;
    case RPVP_WDT_WWPS:
        return 0; /* no posted write is ever pending */
    case RPVP_WDT_WDLY:
        return w->wdly;
    case RPVP_WDT_WSPR:
        return w->wspr;
    default:
        return 0;
    }
}

static void wdt_write_wspr(rpvp_wdt *w, uint32_t v, uint64_t now)
{
    const uint32_t prev = w->wspr;
    w->wspr = v;
    if (prev == RPVP_WDT_WSPR_START1 && v == RPVP_WDT_WSPR_START2 && !w->running) {
        w->running = 1;
        w->st.starts++;
        wdt_rebase(w, w->cnt0, now);
        wdt_log(w, RPVP_WDT_LOG_INFO, "started: timeout in %.3f ms",
                (double)wdt_dt_for_ticks(w, wdt_ticks_to_overflow(w)) / 1e9);
    } else if (prev == RPVP_WDT_WSPR_STOP1 && v == RPVP_WDT_WSPR_STOP2 && w->running) {
        w->cnt0 = wdt_counter(w, now);
        w->running = 0;
        w->st.stops++;
        wdt_log(w, RPVP_WDT_LOG_INFO, "stopped");
    }
}

static void wdt_reg_write(rpvp_wdt *w, uint32_t off, uint32_t v, uint64_t now)
{
    switch (off) {
    case RPVP_WDT_WDSC:
        if (v & RPVP_WDT_WDSC_SOFTRESET) {
            wdt_reset_registers(w); /* completes at once: WDST.RESETDONE stays 1 */
            break;
        }
        w->wdsc = v & WDT_WDSC_STORED;
        break;
    case RPVP_WDT_WISR:
        w->wisr &= ~(v & (RPVP_WDT_IT_OVF | RPVP_WDT_IT_DLY));
        break;
    case RPVP_WDT_WIER:
        w->wier = v & (RPVP_WDT_IT_OVF | RPVP_WDT_IT_DLY);
        break;
    case RPVP_WDT_WCLR: {
        const uint32_t cnt = wdt_counter(w, now);
        w->wclr = v & (RPVP_WDT_WCLR_PRE | RPVP_WDT_WCLR_PTV_MASK);
        wdt_rebase(w, cnt, now);
        break;
    }
    case RPVP_WDT_WCRR:
        wdt_rebase(w, v, now);
        break;
    case RPVP_WDT_WLDR:
        w->wldr = v;
        break;
    case RPVP_WDT_WTGR:
        if (v != w->wtgr) {
            wdt_rebase(w, w->wldr, now);
            w->st.refreshes++;
        }
        w->wtgr = v;
        break;
    case RPVP_WDT_WDLY:
        w->wdly = v;
        break;
    case RPVP_WDT_WSPR:
        wdt_write_wspr(w, v, now);
        break;
    default:
        break;
    }
}

/* One access: checks, catch-up to now, the register, outputs and timer. */
static rpvp_status wdt_access_reg(rpvp_wdt *w, uint64_t off, uint32_t *v, unsigned len,
                                  int is_write)
{
    if (len != 4 || (off & 3u)) {
        GUEST_ERROR(w, "%u-byte %s at 0x%03llx: only aligned 32-bit accesses", len,
                    is_write ? "write" : "read", (unsigned long long)off);
        return RPVP_GENERIC_ERROR;
    }
    const struct wdt_reg *r = wdt_find(off);
    if (!r) {
        GUEST_ERROR(w, "%s at 0x%03llx: no register (reads 0)", is_write ? "write" : "read",
                    (unsigned long long)off);
        if (!is_write)
            *v = 0;
        return RPVP_OK;
    }
    const uint64_t now = wdt_now(w);
    wdt_catch_up(w, now);
    if (is_write) {
        w->st.writes++;
        if (r->access == R)
            GUEST_ERROR(w, "write 0x%08x to read-only %s: ignored", *v, r->name);
        else
            wdt_reg_write(w, r->off, *v, now);
    } else {
        w->st.reads++;
        *v = wdt_reg_read(w, r->off, now);
    }
    if (w->cfg.trace)
        wdt_log(w, RPVP_WDT_LOG_TRACE, "%s 0x%03x %s = 0x%08x", is_write ? "write" : "read",
                r->off, r->name, *v);
    wdt_update_lines(w);
    if (is_write)
        wdt_timer_changed(w);
    return RPVP_OK;
}

/* ---- device ops ---------------------------------------------------------------------- */

static rpvp_status ops_read(void *dev, uint64_t off, void *data, unsigned len, uint64_t *d)
{
    uint32_t v = 0;
    rpvp_status s = wdt_access_reg(dev, off, &v, len, 0);
    if (s == RPVP_OK && len == 4)
        memcpy(data, &v, 4);
    return s;
}

static rpvp_status ops_write(void *dev, uint64_t off, const void *data, unsigned len,
                             uint64_t *d)
{
    uint32_t v = 0;
    memcpy(&v, data, len < 4 ? len : 4);
    return wdt_access_reg(dev, off, &v, len, 1);
}

static unsigned ops_debug_read(void *dev, uint64_t off, void *data, unsigned len)
{
    rpvp_wdt *w = dev;
    if (len != 4 || !wdt_find(off))
        return 0;
    uint32_t v = wdt_reg_read(w, (uint32_t)off, w->last_now);
    memcpy(data, &v, 4);
    return 4;
}

static void ops_reset(void *dev) { rpvp_wdt_reset(dev); }

static void ops_set_irq_sink(void *dev, const rpvp_irq_sink *sink)
{
    rpvp_wdt *w = dev;
    w->sink = sink ? *sink : (rpvp_irq_sink){0};
}

/* ---- public API ---------------------------------------------------------------------- */

void rpvp_wdt_config_default(rpvp_wdt_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->name = "watchdog";
}

rpvp_wdt *rpvp_wdt_new(const rpvp_wdt_config *cfg)
{
    rpvp_wdt *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    if (cfg)
        w->cfg = *cfg;
    else
        rpvp_wdt_config_default(&w->cfg);
    snprintf(w->name, sizeof w->name, "%s", w->cfg.name ? w->cfg.name : "watchdog");
    w->ops = (rpvp_device_ops){
        .name = w->name,
        .read = ops_read,
        .write = ops_write,
        .debug_read = ops_debug_read,
        .reset = ops_reset,
        .set_irq_sink = ops_set_irq_sink,
        .num_irq_out = RPVP_WDT_NUM_LINES,
    };
    wdt_reset_registers(w);
    return w;
}

void rpvp_wdt_free(rpvp_wdt *w) { free(w); }

const rpvp_device_ops *rpvp_wdt_ops(rpvp_wdt *w) { return &w->ops; }

void rpvp_wdt_set_clock(rpvp_wdt *w, const rpvp_clock *clock)
{
    w->clock = clock ? *clock : (rpvp_clock){0};
}

void rpvp_wdt_set_timer_hook(rpvp_wdt *w, rpvp_wdt_timer_fn fn, void *ctx)
{
    w->timer_fn = fn;
    w->timer_ctx = ctx;
}

void rpvp_wdt_reset(rpvp_wdt *w)
{
    wdt_reset_registers(w);
    wdt_update_lines(w);
    wdt_timer_changed(w);
}

uint32_t rpvp_wdt_read32(rpvp_wdt *w, uint32_t off)
{
    uint32_t v = 0;
    return wdt_access_reg(w, off, &v, 4, 0) == RPVP_OK ? v : 0;
}

rpvp_status rpvp_wdt_write32(rpvp_wdt *w, uint32_t off, uint32_t value)
{
    return wdt_access_reg(w, off, &value, 4, 1);
}

int rpvp_wdt_line(const rpvp_wdt *w, unsigned line)
{
    return line < RPVP_WDT_NUM_LINES ? w->line[line] : 0;
}

int rpvp_wdt_running(const rpvp_wdt *w) { return w->running; }

void rpvp_wdt_get_stats(const rpvp_wdt *w, rpvp_wdt_stats *out) { *out = w->st; }
