/*
 * OMAP4 system mailbox driver, M3 side (user 2). Register names from the OMAP4 TRM via
 * include/rpvp/omap_mailbox_regs.h. Style follows Linux's omap-mailbox.c: one accessor
 * pair, intent-named FIFO helpers, and an ISR that drains, acks, then reads back.
 */
#include <errno.h>

#include "bsp.h"
#include "omap4_m3.h"
#include "rpvp/omap_mailbox_regs.h"
#include "rtos.h"
#include "../rtos/cm3.h"

#define MBOX_USER OMAP4_M3_MBOX_USER
#define FIFO_RX OMAP4_M3_MBOX_FIFO_RX
#define FIFO_TX OMAP4_M3_MBOX_FIFO_TX
#define MBOX_IRQ_PRIO 0x80u /* above PendSV/SysTick, below faults */

static bsp_mbox_rx_fn rx_fn;
static void *rx_ctx;
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

void bsp_mbox_init(bsp_mbox_rx_fn fn, void *ctx)
{
    rx_fn = fn;
    rx_ctx = ctx;
    mbox_ack_newmsg(FIFO_RX);
    mbox_write(RPVP_MBOX_IRQENABLE_SET(MBOX_USER), RPVP_MBOX_IRQ_NEWMSG(FIFO_RX));
    cm3_nvic_set_priority(OMAP4_M3_MBOX_IRQ, MBOX_IRQ_PRIO);
    cm3_nvic_enable(OMAP4_M3_MBOX_IRQ);
}

int bsp_mbox_send(uint32_t msg)
{
    uint32_t pm = rtos_irq_save();
    int err = 0;
    if (mbox_fifo_full(FIFO_TX)) {
        stats.tx_full++;
        err = -EBUSY;
    } else {
        mbox_fifo_write(FIFO_TX, msg);
        stats.tx++;
    }
    rtos_irq_restore(pm);
    return err;
}

void bsp_mbox_send_wait(uint32_t msg)
{
    while (bsp_mbox_send(msg) == -EBUSY)
        ;
}

void bsp_mbox_isr(void)
{
    stats.irqs++;
    uint32_t status = mbox_read(RPVP_MBOX_IRQSTATUS_CLR(MBOX_USER));
    if (!(status & RPVP_MBOX_IRQ_NEWMSG(FIFO_RX)))
        return;
    do {
        while (!mbox_fifo_empty(FIFO_RX)) {
            uint32_t msg = mbox_fifo_read(FIFO_RX);
            stats.rx++;
            if (rx_fn)
                rx_fn(rx_ctx, msg);
        }
        mbox_ack_newmsg(FIFO_RX);
    } while (!mbox_fifo_empty(FIFO_RX)); /* a message that raced the ack */
}

void bsp_mbox_get_stats(struct bsp_mbox_stats *out)
{
    *out = stats;
}
