/*
 * rtos context switch for ARMv7-M (Cortex-M3).
 *
 * Exception entry already pushed r0-r3, r12, lr, pc, xPSR on the task's PSP; these
 * handlers save/restore the rest (r4-r11) there too, so a task's whole context is its
 * stack plus task->sp (first member of struct rtos_task). Both return with
 * EXC_RETURN = 0xFFFFFFFD: thread mode, process stack (ARMv7-M ARM B1.5.8).
 */
    .syntax unified
    .cpu cortex-m3
    .thumb

/* SVC 0 from rtos_start: enter the first task chosen by rtos_sched_next. */
    .section .text.rtos_svc_handler, "ax", %progbits
    .global rtos_svc_handler
    .type rtos_svc_handler, %function
    .thumb_func
rtos_svc_handler:
    ldr     r0, =rtos_cur
    ldr     r0, [r0]
    ldr     r0, [r0]            /* task->sp */
    ldmia   r0!, {r4-r11}
    msr     psp, r0
    mvn     lr, #2              /* 0xFFFFFFFD */
    bx      lr
    .size rtos_svc_handler, . - rtos_svc_handler

/* PendSV: save the running task, pick the next, restore it. */
    .section .text.rtos_pendsv_handler, "ax", %progbits
    .global rtos_pendsv_handler
    .type rtos_pendsv_handler, %function
    .thumb_func
rtos_pendsv_handler:
    cpsid   i
    mrs     r0, psp
    stmdb   r0!, {r4-r11}
    ldr     r2, =rtos_cur
    ldr     r1, [r2]
    str     r0, [r1]            /* old task->sp */
    push    {r2, lr}            /* keep EXC_RETURN; 8-byte aligned */
    bl      rtos_sched_next     /* r0 = new task, rtos_cur updated */
    pop     {r2, lr}
    ldr     r0, [r0]            /* new task->sp */
    ldmia   r0!, {r4-r11}
    msr     psp, r0
    cpsie   i
    bx      lr
    .size rtos_pendsv_handler, . - rtos_pendsv_handler
