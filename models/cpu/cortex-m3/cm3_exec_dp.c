/* Cortex-M3 data-processing instructions: decoders (trans_*) and handlers (exec_*).
 * ARMv7-M ARM A5.2.1-A5.2.3 (16-bit), A5.3.1-A5.3.4, A5.3.11-A5.3.16 (32-bit). */
#include "cm3_exec.h"

static inline uint32_t imm_carry(const cm3_cpu *c, const cm3_insn *d)
{
    return d->shtype == 0xff ? c->cf : d->shtype;
}

static inline uint32_t adc_flags(cm3_cpu *c, uint32_t a, uint32_t b, uint32_t cin, int setf)
{
    uint64_t u = (uint64_t)a + b + cin;
    uint32_t r = (uint32_t)u;
    if (setf) {
        c->nf = c->zf = r;
        c->cf = (uint32_t)(u >> 32);
        c->vf = (a ^ r) & (b ^ r);
    }
    return r;
}

#define LOGIC_OP(NAME, EXPR, WRITES)                                                   \
    static void exec_##NAME##_i(cm3_cpu *c, const cm3_insn *d)                         \
    {                                                                                  \
        uint32_t a = c->r[d->rn], b = d->imm, r = (EXPR);                              \
        (void)a;                                                                       \
        if (WRITES) c->r[d->rd] = r;                                                   \
        if (SETF(c, d)) { c->nf = c->zf = r; c->cf = imm_carry(c, d); }                \
    }                                                                                  \
    static void exec_##NAME##_r(cm3_cpu *c, const cm3_insn *d)                         \
    {                                                                                  \
        uint32_t carry, a = c->r[d->rn];                                               \
        uint32_t b = shift_c(c->r[d->rm], d->shtype, d->shamt, c->cf, &carry);         \
        uint32_t r = (EXPR);                                                           \
        (void)a;                                                                       \
        if (WRITES) c->r[d->rd] = r;                                                   \
        if (SETF(c, d)) { c->nf = c->zf = r; c->cf = carry; }                          \
    }                                                                                  \
    static void exec_##NAME##_r0(cm3_cpu *c, const cm3_insn *d)                        \
    {                                                                                  \
        uint32_t a = c->r[d->rn], b = c->r[d->rm], r = (EXPR);                         \
        (void)a;                                                                       \
        if (WRITES) c->r[d->rd] = r;                                                   \
        if (SETF(c, d)) c->nf = c->zf = r;                                             \
    }
LOGIC_OP(AND, a & b, 1)
LOGIC_OP(ORR, a | b, 1)
LOGIC_OP(ORN, a | ~b, 1)
LOGIC_OP(EOR, a ^ b, 1)
LOGIC_OP(BIC, a & ~b, 1)
LOGIC_OP(MOV, b, 1)
LOGIC_OP(MVN, ~b, 1)
LOGIC_OP(TST, a & b, 0)
LOGIC_OP(TEQ, a ^ b, 0)

#define ARITH_OP(NAME, X, Y, CIN, WRITES)                                              \
    static void exec_##NAME##_i(cm3_cpu *c, const cm3_insn *d)                         \
    {                                                                                  \
        uint32_t a = c->r[d->rn], b = d->imm;                                          \
        uint32_t r = adc_flags(c, (X), (Y), (CIN), SETF(c, d));                        \
        if (WRITES) c->r[d->rd] = r;                                                   \
    }                                                                                  \
    static void exec_##NAME##_r(cm3_cpu *c, const cm3_insn *d)                         \
    {                                                                                  \
        uint32_t carry, a = c->r[d->rn];                                               \
        uint32_t b = shift_c(c->r[d->rm], d->shtype, d->shamt, c->cf, &carry);         \
        uint32_t r = adc_flags(c, (X), (Y), (CIN), SETF(c, d));                        \
        if (WRITES) c->r[d->rd] = r;                                                   \
        (void)carry;                                                                   \
    }                                                                                  \
    static void exec_##NAME##_r0(cm3_cpu *c, const cm3_insn *d)                        \
    {                                                                                  \
        uint32_t a = c->r[d->rn], b = c->r[d->rm];                                     \
        uint32_t r = adc_flags(c, (X), (Y), (CIN), SETF(c, d));                        \
        if (WRITES) c->r[d->rd] = r;                                                   \
    }
ARITH_OP(ADD, a, b, 0, 1)
ARITH_OP(ADC, a, b, c->cf, 1)
ARITH_OP(SUB, a, ~b, 1, 1)
ARITH_OP(SBC, a, ~b, c->cf, 1)
ARITH_OP(RSB, ~a, b, 1, 1)
ARITH_OP(CMP, a, ~b, 1, 0)
ARITH_OP(CMN, a, b, 0, 0)

/* Register forms with no shift (LSL #0): same result, no Shift_C (carry unchanged). */
static const struct { cm3_exec_fn r, r0; } no_shift[] = {
    { exec_AND_r, exec_AND_r0 }, { exec_ORR_r, exec_ORR_r0 }, { exec_ORN_r, exec_ORN_r0 },
    { exec_EOR_r, exec_EOR_r0 }, { exec_BIC_r, exec_BIC_r0 }, { exec_MOV_r, exec_MOV_r0 },
    { exec_MVN_r, exec_MVN_r0 }, { exec_TST_r, exec_TST_r0 }, { exec_TEQ_r, exec_TEQ_r0 },
    { exec_ADD_r, exec_ADD_r0 }, { exec_ADC_r, exec_ADC_r0 }, { exec_SUB_r, exec_SUB_r0 },
    { exec_SBC_r, exec_SBC_r0 }, { exec_RSB_r, exec_RSB_r0 }, { exec_CMP_r, exec_CMP_r0 },
    { exec_CMN_r, exec_CMN_r0 },
};

void cm3_dp_fast_path(cm3_insn *d)
{
    if (d->shtype != 0 || d->shamt != 0) return;
    for (size_t i = 0; i < sizeof no_shift / sizeof no_shift[0]; i++)
        if (d->exec == no_shift[i].r) { d->exec = no_shift[i].r0; return; }
}

/* Fast forms for the commonest cases (no shift, no flags). */
static void exec_MOV_reg(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] = c->r[d->rm]; }
static void exec_ADD_imm_nf(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] = c->r[d->rn] + d->imm; }
static void exec_MOV_imm_nf(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] = d->imm; }

/* Register-specified shift: value r[rm], amount r[ra][7:0]. */
static void exec_MOV_rs(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t carry, r = shift_c(c->r[d->rm], d->shtype, c->r[d->ra] & 0xff, c->cf, &carry);
    c->r[d->rd] = r;
    if (SETF(c, d)) { c->nf = c->zf = r; c->cf = carry; }
}

/* Writes to PC from ADD/MOV (high registers): ALUWritePC = BranchWritePC. */
static void exec_ADD_pc(cm3_cpu *c, const cm3_insn *d)
{
    cm3_branch(c, c->r[d->rn] + c->r[d->rm]);
    c->cyc += CY(CYC_P_EXECUTE);
}
static void exec_MOV_pc(cm3_cpu *c, const cm3_insn *d)
{
    cm3_branch(c, c->r[d->rm]);
    c->cyc += CY(CYC_P_EXECUTE);
}

static void exec_ADR(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] = (c->r[15] & ~3u) + d->imm; }

static void exec_MOVT(cm3_cpu *c, const cm3_insn *d)
{
    c->r[d->rd] = (c->r[d->rd] & 0xffffu) | (d->imm << 16);
}

static void exec_MUL(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t r = c->r[d->rn] * c->r[d->rm];
    c->r[d->rd] = r;
    if (SETF(c, d)) c->nf = c->zf = r;
}
/* Rule 6: MLA/MLS right after a long multiply overlap one cycle with it (measured). */
static void exec_MLA(cm3_cpu *c, const cm3_insn *d)
{
    c->r[d->rd] = c->r[d->rn] * c->r[d->rm] + c->r[d->ra];
    if ((c->prevkw & K_CLASS) == K_LMUL) c->cyc -= CY(CYC_LMUL_MLA);
}
static void exec_MLS(cm3_cpu *c, const cm3_insn *d)
{
    c->r[d->rd] = c->r[d->ra] - c->r[d->rn] * c->r[d->rm];
    if ((c->prevkw & K_CLASS) == K_LMUL) c->cyc -= CY(CYC_LMUL_MLA);
}

/* Long multiplies: ra = RdLo, rd = RdHi. */
static void exec_UMULL(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t a = c->r[d->rn], b = c->r[d->rm];
    uint64_t r = (uint64_t)a * b;
    c->cyc += cm3_cyc_umull(a, b);
    c->r[d->ra] = (uint32_t)r;
    c->r[d->rd] = (uint32_t)(r >> 32);
}
static void exec_SMULL(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t a = c->r[d->rn], b = c->r[d->rm];
    int64_t r = (int64_t)(int32_t)a * (int32_t)b;
    c->cyc += cm3_cyc_smull(a, b);
    c->r[d->ra] = (uint32_t)r;
    c->r[d->rd] = (uint32_t)((uint64_t)r >> 32);
}
static void exec_UMLAL(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t a = c->r[d->rn], b = c->r[d->rm];
    uint64_t acc = ((uint64_t)c->r[d->rd] << 32) | c->r[d->ra];
    uint64_t r = (uint64_t)a * b + acc;
    c->cyc += cm3_cyc_umlal(a, b);
    c->r[d->ra] = (uint32_t)r;
    c->r[d->rd] = (uint32_t)(r >> 32);
}
static void exec_SMLAL(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t a = c->r[d->rn], b = c->r[d->rm];
    uint64_t acc = ((uint64_t)c->r[d->rd] << 32) | c->r[d->ra];
    uint64_t r = (uint64_t)((int64_t)(int32_t)a * (int32_t)b) + acc;
    c->cyc += cm3_cyc_smlal(a, b);
    c->r[d->ra] = (uint32_t)r;
    c->r[d->rd] = (uint32_t)(r >> 32);
}

/* ARMv7-M: a zero divisor gives 0, or a UsageFault with CCR.DIV_0_TRP. */
static void divide_by_zero(cm3_cpu *c, const cm3_insn *d)
{
    if (c->ccr & CCR_DIV_0_TRP)
        cm3_fault(c, EXC_USAGEFAULT, CFSR_DIVBYZERO);
    else
        c->r[d->rd] = 0;
}

static void exec_UDIV(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t n = c->r[d->rn], m = c->r[d->rm];
    c->cyc += cm3_cyc_udiv(n, m);
    if (m == 0) {
        divide_by_zero(c, d);
        return;
    }
    c->r[d->rd] = n / m;
}
static void exec_SDIV(cm3_cpu *c, const cm3_insn *d)
{
    int32_t n = (int32_t)c->r[d->rn], m = (int32_t)c->r[d->rm];
    c->cyc += cm3_cyc_sdiv(n, m);
    if (m == 0) {
        divide_by_zero(c, d);
        return;
    }
    if (n == INT32_MIN && m == -1)
        c->r[d->rd] = (uint32_t)INT32_MIN;
    else
        c->r[d->rd] = (uint32_t)(n / m);
}

/* SSAT/USAT: imm = saturate bound (bits), shtype/shamt = input shift. */
static void exec_SSAT(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t carry;
    int64_t v = (int32_t)shift_c(c->r[d->rn], d->shtype, d->shamt, c->cf, &carry);
    int64_t hi = ((int64_t)1 << (d->imm - 1)) - 1, lo = -((int64_t)1 << (d->imm - 1));
    if (v > hi) { v = hi; c->qf = 1; }
    else if (v < lo) { v = lo; c->qf = 1; }
    c->r[d->rd] = (uint32_t)v;
}
static void exec_USAT(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t carry;
    int64_t v = (int32_t)shift_c(c->r[d->rn], d->shtype, d->shamt, c->cf, &carry);
    int64_t hi = ((int64_t)1 << d->imm) - 1;
    if (v > hi) { v = hi; c->qf = 1; }
    else if (v < 0) { v = 0; c->qf = 1; }
    c->r[d->rd] = (uint32_t)v;
}

/* Bit fields: shamt = lsb, imm = width - 1 (SBFX/UBFX) or msb (BFI/BFC). */
static void exec_SBFX(cm3_cpu *c, const cm3_insn *d)
{
    unsigned msb = d->shamt + d->imm;
    c->r[d->rd] = (uint32_t)((int32_t)(c->r[d->rn] << (31 - msb)) >> (31 - d->imm));
}
static void exec_UBFX(cm3_cpu *c, const cm3_insn *d)
{
    unsigned msb = d->shamt + d->imm;
    c->r[d->rd] = (c->r[d->rn] << (31 - msb)) >> (31 - d->imm);
}
static uint32_t bf_mask(const cm3_insn *d)
{
    unsigned lsb = d->shamt, msb = d->imm;
    return (0xffffffffu >> (31 - msb)) & (0xffffffffu << lsb);
}
static void exec_BFI(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t m = bf_mask(d);
    c->r[d->rd] = (c->r[d->rd] & ~m) | ((c->r[d->rn] << d->shamt) & m);
}
static void exec_BFC(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] &= ~bf_mask(d); }

static inline uint32_t ror32(uint32_t v, unsigned n) { return n ? (v >> n) | (v << (32 - n)) : v; }
static void exec_SXTH(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] = (uint32_t)(int32_t)(int16_t)ror32(c->r[d->rm], d->shamt); }
static void exec_SXTB(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] = (uint32_t)(int32_t)(int8_t)ror32(c->r[d->rm], d->shamt); }
static void exec_UXTH(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] = (uint16_t)ror32(c->r[d->rm], d->shamt); }
static void exec_UXTB(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] = (uint8_t)ror32(c->r[d->rm], d->shamt); }
static void exec_REV(cm3_cpu *c, const cm3_insn *d) { c->r[d->rd] = __builtin_bswap32(c->r[d->rm]); }
static void exec_REV16(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v = c->r[d->rm];
    c->r[d->rd] = ((v & 0x00ff00ffu) << 8) | ((v >> 8) & 0x00ff00ffu);
}
static void exec_REVSH(cm3_cpu *c, const cm3_insn *d)
{
    c->r[d->rd] = (uint32_t)(int32_t)(int16_t)__builtin_bswap16((uint16_t)c->r[d->rm]);
}
static void exec_RBIT(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v = c->r[d->rm], r = 0;
    for (int i = 0; i < 32; i++) { r = (r << 1) | (v & 1); v >>= 1; }
    c->r[d->rd] = r;
}
static void exec_CLZ(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v = c->r[d->rm];
    c->r[d->rd] = v ? (uint32_t)__builtin_clz(v) : 32u;
}

/* ------------------------------------------------------------------ 16-bit decoders */

/* LSL/LSR/ASR (immediate); LSL #0 is MOVS Rd, Rm. */
TRANS(shift_imm16)
{
    decode_imm_shift(d, (raw >> 11) & 3, (raw >> 6) & 31);
    d->rm = (raw >> 3) & 7;
    d->s = 2;
    set_dp(d, raw & 7, exec_MOV_r);
    return 1;
}

TRANS(addsub_reg16)
{
    d->rn = (raw >> 3) & 7;
    d->rm = (raw >> 6) & 7;
    d->shtype = 0; d->shamt = 0;
    d->s = 2;
    set_dp(d, raw & 7, (raw & 0x200) ? exec_SUB_r : exec_ADD_r);
    return 1;
}

TRANS(addsub_imm3)
{
    d->rn = (raw >> 3) & 7;
    d->imm = (raw >> 6) & 7;
    d->s = 2;
    set_dp(d, raw & 7, (raw & 0x200) ? exec_SUB_i : exec_ADD_i);
    return 1;
}

/* MOV/CMP/ADD/SUB (8-bit immediate). */
TRANS(imm8_16)
{
    unsigned rdn = (raw >> 8) & 7;
    static const cm3_exec_fn fn[4] = { exec_MOV_i, exec_CMP_i, exec_ADD_i, exec_SUB_i };
    unsigned op = (raw >> 11) & 3;
    d->rn = (uint8_t)rdn;
    d->imm = raw & 0xff;
    d->shtype = 0xff;
    d->s = op == 1 ? 1 : 2;
    set_dp(d, rdn, fn[op]);
    if (op == 1) d->wreg = 0xff;
    return 1;
}

/* Data processing (register), 010000 op. */
TRANS(dp16)
{
    unsigned rdn = raw & 7, rm = (raw >> 3) & 7, op = (raw >> 6) & 15;
    d->rn = (uint8_t)rdn;
    d->rm = (uint8_t)rm;
    d->shtype = 0; d->shamt = 0;
    d->s = 2;
    switch (op) {
    case 0: set_dp(d, rdn, exec_AND_r); break;
    case 1: set_dp(d, rdn, exec_EOR_r); break;
    case 2: case 3: case 4: case 7: {
        static const uint8_t ty[8] = { [2] = 0, [3] = 1, [4] = 2, [7] = 3 };
        d->shtype = ty[op];
        d->rm = (uint8_t)rdn;
        d->ra = (uint8_t)rm;
        set_dp(d, rdn, exec_MOV_rs);
        break;
    }
    case 5: set_dp(d, rdn, exec_ADC_r); break;
    case 6: set_dp(d, rdn, exec_SBC_r); break;
    case 8: d->s = 1; set_dp(d, rdn, exec_TST_r); d->wreg = 0xff; break;
    case 9: d->rn = (uint8_t)rm; d->imm = 0; set_dp(d, rdn, exec_RSB_i); break;
    case 10: d->s = 1; set_dp(d, rdn, exec_CMP_r); d->wreg = 0xff; break;
    case 11: d->s = 1; set_dp(d, rdn, exec_CMN_r); d->wreg = 0xff; break;
    case 12: set_dp(d, rdn, exec_ORR_r); break;
    case 13: d->rn = (uint8_t)rm; d->rm = (uint8_t)rdn; set_dp(d, rdn, exec_MUL); break;
    case 14: set_dp(d, rdn, exec_BIC_r); break;
    default: set_dp(d, rdn, exec_MVN_r); break;
    }
    return 1;
}

/* ADD/CMP/MOV with high registers. */
TRANS(hireg16)
{
    unsigned rdn = (raw & 7) | ((raw >> 4) & 8), rm = (raw >> 3) & 15, op = (raw >> 8) & 3;
    d->rn = (uint8_t)rdn;
    d->rm = (uint8_t)rm;
    d->shtype = 0; d->shamt = 0;
    switch (op) {
    case 0:
        if (rdn == 15 && rm == 15) return 0;
        d->s = 0;
        if (rdn == 15) { set_other(d, exec_ADD_pc, CYC_BRANCH); return 1; }
        set_dp(d, rdn, exec_ADD_r);
        return 1;
    case 1:
        if ((rdn < 8 && rm < 8) || rdn == 15 || rm == 15) return 0;
        d->s = 1;
        set_dp(d, rdn, exec_CMP_r);
        d->wreg = 0xff;
        return 1;
    default:
        d->s = 0;
        if (rdn == 15) { set_other(d, exec_MOV_pc, CYC_BRANCH); return 1; }
        set_dp(d, rdn, exec_MOV_reg);
        return 1;
    }
}

TRANS(adr16)
{
    d->imm = (raw & 0xff) << 2;
    set_dp(d, (raw >> 8) & 7, exec_ADR);
    return 1;
}

TRANS(addsp16)
{
    d->rn = 13;
    d->imm = (raw & 0xff) << 2;
    set_dp(d, (raw >> 8) & 7, exec_ADD_imm_nf);
    return 1;
}

/* ADD/SUB SP, SP, #imm7 */
TRANS(spadj16)
{
    uint32_t imm = (raw & 0x7f) << 2;
    d->rn = 13;
    d->imm = (raw & 0x80) ? 0u - imm : imm;
    set_dp(d, 13, exec_ADD_imm_nf);
    return 1;
}

TRANS(ext16)
{
    static const cm3_exec_fn fn[4] = { exec_SXTH, exec_SXTB, exec_UXTH, exec_UXTB };
    d->rm = (raw >> 3) & 7;
    d->shamt = 0;
    set_dp(d, raw & 7, fn[(raw >> 6) & 3]);
    return 1;
}

TRANS(rev16)
{
    static const cm3_exec_fn fn[4] = { exec_REV, exec_REV16, NULL, exec_REVSH };
    unsigned op = (raw >> 6) & 3;
    if (!fn[op]) return 0;
    d->rm = (raw >> 3) & 7;
    set_dp(d, raw & 7, fn[op]);
    return 1;
}

/* ------------------------------------------------------------------ 32-bit decoders */

static int dp_op(cm3_insn *d, unsigned op, unsigned rn, unsigned rd, int s, int imm_form)
{
    /* [op] = {plain, test-form (Rd == 15 && S), Rn == 15 form} for imm and reg forms */
    cm3_exec_fn f = NULL, fi = NULL, fr = NULL;
    int test = 0;
    switch (op) {
    case 0: if (rd == 15 && s) { fi = exec_TST_i; fr = exec_TST_r; test = 1; }
            else { fi = exec_AND_i; fr = exec_AND_r; } break;
    case 1: fi = exec_BIC_i; fr = exec_BIC_r; break;
    case 2: if (rn == 15) { fi = exec_MOV_i; fr = exec_MOV_r; } else { fi = exec_ORR_i; fr = exec_ORR_r; } break;
    case 3: if (rn == 15) { fi = exec_MVN_i; fr = exec_MVN_r; } else { fi = exec_ORN_i; fr = exec_ORN_r; } break;
    case 4: if (rd == 15 && s) { fi = exec_TEQ_i; fr = exec_TEQ_r; test = 1; }
            else { fi = exec_EOR_i; fr = exec_EOR_r; } break;
    case 8: if (rd == 15 && s) { fi = exec_CMN_i; fr = exec_CMN_r; test = 1; }
            else { fi = exec_ADD_i; fr = exec_ADD_r; } break;
    case 10: fi = exec_ADC_i; fr = exec_ADC_r; break;
    case 11: fi = exec_SBC_i; fr = exec_SBC_r; break;
    case 13: if (rd == 15 && s) { fi = exec_CMP_i; fr = exec_CMP_r; test = 1; }
             else { fi = exec_SUB_i; fr = exec_SUB_r; } break;
    case 14: fi = exec_RSB_i; fr = exec_RSB_r; break;
    default: return 0;
    }
    if (!test && rd == 15)
        return 0;   /* UNPREDICTABLE: treated as undefined */
    if (rn == 15 && op != 2 && op != 3)
        return 0;
    f = imm_form ? fi : fr;
    d->rn = (uint8_t)(rn == 15 ? 0 : rn);
    d->s = (uint8_t)(s ? 1 : 0);
    set_dp(d, rd, f);
    if (test) d->wreg = 0xff;
    if (!s && imm_form && f == exec_ADD_i) d->exec = exec_ADD_imm_nf;
    if (!s && imm_form && f == exec_MOV_i) d->exec = exec_MOV_imm_nf;
    return 1;
}

TRANS(dp_shreg32)
{
    unsigned imm5 = ((raw >> 10) & 0x1c) | ((raw >> 6) & 3);
    decode_imm_shift(d, (raw >> 4) & 3, imm5);
    d->rm = raw & 15;
    if (d->rm == 15) return 0;
    return dp_op(d, (raw >> 21) & 15, (raw >> 16) & 15, (raw >> 8) & 15, (raw >> 20) & 1, 0);
}

/* ThumbExpandImm_C(): carry 0xff = unchanged. */
static int thumb_expand_imm(uint32_t imm12, uint32_t *out, uint8_t *carry)
{
    uint32_t v = imm12 & 0xff;
    *carry = 0xff;
    if ((imm12 >> 10) == 0) {
        switch ((imm12 >> 8) & 3) {
        case 0: *out = v; return 1;
        case 1: *out = v | (v << 16); break;
        case 2: *out = (v << 8) | (v << 24); break;
        default: *out = v | (v << 8) | (v << 16) | (v << 24); break;
        }
        return v != 0;   /* imm8 == 0 is UNPREDICTABLE */
    }
    uint32_t un = 0x80 | (imm12 & 0x7f);
    unsigned rot = (imm12 >> 7) & 31;
    *out = (un >> rot) | (un << (32 - rot));
    *carry = (uint8_t)(*out >> 31);
    return 1;
}

TRANS(dp_modimm32)
{
    uint32_t imm12 = ((raw >> 15) & 0x800) | ((raw >> 4) & 0x700) | (raw & 0xff);
    if (!thumb_expand_imm(imm12, &d->imm, &d->shtype)) return 0;
    return dp_op(d, (raw >> 21) & 15, (raw >> 16) & 15, (raw >> 8) & 15, (raw >> 20) & 1, 1);
}

/* Data processing (plain binary immediate). */
TRANS(dp_plain32)
{
    unsigned op = (raw >> 20) & 31, rn = (raw >> 16) & 15, rd = (raw >> 8) & 15;
    uint32_t imm12 = ((raw >> 15) & 0x800) | ((raw >> 4) & 0x700) | (raw & 0xff);
    unsigned imm5 = ((raw >> 10) & 0x1c) | ((raw >> 6) & 3);
    if (rd == 15 || rd == 13) {
        if (!(rd == 13 && (op == 0 || op == 0x0a) && rn == 13)) return 0;
    }
    d->rn = (uint8_t)rn;
    d->s = 0;
    switch (op) {
    case 0x00:
        if (rn == 15) { d->imm = imm12; set_dp(d, rd, exec_ADR); return 1; }
        d->imm = imm12; set_dp(d, rd, exec_ADD_imm_nf); return 1;
    case 0x0a:
        if (rn == 15) { d->imm = 0u - imm12; set_dp(d, rd, exec_ADR); return 1; }
        d->imm = 0u - imm12; set_dp(d, rd, exec_ADD_imm_nf); return 1;
    case 0x04:
        d->imm = (rn << 12) | imm12; set_dp(d, rd, exec_MOV_imm_nf); return 1;
    case 0x0c:
        d->imm = (rn << 12) | imm12; set_dp(d, rd, exec_MOVT); return 1;
    case 0x10: case 0x12: case 0x18: case 0x1a:
        if (rn == 15) return 0;
        if ((op & 2) && imm5 == 0) return 0;   /* SSAT16/USAT16: DSP extension */
        decode_imm_shift(d, (op & 2) ? 2 : 0, imm5);
        if (op < 0x18) { d->imm = (raw & 31) + 1; set_dp(d, rd, exec_SSAT); }
        else { d->imm = raw & 31; set_dp(d, rd, exec_USAT); }
        return 1;
    case 0x14: case 0x1c:
        if (rn == 15 || imm5 + (raw & 31) > 31) return 0;
        d->shamt = (uint8_t)imm5; d->imm = raw & 31;
        set_dp(d, rd, op == 0x14 ? exec_SBFX : exec_UBFX);
        return 1;
    case 0x16:
        if ((raw & 31) < imm5) return 0;
        d->shamt = (uint8_t)imm5; d->imm = raw & 31;
        set_dp(d, rd, rn == 15 ? exec_BFC : exec_BFI);
        return 1;
    default:
        return 0;
    }
}

/* LSL/LSR/ASR/ROR (register), 32-bit. */
TRANS(shift_reg32)
{
    unsigned rd = (raw >> 8) & 15, rn = (raw >> 16) & 15, rm = raw & 15;
    if (BADREG(rd) || BADREG(rn) || BADREG(rm)) return 0;
    d->shtype = (raw >> 21) & 3;
    d->rm = (uint8_t)rn;
    d->ra = (uint8_t)rm;
    d->s = (raw >> 20) & 1;
    set_dp(d, rd, exec_MOV_rs);
    return 1;
}

TRANS(ext32)
{
    unsigned op = (raw >> 20) & 7, rd = (raw >> 8) & 15, rm = raw & 15;
    cm3_exec_fn f;
    switch (op) {
    case 0: f = exec_SXTH; break;
    case 1: f = exec_UXTH; break;
    case 4: f = exec_SXTB; break;
    case 5: f = exec_UXTB; break;
    default: return 0;
    }
    if (BADREG(rd) || BADREG(rm)) return 0;
    d->rm = (uint8_t)rm;
    d->shamt = (uint8_t)(((raw >> 4) & 3) * 8);
    set_dp(d, rd, f);
    return 1;
}

TRANS(misc32)
{
    unsigned op1 = (raw >> 20) & 3, op2 = (raw >> 4) & 3, rd = (raw >> 8) & 15;
    unsigned rm = raw & 15, rm2 = (raw >> 16) & 15;
    static const cm3_exec_fn fn[4] = { exec_REV, exec_REV16, exec_RBIT, exec_REVSH };
    if (BADREG(rd) || BADREG(rm) || rm != rm2) return 0;
    d->rm = (uint8_t)rm;
    if (op1 == 1) { set_dp(d, rd, fn[op2]); return 1; }
    if (op1 == 3 && op2 == 0) { set_dp(d, rd, exec_CLZ); return 1; }
    return 0;
}

TRANS(mul32)
{
    unsigned rn = (raw >> 16) & 15, ra = (raw >> 12) & 15, rd = (raw >> 8) & 15, rm = raw & 15;
    unsigned op = (raw >> 4) & 3;
    if (BADREG(rd) || BADREG(rn) || BADREG(rm)) return 0;
    d->rn = (uint8_t)rn; d->rm = (uint8_t)rm; d->ra = (uint8_t)ra; d->s = 0;
    if (op == 0 && ra == 15) { set_dp(d, rd, exec_MUL); return 1; }
    if (BADREG(ra)) return 0;
    if (op == 0) { set_dp(d, rd, exec_MLA); d->cycles = CY(CYC_MLA); return 1; }
    if (op == 1) { set_dp(d, rd, exec_MLS); d->cycles = CY(CYC_MLA); return 1; }
    return 0;
}

TRANS(lmul32)
{
    unsigned op = (raw >> 20) & 7, rn = (raw >> 16) & 15, lo = (raw >> 12) & 15;
    unsigned hi = (raw >> 8) & 15, rm = raw & 15;
    if (BADREG(rn) || BADREG(rm) || BADREG(hi)) return 0;
    d->rn = (uint8_t)rn; d->rm = (uint8_t)rm;
    if (op == 1 || op == 3) {
        if (lo != 15) return 0;
        set_dp(d, hi, op == 1 ? exec_SDIV : exec_UDIV);
        d->cycles = 0;   /* data-dependent, added by the handler */
        d->kind |= K_MULTI;
        return 1;
    }
    if (BADREG(lo) || lo == hi) return 0;
    d->ra = (uint8_t)lo;
    switch (op) {
    case 0: set_dp(d, hi, exec_SMULL); break;
    case 2: set_dp(d, hi, exec_UMULL); break;
    case 4: set_dp(d, hi, exec_SMLAL); break;
    case 6: set_dp(d, hi, exec_UMLAL); break;
    default: return 0;
    }
    d->cycles = 0;
    d->kind = K_LMUL | K_MULTI;
    return 1;
}

/* Rule 1 (ARMv7-M ARM B1.4.1: SP[1:0] are zero): a data-processing write to SP clears
 * bits [1:0]. cm3_dp_sp() wraps the decoded handler (d->sub = its cm3_dp_ops index);
 * d->op stays the wrapped one's, and the translator masks its inline stores to SP. */
static void exec_dp_sp(cm3_cpu *c, const cm3_insn *d)
{
    cm3_dp_ops[d->sub].fn(c, d);
    c->r[13] &= ~3u;
}

void cm3_dp_sp(cm3_insn *d)
{
    if ((d->kind & K_CLASS) != K_DP || d->wreg != 13) return;
    for (unsigned i = 0; cm3_dp_ops[i].fn; i++)
        if (cm3_dp_ops[i].fn == d->exec) {
            d->sub = (uint8_t)i;
            d->exec = exec_dp_sp;
            return;
        }
}

/* ------------------------------------------------------------ translator identities */
#define DP3(NAME, F)                                                                   \
    { exec_##NAME##_i, OP_DP + DPF_##F * 4 + DPFORM_I },                               \
    { exec_##NAME##_r, OP_DP + DPF_##F * 4 + DPFORM_R },                               \
    { exec_##NAME##_r0, OP_DP + DPF_##F * 4 + DPFORM_R0 }
const cm3_op_id cm3_dp_ops[] = {
    DP3(AND, AND), DP3(ORR, ORR), DP3(ORN, ORN), DP3(EOR, EOR), DP3(BIC, BIC),
    DP3(MOV, MOV), DP3(MVN, MVN), DP3(TST, TST), DP3(TEQ, TEQ), DP3(ADD, ADD),
    DP3(ADC, ADC), DP3(SUB, SUB), DP3(SBC, SBC), DP3(RSB, RSB), DP3(CMP, CMP),
    DP3(CMN, CMN),
    { exec_MOV_reg, OP_MOV_REG }, { exec_ADD_imm_nf, OP_ADD_IMM_NF },
    { exec_MOV_imm_nf, OP_MOV_IMM_NF }, { exec_ADR, OP_ADR }, { exec_MOVT, OP_MOVT },
    { exec_MUL, OP_MUL }, { exec_MLA, OP_MLA }, { exec_MLS, OP_MLS }, { exec_SBFX, OP_SBFX },
    { exec_UBFX, OP_UBFX }, { exec_SXTH, OP_SXTH }, { exec_SXTB, OP_SXTB },
    { exec_UXTH, OP_UXTH }, { exec_UXTB, OP_UXTB },
    { exec_ADD_pc, OP_END }, { exec_MOV_pc, OP_END },
    { NULL, 0 },
};
