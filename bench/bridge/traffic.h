/* A C traffic generator on the bridge ABI: streams reads and writes to a memory range,
 * either as b_transport transactions or through a DMI pointer, and verifies the data. */
#ifndef RPVP_BENCH_TRAFFIC_H
#define RPVP_BENCH_TRAFFIC_H

#include <stdint.h>

#include "rpvp/bridge.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TRAFFIC_BTRANSPORT, TRAFFIC_DMI, TRAFFIC_PLAIN_MEMORY } traffic_mode;

typedef struct traffic_cfg {
    traffic_mode mode;
    uint64_t base, span;   /* address range to stream over */
    uint32_t access_bytes; /* per transaction */
    uint64_t count;        /* transactions (half writes, half reads) */
    uint64_t cycle_ps;     /* initiator work between accesses */
    uint8_t *plain;        /* TRAFFIC_PLAIN_MEMORY: the buffer to use instead of a port */
} traffic_cfg;

typedef struct traffic_result {
    uint64_t done, errors, mismatches;
    uint64_t sim_start_ps, sim_end_ps;
} traffic_result;

typedef struct traffic_ctx {
    traffic_cfg cfg;
    traffic_result res;
} traffic_ctx;

/* Thread body for BridgeInitiator::spawn (ctx is a traffic_ctx). */
void traffic_run(rpvp_port *port, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
