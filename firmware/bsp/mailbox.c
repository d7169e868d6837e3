/*
 * OMAP4 system mailbox driver, M3 side (user 2). Register names from the OMAP4 TRM via
 * include/rpvp/omap_mailbox_regs.h; FIFOs from the channel plan, rpvp/mbox_channels.h:
 * channel ch arrives on FIFO 2ch and leaves on FIFO 2ch + 1. Style follows Linux's
 * omap-mailbox.c: one accessor pair, intent-named FIFO helpers, and an ISR that drains,
 * acks, then reads back.
 */
#include <errno.h>

#include "bsp.h"
#include "omap4_m3.h"
#include "rpvp/mbox_channels.h"
#include "rpvp/omap_mailbox_regs.h"
#include "rtos.h"
#include "../rtos/cm3.h"

#define MBOX_USER RPVP_MBOX_REMOTE_USER
#define FIFO_RX(ch) RPVP_MBOX_CH_TX_FIFO(ch) /* host -> M3 */
#define FIFO_TX(ch) RPVP_MBOX_CH_RX_FIFO(ch) /* M3 -> host */
#define MBOX_IRQ_PRIO 0x80u /* above PendSV/SysTick, below faults */

static struct {
    bsp_mbox_rx_fn fn;
    void *ctx;
} rx[RPVP_MBOX_NUM_CHANNELS];
static struct bsp_mbox_stats stats;

static uint32_t mbox_read(uint32_t off)
{
    return *(volatile uint32_t *)(OMAP4_M3_MBOX_BASE + off);
}

static void mbox_write(uint32_t off, uint32_t val)
{
    *(volatile uint32_t *)(OMAP4_M3_MBOX_BASE + off) = val;
}

static int mbox_fifo_empty(unsigned m)
{
    return mbox_read(RPVP_MBOX_MSGSTATUS(m)) == 0;
}

static int mbox_fifo_full(unsigned m)
{
    return (mbox_read(RPVP_MBOX_FIFOSTATUS(m)) & RPVP_MBOX_FIFOSTATUS_FIFOFULLMBM) != 0;
}

static uint32_t mbox_fifo_read(unsigned m)
{
    return mbox_read(RPVP_MBOX_MESSAGE(m));
}

static void mbox_fifo_write(unsigned m, uint32_t msg)
{
    mbox_write(RPVP_MBOX_MESSAGE(m), msg);
}

static void mbox_ack_newmsg(unsigned m)
{
    mbox_write(RPVP_MBOX_IRQSTATUS_CLR(MBOX_USER), RPVP_MBOX_IRQ_NEWMSG(m));
    /* Flush the posted write so the line is low before we return (no spurious IRQ). */
    (void)mbox_read(RPVP_MBOX_IRQSTATUS_CLR(MBOX_USER));
}

int bsp_mbox_listen(unsigned ch, bsp_mbox_rx_fn fn, void *ctx)
{
    if (ch >= RPVP_MBOX_NUM_CHANNELS)
        return -EINVAL;
    uint32_t pm = rtos_irq_save();
    rx[ch].fn = fn;
    rx[ch].ctx = ctx;
    mbox_ack_newmsg(FIFO_RX(ch));
    mbox_write(RPVP_MBOX_IRQENABLE_SET(MBOX_USER), RPVP_MBOX_IRQ_NEWMSG(FIFO_RX(ch)));
    rtos_irq_restore(pm);
    cm3_nvic_set_priority(OMAP4_M3_MBOX_IRQ, MBOX_IRQ_PRIO);
    cm3_nvic_enable(OMAP4_M3_MBOX_IRQ);
    return 0;
}

void bsp_mbox_mute(void)
{
    cm3_nvic_disable(OMAP4_M3_MBOX_IRQ);
    uint32_t all = 0;
    for (unsigned ch = 0; ch < RPVP_MBOX_NUM_CHANNELS; ch++)
        all |= RPVP_MBOX_IRQ_NEWMSG(FIFO_RX(ch));
    mbox_write(RPVP_MBOX_IRQENABLE_CLR(MBOX_USER), all);
}

int bsp_mbox_send(unsigned ch, uint32_t msg)
{
    if (ch >= RPVP_MBOX_NUM_CHANNELS)
        return -EINVAL;
    uint32_t pm = rtos_irq_save();
    int err = 0;
    if (mbox_fifo_full(FIFO_TX(ch))) {
        stats.tx_full++;
        err = -EBUSY;
    } else {
        mbox_fifo_write(FIFO_TX(ch), msg);
        stats.tx++;
    }
    rtos_irq_restore(pm);
    return err;
}

void bsp_mbox_send_wait(unsigned ch, uint32_t msg)
{
    while (bsp_mbox_send(ch, msg) == -EBUSY)
        ;
}

/* Drain one channel's FIFO into its handler; 1 if anything was there. */
static int mbox_drain(unsigned ch)
{
    const unsigned m = FIFO_RX(ch);
    int any = 0;
    while (!mbox_fifo_empty(m)) {
        uint32_t msg = mbox_fifo_read(m);
        stats.rx++;
        any = 1;
        if (rx[ch].fn)
            rx[ch].fn(rx[ch].ctx, ch, msg);
    }
    mbox_ack_newmsg(m);
    return any;
}

void bsp_mbox_isr(void)
{
    stats.irqs++;
    uint32_t status = mbox_read(RPVP_MBOX_IRQSTATUS_CLR(MBOX_USER));
    int again;
    do {
        again = 0;
        for (unsigned ch = 0; ch < RPVP_MBOX_NUM_CHANNELS; ch++)
            if (status & RPVP_MBOX_IRQ_NEWMSG(FIFO_RX(ch)))
                again |= mbox_drain(ch);
        /* a message that raced the ack raises its status again */
        status = mbox_read(RPVP_MBOX_IRQSTATUS_CLR(MBOX_USER));
    } while (again && status);
}

void bsp_mbox_get_stats(struct bsp_mbox_stats *out)
{
    *out = stats;
}
