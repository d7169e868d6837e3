/*
 * rpvp bridge test device: the small target behind QEMU's rpvp-bridge window in the
 * "test" plugin platform, used to prove and time the QEMU <-> SystemC path before the
 * real virtio-mmio rpmsg device is plugged in. Not a model of any TRM block.
 *
 * Register map (32-bit accesses only, little-endian):
 *   0x000 MAGIC      RO  0x74726976 ("virt"): Linux's virtio_mmio probe reads it and
 *   0x004 VERSION    RO  2                     then stops quietly at DEVICE_ID 0
 *   0x008 DEVICE_ID  RO  0 (virtio "no device" placeholder)
 *   0x00c VENDOR_ID  RO  0x50565052 ("RPVP")
 *   0x100 SCRATCH    RW  any value
 *   0x104 ACCESSES   RO  number of accesses seen (this one included)
 *   0x108 IRQ_CTRL   RW  bit 0 = level of interrupt output 0
 *   0x110 TIME_LO    RO  simulated time of this access in ps, low word (latches high)
 *   0x114 TIME_HI    RO  high word latched by the last TIME_LO read
 *   0x118 FAIL       WO  any write calls the platform's fail hook (fault tests)
 * Interface: rpvp_device_ops (include/rpvp/device.h), 1 interrupt output, no input.
 * Unknown offsets read 0, writes are ignored; both are counted as guest errors.
 */
#ifndef RPVP_BRIDGE_TEST_DEVICE_H
#define RPVP_BRIDGE_TEST_DEVICE_H

#include <stdint.h>

#include "rpvp/device.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    A_TD_MAGIC = 0x000,
    A_TD_VERSION = 0x004,
    A_TD_DEVICE_ID = 0x008,
    A_TD_VENDOR_ID = 0x00c,
    A_TD_SCRATCH = 0x100,
    A_TD_ACCESSES = 0x104,
    A_TD_IRQ_CTRL = 0x108,
    A_TD_TIME_LO = 0x110,
    A_TD_TIME_HI = 0x114,
    A_TD_FAIL = 0x118,
};
#define TD_MAGIC_VALUE 0x74726976u
#define TD_VERSION_VALUE 2u
#define TD_VENDOR_VALUE 0x50565052u
#define TD_IRQ_CTRL_LEVEL 0x1u

typedef struct rpvp_test_device {
    uint32_t scratch, accesses, irq_ctrl, time_hi_latch;
    uint64_t guest_errors;
    rpvp_irq_sink sink;
    const rpvp_clock *clock;                 /* "now" of the access; may be NULL */
    void (*fail_hook)(void *ctx, uint32_t v); /* FAIL register; may be NULL */
    void *fail_ctx;
} rpvp_test_device;

extern const rpvp_device_ops rpvp_test_device_ops;

void rpvp_test_device_init(rpvp_test_device *d, const rpvp_clock *clock);

#ifdef __cplusplus
}
#endif
#endif
