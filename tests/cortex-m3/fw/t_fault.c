/* Faults: UsageFault (UNDEFINSTR, NOCP, DIVBYZERO, UNALIGNED, INVSTATE), BusFault
 * (precise, BFAR), MemManage (execute-never), escalation to HardFault (FORCED), SVC
 * escalation. The handler prints the status registers and the faulting PC offset, then
 * skips the faulting instruction. */
#include "sh.h"

static volatile uint32_t recover_to;   /* if set, resume there instead of skipping */
static volatile uint32_t expect_pc;

__attribute__((naked)) void fault_entry(void)
{
    __asm volatile("mov r1, lr\n tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b fault_c\n");
}
void HardFault_Handler(void) __attribute__((alias("fault_entry")));
void MemManage_Handler(void) __attribute__((alias("fault_entry")));
void BusFault_Handler(void) __attribute__((alias("fault_entry")));
void UsageFault_Handler(void) __attribute__((alias("fault_entry")));

void fault_c(uint32_t *frame, uint32_t excret)
{
    uint32_t cfsr = SCB_CFSR, hfsr = SCB_HFSR, pc = frame[6];
    sh_printf("  exc %u cfsr %08x hfsr %08x", get_ipsr(), cfsr, hfsr);
    if (cfsr & (1u << 15)) sh_printf(" bfar %08x", SCB_BFAR);
    if (cfsr & (1u << 7)) sh_printf(" mmfar %08x", SCB_MMFAR);
    sh_printf(" pc %s excret %08x\n", expect_pc == 0 ? "-" : pc == expect_pc ? "ok" : "WRONG", excret);
    SCB_CFSR = cfsr;
    SCB_HFSR = hfsr;
    if (recover_to) {
        frame[6] = recover_to;
        frame[7] |= 1u << 24;
        recover_to = 0;
    } else {
        uint16_t hw = *(const uint16_t *)pc;
        frame[6] = pc + (((hw & 0xe000) == 0xe000 && (hw & 0x1800)) ? 4 : 2);
    }
}

#define AT(label) __asm volatile("ldr %0, =" label : "=r"(expect_pc))

__attribute__((noinline)) static void do_udf(void)
{
    AT("1f");
    __asm volatile("1: udf #7\n" ::: "memory");
}
__attribute__((noinline)) static void do_nocp(void)
{
    AT("1f");
    __asm volatile("1: mrc p15, 0, r0, c0, c0, 0\n" ::: "r0", "memory");
}
__attribute__((noinline)) static int do_div(int a, int b)
{
    int r;
    AT("1f");
    __asm volatile("1: sdiv %0, %1, %2\n" : "=r"(r) : "r"(a), "r"(b) : "memory");
    return r;
}
__attribute__((noinline)) static uint32_t do_ldr(uint32_t addr)
{
    uint32_t v = 0x5555;
    AT("1f");
    __asm volatile("1: ldr %0, [%1]\n" : "+r"(v) : "r"(addr) : "memory");
    return v;
}
__attribute__((noinline)) static void do_ldm(uint32_t addr)
{
    AT("1f");
    __asm volatile("1: ldm %0, {r2, r3}\n" ::"r"(addr) : "r2", "r3", "memory");
}
__attribute__((noinline)) static void do_str(uint32_t addr)
{
    AT("1f");
    __asm volatile("1: str %0, [%0]\n" ::"r"(addr) : "memory");
}
static void landing(void) { sh_printf("  landed\n"); }

int main(void)
{
    static uint32_t words[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };
    sh_printf("udf, UsageFault disabled -> HardFault\n");
    do_udf();
    SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18);   /* MEM, BUS, USG fault enable */
    sh_printf("shcsr %08x\n", SCB_SHCSR);
    sh_printf("udf -> UsageFault\n");
    do_udf();
    sh_printf("coprocessor -> NOCP\n");
    do_nocp();
    sh_printf("div by 0, DIV_0_TRP=0 -> %d\n", do_div(7, 0));
    SCB_CCR |= 1u << 4;
    sh_printf("div by 0, DIV_0_TRP=1\n");
    do_div(7, 0);
    SCB_CCR &= ~(1u << 4);
    sh_printf("unaligned ldr, UNALIGN_TRP=0 -> %08x\n", do_ldr((uint32_t)words + 1));
    SCB_CCR |= 1u << 3;
    sh_printf("unaligned ldr, UNALIGN_TRP=1\n");
    do_ldr((uint32_t)words + 2);
    SCB_CCR &= ~(1u << 3);
    sh_printf("unaligned ldm\n");
    do_ldm((uint32_t)words + 2);
    sh_printf("bus error load\n");
    do_ldr(0x30000000u);
    sh_printf("bus error store\n");
    do_str(0x30000004u);
    sh_printf("busfault disabled -> forced HardFault\n");
    SCB_SHCSR &= ~(1u << 17);
    do_ldr(0x30000008u);
    SCB_SHCSR |= 1u << 17;
    sh_printf("execute from XN region\n");
    expect_pc = 0xe0000000u;
    recover_to = (uint32_t)landing | 1u;
    ((void (*)(void))0xe0000001u)();
    sh_printf("bx to an even address -> INVSTATE\n");
    expect_pc = (uint32_t)landing & ~1u;
    recover_to = (uint32_t)landing | 1u;
    ((void (*)(void))((uint32_t)landing & ~1u))();
    sh_printf("done cfsr %08x hfsr %08x\n", SCB_CFSR, SCB_HFSR);

    return 0;
}
