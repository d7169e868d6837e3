/*
 * rpvp firmware control protocol (docs/firmware.md, "Control protocol").
 *
 * The host talks to the endpoint "rpvp-ctrl" with fixed 32-byte little-endian messages;
 * each request gets exactly one reply from rpvp-ctrl to the sender, with cmd | CTRL_REPLY
 * and the same seq. Data never travels on rpvp-ctrl: it only configures and reports the
 * data endpoints (rpvp-sink, rpvp-source, rpvp-slow; rpmsg-raw needs no control).
 * Shared by the firmware (arm-none-eabi) and host-side tests: <stdint.h> only.
 */
#ifndef RPVP_FW_CTRL_PROTO_H
#define RPVP_FW_CTRL_PROTO_H

#include <stdint.h>

#define CTRL_MAGIC 0x43505652u /* "RVPC" little-endian */
#define CTRL_REPLY 0x8000u

/* Endpoint names announced by name service. */
#define FW_EPT_ECHO "rpmsg-raw"     /* echo: every message comes back unchanged */
#define FW_EPT_SINK "rpvp-sink"     /* counts messages and bytes, answers nothing */
#define FW_EPT_SOURCE "rpvp-source" /* sends N messages of S bytes on request */
#define FW_EPT_SLOW "rpvp-slow"     /* consumes each message in a set time */
#define FW_EPT_CTRL "rpvp-ctrl"     /* this protocol */

enum ctrl_cmd {
    CTRL_PING = 1,         /* -> arg[0] = firmware version, arg[1] = cpu Hz,
                              arg[2] = task stacks found overflowed */
    CTRL_SINK_STATS = 2,   /* -> arg[0] = messages, arg[1] = bytes, arg[2] = bad seq */
    CTRL_SINK_RESET = 3,   /* zero the sink's counters */
    CTRL_SOURCE_START = 4, /* arg[0] = count N, arg[1] = size S (4..496), arg[2] = dest
                              address (0: the source's peer = last sender to rpvp-source)
                              -> the reply comes when all N are sent:
                              arg[0] = sent, arg[1] = bytes, arg[2] = cycles taken */
    CTRL_SLOW_SET = 5,     /* arg[0] = processing time per message in microseconds */
    CTRL_SLOW_STATS = 6,   /* -> arg[0] = messages, arg[1] = bytes, arg[2] = delay us */
    CTRL_ECHO_STATS = 7,   /* -> arg[0] = messages, arg[1] = bytes, arg[2] = send errors */
    CTRL_FAULT = 8,        /* crash on purpose (crash tests): arg[0] = enum ctrl_fault_kind;
                              no reply: the firmware faults in fw_fault_inject() */
    CTRL_WDT_STARVE = 9,   /* stop refreshing the watchdog; the firmware keeps serving
                              -> arg[0] = watchdog timeout in ms */
};

enum ctrl_fault_kind {
    CTRL_FAULT_BUS = 0,    /* load from an address nothing decodes: precise BusFault,
                              escalated to HardFault (FORCED) */
    CTRL_FAULT_UNDEF = 1,  /* an undefined instruction: UsageFault UNDEFINSTR, escalated */
};

struct ctrl_msg {
    uint32_t magic;  /* CTRL_MAGIC */
    uint16_t cmd;    /* enum ctrl_cmd, | CTRL_REPLY in replies */
    uint16_t seq;    /* echoed in the reply */
    int32_t status;  /* replies: 0 or a negative errno */
    uint32_t arg[5];
};

#define CTRL_MSG_SIZE 32u
typedef char ctrl_msg_size_check[sizeof(struct ctrl_msg) == CTRL_MSG_SIZE ? 1 : -1];

/* Stream payloads (source -> host, host -> sink): a 32-bit sequence number first, then
 * bytes (seq + i) & 0xff, so the receiver can check order and content. */
#define STREAM_HDR_SIZE 4u
#define FW_VERSION 0x00010000u

#endif
