/*
 * rpvp-cm3: stand-alone runner of the Cortex-M3 ISS (no SystemC).
 *   rpvp-cm3 [--stats] [--max-insns N] [--clock HZ] [--mem BASE:SIZE]... [--num-irq N]
 *            [--gdb PORT] prog.elf [args...]
 * Memory: plain RAM regions (default like QEMU's mps2-an385: 4 MiB at 0 and 4 MiB at
 * 0x20000000), anything else is a bus error. Console and exit through ARM semihosting
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
    *wait = 0;
    if (!r) return -1;
    uint32_t x = 0;
    memcpy(&x, r->mem + (a - r->base), len);
    *v = x;
    return 0;
}

static int bus_write(void *ctx, uint32_t a, unsigned len, uint32_t v, uint32_t *wait)
{
    region *r = find(ctx, a, len);
    *wait = 0;
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
    d->read_wait = d->write_wait = 0;
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
    memcpy(r->mem + (a - r->base), data, len);
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
    fprintf(stderr, "usage: rpvp-cm3 [--stats] [--max-insns N] [--clock HZ] [--mem BASE:SIZE]...\n"
                    "                [--num-irq N] [--gdb PORT] prog.elf [args...]\n");
}

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
    int stats = 0, gdb_port = 0, user_mem = 0, trace = 0;
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
            char *end;
            unsigned long long base = strtoull(argv[++i], &end, 0), size;
            if (*end != ':' || b.n >= MAX_REGIONS) { usage(); return 2; }
            size = strtoull(end + 1, &end, 0);
            if (*end == 'K' || *end == 'k') size <<= 10;
            if (*end == 'M' || *end == 'm') size <<= 20;
            if (!size || base + size > 0x100000000ull) { usage(); return 2; }
            if (!user_mem) { b.n = 0; user_mem = 1; }
            b.r[b.n].base = (uint32_t)base;
            b.r[b.n].size = (uint32_t)size;
            b.n++;
        } else { usage(); return 2; }
    }
    if (i >= argc || clock_hz == 0) { usage(); return 2; }
    if (!user_mem) {
        b.r[0] = (region){ 0x00000000u, 4u << 20, NULL };
        b.r[1] = (region){ 0x20000000u, 4u << 20, NULL };
        b.n = 2;
    }
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
