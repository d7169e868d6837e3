/*
 * OMAP4 Cortex-M3 ("Ducati") view of the SoC, as this firmware uses it.
 *
 * Addresses are the M3's own (after its AMMU-like translation window):
 *   0x00000000..0x00FFFFFF  code and data: a 16 MiB DDR carveout (Linux physical
 *                           0x4F000000 on rpvp's platform; wherever Linux remoteproc puts
 *                           the carveout on silicon)
 *   0x40000000..            Linux's DDR at its physical addresses (vrings, rpmsg buffers)
 *   0xAA0F4000              system mailbox (L4_CFG 0x4A0F4000 seen through 0xAA000000)
 *   0xAA314000              the M3's watchdog (an OMAP4 WD_TIMER)
 * Mailbox: the M3 is user 2 (TI SYS/BIOS IPC InterruptDucati.c uses IRQSTATUS_CLR_M3 at
 * 0x124 = user 2); FIFOs per channel as rpvp/mbox_channels.h (vq0 0/1, vq1 2/3, shutdown
 * 4/5, detach 6/7). The mailbox interrupt is M3 exception 50, i.e. NVIC IRQ 34
 * (InterruptDucati.c: M3INT_MBX = 50).
 * See docs/firmware.md.
 */
#ifndef BSP_OMAP4_M3_H
#define BSP_OMAP4_M3_H

#define OMAP4_M3_CARVEOUT_DA   0x00000000u
#define OMAP4_M3_CARVEOUT_LEN  0x01000000u
#define OMAP4_M3_L4CFG_DA      0xAA000000u /* L4_CFG as the M3 sees it */
#define OMAP4_M3_L4CFG_PA      0x4A000000u /* ... and its physical address */
#define OMAP4_M3_L4CFG_LEN     0x01000000u

#define OMAP4_M3_MBOX_BASE     0xAA0F4000u
#define OMAP4_M3_MBOX_IRQ      34u
/* The M3's watchdog: an OMAP4 WD_TIMER at WD_TIMER2's L4_WKUP address 0x4A314000, seen
 * through the L4 window (rpvp's platform maps it there; docs/models/watchdog.md). */
#define OMAP4_M3_WDT_BASE      0xAA314000u

#ifndef OMAP4_M3_CPU_HZ
#define OMAP4_M3_CPU_HZ        200000000u /* Ducati M3 at 200 MHz (OMAP4430 OPP100) */
#endif
#define OMAP4_M3_TICK_HZ       1000u

#define OMAP4_M3_NUM_IRQS      64u

#endif
