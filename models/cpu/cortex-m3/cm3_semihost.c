/* ARM semihosting calls served by the Cortex-M3 ISS (see cm3_semihost.h). */
#include "cm3_semihost.h"
#include "cm3_internal.h"
#include <stdlib.h>

enum {
    SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04,
    SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08,
    SYS_ISTTY = 0x09, SYS_SEEK = 0x0a, SYS_FLEN = 0x0c, SYS_TMPNAM = 0x0d,
    SYS_REMOVE = 0x0e, SYS_RENAME = 0x0f, SYS_CLOCK = 0x10, SYS_TIME = 0x11,
    SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15, SYS_HEAPINFO = 0x16,
    SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31,
};
#define ADP_Stopped_ApplicationExit 0x20026u
enum { H_STDIN = 1, H_STDOUT = 2, H_STDERR = 3, H_FEATURES = 4 };
static const uint8_t features[5] = { 'S', 'H', 'F', 'B', 0x03 };

struct cm3_semihost {
    cm3_semihost_cfg cfg;
    uint32_t feat_pos;
    uint32_t err;
    uint64_t calls;
};

cm3_semihost *cm3_semihost_create(const cm3_semihost_cfg *cfg)
{
    cm3_semihost *sh = calloc(1, sizeof *sh);
    if (sh) sh->cfg = *cfg;
    return sh;
}
void cm3_semihost_destroy(cm3_semihost *sh) { free(sh); }
uint64_t cm3_semihost_calls(const cm3_semihost *sh) { return sh->calls; }

static uint32_t rd32(cm3_cpu *c, uint32_t a)
{
    uint8_t b[4] = { 0 };
    cm3_debug_read(c, a, b, 4);
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}
static void wr32(cm3_cpu *c, uint32_t a, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    cm3_debug_write(c, a, b, 4);
}

static FILE *stream(cm3_semihost *sh, uint32_t h)
{
    return h == H_STDOUT ? sh->cfg.out : h == H_STDERR ? sh->cfg.err : h == H_STDIN ? sh->cfg.in : NULL;
}

static void do_exit(cm3_cpu *c, int code)
{
    c->exit_code = code;
    c->stop_reason = CM3_STOP_EXIT;
    c->stop_req = 1;
    c->stop_at = 0;
}

static uint32_t sh_write(cm3_cpu *c, cm3_semihost *sh, uint32_t h, uint32_t p, uint32_t len)
{
    FILE *f = stream(sh, h);
    if (!f || f == sh->cfg.in) { sh->err = 9; return len; }
    uint8_t buf[256];
    uint32_t done = 0;
    while (done < len) {
        uint32_t n = len - done > sizeof buf ? (uint32_t)sizeof buf : len - done;
        cm3_debug_read(c, p + done, buf, n);
        fwrite(buf, 1, n, f);
        done += n;
    }
    fflush(f);
    return 0;
}

static uint32_t sh_read(cm3_cpu *c, cm3_semihost *sh, uint32_t h, uint32_t p, uint32_t len)
{
    if (h == H_FEATURES) {
        uint32_t n = 0;
        while (n < len && sh->feat_pos < sizeof features) {
            uint8_t b = features[sh->feat_pos++];
            cm3_debug_write(c, p + n, &b, 1);
            n++;
        }
        return len - n;
    }
    if (h != H_STDIN || !sh->cfg.in) { sh->err = 9; return len; }
    uint32_t n = 0;
    while (n < len) {
        int ch = fgetc(sh->cfg.in);
        if (ch == EOF) break;
        uint8_t b = (uint8_t)ch;
        cm3_debug_write(c, p + n, &b, 1);
        n++;
        if (ch == '\n') break;
    }
    return len - n;
}

static uint32_t sh_open(cm3_cpu *c, cm3_semihost *sh, uint32_t blk)
{
    uint32_t name = rd32(c, blk), mode = rd32(c, blk + 4), len = rd32(c, blk + 8);
    char buf[64] = { 0 };
    if (len >= sizeof buf) { sh->err = 2; return 0xffffffffu; }
    cm3_debug_read(c, name, buf, len);
    if (!strcmp(buf, ":tt")) return mode < 4 ? H_STDIN : mode < 8 ? H_STDOUT : H_STDERR;
    if (!strcmp(buf, ":semihosting-features")) { sh->feat_pos = 0; return H_FEATURES; }
    sh->err = 2;   /* ENOENT: host files are not exposed */
    return 0xffffffffu;
}

int cm3_semihost_call(cm3_cpu *c)
{
    cm3_semihost *sh = c->semihost;
    uint32_t op = c->r[0], a = c->r[1], r = 0;
    uint64_t t = c->cyc;
    sh->calls++;
    switch (op) {
    case SYS_OPEN: r = sh_open(c, sh, a); break;
    case SYS_CLOSE: r = 0; break;
    case SYS_WRITEC: {
        uint8_t ch;
        cm3_debug_read(c, a, &ch, 1);
        fputc(ch, sh->cfg.out);
        fflush(sh->cfg.out);
        r = c->r[0];
        break;
    }
    case SYS_WRITE0: {
        uint8_t ch;
        for (uint32_t p = a; cm3_debug_read(c, p, &ch, 1) == 0 && ch; p++) fputc(ch, sh->cfg.out);
        fflush(sh->cfg.out);
        r = c->r[0];
        break;
    }
    case SYS_WRITE: r = sh_write(c, sh, rd32(c, a), rd32(c, a + 4), rd32(c, a + 8)); break;
    case SYS_READ: r = sh_read(c, sh, rd32(c, a), rd32(c, a + 4), rd32(c, a + 8)); break;
    case SYS_READC: { int ch = sh->cfg.in ? fgetc(sh->cfg.in) : EOF; r = ch == EOF ? 0xffffffffu : (uint32_t)ch; break; }
    case SYS_ISERROR: r = 0; break;
    case SYS_ISTTY: { uint32_t h = rd32(c, a); r = h >= H_STDIN && h <= H_STDERR; break; }
    case SYS_SEEK: {
        uint32_t h = rd32(c, a), pos = rd32(c, a + 4);
        if (h == H_FEATURES) { sh->feat_pos = pos; r = 0; } else { sh->err = 29; r = 0xffffffffu; }
        break;
    }
    case SYS_FLEN: r = rd32(c, a) == H_FEATURES ? sizeof features : 0xffffffffu; break;
    case SYS_TMPNAM: case SYS_REMOVE: case SYS_RENAME: case SYS_SYSTEM:
        sh->err = 38; r = 0xffffffffu; break;
    case SYS_CLOCK: r = (uint32_t)(t / (c->clock_hz / 100 ? c->clock_hz / 100 : 1)); break;
    case SYS_TIME: r = (uint32_t)(t / c->clock_hz); break;
    case SYS_ERRNO: r = sh->err; break;
    case SYS_GET_CMDLINE: {
        uint32_t buf = rd32(c, a), len = rd32(c, a + 4);
        const char *cl = sh->cfg.cmdline ? sh->cfg.cmdline : "";
        uint32_t n = (uint32_t)strlen(cl);
        if (n + 1 > len) { r = 0xffffffffu; break; }
        cm3_debug_write(c, buf, cl, n + 1);
        wr32(c, a + 4, n);
        r = 0;
        break;
    }
    case SYS_HEAPINFO: {
        uint32_t blk = rd32(c, a);
        wr32(c, blk, sh->cfg.heap_base);
        wr32(c, blk + 4, sh->cfg.heap_limit);
        wr32(c, blk + 8, sh->cfg.stack_base);
        wr32(c, blk + 12, sh->cfg.stack_limit);
        r = 0;
        break;
    }
    case SYS_EXIT:
        do_exit(c, a == ADP_Stopped_ApplicationExit ? 0 : 1);
        return 1;
    case SYS_EXIT_EXTENDED: {
        uint32_t reason = rd32(c, a), sub = rd32(c, a + 4);
        do_exit(c, reason == ADP_Stopped_ApplicationExit ? (int)sub : 1);
        return 1;
    }
    case SYS_ELAPSED: wr32(c, a, (uint32_t)t); wr32(c, a + 4, (uint32_t)(t >> 32)); r = 0; break;
    case SYS_TICKFREQ: r = (uint32_t)c->clock_hz; break;
    default:
        cm3_log_guest_error(c, "semihosting call 0x%x not supported", op);
        r = 0xffffffffu;
        break;
    }
    c->r[0] = r;
    return 1;
}
