/* Waits in WFI for external IRQ0 (raised by the SystemC test bench), twice. */
#include "sh.h"
static volatile int hits;
static void irq0(void) { hits++; }
int main(void)
{
    irq_table[0] = irq0;
    NVIC_ISER(0) = 1;
    while (hits < 2) __asm volatile("wfi");
    sh_printf("irq0 taken %d times after wfi\n", hits);
    return 0;
}
