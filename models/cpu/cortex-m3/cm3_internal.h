/* Cortex-M3 ISS internals shared by the core's files. Not a public header. */
#ifndef RPVP_CM3_INTERNAL_H
#define RPVP_CM3_INTERNAL_H

#include "cm3.h"
#include "cm3_cycles.h"
#include <stdbool.h>
#include <string.h>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

typedef struct cm3_insn cm3_insn;
typedef void (*cm3_exec_fn)(cm3_cpu *c, const cm3_insn *d);

/* What the cycle model needs of the previous instruction (prevkw = kind | wreg << 8): its
 * class (K_CLASS bits), whether it spends several cycles in execute (K_MULTI: a branch
 * after it had time to speculate its target, cm3_cycles.c rule 5) and whether it is a
 * 16-bit non-branch instruction an IT can fold onto (K_FOLD, rule 3). K_LD: load single
 * without write-back (pipelines with a following load/store); K_ST: store single (nothing
 * pipelines after it); K_LDST_WB: load/store with write-back; K_LMUL: long multiply. */
enum { K_OTHER = 0, K_DP, K_LD, K_LDST_WB, K_ST, K_LMUL,
       K_CLASS = 0x0f, K_MULTI = 0x10, K_FOLD = 0x20 };
/* c->dregion after an IT-skipped load: it made no access a next load could pipeline with. */
#define DREGION_NONE 0xffffffffu
/* A data-processing class: its written register is not forwarded to address generation. */
static inline int k_is_dp(unsigned k) { return (k & K_CLASS) == K_DP || (k & K_CLASS) == K_LMUL; }

/* One predecoded instruction (32 bytes). */
struct cm3_insn {
    uint32_t addr;       /* tag: address of the instruction; 1 = empty slot */
    cm3_exec_fn exec;
    uint32_t imm;
    uint8_t len;         /* 2 or 4 */
    uint8_t rd, rn, rm;
    uint8_t ra, shtype, shamt;
    uint8_t s;           /* 0 never, 1 always, 2 when outside an IT block */
    uint8_t cycles;      /* base cycles incl. fetch wait states */
    uint8_t kind;        /* K_* */
    uint8_t wreg;        /* register written (cycle model), 0xff none */
    uint8_t cond;
    uint8_t op;          /* OP_*: what exec is, for the block translator (cm3_jit.c) */
    uint8_t sub;         /* exec_dp_sp: index of the wrapped handler in cm3_dp_ops */
    /* Extra cycles when reached by a branch, indexed by c->branched: [0] = 0, [1] the
     * refill's extra (a 32-bit insn at an odd halfword, slow fetch), [2] the same after a
     * multi-cycle insn, whose branch had time to speculate the target (rule 5). */
    uint8_t refill[3];
};

/* Identity of an exec handler, for the block translator: OP_HELPER handlers are called as
 * they are; OP_END ones may change the flow (the block ends after them); the others have
 * an inline translation. Data-processing families are OP_DP + family * 4 + form. */
enum {
    OP_HELPER = 0, OP_END, OP_MOV_REG, OP_ADD_IMM_NF, OP_MOV_IMM_NF, OP_ADR, OP_MOVT,
    OP_MUL, OP_MLA, OP_MLS, OP_SBFX, OP_UBFX, OP_SXTH, OP_SXTB, OP_UXTH, OP_UXTB,
    OP_LDR_W_IMM, OP_STR_W_IMM, OP_LD_IMM, OP_ST_IMM, OP_LD_REG, OP_ST_REG, OP_LD_LIT,
    OP_LD_IDX, OP_ST_IDX, OP_LDM, OP_B, OP_BCOND, OP_BL, OP_CBZ, OP_IT, OP_NOP,
    OP_DP = 0x40
};
enum { DPF_AND, DPF_ORR, DPF_ORN, DPF_EOR, DPF_BIC, DPF_MOV, DPF_MVN, DPF_TST, DPF_TEQ,
       DPF_ADD, DPF_ADC, DPF_SUB, DPF_SBC, DPF_RSB, DPF_CMP, DPF_CMN };
enum { DPFORM_I, DPFORM_R, DPFORM_R0 };
typedef struct cm3_op_id { cm3_exec_fn fn; uint8_t op; } cm3_op_id;
extern const cm3_op_id cm3_dp_ops[], cm3_mem_ops[], cm3_ctl_ops[];

/* Exception numbers. */
enum { EXC_RESET = 1, EXC_NMI = 2, EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4,
       EXC_BUSFAULT = 5, EXC_USAGEFAULT = 6, EXC_SVCALL = 11, EXC_DEBUGMON = 12,
       EXC_PENDSV = 14, EXC_SYSTICK = 15, EXC_IRQ0 = 16 };
#define CM3_MAX_EXC (16 + 240)

/* CFSR bits (MMFSR | BFSR << 8 | UFSR << 16). */
enum {
    CFSR_IACCVIOL = 1u << 0, CFSR_DACCVIOL = 1u << 1, CFSR_MUNSTKERR = 1u << 3,
    CFSR_MSTKERR = 1u << 4, CFSR_MMARVALID = 1u << 7,
    CFSR_IBUSERR = 1u << 8, CFSR_PRECISERR = 1u << 9, CFSR_IMPRECISERR = 1u << 10,
    CFSR_UNSTKERR = 1u << 11, CFSR_STKERR = 1u << 12, CFSR_BFARVALID = 1u << 15,
    CFSR_UNDEFINSTR = 1u << 16, CFSR_INVSTATE = 1u << 17, CFSR_INVPC = 1u << 18,
    CFSR_NOCP = 1u << 19, CFSR_UNALIGNED = 1u << 24, CFSR_DIVBYZERO = 1u << 25,
};
enum { HFSR_VECTTBL = 1u << 1, HFSR_FORCED = 1u << 30, HFSR_DEBUGEVT = 1u << 31 };
enum { CCR_NONBASETHRDENA = 1u << 0, CCR_USERSETMPEND = 1u << 1, CCR_UNALIGN_TRP = 1u << 3,
       CCR_DIV_0_TRP = 1u << 4, CCR_BFHFNMIGN = 1u << 8, CCR_STKALIGN = 1u << 9 };
enum { SHCSR_MEMFAULTACT = 1u << 0, SHCSR_BUSFAULTACT = 1u << 1, SHCSR_USGFAULTACT = 1u << 3,
       SHCSR_SVCALLACT = 1u << 7, SHCSR_MONITORACT = 1u << 8, SHCSR_PENDSVACT = 1u << 10,
       SHCSR_SYSTICKACT = 1u << 11, SHCSR_USGFAULTPENDED = 1u << 12,
       SHCSR_MEMFAULTPENDED = 1u << 13, SHCSR_BUSFAULTPENDED = 1u << 14,
       SHCSR_SVCALLPENDED = 1u << 15, SHCSR_MEMFAULTENA = 1u << 16,
       SHCSR_BUSFAULTENA = 1u << 17, SHCSR_USGFAULTENA = 1u << 18 };

#define CM3_DMI_MAX 4
#define CM3_ICACHE_BITS 16
#define CM3_MAX_BKPT 16
#define CM3_MAX_WATCH 8

typedef struct cm3_watch {
    uint32_t lo, hi;         /* [lo, hi] inclusive; unused when fn is NULL */
    cm3_watch_fn fn;
    void *ctx;
} cm3_watch;

typedef struct cm3_dmi_ent {
    uint8_t *base;       /* host pointer of guest address 0 of the window (ptr - start) */
    uint32_t start;
    uint32_t size;       /* end - start + 1 (0 => 4 GiB never happens) */
    uint32_t rwait, wwait;
    uint32_t rslow;      /* rwait, or 1 if reads here may contend with prefetch (rule 7):
                            translated code reads inline only where this is 0 */
    int writable;
    uint32_t lim[5];     /* size - len for len 1, 2, 4 (indexed by len), for translated code */
} cm3_dmi_ent;
typedef struct cm3_jit cm3_jit;

struct cm3_cpu {
    /* hot state first */
    uint32_t r[16];          /* r[15] = address of the executing insn + 4 */
    uint32_t npc;            /* next pc (set by branches) */
    uint32_t pc;             /* address of the current instruction */
    uint64_t cyc;            /* time in cycles (active + sleep) */
    uint64_t stop_at;        /* the run loop leaves when cyc >= stop_at */
    uint32_t nf, zf, cf, vf; /* N = nf>>31, Z = (zf == 0), C = cf (0/1), V = vf>>31 */
    uint32_t itstate;        /* ITSTATE[7:0] */
    uint32_t prevkw;         /* previous insn kind | written reg << 8 (cycle model) */
    int exc_taken;           /* an exception entry happened during this insn */
    int branched;            /* the last insn changed the flow: 0 no, 1 yes, 2 after a
                                multi-cycle insn (cycle model: index of cm3_insn.refill) */
    uint32_t dregion;        /* memory-map region (addr >> 29) of the last load/store single;
                                DREGION_NONE: nothing pipelines with it */
    uint32_t drun;           /* loads in the current run of a contended region (rule 7) */
    cm3_insn *icache;
    cm3_jit *jit;            /* translated blocks (cm3_jit.c); NULL: interpret only */
    int count_direct;        /* count DMI data accesses (cm3_count_direct) */
    uint8_t *codemap;        /* 1 bit per 1 KiB page where a store needs a look: decoded
                                code (codebits) or a write watch; the fast paths test it */
    uint8_t *codebits;       /* 1 bit per 1 KiB page holding decoded code */
    cm3_dmi_ent dmi[CM3_DMI_MAX];
    unsigned ndmi;
    uint32_t dmi_neg[8];     /* 4 KiB pages (+1) where get_dmi said no */
    unsigned dmi_neg_next, dmi_next;

    /* system state */
    uint32_t msp, psp;       /* the inactive SP is kept here; r[13] is the active one */
    uint32_t ipsr, tbit, qf; /* tbit: EPSR.T */
    uint32_t primask, faultmask, basepri, control;
    int handler_mode;
    int exclusive;           /* local exclusive monitor open */
    uint32_t excl_addr;
    int event;               /* event register (WFE/SEV) */
    int sleeping;
    cm3_config cfg;
    cm3_bus bus;

    /* NVIC/SCB */
    uint8_t exc_prio[CM3_MAX_EXC];
    uint8_t exc_pending[CM3_MAX_EXC];
    uint8_t exc_active[CM3_MAX_EXC];
    uint8_t exc_enabled[CM3_MAX_EXC];   /* external IRQs only (ISER) */
    uint8_t irq_level[240];
    unsigned num_exc;                   /* 16 + num_irq */
    int need_exc_check;                 /* something changed that may allow an exception */
    uint32_t vtor, aircr_prigroup, scr, ccr, shcsr, cfsr, hfsr, mmfar, bfar, actlr;
    /* SysTick */
    uint32_t syst_csr, syst_rvr;
    uint64_t syst_zero_at;              /* cyc at which CVR reaches 0 (when enabled) */
    uint32_t syst_cvr_stopped;          /* CVR when not enabled */
    /* DWT / ITM */
    uint32_t demcr, dwt_ctrl, itm_tcr, itm_ter, itm_tpr;
    uint32_t cyccnt_base;               /* CYCCNT = cyccnt_base + active cycles (if on) */
    uint64_t cyccnt_since;

    /* run control */
    cm3_stop stop_reason;
    int stop_req;
    int reset_req;           /* AIRCR.SYSRESETREQ */
    uint64_t insn_limit;     /* absolute insns count at which to stop; 0 = none */
    int locked_up;
    int exit_code;
    int debugger;
    uint32_t bkpt[CM3_MAX_BKPT];
    unsigned nbkpt;
    int skip_bkpt_once;
    uint64_t clock_hz;
    cm3_semihost *semihost;
    cm3_region_timing rt[CM3_MAX_REGION_TIMING];   /* rule 7 */
    unsigned nrt;
    int any_contention;      /* some region has data-read contention */
    cm3_watch watch[CM3_MAX_WATCH];
    unsigned nwatch;         /* watches in use (fn != NULL) */
    cm3_exc_fn exc_fn;       /* exception-entry observer, NULL: none */
    void *exc_ctx;
    cm3_stats st;
    char err[256];
};

/* --- flags --- */
static inline uint32_t cm3_apsr(const cm3_cpu *c) {
    return (c->nf & 0x80000000u) | ((c->zf == 0) << 30) | (c->cf << 29) |
           ((c->vf >> 31) << 28) | (c->qf << 27);
}
static inline void cm3_set_apsr(cm3_cpu *c, uint32_t v) {
    c->nf = v & 0x80000000u;
    c->zf = !(v & 0x40000000u);
    c->cf = (v >> 29) & 1;
    c->vf = (v << 3) & 0x80000000u;
    c->qf = (v >> 27) & 1;
}
static inline int cm3_cond(const cm3_cpu *c, unsigned cond) {
    int r;
    switch (cond >> 1) {
    case 0: r = c->zf == 0; break;                           /* EQ */
    case 1: r = c->cf; break;                                /* CS */
    case 2: r = c->nf >> 31; break;                          /* MI */
    case 3: r = c->vf >> 31; break;                          /* VS */
    case 4: r = c->cf && c->zf != 0; break;                  /* HI */
    case 5: r = (c->nf >> 31) == (c->vf >> 31); break;       /* GE */
    case 6: r = (c->nf >> 31) == (c->vf >> 31) && c->zf != 0; break; /* GT */
    default: return 1;                                       /* AL */
    }
    return (cond & 1) ? !r : r;
}

/* --- cpu.c --- */
int cm3_mem_read_slow(cm3_cpu *c, uint32_t a, unsigned len, uint32_t *v, int priv);
int cm3_mem_write_slow(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v, int priv);
/* A store of `len` bytes (value v) hit a page marked in codemap: watches, code. */
void cm3_store_check(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v);
void cm3_recalc_stop(cm3_cpu *c);
void cm3_log_guest_error(cm3_cpu *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cm3_write_sp(cm3_cpu *c, uint32_t v);

static inline int cm3_priv(const cm3_cpu *c) { return c->handler_mode || !(c->control & 1); }

/* Fast-path memory: DMI windows, else the slow path. Return 0 or non-zero (bus error). */
static inline int cm3_read(cm3_cpu *c, uint32_t a, unsigned len, uint32_t *v) {
    for (unsigned i = 0; i < c->ndmi; i++) {
        const cm3_dmi_ent *w = &c->dmi[i];
        if (a - w->start <= w->size - len) {
            const uint8_t *p = w->base + a;
            if (len == 4) { uint32_t x; memcpy(&x, p, 4); *v = x; }
            else if (len == 2) { uint16_t x; memcpy(&x, p, 2); *v = x; }
            else *v = *p;
            c->cyc += w->rwait;
            if (UNLIKELY(c->count_direct)) {
                c->st.direct_reads++;
                c->st.direct_read_bytes += len;
            }
            return 0;
        }
    }
    return cm3_mem_read_slow(c, a, len, v, cm3_priv(c));
}
static inline int cm3_write(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v) {
    for (unsigned i = 0; i < c->ndmi; i++) {
        const cm3_dmi_ent *w = &c->dmi[i];
        if (w->writable && a - w->start <= w->size - len) {
            uint8_t *p = w->base + a;
            if (len == 4) memcpy(p, &v, 4);
            else if (len == 2) { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); }
            else *p = (uint8_t)v;
            c->cyc += w->wwait;
            if (UNLIKELY(c->count_direct)) {
                c->st.direct_writes++;
                c->st.direct_write_bytes += len;
            }
            if (UNLIKELY(c->codemap[a >> 13] & (1u << ((a >> 10) & 7))))
                cm3_store_check(c, a, len, v);
            return 0;
        }
    }
    return cm3_mem_write_slow(c, a, len, v, cm3_priv(c));
}

/* Region timing (cpu.c): the entry holding a, or NULL. */
const cm3_region_timing *cm3_region_of(const cm3_cpu *c, uint32_t a);
int cm3_contention(cm3_cpu *c, uint32_t a);   /* extra cycles of a load at a (rule 7) */

/* --- jit.c: blocks of translated code (x86-64 hosts; elsewhere a stub) --- */
cm3_jit *cm3_jit_create(void);
void cm3_jit_destroy(cm3_jit *j);
void cm3_jit_flush(cm3_cpu *c);                         /* drop every block */
int cm3_jit_invalidate(cm3_cpu *c, uint32_t lo, uint32_t hi);   /* 1 if a block dropped */
/* Run blocks while cyc < stop_at and fewer than nmax insns; returns insns retired. */
uint64_t cm3_jit_run(cm3_cpu *c, uint64_t nmax);
uint64_t cm3_run_interp(cm3_cpu *c, uint64_t nmax);    /* the per-insn loop (cpu.c) */
int cm3_fetch_decode(cm3_cpu *c, uint32_t pc, cm3_insn *d, int dmi_only);
void cm3_it_exec(cm3_cpu *c, const cm3_insn *d);

/* --- exc.c --- */
void cm3_exc_reset(cm3_cpu *c);
/* Synchronous fault from the current instruction: sets status, takes the exception
 * (or escalates/locks up) with return address c->pc. */
void cm3_fault(cm3_cpu *c, int exc, uint32_t cfsr_bits);
void cm3_bus_fault_data(cm3_cpu *c, uint32_t addr);   /* precise data bus error */
void cm3_svc(cm3_cpu *c);
void cm3_bkpt(cm3_cpu *c, unsigned imm);
void cm3_exc_return(cm3_cpu *c, uint32_t exc_return);
int cm3_take_pending(cm3_cpu *c);          /* 1 if an exception was taken */
int cm3_exec_priority(const cm3_cpu *c);
int cm3_pending_wakes(const cm3_cpu *c, int ignore_primask);
void cm3_set_pending(cm3_cpu *c, int exc, int on);
void cm3_exc_changed(cm3_cpu *c);          /* NVIC/mask state changed */

/* Branch helpers (exec.c / exc.c). */
/* branched = 2 when the previous insn was multi-cycle (the target was speculated). */
static inline int cm3_branch_kind(const cm3_cpu *c) { return 1 + ((c->prevkw & K_MULTI) != 0); }
static inline void cm3_branch(cm3_cpu *c, uint32_t target)
{
    c->npc = target & ~1u;
    c->branched = cm3_branch_kind(c);
}
void cm3_bx_write_pc(cm3_cpu *c, uint32_t v);  /* interworking / EXC_RETURN */

/* --- scs.c: PPB registers --- */
int cm3_ppb_read(cm3_cpu *c, uint32_t a, unsigned len, uint32_t *v, int priv);
int cm3_ppb_write(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v, int priv);
void cm3_scs_reset(cm3_cpu *c);
uint64_t cm3_systick_next(const cm3_cpu *c);  /* cyc of next SysTick event or UINT64_MAX */
void cm3_systick_update(cm3_cpu *c);          /* handle wrap(s) up to c->cyc */

/* --- decode.c --- */
int cm3_decode(cm3_cpu *c, uint32_t addr, uint32_t raw, unsigned len, cm3_insn *d);
int cm3_is_32bit(uint32_t hw);

/* --- semihost.c --- */
int cm3_semihost_call(cm3_cpu *c);          /* 1 handled */

#endif
