/*
 * Cortex-M3 block translator: the ISS's fast path (docs/models/cortex-m3.md, "Fast path").
 *
 * A block is up to BLK_MAX_OPS instructions from a DMI window, ending at the first one
 * that may change the flow. It is translated once into x86-64 code: common encodings
 * (data processing, single loads/stores through DMI, branches, IT with data processing)
 * inline, everything else as a call of the instruction's exec handler exactly as the
 * per-instruction loop would run it (jit_call). Timing is the per-instruction loop's,
 * computed at translation where it is static:
 *  - cycles: each instruction's base cost plus the load/store pipelining adjustment with
 *    the previous instruction of the block (the first one's is computed at entry from
 *    prevkw), plus the taken-branch refill; inline memory accesses go fast only without
 *    wait states, otherwise the handler runs;
 *  - stop_at / insn limit: a block is entered (from cm3_jit_run or chained from another
 *    block) only if it cannot reach stop_at before its first handler call (maxcyc) and
 *    fits in the instruction budget; after every handler call the
 *    block checks again (stop_at = 0 is how events, faults and code writes say "leave")
 *    and leaves at that instruction boundary. Near stop_at the per-insn loop runs.
 * Exceptions and faults only happen in handler calls, which see the same c->pc, r[15],
 * npc, prevkw and cyc as in the per-insn loop. Code writes invalidate blocks (codemap).
 * x86-64 System V hosts only; elsewhere cm3_jit_create() returns NULL (interpreter).
 */
#define _DEFAULT_SOURCE 1   /* MAP_ANONYMOUS */
#include "cm3_exec.h"
#include <stddef.h>
#include <stdlib.h>

#if defined(__x86_64__) && !defined(_WIN32) && !defined(RPVP_CM3_NO_JIT)
#include "cm3_x86.h"
#include <sys/mman.h>

#define BLK_BITS 16               /* 64 Ki blocks: start PCs 128 KiB apart collide */
#define BLK_MASK ((1u << BLK_BITS) - 1)
#define BLK_MAX_OPS 32
#define CODE_SIZE (8u << 20)
#define CODE_SLACK (64u << 10)   /* room needed to translate one block */
#define OPS_MAX (1u << 17)

typedef struct jit_op {
    cm3_insn d;
    uint32_t prevkw;   /* kind | wreg << 8 of the previous instruction in the block */
} jit_op;

/* A translated block: runs it and the blocks it chains to, at most `budget` insns;
 * returns the number of instructions retired. */
typedef uint64_t (*blk_fn)(cm3_cpu *c, uint64_t budget);

/* 32-bit fields first: translated code reads pc, ninsn, maxcyc and body of the blocks it
 * chains to. */
typedef struct cm3_block {
    uint32_t pc, end;    /* [pc, end); pc == 1: empty */
    uint32_t maxcyc;     /* bound on the cycles up to its first handler call */
    uint32_t ninsn;
    blk_fn code;         /* entry from C */
    const uint8_t *body; /* entry from another block (registers already set up) */
} cm3_block;

struct cm3_jit {
    cm3_block blk[1u << BLK_BITS];
    uint8_t *code;
    size_t code_used;
    jit_op *ops;
    size_t ops_used;
    uint32_t lo, hi;     /* all blocks since the last reset lie in [lo, hi) */
};

#define OFF(f) ((int32_t)offsetof(cm3_cpu, f))
#define R(n) (OFF(r) + 4 * (int32_t)(n))
#define DMI(w, f) (OFF(dmi) + (int32_t)((w) * sizeof(cm3_dmi_ent) + offsetof(cm3_dmi_ent, f)))

/* ------------------------------------------------------------------ handler calls */

/* What the per-insn loop does around exec (the refill extra is added at block entry). */
static inline void call_setup(cm3_cpu *c, const cm3_insn *d)
{
    c->pc = d->addr;
    c->r[15] = d->addr + 4;
    c->npc = d->addr + d->len;
    c->cyc += d->cycles;
    c->branched = 0;
}
static void jit_call(cm3_cpu *c, const cm3_insn *d) { call_setup(c, d); d->exec(c, d); }
static void jit_call_it(cm3_cpu *c, const cm3_insn *d) { call_setup(c, d); cm3_it_exec(c, d); }

/* ------------------------------------------------------------------ classification */

static int is_ldst(unsigned op)
{
    return op >= OP_LDR_W_IMM && op <= OP_ST_IDX;
}
static int is_load(unsigned op)
{
    return op == OP_LDR_W_IMM || op == OP_LD_IMM || op == OP_LD_REG || op == OP_LD_LIT ||
           op == OP_LD_IDX;
}
/* The timing mode (cm3_exec.h ldst_rule) the handler of op uses. */
static unsigned ldst_mode(unsigned op)
{
    if (op == OP_LD_IDX || op == OP_ST_IDX) return LS_WB;
    if (op == OP_STR_W_IMM || op == OP_ST_IMM) return LS_STR_IMM;
    return LS_PIPE;
}

/* Inline data processing (no memory, no flow change, no fault). */
static int simple_dp(const cm3_insn *d)
{
    unsigned op = d->op;
    if (op >= OP_DP) {
        unsigned fam = (op - OP_DP) >> 2, form = (op - OP_DP) & 3;
        if (fam == DPF_ADC || fam == DPF_SBC) return 0;
        if (form == DPFORM_R && d->shtype > 3) return 0;   /* RRX reads C */
        return 1;
    }
    return (op >= OP_MOV_REG && op <= OP_UXTB) || op == OP_NOP;
}

/* What the translator does with an instruction. */
enum { T_HELPER, T_END_HELPER, T_INLINE, T_BRANCH };
/* count_direct: loads and stores go through the handler, which counts DMI accesses
 * (cm3_count_direct); the handler's timing is the inline path's, so only speed changes. */
static int treat(const cm3_cpu *c, const cm3_insn *d)
{
    unsigned op = d->op;
    if (simple_dp(d) || op == OP_IT) return T_INLINE;
    if (is_ldst(op))
        return (is_load(op) && d->rd == 15) ? T_END_HELPER : c->count_direct ? T_HELPER : T_INLINE;
    if (op == OP_B || op == OP_BCOND || op == OP_BL || op == OP_CBZ) return T_BRANCH;
    if (op == OP_END) return T_END_HELPER;
    if (op == OP_LDM) return (d->imm & 0x8000u) ? T_END_HELPER : T_HELPER;
    return T_HELPER;
}

/* ------------------------------------------------------------------ code emission */

typedef struct emit {
    jbuf j;
    const uint8_t *epi;   /* shared exit: restores registers, returns rax */
    int32_t pend;         /* cycles not yet added to r13 */
    cm3_jit *jt;
} emit;

/* Registers in translated code: rbx = the cpu, r13 = cycles (c->cyc is written before
 * every handler call and exit), r12 = op 0's load/store adjustment, r14 = instructions
 * retired by the chain so far, r15 = the chain's instruction budget. */

static void test_mi(jbuf *j, int32_t off, uint32_t v) { e1(j, 0xf7); mrm(j, 0, off); e4(j, v); }

/* rule 1: a data-processing result stored to SP has bits [1:0] cleared */
static void st_rd(emit *e, const cm3_insn *d, unsigned r)
{
    if (d->rd == 13) alu_ri(&e->j, ALU_AND, r, ~3u);
    st32(&e->j, R(d->rd), r);
}

/* Cycles the instruction saves after prevkw, known at translation (i > 0) or tested in
 * c->prevkw at block entry (first op): IT folding (rule 3), MLA/MLS after a long multiply
 * (rule 6). */
static int saved_after(const cm3_insn *d, uint32_t prevkw)
{
    if (d->op == OP_IT) return (prevkw & K_FOLD) ? CY(CYC_IT_FOLD) : 0;
    if (d->op == OP_MLA || d->op == OP_MLS)
        return (prevkw & K_CLASS) == K_LMUL ? CY(CYC_LMUL_MLA) : 0;
    return 0;
}
static void emit_saved_first(emit *e, const cm3_insn *d)
{
    jbuf *j = &e->j;
    uint8_t *no;
    if (d->op == OP_IT) {
        test_mi(j, OFF(prevkw), K_FOLD);
        no = jcc(j, CC_E);
        add_r13_i(j, -(int32_t)CY(CYC_IT_FOLD));
    } else if (d->op == OP_MLA || d->op == OP_MLS) {
        ld32(j, EAX, OFF(prevkw));
        alu_ri(j, ALU_AND, EAX, K_CLASS);
        alu_ri(j, ALU_CMP, EAX, K_LMUL);
        no = jcc(j, CC_NE);
        add_r13_i(j, -(int32_t)CY(CYC_LMUL_MLA));
    } else {
        return;
    }
    patch(j, no, j->p);
}

/* Leave the chain: rax = r14 + count. */
static void leave(emit *e, unsigned count)
{
    jbuf *j = &e->j;
    e1(j, 0x49); e1(j, 0x81); e1(j, 0xc6); e4(j, count);   /* add r14, count */
    e1(j, 0x4c); e1(j, 0x89); e1(j, 0xf0);                  /* mov rax, r14 */
    jmp_to(j, e->epi);
}

static void commit(emit *e)
{
    if (e->pend) add_r13_i(&e->j, e->pend);
    e->pend = 0;
}

/* Load guest register n (r15 reads as this instruction's address + 4). */
static void ldr(emit *e, unsigned hreg, unsigned n, const cm3_insn *d)
{
    if (n == 15) movi(&e->j, hreg, d->addr + 4);
    else ld32(&e->j, hreg, R(n));
}

/* Leave with a static next pc. If the block for that pc exists, fits in the budget and
 * cannot reach stop_at (the checks cm3_jit_run makes), go on in it directly. */
/* branched: the value of c->branched, or -1: cm3_branch_kind() of c->prevkw (rule 5). */
static void exit_static(emit *e, uint32_t pc, int branched, uint32_t kw, unsigned count)
{
    jbuf *j = &e->j;
    const cm3_block *nb = &e->jt->blk[(pc >> 1) & BLK_MASK];
    commit(e);
    st_r13(j, OFF(cyc));
    st32i(j, OFF(pc), pc);
    if (branched < 0) {
        ld32(j, EAX, OFF(prevkw));
        sh_ri(j, SH_SHR, EAX, 4);   /* K_MULTI = 0x10 */
        alu_ri(j, ALU_AND, EAX, 1);
        alu_ri(j, ALU_ADD, EAX, 1);
        st32(j, OFF(branched), EAX);
    } else {
        st32i(j, OFF(branched), (uint32_t)branched);
    }
    st32i(j, OFF(prevkw), kw);
    e1(j, 0x49); e1(j, 0x81); e1(j, 0xc6); e4(j, count);   /* add r14, count */
    e1(j, 0x48); e1(j, 0xb8); e8(j, (uint64_t)(uintptr_t)nb); /* mov rax, nb */
    e1(j, 0x81); e1(j, 0x78); e1(j, (uint8_t)offsetof(cm3_block, pc)); e4(j, pc);
    uint8_t *f1 = jcc(j, CC_NE);                             /* cmp [rax].pc, pc */
    e1(j, 0x8b); e1(j, 0x48); e1(j, (uint8_t)offsetof(cm3_block, ninsn));
    e1(j, 0x49); e1(j, 0x8d); e1(j, 0x14); e1(j, 0x0e);      /* lea rdx, [r14 + rcx] */
    e1(j, 0x4c); e1(j, 0x39); e1(j, 0xfa);                  /* cmp rdx, r15 */
    uint8_t *f2 = jcc(j, CC_A);
    e1(j, 0x8b); e1(j, 0x48); e1(j, (uint8_t)offsetof(cm3_block, maxcyc));
    e1(j, 0x49); e1(j, 0x8d); e1(j, 0x54); e1(j, 0x0d); e1(j, 0x00);   /* lea rdx, [r13+rcx] */
    cmp64_rm(j, EDX, OFF(stop_at));
    uint8_t *f3 = jcc(j, CC_AE);
    e1(j, 0xff); e1(j, 0x60); e1(j, (uint8_t)offsetof(cm3_block, body));   /* jmp [rax].body */
    patch(j, f1, j->p);
    patch(j, f2, j->p);
    patch(j, f3, j->p);
    e1(j, 0x4c); e1(j, 0x89); e1(j, 0xf0);                  /* mov rax, r14 */
    jmp_to(j, e->epi);
}

/* After a handler: leave at pc = npc (cyc is in memory). */
static void exit_dyn(emit *e, uint32_t kw, unsigned count)
{
    jbuf *j = &e->j;
    ld32(j, EAX, OFF(npc));
    st32(j, OFF(pc), EAX);
    st32i(j, OFF(prevkw), kw);
    leave(e, count);
}

/* Call the handler of op i (pending cycles committed first); then either leave (end) or
 * go on only if the flow did not change and stop_at is still out of reach. */
static void emit_call(emit *e, const jit_op *o, int first, int in_it, int end, uint32_t rem,
                      unsigned count)
{
    jbuf *j = &e->j;
    uint32_t kw = o->d.kind | ((uint32_t)o->d.wreg << 8);
    commit(e);
    st_r13(j, OFF(cyc));
    if (!first) st32i(j, OFF(prevkw), o->prevkw);
    mov_rdi_rbx(j);
    mov_rsi_i64(j, (uint64_t)(uintptr_t)&o->d);
    call_i64(j, (uint64_t)(uintptr_t)(in_it ? jit_call_it : jit_call));
    ld_r13(j, OFF(cyc));
    if (end) { exit_dyn(e, kw, count); return; }
    ld32(j, EAX, OFF(npc));
    alu_ri(j, ALU_CMP, EAX, o->d.addr + o->d.len);
    uint8_t *j1 = jcc(j, CC_NE);
    lea_rax_r13(j, (int32_t)rem);
    cmp64_rm(j, EAX, OFF(stop_at));
    uint8_t *j2 = jcc(j, CC_AE);
    uint8_t *j3 = jmp(j);
    patch(j, j1, j->p);
    patch(j, j2, j->p);
    exit_dyn(e, kw, count);
    patch(j, j3, j->p);
}

/* Jumps taken when ARM condition `cond` fails; up to 2 sites returned in f[]. */
static int cond_false(emit *e, unsigned cond, uint8_t **f)
{
    jbuf *j = &e->j;
    uint8_t *t;
    int n = 0;
    switch (cond) {
    case 0: cmp_mi(j, OFF(zf), 0); f[n++] = jcc(j, CC_NE); break;   /* EQ: zf == 0 */
    case 1: cmp_mi(j, OFF(zf), 0); f[n++] = jcc(j, CC_E); break;
    case 2: cmp_mi(j, OFF(cf), 0); f[n++] = jcc(j, CC_E); break;    /* CS */
    case 3: cmp_mi(j, OFF(cf), 0); f[n++] = jcc(j, CC_NE); break;
    case 4: cmp_mi(j, OFF(nf), 0); f[n++] = jcc(j, CC_GE); break;   /* MI */
    case 5: cmp_mi(j, OFF(nf), 0); f[n++] = jcc(j, CC_L); break;
    case 6: cmp_mi(j, OFF(vf), 0); f[n++] = jcc(j, CC_GE); break;   /* VS */
    case 7: cmp_mi(j, OFF(vf), 0); f[n++] = jcc(j, CC_L); break;
    case 8:                                                           /* HI: C && !Z */
        cmp_mi(j, OFF(cf), 0); f[n++] = jcc(j, CC_E);
        cmp_mi(j, OFF(zf), 0); f[n++] = jcc(j, CC_E);
        break;
    case 9:                                                           /* LS: !C || Z */
        cmp_mi(j, OFF(cf), 0); t = jcc(j, CC_E);
        cmp_mi(j, OFF(zf), 0); f[n++] = jcc(j, CC_NE);
        patch(j, t, j->p);
        break;
    case 10: case 11:                                                 /* GE / LT */
        ld32(j, EAX, OFF(nf)); alu_rm(j, ALU_XOR, EAX, OFF(vf));
        f[n++] = jcc(j, cond == 10 ? CC_S : CC_NS);
        break;
    case 12:                                                          /* GT: !Z && N == V */
        cmp_mi(j, OFF(zf), 0); f[n++] = jcc(j, CC_E);
        ld32(j, EAX, OFF(nf)); alu_rm(j, ALU_XOR, EAX, OFF(vf));
        f[n++] = jcc(j, CC_S);
        break;
    case 13:                                                          /* LE: Z || N != V */
        cmp_mi(j, OFF(zf), 0); t = jcc(j, CC_E);
        ld32(j, EAX, OFF(nf)); alu_rm(j, ALU_XOR, EAX, OFF(vf));
        f[n++] = jcc(j, CC_NS);
        patch(j, t, j->p);
        break;
    default: break;                                                   /* AL */
    }
    return n;
}

/* Constant shift of ecx (Shift_C with 1 <= n <= 32, type 0..3); carry into dl. */
static void shift_ecx(emit *e, unsigned type, unsigned n, int carry)
{
    jbuf *j = &e->j;
    switch (type) {
    case 0:
        if (carry) { bt_ri(j, ECX, 32 - n); setcc(j, CC_B, EDX); }
        if (n < 32) sh_ri(j, SH_SHL, ECX, n); else alu_rr(j, ALU_XOR, ECX, ECX);
        break;
    case 1:
        if (carry) { bt_ri(j, ECX, n - 1); setcc(j, CC_B, EDX); }
        if (n < 32) sh_ri(j, SH_SHR, ECX, n); else alu_rr(j, ALU_XOR, ECX, ECX);
        break;
    case 2:
        if (carry) { bt_ri(j, ECX, n < 32 ? n - 1 : 31); setcc(j, CC_B, EDX); }
        sh_ri(j, SH_SAR, ECX, n < 32 ? n : 31);
        break;
    default:
        sh_ri(j, SH_ROR, ECX, n & 31);
        if (carry) { bt_ri(j, ECX, 31); setcc(j, CC_B, EDX); }
        break;
    }
}

static void set_nz(emit *e, unsigned r)
{
    st32(&e->j, OFF(nf), r);
    st32(&e->j, OFF(zf), r);
}

/* Data-processing family op (AND..CMN, forms i / r / r0). */
static void emit_dpf(emit *e, const cm3_insn *d, int setf)
{
    jbuf *j = &e->j;
    unsigned fam = (d->op - OP_DP) >> 2, form = (d->op - OP_DP) & 3;
    int logic = fam <= DPF_TEQ;
    int shc = logic && setf && form == DPFORM_R;
    if (form == DPFORM_I) movi(j, ECX, d->imm);
    else {
        ldr(e, ECX, d->rm, d);
        if (form == DPFORM_R) shift_ecx(e, d->shtype, d->shamt, shc);
    }
    if (fam != DPF_MOV && fam != DPF_MVN) ldr(e, EAX, d->rn, d);
    int ccc = -1;   /* x86 cc giving ARM C for arithmetic */
    switch (fam) {
    case DPF_AND: case DPF_TST: alu_rr(j, ALU_AND, EAX, ECX); break;
    case DPF_ORR: alu_rr(j, ALU_OR, EAX, ECX); break;
    case DPF_ORN: not_r(j, ECX); alu_rr(j, ALU_OR, EAX, ECX); break;
    case DPF_EOR: case DPF_TEQ: alu_rr(j, ALU_XOR, EAX, ECX); break;
    case DPF_BIC: not_r(j, ECX); alu_rr(j, ALU_AND, EAX, ECX); break;
    case DPF_MOV: movrr(j, EAX, ECX); break;
    case DPF_MVN: not_r(j, ECX); movrr(j, EAX, ECX); break;
    case DPF_ADD: case DPF_CMN: alu_rr(j, ALU_ADD, EAX, ECX); ccc = CC_B; break;
    case DPF_SUB: case DPF_CMP: alu_rr(j, ALU_SUB, EAX, ECX); ccc = CC_AE; break;
    case DPF_RSB: alu_rr(j, ALU_SUB, ECX, EAX); movrr(j, EAX, ECX); ccc = CC_AE; break;
    default: break;
    }
    if (setf && ccc >= 0) { setcc(j, ccc, EDX); setcc(j, CC_O, ECX); }
    if (fam != DPF_TST && fam != DPF_TEQ && fam != DPF_CMP && fam != DPF_CMN)
        st_rd(e, d, EAX);
    if (!setf) return;
    set_nz(e, EAX);
    if (ccc >= 0) {
        movx_rr(j, 0xb6, EDX, EDX);
        st32(j, OFF(cf), EDX);
        movx_rr(j, 0xb6, ECX, ECX);
        sh_ri(j, SH_SHL, ECX, 31);
        st32(j, OFF(vf), ECX);
    } else if (form == DPFORM_I && d->shtype != 0xff) {
        st32i(j, OFF(cf), d->shtype);
    } else if (shc) {
        movx_rr(j, 0xb6, EDX, EDX);
        st32(j, OFF(cf), EDX);
    }
}

/* Other inline data processing. */
static void emit_dp(emit *e, const cm3_insn *d, int setf)
{
    jbuf *j = &e->j;
    if (d->op >= OP_DP) { emit_dpf(e, d, setf); return; }
    switch (d->op) {
    case OP_MOV_REG: ldr(e, EAX, d->rm, d); st_rd(e, d, EAX); break;
    case OP_ADD_IMM_NF:
        ldr(e, EAX, d->rn, d);
        alu_ri(j, ALU_ADD, EAX, d->imm);
        st_rd(e, d, EAX);
        break;
    case OP_MOV_IMM_NF: st32i(j, R(d->rd), d->rd == 13 ? d->imm & ~3u : d->imm); break;
    case OP_ADR: st32i(j, R(d->rd), ((d->addr + 4) & ~3u) + d->imm); break;
    case OP_MOVT:
        ld32(j, EAX, R(d->rd));
        movx_rr(j, 0xb7, EAX, EAX);
        alu_ri(j, ALU_OR, EAX, d->imm << 16);
        st32(j, R(d->rd), EAX);
        break;
    case OP_MUL: case OP_MLA: case OP_MLS:
        ldr(e, EAX, d->rn, d);
        ldr(e, ECX, d->rm, d);
        imul_rr(j, EAX, ECX);
        if (d->op == OP_MLA) { ldr(e, ECX, d->ra, d); alu_rr(j, ALU_ADD, EAX, ECX); }
        if (d->op == OP_MLS) { ldr(e, ECX, d->ra, d); alu_rr(j, ALU_SUB, ECX, EAX); movrr(j, EAX, ECX); }
        st32(j, R(d->rd), EAX);
        if (d->op == OP_MUL && setf) set_nz(e, EAX);
        break;
    case OP_SBFX: case OP_UBFX: {
        unsigned msb = d->shamt + d->imm;
        ldr(e, EAX, d->rn, d);
        if (31 - msb) sh_ri(j, SH_SHL, EAX, 31 - msb);
        if (31 - d->imm) sh_ri(j, d->op == OP_SBFX ? SH_SAR : SH_SHR, EAX, 31 - d->imm);
        st32(j, R(d->rd), EAX);
        break;
    }
    case OP_SXTH: case OP_SXTB: case OP_UXTH: case OP_UXTB: {
        static const uint8_t x[4] = { 0xbf, 0xbe, 0xb7, 0xb6 };
        ldr(e, EAX, d->rm, d);
        if (d->shamt) sh_ri(j, SH_ROR, EAX, d->shamt);
        movx_rr(j, x[d->op - OP_SXTH], EAX, EAX);
        st32(j, R(d->rd), EAX);
        break;
    }
    default: break;   /* NOP, IT (inline IT blocks) */
    }
}

/* r12 = ldst_rule(c->prevkw, ...) for op 0 (an inline load/store), -1 for "pipelined if in
 * the region of the previous load": applied on its fast path. */
static void emit_first_adj(emit *e, const cm3_insn *d)
{
    jbuf *j = &e->j;
    unsigned mode = ldst_mode(d->op);
    e1(j, 0x45); e1(j, 0x31); e1(j, 0xe4);                  /* xor r12d, r12d */
    ld32(j, EAX, OFF(prevkw));
    movx_rr(j, 0xb6, ECX, EAX);
    alu_ri(j, ALU_AND, ECX, K_CLASS);                       /* ecx = class */
    sh_ri(j, SH_SHR, EAX, 8);                               /* eax = written reg */
    alu_ri(j, ALU_CMP, EAX, d->rn);
    uint8_t *h1 = jcc(j, CC_E);
    alu_ri(j, ALU_CMP, EAX, d->rm);
    uint8_t *h2 = jcc(j, CC_E);
    uint8_t *d1 = NULL;
    if (mode == LS_PIPE) {   /* after a load single, not dependent: pipelined */
        alu_ri(j, ALU_CMP, ECX, K_LD);
        d1 = jcc(j, CC_NE);
        e1(j, 0x49); e1(j, 0xc7); e1(j, 0xc4); e4(j, (uint32_t)-1);   /* mov r12, -1 */
    }
    uint8_t *d2 = jmp(j);
    patch(j, h1, j->p);
    patch(j, h2, j->p);
    /* address register written by the previous DP insn (or load, for STR imm) */
    alu_ri(j, ALU_CMP, ECX, K_DP);
    uint8_t *y1 = jcc(j, CC_E);
    alu_ri(j, ALU_CMP, ECX, K_LMUL);
    uint8_t *y2 = jcc(j, CC_E);
    uint8_t *y3 = NULL;
    if (mode == LS_STR_IMM) { alu_ri(j, ALU_CMP, ECX, K_LD); y3 = jcc(j, CC_E); }
    uint8_t *d3 = jmp(j);
    patch(j, y1, j->p);
    patch(j, y2, j->p);
    patch(j, y3, j->p);
    e1(j, 0x49); e1(j, 0xc7); e1(j, 0xc4); e4(j, CY(CYC_ADDR_DEP));
    patch(j, d1, j->p);
    patch(j, d2, j->p);
    patch(j, d3, j->p);
}

/* Inline single load/store through DMI windows 0-1 without wait states; anything else
 * (unaligned, other window, wait states, code page, no DMI) calls the handler. */
/* record: store the access's region in c->dregion (only a load's is ever consulted: by a
 * load/store right after it, rule 6; the caller knows whether one may follow). */
static void emit_ldst(emit *e, const jit_op *o, int first, int adj, int pipe, int record,
                      uint32_t rem, unsigned count)
{
    jbuf *j = &e->j;
    const cm3_insn *d = &o->d;
    unsigned op = d->op, type = d->shtype, size = 1u << (type & 3);
    int load = is_load(op), idx = op == OP_LD_IDX || op == OP_ST_IDX;
    int32_t pend_before = e->pend;
    /* address -> eax (idx: esi = the written-back value) */
    switch (op) {
    case OP_LD_LIT: movi(j, EAX, ((d->addr + 4) & ~3u) + d->imm); break;
    case OP_LD_REG: case OP_ST_REG:
        ldr(e, EAX, d->rm, d);
        if (d->shamt) sh_ri(j, SH_SHL, EAX, d->shamt);
        ldr(e, ECX, d->rn, d);
        alu_rr(j, ALU_ADD, EAX, ECX);
        break;
    case OP_LD_IDX: case OP_ST_IDX:
        ldr(e, EAX, d->rn, d);
        movrr(j, ESI, EAX);
        if (d->imm) alu_ri(j, ALU_ADD, ESI, d->imm);
        if (d->ra & 1) movrr(j, EAX, ESI);
        break;
    default:
        ldr(e, EAX, d->rn, d);
        if (d->imm) alu_ri(j, ALU_ADD, EAX, d->imm);
        break;
    }
    uint8_t *bail[8];
    int nb = 0;
    if (size > 1) { test_ri(j, EAX, size - 1); bail[nb++] = jcc(j, CC_NE); }
    uint8_t *done[2];
    for (unsigned w = 0; w < 2; w++) {
        cmp_mi(j, OFF(ndmi), w);
        bail[nb++] = jcc(j, CC_BE);
        movrr(j, ECX, EAX);
        alu_rm(j, ALU_SUB, ECX, DMI(w, start));
        alu_rm(j, ALU_CMP, ECX, DMI(w, lim) + 4 * (int32_t)size);
        uint8_t *next = jcc(j, CC_A), *next2 = NULL;
        if (!load) { cmp_mi(j, DMI(w, writable), 0); next2 = jcc(j, CC_E); }
        cmp_mi(j, load ? DMI(w, rslow) : DMI(w, wwait), 0);   /* waits, contention */
        bail[nb++] = jcc(j, CC_NE);
        if (!load) {
            /* a store to a page holding decoded code goes through the handler */
            ld64(j, ECX, OFF(codemap));
            movrr(j, EDI, EAX);
            sh_ri(j, SH_SHR, EDI, 13);
            e1(j, 0x0f); e1(j, 0xb6); e1(j, 0x0c); e1(j, 0x39);   /* movzx ecx, [rcx+rdi] */
            movrr(j, EDI, EAX);
            sh_ri(j, SH_SHR, EDI, 10);
            alu_ri(j, ALU_AND, EDI, 7);
            bt_rr(j, ECX, EDI);
            bail[nb++] = jcc(j, CC_B);
            ld64(j, EDX, DMI(w, base));
            ldr(e, ECX, d->rd, d);
            host_st(j, size, ECX);
        } else {
            ld64(j, EDX, DMI(w, base));
            host_ld(j, size, (type & 4) != 0, ECX);
        }
        done[w] = jmp(j);
        patch(j, next, j->p);
        patch(j, next2, j->p);
    }
    /* handler path */
    uint8_t *slow = j->p;
    for (int k = 0; k < nb; k++) patch(j, bail[k], slow);
    e->pend = pend_before;
    emit_call(e, o, first, 0, 0, rem, count);
    uint8_t *join = jmp(j);
    /* fast path tail */
    patch(j, done[0], j->p);
    patch(j, done[1], j->p);
    if (idx) st32(j, R(d->rn), ESI);
    if (load) st32(j, R(d->rd), ECX);
    e->pend = pend_before + d->cycles + adj;
    commit(e);
    /* rule 6: pipelined only in the region (addr >> 29) of the previous load */
    int first_pipe = first && ldst_mode(d->op) == LS_PIPE;
    if (first_pipe || pipe || record) {
        movrr(j, EDI, EAX);
        sh_ri(j, SH_SHR, EDI, 29);
    }
    if (first_pipe) {
        e1(j, 0x4d); e1(j, 0x85); e1(j, 0xe4);                 /* test r12, r12 */
        uint8_t *add = jcc(j, CC_NS);
        alu_rm(j, ALU_CMP, EDI, OFF(dregion));
        uint8_t *skip = jcc(j, CC_NE);
        patch(j, add, j->p);
        add_r13_r12(j);
        patch(j, skip, j->p);
    } else if (first) {
        add_r13_r12(j);
    } else if (pipe) {
        alu_rm(j, ALU_CMP, EDI, OFF(dregion));
        uint8_t *skip = jcc(j, CC_NE);
        add_r13_i(j, -LDST_PIPE_SAVES);
        patch(j, skip, j->p);
    }
    if (record) st32(j, OFF(dregion), EDI);
    patch(j, join, j->p);
}

/* ------------------------------------------------------------------ translation */

static void jit_reset(cm3_jit *jt)
{
    for (unsigned i = 0; i <= BLK_MASK; i++) jt->blk[i].pc = 1;
    jt->code_used = 0;
    jt->ops_used = 0;
    jt->lo = UINT32_MAX;
    jt->hi = 0;
}

static unsigned it_len(uint32_t it)
{
    unsigned n = 0;
    while (it) { n++; it = it_advance(it); }
    return n;
}

static cm3_block *translate(cm3_cpu *c, uint32_t pc)
{
    cm3_jit *jt = c->jit;
    if (jt->code_used + CODE_SLACK > CODE_SIZE || jt->ops_used + BLK_MAX_OPS > OPS_MAX)
        jit_reset(jt);
    jit_op *ops = &jt->ops[jt->ops_used];
    unsigned n = 0;
    uint32_t a = pc;
    uint64_t dm = c->st.decode_misses;
    while (n < BLK_MAX_OPS) {
        if (cm3_fetch_decode(c, a, &ops[n].d, 1)) break;
        int t = treat(c, &ops[n].d);
        a += ops[n].d.len;
        n++;
        if (t == T_END_HELPER || t == T_BRANCH) break;
    }
    c->st.decode_misses = dm;   /* counts the per-insn cache's fills only */
    if (!n) return NULL;

    /* static facts: previous kinds, IT conditions (0xff none, 0x10|cond inline, 0x20 call) */
    uint8_t itc[BLK_MAX_OPS];
    memset(itc, 0xff, sizeof itc);
    for (unsigned i = 0; i < n; i++) {
        ops[i].prevkw = i ? (ops[i - 1].d.kind | ((uint32_t)ops[i - 1].d.wreg << 8)) : 0;
        if (ops[i].d.op != OP_IT || itc[i] != 0xff) continue;
        uint32_t it = ops[i].d.imm;
        unsigned len = it_len(it), inl = i + len < n;
        for (unsigned k = 1; k <= len && i + k < n; k++) inl &= simple_dp(&ops[i + k].d);
        if (!inl) ops[i].d.op = OP_HELPER;   /* IT itself runs as a handler */
        for (unsigned k = 1; k <= len && i + k < n; k++) {
            itc[i + k] = inl ? (uint8_t)(0x10 | (it >> 4)) : 0x20;
            it = it_advance(it);
        }
    }
    /* Cycle bounds. A handler call's own cycles need none: the boundary after it is
     * checked with the exact cyc (emit_call), so a bound covers the boundaries from one
     * check (entry, or after a call) to the next call. Inline loads/stores: +1 for the
     * dependency rule (their slow path is a handler call); branches: the refill. */
    uint32_t maxc[BLK_MAX_OPS], total = 1u + (ops[0].d.refill[1] > ops[0].d.refill[2]
                                                   ? ops[0].d.refill[1] : ops[0].d.refill[2]);
    /* + first op's refill and adjustment */
    for (unsigned i = 0; i < n; i++) {
        const cm3_insn *d = &ops[i].d;
        int t = itc[i] == 0x20 ? T_HELPER : treat(c, d);
        maxc[i] = t == T_HELPER || t == T_END_HELPER ? 0u
                  : d->cycles + (t == T_BRANCH ? 2u : is_ldst(d->op) ? 1u : 0u);
        total += maxc[i];
    }

    cm3_block *b = &jt->blk[(pc >> 1) & BLK_MASK];
    emit e = { .j = { jt->code + jt->code_used, jt->code + CODE_SIZE, 0 }, .pend = 0,
               .jt = jt };
    jbuf *j = &e.j;
    /* exit: pop r15, r14, r13, r12, rbx; ret */
    e.epi = j->p;
    e1(j, 0x41); e1(j, 0x5f); e1(j, 0x41); e1(j, 0x5e); e1(j, 0x41); e1(j, 0x5d);
    e1(j, 0x41); e1(j, 0x5c); e1(j, 0x5b); e1(j, 0xc3);
    uint8_t *entry = j->p;
    /* push rbx, r12, r13, r14, r15 (the stack is then 16-byte aligned for calls);
     * rbx = c, r15 = budget, r14 = 0, r13 = cyc */
    e1(j, 0x53); e1(j, 0x41); e1(j, 0x54); e1(j, 0x41); e1(j, 0x55);
    e1(j, 0x41); e1(j, 0x56); e1(j, 0x41); e1(j, 0x57);
    e1(j, 0x48); e1(j, 0x89); e1(j, 0xfb);
    e1(j, 0x49); e1(j, 0x89); e1(j, 0xf7);
    e1(j, 0x45); e1(j, 0x31); e1(j, 0xf6);
    ld_r13(j, OFF(cyc));
    /* body: what cm3_jit_run would do at entry, from c->branched and c->prevkw */
    uint8_t *body = j->p;
    for (int k = 1; k <= 2; k++) {   /* refill[c->branched] */
        if (!ops[0].d.refill[k]) continue;
        cmp_mi(j, OFF(branched), (uint32_t)k);
        uint8_t *no = jcc(j, CC_NE);
        add_r13_i(j, ops[0].d.refill[k]);
        patch(j, no, j->p);
    }
    if (is_ldst(ops[0].d.op) && treat(c, &ops[0].d) == T_INLINE)
        emit_first_adj(&e, &ops[0].d);
    else if (treat(c, &ops[0].d) == T_INLINE)
        emit_saved_first(&e, &ops[0].d);

    uint32_t rem = total;
    int ended = 0;
    for (unsigned i = 0; i < n && !ended; i++) {
        const jit_op *o = &ops[i];
        const cm3_insn *d = &o->d;
        uint32_t kw = d->kind | ((uint32_t)d->wreg << 8), next = d->addr + d->len;
        rem -= maxc[i];
        int in_it = itc[i] != 0xff;
        int t = itc[i] == 0x20 ? T_HELPER : treat(c, d);
        int setf = d->s == 1 || (d->s == 2 && !in_it);
        if (t == T_HELPER || t == T_END_HELPER) {
            int end = t == T_END_HELPER || i + 1 == n;
            emit_call(&e, o, i == 0, itc[i] == 0x20, end, rem, i + 1);
            ended = end;
            continue;
        }
        if (t == T_INLINE && is_ldst(d->op)) {
            int pipe = 0, adj = i ? ldst_rule(o->prevkw, ldst_mode(d->op), d->rn, d->rm, &pipe) : 0;
            /* a load's region matters to a next load/store or handler, here or in the
             * next block */
            int nt = i + 1 < n ? treat(c, &ops[i + 1].d) : T_HELPER;
            int record = is_load(d->op) && (nt != T_INLINE || is_ldst(ops[i + 1].d.op)) &&
                         nt != T_BRANCH;
            emit_ldst(&e, o, i == 0, adj, pipe, record, rem, i + 1);
        } else if (t == T_INLINE) {
            int32_t saved = i ? saved_after(d, o->prevkw) : 0;   /* first op: at entry */
            if (in_it) {
                uint8_t *f[2];
                unsigned skip = d->cycles > 1 ? 1u : d->cycles;
                int nf = cond_false(&e, itc[i] & 15, f);
                emit_dp(&e, d, setf);
                if (d->cycles - skip) add_r13_i(j, (int32_t)(d->cycles - skip));
                for (int k = 0; k < nf; k++) patch(j, f[k], j->p);
                e.pend += (int32_t)skip;
            } else {
                emit_dp(&e, d, setf);
                e.pend += (int32_t)d->cycles - saved;
            }
        } else {   /* branches end the block */
            uint32_t target = d->addr + 4 + d->imm;
            uint8_t *f[2];
            int nf = 0;
            if (d->op == OP_BCOND) nf = cond_false(&e, d->cond, f);
            if (d->op == OP_CBZ) {
                ldr(&e, EAX, d->rn, d);
                test_rr(j, EAX, EAX);
                f[nf++] = jcc(j, d->cond ? CC_E : CC_NE);
            }
            if (d->op == OP_BL) st32i(j, R(14), next | 1);
            int32_t pend = e.pend;
            e.pend += d->cycles + (d->op == OP_CBZ ? CY(CYC_P_EXECUTE) : CY(CYC_P_DECODE));
            /* rule 5: after a multi-cycle insn the target was speculated */
            exit_static(&e, target & ~1u, i ? 1 + ((ops[i - 1].d.kind & K_MULTI) != 0) : -1,
                        kw, i + 1);
            if (nf) {
                for (int k = 0; k < nf; k++) patch(j, f[k], j->p);
                e.pend = pend + d->cycles;
                exit_static(&e, next, 0, kw, i + 1);
            }
            ended = 1;
            continue;
        }
        if (i + 1 == n) { exit_static(&e, next, 0, kw, i + 1); ended = 1; }
    }
    if (j->overflow) { jit_reset(jt); return NULL; }

    jt->code_used = (size_t)(j->p - jt->code);
    jt->code_used = (jt->code_used + 15) & ~(size_t)15;
    jt->ops_used += n;
    b->pc = pc;
    b->end = a;
    if (pc < jt->lo) jt->lo = pc;
    if (a > jt->hi) jt->hi = a;
    b->ninsn = n;
    b->maxcyc = total;
    b->code = (blk_fn)(void *)entry;
    b->body = body;
    return b;
}

/* ------------------------------------------------------------------ API */

cm3_jit *cm3_jit_create(void)
{
    cm3_jit *jt = calloc(1, sizeof *jt);
    if (!jt) return NULL;
    void *p = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    jt->ops = calloc(OPS_MAX, sizeof *jt->ops);
    if (p == MAP_FAILED || !jt->ops) {
        if (p != MAP_FAILED) munmap(p, CODE_SIZE);
        free(jt->ops);
        free(jt);
        return NULL;
    }
    jt->code = p;
    jit_reset(jt);
    return jt;
}

void cm3_jit_destroy(cm3_jit *jt)
{
    if (!jt) return;
    munmap(jt->code, CODE_SIZE);
    free(jt->ops);
    free(jt);
}

void cm3_jit_flush(cm3_cpu *c) { jit_reset(c->jit); }

/* Drop the blocks in slots [first, first + n) that overlap [lo, hi]. */
static int drop_slots(cm3_jit *jt, uint32_t first, uint32_t n, uint32_t lo, uint32_t hi)
{
    int any = 0;
    for (uint32_t k = 0; k < n; k++) {
        cm3_block *b = &jt->blk[(first + k) & BLK_MASK];
        if (b->pc != 1 && b->pc <= hi && b->end > lo) { b->pc = 1; any = 1; }
    }
    return any;
}

/* The slot of a block is a function of its start pc ((pc >> 1) & BLK_MASK), and a block
 * is at most BLK_MAX_OPS * 4 bytes long: a block overlapping [lo, hi] starts in
 * [lo - BLK_BYTES, hi], whose slots are one contiguous (wrapping) run of the table. So an
 * invalidation looks only at those slots (a store into a code page: 576 of them) instead
 * of scanning the whole 64 Ki-entry table; same blocks dropped as a full scan would. */
#define BLK_BYTES (BLK_MAX_OPS * 4u)
int cm3_jit_invalidate(cm3_cpu *c, uint32_t lo, uint32_t hi)
{
    cm3_jit *jt = c->jit;
    if (hi < jt->lo || lo >= jt->hi) return 0;   /* no block there */
    uint32_t from = (uint64_t)lo > (uint64_t)jt->lo + BLK_BYTES ? lo - BLK_BYTES : jt->lo;
    uint32_t to = hi < jt->hi ? hi : jt->hi - 1;   /* start pcs lie in [jt->lo, jt->hi) */
    uint32_t nslots = (to >> 1) - (from >> 1) + 1u;
    if (nslots > BLK_MASK) return drop_slots(jt, 0, BLK_MASK + 1u, lo, hi);
    return drop_slots(jt, from >> 1, (uint32_t)nslots, lo, hi);
}

uint64_t cm3_jit_run(cm3_cpu *c, uint64_t nmax)
{
    cm3_jit *jt = c->jit;
    uint64_t n = 0;
    while (c->cyc < c->stop_at && n < nmax) {
        uint32_t pc = c->pc;
        cm3_block *b = &jt->blk[(pc >> 1) & BLK_MASK];
        if (UNLIKELY(b->pc != pc)) b = translate(c, pc);
        if (UNLIKELY(!b || c->itstate || nmax - n < b->ninsn ||
                     c->cyc + b->maxcyc >= c->stop_at)) {
            n += cm3_run_interp(c, 1);
            continue;
        }
        uint64_t k = b->code(c, nmax - n);
        n += k;
        c->st.block_insns += k;
    }
    return n;
}

#else   /* no translator on this host: the per-instruction loop does everything */

cm3_jit *cm3_jit_create(void) { return NULL; }
void cm3_jit_destroy(cm3_jit *j) { (void)j; }
void cm3_jit_flush(cm3_cpu *c) { (void)c; }
int cm3_jit_invalidate(cm3_cpu *c, uint32_t lo, uint32_t hi) { (void)c; (void)lo; (void)hi; return 0; }
uint64_t cm3_jit_run(cm3_cpu *c, uint64_t nmax) { return cm3_run_interp(c, nmax); }

#endif
