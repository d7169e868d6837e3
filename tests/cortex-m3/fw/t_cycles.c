/* Cycle counts of straight-line sequences (t_cycles_seq.S), measured with DWT_CYCCNT and
 * asserted exactly: rpvp-cm3 only (QEMU has no cycle model). Exits 1 on any mismatch.
 *
 * Expected figures are the Cortex-M3 TRM's (r2p1, DDI 0337I Table 3.1 and §3.3.2, zero
 * wait states) as silicon shows them (issue 18; models/cpu/cortex-m3/cm3_cycles.c rules 1-7):
 * 1 for data processing, MUL, bit-field, saturate, reverse, CLZ; 2 for MLA/MLS, 1 right
 * after a long multiply (measured); loads 2, a neighbouring load/store pipelined in 1 (so N
 * loads cost 1 + N) unless its address is the previous load's result or the two access
 * different memory-map regions (measured: SRAM vs PPB); a store with an immediate offset
 * always 1 (TRM §3.3.2; was 2 unpipelined before issue 18: str2 3 -> 2) and nothing
 * pipelines after a store; LDM/STM/PUSH/POP and LDRD/STRD 1 + N; B<c> 1 not taken, 1 + P
 * taken; IT 0 when folded onto a preceding 16-bit instruction, else 1 (TRM note [e]);
 * TBB/TBH "at least six" and LDR PC "at least five" (TRM §3.3.2 notes, silicon: tbb 4 -> 6),
 * POP PC by the same rule 1 + N + 3 (pop_pc 5 -> 6); ISB 1 + B. Where the TRM gives a range
 * the figures are those of rpvp's documented choices: P = 1 for a branch resolved at
 * decode (B, BL, BX LR), 2 at execute (BX Rm, CBZ), +1 for a 32-bit target at an odd
 * halfword unless the branch follows a multi-cycle instruction (speculated, measured);
 * UDIV/SDIV 2..12 by the measured early-termination rule; UMULL 3..5 by the 16-bit halves
 * rule; an unaligned LDR/LDRH adds 1 (halfword split) or 2 (byte split) (ARM 100165
 * §3.3.2); an address register written by the instruction just before adds 1.
 * svc: the SVC instruction (1) + exception entry (12, TRM §5.5 "12-cycle latency") + the
 * handler's BX LR (1 + P) + exception return (12, ARM 100165 §3.9.2) = 27.
 * MEMSEQS depend on the region timing (rule 7): without any (default) memory adds nothing;
 * with `rpvp-cm3 --profile stm32f1 t_cycles.elf stm32f1` code fetched from SRAM pays a cycle
 * per 32-bit word (16-bit code keeps up) and a run of loads of flash data a cycle every 4
 * loads (measured on the STM32F100 of issue 18). */
#include "sh.h"

uint32_t cybuf[64] __attribute__((aligned(8)));

#define SEQS(X) \
    X(nop8, 8) X(adds8, 8) X(dp32, 6) X(misc, 8) X(mul4, 4) X(mla2, 4) \
    X(umull_ll, 3) X(umull_ff, 5) X(ldr2, 3) X(ldr4, 5) X(ldr_dep, 4) X(str2, 2) \
    X(ldr_str, 3) X(ldm4, 5) X(stm4_wb, 5) X(pushpop, 10) X(ldrd, 6) X(b_taken, 2) \
    X(bcc_not, 2) X(bcc_taken, 3) X(bl_bxlr, 4) X(bx_reg, 3) X(cbz, 5) \
    X(udiv_100_10, 5) X(udiv_max, 12) X(udiv_small, 3) X(udiv_zero, 2) X(sdiv_neg, 6) \
    X(tbb, 6) X(barriers, 4) X(pop_pc, 6) X(b_al32, 3) X(b_unal32, 4) X(ldr_unal_b, 4) \
    X(ldr_unal_h, 5) X(ldr_agu, 4) X(svc, 27) X(str3, 3) X(str_ldr, 3) X(str_agu, 3) \
    X(it_fold, 5) X(ldr_pc, 5) X(tbh, 6) X(b_unal32_ldr, 5) X(b_unal32_umull, 6) \
    X(ldr_ppb, 6) X(umull_mla, 4)

/* name, base frame, cycles without region timing, with the stm32f1 profile */
#define MEMSEQS(X) \
    X(ram_add4, ram_empty, 4, 8) X(ram_adds4, ram_empty, 4, 4) \
    X(flash_ldr8, empty, 9, 11) X(sram_ldr8, empty, 9, 9)

#define DECL(name, cyc) uint32_t cy_##name(void);
#define DECL_MEM(name, base, plain, f1) uint32_t cy_##name(void);
SEQS(DECL)
MEMSEQS(DECL_MEM)
uint32_t cy_b2b(void);
uint32_t cy_empty(void);
uint32_t cy_ram_empty(void);

/* SVC handler: only BX LR (EXC_RETURN). */
__attribute__((naked)) void SVC_Handler(void) { __asm volatile("bx lr"); }

struct seq { const char *name; uint32_t (*fn)(void); uint32_t want; };
#define ENTRY(name, cyc) { #name, cy_##name, cyc },
static const struct seq seqs[] = { SEQS(ENTRY) };
struct memseq { const char *name; uint32_t (*fn)(void), (*base)(void); uint32_t plain, f1; };
#define ENTRY_MEM(name, b, plain, f1) { #name, cy_##name, cy_##b, plain, f1 },
static const struct memseq memseqs[] = { MEMSEQS(ENTRY_MEM) };

/* The semihosting command line (SYS_GET_CMDLINE): "prog [stm32f1]". */
static int profile_stm32f1(void)
{
    static char buf[128];
    struct { char *p; int len; } arg = { buf, sizeof buf };
    if (sh_call(0x15, &arg) != 0) return 0;
    static const char want[] = "stm32f1";
    for (int i = 0; i + 7 <= arg.len; i++) {
        int k = 0;
        while (k < 7 && buf[i + k] == want[k]) k++;
        if (k == 7) return 1;
    }
    return 0;
}

static int failures;
static void check(const char *what, uint32_t got, uint32_t want)
{
    sh_printf("%s %u%s\n", what, got, got == want ? "" : "  MISMATCH");
    if (got != want) {
        sh_printf("FAIL %s: %u cycles, expected %u\n", what, got, want);
        failures++;
    }
}

/* Twice: the first run also decodes; the count must not depend on it. */
static uint32_t measure(uint32_t (*fn)(void), const char *name)
{
    uint32_t a = fn(), b = fn();
    if (a != b) {
        sh_printf("FAIL %s: not repeatable (%u then %u)\n", name, a, b);
        failures++;
    }
    return b;
}

int main(void)
{
    for (int i = 0; i < 64; i++) cybuf[i] = 0x1000u + (uint32_t)i;
    cybuf[4] = (uint32_t)cybuf;   /* for ldr_dep */

    /* DWT_CYCCNT runs only with DEMCR.TRCENA and DWT_CTRL.CYCCNTENA */
    DEMCR |= 1u << 24;
    DWT_CYCCNT = 0;
    uint32_t c0 = DWT_CYCCNT, c1 = DWT_CYCCNT;
    check("stopped", c1 - c0, 0);
    DWT_CTRL |= 1u;
    uint32_t b2b = measure(cy_b2b, "b2b");
    uint32_t base = measure(cy_empty, "empty");
    sh_printf("overhead: back-to-back reads %u, empty frame %u\n", b2b, base);
    /* The frame adds two NOPs and unpipelines the second read (a load after a NOP
     * does not pipeline): 2 + 1 more than back-to-back reads (TRM: LDR;LDR = 1 + N). */
    check("frame-b2b", base - b2b, 3);
    for (unsigned i = 0; i < sizeof seqs / sizeof seqs[0]; i++)
        check(seqs[i].name, measure(seqs[i].fn, seqs[i].name) - base, seqs[i].want);
    int f1 = profile_stm32f1();
    sh_printf("memory timing: %s\n", f1 ? "stm32f1 profile" : "none");
    for (unsigned i = 0; i < sizeof memseqs / sizeof memseqs[0]; i++) {
        const struct memseq *m = &memseqs[i];
        uint32_t mb = measure(m->base, m->name);
        check(m->name, measure(m->fn, m->name) - mb, f1 ? m->f1 : m->plain);
    }
    DWT_CTRL &= ~1u;
    c0 = DWT_CYCCNT;
    c1 = DWT_CYCCNT;
    check("disabled", c1 - c0, 0);
    sh_printf("%s: %d mismatches\n", failures ? "FAILED" : "all cycle counts as expected", failures);
    return failures ? 1 : 0;
}
