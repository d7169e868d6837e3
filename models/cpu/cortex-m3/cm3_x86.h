/* A minimal x86-64 encoder for the block translator (cm3_jit.c). Only the forms the
 * translator uses: 32-bit ALU on eax/ecx/edx/esi/edi, loads/stores at [rbx + disp],
 * host memory at [rdx + rax], 64-bit moves for pointers and the cycle counter (r13). */
#ifndef RPVP_CM3_X86_H
#define RPVP_CM3_X86_H

#include <stdint.h>
#include <string.h>

typedef struct jbuf {
    uint8_t *p, *end;
    int overflow;
} jbuf;

enum { EAX = 0, ECX = 1, EDX = 2, ESI = 6, EDI = 7 };
enum { ALU_ADD = 0, ALU_OR = 1, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6, ALU_CMP = 7 };
enum { SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };
enum { CC_O = 0, CC_NO = 1, CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_BE = 6, CC_A = 7,
       CC_S = 8, CC_NS = 9, CC_L = 12, CC_GE = 13, CC_LE = 14, CC_G = 15 };

static inline void e1(jbuf *j, uint8_t b)
{
    if (j->p < j->end) *j->p++ = b;
    else j->overflow = 1;
}
static inline void e4(jbuf *j, uint32_t v)
{
    for (int i = 0; i < 4; i++) e1(j, (uint8_t)(v >> (8 * i)));
}
static inline void e8(jbuf *j, uint64_t v)
{
    for (int i = 0; i < 8; i++) e1(j, (uint8_t)(v >> (8 * i)));
}
/* ModRM (+disp) for [rbx + disp] with `reg` in the reg field. */
static inline void mrm(jbuf *j, unsigned reg, int32_t disp)
{
    if (disp >= -128 && disp < 128) { e1(j, (uint8_t)(0x43 | (reg & 7) << 3)); e1(j, (uint8_t)disp); }
    else { e1(j, (uint8_t)(0x83 | (reg & 7) << 3)); e4(j, (uint32_t)disp); }
}
static inline void rr(jbuf *j, unsigned reg, unsigned rm) { e1(j, (uint8_t)(0xc0 | reg << 3 | rm)); }

static inline void ld32(jbuf *j, unsigned r, int32_t off) { e1(j, 0x8b); mrm(j, r, off); }
static inline void st32(jbuf *j, int32_t off, unsigned r) { e1(j, 0x89); mrm(j, r, off); }
static inline void st32i(jbuf *j, int32_t off, uint32_t v) { e1(j, 0xc7); mrm(j, 0, off); e4(j, v); }
static inline void movi(jbuf *j, unsigned r, uint32_t v) { e1(j, (uint8_t)(0xb8 + r)); e4(j, v); }
static inline void movrr(jbuf *j, unsigned dst, unsigned src) { e1(j, 0x89); rr(j, src, dst); }
static inline void alu_rr(jbuf *j, int op, unsigned dst, unsigned src) { e1(j, (uint8_t)(op * 8 + 1)); rr(j, src, dst); }
static inline void alu_ri(jbuf *j, int op, unsigned dst, uint32_t v) { e1(j, 0x81); rr(j, (unsigned)op, dst); e4(j, v); }
static inline void alu_rm(jbuf *j, int op, unsigned dst, int32_t off) { e1(j, (uint8_t)(op * 8 + 3)); mrm(j, dst, off); }
static inline void alu_mi(jbuf *j, int op, int32_t off, uint32_t v) { e1(j, 0x81); mrm(j, (unsigned)op, off); e4(j, v); }
static inline void not_r(jbuf *j, unsigned r) { e1(j, 0xf7); rr(j, 2, r); }
static inline void sh_ri(jbuf *j, int op, unsigned r, unsigned n) { e1(j, 0xc1); rr(j, (unsigned)op, r); e1(j, (uint8_t)n); }
static inline void imul_rr(jbuf *j, unsigned dst, unsigned src) { e1(j, 0x0f); e1(j, 0xaf); rr(j, dst, src); }
static inline void setcc(jbuf *j, int cc, unsigned r8) { e1(j, 0x0f); e1(j, (uint8_t)(0x90 + cc)); rr(j, 0, r8); }
/* movzx/movsx dst, src8/src16: op 0xb6 zx8, 0xb7 zx16, 0xbe sx8, 0xbf sx16 */
static inline void movx_rr(jbuf *j, uint8_t op, unsigned dst, unsigned src) { e1(j, 0x0f); e1(j, op); rr(j, dst, src); }
static inline void bt_ri(jbuf *j, unsigned r, unsigned bit) { e1(j, 0x0f); e1(j, 0xba); rr(j, 4, r); e1(j, (uint8_t)bit); }
static inline void bt_rr(jbuf *j, unsigned r, unsigned bitreg) { e1(j, 0x0f); e1(j, 0xa3); rr(j, bitreg, r); }
static inline void test_rr(jbuf *j, unsigned a, unsigned b) { e1(j, 0x85); rr(j, b, a); }
static inline void test_ri(jbuf *j, unsigned r, uint32_t v) { e1(j, 0xf7); rr(j, 0, r); e4(j, v); }
static inline void cmp_mi(jbuf *j, int32_t off, uint32_t v) { alu_mi(j, ALU_CMP, off, v); }

/* 64-bit */
static inline void ld64(jbuf *j, unsigned r, int32_t off) { e1(j, 0x48); e1(j, 0x8b); mrm(j, r, off); }
static inline void cmp64_rm(jbuf *j, unsigned r, int32_t off) { e1(j, 0x48); e1(j, 0x3b); mrm(j, r, off); }
static inline void ld_r13(jbuf *j, int32_t off) { e1(j, 0x4c); e1(j, 0x8b); mrm(j, 5, off); }
static inline void st_r13(jbuf *j, int32_t off) { e1(j, 0x4c); e1(j, 0x89); mrm(j, 5, off); }
static inline void add_r13_i(jbuf *j, int32_t v) { e1(j, 0x49); e1(j, 0x81); e1(j, 0xc5); e4(j, (uint32_t)v); }
static inline void add_r13_r12(jbuf *j) { e1(j, 0x4d); e1(j, 0x01); e1(j, 0xe5); }
static inline void lea_rax_r13(jbuf *j, int32_t v) { e1(j, 0x49); e1(j, 0x8d); e1(j, 0x85); e4(j, (uint32_t)v); }
static inline void mov_rdi_rbx(jbuf *j) { e1(j, 0x48); e1(j, 0x89); e1(j, 0xdf); }
static inline void mov_rsi_i64(jbuf *j, uint64_t v) { e1(j, 0x48); e1(j, 0xbe); e8(j, v); }
static inline void call_i64(jbuf *j, uint64_t fn) { e1(j, 0x48); e1(j, 0xb8); e8(j, fn); e1(j, 0xff); e1(j, 0xd0); }
/* host memory [rdx + rax]: op bytes then ModRM/SIB */
static inline void host_mem(jbuf *j, unsigned reg) { e1(j, (uint8_t)(0x04 | reg << 3)); e1(j, 0x02); }
static inline void host_ld(jbuf *j, unsigned size, int sign, unsigned r)
{
    if (size == 4) { e1(j, 0x8b); }
    else { e1(j, 0x0f); e1(j, (uint8_t)((size == 1 ? 0xb6 : 0xb7) | (sign ? 0x08 : 0))); }
    host_mem(j, r);
}
static inline void host_st(jbuf *j, unsigned size, unsigned r)
{
    if (size == 2) e1(j, 0x66);
    e1(j, size == 1 ? 0x88 : 0x89);
    host_mem(j, r);
}

/* Jumps: rel32, patched later. Return the address of the rel32 field. */
static inline uint8_t *jcc(jbuf *j, int cc) { e1(j, 0x0f); e1(j, (uint8_t)(0x80 + cc)); uint8_t *p = j->p; e4(j, 0); return p; }
static inline uint8_t *jmp(jbuf *j) { e1(j, 0xe9); uint8_t *p = j->p; e4(j, 0); return p; }
static inline void patch(jbuf *j, uint8_t *at, const uint8_t *target)
{
    if (!at || j->overflow) return;
    int32_t rel = (int32_t)(target - (at + 4));
    memcpy(at, &rel, 4);
}
static inline void jmp_to(jbuf *j, const uint8_t *target) { patch(j, jmp(j), target); }

#endif
