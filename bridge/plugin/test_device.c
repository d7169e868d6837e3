/* rpvp bridge test device (see test_device.h). */
#include "test_device.h"

#include <stdio.h>
#include <string.h>

static void td_guest_error(rpvp_test_device *d, const char *what, uint64_t off)
{
    d->guest_errors++;
    fprintf(stderr, "rpvp-test-device: %s at offset 0x%llx\n", what, (unsigned long long)off);
}

static void td_update(rpvp_test_device *d)
{
    rpvp_irq_sink_set(&d->sink, 0, (d->irq_ctrl & TD_IRQ_CTRL_LEVEL) != 0);
}

static void td_reset(void *opaque)
{
    rpvp_test_device *d = opaque;
    d->scratch = d->accesses = d->irq_ctrl = d->time_hi_latch = 0;
    td_update(d);
}

static rpvp_status td_read(void *opaque, uint64_t off, void *data, unsigned len,
                           uint64_t *delay_ps)
{
    rpvp_test_device *d = opaque;
    uint32_t v = 0;

    if (len != 4) {
        td_guest_error(d, "non-32-bit read", off);
        return RPVP_GENERIC_ERROR;
    }
    d->accesses++;
    switch (off) {
    case A_TD_MAGIC: v = TD_MAGIC_VALUE; break;
    case A_TD_VERSION: v = TD_VERSION_VALUE; break;
    case A_TD_DEVICE_ID: v = 0; break;
    case A_TD_VENDOR_ID: v = TD_VENDOR_VALUE; break;
    case A_TD_SCRATCH: v = d->scratch; break;
    case A_TD_ACCESSES: v = d->accesses; break;
    case A_TD_IRQ_CTRL: v = d->irq_ctrl; break;
    case A_TD_TIME_LO: {
        uint64_t t = rpvp_clock_now(d->clock);
        d->time_hi_latch = (uint32_t)(t >> 32);
        v = (uint32_t)t;
        break;
    }
    case A_TD_TIME_HI: v = d->time_hi_latch; break;
    case A_TD_FAIL: td_guest_error(d, "read of write-only FAIL", off); break;
    default: td_guest_error(d, "read of unknown register", off); break;
    }
    memcpy(data, &v, 4);
    return RPVP_OK;
}

static rpvp_status td_write(void *opaque, uint64_t off, const void *data, unsigned len,
                            uint64_t *delay_ps)
{
    rpvp_test_device *d = opaque;
    uint32_t v;

    if (len != 4) {
        td_guest_error(d, "non-32-bit write", off);
        return RPVP_GENERIC_ERROR;
    }
    memcpy(&v, data, 4);
    d->accesses++;
    switch (off) {
    case A_TD_SCRATCH: d->scratch = v; break;
    case A_TD_IRQ_CTRL:
        d->irq_ctrl = v & TD_IRQ_CTRL_LEVEL;
        td_update(d);
        break;
    case A_TD_FAIL:
        if (d->fail_hook)
            d->fail_hook(d->fail_ctx, v);
        break;
    case A_TD_MAGIC:
    case A_TD_VERSION:
    case A_TD_DEVICE_ID:
    case A_TD_VENDOR_ID:
    case A_TD_ACCESSES:
    case A_TD_TIME_LO:
    case A_TD_TIME_HI: td_guest_error(d, "write to read-only register", off); break;
    default: td_guest_error(d, "write to unknown register", off); break;
    }
    return RPVP_OK;
}

static unsigned td_debug_read(void *opaque, uint64_t off, void *data, unsigned len)
{
    const rpvp_test_device *d = opaque;
    uint32_t v;

    if (len != 4)
        return 0;
    switch (off) {
    case A_TD_SCRATCH: v = d->scratch; break;
    case A_TD_ACCESSES: v = d->accesses; break;
    case A_TD_IRQ_CTRL: v = d->irq_ctrl; break;
    default: return 0;
    }
    memcpy(data, &v, 4);
    return 4;
}

static void td_set_sink(void *opaque, const rpvp_irq_sink *sink)
{
    ((rpvp_test_device *)opaque)->sink = *sink;
}

void rpvp_test_device_init(rpvp_test_device *d, const rpvp_clock *clock)
{
    memset(d, 0, sizeof(*d));
    d->clock = clock;
}

const rpvp_device_ops rpvp_test_device_ops = {
    .name = "rpvp-test-device",
    .read = td_read,
    .write = td_write,
    .debug_read = td_debug_read,
    .reset = td_reset,
    .set_irq_sink = td_set_sink,
    .irq_in = NULL,
    .num_irq_out = 1,
    .num_irq_in = 0,
};
