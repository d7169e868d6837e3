/*
 * The firmware's endpoints, all served by one rpmsg task (docs/firmware.md):
 *   rpmsg-raw   echo: each message goes back to its sender unchanged
 *   rpvp-sink   counts messages/bytes, checks stream sequence and content
 *   rpvp-source on request, sends N messages of S bytes as fast as buffers allow
 *   rpvp-slow   holds each message for a set processing time before taking the next
 *   rpvp-ctrl   the control protocol (ctrl_proto.h), including crashing on purpose
 * A watchdog task refreshes the M3's watchdog; the "shutdown" channel quiesces the core.
 * Callbacks run inside rpr_poll() in the rpmsg task, so a callback that takes time
 * (rpvp-slow) keeps its buffer and the host's TX buffers run out, as on silicon.
 */
#include <errno.h>
#include <string.h>

#include "apps.h"
#include "bsp.h"
#include "ctrl_proto.h"
#include "rpmsg_port.h"
#include "rsc_table.h"
#include "rpvp/mbox_channels.h"
#include "rtos.h"
#include "../rtos/cm3.h"

struct counters {
    uint32_t msgs, bytes, errors;
};

static struct rpr_device rdev;
static struct rpr_endpoint ept_echo, ept_sink, ept_source, ept_slow, ept_ctrl;
static struct counters echo_cnt, sink_cnt, slow_cnt;
static uint32_t sink_next_seq, slow_delay_us;
static uint32_t rpmsg_stack[1024] __attribute__((aligned(8)));
static uint32_t wdt_stack[256] __attribute__((aligned(8)));
static volatile int wdt_starved; /* CTRL_WDT_STARVE: the watchdog task stops refreshing */

/* Watchdog: a timeout of FW_WDT_TIMEOUT_MS, refreshed every FW_WDT_PERIOD_MS by a task
 * above the rpmsg task, so a core stuck with interrupts off, in a fault or in a
 * higher-priority loop stops refreshing while a busy rpmsg task does not. */
#define FW_WDT_TIMEOUT_MS 50u
#define FW_WDT_PERIOD_MS 10u
#define FW_WDT_PRIO 9
#define FW_RPMSG_PRIO 8
/* An address the M3's interconnect decodes to nothing (a bus error). */
#define FW_FAULT_ADDR 0x30000000u
static uint8_t source_buf[RPMSG_MAX_PAYLOAD];

/* ---- stream payloads: seq, then (seq + i) & 0xff ---- */

static void stream_fill(uint8_t *p, uint32_t len, uint32_t seq)
{
    memcpy(p, &seq, STREAM_HDR_SIZE);
    for (uint32_t i = STREAM_HDR_SIZE; i < len; i++)
        p[i] = (uint8_t)(seq + i);
}

static int stream_check(const uint8_t *p, size_t len, uint32_t seq)
{
    uint32_t got;
    if (len < STREAM_HDR_SIZE)
        return 0;
    memcpy(&got, p, STREAM_HDR_SIZE);
    if (got != seq)
        return 0;
    for (size_t i = STREAM_HDR_SIZE; i < len; i++)
        if (p[i] != (uint8_t)(seq + i))
            return 0;
    return 1;
}

/* ---- endpoints ---- */

static int echo_cb(struct rpr_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
    echo_cnt.msgs++;
    echo_cnt.bytes += len;
    int rc = rpr_sendto(ept, data, (int)len, src);
    if (rc != (int)len)
        echo_cnt.errors++;
    return rc == (int)len ? RPMSG_SUCCESS : rc;
}

static int sink_cb(struct rpr_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
    sink_cnt.msgs++;
    sink_cnt.bytes += len;
    if (!stream_check(data, len, sink_next_seq))
        sink_cnt.errors++;
    sink_next_seq++;
    return RPMSG_SUCCESS;
}

/* Hold the message for slow_delay_us: whole ticks asleep, the rest spinning. */
static void process_for(uint32_t us)
{
    uint64_t cycles = (uint64_t)us * (rtos_cpu_hz() / 1000000u);
    uint64_t per_tick = rtos_cpu_hz() / rtos_tick_hz();
    uint64_t end = rtos_cycles() + cycles;
    if (cycles >= per_tick)
        rtos_sleep((uint32_t)(cycles / per_tick));
    while (rtos_cycles() < end)
        ;
}

static int slow_cb(struct rpr_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
    slow_cnt.msgs++;
    slow_cnt.bytes += len;
    process_for(slow_delay_us);
    return RPMSG_SUCCESS;
}

static int source_cb(struct rpr_endpoint *ept, void *data, size_t len, uint32_t src,
                     void *priv)
{
    return RPMSG_SUCCESS; /* a message here only tells the source who its peer is */
}

/* Send count messages of size bytes to dst; fills the reply's args. */
static int source_run(uint32_t count, uint32_t size, uint32_t dst, struct ctrl_msg *reply)
{
    if (size < STREAM_HDR_SIZE || size > RPMSG_MAX_PAYLOAD)
        return -EINVAL;
    if (dst == 0)
        dst = ept_source.dest_addr;
    if (dst == RPMSG_ADDR_ANY)
        return -ENOTCONN;
    uint64_t t0 = rtos_cycles();
    uint32_t sent = 0, bytes = 0;
    for (uint32_t seq = 0; seq < count; seq++) {
        stream_fill(source_buf, size, seq);
        int rc = rpr_sendto(&ept_source, source_buf, (int)size, dst);
        if (rc != (int)size) {
            bsp_log("source: send %u failed: %d", (unsigned)seq, rc);
            break;
        }
        sent++;
        bytes += size;
    }
    reply->arg[0] = sent;
    reply->arg[1] = bytes;
    reply->arg[2] = (uint32_t)(rtos_cycles() - t0);
    return sent == count ? 0 : -EIO;
}

/* The faulting function of CTRL_FAULT: its name is what a backtrace must show. */
__attribute__((noinline)) void fw_fault_inject(uint32_t kind);
__attribute__((noinline)) void fw_fault_inject(uint32_t kind)
{
    bsp_log("ctrl: faulting on purpose (kind %u)", (unsigned)kind);
    if (kind == CTRL_FAULT_UNDEF)
        __asm volatile(".short 0xde00"); /* UDF #0 */
    (void)*(volatile uint32_t *)FW_FAULT_ADDR;
    bsp_panic("fault injection %u did not fault", (unsigned)kind);
}

static void fill_counters(struct ctrl_msg *reply, const struct counters *c)
{
    reply->arg[0] = c->msgs;
    reply->arg[1] = c->bytes;
    reply->arg[2] = c->errors;
}

static int ctrl_cb(struct rpr_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
    struct ctrl_msg req, reply;
    if (len != sizeof req)
        return RPMSG_ERR_PARAM;
    memcpy(&req, data, sizeof req);
    if (req.magic != CTRL_MAGIC)
        return RPMSG_ERR_PARAM;
    memset(&reply, 0, sizeof reply);
    reply.magic = CTRL_MAGIC;
    reply.cmd = (uint16_t)(req.cmd | CTRL_REPLY);
    reply.seq = req.seq;

    switch (req.cmd) {
    case CTRL_PING:
        reply.arg[0] = FW_VERSION;
        reply.arg[1] = rtos_cpu_hz();
        reply.arg[2] = rtos_stack_overflows();
        break;
    case CTRL_SINK_STATS:
        fill_counters(&reply, &sink_cnt);
        break;
    case CTRL_SINK_RESET:
        memset(&sink_cnt, 0, sizeof sink_cnt);
        sink_next_seq = 0;
        break;
    case CTRL_SOURCE_START:
        reply.status = source_run(req.arg[0], req.arg[1], req.arg[2], &reply);
        break;
    case CTRL_SLOW_SET:
        slow_delay_us = req.arg[0];
        break;
    case CTRL_SLOW_STATS:
        fill_counters(&reply, &slow_cnt);
        reply.arg[2] = slow_delay_us;
        break;
    case CTRL_ECHO_STATS:
        fill_counters(&reply, &echo_cnt);
        break;
    case CTRL_FAULT:
        fw_fault_inject(req.arg[0]);
        break;
    case CTRL_WDT_STARVE:
        wdt_starved = 1;
        bsp_log("ctrl: watchdog no longer refreshed (timeout %u ms)",
                (unsigned)bsp_wdt_timeout_ms());
        reply.arg[0] = bsp_wdt_timeout_ms();
        break;
    default:
        bsp_log("ctrl: unknown command %u", (unsigned)req.cmd);
        reply.status = -ENOSYS;
        break;
    }
    int rc = rpr_sendto(ept, &reply, sizeof reply, src);
    return rc == (int)sizeof reply ? RPMSG_SUCCESS : rc;
}

/* ---- the rpmsg task ---- */

static const struct {
    struct rpr_endpoint *ept;
    const char *name;
    rpr_ept_cb cb;
} endpoints[] = {
    {&ept_echo, FW_EPT_ECHO, echo_cb},     {&ept_sink, FW_EPT_SINK, sink_cb},
    {&ept_source, FW_EPT_SOURCE, source_cb}, {&ept_slow, FW_EPT_SLOW, slow_cb},
    {&ept_ctrl, FW_EPT_CTRL, ctrl_cb},
};

/*
 * How long after the host sets DRIVER_OK the channels are announced. Linux's
 * virtio_rpmsg_bus handles announcements in the virtio device's interrupt handler; with
 * virtio-mmio that is a hard interrupt, and the channel registration it does takes
 * driver-core mutexes. Arriving while the host's modprobe is still binding the driver
 * (it holds one of them), it spins on that mutex forever (mutex_spin_on_owner: the
 * owner is the task it interrupted). On silicon the OMAP mailbox driver defers the same
 * work to a workqueue. The reference firmware therefore starts its services as an
 * application would, a little after the transport is up, when the bind is long done:
 * at boot and again after every reset of the vdev (the driver is bound anew then too).
 */
#define FW_NS_DELAY_MS 2u

/* Wait for the host's DRIVER_OK (a kick wakes us; the tick bounds the wait), let it
 * settle, then attach the vrings: every endpoint not bound to a fixed peer is announced
 * (all of them: a reset forgets the peers learnt from the host, rpmsg-raw's included). */
static void attach_when_host_ready(void)
{
    while (!(fw_rsc_table.vdev.status & VIRTIO_CONFIG_S_DRIVER_OK))
        rpmsg_port_wait_tick();
    rtos_sleep((FW_NS_DELAY_MS * rtos_tick_hz() + 999u) / 1000u);
    int err = rpr_wait_ready(&rdev, UINT64_MAX);
    if (err)
        bsp_panic("vdev never became ready: %d", err);
    bsp_log("rpmsg up: vring0 da %x, vring1 da %x, %u endpoints announced (host resets %u)",
            (unsigned)fw_rsc_table.vring[0].da, (unsigned)fw_rsc_table.vring[1].da,
            (unsigned)(sizeof endpoints / sizeof endpoints[0]),
            (unsigned)rdev.stats.resets_seen);
}

/* The image built for remote N > 0 of a platform with several remotes (FW_REMOTE_INDEX,
 * firmware/image/CMakeLists.txt: rpvp-m3-fw-rN.elf) puts its endpoints at 1024 + 64 * N
 * onwards, so each remote's channels have their own addresses on the host; remote 0's
 * image lets the stack pick them (1024 onwards). */
#if defined(FW_REMOTE_INDEX) && FW_REMOTE_INDEX > 0
#define FW_EPT_ADDR(i) (RPMSG_RESERVED_ADDRESSES + 64u * (FW_REMOTE_INDEX) + (i))
#else
#define FW_EPT_ADDR(i) RPMSG_ADDR_ANY
#endif

static void rpmsg_task(void *arg)
{
    int err = rpmsg_port_init(&rdev, &fw_rsc_table, sizeof fw_rsc_table);
    if (err)
        bsp_panic("rpmsg init failed: %d", err);
    /* Endpoints first: they are announced when the host is ready. */
    for (unsigned i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
        err = rpr_create_ept(endpoints[i].ept, &rdev, endpoints[i].name, FW_EPT_ADDR(i),
                             RPMSG_ADDR_ANY, endpoints[i].cb, 0);
        if (err)
            bsp_panic("endpoint %s: %d", endpoints[i].name, err);
    }
    attach_when_host_ready();
    for (;;) {
        if (rpr_poll(&rdev) == RPMSG_ERR_DEV_STATE)
            attach_when_host_ready(); /* the host reset the vdev */
        else
            rpmsg_port_wait(&rdev);
    }
}

static void wdt_task(void *arg)
{
    const uint32_t period = (FW_WDT_PERIOD_MS * rtos_tick_hz() + 999u) / 1000u;
    bsp_wdt_start(FW_WDT_TIMEOUT_MS);
    for (;;) {
        rtos_sleep(period);
        if (!wdt_starved)
            bsp_wdt_refresh();
    }
}

/* "shutdown": Linux's remoteproc is about to reset the core (echo stop). Quiesce: stop
 * the watchdog (no timeout while held in reset), take no more interrupts, acknowledge
 * on the channel's M3 -> host FIFO, and stop in WFI until the reset comes. Runs in the
 * mailbox ISR, so nothing of ours runs afterwards. */
static void shutdown_rx(void *ctx, unsigned ch, uint32_t msg)
{
    bsp_log("shutdown requested: quiescing");
    bsp_wdt_stop();
    bsp_mbox_mute();
    cm3_write(SYST_CSR, 0); /* no more ticks */
    (void)bsp_mbox_send(RPVP_MBOX_CH_SHUTDOWN, 0);
    for (;;)
        __asm volatile("wfi");
}

int apps_start(void)
{
    int id = rtos_task_create("rpmsg", rpmsg_task, 0, rpmsg_stack,
                              sizeof rpmsg_stack / sizeof rpmsg_stack[0], FW_RPMSG_PRIO);
    if (id < 0)
        return id;
    id = rtos_task_create("watchdog", wdt_task, 0, wdt_stack,
                          sizeof wdt_stack / sizeof wdt_stack[0], FW_WDT_PRIO);
    if (id < 0)
        return id;
    return bsp_mbox_listen(RPVP_MBOX_CH_SHUTDOWN, shutdown_rx, 0);
}
