/*
 * OMAP4 watchdog timer (WD_TIMER) register map, 32-bit registers at local offsets.
 *
 * Source: OMAP4430/4460 TRM (SWPU231/SWPU235), chapter "Watchdog Timer" (WD_TIMER2 in
 * L4_WKUP at 0x4A314000); the offsets and sequences Linux's drivers/watchdog/omap_wdt.c
 * uses. Names follow the TRM. Shared by the C core (models/watchdog), its tests and the
 * firmware (which refreshes it).
 *
 *   offset name     access  reset        what
 *   0x000  WDT_WIDR  R      0x50010201*  IP revision
 *   0x010  WDT_WDSC  RW     0x00000010   SYSCONFIG: bit 1 SOFTRESET (reads 0: done),
 *                                        bits 4:3 IDLEMODE, bit 5 EMUFREE (stored only)
 *   0x014  WDT_WDST  R      0x00000001   bit 0 RESETDONE
 *   0x018  WDT_WISR  RW     0x00000000   bit 0 OVF_IT_FLAG, bit 1 DLY_IT_FLAG; write 1 clears
 *   0x01C  WDT_WIER  RW     0x00000000   bit 0 OVF_IT_ENA, bit 1 DLY_IT_ENA
 *   0x024  WDT_WCLR  RW     0x00000020   bit 5 PRE (prescaler on), bits 4:2 PTV: the
 *                                        32768 Hz clock is divided by 2^PTV when PRE
 *   0x028  WDT_WCRR  RW     0x00000000   the counter (counts up; overflow = timeout)
 *   0x02C  WDT_WLDR  RW     0xFFFB0000   load value (reloaded by a trigger, an overflow)
 *   0x030  WDT_WTGR  RW     0x00000000   trigger: writing a value other than the last
 *                                        one reloads WCRR from WLDR (the refresh)
 *   0x034  WDT_WWPS  R      0x00000000   write-pending bits (writes complete at once: 0)
 *   0x044  WDT_WDLY  RW     0x00000000   delay value (stored only; DLY_IT not modelled)
 *   0x048  WDT_WSPR  RW     0x00000000   start/stop: 0xBBBB then 0x4444 starts the
 *                                        counter, 0xAAAA then 0x5555 stops it
 * (* revision: not checked against silicon.)
 */
#ifndef RPVP_OMAP_WDT_REGS_H
#define RPVP_OMAP_WDT_REGS_H

#define RPVP_WDT_WIDR  0x000u
#define RPVP_WDT_WDSC  0x010u
#define RPVP_WDT_WDST  0x014u
#define RPVP_WDT_WISR  0x018u
#define RPVP_WDT_WIER  0x01Cu
#define RPVP_WDT_WCLR  0x024u
#define RPVP_WDT_WCRR  0x028u
#define RPVP_WDT_WLDR  0x02Cu
#define RPVP_WDT_WTGR  0x030u
#define RPVP_WDT_WWPS  0x034u
#define RPVP_WDT_WDLY  0x044u
#define RPVP_WDT_WSPR  0x048u
/* OMAP4 also has WIRQSTATRAW/WIRQSTAT/WIRQENSET/WIRQENCLR (0x54..0x60): not modelled. */
#define RPVP_WDT_WINDOW_SIZE 0x080u

/* Fields */
#define RPVP_WDT_WDSC_SOFTRESET   (1u << 1)
#define RPVP_WDT_WDST_RESETDONE   (1u << 0)
#define RPVP_WDT_IT_OVF           (1u << 0) /* WISR OVF_IT_FLAG / WIER OVF_IT_ENA */
#define RPVP_WDT_IT_DLY           (1u << 1) /* WISR DLY_IT_FLAG / WIER DLY_IT_ENA */
#define RPVP_WDT_WCLR_PRE         (1u << 5)
#define RPVP_WDT_WCLR_PTV_SHIFT   2u
#define RPVP_WDT_WCLR_PTV_MASK    (7u << RPVP_WDT_WCLR_PTV_SHIFT)

/* WSPR sequences (omap_wdt.c: omap_wdt_enable / omap_wdt_disable). */
#define RPVP_WDT_WSPR_START1 0xBBBBu
#define RPVP_WDT_WSPR_START2 0x4444u
#define RPVP_WDT_WSPR_STOP1  0xAAAAu
#define RPVP_WDT_WSPR_STOP2  0x5555u

/* The functional clock (32 kHz sync clock). */
#define RPVP_WDT_CLOCK_HZ 32768u

/* WLDR for a timeout of `ticks` counter ticks: the counter overflows after them. */
#define RPVP_WDT_WLDR_FOR_TICKS(ticks) (0u - (unsigned)(ticks))

#endif
