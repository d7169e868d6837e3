/*
 * rtos scheduler, tick and sleep. See rtos.h for the model.
 *
 * Tasks live in one small table; the scheduler scans it (RTOS_MAX_TASKS is small, so a
 * scan is cheaper to read than a set of ready lists and fast enough). Ties between
 * equal priorities rotate: the scan starts after the running task.
 */
#include "rtos.h"

#include <errno.h>

#include "cm3.h"

#define STACK_GUARD 0xDEADBEEFu
#define XPSR_THUMB 0x01000000u

struct rtos_task *rtos_cur; /* running task; read by port_cm3.S */
static struct rtos_task tasks[RTOS_MAX_TASKS];
static unsigned num_tasks;
static volatile uint32_t tick_count;
static uint32_t cpu_hz_cfg, tick_hz_cfg, reload;
static int started;

static uint32_t idle_stack[128] __attribute__((aligned(8)));

static void idle_task(void *arg)
{
    for (;;)
        cm3_wfi();
}

void rtos_init(uint32_t cpu_hz, uint32_t tick_hz)
{
    cpu_hz_cfg = cpu_hz;
    tick_hz_cfg = tick_hz;
    reload = cpu_hz / tick_hz;
    rtos_task_create("idle", idle_task, NULL, idle_stack,
                     sizeof idle_stack / sizeof idle_stack[0], RTOS_PRIO_IDLE);
}

/* A task function that returns ends here. */
static void task_exit(void)
{
    uint32_t pm = rtos_irq_save();
    rtos_cur->state = RTOS_DONE;
    cm3_pend_pendsv();
    rtos_irq_restore(pm);
    for (;;)
        ;
}

int rtos_task_create(const char *name, rtos_task_fn fn, void *arg, uint32_t *stack,
                     size_t stack_words, unsigned prio)
{
    if (!fn || !stack || stack_words < 32 || prio > RTOS_PRIO_MAX || started)
        return -EINVAL;
    if (num_tasks == RTOS_MAX_TASKS)
        return -ENOMEM;

    struct rtos_task *t = &tasks[num_tasks];
    /* Top of stack, 8-byte aligned (AAPCS; exception entry keeps it). */
    uint32_t *sp = (uint32_t *)((uintptr_t)(stack + stack_words) & ~(uintptr_t)7);
    /* Hardware frame popped on exception return (ARMv7-M ARM B1.5.6). */
    *--sp = XPSR_THUMB;
    *--sp = (uint32_t)(uintptr_t)fn & ~1u; /* PC: bit 0 must be clear in a frame */
    *--sp = (uint32_t)(uintptr_t)task_exit; /* LR */
    *--sp = 0; /* r12 */
    *--sp = 0; /* r3 */
    *--sp = 0; /* r2 */
    *--sp = 0; /* r1 */
    *--sp = (uint32_t)(uintptr_t)arg; /* r0 */
    for (int r = 11; r >= 4; r--) /* r11..r4, restored by PendSV/SVC */
        *--sp = 0;

    stack[0] = STACK_GUARD;
    t->sp = sp;
    t->name = name;
    t->prio = (uint8_t)prio;
    t->state = RTOS_READY;
    t->wait_obj = NULL;
    t->timed = 0;
    t->wait_result = 0;
    t->stack_base = stack;
    num_tasks++;
    return (int)(num_tasks - 1);
}

/* Called by PendSV with interrupts disabled: pick the next task to run. */
struct rtos_task *rtos_sched_next(void);
struct rtos_task *rtos_sched_next(void)
{
    unsigned start = rtos_cur ? (unsigned)(rtos_cur - tasks) + 1u : 0u;
    struct rtos_task *best = NULL;

    for (unsigned i = 0; i < num_tasks; i++) {
        struct rtos_task *t = &tasks[(start + i) % num_tasks];
        if (t->state == RTOS_READY && (!best || t->prio > best->prio))
            best = t;
    }
    rtos_cur = best; /* never NULL: the idle task is always ready */
    return best;
}

void rtos_start(void)
{
    /* PendSV and SysTick at the lowest priority so a switch never preempts an ISR. */
    cm3_write(SCS_SHPR3, (CM3_PRIO_LOWEST << 24) | (CM3_PRIO_LOWEST << 16));
    cm3_write(SCS_SHPR2, 0);
    cm3_write(SYST_RVR, (reload - 1u) & SYST_RVR_MAX);
    cm3_write(SYST_CVR, 0);
    cm3_write(SYST_CSR, SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE);

    rtos_irq_save();
    rtos_cur = NULL;
    rtos_sched_next();
    started = 1;
    __asm volatile("cpsie i\n isb\n svc 0" ::: "memory");
    for (;;)
        ;
}

struct rtos_task *rtos_current(void)
{
    return rtos_cur;
}

void rtos_yield(void)
{
    cm3_pend_pendsv();
    cm3_isb();
}

uint32_t rtos_ticks(void)
{
    return tick_count;
}

uint32_t rtos_tick_hz(void)
{
    return tick_hz_cfg;
}

uint32_t rtos_cpu_hz(void)
{
    return cpu_hz_cfg;
}

uint32_t rtos_us_to_ticks(uint32_t us)
{
    uint64_t t = ((uint64_t)us * tick_hz_cfg + 999999u) / 1000000u;
    return (uint32_t)t;
}

uint64_t rtos_cycles(void)
{
    /* A SysTick wrap whose interrupt has not run yet (interrupts masked) shows as
     * PENDSTSET: count it, and retry if the wrap happened while we were reading. */
    uint32_t t1, t2, val, p0, p1;
    for (;;) {
        t1 = tick_count;
        p0 = (cm3_read(SCS_ICSR) & ICSR_PENDSTSET) != 0;
        val = cm3_read(SYST_CVR);
        p1 = (cm3_read(SCS_ICSR) & ICSR_PENDSTSET) != 0;
        t2 = tick_count;
        if (t1 == t2 && p0 == p1)
            break;
    }
    return (uint64_t)(t1 + p0) * reload + (reload - 1u - val);
}

/*
 * Block the running task on `obj` (NULL: plain sleep) for at most timeout_ticks.
 * Called with interrupts disabled (primask = state to restore); the switch happens when
 * interrupts are re-enabled. Returns how the wait ended: 0 or -ETIMEDOUT.
 */
int rtos_block_current(const void *obj, uint32_t timeout_ticks, uint32_t primask)
{
    struct rtos_task *t = rtos_cur;
    t->state = RTOS_BLOCKED;
    t->wait_obj = obj;
    t->timed = timeout_ticks != RTOS_WAIT_FOREVER;
    t->wake_tick = tick_count + timeout_ticks;
    t->wait_result = 0;
    cm3_pend_pendsv();
    rtos_irq_restore(primask); /* PendSV runs here */
    cm3_isb();
    return t->wait_result;
}

/* Make the most urgent task blocked on obj ready. Interrupts disabled. Returns 1 if one. */
int rtos_wake_one(const void *obj)
{
    struct rtos_task *best = NULL;
    for (unsigned i = 0; i < num_tasks; i++) {
        struct rtos_task *t = &tasks[i];
        if (t->state == RTOS_BLOCKED && t->wait_obj == obj && obj &&
            (!best || t->prio > best->prio))
            best = t;
    }
    if (!best)
        return 0;
    best->state = RTOS_READY;
    best->wait_result = 0;
    if (best->prio >= rtos_cur->prio)
        cm3_pend_pendsv();
    return 1;
}

void rtos_sleep(uint32_t ticks)
{
    if (ticks == 0) {
        rtos_yield();
        return;
    }
    rtos_block_current(NULL, ticks, rtos_irq_save());
}

void rtos_systick_handler(void)
{
    uint32_t pm = rtos_irq_save();
    uint32_t now = ++tick_count;
    for (unsigned i = 0; i < num_tasks; i++) {
        struct rtos_task *t = &tasks[i];
        if (t->state == RTOS_BLOCKED && t->timed && (int32_t)(now - t->wake_tick) >= 0) {
            t->state = RTOS_READY;
            t->wait_result = t->wait_obj ? -ETIMEDOUT : 0;
        }
    }
    cm3_pend_pendsv(); /* time slice: equal priorities rotate, woken sleepers run */
    rtos_irq_restore(pm);
}

unsigned rtos_stack_overflows(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < num_tasks; i++)
        n += tasks[i].stack_base[0] != STACK_GUARD;
    return n;
}
