/* Cortex-M3 branches, hints, system instructions: decoders (trans_*) and handlers.
 * ARMv7-M ARM A5.2.5-A5.2.6 (16-bit misc/branch), A5.3.4 (32-bit branches and misc
 * control), B5.2 (MRS/MSR/CPS). */
#include "cm3_exec.h"

void exec_UNDEF(cm3_cpu *c, const cm3_insn *d)
{
    (void)d;
    cm3_fault(c, EXC_USAGEFAULT, CFSR_UNDEFINSTR);
}
static void exec_NOCP(cm3_cpu *c, const cm3_insn *d)
{
    (void)d;
    cm3_fault(c, EXC_USAGEFAULT, CFSR_NOCP);
}
static void exec_NOP(cm3_cpu *c, const cm3_insn *d) { (void)c; (void)d; }

/* ---- branches ---- */
static void exec_B(cm3_cpu *c, const cm3_insn *d)
{
    cm3_branch(c, c->r[15] + d->imm);
    c->cyc += CY(CYC_P_DECODE);
}
static void exec_Bcond(cm3_cpu *c, const cm3_insn *d)
{
    if (cm3_cond(c, d->cond)) {
        cm3_branch(c, c->r[15] + d->imm);
        c->cyc += CY(CYC_P_DECODE);
    }
}
static void exec_BL(cm3_cpu *c, const cm3_insn *d)
{
    c->r[14] = c->npc | 1;
    cm3_branch(c, c->r[15] + d->imm);
    c->cyc += CY(CYC_P_DECODE);
}
static void exec_BX(cm3_cpu *c, const cm3_insn *d)
{
    cm3_bx_write_pc(c, c->r[d->rm]);
    c->cyc += d->rm == 14 ? CY(CYC_P_DECODE) : CY(CYC_P_EXECUTE);
}
static void exec_BLX(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t t = c->r[d->rm];
    c->r[14] = c->npc | 1;
    cm3_bx_write_pc(c, t);
    c->cyc += CY(CYC_P_EXECUTE);
}
static void exec_CBZ(cm3_cpu *c, const cm3_insn *d)
{
    if ((c->r[d->rn] == 0) != (d->cond != 0)) {
        cm3_branch(c, c->r[15] + d->imm);
        c->cyc += CY(CYC_P_EXECUTE);
    }
}

TRANS(bx16)
{
    d->rm = (raw >> 3) & 15;
    if (raw & 0x80) {
        if (d->rm == 15) return 0;
        set_other(d, exec_BLX, CYC_BRANCH);
    } else {
        set_other(d, exec_BX, CYC_BRANCH);
    }
    return 1;
}

TRANS(cbz16)
{
    d->rn = raw & 7;
    d->imm = ((raw >> 2) & 0x3e) | ((raw >> 3) & 0x40);
    d->cond = (raw >> 11) & 1;
    set_other(d, exec_CBZ, CYC_BRANCH);
    return 1;
}

TRANS(bcond16)
{
    d->cond = (raw >> 8) & 15;
    d->imm = sext((raw & 0xff) << 1, 9);
    set_other(d, exec_Bcond, CYC_BRANCH);
    return 1;
}

TRANS(b16)
{
    d->imm = sext((raw & 0x7ff) << 1, 12);
    set_other(d, exec_B, CYC_BRANCH);
    return 1;
}

TRANS(bcond32)
{
    unsigned cond = (raw >> 22) & 15;
    if (cond >= 14) return 0;
    uint32_t s = (raw >> 26) & 1, j1 = (raw >> 13) & 1, j2 = (raw >> 11) & 1;
    uint32_t imm = (s << 20) | (j2 << 19) | (j1 << 18) | (((raw >> 16) & 0x3f) << 12) |
                   ((raw & 0x7ff) << 1);
    d->imm = sext(imm, 21);
    d->cond = (uint8_t)cond;
    set_other(d, exec_Bcond, CYC_BRANCH);
    return 1;
}

static uint32_t bl_imm(uint32_t raw)
{
    uint32_t s = (raw >> 26) & 1, j1 = (raw >> 13) & 1, j2 = (raw >> 11) & 1;
    uint32_t i1 = !(j1 ^ s), i2 = !(j2 ^ s);
    uint32_t imm = (s << 24) | (i1 << 23) | (i2 << 22) | (((raw >> 16) & 0x3ff) << 12) |
                   ((raw & 0x7ff) << 1);
    return sext(imm, 25);
}

TRANS(b32)
{
    d->imm = bl_imm(raw);
    set_other(d, exec_B, CYC_BRANCH);
    return 1;
}

TRANS(bl32)
{
    d->imm = bl_imm(raw);
    set_other(d, exec_BL, CYC_BRANCH);
    d->wreg = 14;
    return 1;
}

/* ---- IT and hints ---- */
/* Rule 3: an IT folds onto a preceding 16-bit instruction (zero cycles). */
static void exec_IT(cm3_cpu *c, const cm3_insn *d)
{
    c->itstate = d->imm;
    if (c->prevkw & K_FOLD) c->cyc -= CY(CYC_IT_FOLD);
}
static void exec_SEV(cm3_cpu *c, const cm3_insn *d) { (void)d; c->event = 1; }
static void exec_WFE(cm3_cpu *c, const cm3_insn *d)
{
    (void)d;
    if (c->event) { c->event = 0; return; }
    c->sleeping = 2;
    c->stop_at = 0;
}
static void exec_WFI(cm3_cpu *c, const cm3_insn *d)
{
    (void)d;
    c->sleeping = 1;
    c->stop_at = 0;
}

static int hint(cm3_insn *d, unsigned op)
{
    switch (op) {
    case 2: set_other(d, exec_WFE, CYC_WFX); return 1;
    case 3: set_other(d, exec_WFI, CYC_WFX); return 1;
    case 4: set_other(d, exec_SEV, CYC_NOP); return 1;
    default: set_other(d, exec_NOP, CYC_NOP); return 1;   /* NOP, YIELD, DBG, others */
    }
}

TRANS(it16)
{
    unsigned firstcond = (raw >> 4) & 15, mask = raw & 15;
    if (mask == 0) return hint(d, firstcond);
    if (firstcond == 15 || (firstcond == 14 && __builtin_popcount(mask) != 1)) return 0;
    d->imm = raw & 0xff;
    set_other(d, exec_IT, CYC_IT);
    return 1;
}

TRANS(hint32)
{
    if (raw & 0x700) return 0;
    return hint(d, raw & 0xff);
}

/* ---- SVC, BKPT, UDF, coprocessor ---- */
static void exec_SVC(cm3_cpu *c, const cm3_insn *d)
{
    (void)d;
    cm3_svc(c);
}
static void exec_BKPT(cm3_cpu *c, const cm3_insn *d) { cm3_bkpt(c, d->imm); }

TRANS(svc16)
{
    d->imm = raw & 0xff;
    set_other(d, exec_SVC, CYC_SVC);
    return 1;
}
TRANS(bkpt16)
{
    d->imm = raw & 0xff;
    set_other(d, exec_BKPT, CYC_NOP);
    return 1;
}
TRANS(udf16) { (void)raw; set_other(d, exec_UNDEF, CYC_NOP); return 1; }
TRANS(udf32) { (void)raw; set_other(d, exec_UNDEF, CYC_NOP); return 1; }
TRANS(cop32) { (void)raw; set_other(d, exec_NOCP, CYC_NOP); return 1; }

/* ---- barriers, CLREX ---- */
static void exec_CLREX(cm3_cpu *c, const cm3_insn *d) { (void)d; c->exclusive = 0; }
TRANS(misc_ctl32)
{
    switch ((raw >> 4) & 15) {
    case 2: set_other(d, exec_CLREX, CYC_CLREX); return 1;
    case 4: case 5: set_other(d, exec_NOP, CYC_NOP); return 1;   /* DSB, DMB */
    case 6: set_other(d, exec_NOP, CYC_ISB); return 1;           /* ISB */
    default: return 0;
    }
}

/* ---- CPS, MRS, MSR ---- */
static void exec_CPS(cm3_cpu *c, const cm3_insn *d)
{
    if (!cm3_priv(c)) return;
    unsigned disable = d->imm & 0x10;
    if (d->imm & 2) c->primask = disable ? 1 : 0;
    if (d->imm & 1) {
        if (!disable) c->faultmask = 0;
        else if (cm3_exec_priority(c) > -1) c->faultmask = 1;
    }
    cm3_exc_changed(c);
}
TRANS(cps16)
{
    d->imm = raw & 0x1f;
    set_other(d, exec_CPS, CYC_SYS);
    return 1;
}

static uint32_t prio_mask(const cm3_cpu *c) { return (0xffu << (8 - c->cfg.prio_bits)) & 0xff; }

static void exec_MRS(cm3_cpu *c, const cm3_insn *d)
{
    unsigned sysm = d->imm;
    uint32_t v = 0;
    int priv = cm3_priv(c);
    switch (sysm >> 3) {
    case 0:
        if (sysm & 1) v |= c->ipsr;
        if (!(sysm & 4)) v |= cm3_apsr(c) & 0xf8000000u;
        break;
    case 1:
        if (priv) v = (sysm & 7) == 0 ? (c->handler_mode || !(c->control & 2) ? c->r[13] : c->msp)
                    : (sysm & 7) == 1 ? ((!c->handler_mode && (c->control & 2)) ? c->r[13] : c->psp)
                    : 0;
        break;
    case 2:
        switch (sysm & 7) {
        case 0: v = priv ? c->primask : 0; break;
        case 1: case 2: v = priv ? c->basepri : 0; break;
        case 3: v = priv ? c->faultmask : 0; break;
        case 4: v = c->control; break;
        default: break;
        }
        break;
    default:
        break;
    }
    c->r[d->rd] = v;
}
TRANS(mrs32)
{
    d->rd = (raw >> 8) & 15;
    d->imm = raw & 0xff;
    if (BADREG(d->rd)) return 0;
    set_other(d, exec_MRS, CYC_SYS);
    d->kind = K_DP;
    d->wreg = d->rd;
    return 1;
}

static void exec_MSR(cm3_cpu *c, const cm3_insn *d)
{
    unsigned sysm = d->imm & 0xff, mask = d->imm >> 8;
    uint32_t v = c->r[d->rn];
    int priv = cm3_priv(c);
    switch (sysm >> 3) {
    case 0:
        if (!(sysm & 4) && (mask & 2))
            cm3_set_apsr(c, (v & 0xf8000000u) | (cm3_apsr(c) & 0x07ffffffu));
        break;
    case 1:
        if (!priv) break;
        if ((sysm & 7) == 0) {
            if (c->handler_mode || !(c->control & 2)) c->r[13] = v & ~3u;
            else c->msp = v & ~3u;
        } else if ((sysm & 7) == 1) {
            if (!c->handler_mode && (c->control & 2)) c->r[13] = v & ~3u;
            else c->psp = v & ~3u;
        }
        break;
    case 2:
        if (!priv) break;
        switch (sysm & 7) {
        case 0: c->primask = v & 1; break;
        case 1: c->basepri = v & prio_mask(c); break;
        case 2: {
            uint32_t nv = v & prio_mask(c);
            if (nv != 0 && (nv < c->basepri || c->basepri == 0)) c->basepri = nv;
            break;
        }
        case 3: if (cm3_exec_priority(c) > -1 || !(v & 1)) c->faultmask = v & 1; break;
        case 4: {
            uint32_t old = c->control;
            uint32_t nc = (old & ~1u) | (v & 1);
            if (!c->handler_mode) nc = (nc & ~2u) | (v & 2);
            if (!c->handler_mode && ((old ^ nc) & 2)) {
                /* Swap the banked stack pointers. */
                uint32_t cur = c->r[13];
                if (nc & 2) { c->msp = cur; c->r[13] = c->psp; }
                else { c->psp = cur; c->r[13] = c->msp; }
            }
            c->control = nc;
            break;
        }
        default: break;
        }
        break;
    default:
        break;
    }
    cm3_exc_changed(c);
}
TRANS(msr32)
{
    d->rn = (raw >> 16) & 15;
    if (BADREG(d->rn)) return 0;
    d->imm = (raw & 0xff) | (((raw >> 10) & 3) << 8);
    set_other(d, exec_MSR, CYC_SYS);
    return 1;
}

/* Translator identities: every handler here that may change the flow ends a block. */
const cm3_op_id cm3_ctl_ops[] = {
    { exec_B, OP_B }, { exec_Bcond, OP_BCOND }, { exec_BL, OP_BL }, { exec_CBZ, OP_CBZ },
    { exec_BX, OP_END }, { exec_BLX, OP_END }, { exec_SVC, OP_END }, { exec_BKPT, OP_END },
    { exec_UNDEF, OP_END }, { exec_NOCP, OP_END }, { exec_WFI, OP_END }, { exec_WFE, OP_END },
    { exec_IT, OP_IT }, { exec_NOP, OP_NOP },
    { NULL, 0 },
};
