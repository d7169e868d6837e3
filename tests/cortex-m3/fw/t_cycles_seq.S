/* Straight-line sequences for t_cycles.c, each timed with DWT_CYCCNT.
 *
 * Every cy_<name> function returns the cycles between two CYCCNT reads framed like this:
 *     <setup>            not timed
 *     ldr r2, [r1]       first read (r1 = &DWT_CYCCNT)
 *     nop
 *     <sequence>
 *     nop
 *     ldr r3, [r1]       second read
 * The NOPs make every frame's edges the same (the sequence's first instruction never
 * pipelines with the first read, the second read never pipelines with the sequence), so
 * cost(sequence) = frame(sequence) - frame(empty) whatever point of the LDR the counter is
 * sampled at. cy_b2b is two back-to-back reads (the raw overhead of reading CYCCNT).
 * r4 = cybuf (64 words, set by t_cycles.c), r1-r3 reserved; sequences use r0, r5-r12. */
    .syntax unified
    .thumb
    .text

.macro BEGIN name, section=.text
    .section \section, "ax", %progbits
    .global cy_\name
    .type cy_\name, %function
    .thumb_func
cy_\name:
    push {r4-r11, lr}
    ldr r1, =0xe0001004
    ldr r4, =cybuf
.endm
.macro START
    .balign 4              /* the sequence starts word-aligned (padding runs untimed) */
    ldr r2, [r1]
    nop
.endm
.macro STOP
    nop
    ldr r3, [r1]
    subs r0, r3, r2
    pop {r4-r11, pc}
    .ltorg
.endm

BEGIN b2b
    .balign 4
    ldr r2, [r1]
    ldr r3, [r1]
    subs r0, r3, r2
    pop {r4-r11, pc}
    .ltorg

BEGIN empty
START
STOP

BEGIN nop8
START
    .rept 8
    nop
    .endr
STOP

BEGIN adds8                @ dependent 16-bit ADD chain
START
    .rept 8
    adds r5, #1
    .endr
STOP

BEGIN dp32                 @ 32-bit data processing, MOVW/MOVT, shifted operand
START
    add.w r5, r5, #1
    movw r6, #0x1234
    movt r6, #0x5678
    eor.w r7, r6, r5, ror #3
    orr.w r8, r7, r6, lsl #4
    rsb r9, r8, #7
STOP

BEGIN misc                 @ CLZ, RBIT, REV, UBFX, BFI, SSAT, USAT, SXTB: 1 each
START
    clz r5, r6
    rbit r6, r7
    rev r7, r8
    ubfx r8, r9, #3, #7
    bfi r9, r5, #8, #4
    ssat r10, #8, r6
    usat r11, #8, r7
    sxtb r12, r8
STOP

BEGIN mul4                 @ MUL: 1
START
    muls r5, r6, r5
    mul r6, r7, r6
    muls r5, r6, r5
    mul r7, r7, r5
STOP

BEGIN mla2                 @ MLA, MLS: 2
START
    mla r5, r6, r7, r8
    mls r6, r7, r8, r9
STOP

BEGIN umull_ll             @ UMULL, both operands < 0x10000: 3 (early termination)
    movs r5, #100
    movw r6, #1000
START
    umull r7, r8, r5, r6
STOP

BEGIN umull_ff             @ UMULL, both operands with both halves non-zero: 5
    ldr r5, =0x12345678
    ldr r6, =0x9abcdef1
START
    umull r7, r8, r5, r6
STOP

BEGIN ldr2                 @ LDR; LDR independent: 1 + N
START
    ldr r5, [r4]
    ldr r6, [r4, #4]
STOP

BEGIN ldr4                 @ four pipelined loads, 16- and 32-bit encodings: 1 + N
START
    ldr r5, [r4]
    ldr.w r6, [r4, #4]
    ldrb r7, [r4, #9]
    ldrh.w r8, [r4, #12]
STOP

BEGIN ldr_dep              @ the second load's address is the first's result: 2 + 2
START
    ldr r5, [r4, #16]      @ cybuf[4] = &cybuf
    ldr r6, [r5]
STOP

BEGIN str2                 @ STR; STR with immediate offsets: 1 each (TRM §3.3.2)
START
    str r5, [r4, #32]
    str r6, [r4, #36]
STOP

BEGIN ldr_str              @ a load then a store pipeline too
START
    ldr r5, [r4]
    str r6, [r4, #40]
STOP

BEGIN ldm4                 @ LDM 1 + N
START
    ldm r4, {r5-r8}
STOP

BEGIN stm4_wb              @ STM with write-back 1 + N
    add r9, r4, #128
START
    stmia r9!, {r5-r8}
STOP

BEGIN pushpop              @ PUSH {4} + POP {4}: (1 + 4) * 2
START
    push {r5-r8}
    pop {r5-r8}
STOP

BEGIN ldrd                 @ LDRD / STRD: 1 + N each
START
    ldrd r5, r6, [r4]
    strd r5, r6, [r4, #48]
STOP

BEGIN b_taken              @ B to a 16-bit target: 1 + P (P = 1)
START
    b.n 1f
    udf #1
1:
STOP

BEGIN bcc_not              @ CMP + B<c> not taken: 1 + 1
START
    cmp r0, r0
    bne.n 1f
1:
STOP

BEGIN bcc_taken            @ CMP + B<c> taken: 1 + 1 + P
START
    cmp r0, r0
    beq.n 1f
    udf #1
1:
STOP

BEGIN bl_bxlr              @ BL + BX LR: (1 + P) + (1 + P), decode-time branches
START
    bl cy_leaf
STOP
    .thumb_func
cy_leaf:
    bx lr

BEGIN bx_reg               @ BX Rm (Rm != LR): 1 + P, execute-time (P = 2)
    adr r5, 1f
    adds r5, #1
START
    bx r5
    udf #1
    .balign 4
1:
STOP

BEGIN cbz                  @ CBZ taken: 1 + P (execute-time); CBNZ not taken: 1; NOP
    movs r5, #0
START
    cbz r5, 1f
    udf #1
1:  cbnz r5, 2f
    nop
2:
STOP

BEGIN udiv_100_10          @ divides: 5 + (X - Y) / 4 with X, Y the top set bits
    movs r5, #100
    movs r6, #10
START
    udiv r7, r5, r6
STOP

BEGIN udiv_max             @ 0x80000000 / 1: 5 + 31 / 4 = 12, the TRM's maximum
    mov r5, #0x80000000
    movs r6, #1
START
    udiv r7, r5, r6
STOP

BEGIN udiv_small           @ dividend < divisor: 3
    movs r5, #5
    movs r6, #10
START
    udiv r7, r5, r6
STOP

BEGIN udiv_zero            @ zero dividend: 2, the TRM's minimum
    movs r5, #0
    movs r6, #10
START
    udiv r7, r5, r6
STOP

BEGIN sdiv_neg             @ -1000 / 10: |n| top bit 9, |d| 3: 5 + 6 / 4 = 6
    ldr r5, =-1000
    movs r6, #10
START
    sdiv r7, r5, r6
STOP

BEGIN tbb                  @ TBB: "at least six" (TRM §3.3.2 note): 2 + 1 + P (P = 3)
    movs r5, #1
START
    tbb [pc, r5]
3:  .byte 0, (1f - 3b) / 2
    udf #1
1:
STOP

BEGIN barriers             @ DMB, DSB: 1 each; ISB: 1 + B (B = a refill, 1)
START
    dmb
    dsb
    isb
STOP

BEGIN pop_pc               @ POP {r5, pc}: 1 + N + P, P = 3 as for every load into PC
    adr r6, 1f
    adds r6, #1
    push {r5, r6}
START
    pop {r5, pc}
    udf #1
    .balign 4
1:
STOP

BEGIN b_al32               @ B to a word-aligned 32-bit instruction: 1 + P, then 1
START
    b.n 1f
    udf #1
1:  add.w r5, r5, #1
STOP

BEGIN b_unal32             @ the same target at an odd halfword: P + 1 (refill of a
START                      @ 32-bit instruction straddling two fetch words)
    b.n 1f
1:  add.w r5, r5, #1
STOP

BEGIN ldr_unal_b           @ LDR of a byte-aligned word: 2 + 2 (ARM 100165 §3.3.2)
START
    ldr r5, [r4, #1]
STOP

BEGIN ldr_unal_h           @ LDR of a halfword-aligned word: 2 + 1; LDRH of an odd
START                      @ halfword right after it: pipelined 1 + 1
    ldr r5, [r4, #2]
    ldrh r6, [r4, #5]
STOP

BEGIN ldr_agu              @ load address written by the previous ALU instruction: + 1
START
    add r9, r4, #4
    ldr r5, [r9]
STOP

BEGIN svc                  @ SVC, entry, handler BX LR, return (see t_cycles.c)
START
    svc #0
STOP

BEGIN str3                 @ rule 2: STR/STRB/STRH with immediate offsets, 1 each
START
    str r5, [r4, #32]
    strb r6, [r4, #36]
    strh.w r7, [r4, #40]
STOP

BEGIN str_ldr              @ nothing pipelines after a store: 1 + 2
START
    str r5, [r4, #32]
    ldr r6, [r4]
STOP

BEGIN str_agu              @ store address written by the previous ALU insn: 1 + 1 + 1
START
    add r9, r4, #32
    str r5, [r9]
STOP

BEGIN it_fold              @ rule 3: IT after 16-bit cmp folds (0), after add.w costs 1
START
    cmp r0, r0
    it eq
    moveq r5, #1
    add.w r6, r6, #1
    it eq
    moveq r5, #2
STOP

BEGIN ldr_pc               @ rule 4: LDR PC "at least five" (TRM §3.3.2 note): 2 + 3
    adr r5, 1f
    adds r5, #1
    str r5, [r4, #60]
START
    ldr.w pc, [r4, #60]
    udf #1
    .balign 4
1:
STOP

BEGIN tbh                  @ rule 4: TBH "at least six": 2 + 1 + 3
    movs r5, #1
START
    tbh [pc, r5, lsl #1]
3:  .hword 0, (1f - 3b) / 2
    udf #1
    .balign 4
1:
STOP

BEGIN b_unal32_ldr         @ rule 5: after a load the odd-halfword 32-bit target is
START                      @ speculated: 2 + (1 + P) + 1, no extra
    ldr.w r5, [r4]
    b.n 1f
1:  add.w r5, r5, #1
STOP

BEGIN b_unal32_umull       @ rule 5: the same after a long multiply: 3 + 2 + 1
    movs r5, #100
    movw r6, #1000
START
    umull r7, r8, r5, r6
    b.n 1f
1:  add.w r5, r5, #1
STOP

BEGIN ldr_ppb              @ rule 6: SRAM, PPB, SRAM loads do not pipeline: 2 + 2 + 2
START
    ldr r5, [r4]
    ldr r6, [r1]
    ldr r7, [r4, #4]
STOP

BEGIN umull_mla            @ rule 6: MLA right after a long multiply: 3 + 1
    movs r5, #100
    movw r6, #1000
START
    umull r7, r8, r5, r6
    mla r9, r5, r6, r7
STOP

@ ---- memory timing (rule 7): the same sequences in SRAM code and on flash data. Their
@ figures depend on the region timing rpvp-cm3 runs with (t_cycles.c: MEMSEQS). SRAM code
@ is copied there with .data and timed against an empty frame also in SRAM.
BEGIN ram_empty, .data.ramfunc
START
STOP

BEGIN ram_add4, .data.ramfunc     @ four 32-bit instructions fetched over the System bus
START
    add.w r5, r5, #1
    add.w r5, r5, #1
    add.w r5, r5, #1
    add.w r5, r5, #1
STOP

BEGIN ram_adds4, .data.ramfunc    @ four 16-bit ones: two to a word, they keep up
START
    adds r5, #1
    adds r5, #1
    adds r5, #1
    adds r5, #1
STOP

.macro LDR8 base             @ eight pipelined loads of consecutive words
    .irp off, 0, 4, 8, 12, 16, 20, 24, 28
    ldr r5, [\base, #\off]
    .endr
.endm

BEGIN flash_ldr8           @ eight pipelined loads of flash (code-region) data
    ldr r6, =cy_flash_table
START
    LDR8 r6
STOP

BEGIN sram_ldr8            @ the same loads of SRAM data
START
    LDR8 r4
STOP

    .section .rodata
    .balign 4
cy_flash_table:
    .word 1, 2, 3, 4, 5, 6, 7, 8
