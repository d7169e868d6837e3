/* Vector table and reset for the ISS test programs. Handlers are weak: a test defines
 * the ones it needs; the defaults print which exception arrived and exit. */
#include "sh.h"

extern uint32_t __stack_top, __data_load, __data_start, __data_end, __bss_start, __bss_end;
int main(void);

handler_fn irq_table[32];

void Default_Handler(void)
{
    uint32_t ipsr = get_ipsr();
    if (ipsr >= 16 && irq_table[ipsr - 16]) { irq_table[ipsr - 16](); return; }
    sh_printf("unexpected exception %u CFSR=%08x HFSR=%08x\n", ipsr, SCB_CFSR, SCB_HFSR);
    sh_exit(99);
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void Reset_Handler(void)
{
    uint32_t *s = &__data_load, *d = &__data_start;
    while (d < &__data_end) *d++ = *s++;
    for (d = &__bss_start; d < &__bss_end;) *d++ = 0;
    sh_exit(main());
}

#define WEAK __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK;
void HardFault_Handler(void) WEAK;
void MemManage_Handler(void) WEAK;
void BusFault_Handler(void) WEAK;
void UsageFault_Handler(void) WEAK;
void SVC_Handler(void) WEAK;
void DebugMon_Handler(void) WEAK;
void PendSV_Handler(void) WEAK;
void SysTick_Handler(void) WEAK;

__attribute__((section(".vectors"), used))
const void *const vectors[16 + 32] = {
    &__stack_top, Reset_Handler, NMI_Handler, HardFault_Handler, MemManage_Handler,
    BusFault_Handler, UsageFault_Handler, 0, 0, 0, 0, SVC_Handler, DebugMon_Handler, 0,
    PendSV_Handler, SysTick_Handler,
    [16 ... 47] = Default_Handler,
};
