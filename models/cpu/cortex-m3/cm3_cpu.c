/*
 * Cortex-M3 core: reset, the run loop with its predecode cache, instruction fetch
 * (default memory map execute-never regions), the slow memory path (PPB, bit-band,
 * bus, DMI acquisition) and code-write invalidation.
 */
#include "cm3_exec.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define ICACHE_SIZE (1u << CM3_ICACHE_BITS)
#define ICACHE_MASK (ICACHE_SIZE - 1)
#define CODEMAP_BYTES (1u << 19)   /* 4 GiB / 1 KiB pages / 8 bits */

void cm3_log_guest_error(cm3_cpu *c, const char *fmt, ...)
{
    c->st.guest_errors++;
    if (c->st.guest_errors > 20) return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "cm3: guest error (PC=0x%08x): ", c->pc);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---------------------------------------------------------------- memory (slow path) */

static int in_ppb(uint32_t a) { return a >= 0xe0000000u && a < 0xe0100000u; }
static int bitband_target(uint32_t a, uint32_t *byte, unsigned *bit)
{
    uint32_t base;
    if (a >= 0x22000000u && a < 0x24000000u) base = 0x20000000u;
    else if (a >= 0x42000000u && a < 0x44000000u) base = 0x40000000u;
    else return 0;
    uint32_t off = a & 0x01ffffffu;
    *byte = base + (off >> 5);
    *bit = (off >> 2) & 7;
    return 1;
}

static void invalidate_all(cm3_cpu *c);

static int dmi_neg_hit(cm3_cpu *c, uint32_t a)
{
    for (unsigned i = 0; i < 8; i++)
        if (c->dmi_neg[i] == (a >> 12) + 1) return 1;
    return 0;
}

/* ---------------------------------------------------------------- region timing */

const cm3_region_timing *cm3_region_of(const cm3_cpu *c, uint32_t a)
{
    for (unsigned i = 0; i < c->nrt; i++)
        if (a - c->rt[i].base <= c->rt[i].size - 1u) return &c->rt[i];
    return NULL;
}

/* Reads of window w may contend with prefetch: translated code must not read it inline. */
static uint32_t dmi_rslow(const cm3_cpu *c, const cm3_dmi_ent *w)
{
    if (w->rwait) return w->rwait;
    for (unsigned i = 0; i < c->nrt; i++) {
        const cm3_region_timing *t = &c->rt[i];
        if (t->contention && w->start <= t->base + (t->size - 1u) &&
            t->base <= w->start + (w->size - 1u))
            return 1;
    }
    return 0;
}

int cm3_set_region_timing(cm3_cpu *c, const cm3_region_timing *r, unsigned n)
{
    if (n > CM3_MAX_REGION_TIMING || (n && !r)) return -1;
    for (unsigned i = 0; i < n; i++) {
        unsigned f = r[i].fetch_bytes;
        if (f < 4 || f > 64 || (f & (f - 1)) || r[i].wait > 32) return -1;
    }
    c->nrt = n;
    c->any_contention = 0;
    for (unsigned i = 0; i < n; i++) {
        c->rt[i] = r[i];
        if (r[i].contention) c->any_contention = 1;
    }
    for (unsigned i = 0; i < c->ndmi; i++) c->dmi[i].rslow = dmi_rslow(c, &c->dmi[i]);
    invalidate_all(c);   /* decoded fetch costs change */
    c->stop_at = 0;
    return 0;
}

/* Rule 7: a load of a region whose data reads contend with instruction prefetch (D-Code
 * and I-Code to one memory): every `contention`-th load of a run pays one cycle. A run is
 * loads that directly follow each other on that region. */
int cm3_contention(cm3_cpu *c, uint32_t a)
{
    const cm3_region_timing *t = cm3_region_of(c, a);
    if (!t || !t->contention) { c->drun = 0; return 0; }
    unsigned pk = c->prevkw & K_CLASS;
    int run = (c->prevkw & K_MULTI) && (pk == K_LD || pk == K_LDST_WB) && c->drun &&
              (a >> 29) == c->dregion;
    c->drun = run ? c->drun + 1 : 1;
    return c->drun % t->contention == 0;
}

/* Ask the bus for a DMI window holding a; returns 1 if one was added. */
static int try_dmi(cm3_cpu *c, uint32_t a, int write)
{
    if (!c->bus.get_dmi || dmi_neg_hit(c, a)) return 0;
    cm3_dmi d;
    memset(&d, 0, sizeof d);
    if (!c->bus.get_dmi(c->bus.ctx, a, &d) || !d.ptr || a < d.start || a > d.end ||
        (write && !d.writable)) {
        c->dmi_neg[c->dmi_neg_next++ & 7] = (a >> 12) + 1;
        return 0;
    }
    unsigned slot = c->ndmi < CM3_DMI_MAX ? c->ndmi++ : (c->dmi_next++ % CM3_DMI_MAX);
    cm3_dmi_ent *w = &c->dmi[slot];
    w->base = d.ptr - d.start;
    w->start = d.start;
    w->size = d.end - d.start + 1;
    if (w->size == 0) w->size = 0xfffffffcu;   /* whole 4 GiB: keep the fast compare sane */
    w->rwait = d.read_wait;
    w->wwait = d.write_wait;
    w->writable = d.writable;
    w->lim[1] = w->size - 1;
    w->lim[2] = w->size - 2;
    w->lim[4] = w->size - 4;
    w->rslow = dmi_rslow(c, w);
    return 1;
}

static int bus_read(cm3_cpu *c, uint32_t a, unsigned len, uint32_t *v)
{
    uint32_t wait = 0;
    int r = c->bus.read(c->bus.ctx, a, len, v, &wait);
    c->cyc += wait;
    return r;
}
static int bus_write(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v)
{
    uint32_t wait = 0;
    int r = c->bus.write(c->bus.ctx, a, len, v, &wait);
    c->cyc += wait;
    if (r == 0 && (c->codemap[a >> 13] & (1u << ((a >> 10) & 7))))
        cm3_store_check(c, a, len, v);
    return r;
}

int cm3_mem_read_slow(cm3_cpu *c, uint32_t a, unsigned len, uint32_t *v, int priv)
{
    uint32_t byte;
    unsigned bit;
    if (in_ppb(a)) return cm3_ppb_read(c, a, len, v, priv);
    if (bitband_target(a, &byte, &bit)) {
        uint32_t b;
        if (bus_read(c, byte, 1, &b)) return 1;
        *v = (b >> bit) & 1;
        return 0;
    }
    if (try_dmi(c, a, 0)) return cm3_read(c, a, len, v);
    return bus_read(c, a, len, v);
}

int cm3_mem_write_slow(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v, int priv)
{
    uint32_t byte;
    unsigned bit;
    if (in_ppb(a)) return cm3_ppb_write(c, a, len, v, priv);
    if (bitband_target(a, &byte, &bit)) {
        uint32_t b;
        if (bus_read(c, byte, 1, &b)) return 1;
        b = (v & 1) ? (b | (1u << bit)) : (b & ~(1u << bit));
        return bus_write(c, byte, 1, b);
    }
    if (try_dmi(c, a, 1)) return cm3_write(c, a, len, v);
    return bus_write(c, a, len, v);
}

/* ---------------------------------------------------------------- predecode cache */

/* Drop decoded code of a 1 KiB page; blocks too unless the caller does it (jit = 0). */
static int page_watched(const cm3_cpu *c, uint32_t page)
{
    for (unsigned i = 0; i < CM3_MAX_WATCH; i++)
        if (c->watch[i].fn && (c->watch[i].lo >> 10) <= page && page <= (c->watch[i].hi >> 10))
            return 1;
    return 0;
}

static void mark_page(uint8_t *map, uint32_t p) { map[p >> 3] |= (uint8_t)(1u << (p & 7)); }

static void invalidate_page(cm3_cpu *c, uint32_t page, int jit)
{
    uint32_t base = page << 10;
    c->codebits[page >> 3] &= (uint8_t)~(1u << (page & 7));
    if (!c->nwatch || !page_watched(c, page))
        c->codemap[page >> 3] &= (uint8_t)~(1u << (page & 7));
    for (uint32_t a = base - 2; a != base + 1024; a += 2) {
        cm3_insn *d = &c->icache[(a >> 1) & ICACHE_MASK];
        if (d->addr == a) d->addr = 1;
    }
    /* A translated block running now must not go on past the write: stop_at = 0 sends
     * it back to cm3_run, which only re-evaluates (nothing else changes). */
    if (jit && c->jit && cm3_jit_invalidate(c, base, base + 1023)) c->stop_at = 0;
    c->st.code_invalidations++;
}

void cm3_store_check(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v)
{
    uint32_t first = a >> 10, last = (a + len - 1) >> 10;
    for (uint32_t p = first; p <= last; p++)
        if (c->codebits[p >> 3] & (1u << (p & 7))) invalidate_page(c, p, 1);
    for (unsigned i = 0; c->nwatch && i < CM3_MAX_WATCH; i++) {
        const cm3_watch *w = &c->watch[i];
        if (w->fn && a <= w->hi && a + len - 1 >= w->lo) w->fn(w->ctx, a, len, v, c->cyc);
    }
}

static void mark_watches(cm3_cpu *c)
{
    for (unsigned i = 0; i < CM3_MAX_WATCH; i++)
        if (c->watch[i].fn)
            for (uint32_t p = c->watch[i].lo >> 10; p <= c->watch[i].hi >> 10; p++)
                mark_page(c->codemap, p);
}

static void invalidate_all(cm3_cpu *c)
{
    for (unsigned i = 0; i < ICACHE_SIZE; i++) c->icache[i].addr = 1;
    memset(c->codemap, 0, CODEMAP_BYTES);
    memset(c->codebits, 0, CODEMAP_BYTES);
    mark_watches(c);
    if (c->jit) cm3_jit_flush(c);
}

int cm3_set_write_watch(cm3_cpu *c, unsigned id, uint32_t addr, uint32_t len,
                        cm3_watch_fn fn, void *ctx)
{
    if (id >= CM3_MAX_WATCH) return -1;
    cm3_watch *w = &c->watch[id];
    uint32_t old_lo = w->lo, old_hi = w->hi;
    int had = w->fn != NULL;
    w->fn = len && fn ? fn : NULL;
    w->ctx = ctx;
    w->lo = addr;
    w->hi = len ? addr + len - 1 : addr;
    c->nwatch = 0;
    for (unsigned i = 0; i < CM3_MAX_WATCH; i++) c->nwatch += c->watch[i].fn != NULL;
    /* Pages of a removed or moved watch go back to "code only"; then mark the live ones. */
    if (had)
        for (uint32_t p = old_lo >> 10; p <= old_hi >> 10; p++)
            if (!(c->codebits[p >> 3] & (1u << (p & 7))))
                c->codemap[p >> 3] &= (uint8_t)~(1u << (p & 7));
    mark_watches(c);
    return 0;
}

void cm3_set_exception_hook(cm3_cpu *c, cm3_exc_fn fn, void *ctx)
{
    c->exc_fn = fn;
    c->exc_ctx = ctx;
}

void cm3_invalidate_dmi(cm3_cpu *c, uint32_t start, uint32_t end)
{
    unsigned k = 0;
    for (unsigned i = 0; i < c->ndmi; i++) {
        cm3_dmi_ent *w = &c->dmi[i];
        uint32_t wend = w->start + w->size - 1;
        if (wend < start || w->start > end) c->dmi[k++] = *w;
    }
    c->ndmi = k;
    memset(&c->dmi[k], 0, (CM3_DMI_MAX - k) * sizeof c->dmi[0]);
    memset(c->dmi_neg, 0, sizeof c->dmi_neg);
    /* Code there may change behind our back: drop decoded instructions in the range. */
    int code = 0;
    for (uint64_t p = start >> 10; p <= (end >> 10); p++)
        if (c->codebits[p >> 3] & (1u << (p & 7))) { invalidate_page(c, (uint32_t)p, 0); code = 1; }
    if (code && c->jit && cm3_jit_invalidate(c, start & ~1023u, end | 1023u)) c->stop_at = 0;
}

/* Default memory map: Peripheral, Device and System regions are execute-never. */
static int xn(uint32_t a)
{
    return (a >= 0x40000000u && a < 0x60000000u) || a >= 0xa0000000u;
}

/* A halfword of code from a DMI window already held (no bus traffic); 0 if none. */
static int fetch_dmi(const cm3_cpu *c, uint32_t a, uint32_t *v, uint64_t *wait)
{
    for (unsigned i = 0; i < c->ndmi; i++) {
        const cm3_dmi_ent *w = &c->dmi[i];
        if (a - w->start <= w->size - 2) {
            uint16_t x;
            memcpy(&x, w->base + a, 2);
            *v = x;
            *wait += w->rwait;
            return 1;
        }
    }
    return 0;
}

/* Rule 7: fetch cost of an instruction from a region with timing t. The core fetches
 * 32-bit words; a memory access of t->fetch_bytes (F) takes 1 + W cycles and serves F/4
 * words, at most one a cycle, and the System bus adds a cycle per word: a word costs
 * max(1, 4(1+W)/F) + sysbus cycles. In a straight line an instruction waits for its
 * bytes only beyond its own execute cycles (the fetch overlaps them); after a branch the
 * target's words are fetched anew (the line's first access pays W), of which the refill P
 * already counts one cycle; a branch that had time to speculate (refill[2]) hides the
 * second word of a target straddling two (rule 5). */
static void region_fetch_cost(cm3_insn *d, uint32_t pc, unsigned len, const cm3_region_timing *t)
{
    unsigned f = t->fetch_bytes, w = t->wait, s = t->sysbus ? 1u : 0u;
    unsigned word_f = (f > 4 + 4 * w ? f : 4 + 4 * w) + s * f;   /* cycles per word, x F */
    unsigned need = (len * word_f + 4 * f - 1) / (4 * f);         /* cycles to fetch it */
    unsigned exec = d->cycles ? d->cycles : 1u;
    unsigned stall = need > exec ? need - exec : 0u;
    unsigned c0 = 1 + w + s, total = c0;
    if (len == 4 && (pc & 2)) total += 1 + s + ((((pc & ~3u) + 4) % f) == 0 ? w : 0u);
    d->cycles = (uint8_t)(d->cycles + stall);
    d->refill[1] = (uint8_t)(total > 1 + stall ? total - 1 - stall : 0u);
    d->refill[2] = (uint8_t)(c0 > 1 + stall ? c0 - 1 - stall : 0u);
}

/* Fetch and decode the instruction at pc into *d. Returns 0 on success; -1 on a fetch
 * fault (taken unless dmi_only); 1 if dmi_only and the code is not in a DMI window or
 * is execute-never (nothing done). */
int cm3_fetch_decode(cm3_cpu *c, uint32_t pc, cm3_insn *d, int dmi_only)
{
    if (xn(pc)) {
        if (dmi_only) return 1;
        cm3_fault(c, EXC_MEMMANAGE, CFSR_IACCVIOL);
        return -1;
    }
    uint64_t cyc0 = c->cyc, wait = 0;
    uint32_t hw1, hw2 = 0, raw;
    unsigned len = 2;
    if (dmi_only) {
        if (!fetch_dmi(c, pc, &hw1, &wait)) return 1;
    } else if (cm3_read(c, pc, 2, &hw1)) {
        c->cyc = cyc0;
        cm3_fault(c, EXC_BUSFAULT, CFSR_IBUSERR);
        return -1;
    }
    raw = hw1;
    if (cm3_is_32bit(hw1)) {
        if (dmi_only) {
            if (!fetch_dmi(c, pc + 2, &hw2, &wait)) return 1;
        } else if (cm3_read(c, pc + 2, 2, &hw2)) {
            c->cyc = cyc0;
            cm3_fault(c, EXC_BUSFAULT, CFSR_IBUSERR);
            return -1;
        }
        raw = (hw1 << 16) | hw2;
        len = 4;
    }
    if (!dmi_only) wait = c->cyc - cyc0;
    c->cyc = cyc0;
    cm3_decode(c, pc, raw, len, d);
    d->refill[0] = 0;
    const cm3_region_timing *t = cm3_region_of(c, pc);
    if (t) {
        region_fetch_cost(d, pc, len, t);
    } else {
        d->cycles = (uint8_t)(d->cycles + (wait > 64 ? 64 : wait));
        /* a 32-bit insn at an odd halfword straddles two fetch words: +1 on a refill,
         * hidden when the branch had time to speculate (rule 5) */
        d->refill[1] = (uint8_t)(len == 4 && (pc & 2) ? CY(CYC_P_UNALIGNED) : 0);
        d->refill[2] = 0;
    }
    for (uint32_t p = pc >> 10; p <= (pc + len - 1) >> 10; p++) {
        mark_page(c->codemap, p);
        mark_page(c->codebits, p);
    }
    c->st.decode_misses++;
    return 0;
}

static cm3_insn *fill(cm3_cpu *c, uint32_t pc)
{
    cm3_insn *d = &c->icache[(pc >> 1) & ICACHE_MASK];
    return cm3_fetch_decode(c, pc, d, 0) ? NULL : d;
}

/* ---------------------------------------------------------------- run loop */

void cm3_bx_write_pc(cm3_cpu *c, uint32_t v)
{
    if (c->handler_mode && (v >> 28) == 0xf) {
        cm3_exc_return(c, v);
        return;
    }
    c->npc = v & ~1u;
    c->branched = cm3_branch_kind(c);
    if (!(v & 1)) {
        c->tbit = 0;
        c->stop_at = 0;
    }
}

void cm3_it_exec(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t it = c->itstate;
    c->exc_taken = 0;
    if (cm3_cond(c, it >> 4)) {
        d->exec(c, d);
    } else {
        if (d->cycles > 1) c->cyc -= d->cycles - 1u;   /* skipped: one cycle */
        /* A skipped load made no access: the next one does not pipeline with it (nor,
         * through it, with an older access whose region translated code may not have
         * recorded; cm3_jit.c records a region only where the next instruction looks). */
        if ((d->kind & K_CLASS) == K_LD) c->dregion = DREGION_NONE;
    }
    if (!c->exc_taken) c->itstate = it_advance(it);
}

uint64_t cm3_run_interp(cm3_cpu *c, uint64_t nmax)
{
    cm3_insn *ic = c->icache;
    uint64_t n = 0;   /* instructions retired here; kept in a register */
    while (c->cyc < c->stop_at && n < nmax) {
        uint32_t pc = c->pc;
        cm3_insn *d = &ic[(pc >> 1) & ICACHE_MASK];
        n++;
        if (UNLIKELY(d->addr != pc)) {
            d = fill(c, pc);
            if (!d) { n--; continue; }
        }
        c->r[15] = pc + 4;
        c->npc = pc + d->len;
        c->cyc += (uint64_t)d->cycles + d->refill[c->branched];
        c->branched = 0;
        if (LIKELY(!c->itstate)) d->exec(c, d);
        else cm3_it_exec(c, d);
        c->prevkw = d->kind | ((uint32_t)d->wreg << 8);
        c->pc = c->npc;
    }
    return n;
}

static int at_bkpt(const cm3_cpu *c)
{
    for (unsigned i = 0; i < c->nbkpt; i++)
        if (c->bkpt[i] == c->pc) return 1;
    return 0;
}

cm3_stop cm3_run(cm3_cpu *c, uint64_t cycles)
{
    uint64_t end = cycles > UINT64_MAX - c->cyc ? UINT64_MAX : c->cyc + cycles;
    for (;;) {
        if (c->stop_req) {
            c->stop_req = 0;
            return c->stop_reason;
        }
        if (c->locked_up) return CM3_STOP_LOCKUP;
        if (c->reset_req) cm3_reset(c);
        cm3_systick_update(c);
        if (c->need_exc_check) {
            c->need_exc_check = 0;
            cm3_take_pending(c);
            continue;
        }
        if (c->sleeping) {
            int wake;
            if (c->sleeping == 1) wake = cm3_pending_wakes(c, 1);
            else wake = c->event || cm3_pending_wakes(c, 0);
            if (wake) {
                if (c->sleeping == 2) c->event = 0;
                c->sleeping = 0;
                continue;
            }
            if (c->cyc >= end) return CM3_STOP_BUDGET;
            uint64_t next = cm3_systick_next(c), until = next < end ? next : end;
            uint64_t slept;
            if (c->bus.sleep) {
                /* The callee waits for interrupts itself: sleep to the core's own next
                 * event even past `end`, in one call rather than one per budget. */
                slept = c->bus.sleep(c->bus.ctx, next == UINT64_MAX ? UINT64_MAX : next - c->cyc);
                if (slept > UINT64_MAX - c->cyc) slept = UINT64_MAX - c->cyc;
            } else if (next == UINT64_MAX) {
                snprintf(c->err, sizeof c->err,
                         "%s at PC=0x%08x with no possible wake-up event (no SysTick, no IRQ source)",
                         c->sleeping == 1 ? "WFI" : "WFE", c->pc - 2);
                c->sleeping = 0;
                return CM3_STOP_SLEEP_FOREVER;
            } else {
                slept = until - c->cyc;
            }
            c->cyc += slept;
            c->st.sleep_cycles += slept;
            continue;
        }
        if (c->cyc >= end) return CM3_STOP_BUDGET;
        if (c->insn_limit && c->st.insns >= c->insn_limit) return CM3_STOP_INSN_LIMIT;
        if (!c->tbit) {
            cm3_fault(c, EXC_USAGEFAULT, CFSR_INVSTATE);
            continue;
        }
        uint64_t next = cm3_systick_next(c);
        c->stop_at = next < end ? next : end;
        uint64_t n = c->insn_limit ? c->insn_limit - c->st.insns : UINT64_MAX;
        if (c->nbkpt) {
            if (!c->skip_bkpt_once && at_bkpt(c)) return CM3_STOP_WATCH;
            c->skip_bkpt_once = 0;
            n = 1;
        }
        c->st.insns += c->jit ? cm3_jit_run(c, n) : cm3_run_interp(c, n);
    }
}

cm3_stop cm3_step(cm3_cpu *c)
{
    uint64_t saved = c->insn_limit;
    c->insn_limit = c->st.insns + 1;
    c->skip_bkpt_once = 1;
    cm3_stop r = cm3_run(c, UINT64_MAX);
    c->insn_limit = saved;
    c->skip_bkpt_once = 0;
    return r;
}

/* ---------------------------------------------------------------- life cycle, API */

cm3_cpu *cm3_create(const cm3_config *cfg, const cm3_bus *bus)
{
    if (!bus || !bus->read || !bus->write) return NULL;
    cm3_cpu *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->icache = calloc(ICACHE_SIZE, sizeof *c->icache);
    if (!getenv("RPVP_CM3_NOJIT")) c->jit = cm3_jit_create();
    c->codemap = calloc(1, CODEMAP_BYTES);
    c->codebits = calloc(1, CODEMAP_BYTES);
    if (!c->icache || !c->codemap || !c->codebits) { cm3_destroy(c); return NULL; }
    c->cfg = *cfg;
    if (c->cfg.num_irq < 1) c->cfg.num_irq = 1;
    if (c->cfg.num_irq > 240) c->cfg.num_irq = 240;
    if (c->cfg.prio_bits < 3) c->cfg.prio_bits = 3;
    if (c->cfg.prio_bits > 8) c->cfg.prio_bits = 8;
    c->num_exc = 16 + c->cfg.num_irq;
    c->bus = *bus;
    c->clock_hz = 100000000u;
    invalidate_all(c);
    return c;
}

void cm3_destroy(cm3_cpu *c)
{
    if (!c) return;
    cm3_jit_destroy(c->jit);
    free(c->icache);
    free(c->codemap);
    free(c->codebits);
    free(c);
}

void cm3_reset(cm3_cpu *c)
{
    memset(c->r, 0, sizeof c->r);
    c->r[14] = 0xffffffffu;
    cm3_set_apsr(c, 0);
    c->ipsr = 0;
    c->itstate = 0;
    c->primask = c->faultmask = c->basepri = c->control = 0;
    c->handler_mode = 0;
    c->exclusive = 0;
    c->event = 0;
    c->sleeping = 0;
    c->locked_up = 0;
    c->stop_req = 0;
    c->err[0] = 0;
    c->prevkw = K_OTHER | (0xffu << 8);
    c->branched = 1;
    /* The pipelining state of the last load (rules 6 and 7) starts afresh as at power-on:
     * translated code records it only where a later access consults it, so a stale
     * value from before the reset could differ between the two paths. */
    c->dregion = 0;
    c->drun = 0;
    c->exc_taken = 0;
    memset(c->irq_level, 0, sizeof c->irq_level);
    cm3_exc_reset(c);
    cm3_scs_reset(c);
    invalidate_all(c);
    uint32_t sp = 0, pc = 0;
    c->pc = c->vtor;
    if (cm3_read(c, c->vtor, 4, &sp) || cm3_read(c, c->vtor + 4, 4, &pc)) {
        c->locked_up = 1;
        snprintf(c->err, sizeof c->err, "reset: cannot read the vector table at VTOR=0x%08x",
                 c->vtor);
        return;
    }
    c->msp = sp & ~3u;
    c->psp = 0;
    c->r[13] = c->msp;
    c->pc = c->npc = pc & ~1u;
    c->tbit = pc & 1;
}

void cm3_request_stop(cm3_cpu *c)
{
    c->stop_reason = CM3_STOP_REQUEST;
    c->stop_req = 1;
    c->stop_at = 0;
}

void cm3_set_insn_limit(cm3_cpu *c, uint64_t n) { c->insn_limit = n ? c->st.insns + n : 0; }

void cm3_set_irq(cm3_cpu *c, unsigned n, int level)
{
    if (n >= c->cfg.num_irq) return;
    level = level ? 1 : 0;
    if (level && !c->irq_level[n]) cm3_set_pending(c, (int)(EXC_IRQ0 + n), 1);
    c->irq_level[n] = (uint8_t)level;
}

void cm3_set_nmi(cm3_cpu *c) { cm3_set_pending(c, EXC_NMI, 1); }

static int psp_active(const cm3_cpu *c) { return !c->handler_mode && (c->control & 2); }

uint32_t cm3_get_reg(cm3_cpu *c, unsigned n)
{
    if (n < 15) return c->r[n];
    switch (n) {
    case CM3_REG_PC: return c->pc;
    case CM3_REG_MSP: return psp_active(c) ? c->msp : c->r[13];
    case CM3_REG_PSP: return psp_active(c) ? c->r[13] : c->psp;
    case CM3_REG_PRIMASK: return c->primask;
    case CM3_REG_BASEPRI: return c->basepri;
    case CM3_REG_FAULTMASK: return c->faultmask;
    case CM3_REG_CONTROL: return c->control;
    case CM3_REG_XPSR: {
        uint32_t it = c->itstate;
        return cm3_apsr(c) | c->ipsr | (c->tbit << 24) | ((it & 3) << 25) | ((it & 0xfc) << 8);
    }
    default: return 0;
    }
}

void cm3_set_reg(cm3_cpu *c, unsigned n, uint32_t v)
{
    if (n < 15) { c->r[n] = v; return; }
    switch (n) {
    case CM3_REG_PC: c->pc = c->npc = v & ~1u; break;
    case CM3_REG_MSP: if (psp_active(c)) c->msp = v; else c->r[13] = v; break;
    case CM3_REG_PSP: if (psp_active(c)) c->r[13] = v; else c->psp = v; break;
    case CM3_REG_PRIMASK: c->primask = v & 1; break;
    case CM3_REG_BASEPRI: c->basepri = v & 0xff; break;
    case CM3_REG_FAULTMASK: c->faultmask = v & 1; break;
    case CM3_REG_CONTROL: c->control = v & 3; break;
    case CM3_REG_XPSR:
        cm3_set_apsr(c, v);
        c->ipsr = v & 0x1ff;
        c->tbit = (v >> 24) & 1;
        c->itstate = ((v >> 25) & 3) | ((v >> 8) & 0xfc);
        break;
    default: break;
    }
    cm3_exc_changed(c);
}

void cm3_get_stats(const cm3_cpu *c, cm3_stats *s)
{
    *s = c->st;
    s->cycles = c->cyc - c->st.sleep_cycles;
}

uint64_t cm3_time_cycles(const cm3_cpu *c) { return c->cyc; }
int cm3_exit_code(const cm3_cpu *c) { return c->exit_code; }
const char *cm3_last_error(const cm3_cpu *c) { return c->err; }

void cm3_fault_regs(const cm3_cpu *c, uint32_t *cfsr, uint32_t *hfsr, uint32_t *mmfar,
                    uint32_t *bfar)
{
    *cfsr = c->cfsr;
    *hfsr = c->hfsr;
    *mmfar = c->mmfar;
    *bfar = c->bfar;
}

/* Debug accesses use word accesses where aligned (SCS registers are word-only). */
int cm3_debug_read(cm3_cpu *c, uint32_t addr, void *buf, size_t len)
{
    uint8_t *p = buf;
    uint64_t cyc = c->cyc;
    int err = 0;
    for (size_t i = 0; i < len;) {
        uint32_t a = addr + (uint32_t)i, v = 0;
        unsigned n = (!(a & 3) && len - i >= 4) ? 4 : 1;
        if (in_ppb(a) ? cm3_ppb_read(c, a, n, &v, 1) : cm3_mem_read_slow(c, a, n, &v, 1)) err = 1;
        memcpy(p + i, &v, n);
        i += n;
    }
    c->cyc = cyc;
    return err ? -1 : 0;
}

int cm3_debug_write(cm3_cpu *c, uint32_t addr, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint64_t cyc = c->cyc;
    int err = 0;
    for (size_t i = 0; i < len;) {
        uint32_t a = addr + (uint32_t)i, v = 0;
        unsigned n = (!(a & 3) && len - i >= 4) ? 4 : 1;
        memcpy(&v, p + i, n);
        if (cm3_mem_write_slow(c, a, n, v, 1)) err = 1;
        i += n;
    }
    c->cyc = cyc;
    return err ? -1 : 0;
}

void cm3_set_semihost(cm3_cpu *c, cm3_semihost *sh) { c->semihost = sh; }
void cm3_set_debugger(cm3_cpu *c, int attached) { c->debugger = attached; }
void cm3_set_clock_hz(cm3_cpu *c, uint64_t hz) { c->clock_hz = hz ? hz : 1; }

int cm3_set_breakpoint(cm3_cpu *c, uint32_t addr, int on)
{
    for (unsigned i = 0; i < c->nbkpt; i++)
        if (c->bkpt[i] == addr) {
            if (!on) c->bkpt[i] = c->bkpt[--c->nbkpt];
            return 0;
        }
    if (!on) return 0;
    if (c->nbkpt >= CM3_MAX_BKPT) return -1;
    c->bkpt[c->nbkpt++] = addr;
    return 0;
}

void cm3_count_direct(cm3_cpu *c, int on)
{
    c->count_direct = on != 0;
    if (c->jit)
        cm3_jit_flush(c); /* blocks translated with inline loads/stores count nothing */
}
