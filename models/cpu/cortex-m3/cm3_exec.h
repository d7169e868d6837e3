/* Helpers shared by the instruction files (trans_* decoders and exec_* handlers). */
#ifndef RPVP_CM3_EXEC_H
#define RPVP_CM3_EXEC_H

#include "cm3_internal.h"

#define CY(k) (cm3_cycle_table[(k)])
#define NOREG 0xfe
/* BadReg() of the ARM ARM: SP and PC are UNPREDICTABLE in most 32-bit encodings. */
#define BADREG(r) ((r) == 13 || (r) == 15)

/* Flags written: s = 1 always, 2 only outside an IT block (16-bit "S if !InITBlock"). */
#define SETF(c, d) ((d)->s & ((c)->itstate ? 1 : 3))

/* Shift_C() of the ARMv7-M ARM; type 0 LSL, 1 LSR, 2 ASR, 3 ROR, 4 RRX. n may be > 32
 * (register-specified shifts). */
static inline uint32_t shift_c(uint32_t v, unsigned type, unsigned n, uint32_t cin,
                               uint32_t *cout)
{
    switch (type) {
    case 0:
        if (n == 0) { *cout = cin; return v; }
        if (n < 32) { *cout = (v >> (32 - n)) & 1; return v << n; }
        *cout = n == 32 ? (v & 1) : 0;
        return 0;
    case 1:
        if (n == 0) { *cout = cin; return v; }
        if (n < 32) { *cout = (v >> (n - 1)) & 1; return v >> n; }
        *cout = n == 32 ? v >> 31 : 0;
        return 0;
    case 2:
        if (n == 0) { *cout = cin; return v; }
        if (n < 32) { *cout = (v >> (n - 1)) & 1; return (uint32_t)((int32_t)v >> n); }
        *cout = v >> 31;
        return (uint32_t)((int32_t)v >> 31);
    case 3:
        if (n == 0) { *cout = cin; return v; }
        n &= 31;
        v = n ? (v >> n) | (v << (32 - n)) : v;
        *cout = v >> 31;
        return v;
    default: /* RRX */
        *cout = v & 1;
        return (cin << 31) | (v >> 1);
    }
}

/* DecodeImmShift(): fills d->shtype / d->shamt from type and imm5. */
static inline void decode_imm_shift(cm3_insn *d, unsigned type, unsigned imm5)
{
    d->shtype = (uint8_t)type;
    d->shamt = (uint8_t)imm5;
    if ((type == 1 || type == 2) && imm5 == 0)
        d->shamt = 32;
    if (type == 3 && imm5 == 0) {
        d->shtype = 4;
        d->shamt = 1;
    }
}

static inline uint32_t sext(uint32_t v, unsigned bits)
{
    return (uint32_t)((int32_t)(v << (32 - bits)) >> (32 - bits));
}

static inline void set_dp(cm3_insn *d, unsigned rd, cm3_exec_fn fn)
{
    d->exec = fn;
    d->rd = (uint8_t)rd;
    d->kind = K_DP;
    d->wreg = (uint8_t)rd;
    d->cycles = CY(CYC_DP);
}

static inline void set_other(cm3_insn *d, cm3_exec_fn fn, cm3_cyc k)
{
    d->exec = fn;
    d->kind = K_OTHER;
    d->wreg = 0xff;
    d->cycles = CY(k);
}

/* Load/store single timing (cm3_cycles.c rules 2 and 6), shared by the handlers and the
 * block translator. Modes: LS_PIPE a load or a register-offset store (1 cycle when
 * pipelined), LS_WB base write-back (never pipelined), LS_STR_IMM a store with an
 * immediate offset (always 1). Returns the static adjustment after prevkw (the address
 * dependency, +1); *pipe = 1 when the instruction pipelines with the previous load if
 * both access the same memory-map region (then it costs CYC_LDST_PIPED). */
enum { LS_PIPE, LS_WB, LS_STR_IMM };
static inline int ldst_rule(uint32_t prevkw, unsigned mode, unsigned rn, unsigned rm, int *pipe)
{
    unsigned pk = prevkw & K_CLASS, pw = prevkw >> 8;
    int hit = pw == rn || pw == rm;
    *pipe = !hit && pk == K_LD && mode == LS_PIPE;
    return hit && (k_is_dp(pk) || (pk == K_LD && mode == LS_STR_IMM)) ? CY(CYC_ADDR_DEP) : 0;
}
#define LDST_PIPE_SAVES ((int)CY(CYC_LDST) - (int)CY(CYC_LDST_PIPED))

/* ITSTATE advance after an instruction of an IT block. */
static inline uint32_t it_advance(uint32_t it)
{
    return (it & 7) == 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
}

#define TRANS(name) int trans_##name(cm3_insn *d, uint32_t raw)
/* 16-bit */
TRANS(shift_imm16); TRANS(addsub_reg16); TRANS(addsub_imm3); TRANS(imm8_16);
TRANS(dp16); TRANS(hireg16); TRANS(bx16); TRANS(ldr_lit16); TRANS(ldst_reg16);
TRANS(ldst_imm16); TRANS(ldst_sp16); TRANS(adr16); TRANS(addsp16); TRANS(spadj16);
TRANS(cbz16); TRANS(ext16); TRANS(push16); TRANS(cps16); TRANS(rev16); TRANS(pop16);
TRANS(bkpt16); TRANS(it16); TRANS(ldstm16); TRANS(udf16); TRANS(svc16); TRANS(bcond16);
TRANS(b16);
/* 32-bit */
TRANS(ldstm32); TRANS(strex32); TRANS(ldrex32); TRANS(strexbh32); TRANS(ldrexbh32);
TRANS(tb32); TRANS(ldrd32); TRANS(dp_shreg32); TRANS(cop32); TRANS(dp_modimm32);
TRANS(dp_plain32); TRANS(msr32); TRANS(hint32); TRANS(misc_ctl32); TRANS(mrs32);
TRANS(udf32); TRANS(bcond32); TRANS(b32); TRANS(bl32); TRANS(ldst32); TRANS(shift_reg32);
TRANS(ext32); TRANS(misc32); TRANS(mul32); TRANS(lmul32);

void exec_UNDEF(cm3_cpu *c, const cm3_insn *d);
/* After decoding: swap register-operand DP handlers for no-shift variants when possible. */
void cm3_dp_fast_path(cm3_insn *d);
/* After op: a data-processing write to SP gets a wrapper clearing SP[1:0] (rule 1). */
void cm3_dp_sp(cm3_insn *d);

#endif
