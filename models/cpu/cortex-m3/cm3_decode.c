/*
 * Thumb/Thumb-2 decode tables of the Cortex-M3 (ARMv7-M ARM, DDI 0403E, chapter A5).
 * Each table is a list of {mask, match, trans} in the order of the ARM ARM's encoding
 * tables; the first entry whose (insn & mask) == match and whose trans_*() accepts the
 * encoding wins. Overlaps rely on that order (stated where it matters). No entry ->
 * UNDEFINED -> UsageFault UNDEFINSTR when executed.
 */
#include "cm3_exec.h"

typedef struct cm3_pattern {
    uint32_t mask, match;
    int (*trans)(cm3_insn *d, uint32_t raw);
    const char *name;
} cm3_pattern;

#define P(m, v, t) { m, v, trans_##t, #t }

/* A5.2 16-bit Thumb instruction encoding */
static const cm3_pattern t16[] = {
    /* A5.2.1 shift (immediate), add, subtract, move, compare */
    P(0xfc00, 0x1800, addsub_reg16),      /* ADD/SUB (register): before LSL/LSR/ASR imm */
    P(0xfc00, 0x1c00, addsub_imm3),       /* ADD/SUB (3-bit immediate) */
    P(0xe000, 0x0000, shift_imm16),       /* LSL/LSR/ASR (immediate), MOVS */
    P(0xe000, 0x2000, imm8_16),           /* MOV/CMP/ADD/SUB (8-bit immediate) */
    /* A5.2.2 data processing */
    P(0xfc00, 0x4000, dp16),
    /* A5.2.3 special data instructions and branch and exchange */
    P(0xff00, 0x4700, bx16),              /* BX, BLX (register) */
    P(0xfc00, 0x4400, hireg16),           /* ADD, CMP, MOV (high registers) */
    /* A5.2.4 load/store single data item */
    P(0xf800, 0x4800, ldr_lit16),
    P(0xf000, 0x5000, ldst_reg16),
    P(0xe000, 0x6000, ldst_imm16),        /* STR/LDR, STRB/LDRB (immediate) */
    P(0xf000, 0x8000, ldst_imm16),        /* STRH/LDRH (immediate) */
    P(0xf000, 0x9000, ldst_sp16),
    P(0xf800, 0xa000, adr16),
    P(0xf800, 0xa800, addsp16),
    /* A5.2.5 miscellaneous 16-bit instructions */
    P(0xff00, 0xb000, spadj16),
    P(0xf500, 0xb100, cbz16),
    P(0xff00, 0xb200, ext16),
    P(0xfe00, 0xb400, push16),
    P(0xffe8, 0xb660, cps16),
    P(0xff00, 0xba00, rev16),
    P(0xfe00, 0xbc00, pop16),
    P(0xff00, 0xbe00, bkpt16),
    P(0xff00, 0xbf00, it16),              /* IT and hints */
    /* A5.2.4 (cont.) load/store multiple */
    P(0xf000, 0xc000, ldstm16),
    /* A5.2.6 conditional branch and supervisor call: UDF and SVC before B<c> */
    P(0xff00, 0xde00, udf16),
    P(0xff00, 0xdf00, svc16),
    P(0xf000, 0xd000, bcond16),
    P(0xf800, 0xe000, b16),
};

/* A5.3 32-bit Thumb instruction encoding (first halfword in bits 31:16). */
static const cm3_pattern t32[] = {
    /* A5.3.5 load/store multiple (SRS/RFE are undefined on ARMv7-M) */
    P(0xfe400000, 0xe8000000, ldstm32),   /* filtered below: only IA (01) and DB (10) */
    /* A5.3.6 load/store dual or exclusive, table branch */
    P(0xfff00000, 0xe8400000, strex32),
    P(0xfff00000, 0xe8500000, ldrex32),
    P(0xfff00fe0, 0xe8c00f40, strexbh32),
    P(0xfff00fef, 0xe8d00f4f, ldrexbh32),
    P(0xfff0ffe0, 0xe8d0f000, tb32),
    P(0xfe400000, 0xe8400000, ldrd32),
    /* A5.3.11 data processing (shifted register) */
    P(0xfe000000, 0xea000000, dp_shreg32),
    /* A5.3.18 coprocessor instructions: no coprocessors -> NOCP */
    P(0xec000000, 0xec000000, cop32),
    /* A5.3.1 data processing (modified immediate) */
    P(0xfa008000, 0xf0000000, dp_modimm32),
    /* A5.3.3 data processing (plain binary immediate) */
    P(0xfa008000, 0xf2000000, dp_plain32),
    /* A5.3.4 branches and miscellaneous control: system encodings before B<c> */
    P(0xffe0d000, 0xf3808000, msr32),
    P(0xfff0d000, 0xf3a08000, hint32),
    P(0xfff0d000, 0xf3b08000, misc_ctl32),
    P(0xffe0d000, 0xf3e08000, mrs32),
    P(0xfff0f000, 0xf7f0a000, udf32),
    P(0xf800d000, 0xf0008000, bcond32),
    P(0xf800d000, 0xf0009000, b32),
    P(0xf800d000, 0xf000d000, bl32),
    /* A5.3.10/9/8/7 store single, load byte/halfword/word (+ memory hints) */
    P(0xfe000000, 0xf8000000, ldst32),
    /* A5.3.12 data processing (register) */
    P(0xff80f0f0, 0xfa00f000, shift_reg32),
    P(0xff8ff0c0, 0xfa0ff080, ext32),
    P(0xffc0f0c0, 0xfa80f080, misc32),
    /* A5.3.16 multiply, multiply accumulate */
    P(0xfff000c0, 0xfb000000, mul32),
    /* A5.3.17 long multiply, long multiply accumulate, divide */
    P(0xff8000f0, 0xfb800000, lmul32),
    P(0xff8000f0, 0xfb8000f0, lmul32),
};

int cm3_is_32bit(uint32_t hw)
{
    return (hw & 0xe000) == 0xe000 && (hw & 0x1800) != 0;
}

static int try_table(const cm3_pattern *t, size_t n, cm3_insn *d, uint32_t raw)
{
    for (size_t i = 0; i < n; i++) {
        if ((raw & t[i].mask) != t[i].match)
            continue;
        if (t == t32 && t[i].trans == trans_ldstm32) {
            unsigned op = (raw >> 23) & 3;   /* 01 = IA, 10 = DB */
            if (op != 1 && op != 2) return 0;
        }
        cm3_insn save = *d;
        if (t[i].trans(d, raw))
            return 1;
        *d = save;   /* not this encoding after all: UNPREDICTABLE/undefined form */
        return 0;
    }
    return 0;
}

static uint8_t op_of(cm3_exec_fn fn)
{
    static const cm3_op_id *const tables[] = { cm3_dp_ops, cm3_mem_ops, cm3_ctl_ops };
    for (size_t t = 0; t < 3; t++)
        for (const cm3_op_id *e = tables[t]; e->fn; e++)
            if (e->fn == fn) return e->op;
    return OP_HELPER;
}

/* Fill *d for the instruction `raw` (16-bit in bits 15:0, or hw1:hw2) at addr.
 * Returns 1 if defined; undefined encodings get exec_UNDEF and return 0. */
int cm3_decode(cm3_cpu *c, uint32_t addr, uint32_t raw, unsigned len, cm3_insn *d)
{
    (void)c;
    memset(d, 0, sizeof(*d));
    d->len = (uint8_t)len;
    d->wreg = 0xff;
    int ok = len == 2 ? try_table(t16, sizeof t16 / sizeof t16[0], d, raw)
                      : try_table(t32, sizeof t32 / sizeof t32[0], d, raw);
    if (!ok) {
        memset(d, 0, sizeof(*d));
            d->len = (uint8_t)len;
        d->wreg = 0xff;
        d->exec = exec_UNDEF;
        d->cycles = 1;
    }
    if (ok) cm3_dp_fast_path(d);
    d->op = op_of(d->exec);
    d->addr = addr;
    if (ok) cm3_dp_sp(d);
    /* Rule 3: a 16-bit instruction that cannot change the flow lets an IT fold onto it. */
    if (len == 2 && d->op != OP_B && d->op != OP_BCOND && d->op != OP_CBZ && d->op != OP_END &&
        !(d->op == OP_LDM && (d->imm & 0x8000u)))
        d->kind |= K_FOLD;
    return ok;
}
