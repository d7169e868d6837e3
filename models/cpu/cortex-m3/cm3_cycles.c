/*
 * Cortex-M3 instruction timing: the single table the ISS counts from.
 *
 * Source: Cortex-M3 TRM r2p1 (DDI 0337I Table 3.1 "Cortex-M3 instruction set summary",
 * §3.3.2 "Load/store timings", §5.5 exception latency; ARM 100165 §3.9.2), collected in
 * shared/docs/cortex-m3-cycles.md, and what cycle counts recorded on a Cortex-M3 (STM32F100
 * r1p1, zero-wait-state flash, DWT CYCCNT) show where the table's letters leave room
 * (issue 18; docs/models/cortex-m3.md has the table: TRM rule, silicon, rpvp). Choices:
 *  - P (pipeline refill) = 1 for branches resolved at decode (B imm, BL, BX LR, B<c>),
 *    2 for branches resolved at execute (BX/BLX Rm, CBZ/CBNZ, MOV/ADD PC), +1 when the
 *    target is a 32-bit instruction at a halfword (not word) aligned address. Gives taken
 *    B = 2, BX Rm = 3, matching measurements.
 *  - Rule 5 (TRM: P "depends on whether the processor manages to speculate the address
 *    early"; silicon): that +1 is hidden when the branch follows a multi-cycle instruction
 *    (long multiply, divide, a load): the core had time to fetch the target.
 *  - Rule 4 (TRM §3.3.2 notes; silicon agrees with them, not with the table's 2+P):
 *    LDR PC is "at least five" (2 + P, P = 3) and TBB/TBH "at least six" (2 load + 1 add
 *    + P, P = 3); POP/LDM with PC, the other blocking loads into PC, are 1+N+P with the
 *    same P = 3 (P_LOAD). The odd-halfword 32-bit target adds 1 on top, as for others.
 *  - LDR single = 2; 1 when it directly follows a load single (not a store: "nothing can
 *    be pipelined after the store") whose destination is not one of its address registers
 *    ("neighbouring load and store single instructions can pipeline"), and, rule 6
 *    (measured on two parts, the TRM is silent), only while both access the same
 *    memory-map region (addr >> 29: Code, SRAM, Peripheral, ..., PPB): a load of the PPB
 *    (DWT, SCS) next to a load of SRAM does not pipeline. Loads/stores with base write-back
 *    do not pipeline with a following load/store. An address register written by the
 *    previous data processing instruction adds 1 ("no forwarding path", matches silicon).
 *    A load skipped by IT (1 cycle) made no access: the next load does not pipeline.
 *  - Rule 2 (TRM §3.3.2 "STR Rx,[Ry,#imm] is always one cycle"; silicon): STR/STRB/STRH
 *    with an immediate offset and no write-back = 1, + 1 if an address register was
 *    written by the previous instruction (data processing, or a load's destination).
 *    Other stores (register offset, write-back) = 2, 1 after a load single.
 *  - LDM/STM/PUSH/POP = 1+N, LDRD/STRD = 3, (+P when PC is loaded); no pipelining.
 *  - Rule 3 (TRM Table 3.1 note [e]; silicon): IT = 1, 0 when it folds onto a preceding
 *    16-bit instruction (not a branch, not after an exception entry).
 *  - Rule 6 (measured): MLA/MLS right after a long multiply overlap one cycle (2 -> 1).
 *  - MRS/MSR/CPS = 1 (the TRM never says when it is 2).
 *  - DMB/DSB = 1 (no write buffer to drain), ISB = 2.
 *  - Divide: 2 if either operand is 0, 3 if |n| < |d| in bit length, else
 *    5 + (X - Y) / 4 where X, Y are the bit indexes of the top set bits (measured
 *    formula, CMEmu / compendium). Long multiplies: CMEmu's measured halves rule.
 *  - Exception entry 12, return 12, tail-chain 6 (TRM §3.9.2 / §5.5).
 *  - Unaligned LDR/STR/LDRH/STRH: +1 halfword-aligned word or odd halfword, +2 for a
 *    byte-aligned word (ARM 100165 §3.3.2).
 *  - Memory: the bus's wait states are added per access; regions given timing with
 *    cm3_set_region_timing() (rule 7) set fetch cost and data-read contention instead.
 */
#include "cm3_cycles.h"

const uint8_t cm3_cycle_table[CYC__COUNT] = {
    [CYC_DP] = 1,
    [CYC_MLA] = 2,
    [CYC_LDST] = 2,
    [CYC_LDST_PIPED] = 1,
    [CYC_STR_IMM] = 1,
    [CYC_ADDR_DEP] = 1,
    [CYC_LDRD] = 3,
    [CYC_LDM_BASE] = 1,
    [CYC_EXCL] = 2,
    [CYC_CLREX] = 1,
    [CYC_BRANCH] = 1,
    [CYC_P_DECODE] = 1,
    [CYC_P_EXECUTE] = 2,
    [CYC_P_UNALIGNED] = 1,
    [CYC_P_LOAD] = 3,
    [CYC_TB] = 3,
    [CYC_IT] = 1,
    [CYC_IT_FOLD] = 1,
    [CYC_LMUL_MLA] = 1,
    [CYC_SYS] = 1,
    [CYC_NOP] = 1,
    [CYC_ISB] = 2,
    [CYC_WFX] = 1,
    [CYC_UNALIGNED_H] = 1,
    [CYC_UNALIGNED_B] = 2,
    [CYC_EXC_ENTRY] = 12,
    [CYC_EXC_RETURN] = 12,
    [CYC_TAIL_CHAIN] = 6,
    [CYC_SVC] = 1,
};

static const char *const names[CYC__COUNT] = {
    [CYC_DP] = "data processing", [CYC_MLA] = "MLA/MLS", [CYC_LDST] = "load/store single",
    [CYC_LDST_PIPED] = "load/store single, pipelined", [CYC_STR_IMM] = "STR immediate offset",
    [CYC_ADDR_DEP] = "address dependency",
    [CYC_LDRD] = "LDRD/STRD", [CYC_LDM_BASE] = "LDM/STM base (+N)", [CYC_EXCL] = "LDREX/STREX",
    [CYC_CLREX] = "CLREX", [CYC_BRANCH] = "branch (+P if taken)",
    [CYC_P_DECODE] = "P, decode-time branch", [CYC_P_EXECUTE] = "P, execute-time branch",
    [CYC_P_UNALIGNED] = "P extra, unaligned 32-bit target", [CYC_P_LOAD] = "P, load into PC",
    [CYC_TB] = "TBB/TBH (+P)", [CYC_IT] = "IT", [CYC_IT_FOLD] = "IT folded (saved)",
    [CYC_LMUL_MLA] = "MLA after long multiply (saved)", [CYC_SYS] = "MRS/MSR/CPS", [CYC_NOP] = "NOP/hints/DMB/DSB",
    [CYC_ISB] = "ISB", [CYC_WFX] = "WFI/WFE (+sleep)", [CYC_UNALIGNED_H] = "unaligned, halfword split",
    [CYC_UNALIGNED_B] = "unaligned, byte split", [CYC_EXC_ENTRY] = "exception entry",
    [CYC_EXC_RETURN] = "exception return", [CYC_TAIL_CHAIN] = "tail-chain",
    [CYC_SVC] = "SVC instruction",
};

const char *cm3_cycle_name(cm3_cyc k) { return k < CYC__COUNT ? names[k] : "?"; }

static int top_bit(uint32_t v) { return v ? 31 - __builtin_clz(v) : -1; }

static unsigned div_rule(int diff) { return diff < 0 ? 3u : 5u + (unsigned)diff / 4u; }

unsigned cm3_cyc_udiv(uint32_t n, uint32_t d)
{
    if (n == 0 || d == 0)
        return 2;
    return div_rule(top_bit(n) - top_bit(d));
}

unsigned cm3_cyc_sdiv(int32_t n, int32_t d)
{
    if (n == 0 || d == 0)
        return 2;
    uint32_t an = n < 0 ? 0u - (uint32_t)n : (uint32_t)n;
    uint32_t ad = d < 0 ? 0u - (uint32_t)d : (uint32_t)d;
    int diff = top_bit(an) - top_bit(ad);
    int pow2 = (ad & (ad - 1)) == 0;
    if (d < 0 && pow2 && (uint32_t)n != 0x80000000u)
        diff += 1;
    if (d < 0 && !pow2 && (uint32_t)n == 0x80000000u)
        diff -= 1;
    return div_rule(diff);
}

/* Operand class by non-zero 16-bit halves: 0, L, H, F. */
enum { H0, HL, HH, HF };
static int halves(uint32_t v) { return (v & 0xffff ? 1 : 0) | (v >> 16 ? 2 : 0); }

unsigned cm3_cyc_umull(uint32_t a, uint32_t b)
{
    int x = halves(a), y = halves(b);
    if (x == H0 || y == H0 || (x == HL && y == HL) || (x == HH && y == HH))
        return 3;
    return (x == HF && y == HF) ? 5 : 4;
}

unsigned cm3_cyc_umlal(uint32_t a, uint32_t b)
{
    int x = halves(a), y = halves(b);
    if (x == H0 || y == H0 || (x == HL && y == HL))
        return 3;
    if (x == HF && y == HF)
        return 7;
    if ((x == HF && y == HH) || (x == HH && y == HF))
        return 6;
    return 5;
}

unsigned cm3_cyc_smull(uint32_t a, uint32_t b)
{
    int x = halves(a), y = halves(b);
    int neg = (a >> 31) | (b >> 31);
    if (x == H0 || y == H0)
        return 3;
    if ((x == HL && y == HL) || (x == HH && y == HH))
        return 3 + neg;
    if (x == HF && y == HH)
        return 4 + neg;
    if (x == HH && y == HF)
        return 4;
    if (x == HF && y == HF)
        return 5;
    return 4 + (b >> 31);
}

unsigned cm3_cyc_smlal(uint32_t a, uint32_t b)
{
    int x = halves(a), y = halves(b);
    int neg = (a >> 31) | (b >> 31);
    if (x == H0 || y == H0 || (x == HL && y == HL))
        return 3;
    if (x == HH && y == HH)
        return 5 + neg;
    if (x == HF && y == HH)
        return 6 + neg;
    if (x == HH && y == HF)
        return 6;
    if (x == HF && y == HF)
        return 7;
    return 5 + (b >> 31);
}
