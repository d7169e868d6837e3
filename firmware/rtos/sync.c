/*
 * rtos semaphores and message queues.
 *
 * A give hands the unit straight to the most urgent waiter (its take returns 0 without
 * touching the count), so a woken task never has to compete again. A queue is a ring
 * buffer guarded by two semaphores: free slots and filled slots.
 */
#include <errno.h>
#include <string.h>

#include "rtos.h"

void rtos_sem_init(struct rtos_sem *s, uint32_t initial)
{
    s->count = initial;
}

int rtos_sem_take(struct rtos_sem *s, uint32_t timeout_ticks)
{
    uint32_t pm = rtos_irq_save();
    if (s->count > 0) {
        s->count--;
        rtos_irq_restore(pm);
        return 0;
    }
    if (timeout_ticks == RTOS_NO_WAIT) {
        rtos_irq_restore(pm);
        return -EAGAIN;
    }
    return rtos_block_current(s, timeout_ticks, pm);
}

void rtos_sem_give(struct rtos_sem *s)
{
    uint32_t pm = rtos_irq_save();
    if (!rtos_wake_one(s))
        s->count++;
    rtos_irq_restore(pm);
}

int rtos_queue_init(struct rtos_queue *q, void *buf, size_t item_size, uint32_t capacity)
{
    if (!q || !buf || item_size == 0 || capacity == 0)
        return -EINVAL;
    q->buf = buf;
    q->item_size = item_size;
    q->capacity = capacity;
    q->head = q->count = q->peak = 0;
    rtos_sem_init(&q->free_slots, capacity);
    rtos_sem_init(&q->items, 0);
    return 0;
}

int rtos_queue_send(struct rtos_queue *q, const void *item, uint32_t timeout_ticks)
{
    int err = rtos_sem_take(&q->free_slots, timeout_ticks);
    if (err)
        return err;
    uint32_t pm = rtos_irq_save();
    uint32_t tail = (q->head + q->count) % q->capacity;
    memcpy(q->buf + tail * q->item_size, item, q->item_size);
    q->count++;
    if (q->count > q->peak)
        q->peak = q->count;
    rtos_irq_restore(pm);
    rtos_sem_give(&q->items);
    return 0;
}

int rtos_queue_recv(struct rtos_queue *q, void *item, uint32_t timeout_ticks)
{
    int err = rtos_sem_take(&q->items, timeout_ticks);
    if (err)
        return err;
    uint32_t pm = rtos_irq_save();
    memcpy(item, q->buf + q->head * q->item_size, q->item_size);
    q->head = (q->head + 1u) % q->capacity;
    q->count--;
    rtos_irq_restore(pm);
    rtos_sem_give(&q->free_slots);
    return 0;
}
