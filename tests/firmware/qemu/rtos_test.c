/*
 * RTOS behaviour test, run on QEMU mps2-an385 (a Cortex-M3: same NVIC, SysTick, PendSV
 * and SVC as the OMAP4 M3) and on rpvp-cm3. Each check logs "ok"/"FAIL"; the exit
 * status (semihosting) is the number of failures.
 */
#include <errno.h>
#include <string.h>

#include "bsp.h"
#include "rtos.h"
#include "semihost.h"
#include "../../../firmware/rtos/cm3.h"

#define TEST_IRQ 5u /* any external line; pended by software */
#define NVIC_ISPR(n) (0xE000E200u + 4u * (n))

static int failures, passes;
static char order[32];
static unsigned order_len;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            bsp_log("ok   %s", #cond); passes++;                                               \
        } else {                                                                      \
            bsp_log("FAIL %s (line %d)", #cond, __LINE__);                            \
            failures++;                                                               \
        }                                                                             \
    } while (0)

static void mark(char c)
{
    uint32_t pm = rtos_irq_save();
    if (order_len < sizeof order - 1)
        order[order_len++] = c;
    rtos_irq_restore(pm);
}

static struct rtos_sem sem_hi, sem_isr, sem_done;
static struct rtos_queue queue;
static uint32_t queue_buf[4];
static volatile unsigned isr_count;
static volatile uint32_t rr_count[2];
static volatile int rr_stop;

/* Vector table copy in RAM so the test can install its own IRQ handler. */
typedef void (*vector_fn)(void);
extern const vector_fn vectors[];
static vector_fn ram_vectors[16 + 64] __attribute__((aligned(512)));

static void test_isr(void)
{
    isr_count++;
    rtos_sem_give(&sem_isr);
    uint32_t v = 0xABCD0000u | isr_count;
    rtos_queue_send(&queue, &v, RTOS_NO_WAIT);
}

static uint32_t stack_hi[256], stack_lo[256], stack_rr0[256], stack_rr1[256],
    stack_main[512];

/* High priority: blocks on sem_hi; must run as soon as the low task gives it. */
static void task_hi(void *arg)
{
    rtos_sem_take(&sem_hi, RTOS_WAIT_FOREVER);
    mark('H');
    rtos_sem_give(&sem_done);
}

static void task_lo(void *arg)
{
    mark('a');
    rtos_sem_give(&sem_hi); /* preempted here by task_hi */
    mark('b');
    rtos_sem_give(&sem_done);
}

static void task_rr(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    while (!rr_stop)
        rr_count[i]++; /* never blocks: only the tick can switch away */
    rtos_sem_give(&sem_done);
}

static void task_main(void *arg)
{
    int err;

    /* 1. Preemption: low gives a semaphore to high, high runs before low goes on. */
    rtos_sem_take(&sem_done, RTOS_WAIT_FOREVER);
    rtos_sem_take(&sem_done, RTOS_WAIT_FOREVER);
    CHECK(strcmp(order, "aHb") == 0);

    /* 2. Sleep lasts the requested ticks. */
    uint32_t t0 = rtos_ticks();
    rtos_sleep(5);
    uint32_t dt = rtos_ticks() - t0;
    CHECK(dt >= 5 && dt <= 6);

    /* 3. Semaphore timeout and no-wait. */
    struct rtos_sem s;
    rtos_sem_init(&s, 0);
    CHECK(rtos_sem_take(&s, RTOS_NO_WAIT) == -EAGAIN);
    t0 = rtos_ticks();
    err = rtos_sem_take(&s, 3);
    CHECK(err == -ETIMEDOUT);
    CHECK(rtos_ticks() - t0 >= 3);
    rtos_sem_give(&s);
    CHECK(rtos_sem_take(&s, RTOS_NO_WAIT) == 0);

    /* 4. Queue: FIFO order, full and empty. */
    for (uint32_t v = 1; v <= 4; v++)
        CHECK(rtos_queue_send(&queue, &v, RTOS_NO_WAIT) == 0);
    uint32_t v = 99;
    CHECK(rtos_queue_send(&queue, &v, RTOS_NO_WAIT) == -EAGAIN);
    CHECK(rtos_queue_send(&queue, &v, 2) == -ETIMEDOUT);
    int in_order = 1;
    for (uint32_t want = 1; want <= 4; want++) {
        rtos_queue_recv(&queue, &v, RTOS_NO_WAIT);
        in_order &= v == want;
    }
    CHECK(in_order);
    CHECK(rtos_queue_recv(&queue, &v, RTOS_NO_WAIT) == -EAGAIN);
    CHECK(queue.peak == 4);

    /* 5. An ISR wakes a task: pend the IRQ by software, block until it gives. */
    cm3_nvic_set_priority(TEST_IRQ, 0x80);
    cm3_nvic_enable(TEST_IRQ);
    for (int i = 0; i < 3; i++) {
        cm3_write(NVIC_ISPR(0), 1u << TEST_IRQ);
        CHECK(rtos_sem_take(&sem_isr, 10) == 0);
        CHECK(rtos_queue_recv(&queue, &v, 10) == 0 && v == (0xABCD0000u | (i + 1u)));
    }
    CHECK(isr_count == 3);

    /* 6. Round robin: two busy tasks of equal priority both progress. */
    rtos_sleep(20);
    rr_stop = 1;
    rtos_sem_take(&sem_done, RTOS_WAIT_FOREVER);
    rtos_sem_take(&sem_done, RTOS_WAIT_FOREVER);
    bsp_log("round robin counts %u %u", (unsigned)rr_count[0], (unsigned)rr_count[1]);
    CHECK(rr_count[0] > 0 && rr_count[1] > 0);

    /* 7. Cycle clock is monotonic and matches ticks. */
    uint64_t c0 = rtos_cycles();
    rtos_sleep(2);
    uint64_t c1 = rtos_cycles();
    CHECK(c1 > c0);
    CHECK(c1 - c0 >= rtos_cpu_hz() / rtos_tick_hz());
    CHECK(rtos_stack_overflows() == 0);

    bsp_log("rtos: %d passed, %d failed", passes, failures);
    semihost_exit(failures);
}

int main(void)
{
    memcpy(ram_vectors, vectors, sizeof ram_vectors);
    ram_vectors[16 + TEST_IRQ] = test_isr;
    cm3_write(SCS_VTOR, (uint32_t)(uintptr_t)ram_vectors);
    bsp_log_set_sink(semihost_write);

    rtos_init(25000000u, 1000u); /* mps2-an385 SysTick clock: 25 MHz */
    rtos_sem_init(&sem_hi, 0);
    rtos_sem_init(&sem_isr, 0);
    rtos_sem_init(&sem_done, 0);
    rtos_queue_init(&queue, queue_buf, sizeof queue_buf[0], 4);
    rtos_task_create("main", task_main, NULL, stack_main, 512, 10);
    rtos_task_create("hi", task_hi, NULL, stack_hi, 256, 5);
    rtos_task_create("lo", task_lo, NULL, stack_lo, 256, 3);
    rtos_task_create("rr0", task_rr, (void *)0, stack_rr0, 256, 2);
    rtos_task_create("rr1", task_rr, (void *)1, stack_rr1, 256, 2);
    rtos_start();
}
