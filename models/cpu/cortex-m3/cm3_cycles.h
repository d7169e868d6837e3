/*
 * Cortex-M3 cycle costs: the ONE table of the ISS's timing (see cm3_cycles.c for the
 * sources: Cortex-M3 TRM r2p1 DDI 0337I Table 3.1 and §3.3.2, and the choices made where
 * the TRM is silent). All figures assume zero-wait-state memory; the bus adds its wait
 * states on top.
 */
#ifndef RPVP_CM3_CYCLES_H
#define RPVP_CM3_CYCLES_H

#include <stdint.h>

typedef enum cm3_cyc {
    CYC_DP,            /* data processing, MOV/MOVW/MOVT, shifts, extend, bit field,
                          reverse, CLZ, SSAT/USAT, MUL, ADR */
    CYC_MLA,           /* MLA, MLS */
    CYC_LDST,          /* LDR/STR single (any size, incl. literal, T variants) */
    CYC_LDST_PIPED,    /* the same when pipelined after a load single, same region */
    CYC_STR_IMM,       /* STR{B,H} Rt,[Rn,#imm] (no write-back): always 1 (rule 2) */
    CYC_ADDR_DEP,      /* extra: address register written by the previous DP insn */
    CYC_LDRD,          /* LDRD/STRD: 1+N with N = 2 */
    CYC_LDM_BASE,      /* LDM/STM/PUSH/POP: CYC_LDM_BASE + N */
    CYC_EXCL,          /* LDREX*, STREX* */
    CYC_CLREX,
    CYC_BRANCH,        /* B, BL, BX, BLX, CBZ/CBNZ, B<c>: 1 (+P when taken) */
    CYC_P_DECODE,      /* P for branches resolved at decode (B imm, BL, BX LR) */
    CYC_P_EXECUTE,     /* P for branches resolved at execute (register, load, CB{N}Z) */
    CYC_P_UNALIGNED,   /* extra P when the target is a 32-bit insn at an odd halfword */
    CYC_P_LOAD,        /* P after a blocking load into PC: LDR/LDM/POP PC, TBB/TBH (rule 4) */
    CYC_TB,            /* TBB/TBH: load 2 + add 1 (+P_LOAD) */
    CYC_IT,            /* IT (not folded) */
    CYC_IT_FOLD,       /* saved when IT folds onto a preceding 16-bit insn (rule 3) */
    CYC_LMUL_MLA,      /* saved by MLA/MLS right after a long multiply (rule 6) */
    CYC_SYS,           /* MRS, MSR, CPSID, CPSIE */
    CYC_NOP,           /* NOP, YIELD, SEV, hints, DMB, DSB */
    CYC_ISB,           /* 1 + B where B = a pipeline refill */
    CYC_WFX,           /* WFI/WFE: 1 + W (W = the sleep, counted apart) */
    CYC_UNALIGNED_H,   /* extra for an unaligned halfword or halfword-aligned word */
    CYC_UNALIGNED_B,   /* extra for a byte-aligned word */
    CYC_EXC_ENTRY,     /* exception entry (push) */
    CYC_EXC_RETURN,    /* exception return (pop) */
    CYC_TAIL_CHAIN,    /* tail-chained entry */
    CYC_SVC,           /* the SVC instruction itself, before the entry */
    CYC__COUNT
} cm3_cyc;

extern const uint8_t cm3_cycle_table[CYC__COUNT];
const char *cm3_cycle_name(cm3_cyc k);

/* Data-dependent costs (early termination). */
unsigned cm3_cyc_udiv(uint32_t n, uint32_t d);
unsigned cm3_cyc_sdiv(int32_t n, int32_t d);
unsigned cm3_cyc_umull(uint32_t a, uint32_t b);
unsigned cm3_cyc_smull(uint32_t a, uint32_t b);
unsigned cm3_cyc_umlal(uint32_t a, uint32_t b);
unsigned cm3_cyc_smlal(uint32_t a, uint32_t b);

#endif
