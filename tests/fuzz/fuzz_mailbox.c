/*
 * Fuzz target 2: the OMAP4 mailbox core (models/mailbox), any access sequence from any
 * user. The input picks the parameters (users, FIFOs, depth) and which users' interrupt
 * sinks drain their FIFO synchronously on a rising line (the virtio device's pattern,
 * which re-enters the interrupt update: issue 16 defect 5), then a list of 7-byte
 * accesses {op, offset16, value32}. After every access the core must agree with itself:
 * each line is high exactly while the user's masked status (IRQSTATUS_CLR) is non-zero,
 * the sink saw alternating edges ending at that level, occupancies stay within depth.
 */
#include <string.h>

#include "fuzz_input.h"
#include "rpvp/omap_mailbox.h"

typedef struct harness {
    rpvp_mbox *mb;
    unsigned users, fifos, depth;
    uint32_t draining;               /* users whose sink drains on a rising line */
    int level[RPVP_MBOX_MAX_USERS];  /* as the sink saw it */
    unsigned drains;
} harness;

static void sink(void *ctx, unsigned line, int level)
{
    harness *h = ctx;
    FZ_CHECK(line < h->users, "edge on line %u of %u", line, h->users);
    FZ_CHECK(level == 0 || level == 1, "level %d", level);
    FZ_CHECK(h->level[line] != level, "line %u: two edges to %d", line, level);
    h->level[line] = level;
    if (level && (h->draining >> line & 1) && h->drains < 64) {
        h->drains++;
        unsigned m = line % h->fifos;
        for (unsigned k = 0; k <= h->depth && rpvp_mbox_read32(h->mb, RPVP_MBOX_MSGSTATUS(m));
             k++)
            (void)rpvp_mbox_read32(h->mb, RPVP_MBOX_MESSAGE(m));
    }
}

static void quiet(void *ctx, rpvp_mbox_log_level level, const char *msg)
{
    (void)ctx;
    (void)level;
    FZ_CHECK(msg && strlen(msg) < 160, "log line");
}

static uint32_t peek32(harness *h, uint32_t off)
{
    uint32_t v = 0;
    FZ_CHECK(rpvp_mbox_ops(h->mb)->debug_read(h->mb, off, &v, 4) == 4, "debug read 0x%x", off);
    return v;
}

static void check(harness *h)
{
    for (unsigned u = 0; u < h->users; u++) {
        int want = peek32(h, RPVP_MBOX_IRQSTATUS_CLR(u)) != 0;
        FZ_CHECK(rpvp_mbox_irq_level(h->mb, u) == want, "user %u line %d, masked status %d", u,
                 rpvp_mbox_irq_level(h->mb, u), want);
        FZ_CHECK(h->level[u] == want, "user %u: sink saw %d, status says %d", u, h->level[u],
                 want);
    }
    for (unsigned m = 0; m < h->fifos; m++) {
        uint32_t n = peek32(h, RPVP_MBOX_MSGSTATUS(m));
        rpvp_mbox_fifo_stats fs;
        FZ_CHECK(rpvp_mbox_get_fifo_stats(h->mb, m, &fs) == 0, "fifo stats %u", m);
        FZ_CHECK(n <= h->depth && fs.occupancy == n && fs.high_water <= h->depth,
                 "fifo %u holds %u (stats %u, high water %u), depth %u", m, n, fs.occupancy,
                 fs.high_water, h->depth);
        FZ_CHECK(!!(peek32(h, RPVP_MBOX_FIFOSTATUS(m)) & 1) == (n == h->depth), "FIFOSTATUS %u",
                 m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = {data, size};
    harness h;
    memset(&h, 0, sizeof h);
    rpvp_mbox_config cfg;
    rpvp_mbox_config_default(&cfg);
    cfg.num_users = 1 + fz_u8(&in) % 4;
    cfg.num_fifos = 1 + fz_u8(&in) % RPVP_MBOX_MAX_FIFOS;
    cfg.fifo_depth = 1 + fz_u8(&in) % 8;
    cfg.trace = fz_u8(&in) & 1;
    cfg.log = quiet;
    h.draining = fz_u8(&in);
    h.users = cfg.num_users;
    h.fifos = cfg.num_fifos;
    h.depth = cfg.fifo_depth;
    h.mb = rpvp_mbox_new(&cfg);
    FZ_CHECK(h.mb != NULL, "valid config refused");
    const rpvp_device_ops *ops = rpvp_mbox_ops(h.mb);
    rpvp_irq_sink s = {sink, &h};
    ops->set_irq_sink(h.mb, &s);

    while (fz_more(&in)) {
        uint8_t op = fz_u8(&in);
        uint32_t off = fz_u16(&in);
        uint32_t v = fz_u32(&in);
        uint8_t buf[8];
        uint64_t delay = 0;
        static const unsigned lens[] = {1, 2, 8, 3};
        /* Mostly aligned offsets inside the window; the rest anywhere (bad accesses). */
        uint32_t woff = (op & 0x80) ? off : (off & 0x1fc);
        memcpy(buf, &v, 4);
        memcpy(buf + 4, &v, 4);
        switch (op & 7) {
        case 0:
        case 1:
            ops->write(h.mb, woff, &v, 4, &delay);
            break;
        case 2:
            ops->read(h.mb, woff, buf, 4, &delay);
            break;
        case 3:
            ops->write(h.mb, off, buf, lens[v & 3], &delay);
            ops->read(h.mb, off, buf, lens[(v >> 2) & 3], &delay);
            break;
        case 4:
            ops->debug_read(h.mb, off, buf, 1 + (v & 7));
            break;
        case 5: /* a message for FIFO v (the common case, made likely) */
            rpvp_mbox_write32(h.mb, RPVP_MBOX_MESSAGE((v >> 8) % h.fifos), v);
            break;
        case 6:
            if (v & 1)
                ops->reset(h.mb);
            else
                rpvp_mbox_clear_stats(h.mb);
            break;
        default: { /* enable a user's events */
            unsigned u = (v >> 24) % h.users;
            rpvp_mbox_write32(h.mb, (v & 0x100) ? RPVP_MBOX_IRQENABLE_CLR(u)
                                                : RPVP_MBOX_IRQENABLE_SET(u), v);
            break;
        }
        }
        check(&h);
    }
    rpvp_mbox_stats st;
    rpvp_mbox_get_stats(h.mb, &st);
    FZ_CHECK(st.guest_errors >= st.bad_width + st.bad_offset + st.ro_writes, "error sums");
    rpvp_mbox_free(h.mb);
    return 0;
}
