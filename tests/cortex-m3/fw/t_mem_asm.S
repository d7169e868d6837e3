/* Table branches for t_mem.c: TBB/TBH with the table after the instruction ([PC, Rm]) and
 * with the table in a register, forward targets near and far (> 510 bytes: TBH only),
 * TBB as the last instruction of an IT block. Each returns a value per case in r0. */
    .syntax unified
    .thumb
    .text

/* int tbb_pc(unsigned i): i in 0..5 */
    .global tbb_pc
    .type tbb_pc, %function
    .thumb_func
tbb_pc:
    tbb [pc, r0]
1:  .byte (b0 - 1b) / 2, (b1 - 1b) / 2, (b2 - 1b) / 2, (b3 - 1b) / 2, (b4 - 1b) / 2
    .byte (b5 - 1b) / 2
b0: movs r0, #10
    bx lr
b1: movs r0, #11
    bx lr
b2: movs r0, #12
    bx lr
b3: movs r0, #13
    bx lr
b4: movs r0, #14
    bx lr
    .space 300, 0          /* a far byte offset (> 255 bytes: entry > 127) */
b5: movs r0, #15
    bx lr

/* int tbb_reg(unsigned i): table addressed by a register (Rn != PC), i in 0..2 */
    .global tbb_reg
    .type tbb_reg, %function
    .thumb_func
tbb_reg:
    adr.w r1, 3f
    tbb [r1, r0]
2:  movs r0, #20
    bx lr
r1_: movs r0, #21
    bx lr
r2_: movs r0, #22
    bx lr
    .align 2
3:  .byte 0, (r1_ - 2b) / 2, (r2_ - 2b) / 2, 0

/* int tbh_pc(unsigned i): i in 0..3, targets beyond TBB's reach */
    .global tbh_pc
    .type tbh_pc, %function
    .thumb_func
tbh_pc:
    tbh [pc, r0, lsl #1]
4:  .hword (h0 - 4b) / 2, (h1 - 4b) / 2, (h2 - 4b) / 2, (h3 - 4b) / 2
h0: movs r0, #30
    bx lr
    .space 600, 0
h1: movs r0, #31
    bx lr
    .space 1200, 0
h2: movw r0, #32
    bx lr
h3: movs r0, #33
    bx lr

/* int tbb_it(unsigned i, int cond): TBB conditional on cond != 0 (last insn of an IT
 * block); returns 99 when not taken. */
    .global tbb_it
    .type tbb_it, %function
    .thumb_func
tbb_it:
    adr.w r2, 7f
    cmp r1, #0
    it ne
    tbbne [r2, r0]
5:  movs r0, #99
    bx lr
i0: movs r0, #40
    bx lr
i1: movs r0, #41
    bx lr
    .align 2
7:  .byte (i0 - 5b) / 2, (i1 - 5b) / 2
