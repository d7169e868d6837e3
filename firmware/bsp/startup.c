/*
 * Cortex-M3 start-up: the vector table (at address 0, where VTOR points after reset) and
 * the reset handler. The loader (rpvp's or Linux remoteproc's) places every PT_LOAD
 * segment at its run address, so .data needs no copy; .bss is zeroed here anyway because
 * a debugger-loaded image may not zero it.
 * Built with -fno-tree-loop-distribute-patterns: the zero loop must not become memset.
 */
#include <stdint.h>

#include "bsp.h"
#include "omap4_m3.h"
#include "rtos.h"
#include "../rtos/cm3.h"

extern uint32_t __bss_start__[], __bss_end__[], __stack_top__[], __vectors_start__[];
int main(void);

void reset_handler(void) __attribute__((noreturn));
void reset_handler(void)
{
    for (uint32_t *p = __bss_start__; p < __bss_end__; p++)
        *p = 0;
    cm3_write(SCS_VTOR, (uint32_t)(uintptr_t)__vectors_start__);
    main();
    bsp_panic("main returned");
}

static void fault_handler(void)
{
    bsp_panic("fault: HFSR=%x CFSR=%x", (unsigned)cm3_read(SCS_HFSR),
              (unsigned)cm3_read(SCS_CFSR));
}

static void unexpected_irq(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    bsp_panic("unexpected exception %u", (unsigned)ipsr);
}

typedef void (*vector_fn)(void);

/* Defaults first, then the handlers we have: overriding an initializer is intended. */
#pragma GCC diagnostic ignored "-Woverride-init"

/* ARMv7-M ARM B1.5.2: initial SP, then exceptions 1..15, then external IRQs. */
__attribute__((section(".isr_vector"), used))
const vector_fn vectors[16 + OMAP4_M3_NUM_IRQS] = {
    [1 ... 16 + OMAP4_M3_NUM_IRQS - 1] = unexpected_irq,
    [0] = (vector_fn)(uintptr_t)__stack_top__,
    [1] = reset_handler,
    [3] = fault_handler,    /* HardFault */
    [4] = fault_handler,    /* MemManage */
    [5] = fault_handler,    /* BusFault */
    [6] = fault_handler,    /* UsageFault */
    [11] = rtos_svc_handler,
    [14] = rtos_pendsv_handler,
    [15] = rtos_systick_handler,
    [16 + OMAP4_M3_MBOX_IRQ] = bsp_mbox_isr,
};
