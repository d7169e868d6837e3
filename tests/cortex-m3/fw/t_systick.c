/* SysTick alone (ARMv7-M ARM B3.3): CSR/RVR/CVR register semantics, COUNTFLAG set on
 * reaching 0 and cleared by a CSR read or a CVR write, RVR masked to 24 bits, CVR writes
 * clear it to 0, RVR = 0 never fires, the exception forced through ICSR.PENDSTSET/PENDSTCLR,
 * its priority (SHPR3) against BASEPRI and PendSV, one real tick with TICKINT = 1.
 *
 * Printed values are only those fixed by the architecture: QEMU's SysTick runs on the
 * host's virtual clock and rpvp's on retired cycles, so how far the counter moves during
 * a loop, or how many ticks a loop sees, differ and are never printed. Waits are for a
 * condition (bounded by a guard count) with the reload large enough (0xffffff: 0.67 s at
 * QEMU's 25 MHz) that a second wrap in the few instructions after it is impossible.
 * CSR.CLKSOURCE reads and SYST_CALIB are implementation-defined: not printed. */
#include "sh.h"

#define CSR_ENABLE 1u
#define CSR_TICKINT 2u
#define CSR_CLKSOURCE 4u
#define CSR_COUNTFLAG (1u << 16)
#define ICSR_PENDSTSET (1u << 26)
#define ICSR_PENDSTCLR (1u << 25)
#define ICSR_PENDSVSET (1u << 28)
#define GUARD 200000000u

static volatile uint32_t order[16], norder, ticks, tick_csr, tick_icsr, tick_shcsr, tick_ipsr;
static void mark(uint32_t v) { if (norder < 16) order[norder++] = v; }
static void show(const char *what)
{
    sh_printf("%s:", what);
    for (unsigned i = 0; i < norder; i++) sh_printf(" %u", order[i]);
    sh_printf("\n");
    norder = 0;
}

static volatile int real_tick;
void SysTick_Handler(void)
{
    ticks++;
    mark(15);
    tick_ipsr = get_ipsr();
    tick_icsr = SCB_ICSR;
    tick_shcsr = SCB_SHCSR;
    if (real_tick) {
        tick_csr = SYST_CSR;   /* COUNTFLAG: the counter reached 0 */
        SYST_CSR = 0;          /* one tick only */
        real_tick = 0;
    }
}
void PendSV_Handler(void) { mark(14); }

/* SysTick and PendSV pended together under PRIMASK, then released. */
static void both_pending(const char *what, uint8_t systick_prio)
{
    SCB_SHPR(15) = systick_prio;
    __asm volatile("cpsid i" ::: "memory");
    SCB_ICSR = ICSR_PENDSTSET | ICSR_PENDSVSET;
    __asm volatile("cpsie i" ::: "memory");
    dsb_isb();
    show(what);
}

/* Poll CSR until COUNTFLAG; returns 1 if seen. The reading clears it. */
static int wait_countflag(void)
{
    for (uint32_t i = 0; i < GUARD; i++)
        if (SYST_CSR & CSR_COUNTFLAG) return 1;
    return 0;
}

int main(void)
{
    /* reset state: disabled, no pending tick */
    sh_printf("reset: enable %u tickint %u countflag %u pendst %u\n", SYST_CSR & CSR_ENABLE,
              (SYST_CSR >> 1) & 1, (SYST_CSR >> 16) & 1, (SCB_ICSR >> 26) & 1);

    /* RVR: 24 bits */
    SYST_RVR = 0xffffffffu;
    uint32_t r1 = SYST_RVR;
    SYST_RVR = 0x12345678u;
    sh_printf("rvr %08x %08x\n", r1, SYST_RVR);
    /* CVR write clears to 0 (whatever the value) */
    SYST_CVR = 0x00abcdefu;
    sh_printf("cvr after write (stopped) %08x\n", SYST_CVR);
    /* CSR: only ENABLE/TICKINT/CLKSOURCE writable, COUNTFLAG read-only */
    SYST_CSR = 0xfffefff8u;
    sh_printf("csr writable bits clear: enable/tickint %u countflag %u\n", SYST_CSR & 3u,
              (SYST_CSR >> 16) & 1);

    /* Counting: CVR <= RVR and it moves; COUNTFLAG after reaching 0, cleared on read */
    SYST_RVR = 0x00ffffffu;
    SYST_CVR = 0;
    SYST_CSR = CSR_ENABLE | CSR_CLKSOURCE;
    uint32_t first = SYST_CVR, moved = 0, le = 1;
    for (uint32_t i = 0; i < GUARD && !moved; i++) {
        uint32_t v = SYST_CVR;
        if (v > 0x00ffffffu) le = 0;
        if (v != first) moved = 1;
    }
    sh_printf("running: cvr moves %u cvr<=rvr %u\n", moved, le);
    SYST_CVR = 1;   /* reloads; clears COUNTFLAG */
    uint32_t cf0 = (SYST_CSR >> 16) & 1;
    int seen = wait_countflag();
    uint32_t cf1 = (SYST_CSR >> 16) & 1;   /* the read in wait_countflag cleared it */
    sh_printf("countflag after cvr write %u, seen %d, after read %u\n", cf0, seen, cf1);
    seen = wait_countflag();
    SYST_CVR = 0;   /* a CVR write clears COUNTFLAG too */
    sh_printf("second wrap seen %d, countflag after cvr write %u\n", seen,
              (SYST_CSR >> 16) & 1);
    SYST_CSR = CSR_CLKSOURCE;   /* stop */
    SYST_CVR = 0;
    sh_printf("stopped: cvr %08x, holds %u\n", SYST_CVR, SYST_CVR == 0);

    /* RVR = 0: the counter stays at 0, COUNTFLAG and the exception never happen */
    SYST_RVR = 0;
    SYST_CVR = 0;
    (void)SYST_CSR;
    SYST_CSR = CSR_ENABLE | CSR_CLKSOURCE | CSR_TICKINT;
    uint32_t flag = 0, cvr = 0;
    for (uint32_t i = 0; i < 100000; i++) { flag |= SYST_CSR; cvr |= SYST_CVR; }
    SYST_CSR = CSR_CLKSOURCE;
    sh_printf("rvr 0: countflag %u cvr %08x ticks %u\n", (flag >> 16) & 1, cvr, ticks);

    /* Forced tick: ICSR.PENDSTSET with the counter stopped */
    SCB_ICSR = ICSR_PENDSTSET;
    dsb_isb();
    sh_printf("pendstset: ticks %u ipsr %u pendst-in-handler %u systickact %u vectactive %u\n",
              ticks, tick_ipsr, (tick_icsr >> 26) & 1, (tick_shcsr >> 11) & 1, tick_icsr & 0x1ff);
    show("forced");

    /* Pending and cleared under PRIMASK: ICSR shows it, PENDSTCLR removes it */
    __asm volatile("cpsid i" ::: "memory");
    SCB_ICSR = ICSR_PENDSTSET;
    dsb_isb();
    uint32_t icsr = SCB_ICSR;
    sh_printf("masked: pendst %u vectpending %u isrpending %u\n", (icsr >> 26) & 1,
              (icsr >> 12) & 0x1ff, (icsr >> 22) & 1);
    SCB_ICSR = ICSR_PENDSTCLR;
    icsr = SCB_ICSR;
    sh_printf("cleared: pendst %u vectpending %u\n", (icsr >> 26) & 1, (icsr >> 12) & 0x1ff);
    __asm volatile("cpsie i" ::: "memory");
    dsb_isb();
    show("pendstclr");

    /* Priority (SHPR3) against BASEPRI */
    SCB_SHPR(15) = 0x80;
    SCB_SHPR(14) = 0xc0;
    sh_printf("shpr3 %08x\n", REG(0xe000ed20) & 0xffff0000u);
    set_basepri(0x80);
    SCB_ICSR = ICSR_PENDSTSET;
    dsb_isb();
    mark(1);   /* masked: 0x80 is not above BASEPRI 0x80 */
    SCB_SHPR(15) = 0x40;   /* now above: taken */
    dsb_isb();
    mark(2);
    set_basepri(0);
    show("basepri");

    /* Against PendSV (0xc0): priorities decide the order, then the exception number */
    both_pending("systick 0x40 pendsv 0xc0", 0x40);
    both_pending("systick 0xe0 pendsv 0xc0", 0xe0);
    both_pending("equal 0xc0", 0xc0);

    /* One real tick: TICKINT with the processor clock; the handler stops the counter */
    ticks = 0;
    SYST_RVR = 0x000fffffu;
    SYST_CVR = 0;
    real_tick = 1;
    SYST_CSR = CSR_ENABLE | CSR_TICKINT | CSR_CLKSOURCE;
    for (uint32_t i = 0; i < GUARD && real_tick; i++) __asm volatile("" ::: "memory");
    sh_printf("real tick: taken %u ticks %u countflag in handler %u enable now %u\n",
              !real_tick, ticks, (tick_csr >> 16) & 1, SYST_CSR & 1);
    show("tick");
    return 0;
}
