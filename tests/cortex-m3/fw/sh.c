/* Semihosting helpers: SYS_WRITE0 console, SYS_EXIT_EXTENDED exit, tiny printf. */
#include "sh.h"
#include <stdarg.h>

int sh_call(int op, const void *arg)
{
    register int r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void sh_puts(const char *s) { sh_call(0x04, s); }

void sh_exit(int code)
{
    uint32_t blk[2] = { 0x20026, (uint32_t)code };
    sh_call(0x20, blk);
    for (;;) { }
}

static char *put_num(char *p, uint32_t v, unsigned base, int width, char pad, int neg)
{
    char tmp[12];
    int n = 0;
    do { tmp[n++] = "0123456789abcdef"[v % base]; v /= base; } while (v);
    if (neg) tmp[n++] = '-';
    while (n < width) tmp[n++] = pad;
    while (n) *p++ = tmp[--n];
    return p;
}

void sh_printf(const char *fmt, ...)
{
    char buf[256], *p = buf, *end = buf + sizeof buf - 16;
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt && p < end; fmt++) {
        if (*fmt != '%') { *p++ = *fmt; continue; }
        fmt++;
        char pad = ' ';
        int width = 0;
        if (*fmt == '0') { pad = '0'; fmt++; }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
        case 'd': { int v = va_arg(ap, int); p = put_num(p, v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10, width, pad, v < 0); break; }
        case 'u': p = put_num(p, va_arg(ap, uint32_t), 10, width, pad, 0); break;
        case 'x': p = put_num(p, va_arg(ap, uint32_t), 16, width, pad, 0); break;
        case 'c': *p++ = (char)va_arg(ap, int); break;
        case 's': { const char *s = va_arg(ap, const char *); while (*s && p < end) *p++ = *s++; break; }
        default: *p++ = *fmt; break;
        }
    }
    *p = 0;
    va_end(ap);
    sh_puts(buf);
}
