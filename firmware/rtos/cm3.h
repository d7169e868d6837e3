/*
 * Cortex-M3 architectural registers the RTOS and BSP use: System Control Block, SysTick
 * and NVIC (ARMv7-M Architecture Reference Manual, DDI 0403E, B3.2 "System Control
 * Space"; Cortex-M3 TRM DDI 0337I ch. 4/8). Same addresses on every Cortex-M3.
 * One read/write accessor pair; register and field names as in the ARM ARM.
 */
#ifndef RTOS_CM3_H
#define RTOS_CM3_H

#include <stdint.h>

#define SCS_ICSR   0xE000ED04u /* Interrupt Control and State */
#define SCS_VTOR   0xE000ED08u /* Vector Table Offset */
#define SCS_SHPR2  0xE000ED1Cu /* System Handler Priority 2: SVCall in [31:24] */
#define SCS_SHPR3  0xE000ED20u /* System Handler Priority 3: PendSV [23:16], SysTick [31:24] */
#define SCS_CFSR   0xE000ED28u /* Configurable Fault Status */
#define SCS_HFSR   0xE000ED2Cu /* HardFault Status */

#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSTSET (1u << 26)

#define SYST_CSR   0xE000E010u /* SysTick Control and Status */
#define SYST_RVR   0xE000E014u /* SysTick Reload Value (24 bits) */
#define SYST_CVR   0xE000E018u /* SysTick Current Value */
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2) /* 1: the processor clock */
#define SYST_CSR_COUNTFLAG (1u << 16)
#define SYST_RVR_MAX       0x00FFFFFFu

#define NVIC_ISER(n) (0xE000E100u + 4u * (n)) /* Interrupt Set-Enable, 32 IRQs each */
#define NVIC_ICER(n) (0xE000E180u + 4u * (n)) /* Interrupt Clear-Enable */
#define NVIC_ICPR(n) (0xE000E280u + 4u * (n)) /* Interrupt Clear-Pending */
#define NVIC_IPR_BYTE(irq) (0xE000E400u + (irq)) /* Interrupt Priority, one byte each */

#define CM3_PRIO_LOWEST 0xFFu

static inline uint32_t cm3_read(uint32_t addr)
{
    return *(volatile uint32_t *)addr;
}
static inline void cm3_write(uint32_t addr, uint32_t val)
{
    *(volatile uint32_t *)addr = val;
}
static inline void cm3_write8(uint32_t addr, uint8_t val)
{
    *(volatile uint8_t *)addr = val;
}

static inline void cm3_nvic_enable(unsigned irq)
{
    cm3_write(NVIC_ISER(irq / 32u), 1u << (irq % 32u));
}
static inline void cm3_nvic_disable(unsigned irq)
{
    cm3_write(NVIC_ICER(irq / 32u), 1u << (irq % 32u));
}
static inline void cm3_nvic_set_priority(unsigned irq, uint8_t prio)
{
    cm3_write8(NVIC_IPR_BYTE(irq), prio);
}
static inline void cm3_pend_pendsv(void)
{
    cm3_write(SCS_ICSR, ICSR_PENDSVSET);
}
static inline void cm3_wfi(void)
{
    __asm volatile("dsb\n wfi" ::: "memory");
}
static inline void cm3_isb(void)
{
    __asm volatile("isb" ::: "memory");
}

#endif
