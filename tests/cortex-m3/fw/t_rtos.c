/* RTOS-style scenario, as the remote firmware does it: tasks on PSP, first task started
 * by SVC, context switch in PendSV, SysTick time base with preemption, a "mailbox"
 * interrupt (NVIC, triggered through STIR) posting to a waiting task, idle in WFI. */
#include "sh.h"

#define NTASK 3
typedef struct tcb { uint32_t *sp; uint32_t wake; int waiting_msg; } tcb;
static tcb tasks[NTASK];
static uint32_t stacks[NTASK][256] __attribute__((aligned(8)));
tcb *volatile cur;
static volatile uint32_t ticks;
static volatile uint32_t mbox_msg, mbox_full;

static void schedule(void)
{
    /* round robin over ready tasks; task 2 is idle (always ready) */
    int c = (int)(cur - tasks);
    for (int i = 1; i <= NTASK; i++) {
        int n = (c + i) % NTASK;
        tcb *t = &tasks[n];
        if (n == 2) continue;
        if (t->waiting_msg ? mbox_full : ticks >= t->wake) { cur = t; return; }
    }
    cur = &tasks[2];
}
void pendsv_switch(void) { schedule(); }

__attribute__((naked)) void PendSV_Handler(void)
{
    __asm volatile(
        "mrs r0, psp\n"
        "stmdb r0!, {r4-r11}\n"
        "ldr r1, =cur\n ldr r2, [r1]\n str r0, [r2]\n"
        "push {r1, lr}\n bl pendsv_switch\n pop {r1, lr}\n"
        "ldr r2, [r1]\n ldr r0, [r2]\n"
        "ldmia r0!, {r4-r11}\n"
        "msr psp, r0\n"
        "bx lr\n");
}

__attribute__((naked)) void SVC_Handler(void)
{
    /* start the first task: restore its software frame, return to thread mode on PSP */
    __asm volatile(
        "ldr r1, =cur\n ldr r2, [r1]\n ldr r0, [r2]\n"
        "ldmia r0!, {r4-r11}\n"
        "msr psp, r0\n"
        "mov lr, #0xfffffffd\n"
        "bx lr\n");
}

void SysTick_Handler(void)
{
    ticks++;
    SCB_ICSR = 1u << 28;   /* preempt: reschedule on every tick */
}

static void mailbox_irq(void)
{
    mbox_full = 1;
    SCB_ICSR = 1u << 28;
}

static void yield(void) { SCB_ICSR = 1u << 28; dsb_isb(); }
static void delay(uint32_t n) { cur->wake = ticks + n; yield(); while (ticks < cur->wake) yield(); }

static void task_a(void)
{
    for (int i = 0; i < 4; i++) {
        sh_printf("A %d control %u ipsr %u\n", i, get_control(), get_ipsr());
        delay(2);
    }
    /* send two mailbox messages to B */
    for (uint32_t m = 1; m <= 2; m++) {
        mbox_msg = 100 + m;
        sh_printf("A sends %u\n", mbox_msg);
        NVIC_STIR = 5;
        delay(3);
    }
    delay(10);
    sh_printf("A done at tick>=%u\n", ticks >= 20 ? 20u : 0u);
    sh_exit(0);
}

static void task_b(void)
{
    for (int i = 0; i < 2; i++) {
        sh_printf("B %d\n", i);
        delay(3);
    }
    for (;;) {
        cur->waiting_msg = 1;
        while (!mbox_full) yield();
        cur->waiting_msg = 0;
        sh_printf("B got %u\n", mbox_msg);
        mbox_full = 0;
    }
}

static volatile uint32_t idle_loops;
static void task_idle(void)
{
    for (;;) { idle_loops++; __asm volatile("wfi"); }
}

static void task_exit(void) { sh_printf("task returned\n"); sh_exit(1); }

static void task_init(int n, void (*fn)(void))
{
    uint32_t *sp = &stacks[n][256];
    *--sp = 1u << 24;                 /* xPSR: T */
    *--sp = (uint32_t)fn & ~1u;       /* PC */
    *--sp = (uint32_t)task_exit;      /* LR */
    for (int i = 0; i < 5; i++) *--sp = 0;   /* r12, r3-r0 */
    for (int i = 0; i < 8; i++) *--sp = 0;   /* r11-r4 */
    tasks[n].sp = sp;
}

int main(void)
{
    task_init(0, task_a);
    task_init(1, task_b);
    task_init(2, task_idle);
    cur = &tasks[0];
    SCB_SHPR(14) = 0xff;   /* PendSV lowest */
    SCB_SHPR(15) = 0x80;   /* SysTick */
    NVIC_IPR(5) = 0x40;
    irq_table[5] = mailbox_irq;
    NVIC_ISER(0) = 1u << 5;
    SYST_RVR = 49999;
    SYST_CVR = 0;
    SYST_CSR = 7;
    __asm volatile("svc 0");
    sh_printf("not reached\n");
    return 2;
}
