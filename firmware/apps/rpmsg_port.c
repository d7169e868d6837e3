/*
 * Platform hooks of the rpmsg remote stack on the OMAP4 M3 (struct rpr_platform):
 *   da_to_ptr  identity: the M3 sees Linux's DDR at its physical addresses (omap4_m3.h)
 *   kick       on the vring's mailbox channel (vq0 or vq1: FIFO 1 or 3), waits while full
 *   wait_event block on the semaphore the mailbox ISR gives, or until the timeout
 *   now_ps     SysTick-based core cycles x picoseconds per cycle
 * The mailbox ISR records each kick with rpr_notify() and wakes the rpmsg task. The
 * channel names the vring; the message itself is ignored (Linux's stm32_rproc sends a
 * kernel pointer, rpvp's virtio-mmio device the queue index).
 */
#include "rpmsg_port.h"

#include "bsp.h"
#include "rpvp/mbox_channels.h"
#include "rtos.h"

static struct rtos_sem mbox_event;
static struct rpr_device *port_rdev;
static volatile struct fw_rsc_vdev_vring *port_vrings; /* in the resource table */
static uint64_t ps_per_cycle;

static void *m3_da_to_ptr(void *ctx, uint64_t da, size_t len)
{
    if (da > UINT32_MAX || len > UINT32_MAX - da)
        return NULL;
    return (void *)(uintptr_t)da;
}

/* The host gave each vring a notifyid in the table (0 and 1 on both routes); the kick
 * goes out on the channel of the vring that has it. */
static void m3_kick(void *ctx, uint32_t notifyid)
{
    unsigned ch = RPVP_MBOX_CH_VQ0;
    for (unsigned i = 0; i < RPVP_MBOX_NUM_VQ_CHANNELS; i++)
        if (port_vrings[i].notifyid == notifyid)
            ch = i;
    bsp_mbox_send_wait(ch, notifyid);
}

static int m3_wait_event(void *ctx, uint64_t timeout_ps)
{
    uint64_t ticks = timeout_ps / (ps_per_cycle * (rtos_cpu_hz() / rtos_tick_hz())) + 1u;
    return rtos_sem_take(&mbox_event, ticks >= RTOS_WAIT_FOREVER ? RTOS_WAIT_FOREVER - 1u
                                                                 : (uint32_t)ticks) == 0;
}

static uint64_t m3_now_ps(void *ctx)
{
    return rtos_cycles() * ps_per_cycle;
}

static void m3_mb(void *ctx)
{
    __asm volatile("dsb" ::: "memory");
}

static void mbox_rx(void *ctx, unsigned ch, uint32_t msg)
{
    if (port_rdev)
        rpr_notify(port_rdev, port_vrings[ch].notifyid);
    rtos_sem_give(&mbox_event);
}

/* "detach": Linux's remoteproc detached (or rpvp's virtio-mmio driver reset the device).
 * The core keeps running; the stack drops the vrings and waits for the host again. */
static void mbox_detach(void *ctx, unsigned ch, uint32_t msg)
{
    if (port_rdev)
        rpr_notify_reset(port_rdev);
    rtos_sem_give(&mbox_event);
}

static const struct rpr_platform m3_platform = {
    .da_to_ptr = m3_da_to_ptr,
    .kick = m3_kick,
    .wait_event = m3_wait_event,
    .now_ps = m3_now_ps,
    .mb = m3_mb,
    .ctx = 0,
};

int rpmsg_port_init(struct rpr_device *rdev, volatile void *table, size_t size)
{
    /* 200 MHz -> 5000 ps: exact for any clock that divides 1 THz. */
    ps_per_cycle = 1000000000000ull / rtos_cpu_hz();
    rtos_sem_init(&mbox_event, 0);
    int err = rpr_init(rdev, (void *)(uintptr_t)table, size, &m3_platform);
    if (err)
        return err;
    port_rdev = rdev;
    port_vrings = rdev->vdev->vring; /* rpr_init checked there are two */
    for (unsigned ch = 0; ch < RPVP_MBOX_NUM_VQ_CHANNELS; ch++)
        bsp_mbox_listen(ch, mbox_rx, 0);
    bsp_mbox_listen(RPVP_MBOX_CH_DETACH, mbox_detach, 0);
    return 0;
}

void rpmsg_port_wait_tick(void)
{
    rtos_sem_take(&mbox_event, 1);
}

void rpmsg_port_wait(struct rpr_device *rdev)
{
    if (!rpr_has_work(rdev))
        rtos_sem_take(&mbox_event, RTOS_WAIT_FOREVER);
}
