/* IT blocks and exception edge cases not in t_alu/t_exc: a conditional SVC in the middle
 * of an IT block (ITSTATE saved in the stacked xPSR and resumed after the return; a
 * failed-condition SVC does nothing), a precise BusFault inside an IT block (stacked IT
 * bits), a failed-condition load that would fault, flags changed inside an IT block,
 * conditional branches/BX as the last instruction of an IT block, NMI through
 * ICSR.NMIPENDSET under PRIMASK and FAULTMASK, a vector table relocated to RAM with VTOR,
 * the 8-byte stack alignment on entry (CCR.STKALIGN, stacked xPSR bit 9), and unprivileged
 * thread mode (MRS of MSP/PSP reads 0, BASEPRI/PRIMASK/FAULTMASK/CONTROL writes ignored,
 * PPB load -> BusFault, STIR only with CCR.USERSETMPEND).
 * Only synchronous exceptions are used where the stacked state is printed: where an
 * asynchronous one lands differs between QEMU (translation-block boundaries) and rpvp. */
#include "sh.h"

/* ---- SVC: prints the stacked xPSR IT/ICI bits, bit 9, and the frame alignment ---- */
FRAME_HANDLER(SVC_Handler, svc_c)
static volatile uint32_t svc_count;
void svc_c(uint32_t *frame, uint32_t excret)
{
    uint32_t xpsr = frame[7];
    uint8_t num = ((const uint8_t *)frame[6])[-2];
    if (num == 0x20) {   /* back to privileged (thread stays on PSP) */
        __asm volatile("msr control, %0\n isb" ::"r"(2u));
        return;
    }
    svc_count++;
    sh_printf("  svc %u: it %02x align9 %u frame%%8 %u excret %08x\n", num,
              ((xpsr >> 8) & 0xfc) | ((xpsr >> 25) & 3), (xpsr >> 9) & 1,
              (uint32_t)frame & 7, excret);
}

/* ---- faults: print, then resume at a landing address if one is set (the rest of the
 * IT block is abandoned: the handler clears the stacked IT bits), else skip the
 * faulting instruction ---- */
static volatile uint32_t land;
FRAME_HANDLER(fault_entry, fault_c)
void HardFault_Handler(void) __attribute__((alias("fault_entry")));
void BusFault_Handler(void) __attribute__((alias("fault_entry")));
void UsageFault_Handler(void) __attribute__((alias("fault_entry")));
void fault_c(uint32_t *frame, uint32_t excret)
{
    uint32_t xpsr = frame[7], cfsr = SCB_CFSR;
    (void)excret;
    sh_printf("  fault %u cfsr %08x bfar %08x it %02x\n", get_ipsr(), cfsr,
              (cfsr & (1u << 15)) ? SCB_BFAR : 0, ((xpsr >> 8) & 0xfc) | ((xpsr >> 25) & 3));
    SCB_CFSR = cfsr;
    if (!land) {
        uint16_t hw = *(const uint16_t *)frame[6];
        frame[6] += ((hw & 0xe000) == 0xe000 && (hw & 0x1800)) ? 4 : 2;
        return;
    }
    frame[6] = land;
    frame[7] = (xpsr & ~0x0600fc00u) | (1u << 24);
    land = 0;
}

static void test_it_svc(void)
{
    uint32_t a = 0, b = 0;
    sh_printf("svc inside itttt eq (taken):\n");
    __asm volatile("movs %0, #0\n movs %1, #0\n cmp %0, #0\n"
                   "itttt eq\n addeq %0, #1\n svceq 7\n addeq %0, #2\n addeq %1, #5\n"
                   : "=&l"(a), "=&l"(b) : : "cc", "memory");
    sh_printf("  after: %u %u\n", a, b);
    sh_printf("svc inside itete ne (condition fails for the svc):\n");
    __asm volatile("movs %0, #0\n movs %1, #0\n cmp %0, #1\n"
                   "itete ne\n addne %0, #1\n svceq 8\n addne %0, #4\n addeq %1, #5\n"
                   : "=&l"(a), "=&l"(b) : : "cc", "memory");
    sh_printf("  after: %u %u svcs %u\n", a, b, svc_count);
    sh_printf("svc as the 3rd of ittee:\n");
    __asm volatile("movs %0, #0\n movs %1, #3\n cmp %1, #3\n"
                   "ittee ne\n addne %0, #1\n addne %0, #2\n svceq 9\n addeq %1, #5\n"
                   : "=&l"(a), "=&l"(b) : : "cc", "memory");
    sh_printf("  after: %u %u svcs %u\n", a, b, svc_count);
}

static void test_it_fault(void)
{
    uint32_t a = 0, b = 0;
    sh_printf("bus fault inside ittt eq:\n");
    /* the handler resumes at 1: (the landing address is set up in the same asm) */
    __asm volatile("adr.w %1, 1f\n orr %1, %1, #1\n str %1, [%3]\n"
                   "movs %0, #0\n cmp %0, #0\n ittt eq\n addeq %0, #1\n ldreq %1, [%2]\n"
                   "addeq %0, #2\n 1:\n"
                   : "=&l"(a), "=&l"(b) : "l"(0x30000000u), "l"(&land) : "cc", "memory");
    sh_printf("  resumed: a %u\n", a);
    sh_printf("failed-condition load from a bad address:\n");
    __asm volatile("movs %0, #0\n movs %1, #9\n cmp %0, #1\n itt eq\n ldreq %1, [%2]\n"
                   "ldreq %1, [%2, #4]\n adds %0, #3\n"
                   : "=&l"(a), "=&l"(b) : "l"(0x30000000u) : "cc", "memory");
    sh_printf("  no fault: %u %u\n", a, b);
}

static void test_it_flags(void)
{
    uint32_t a, b, c;
    /* CMP inside the block changes the flags the later instructions test */
    __asm volatile("movs %0, #5\n movs %1, #0\n movs %2, #0\n cmp %0, #5\n"
                   "itete eq\n cmpeq %0, #6\n addne %1, #1\n addeq %2, #1\n addne %1, #2\n"
                   : "=&l"(a), "=&l"(b), "=&l"(c) : : "cc");
    sh_printf("flags changed in it: %u %u\n", b, c);
    /* 16-bit ADD inside IT does not set flags; ADDS.W does */
    __asm volatile("movs %0, #0\n movs %1, #0\n cmp %0, #0\n"
                   "itt eq\n addeq %0, %0, #1\n addseq.w %1, %0, #-1\n"
                   "ite eq\n moveq %2, #1\n movne %2, #2\n"
                   : "=&l"(a), "=&l"(b), "=&l"(c) : : "cc");
    sh_printf("adds.w in it: %u %u %u\n", a, b, c);
    /* branch as the last instruction of an IT block */
    __asm volatile("movs %0, #0\n cmp %0, #0\n ite ne\n movne %0, #1\n beq 1f\n"
                   "movs %0, #7\n 1: adds %0, #2\n"
                   : "=&l"(a) : : "cc");
    __asm volatile("movs %0, #0\n cmp %0, #0\n itt eq\n moveq %0, #4\n beq.w 1f\n"
                   "movs %0, #7\n 1: adds %0, #2\n"
                   : "=&l"(b) : : "cc");
    sh_printf("branch last in it: %u %u\n", a, b);
}

__attribute__((naked)) static uint32_t bx_in_it(uint32_t x)
{
    (void)x;
    __asm volatile("mov r1, r0\n movs r0, #10\n cmp r1, #0\n it eq\n bxeq lr\n movs r0, #20\n bx lr\n");
}

/* ---- NMI ---- */
static volatile uint32_t nmi_count, nmi_ipsr;
void NMI_Handler(void) { nmi_count++; nmi_ipsr = get_ipsr(); }
static void test_nmi(void)
{
    __asm volatile("cpsid i\n cpsid f" ::: "memory");
    SCB_ICSR = 1u << 31;   /* NMIPENDSET */
    dsb_isb();
    __asm volatile("cpsie f\n cpsie i" ::: "memory");
    sh_printf("nmi under primask+faultmask: count %u ipsr %u\n", nmi_count, nmi_ipsr);
}

/* ---- VTOR: a copy of the table in RAM with another PendSV handler ---- */
extern const void *const vectors[48];
static uint32_t ram_vectors[64] __attribute__((aligned(256)));
static volatile uint32_t pendsv_which;
void PendSV_Handler(void) { pendsv_which = 1; }
static void pendsv_ram(void) { pendsv_which = 2; }
static void test_vtor(void)
{
    for (int i = 0; i < 48; i++) ram_vectors[i] = (uint32_t)vectors[i];
    ram_vectors[14] = (uint32_t)pendsv_ram;
    SCB_ICSR = 1u << 28;
    dsb_isb();
    uint32_t before = pendsv_which;
    SCB_VTOR = (uint32_t)ram_vectors;
    dsb_isb();
    uint32_t vtor_ok = SCB_VTOR == (uint32_t)ram_vectors;
    SCB_ICSR = 1u << 28;
    dsb_isb();
    uint32_t after = pendsv_which;
    SCB_VTOR = 0;
    dsb_isb();
    sh_printf("vtor: flash handler %u, ram handler %u, vtor readback %u\n", before, after, vtor_ok);
}

/* ---- stack alignment on exception entry ---- */
static void test_stkalign(void)
{
    sh_printf("ccr stkalign %u\n", (SCB_CCR >> 9) & 1);
    uint32_t sp0, sp1;
    sh_printf("svc with sp%%8 == 4:\n");
    __asm volatile("mov %0, sp\n sub sp, #4\n svc 1\n add sp, #4\n mov %1, sp" : "=&r"(sp0), "=&r"(sp1) : : "memory");
    sh_printf("  sp restored %u\n", sp0 == sp1);
    sh_printf("svc with sp%%8 == 0:\n");
    __asm volatile("mov %0, sp\n svc 2\n mov %1, sp" : "=&r"(sp0), "=&r"(sp1) : : "memory");
    sh_printf("  sp restored %u\n", sp0 == sp1);
    SCB_CCR &= ~(1u << 9);
    sh_printf("stkalign 0, svc with sp%%8 == 4:\n");
    __asm volatile("mov %0, sp\n sub sp, #4\n svc 3\n add sp, #4\n mov %1, sp" : "=&r"(sp0), "=&r"(sp1) : : "memory");
    sh_printf("  sp restored %u\n", sp0 == sp1);
    SCB_CCR |= 1u << 9;
}

/* ---- unprivileged thread mode: privileged-only registers and the PPB ----
 * Done in one asm block, results stored and printed once privileged again: QEMU 7.2
 * refuses semihosting from unprivileged code (-semihosting-config userspace=off). */
static uint32_t upriv[10];
static volatile uint32_t irq5;
static void h5(void) { irq5++; }
static void test_unpriv(void)
{
    static uint32_t pstack[128] __attribute__((aligned(8)));
    irq_table[5] = h5;
    NVIC_ISER(0) = 1u << 5;
    __asm volatile("msr psp, %0" ::"r"(&pstack[128]));
    sh_printf("unprivileged (faults: PPB load, STIR store with USERSETMPEND = 0):\n");
    __asm volatile(
        "movs r0, #3\n msr control, r0\n isb\n"
        "mrs r0, msp\n str r0, [%0, #0]\n"
        "mrs r0, psp\n str r0, [%0, #4]\n"
        "movs r0, #0x40\n msr basepri, r0\n mrs r0, basepri\n str r0, [%0, #8]\n"
        "cpsid i\n mrs r0, primask\n str r0, [%0, #12]\n"
        "cpsid f\n mrs r0, faultmask\n str r0, [%0, #16]\n"
        "movs r0, #0\n msr control, r0\n isb\n mrs r0, control\n str r0, [%0, #20]\n"
        "ldr r1, =0xe000ed14\n movs r0, #0x55\n ldr r0, [r1]\n str r0, [%0, #24]\n"
        "ldr r1, =0xe000ef00\n movs r0, #5\n str r0, [r1]\n dsb\n isb\n"
        "mrs r0, ipsr\n str r0, [%0, #28]\n"
        "svc 0x20\n"
        "movs r0, #0\n msr control, r0\n isb\n"
        : : "r"(upriv) : "r0", "r1", "memory", "cc");
    uint32_t irq_unpriv = irq5;
    sh_printf("  msp %08x psp %08x basepri %x primask %u faultmask %u control %u ppb %08x"
              " ipsr %u irq5 %u; control now %u\n", upriv[0], upriv[1], upriv[2], upriv[3],
              upriv[4], upriv[5], upriv[6], upriv[7], irq_unpriv, get_control());
    SCB_CCR |= 1u << 1;   /* USERSETMPEND: unprivileged STIR writes allowed */
    __asm volatile("movs r0, #3\n msr control, r0\n isb\n"
                   "ldr r1, =0xe000ef00\n movs r0, #5\n str r0, [r1]\n dsb\n isb\n"
                   "svc 0x20\n movs r0, #0\n msr control, r0\n isb\n" ::: "r0", "r1", "memory");
    SCB_CCR &= ~(1u << 1);
    sh_printf("  usersetmpend: irq5 %u\n", irq5);
}

int main(void)
{
    SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18);
    test_it_svc();
    test_it_fault();
    test_it_flags();
    sh_printf("bxeq lr last in it: %u %u\n", bx_in_it(0), bx_in_it(1));
    test_nmi();
    test_vtor();
    test_stkalign();
    test_unpriv();
    return 0;
}
