/* A plain-C initiator (compiled as C, not C++) exercising the bridge ABI. The C++ test
 * runs it in an SC_THREAD and asserts on what it recorded. */
#ifndef RPVP_TEST_C_INITIATOR_H
#define RPVP_TEST_C_INITIATOR_H

#include <stdint.h>

#include "rpvp/bridge.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct c_initiator_cfg {
    uint64_t ddr_base;     /* where the DDR is in this initiator's map */
    uint64_t scratch_base; /* where the scratch device is */
    uint64_t hole;         /* an address nothing decodes */
} c_initiator_cfg;

typedef struct c_initiator_result {
    int widths_ok;             /* every width 1,2,4,8,16,64 read back byte-exact */
    rpvp_status hole_read, hole_write;
    rpvp_status scratch_bad_width;
    uint32_t scratch_id, scratch_data;
    uint64_t scratch_delay_ps; /* delay annotated on one scratch read */
    int dmi_granted;
    rpvp_dmi dmi;
    int dmi_write_seen_by_tlm; /* a write through the DMI pointer read back via b_transport */
    size_t debug_bytes;
    int debug_ok;
    uint64_t time_before, time_after; /* rpvp_port_now around 1000 advanced cycles */
    int irq_edges_seen;
    int woke_by_irq;
    uint64_t wake_time_ps;
    int dmi_invalidated;
} c_initiator_result;

typedef struct c_initiator_ctx {
    c_initiator_cfg cfg;
    c_initiator_result res;
} c_initiator_ctx;

void c_initiator_run(rpvp_port *port, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
