/*
 * rpvp remote-processor control blocks for Linux's remoteproc route: plain C cores
 * (no SystemC), wrapped by rpvp::CoreTarget. Linux's stm32_rproc driver (6.1) drives
 * them through the device tree rpvp generates (platforms/omap4-amp/platform_desc.c):
 *
 * System configuration registers ("syscon"; one 32-bit register each, STM32MP1's RCC
 * and TAMP registers the driver names by phandle + offset + mask):
 *
 *   offset  name      bits  reset  what
 *   0x00    HOLDBOOT  0     0      BOOT. A 0->1 write releases a held remote (it starts
 *                                  at its reset vector); 0 holds it at the next reset.
 *                                  Interrupt output 0 follows this bit.
 *   0x04    TZEN      0     0      trust-zone enable, read-only 0: hold-boot is
 *                                  written by MMIO, never through an SMC call.
 *   0x08    PDDS      0     0      deep-sleep request (stop writes 1, start 0); stored.
 *   0x0c    STATE     31:0  cfg    remote state (0 off, 2 running: "detached" at probe);
 *                                  preset by rpvp when the remote runs before Linux.
 *   0x10    RSC_TBL   31:0  cfg    the running remote's resource-table device address.
 *
 * Reset controller ("snps,dw-high-reset", Linux's reset-simple; one 32-bit register):
 *
 *   offset  name      bits  reset  what
 *   0x00    RESET     0     0      write 1: a reset pulse (interrupt output 0 pulses
 *                                  high): the remote stops and stays held until a
 *                                  HOLDBOOT 0->1. Self-clearing (reads 0), like
 *                                  STM32MP1's MCU reset, which stm32_rproc only asserts.
 *                     31:1  0      no reset lines: writes ignored, read 0.
 *
 * Accesses other than aligned 32-bit ones, and offsets beyond the registers, are guest
 * errors (error response, counted).
 */
#ifndef RPVP_RPROC_CTRL_H
#define RPVP_RPROC_CTRL_H

#include <stdint.h>

#include "rpvp/device.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RPVP_SYSCON_HOLDBOOT 0x00u
#define RPVP_SYSCON_TZEN     0x04u
#define RPVP_SYSCON_PDDS     0x08u
#define RPVP_SYSCON_STATE    0x0cu
#define RPVP_SYSCON_RSC_TBL  0x10u
#define RPVP_SYSCON_SIZE     0x14u /* bytes of registers */
#define RPVP_SYSCON_BOOT     0x1u  /* HOLDBOOT, TZEN, PDDS: bit 0 */

#define RPVP_SYSCON_STATE_OFF     0u /* stm32_rproc's M4_STATE_* values */
#define RPVP_SYSCON_STATE_RUNNING 2u

#define RPVP_RESET_REG  0x00u
#define RPVP_RESET_SIZE 0x04u
#define RPVP_RESET_M3   0x1u /* reset line 0 of the controller: the remote */

typedef struct rpvp_syscon rpvp_syscon;
typedef struct rpvp_rst rpvp_rst;

typedef struct rpvp_rproc_ctrl_stats {
    uint64_t accesses, guest_errors, events; /* events: boot releases / reset pulses */
} rpvp_rproc_ctrl_stats;

/* state, rsc_tbl: reset values of STATE and RSC_TBL (0, 0 for a remote Linux starts). */
rpvp_syscon *rpvp_syscon_new(uint32_t state, uint32_t rsc_tbl);
void rpvp_syscon_free(rpvp_syscon *s);
/* Set STATE and RSC_TBL now and as their reset values (what a boot loader that started
 * the remote leaves behind). */
void rpvp_syscon_preset(rpvp_syscon *s, uint32_t state, uint32_t rsc_tbl);
const rpvp_device_ops *rpvp_syscon_ops(void);
void rpvp_syscon_get_stats(const rpvp_syscon *s, rpvp_rproc_ctrl_stats *st);

rpvp_rst *rpvp_rst_new(void);
void rpvp_rst_free(rpvp_rst *r);
const rpvp_device_ops *rpvp_rst_ops(void);
void rpvp_rst_get_stats(const rpvp_rst *r, rpvp_rproc_ctrl_stats *st);

#ifdef __cplusplus
}
#endif
#endif
