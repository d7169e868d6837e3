/*
 * Fuzz target 6: the Cortex-M3 ISS (models/cpu/cortex-m3) on random instruction
 * streams, differentially: one core runs translated blocks (the fast path, cm3_jit.c),
 * a second one the per-instruction interpreter (RPVP_CM3_NOJIT), on the same image.
 * After every budget both must stop for the same reason with the same time, instruction
 * count, registers and memory. Every run ends by its budget, a fault, lock-up or sleep:
 * the total budget is bounded, so a hang is a finding (libFuzzer's -timeout).
 *
 * Input: 1 byte of options (SysTick on, its reload, code writable), 4 bytes of initial r0..r3 seeds,
 * up to 8 budgets (1 byte each, 1..256 cycles x 16), then the code: placed at 0x100
 * (reset entry) and repeated over the rest of the 4 KiB code region so that vectors and
 * branch targets land on instructions too. RAM: 4 KiB at 0x20000000, filled from the
 * input's code bytes as well (data for loads).
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <stdlib.h>
#include <string.h>

#include "cm3.h"
#include "fuzz_input.h"

#define CODE_SIZE 0x1000u
#define RAM_BASE 0x20000000u
#define RAM_SIZE 0x1000u

typedef struct mem {
    uint8_t code[CODE_SIZE];
    uint8_t ram[RAM_SIZE];
} mem;

/* Code is read-only (flash-like) unless the input's options say otherwise: random
 * streams store into code all the time, and every such store makes both cores drop
 * their decoded code and the blocks on that page: a few inputs with writable code test
 * that (regressions/cm3_diff/slow_store_into_code took 14 s when an invalidation
 * scanned the whole block table). */
static int code_writable;

static uint8_t *at(mem *m, uint32_t a, unsigned len)
{
    if (a < CODE_SIZE && len <= CODE_SIZE - a)
        return m->code + a;
    if (a - RAM_BASE < RAM_SIZE && len <= RAM_SIZE - (a - RAM_BASE))
        return m->ram + (a - RAM_BASE);
    return NULL;
}

static int rd(void *ctx, uint32_t a, unsigned len, uint32_t *v, uint32_t *wait)
{
    uint8_t *p = at(ctx, a, len);
    *wait = 0;
    if (!p)
        return -1;
    *v = 0;
    memcpy(v, p, len);
    return 0;
}

static int wr(void *ctx, uint32_t a, unsigned len, uint32_t v, uint32_t *wait)
{
    uint8_t *p = at(ctx, a, len);
    *wait = 0;
    if (!p || (a < CODE_SIZE && !code_writable))
        return -1;
    memcpy(p, &v, len);
    return 0;
}

static int dmi(void *ctx, uint32_t a, cm3_dmi *d)
{
    mem *m = ctx;
    if (a < CODE_SIZE) {
        *d = (cm3_dmi){m->code, 0, CODE_SIZE - 1, code_writable, 0, 0};
        return 1;
    }
    if (a - RAM_BASE < RAM_SIZE) {
        *d = (cm3_dmi){m->ram, RAM_BASE, RAM_BASE + RAM_SIZE - 1, 1, 0, 0};
        return 1;
    }
    return 0;
}

static cm3_cpu *make(mem *m, int jit)
{
    if (!jit)
        setenv("RPVP_CM3_NOJIT", "1", 1);
    cm3_config cfg = {.num_irq = 8, .prio_bits = 3, .vtor_reset = 0};
    cm3_bus bus = {.ctx = m, .read = rd, .write = wr, .get_dmi = dmi};
    cm3_cpu *c = cm3_create(&cfg, &bus);
    unsetenv("RPVP_CM3_NOJIT");
    FZ_CHECK(c != NULL, "core");
    return c;
}

static mem A, B;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = {data, size};
    uint8_t opt = fz_u8(&in);
    int writable = (opt & 0xC0) == 0xC0;
    uint8_t seeds[4];
    uint8_t budgets[8];
    fz_bytes(&in, seeds, 4);
    memset(budgets, 0, sizeof budgets);
    fz_bytes(&in, budgets, 8);
    if (in.n < 2)
        return 0;
    /* Code: the stream repeated over the region; then the vector table on top. */
    for (uint32_t i = 0; i < CODE_SIZE - 0x100; i++)
        A.code[0x100 + i] = in.p[i % in.n];
    for (uint32_t i = 0; i < RAM_SIZE; i++)
        A.ram[i] = in.p[(i * 7) % in.n];
    uint32_t vec[64];
    vec[0] = RAM_BASE + RAM_SIZE - 0x100; /* SP */
    vec[1] = 0x101;                       /* reset */
    for (unsigned k = 2; k < 64; k++)     /* handlers: somewhere in the stream, Thumb */
        vec[k] = (0x100 + ((k * 0x35u + in.p[k % in.n]) % (CODE_SIZE - 0x100))) | 1u;
    memcpy(A.code, vec, sizeof vec);
    memset(A.code + sizeof vec, 0, 0x100 - sizeof vec);
    B = A;

    /* The cores live across inputs (creating one maps and clears its block cache: most
     * of an execution's time otherwise). The image changed behind their back: drop
     * every decoded instruction and block, then reset. */
    static cm3_cpu *fast, *ref;
    if (fast && writable != code_writable) { /* DMI windows carry the permission */
        cm3_destroy(fast);
        cm3_destroy(ref);
        fast = ref = NULL;
    }
    code_writable = writable;
    if (!fast) {
        fast = make(&A, 1);
        ref = make(&B, 0);
    }
    cm3_cpu *both[2] = {fast, ref};
    for (int k = 0; k < 2; k++) {
        cm3_invalidate_dmi(both[k], 0, CODE_SIZE - 1);
        cm3_invalidate_dmi(both[k], RAM_BASE, RAM_BASE + RAM_SIZE - 1);
        cm3_reset(both[k]);
        for (unsigned r = 0; r < 4; r++)
            cm3_set_reg(both[k], r, seeds[r] * 0x01010101u ^ (r << 28));
        if (opt & 1) { /* SysTick: interrupts fall inside blocks */
            uint32_t rvr = 8u + (opt >> 1) * 3u, csr = 7;
            cm3_debug_write(both[k], 0xe000e014u, &rvr, 4);
            cm3_debug_write(both[k], 0xe000e010u, &csr, 4);
        }
    }
    for (unsigned b = 0; b < 32; b++) {
        uint64_t budget = 16u * (1u + budgets[b % 8]);
        cm3_stop s1 = cm3_run(fast, budget), s2 = cm3_run(ref, budget);
        FZ_CHECK(s1 == s2, "budget %u: stop %d (blocks) vs %d (interpreter)", b, s1, s2);
        FZ_CHECK(cm3_time_cycles(fast) == cm3_time_cycles(ref), "budget %u: time %llu vs %llu",
                 b, (unsigned long long)cm3_time_cycles(fast),
                 (unsigned long long)cm3_time_cycles(ref));
        cm3_stats sf, sr;
        cm3_get_stats(fast, &sf);
        cm3_get_stats(ref, &sr);
        FZ_CHECK(sf.insns == sr.insns && sf.exceptions == sr.exceptions,
                 "budget %u: insns %llu/%llu exceptions %llu/%llu", b,
                 (unsigned long long)sf.insns, (unsigned long long)sr.insns,
                 (unsigned long long)sf.exceptions, (unsigned long long)sr.exceptions);
        FZ_CHECK(sr.block_insns == 0, "the interpreter ran blocks");
        static const unsigned regs[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                        CM3_REG_MSP, CM3_REG_PSP, CM3_REG_PRIMASK,
                                        CM3_REG_BASEPRI, CM3_REG_FAULTMASK, CM3_REG_CONTROL,
                                        CM3_REG_XPSR};
        for (unsigned r = 0; r < sizeof regs / sizeof *regs; r++)
            FZ_CHECK(cm3_get_reg(fast, regs[r]) == cm3_get_reg(ref, regs[r]),
                     "budget %u: reg %u 0x%08x vs 0x%08x", b, regs[r],
                     cm3_get_reg(fast, regs[r]), cm3_get_reg(ref, regs[r]));
        FZ_CHECK(!memcmp(&A, &B, sizeof A), "budget %u: memory differs", b);
        if (s1 != CM3_STOP_BUDGET)
            break; /* lock-up, sleep forever, ...: both agree, nothing more runs */
    }
    return 0;
}
