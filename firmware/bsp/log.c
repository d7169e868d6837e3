/*
 * Log output into the trace buffer that the resource table exports (RSC_TRACE): Linux
 * remoteproc shows it as debugfs remoteproc/remoteprocN/trace0; rpvp's platform reads it
 * from the carveout. The buffer is a ring of text lines, always NUL-terminated after the
 * newest character; when full it restarts at the beginning.
 */
#include <stdarg.h>

#include "bsp.h"
#include "rtos.h"

char bsp_trace_buf[BSP_TRACE_LEN] __attribute__((aligned(4)));
static size_t trace_pos;
static void (*log_sink)(const char *line);

void bsp_log_set_sink(void (*sink)(const char *line))
{
    log_sink = sink;
}

static size_t put_uint(char *buf, size_t len, size_t pos, uint32_t v, unsigned base,
                       unsigned width, char pad)
{
    char tmp[12];
    unsigned n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n < width && n < sizeof tmp)
        tmp[n++] = pad;
    while (n && pos + 1 < len)
        buf[pos++] = tmp[--n];
    return pos;
}

size_t bsp_vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
    size_t pos = 0;
    if (len == 0)
        return 0;
    for (const char *f = fmt; *f && pos + 1 < len; f++) {
        if (*f != '%') {
            buf[pos++] = *f;
            continue;
        }
        f++;
        char pad = ' ';
        unsigned width = 0;
        if (*f == '0') {
            pad = '0';
            f++;
        }
        while (*f >= '0' && *f <= '9')
            width = width * 10u + (unsigned)(*f++ - '0');
        switch (*f) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            for (s = s ? s : "(null)"; *s && pos + 1 < len; s++)
                buf[pos++] = *s;
            break;
        }
        case 'c':
            buf[pos++] = (char)va_arg(ap, int);
            break;
        case 'd': {
            int v = va_arg(ap, int);
            if (v < 0 && pos + 1 < len)
                buf[pos++] = '-';
            pos = put_uint(buf, len, pos, v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10, width,
                           pad);
            break;
        }
        case 'u':
            pos = put_uint(buf, len, pos, va_arg(ap, unsigned), 10, width, pad);
            break;
        case 'x':
            pos = put_uint(buf, len, pos, va_arg(ap, unsigned), 16, width, pad);
            break;
        case 'p':
            pos = put_uint(buf, len, pos, (uint32_t)(uintptr_t)va_arg(ap, void *), 16, 8,
                           '0');
            break;
        case '%':
            buf[pos++] = '%';
            break;
        default: /* unknown conversion: print it as is */
            buf[pos++] = '%';
            if (*f && pos + 1 < len)
                buf[pos++] = *f;
            if (!*f)
                f--;
            break;
        }
    }
    buf[pos] = '\0';
    return pos;
}

static void trace_append(const char *line, size_t n)
{
    uint32_t pm = rtos_irq_save();
    if (trace_pos + n + 1 > BSP_TRACE_LEN)
        trace_pos = 0;
    for (size_t i = 0; i < n; i++)
        bsp_trace_buf[trace_pos++] = line[i];
    bsp_trace_buf[trace_pos] = '\0';
    rtos_irq_restore(pm);
}

static void vlog(const char *fmt, va_list ap)
{
    char line[160];
    size_t n = bsp_vformat(line, sizeof line - 1, fmt, ap);
    line[n++] = '\n';
    line[n] = '\0';
    trace_append(line, n);
    if (log_sink)
        log_sink(line);
}

void bsp_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(fmt, ap);
    va_end(ap);
}

void bsp_panic(const char *fmt, ...)
{
    va_list ap;
    rtos_irq_save();
    bsp_log("PANIC:");
    va_start(ap, fmt);
    vlog(fmt, ap);
    va_end(ap);
    for (;;)
        __asm volatile("wfi");
}
