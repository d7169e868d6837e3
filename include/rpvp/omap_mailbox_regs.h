/*
 * OMAP4 system mailbox register map (32-bit registers, local offsets).
 *
 * Source: OMAP4430/4460 TRM (SWPU231/SWPU235) "System Mailbox" register manual, the
 * same IP as AM335x (SPRUH73, ch. 17.1) and DRA7 (SPRUI30), and the offsets Linux's
 * drivers/mailbox/omap-mailbox.c uses for "ti,omap4-mailbox" (interrupt type 2 layout,
 * intr_type = 1 in the driver). Names follow the TRM; `m` is a FIFO ("mailbox")
 * index, `u` a user (interrupt output) index.
 *
 * Used by the C core (models/mailbox/omap_mailbox.c), its tests and any C code that
 * drives the mailbox (synthetic host, firmware-side test code).
 */
#ifndef RPVP_OMAP_MAILBOX_REGS_H
#define RPVP_OMAP_MAILBOX_REGS_H

#define RPVP_MBOX_REVISION            0x000u  /* R:  IP revision */
#define RPVP_MBOX_SYSCONFIG           0x010u  /* RW: SIDLEMODE, SOFTRESET */
#define RPVP_MBOX_MESSAGE(m)          (0x040u + 4u * (m))    /* RW: FIFO push/pop */
#define RPVP_MBOX_FIFOSTATUS(m)       (0x080u + 4u * (m))    /* R:  bit 0 FIFOFULLMBM */
#define RPVP_MBOX_MSGSTATUS(m)        (0x0C0u + 4u * (m))    /* R:  NBOFMSGMBM */
#define RPVP_MBOX_IRQSTATUS_RAW(u)    (0x100u + 0x10u * (u)) /* RW: raw status, W1 sets */
#define RPVP_MBOX_IRQSTATUS_CLR(u)    (0x104u + 0x10u * (u)) /* RW: masked status, W1C */
#define RPVP_MBOX_IRQENABLE_SET(u)    (0x108u + 0x10u * (u)) /* RW: enable, W1 sets */
#define RPVP_MBOX_IRQENABLE_CLR(u)    (0x10Cu + 0x10u * (u)) /* RW: enable, W1 clears */

/* First offset of each indexed block and its stride. */
#define RPVP_MBOX_MESSAGE_BASE        0x040u
#define RPVP_MBOX_FIFOSTATUS_BASE     0x080u
#define RPVP_MBOX_MSGSTATUS_BASE      0x0C0u
#define RPVP_MBOX_USER_BASE           0x100u
#define RPVP_MBOX_USER_STRIDE         0x010u

/* Size of the register window (OMAP4 DT: reg = <0x4a0f4000 0x200>). */
#define RPVP_MBOX_WINDOW_SIZE         0x200u

/* SYSCONFIG fields */
#define RPVP_MBOX_SYSCONFIG_SOFTRESET       (1u << 0)
#define RPVP_MBOX_SYSCONFIG_SIDLEMODE_SHIFT 2u
#define RPVP_MBOX_SYSCONFIG_SIDLEMODE_MASK  (3u << 2)
#define RPVP_MBOX_SIDLE_FORCE               0u
#define RPVP_MBOX_SIDLE_NO                  1u
#define RPVP_MBOX_SIDLE_SMART               2u  /* reset value */

/* FIFOSTATUS / MSGSTATUS fields */
#define RPVP_MBOX_FIFOSTATUS_FIFOFULLMBM    (1u << 0)
#define RPVP_MBOX_MSGSTATUS_NBOFMSGMBM_MASK 0x7u /* wider when fifo_depth > 7 */

/* Per-FIFO bits of every IRQSTATUS_RAW/CLR and IRQENABLE_SET/CLR register. */
#define RPVP_MBOX_IRQ_NEWMSG(m)       (1u << (2u * (m)))
#define RPVP_MBOX_IRQ_NOTFULL(m)      (1u << (2u * (m) + 1u))

/* Reset values (see docs/models/mailbox.md for where each comes from). */
#define RPVP_MBOX_REVISION_OMAP4      0x00000400u
#define RPVP_MBOX_SYSCONFIG_RESET     (RPVP_MBOX_SIDLE_SMART << RPVP_MBOX_SYSCONFIG_SIDLEMODE_SHIFT)

#endif
