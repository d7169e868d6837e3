/* A tiny C device core used to test rpvp::CoreTarget: a scratch register, an ID, an
 * interrupt output driven by a register, and a counter of interrupt-input edges. */
#ifndef RPVP_TEST_SCRATCH_DEV_H
#define RPVP_TEST_SCRATCH_DEV_H

#include "rpvp/device.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    A_SCRATCH_ID = 0x00,      /* RO: 0x5C4A7C40 */
    A_SCRATCH_DATA = 0x04,    /* RW */
    A_SCRATCH_IRQ = 0x08,     /* RW: bit 0 drives irq_out[0] */
    A_SCRATCH_EDGES = 0x0C,   /* RO: number of irq_in[0] edges seen */
    A_SCRATCH_EXTRA = 0x10,   /* RW: the core adds this many ps to the access delay */
};
#define SCRATCH_ID_VALUE 0x5C4A7C40u

typedef struct scratch_dev {
    uint32_t data, irq, edges, extra_ps;
    int last_in_level;
    rpvp_irq_sink sink;
} scratch_dev;

extern const rpvp_device_ops scratch_dev_ops;

#ifdef __cplusplus
}
#endif
#endif
