/* Cortex-M3 load/store instructions: decoders (trans_*) and handlers (exec_*).
 * ARMv7-M ARM A5.2.4 (16-bit), A5.3.5-A5.3.10 (32-bit). Unaligned LDR/STR/LDRH/STRH are
 * split into byte accesses unless CCR.UNALIGN_TRP; the others fault UNALIGNED. */
#include "cm3_exec.h"

/* Access type in d->shtype: size log2 in bits [1:0], sign-extend in bit 2. */
enum { T_B = 0, T_H = 1, T_W = 2, T_SB = 4, T_SH = 5 };
/* d->ra for indexed forms: bit0 P (pre-index), bit1 writeback. */

/* Cycle model for a single load/store at address a (see ldst_rule, cm3_cycles.c). */
static inline void ldst_time(cm3_cpu *c, const cm3_insn *d, uint32_t a, unsigned mode)
{
    int pipe, adj = ldst_rule(c->prevkw, mode, d->rn, d->rm, &pipe);
    uint32_t region = a >> 29;
    if (pipe && region == c->dregion) adj -= LDST_PIPE_SAVES;
    if (UNLIKELY(c->any_contention) && (d->kind & K_MULTI)) adj += cm3_contention(c, a);
    c->dregion = region;
    c->cyc += (int64_t)adj;
}

static inline uint32_t ext_loaded(uint32_t v, unsigned type)
{
    if (type == T_SB) return (uint32_t)(int32_t)(int8_t)v;
    if (type == T_SH) return (uint32_t)(int32_t)(int16_t)v;
    return v;
}

static inline int read_priv(cm3_cpu *c, uint32_t a, unsigned len, uint32_t *v, int unpriv)
{
    if (unpriv && a >= 0xe0000000u)
        return cm3_mem_read_slow(c, a, len, v, 0);
    return cm3_read(c, a, len, v);
}
static inline int write_priv(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v, int unpriv)
{
    if (unpriv && a >= 0xe0000000u)
        return cm3_mem_write_slow(c, a, len, v, 0);
    return cm3_write(c, a, len, v);
}

/* Returns 0 on success; otherwise a fault has been taken and the insn must stop. */
static int ld_slow(cm3_cpu *c, uint32_t a, unsigned type, uint32_t *v, int unpriv);
static inline int ld(cm3_cpu *c, uint32_t a, unsigned type, uint32_t *v, int unpriv)
{
    unsigned len = 1u << (type & 3);
    if (LIKELY(!(a & (len - 1))) && !unpriv) {
        if (UNLIKELY(cm3_read(c, a, len, v))) {
            cm3_bus_fault_data(c, a);
            return 1;
        }
        *v = ext_loaded(*v, type);
        return 0;
    }
    return ld_slow(c, a, type, v, unpriv);
}

static __attribute__((noinline)) int ld_slow(cm3_cpu *c, uint32_t a, unsigned type,
                                             uint32_t *v, int unpriv)
{
    unsigned len = 1u << (type & 3);
    if (UNLIKELY(a & (len - 1))) {
        if (c->ccr & CCR_UNALIGN_TRP) {
            cm3_fault(c, EXC_USAGEFAULT, CFSR_UNALIGNED);
            return 1;
        }
        uint32_t r = 0, b;
        for (unsigned i = 0; i < len; i++) {
            if (read_priv(c, a + i, 1, &b, unpriv)) { cm3_bus_fault_data(c, a + i); return 1; }
            r |= b << (8 * i);
        }
        c->cyc += (len == 4 && (a & 1)) ? CY(CYC_UNALIGNED_B) : CY(CYC_UNALIGNED_H);
        *v = ext_loaded(r, type);
        return 0;
    }
    if (UNLIKELY(read_priv(c, a, len, v, unpriv))) {
        cm3_bus_fault_data(c, a);
        return 1;
    }
    *v = ext_loaded(*v, type);
    return 0;
}

static int st(cm3_cpu *c, uint32_t a, unsigned type, uint32_t v, int unpriv)
{
    unsigned len = 1u << (type & 3);
    if (UNLIKELY(a & (len - 1))) {
        if (c->ccr & CCR_UNALIGN_TRP) {
            cm3_fault(c, EXC_USAGEFAULT, CFSR_UNALIGNED);
            return 1;
        }
        for (unsigned i = 0; i < len; i++)
            if (write_priv(c, a + i, 1, (v >> (8 * i)) & 0xff, unpriv)) {
                cm3_bus_fault_data(c, a + i);
                return 1;
            }
        c->cyc += (len == 4 && (a & 1)) ? CY(CYC_UNALIGNED_B) : CY(CYC_UNALIGNED_H);
        return 0;
    }
    if (UNLIKELY(write_priv(c, a, len, v, unpriv))) {
        cm3_bus_fault_data(c, a);
        return 1;
    }
    return 0;
}

/* Aligned-only accesses (LDM/STM, LDRD/STRD, exclusives, TBB/TBH use ld()). */
static int ld_al(cm3_cpu *c, uint32_t a, unsigned len, uint32_t *v)
{
    if (UNLIKELY(a & (len - 1))) { cm3_fault(c, EXC_USAGEFAULT, CFSR_UNALIGNED); return 1; }
    if (UNLIKELY(cm3_read(c, a, len, v))) { cm3_bus_fault_data(c, a); return 1; }
    return 0;
}
static int st_al(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v)
{
    if (UNLIKELY(a & (len - 1))) { cm3_fault(c, EXC_USAGEFAULT, CFSR_UNALIGNED); return 1; }
    if (UNLIKELY(cm3_write(c, a, len, v))) { cm3_bus_fault_data(c, a); return 1; }
    return 0;
}

static inline void write_loaded(cm3_cpu *c, unsigned rt, uint32_t v)
{
    if (UNLIKELY(rt == 15)) {
        cm3_bx_write_pc(c, v);
        c->cyc += CY(CYC_P_LOAD);
    } else {
        c->r[rt] = v;
    }
}

/* ---- single loads/stores ---- */
static void exec_ldr_w_imm(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v, a = c->r[d->rn] + d->imm;
    ldst_time(c, d, a, LS_PIPE);
    if (LIKELY(!(a & 3)) && LIKELY(!cm3_read(c, a, 4, &v))) { c->r[d->rd] = v; return; }
    if (ld(c, a, T_W, &v, 0)) return;
    c->r[d->rd] = v;
}
static void exec_str_w_imm(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t a = c->r[d->rn] + d->imm;
    ldst_time(c, d, a, LS_STR_IMM);
    if (LIKELY(!(a & 3)) && LIKELY(!cm3_write(c, a, 4, c->r[d->rd]))) return;
    st(c, a, T_W, c->r[d->rd], 0);
}
static void exec_ld_imm(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v, a = c->r[d->rn] + d->imm;
    ldst_time(c, d, a, LS_PIPE);
    if (ld(c, a, d->shtype, &v, 0)) return;
    write_loaded(c, d->rd, v);
}
static void exec_st_imm(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t a = c->r[d->rn] + d->imm;
    ldst_time(c, d, a, LS_STR_IMM);
    st(c, a, d->shtype, c->r[d->rd], 0);
}
static void exec_ld_reg(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v, a = c->r[d->rn] + (c->r[d->rm] << d->shamt);
    ldst_time(c, d, a, LS_PIPE);
    if (ld(c, a, d->shtype, &v, 0)) return;
    write_loaded(c, d->rd, v);
}
static void exec_st_reg(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t a = c->r[d->rn] + (c->r[d->rm] << d->shamt);
    ldst_time(c, d, a, LS_PIPE);
    st(c, a, d->shtype, c->r[d->rd], 0);
}
static void exec_ld_lit(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v, a = (c->r[15] & ~3u) + d->imm;
    ldst_time(c, d, a, LS_PIPE);
    if (ld(c, a, d->shtype, &v, 0)) return;
    write_loaded(c, d->rd, v);
}
static void exec_ld_T(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v, a = c->r[d->rn] + d->imm;
    ldst_time(c, d, a, LS_PIPE);
    if (ld(c, a, d->shtype, &v, !c->handler_mode)) return;
    c->r[d->rd] = v;
}
static void exec_st_T(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t a = c->r[d->rn] + d->imm;
    ldst_time(c, d, a, LS_STR_IMM);
    st(c, a, d->shtype, c->r[d->rd], !c->handler_mode);
}
/* Pre/post-indexed with writeback. */
static void exec_ld_idx(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v, base = c->r[d->rn], off = base + d->imm, a = (d->ra & 1) ? off : base;
    ldst_time(c, d, a, LS_WB);
    if (ld(c, a, d->shtype, &v, 0)) return;
    c->r[d->rn] = off;
    write_loaded(c, d->rd, v);
}
static void exec_st_idx(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t base = c->r[d->rn], off = base + d->imm, a = (d->ra & 1) ? off : base;
    ldst_time(c, d, a, LS_WB);
    if (st(c, a, d->shtype, c->r[d->rd], 0)) return;
    c->r[d->rn] = off;
}
static void exec_hint_nop(cm3_cpu *c, const cm3_insn *d) { (void)c; (void)d; }

static void set_ldst(cm3_insn *d, unsigned rt, unsigned rn, unsigned type, cm3_exec_fn fn,
                     int load)
{
    d->exec = fn;
    d->rd = (uint8_t)rt;
    d->rn = (uint8_t)rn;
    d->shtype = (uint8_t)type;
    d->kind = load ? K_LD | K_MULTI : K_ST;
    d->wreg = load ? (uint8_t)rt : 0xff;
    /* rule 2: a store with an immediate offset is one cycle */
    d->cycles = !load && (fn == exec_str_w_imm || fn == exec_st_imm || fn == exec_st_T)
                    ? CY(CYC_STR_IMM) : CY(CYC_LDST);
}

/* ---- 16-bit ---- */
TRANS(ldr_lit16)
{
    d->imm = (raw & 0xff) << 2;
    d->rm = NOREG;
    set_ldst(d, (raw >> 8) & 7, 15, T_W, exec_ld_lit, 1);
    return 1;
}

TRANS(ldst_reg16)
{
    static const uint8_t ty[8] = { T_W, T_H, T_B, T_SB, T_W, T_H, T_B, T_SH };
    unsigned op = (raw >> 9) & 7;
    d->rm = (raw >> 6) & 7;
    d->shamt = 0;
    set_ldst(d, raw & 7, (raw >> 3) & 7, ty[op], op >= 3 ? exec_ld_reg : exec_st_reg, op >= 3);
    d->rm = (raw >> 6) & 7;
    return 1;
}

/* STR/LDR{B,H} Rt, [Rn, #imm5] */
TRANS(ldst_imm16)
{
    unsigned top = raw >> 11, imm5 = (raw >> 6) & 31, type, load = top & 1;
    switch (top & 0x1e) {
    case 0x0c: type = T_W; d->imm = imm5 << 2; break;
    case 0x0e: type = T_B; d->imm = imm5; break;
    default: type = T_H; d->imm = imm5 << 1; break;
    }
    d->rm = NOREG;
    cm3_exec_fn fn = load ? (type == T_W ? exec_ldr_w_imm : exec_ld_imm)
                          : (type == T_W ? exec_str_w_imm : exec_st_imm);
    set_ldst(d, raw & 7, (raw >> 3) & 7, type, fn, load);
    return 1;
}

TRANS(ldst_sp16)
{
    int load = (raw >> 11) & 1;
    d->imm = (raw & 0xff) << 2;
    d->rm = NOREG;
    set_ldst(d, (raw >> 8) & 7, 13, T_W, load ? exec_ldr_w_imm : exec_str_w_imm, load);
    return 1;
}

/* ---- 32-bit single ---- */
TRANS(ldst32)
{
    unsigned s = (raw >> 24) & 1, a12 = (raw >> 23) & 1, size = (raw >> 21) & 3;
    unsigned load = (raw >> 20) & 1, rn = (raw >> 16) & 15, rt = (raw >> 12) & 15;
    unsigned type = size | (s << 2);
    if (size == 3 || (s && !load) || (s && size == 2)) return 0;
    d->rm = NOREG;
    if (rn == 15) {
        if (!load) return 0;
        d->imm = a12 ? (raw & 0xfff) : 0u - (raw & 0xfff);
        if (rt == 15 && size != 2) { set_other(d, exec_hint_nop, CYC_NOP); return 1; }
        set_ldst(d, rt, 15, type, exec_ld_lit, 1);
        return 1;
    }
    if (rt == 15 && load && size != 2) {
        /* PLD/PLI and unallocated memory hints: no access. */
        set_other(d, exec_hint_nop, CYC_NOP);
        return 1;
    }
    if (!load && rt == 15) return 0;
    if (a12) {
        d->imm = raw & 0xfff;
        cm3_exec_fn fn = load ? (type == T_W && rt != 15 ? exec_ldr_w_imm : exec_ld_imm)
                              : (type == T_W ? exec_str_w_imm : exec_st_imm);
        set_ldst(d, rt, rn, type, fn, load);
        return 1;
    }
    if (raw & 0x800) {
        unsigned p = (raw >> 10) & 1, u = (raw >> 9) & 1, w = (raw >> 8) & 1;
        uint32_t imm8 = raw & 0xff;
        d->imm = u ? imm8 : 0u - imm8;
        if (p && u && !w) {
            if (rt == 15) return 0;
            set_ldst(d, rt, rn, type, load ? exec_ld_T : exec_st_T, load);
            return 1;
        }
        if (!p && !w) return 0;
        if (!w) {
            set_ldst(d, rt, rn, type, load ? exec_ld_imm : exec_st_imm, load);
            return 1;
        }
        if (rn == rt) return 0;
        d->ra = (uint8_t)p;
        set_ldst(d, rt, rn, type, load ? exec_ld_idx : exec_st_idx, load);
        d->kind = K_LDST_WB | (load ? K_MULTI : 0);
        d->wreg = (uint8_t)rn;
        return 1;
    }
    if ((raw & 0xfc0) != 0) return 0;
    if (BADREG(raw & 15)) return 0;
    d->rm = raw & 15;
    d->shamt = (raw >> 4) & 3;
    set_ldst(d, rt, rn, type, load ? exec_ld_reg : exec_st_reg, load);
    d->rm = raw & 15;
    return 1;
}

/* ---- multiple ---- */
/* d->imm = register list, d->ra: bit0 decrement-before, bit1 writeback. */
static void exec_LDM(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t list = d->imm, n = (uint32_t)__builtin_popcount(list);
    uint32_t base = c->r[d->rn], a = (d->ra & 1) ? base - 4 * n : base;
    uint32_t vals[16];
    c->cyc += n;
    for (unsigned i = 0, k = 0; i < 16; i++) {
        if (!(list & (1u << i))) continue;
        if (ld_al(c, a + 4 * k, 4, &vals[i])) return;
        k++;
    }
    if (d->ra & 2)
        c->r[d->rn] = (d->ra & 1) ? base - 4 * n : base + 4 * n;
    for (unsigned i = 0; i < 15; i++)
        if (list & (1u << i)) c->r[i] = vals[i];
    if (list & 0x8000) {
        cm3_bx_write_pc(c, vals[15]);
        c->cyc += CY(CYC_P_LOAD);
    }
}
static void exec_STM(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t list = d->imm, n = (uint32_t)__builtin_popcount(list);
    uint32_t base = c->r[d->rn], a = (d->ra & 1) ? base - 4 * n : base;
    c->cyc += n;
    for (unsigned i = 0, k = 0; i < 16; i++) {
        if (!(list & (1u << i))) continue;
        if (st_al(c, a + 4 * k, 4, c->r[i])) return;
        k++;
    }
    if (d->ra & 2)
        c->r[d->rn] = (d->ra & 1) ? base - 4 * n : base + 4 * n;
}

static int set_ldm(cm3_insn *d, unsigned rn, uint32_t list, int db, int wb, int load)
{
    if (list == 0) return 0;
    d->rn = (uint8_t)rn;
    d->imm = list;
    d->ra = (uint8_t)((db ? 1 : 0) | (wb ? 2 : 0));
    set_other(d, load ? exec_LDM : exec_STM, CYC_LDM_BASE);
    if (load) d->kind |= K_MULTI;
    return 1;
}

TRANS(push16)
{
    return set_ldm(d, 13, (raw & 0xff) | ((raw & 0x100) << 6), 1, 1, 0);
}
TRANS(pop16)
{
    return set_ldm(d, 13, (raw & 0xff) | ((raw & 0x100) << 7), 0, 1, 1);
}
TRANS(ldstm16)
{
    unsigned rn = (raw >> 8) & 7, load = (raw >> 11) & 1;
    uint32_t list = raw & 0xff;
    return set_ldm(d, rn, list, 0, load ? !(list & (1u << rn)) : 1, load);
}
TRANS(ldstm32)
{
    unsigned db = (raw >> 24) & 1, wb = (raw >> 21) & 1, load = (raw >> 20) & 1;
    unsigned rn = (raw >> 16) & 15;
    uint32_t list = raw & 0xffff;
    if (rn == 15 || (list & 0x2000)) return 0;
    if (!load && (list & 0x8000)) return 0;
    if (load && (list & 0xc000) == 0xc000) return 0;
    if (wb && (list & (1u << rn))) return 0;
    if (__builtin_popcount(list) < 2) return 0;
    return set_ldm(d, rn, list, db, wb, load);
}

/* ---- dual ---- rd = Rt, ra = Rt2, imm signed offset, shamt: bit0 P, bit1 W */
static void exec_LDRD(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t base = d->rn == 15 ? (c->r[15] & ~3u) : c->r[d->rn], off = base + d->imm;
    uint32_t a = (d->shamt & 1) ? off : base, v1, v2;
    if (ld_al(c, a, 4, &v1) || ld_al(c, a + 4, 4, &v2)) return;
    if (d->shamt & 2) c->r[d->rn] = off;
    c->r[d->rd] = v1;
    c->r[d->ra] = v2;
}
static void exec_STRD(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t base = c->r[d->rn], off = base + d->imm;
    uint32_t a = (d->shamt & 1) ? off : base;
    if (st_al(c, a, 4, c->r[d->rd]) || st_al(c, a + 4, 4, c->r[d->ra])) return;
    if (d->shamt & 2) c->r[d->rn] = off;
}
TRANS(ldrd32)
{
    unsigned p = (raw >> 24) & 1, u = (raw >> 23) & 1, w = (raw >> 21) & 1, load = (raw >> 20) & 1;
    unsigned rn = (raw >> 16) & 15, rt = (raw >> 12) & 15, rt2 = (raw >> 8) & 15;
    if (!p && !w) return 0;
    if (BADREG(rt) || BADREG(rt2)) return 0;
    if (load && rt == rt2) return 0;
    if (w && (rn == rt || rn == rt2 || rn == 15)) return 0;
    if (!load && rn == 15) return 0;
    d->rn = (uint8_t)rn; d->rd = (uint8_t)rt; d->ra = (uint8_t)rt2;
    d->imm = u ? (raw & 0xff) << 2 : 0u - ((raw & 0xff) << 2);
    d->shamt = (uint8_t)(p | (w << 1));
    set_other(d, load ? exec_LDRD : exec_STRD, CYC_LDRD);
    if (load) d->kind |= K_MULTI;
    return 1;
}

/* ---- exclusives ---- */
static void exec_LDREX(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v, a = c->r[d->rn] + d->imm;
    if (ld_al(c, a, 1u << d->shtype, &v)) return;
    c->r[d->rd] = v;
    c->exclusive = 1;
    c->excl_addr = a;
}
static void exec_STREX(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t a = c->r[d->rn] + d->imm;
    unsigned len = 1u << d->shtype;
    if (a & (len - 1)) { cm3_fault(c, EXC_USAGEFAULT, CFSR_UNALIGNED); return; }
    if (c->exclusive && c->excl_addr == a) {
        if (st_al(c, a, len, c->r[d->rd])) return;
        c->r[d->ra] = 0;
    } else {
        c->r[d->ra] = 1;
    }
    c->exclusive = 0;
}
TRANS(ldrex32)
{
    d->rn = (raw >> 16) & 15; d->rd = (raw >> 12) & 15;
    if (BADREG(d->rd) || d->rn == 15) return 0;
    d->imm = (raw & 0xff) << 2; d->shtype = 2;
    set_other(d, exec_LDREX, CYC_EXCL);
    d->kind |= K_MULTI;
    return 1;
}
TRANS(strex32)
{
    d->rn = (raw >> 16) & 15; d->rd = (raw >> 12) & 15; d->ra = (raw >> 8) & 15;
    if (BADREG(d->rd) || BADREG(d->ra) || d->rn == 15 || d->ra == d->rn || d->ra == d->rd) return 0;
    d->imm = (raw & 0xff) << 2; d->shtype = 2;
    set_other(d, exec_STREX, CYC_EXCL);
    return 1;
}
TRANS(ldrexbh32)
{
    d->rn = (raw >> 16) & 15; d->rd = (raw >> 12) & 15;
    if (BADREG(d->rd) || d->rn == 15) return 0;
    d->imm = 0; d->shtype = (raw >> 4) & 1;
    set_other(d, exec_LDREX, CYC_EXCL);
    d->kind |= K_MULTI;
    return 1;
}
TRANS(strexbh32)
{
    d->rn = (raw >> 16) & 15; d->rd = (raw >> 12) & 15; d->ra = raw & 15;
    if (BADREG(d->rd) || BADREG(d->ra) || d->rn == 15 || d->ra == d->rn || d->ra == d->rd) return 0;
    d->imm = 0; d->shtype = (raw >> 4) & 1;
    set_other(d, exec_STREX, CYC_EXCL);
    return 1;
}

/* ---- table branch ---- */
static void exec_TB(cm3_cpu *c, const cm3_insn *d)
{
    uint32_t v, h = d->shtype;
    uint32_t a = c->r[d->rn] + (h ? c->r[d->rm] << 1 : c->r[d->rm]);
    if (ld(c, a, h ? T_H : T_B, &v, 0)) return;
    cm3_branch(c, c->r[15] + 2 * v);
    c->cyc += CY(CYC_P_LOAD);
}
TRANS(tb32)
{
    d->rn = (raw >> 16) & 15; d->rm = raw & 15; d->shtype = (raw >> 4) & 1;
    if (BADREG(d->rm)) return 0;
    set_other(d, exec_TB, CYC_TB);
    return 1;
}

/* Translator identities. Loads that may write the PC are sorted out by the translator
 * (rd == 15); exec_LDM ends a block only when its list holds the PC. */
const cm3_op_id cm3_mem_ops[] = {
    { exec_ldr_w_imm, OP_LDR_W_IMM }, { exec_str_w_imm, OP_STR_W_IMM },
    { exec_ld_imm, OP_LD_IMM }, { exec_st_imm, OP_ST_IMM }, { exec_ld_reg, OP_LD_REG },
    { exec_st_reg, OP_ST_REG }, { exec_ld_lit, OP_LD_LIT }, { exec_ld_idx, OP_LD_IDX },
    { exec_st_idx, OP_ST_IDX }, { exec_LDM, OP_LDM }, { exec_hint_nop, OP_NOP },
    { exec_ld_T, OP_HELPER }, { exec_TB, OP_END },
    { NULL, 0 },
};
