/* Exceptions: SVC (EXC_RETURN, arguments, return value), PendSV, nested and tail-chained
 * interrupts, PRIMASK/BASEPRI/FAULTMASK masking, priority grouping, ICSR/IABR state,
 * unprivileged thread mode on PSP. */
#include "sh.h"

static volatile uint32_t order[64];
static volatile unsigned norder;
static void mark(uint32_t v) { if (norder < 64) order[norder++] = v; }
static void show(const char *what)
{
    sh_printf("%s:", what);
    for (unsigned i = 0; i < norder; i++) sh_printf(" %u", order[i]);
    sh_printf("\n");
    norder = 0;
}

/* SVC: r0 = EXC_RETURN, r1 = frame */
__attribute__((naked)) void SVC_Handler(void)
{
    __asm volatile("mov r1, lr\n tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b svc_c\n");
}
static volatile uint32_t svc_excret;
void svc_c(uint32_t *frame, uint32_t excret)
{
    uint8_t num = ((const uint8_t *)frame[6])[-2];
    svc_excret = excret;
    switch (num) {
    case 1: frame[0] = frame[0] + frame[1] + frame[2] + frame[3]; break;
    case 2: __asm volatile("msr control, %0\n isb" ::"r"(0u)); break;   /* back to privileged, MSP */
    default: frame[0] = 0xdead0000u | num; break;
    }
    mark(100 + num);
}
static uint32_t svc1(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    register uint32_t r0 __asm("r0") = a, r1 __asm("r1") = b, r2 __asm("r2") = c, r3 __asm("r3") = d;
    __asm volatile("svc 1" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3) : "memory");
    return r0;
}

static volatile uint32_t pendsv_svc_ret;
void PendSV_Handler(void)
{
    mark(14);
    mark(get_ipsr());
    pendsv_svc_ret = svc1(1, 2, 3, 4);   /* SVC (priority 0) preempts PendSV (0xff) */
}

static volatile uint32_t icsr_in_irq, iabr_in_irq, rettobase;
static void irq0(void)
{
    mark(0);
    NVIC_STIR = 1;   /* IRQ1 has higher priority: preempts right here */
    dsb_isb();
    mark(10);
}
static void irq1(void)
{
    mark(1);
    NVIC_STIR = 2;   /* IRQ2: below IRQ1, above IRQ0 -> tail-chained after IRQ1 */
    dsb_isb();
    mark(11);
}
static void irq2(void)
{
    mark(2);
    icsr_in_irq = SCB_ICSR;
    iabr_in_irq = NVIC_IABR(0);
}
static void irq3(void) { mark(3); }
static void irq4(void)
{
    static int again;
    mark(4);
    if (!again++) {
        NVIC_STIR = 4;   /* same IRQ again: pends, taken after return (tail-chain) */
        dsb_isb();
        mark(44);
    }
}

int main(void)
{
    sh_printf("CPUID part %03x CCR %08x AIRCR %08x\n", (REG(0xe000ed00) >> 4) & 0xfff, SCB_CCR, SCB_AIRCR);
    sh_printf("ICTR %08x\n", REG(0xe000e004));
    /* SVC from thread mode on MSP */
    uint32_t r = svc1(10, 20, 30, 40);
    sh_printf("svc1 -> %u excret %08x\n", r, svc_excret);
    show("svc");

    /* PendSV from thread; SVC from inside PendSV */
    SCB_SHPR(11) = 0x00;   /* SVCall */
    SCB_SHPR(14) = 0xff;   /* PendSV */
    SCB_ICSR = 1u << 28;
    dsb_isb();
    sh_printf("pendsv svc -> %u excret %08x\n", pendsv_svc_ret, svc_excret);
    show("pendsv");

    /* Nested + tail-chained IRQs */
    irq_table[0] = irq0; irq_table[1] = irq1; irq_table[2] = irq2; irq_table[3] = irq3;
    irq_table[4] = irq4;
    NVIC_IPR(0) = 0xc0; NVIC_IPR(1) = 0x40; NVIC_IPR(2) = 0x80; NVIC_IPR(3) = 0x60;
    NVIC_IPR(4) = 0xa0;
    sh_printf("IPR %02x %02x %02x\n", NVIC_IPR(0), NVIC_IPR(1), NVIC_IPR(2));
    NVIC_ISER(0) = 0x1f;
    sh_printf("ISER %08x\n", NVIC_ISER(0));
    NVIC_STIR = 0;
    dsb_isb();
    show("nested");
    sh_printf("icsr in irq2: vectactive %u rettobase %u; iabr %08x\n", icsr_in_irq & 0x1ff,
              (icsr_in_irq >> 11) & 1, iabr_in_irq);

    /* Same IRQ re-pended inside its handler */
    NVIC_STIR = 4;
    dsb_isb();
    show("repend");

    /* PRIMASK */
    __asm volatile("cpsid i" ::: "memory");
    NVIC_STIR = 3;
    dsb_isb();
    mark(50);
    uint32_t icsr = SCB_ICSR;
    sh_printf("primask %u pending: isrpending %u vectpending %u ispr %08x\n", get_primask(),
              (icsr >> 22) & 1, (icsr >> 12) & 0x1ff, NVIC_ISPR(0));
    __asm volatile("cpsie i" ::: "memory");
    dsb_isb();
    mark(51);
    show("primask");

    /* BASEPRI */
    set_basepri(0x80);
    NVIC_STIR = 0;   /* 0xc0: masked */
    NVIC_STIR = 3;   /* 0x60: taken */
    dsb_isb();
    mark(60);
    __asm volatile("msr basepri_max, %0" ::"r"(0xa0u));   /* not raised: 0xa0 > 0x80 */
    sh_printf("basepri %02x\n", get_basepri());
    __asm volatile("msr basepri_max, %0" ::"r"(0x40u));
    sh_printf("basepri %02x\n", get_basepri());
    set_basepri(0);
    dsb_isb();
    mark(61);
    show("basepri");

    /* FAULTMASK */
    __asm volatile("cpsid f" ::: "memory");
    NVIC_STIR = 3;
    dsb_isb();
    mark(70);
    sh_printf("faultmask %u\n", get_faultmask());
    __asm volatile("cpsie f" ::: "memory");
    dsb_isb();
    mark(71);
    show("faultmask");

    /* Priority grouping: PRIGROUP 5 -> group = bits [7:6]; IRQ1 (0x40) and IRQ3 (0x60)
     * share a group, so IRQ3 pended in IRQ1... use IRQ2 (0x80) vs IRQ0 (0xc0): groups
     * 0x80 and 0xc0 differ; IRQ3 vs IRQ1 don't preempt each other. */
    SCB_AIRCR = 0x05fa0000u | (5u << 8);
    sh_printf("AIRCR %08x\n", SCB_AIRCR);
    irq_table[1] = irq3;   /* IRQ1 handler marks 3 */
    irq_table[3] = irq1;   /* IRQ3 handler pends IRQ2 */
    NVIC_STIR = 3;
    dsb_isb();
    show("prigroup");
    SCB_AIRCR = 0x05fa0000u;

    /* Unprivileged thread mode on PSP: SVC returns with EXC_RETURN 0xfffffffd */
    static uint32_t pstack[256] __attribute__((aligned(8)));
    __asm volatile("msr psp, %0" ::"r"(&pstack[256]));
    __asm volatile("msr control, %0\n isb" ::"r"(3u));
    uint32_t ctl = get_control();
    uint32_t ipsr_thread = get_ipsr();
    r = svc1(1, 1, 1, 1);
    uint32_t ex1 = svc_excret;
    __asm volatile("svc 2" ::: "memory");   /* handler clears CONTROL.nPRIV only */
    uint32_t ctl2 = get_control();
    __asm volatile("msr control, %0\n isb" ::"r"(0u));   /* privileged again: back to MSP */
    sh_printf("unpriv control %u ipsr %u svc -> %u excret %08x control now %u\n", ctl,
              ipsr_thread, r, ex1, ctl2);
    sh_printf("control after msr %u\n", get_control());
    show("psp");
    return 0;
}
