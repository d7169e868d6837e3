/*
 * Cortex-M3 instruction timing: the single table the ISS counts from.
 *
 * Source: Cortex-M3 TRM r2p1 (DDI 0337I Table 3.1 "Cortex-M3 instruction set summary",
 * §3.3.2 "Load/store timings", §5.5 exception latency; ARM 100165 §3.9.2), collected in
 * shared/docs/cortex-m3-cycles.md. Choices where the TRM is silent or contradicts itself:
 *  - P (pipeline refill) = 1 for branches resolved at decode (B imm, BL, BX LR, B<c>),
 *    2 for branches resolved at execute (BX/BLX Rm, CBZ/CBNZ, LDR PC, POP/LDM PC,
 *    MOV/ADD PC, TBB/TBH), +1 when the target is a 32-bit instruction at a halfword
 *    (not word) aligned address. Gives taken B = 2, BX Rm = 3, matching measurements.
 *  - LDR/STR single = 2; 1 when it directly follows a load/store single and its
 *    address registers are not the previous load's destination ("neighbouring load and
 *    store single instructions can pipeline"). Loads with base write-back do not pipeline
 *    with a following load/store. An address register written by the previous data
 *    processing instruction adds 1 ("no forwarding path").
 *  - LDM/STM/PUSH/POP = 1+N, LDRD/STRD = 3, (+P when PC is loaded); no pipelining.
 *  - TBB/TBH = 2+P (the table, not the note's "at least six").
 *  - MRS/MSR/CPS = 1 (the TRM never says when it is 2). IT = 1 (folding not modelled).
 *  - DMB/DSB = 1 (no write buffer to drain), ISB = 2.
 *  - Divide: 2 if either operand is 0, 3 if |n| < |d| in bit length, else
 *    5 + (X - Y) / 4 where X, Y are the bit indexes of the top set bits (measured
 *    formula, CMEmu / compendium). Long multiplies: CMEmu's measured halves rule.
 *  - Exception entry 12, return 12, tail-chain 6 (TRM §3.9.2 / §5.5).
 *  - Unaligned LDR/STR/LDRH/STRH: +1 halfword-aligned word or odd halfword, +2 for a
 *    byte-aligned word (ARM 100165 §3.3.2).
 */
#include "cm3_cycles.h"

const uint8_t cm3_cycle_table[CYC__COUNT] = {
    [CYC_DP] = 1,
    [CYC_MLA] = 2,
    [CYC_LDST] = 2,
    [CYC_LDST_PIPED] = 1,
    [CYC_ADDR_DEP] = 1,
    [CYC_LDRD] = 3,
    [CYC_LDM_BASE] = 1,
    [CYC_EXCL] = 2,
    [CYC_CLREX] = 1,
    [CYC_BRANCH] = 1,
    [CYC_P_DECODE] = 1,
    [CYC_P_EXECUTE] = 2,
    [CYC_P_UNALIGNED] = 1,
    [CYC_TB] = 2,
    [CYC_IT] = 1,
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
    [CYC_LDST_PIPED] = "load/store single, pipelined", [CYC_ADDR_DEP] = "address dependency",
    [CYC_LDRD] = "LDRD/STRD", [CYC_LDM_BASE] = "LDM/STM base (+N)", [CYC_EXCL] = "LDREX/STREX",
    [CYC_CLREX] = "CLREX", [CYC_BRANCH] = "branch (+P if taken)",
    [CYC_P_DECODE] = "P, decode-time branch", [CYC_P_EXECUTE] = "P, execute-time branch",
    [CYC_P_UNALIGNED] = "P extra, unaligned 32-bit target", [CYC_TB] = "TBB/TBH (+P)",
    [CYC_IT] = "IT", [CYC_SYS] = "MRS/MSR/CPS", [CYC_NOP] = "NOP/hints/DMB/DSB",
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
