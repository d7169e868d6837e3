/*
 * rtos: a small preemptive RTOS for the Cortex-M3 (ARMv7-M).
 *
 * What it gives: tasks with their own stacks (thread mode on PSP), a fixed-priority
 * preemptive scheduler (higher number = more urgent, round robin between equals on each
 * tick), sleep, counting semaphores and fixed-size message queues, all usable from ISRs
 * with a zero timeout. The idle task sleeps the core with WFI.
 *
 * How it runs (ARMv7-M ARM, DDI 0403E, B1.5): SVC starts the first task, PendSV (lowest
 * priority) switches contexts, SysTick drives the tick. Kernel state is protected by
 * PRIMASK (short sections only). ISRs wake tasks by giving a semaphore or sending to a
 * queue; the switch happens when the last ISR returns (PendSV tail-chains).
 *
 * Not here: priority inheritance, dynamic allocation, tickless idle, the FPU (M3 has none).
 * Errors are negative errno values (-EINVAL, -ETIMEDOUT, -EAGAIN).
 */
#ifndef RTOS_H
#define RTOS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTOS_MAX_TASKS 12
#define RTOS_PRIO_IDLE 0
#define RTOS_PRIO_MAX 31
#define RTOS_WAIT_FOREVER UINT32_MAX /* timeout value: block until woken */
#define RTOS_NO_WAIT 0u              /* timeout value: never block (ISRs) */

typedef void (*rtos_task_fn)(void *arg);

enum rtos_task_state { RTOS_UNUSED, RTOS_READY, RTOS_BLOCKED, RTOS_DONE };

struct rtos_task {
    uint32_t *sp;             /* saved process stack pointer; first member: port_cm3.S */
    const char *name;
    uint8_t prio;
    uint8_t state;            /* enum rtos_task_state */
    const void *wait_obj;     /* semaphore/queue blocked on, NULL for sleep */
    uint32_t wake_tick;       /* tick at which a timed block ends */
    int timed;                /* wake_tick is valid */
    int wait_result;          /* 0 when woken by the object, -ETIMEDOUT on timeout */
    uint32_t *stack_base;     /* lowest word, holds a guard pattern */
};

struct rtos_sem {
    uint32_t count;
};

struct rtos_queue {
    uint8_t *buf;
    size_t item_size;
    uint32_t capacity;
    uint32_t head, count;
    uint32_t peak;            /* highest fill seen, for statistics */
    struct rtos_sem free_slots, items;
};

/* Kernel start-up: call rtos_init first, create tasks, then rtos_start (never returns).
 * tick_hz: SysTick rate; cpu_hz: the core clock SysTick counts. */
void rtos_init(uint32_t cpu_hz, uint32_t tick_hz);
int rtos_task_create(const char *name, rtos_task_fn fn, void *arg, uint32_t *stack,
                     size_t stack_words, unsigned prio);
void rtos_start(void) __attribute__((noreturn));

struct rtos_task *rtos_current(void);
void rtos_yield(void);
void rtos_sleep(uint32_t ticks);
uint32_t rtos_ticks(void);
uint32_t rtos_tick_hz(void);
uint32_t rtos_cpu_hz(void);
/* Ticks covering at least `us` microseconds (rounded up, at least 1 if us > 0). */
uint32_t rtos_us_to_ticks(uint32_t us);
/* Free-running time in core cycles (tick count and SysTick's current value). */
uint64_t rtos_cycles(void);

/* PRIMASK critical section; nestable by saving the previous state. */
static inline uint32_t rtos_irq_save(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    return primask;
}
static inline void rtos_irq_restore(uint32_t primask)
{
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

/* Counting semaphore. take: 0, -EAGAIN (no wait) or -ETIMEDOUT. give: ISR-safe. */
void rtos_sem_init(struct rtos_sem *s, uint32_t initial);
int rtos_sem_take(struct rtos_sem *s, uint32_t timeout_ticks);
void rtos_sem_give(struct rtos_sem *s);

/* Message queue of `capacity` items of `item_size` bytes stored in buf (copy semantics).
 * send/recv: 0, -EAGAIN (no wait) or -ETIMEDOUT. ISRs must use RTOS_NO_WAIT. */
int rtos_queue_init(struct rtos_queue *q, void *buf, size_t item_size, uint32_t capacity);
int rtos_queue_send(struct rtos_queue *q, const void *item, uint32_t timeout_ticks);
int rtos_queue_recv(struct rtos_queue *q, void *item, uint32_t timeout_ticks);

/* Exception handlers installed in the vector table by the BSP. */
void rtos_systick_handler(void);
void rtos_pendsv_handler(void);
void rtos_svc_handler(void);

/* Kernel internals shared by rtos.c and sync.c. */
int rtos_block_current(const void *obj, uint32_t timeout_ticks, uint32_t primask);
int rtos_wake_one(const void *obj);
/* Task-stack overflow check: number of tasks whose guard word was overwritten. */
unsigned rtos_stack_overflows(void);

#ifdef __cplusplus
}
#endif
#endif
