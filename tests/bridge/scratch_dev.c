#include "scratch_dev.h"

#include <string.h>

static rpvp_status scratch_read(void *opaque, uint64_t off, void *data, unsigned len,
                                uint64_t *delay_ps)
{
    scratch_dev *s = opaque;
    uint32_t v;
    if (len != 4)
        return RPVP_GENERIC_ERROR;
    switch (off) {
    case A_SCRATCH_ID: v = SCRATCH_ID_VALUE; break;
    case A_SCRATCH_DATA: v = s->data; break;
    case A_SCRATCH_IRQ: v = s->irq; break;
    case A_SCRATCH_EDGES: v = s->edges; break;
    case A_SCRATCH_EXTRA: v = s->extra_ps; break;
    default: return RPVP_ADDRESS_ERROR;
    }
    *delay_ps += s->extra_ps;
    memcpy(data, &v, 4);
    return RPVP_OK;
}

static rpvp_status scratch_write(void *opaque, uint64_t off, const void *data, unsigned len,
                                 uint64_t *delay_ps)
{
    scratch_dev *s = opaque;
    uint32_t v;
    if (len != 4)
        return RPVP_GENERIC_ERROR;
    memcpy(&v, data, 4);
    switch (off) {
    case A_SCRATCH_DATA: s->data = v; break;
    case A_SCRATCH_IRQ:
        s->irq = v & 1;
        rpvp_irq_sink_set(&s->sink, 0, (int)s->irq);
        break;
    case A_SCRATCH_EXTRA: s->extra_ps = v; break;
    case A_SCRATCH_ID:
    case A_SCRATCH_EDGES: return RPVP_GENERIC_ERROR; /* read-only */
    default: return RPVP_ADDRESS_ERROR;
    }
    *delay_ps += s->extra_ps;
    return RPVP_OK;
}

static unsigned scratch_debug_read(void *opaque, uint64_t off, void *data, unsigned len)
{
    uint64_t d = 0;
    return scratch_read(opaque, off, data, len, &d) == RPVP_OK ? len : 0;
}

static void scratch_reset(void *opaque)
{
    scratch_dev *s = opaque;
    s->data = s->irq = s->edges = s->extra_ps = 0;
    rpvp_irq_sink_set(&s->sink, 0, 0);
}

static void scratch_set_sink(void *opaque, const rpvp_irq_sink *sink)
{
    ((scratch_dev *)opaque)->sink = *sink;
}

static void scratch_irq_in(void *opaque, unsigned line, int level)
{
    scratch_dev *s = opaque;
    if (line == 0 && level != s->last_in_level) {
        s->edges++;
        s->last_in_level = level;
    }
}

const rpvp_device_ops scratch_dev_ops = {
    .name = "scratch",
    .read = scratch_read,
    .write = scratch_write,
    .debug_read = scratch_debug_read,
    .reset = scratch_reset,
    .set_irq_sink = scratch_set_sink,
    .irq_in = scratch_irq_in,
    .num_irq_out = 1,
    .num_irq_in = 1,
};
