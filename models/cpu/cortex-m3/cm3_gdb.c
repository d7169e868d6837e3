/* GDB remote stub for the Cortex-M3 ISS: see cm3_gdb.h. */
#define _POSIX_C_SOURCE 200809L
#include "cm3_gdb.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* 'c' runs in slices and looks for gdb's interrupt (Ctrl-C, a raw 0x03 byte) once this
 * many cycles have run since the last look: about 1 ms of host time. */
#define GDB_POLL_CYCLES 1000000u

static const char target_xml[] =
    "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
    "<target><architecture>arm</architecture>"
    "<feature name=\"org.gnu.gdb.arm.m-profile\">"
    "<reg name=\"r0\" bitsize=\"32\"/><reg name=\"r1\" bitsize=\"32\"/>"
    "<reg name=\"r2\" bitsize=\"32\"/><reg name=\"r3\" bitsize=\"32\"/>"
    "<reg name=\"r4\" bitsize=\"32\"/><reg name=\"r5\" bitsize=\"32\"/>"
    "<reg name=\"r6\" bitsize=\"32\"/><reg name=\"r7\" bitsize=\"32\"/>"
    "<reg name=\"r8\" bitsize=\"32\"/><reg name=\"r9\" bitsize=\"32\"/>"
    "<reg name=\"r10\" bitsize=\"32\"/><reg name=\"r11\" bitsize=\"32\"/>"
    "<reg name=\"r12\" bitsize=\"32\"/><reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/>"
    "<reg name=\"lr\" bitsize=\"32\"/><reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/>"
    "<reg name=\"xpsr\" bitsize=\"32\" regnum=\"25\"/>"
    "</feature></target>";

typedef struct gdb {
    int fd;
    cm3_cpu *c;
    uint64_t slice;              /* cycles per run slice */
    cm3_gdb_slice_fn between;    /* called after each slice, may be NULL */
    void *ctx;
    int no_ack;                  /* QStartNoAckMode agreed: no '+' either way */
    int ack_pending;             /* the last packet's '+' not sent yet */
} gdb;

static int get_byte(gdb *g)
{
    unsigned char ch;
    return read(g->fd, &ch, 1) == 1 ? ch : -1;
}

/* The '+' of the last packet gdb sent, if not sent with a reply yet (before a long 'c'). */
static void flush_ack(gdb *g)
{
    if (g->ack_pending && write(g->fd, "+", 1) < 0) { /* connection lost: the reader sees it */ }
    g->ack_pending = 0;
}

/* One write holds the ack of gdb's packet and our reply: with TCP_NODELAY a round trip is
 * then one segment each way (two small writes met Nagle and gdb's delayed ACK: ~40 ms). */
static void put_packet(gdb *g, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *buf = malloc(n + 6);
    unsigned sum = 0;
    if (!buf) return;
    for (size_t i = 0; i < n; i++) sum += (unsigned char)s[i];
    if (g->ack_pending) buf[k++] = '+';
    g->ack_pending = 0;
    buf[k++] = '$';
    memcpy(buf + k, s, n);
    snprintf(buf + k + n, 4, "#%02x", sum & 0xff);
    if (write(g->fd, buf, k + n + 3) < 0) { /* connection lost: the reader sees it */ }
    free(buf);
    if (!g->no_ack) (void)get_byte(g);   /* '+' */
}

/* Read one packet into buf (NUL-terminated); returns length or -1. 0x03 -> "\x03". */
static int get_packet(gdb *g, char *buf, size_t cap)
{
    int ch;
    for (;;) {
        do { ch = get_byte(g); if (ch < 0) return -1; if (ch == 3) { strcpy(buf, "\x03"); return 1; } } while (ch != '$');
        size_t n = 0;
        while ((ch = get_byte(g)) >= 0 && ch != '#')
            if (n + 1 < cap) buf[n++] = (char)ch;
        if (ch < 0) return -1;
        buf[n] = 0;
        get_byte(g); get_byte(g);   /* checksum: trusted on TCP */
        g->ack_pending = !g->no_ack; /* sent with the reply (put_packet) */
        return (int)n;
    }
}

static void hex32le(char *out, uint32_t v)
{
    for (int i = 0; i < 4; i++) sprintf(out + 2 * i, "%02x", (v >> (8 * i)) & 0xff);
}
static uint32_t parse_hex32le(const char *s)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned b;
        if (sscanf(s + 2 * i, "%2x", &b) != 1) break;
        v |= b << (8 * i);
    }
    return v;
}

static void stop_reply(gdb *g, cm3_stop why)
{
    char r[32];
    if (why == CM3_STOP_EXIT) snprintf(r, sizeof r, "W%02x", cm3_exit_code(g->c) & 0xff);
    else if (why == CM3_STOP_REQUEST) snprintf(r, sizeof r, "S02");   /* SIGINT */
    else snprintf(r, sizeof r, "S05");                                /* SIGTRAP */
    put_packet(g, r);
}

/* gdb sent its interrupt byte while the target ran: consume it. */
static int interrupted(gdb *g)
{
    unsigned char ch;
    if (recv(g->fd, &ch, 1, MSG_DONTWAIT | MSG_PEEK) != 1 || ch != 3) return 0;
    return recv(g->fd, &ch, 1, 0) == 1;
}

/* Run until something stops the core; with `interruptible`, also until gdb interrupts
 * (CM3_STOP_REQUEST). */
static cm3_stop run_until_stop(gdb *g, int interruptible)
{
    uint64_t since_poll = 0;
    for (;;) {
        cm3_stop r = cm3_run(g->c, g->slice);
        if (g->between) g->between(g->ctx);
        if (r != CM3_STOP_BUDGET) return r;
        since_poll += g->slice;
        if (interruptible && since_poll >= GDB_POLL_CYCLES) {
            since_poll = 0;
            if (interrupted(g)) return CM3_STOP_REQUEST;
        }
    }
}

static cm3_stop serve(gdb *g)
{
    cm3_cpu *c = g->c;
    static char pkt[8192], out[8192];
    cm3_stop last = CM3_STOP_BKPT;
    cm3_set_debugger(c, 1);
    for (;;) {
        if (get_packet(g, pkt, sizeof pkt) < 0) break;
        out[0] = 0;
        switch (pkt[0]) {
        case '?': strcpy(out, "S05"); break;
        case 'g':
            for (int i = 0; i < 16; i++) hex32le(out + 8 * i, cm3_get_reg(c, (unsigned)i));
            out[128] = 0;
            break;
        case 'p': {
            unsigned n = (unsigned)strtoul(pkt + 1, NULL, 16);
            if (n < 16 || n == 25) { hex32le(out, cm3_get_reg(c, n)); out[8] = 0; }
            else strcpy(out, "E01");
            break;
        }
        case 'P': {
            char *eq = strchr(pkt, '=');
            unsigned n = (unsigned)strtoul(pkt + 1, NULL, 16);
            if (eq && (n < 16 || n == 25)) { cm3_set_reg(c, n, parse_hex32le(eq + 1)); strcpy(out, "OK"); }
            else strcpy(out, "E01");
            break;
        }
        case 'G':
            for (int i = 0; i < 16 && strlen(pkt + 1) >= (size_t)(8 * (i + 1)); i++)
                cm3_set_reg(c, (unsigned)i, parse_hex32le(pkt + 1 + 8 * i));
            strcpy(out, "OK");
            break;
        case 'm': {
            unsigned long a, n;
            if (sscanf(pkt + 1, "%lx,%lx", &a, &n) != 2 || n > 2048) { strcpy(out, "E01"); break; }
            uint8_t buf[2048];
            if (cm3_debug_read(c, (uint32_t)a, buf, n)) { strcpy(out, "E14"); break; }
            for (unsigned long i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", buf[i]);
            break;
        }
        case 'M': {
            unsigned long a, n;
            char *colon = strchr(pkt, ':');
            if (!colon || sscanf(pkt + 1, "%lx,%lx", &a, &n) != 2 || n > 2048) { strcpy(out, "E01"); break; }
            uint8_t buf[2048];
            for (unsigned long i = 0; i < n; i++) { unsigned b = 0; sscanf(colon + 1 + 2 * i, "%2x", &b); buf[i] = (uint8_t)b; }
            strcpy(out, cm3_debug_write(c, (uint32_t)a, buf, n) ? "E14" : "OK");
            break;
        }
        case 'Z': case 'z': {
            unsigned long type, a;
            if (sscanf(pkt + 1, "%lu,%lx", &type, &a) != 2 || type > 1) { out[0] = 0; break; }
            strcpy(out, cm3_set_breakpoint(c, (uint32_t)a, pkt[0] == 'Z') ? "E01" : "OK");
            break;
        }
        case 'c': case 's':
            flush_ack(g);
            /* Said once the target runs: a script can wait for it before its Ctrl-C. */
            if (pkt[0] == 'c')
                fprintf(stderr, "rpvp-cm3: gdb: continue: target running\n");
            last = pkt[0] == 'c' ? run_until_stop(g, 1) : cm3_step(c);
            if (last == CM3_STOP_INSN_LIMIT || last == CM3_STOP_WATCH) last = CM3_STOP_BKPT;
            stop_reply(g, last);
            if (last == CM3_STOP_EXIT || last == CM3_STOP_LOCKUP) goto done;
            continue;
        case 'k':
            flush_ack(g);
            goto done;
        case 'D':
            put_packet(g, "OK");
            cm3_set_debugger(c, 0);
            for (unsigned i = 0; i < 16; i++) cm3_set_breakpoint(c, 0, 0);
            return run_until_stop(g, 0);
        case 'H': strcpy(out, "OK"); break;
        case 'Q':
            if (!strcmp(pkt, "QStartNoAckMode")) {
                put_packet(g, "OK"); /* still acknowledged; none after it */
                g->no_ack = 1;
                continue;
            }
            break;
        case 'q':
            if (!strncmp(pkt, "qSupported", 10)) strcpy(out, "PacketSize=2000;qXfer:features:read+;QStartNoAckMode+");
            else if (!strncmp(pkt, "qAttached", 9)) strcpy(out, "1");
            else if (!strncmp(pkt, "qXfer:features:read:target.xml:", 31)) {
                unsigned long off = 0, len = 0;
                sscanf(pkt + 31, "%lx,%lx", &off, &len);
                size_t total = sizeof target_xml - 1;
                if (off >= total) strcpy(out, "l");
                else {
                    size_t n = total - off < len ? total - off : len;
                    if (n > sizeof out - 2) n = sizeof out - 2;
                    out[0] = off + n >= total ? 'l' : 'm';
                    memcpy(out + 1, target_xml + off, n);
                    out[n + 1] = 0;
                }
            } else if (!strcmp(pkt, "qC")) strcpy(out, "QC1");
            else if (!strncmp(pkt, "qfThreadInfo", 12)) strcpy(out, "m1");
            else if (!strncmp(pkt, "qsThreadInfo", 12)) strcpy(out, "l");
            break;
        case 'T': strcpy(out, "OK"); break;
        case 'v':
            if (!strncmp(pkt, "vMustReplyEmpty", 15)) out[0] = 0;
            break;
        default: break;
        }
        put_packet(g, out);
    }
done:
    cm3_set_debugger(c, 0);
    return last;
}

cm3_stop cm3_gdb_serve_sliced(cm3_cpu *c, int port, uint64_t slice_cycles,
                              cm3_gdb_slice_fn between_slices, void *ctx)
{
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (ls < 0) return CM3_STOP_REQUEST;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) || listen(ls, 1) ||
        getsockname(ls, (struct sockaddr *)&sa, &salen)) {
        perror("rpvp-cm3: gdb port");
        close(ls);
        return CM3_STOP_REQUEST;
    }
    fprintf(stderr, "rpvp-cm3: waiting for gdb on 127.0.0.1:%d\n", ntohs(sa.sin_port));
    int fd = accept(ls, NULL, NULL);
    close(ls);
    if (fd < 0) return CM3_STOP_REQUEST;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* replies go out at once */
    gdb g = { fd, c, slice_cycles ? slice_cycles : GDB_POLL_CYCLES, between_slices, ctx, 0, 0 };
    cm3_stop r = serve(&g);
    close(fd);
    return r;
}

cm3_stop cm3_gdb_serve(cm3_cpu *c, int port)
{
    return cm3_gdb_serve_sliced(c, port, GDB_POLL_CYCLES, NULL, NULL);
}
