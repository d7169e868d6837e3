/*
 * rpvp-cm3: stand-alone runner of the Cortex-M3 ISS (no SystemC).
 *   rpvp-cm3 [--stats] [--max-insns N] [--clock HZ] [--mem BASE:SIZE[:WAIT[:OPT]...]]...
 *            [--profile stm32f1] [--num-irq N] [--gdb PORT] prog.elf [args...]
 * Memory: plain RAM regions (default like QEMU's mps2-an385: 4 MiB at 0 and 4 MiB at
 * 0x20000000), anything else is a bus error. WAIT and OPT give a region's timing
 * (cm3_region_timing, docs/models/cortex-m3.md "Region timing"); --profile applies a
 * documented part's timing to the code and SRAM regions. Console and exit through ARM semihosting
 * and ITM port 0. Exit status: the program's (SYS_EXIT/SYS_EXIT_EXTENDED); 2 bad
 * image/usage, 3 lock-up, 4 instruction limit, 5 sleep with no wake-up event.
 */
#define _POSIX_C_SOURCE 200809L
#include "cm3.h"
#include "cm3_elf.h"
#include "cm3_gdb.h"
#include "cm3_semihost.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REGIONS 8

typedef struct region {
    uint32_t base, size;
    uint8_t *mem;
    uint32_t wait;   /* wait states of every access */
} region;

typedef struct board {
    region r[MAX_REGIONS];
    unsigned n;
} board;

static region *find(board *b, uint32_t a, uint32_t len)
{
    for (unsigned i = 0; i < b->n; i++)
        if (a - b->r[i].base < b->r[i].size && len <= b->r[i].size - (a - b->r[i].base))
            return &b->r[i];
    return NULL;
}

static int bus_read(void *ctx, uint32_t a, unsigned len, uint32_t *v, uint32_t *wait)
{
    region *r = find(ctx, a, len);
    *wait = r ? r->wait : 0;
    if (!r) return -1;
    uint32_t x = 0;
    memcpy(&x, r->mem + (a - r->base), len);
    *v = x;
    return 0;
}

static int bus_write(void *ctx, uint32_t a, unsigned len, uint32_t v, uint32_t *wait)
{
    region *r = find(ctx, a, len);
    *wait = r ? r->wait : 0;
    if (!r) return -1;
    memcpy(r->mem + (a - r->base), &v, len);
    return 0;
}

static int bus_dmi(void *ctx, uint32_t a, cm3_dmi *d)
{
    region *r = find(ctx, a, 1);
    if (!r) return 0;
    d->ptr = r->mem;
    d->start = r->base;
    d->end = r->base + r->size - 1;
    d->writable = 1;
    d->read_wait = d->write_wait = r->wait;
    return 1;
}

static void itm_write(void *ctx, unsigned port, uint32_t v, unsigned len)
{
    (void)ctx;
    if (port != 0) return;
    for (unsigned i = 0; i < len; i++) putchar((int)((v >> (8 * i)) & 0xff));
    fflush(stdout);
}

static int load_write(void *ctx, uint32_t a, const void *data, uint32_t len)
{
    region *r = find(ctx, a, len);
    if (!r) return -1;
    if (data) memcpy(r->mem + (a - r->base), data, len);
    else memset(r->mem + (a - r->base), 0, len);
    return 0;
}

static uint64_t cm3_get_stats_insns(const cm3_cpu *c)
{
    cm3_stats s;
    cm3_get_stats(c, &s);
    return s.insns;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: rpvp-cm3 [--stats] [--max-insns N] [--clock HZ] [--mem BASE:SIZE[:WAIT[:OPT]...]]...\n"
            "                [--profile stm32f1] [--num-irq N] [--gdb PORT] prog.elf [args...]\n"
            "  OPT: fetch=BYTES (4, 8, 16, 32, 64), sysbus | icode (how code is fetched),\n"
            "       contention=N (a run of loads pays a cycle every N)\n");
}

/* A number with an optional K/M suffix; 0 on success. */
static int parse_num(const char *s, char **end, unsigned long long *v)
{
    errno = 0;
    if (*s < '0' || *s > '9') return -1;
    *v = strtoull(s, end, 0);
    if (errno) return -1;
    if (**end == 'K' || **end == 'k') { *v <<= 10; (*end)++; }
    else if (**end == 'M' || **end == 'm') { *v <<= 20; (*end)++; }
    return 0;
}

/* --mem BASE:SIZE[:WAIT[:OPT]...] into a region and its timing; 0 on success. */
static int parse_mem(const char *arg, region *r, cm3_region_timing *t)
{
    char *end;
    unsigned long long base, size, v;
    if (parse_num(arg, &end, &base) || *end != ':' || parse_num(end + 1, &end, &size) ||
        !size || size > 0xffffffffull || base + size > 0x100000000ull)
        return -1;
    *r = (region){ (uint32_t)base, (uint32_t)size, NULL, 0 };
    /* the bus by address (ARMv7-M memory map): code region over I-Code/D-Code */
    *t = (cm3_region_timing){ (uint32_t)base, (uint32_t)size, 0, 4, base >= 0x20000000u, 0 };
    if (!*end) return 0;
    if (*end != ':' || parse_num(end + 1, &end, &v) || v > 32) return -1;
    r->wait = t->wait = (uint8_t)v;
    while (*end == ':') {
        const char *o = end + 1;
        if (!strncmp(o, "fetch=", 6)) {
            if (parse_num(o + 6, &end, &v) || v < 4 || v > 64 || (v & (v - 1))) return -1;
            t->fetch_bytes = (uint8_t)v;
        } else if (!strncmp(o, "contention=", 11)) {
            if (parse_num(o + 11, &end, &v) || v > 255) return -1;
            t->contention = (uint8_t)v;
        } else if (!strncmp(o, "sysbus", 6)) {
            t->sysbus = 1;
            end = (char *)o + 6;
        } else if (!strncmp(o, "icode", 5)) {
            t->sysbus = 0;
            end = (char *)o + 5;
        } else {
            return -1;
        }
    }
    return *end ? -1 : 0;
}

/* --profile stm32f1: a zero-wait-state STM32F1-class part (STM32F100 at 24 MHz: flash 0
 * wait states behind a 64-bit prefetch line; SRAM on the System bus). Its timing is given
 * to the whole code region (flash and its boot alias at 0) and the whole SRAM region, as
 * measured (issue 18): code fetched from SRAM pays a cycle per 32-bit word; a run of loads
 * from flash data pays a cycle every 4 loads (D-Code and I-Code contend for the flash). */
static const cm3_region_timing profile_stm32f1[] = {
    { 0x00000000u, 0x20000000u, 0, 8, 0, 4 },
    { 0x20000000u, 0x20000000u, 0, 4, 1, 0 },
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void report_fault(cm3_cpu *c, const char *what)
{
    uint32_t cfsr, hfsr, mmfar, bfar;
    cm3_fault_regs(c, &cfsr, &hfsr, &mmfar, &bfar);
    fprintf(stderr, "rpvp-cm3: %s\n", what);
    fprintf(stderr, "  PC=0x%08x LR=0x%08x SP=0x%08x xPSR=0x%08x\n", cm3_get_reg(c, 15),
            cm3_get_reg(c, 14), cm3_get_reg(c, 13), cm3_get_reg(c, CM3_REG_XPSR));
    fprintf(stderr, "  CFSR=0x%08x HFSR=0x%08x MMFAR=0x%08x BFAR=0x%08x\n", cfsr, hfsr, mmfar,
            bfar);
}

int main(int argc, char **argv)
{
    board b = { .n = 0 };
    cm3_region_timing rt[CM3_MAX_REGION_TIMING];
    unsigned nrt = 0;
    int stats = 0, gdb_port = 0, user_mem = 0, trace = 0, timed = 0;
    const cm3_region_timing *profile = NULL;
    unsigned nprofile = 0;
    uint64_t max_insns = 0, clock_hz = 25000000u;
    unsigned num_irq = 32;
    int i;
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--stats")) stats = 1;
        else if (!strcmp(a, "--trace")) trace = 1;
        else if (!strcmp(a, "--max-insns") && i + 1 < argc) max_insns = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(a, "--clock") && i + 1 < argc) clock_hz = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(a, "--num-irq") && i + 1 < argc) num_irq = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(a, "--gdb") && i + 1 < argc) gdb_port = atoi(argv[++i]);
        else if (!strcmp(a, "--mem") && i + 1 < argc) {
            if (!user_mem) { b.n = 0; user_mem = 1; }
            if (b.n >= MAX_REGIONS || parse_mem(argv[++i], &b.r[b.n], &rt[nrt])) {
                fprintf(stderr, "rpvp-cm3: bad --mem %s\n", argv[i]);
                usage();
                return 2;
            }
            timed |= strchr(argv[i], ':') != strrchr(argv[i], ':');   /* WAIT given */
            b.n++;
            nrt++;
        } else if (!strcmp(a, "--profile") && i + 1 < argc) {
            if (strcmp(argv[++i], "stm32f1")) {
                fprintf(stderr, "rpvp-cm3: unknown profile %s (known: stm32f1)\n", argv[i]);
                return 2;
            }
            profile = profile_stm32f1;
            nprofile = sizeof profile_stm32f1 / sizeof profile_stm32f1[0];
        } else { usage(); return 2; }
    }
    if (i >= argc || clock_hz == 0) { usage(); return 2; }
    if (!user_mem) {
        b.r[0] = (region){ 0x00000000u, 4u << 20, NULL, 0 };
        b.r[1] = (region){ 0x20000000u, 4u << 20, NULL, 0 };
        b.n = 2;
    }
    /* Region timing: the regions given with a WAIT first, then the profile's. */
    if (!timed) nrt = 0;
    for (unsigned k = 0; k < nprofile && nrt < CM3_MAX_REGION_TIMING; k++) rt[nrt++] = profile[k];
    uint8_t *img = NULL;
    cm3_cpu *c = NULL;
    for (unsigned k = 0; k < b.n; k++) {
        b.r[k].mem = calloc(1, b.r[k].size);
        if (!b.r[k].mem) { fprintf(stderr, "rpvp-cm3: out of memory\n"); goto fail; }
    }

    const char *path = argv[i];
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "rpvp-cm3: %s: %s\n", path, strerror(errno)); goto fail; }
    fseek(f, 0, SEEK_END);
    long fsz = ftell(f);
    fseek(f, 0, SEEK_SET);
    img = malloc(fsz > 0 ? (size_t)fsz : 1);
    if (!img || fread(img, 1, (size_t)fsz, f) != (size_t)fsz) {
        fprintf(stderr, "rpvp-cm3: %s: read error\n", path);
        fclose(f);
        goto fail;
    }
    fclose(f);
    cm3_elf_info info;
    char err[256];
    if (cm3_elf_load(img, (size_t)fsz, load_write, &b, &info, err, sizeof err)) {
        fprintf(stderr, "rpvp-cm3: %s: %s\n", path, err);
        goto fail;
    }
    free(img);
    img = NULL;

    cm3_config cfg = { .num_irq = num_irq, .prio_bits = 8, .vtor_reset = 0 };
    cm3_bus bus = { .ctx = &b, .read = bus_read, .write = bus_write, .get_dmi = bus_dmi,
                    .sleep = NULL, .itm_write = itm_write };
    c = cm3_create(&cfg, &bus);
    if (!c) { fprintf(stderr, "rpvp-cm3: cannot create the core\n"); goto fail; }
    cm3_set_clock_hz(c, clock_hz);
    if (cm3_set_region_timing(c, rt, nrt)) {
        fprintf(stderr, "rpvp-cm3: bad region timing\n");
        goto fail;
    }

    /* Vector table sanity: SP and reset vector must point into memory. */
    uint32_t vsp = 0, vpc = 0;
    region *vt = find(&b, 0, 8);
    if (!vt) {
        fprintf(stderr, "rpvp-cm3: %s: no memory at the vector table address 0x00000000\n", path);
        goto fail;
    }
    memcpy(&vsp, vt->mem, 4);
    memcpy(&vpc, vt->mem + 4, 4);
    if (vsp == 0 && vpc == 0) {
        fprintf(stderr, "rpvp-cm3: %s: no vector table at 0x00000000 (initial SP and reset "
                        "vector are 0)\n", path);
        goto fail;
    }
    if (!find(&b, vpc & ~1u, 2)) {
        fprintf(stderr, "rpvp-cm3: %s: reset vector 0x%08x is outside memory\n", path, vpc);
        goto fail;
    }
    if (!(vpc & 1))
        fprintf(stderr, "rpvp-cm3: warning: reset vector 0x%08x has bit 0 clear (will fault)\n", vpc);

    /* Semihosting: command line and heap/stack in the highest RAM region. */
    char cmdline[1024] = "";
    for (int k = i; k < argc; k++) {
        if (strlen(cmdline) + strlen(argv[k]) + 2 >= sizeof cmdline) break;
        if (k > i) strcat(cmdline, " ");
        strcat(cmdline, argv[k]);
    }
    region *ram = &b.r[b.n - 1];
    for (unsigned k = 0; k < b.n; k++)
        if (b.r[k].base >= 0x20000000u && b.r[k].base < 0x40000000u) ram = &b.r[k];
    uint32_t ram_end = ram->base + ram->size;
    uint32_t heap = info.highest > ram->base && info.highest < ram_end ? (info.highest + 7) & ~7u : ram->base;
    cm3_semihost_cfg shc = { .in = stdin, .out = stdout, .err = stderr, .cmdline = cmdline,
                             .heap_base = heap, .heap_limit = ram_end - 0x10000,
                             .stack_base = ram_end, .stack_limit = ram_end - 0x10000 };
    cm3_semihost *sh = cm3_semihost_create(&shc);
    cm3_set_semihost(c, sh);
    cm3_reset(c);
    if (max_insns) cm3_set_insn_limit(c, max_insns);

    double t0 = now_s();
    cm3_stop why;
    int rc;
    if (gdb_port) {
        why = cm3_gdb_serve(c, gdb_port);
    } else if (trace) {
        /* One line per instruction on stderr: PC, then r0-r12, sp, lr, xPSR after it. */
        do {
            uint32_t pc = cm3_get_reg(c, 15);
            why = cm3_step(c);
            fprintf(stderr, "%08x:", pc);
            for (unsigned k = 0; k < 15; k++) fprintf(stderr, " %08x", cm3_get_reg(c, k));
            fprintf(stderr, " psr=%08x\n", cm3_get_reg(c, CM3_REG_XPSR));
        } while (why == CM3_STOP_INSN_LIMIT && (!max_insns || cm3_get_stats_insns(c) < max_insns));
    } else {
        why = cm3_run(c, UINT64_MAX);
    }
    double wall = now_s() - t0;
    switch (why) {
    case CM3_STOP_EXIT: rc = cm3_exit_code(c); break;
    case CM3_STOP_LOCKUP: report_fault(c, cm3_last_error(c)); rc = 3; break;
    case CM3_STOP_INSN_LIMIT:
        snprintf(err, sizeof err, "instruction limit (%llu) reached", (unsigned long long)max_insns);
        report_fault(c, err);
        rc = 4;
        break;
    case CM3_STOP_SLEEP_FOREVER: report_fault(c, cm3_last_error(c)); rc = 5; break;
    default: report_fault(c, "stopped"); rc = 6; break;
    }
    if (stats) {
        cm3_stats s;
        cm3_get_stats(c, &s);
        fprintf(stderr,
                "rpvp-cm3: instructions %llu cycles %llu sleep-cycles %llu exceptions %llu "
                "tail-chains %llu decode-misses %llu code-invalidations %llu block-insns %llu\n"
                "rpvp-cm3: wall %.3f s, %.1f MIPS, simulated %.6f s at %llu Hz\n",
                (unsigned long long)s.insns, (unsigned long long)s.cycles,
                (unsigned long long)s.sleep_cycles, (unsigned long long)s.exceptions,
                (unsigned long long)s.tail_chains, (unsigned long long)s.decode_misses,
                (unsigned long long)s.code_invalidations, (unsigned long long)s.block_insns, wall,
                wall > 0 ? (double)s.insns / wall / 1e6 : 0.0,
                (double)cm3_time_cycles(c) / (double)clock_hz, (unsigned long long)clock_hz);
    }
    cm3_semihost_destroy(sh);
    cm3_destroy(c);
    for (unsigned k = 0; k < b.n; k++) free(b.r[k].mem);
    return rc;

fail: /* a bad image or no memory: free what exists, exit status 2 */
    if (c)
        cm3_destroy(c);
    free(img);
    for (unsigned k = 0; k < b.n; k++) free(b.r[k].mem);
    return 2;
}
