/* Compiler-generated code (all registers incl. LR/IP as scratch): 64-bit arithmetic and
 * libgcc helpers, division, bit manipulation, switch tables (TBB/TBH), CRC, sorting. */
#include "sh.h"

static uint32_t crc32(const uint8_t *p, unsigned n)
{
    uint32_t crc = ~0u;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

__attribute__((noinline)) static int classify(int x)
{
    switch (x) {   /* dense switch -> TBB/TBH */
    case 0: return 11; case 1: return 22; case 2: return 33; case 3: return 44;
    case 4: return 55; case 5: return 66; case 6: return 77; case 7: return 88;
    case 8: return 99; case 9: return 111; case 10: return 122; case 300: return 7;
    default: return -1;
    }
}

__attribute__((noinline)) static int64_t mix64(int64_t a, int64_t b, uint32_t s)
{
    return (a * b) / (b | 1) + (a >> (s & 63)) - (int64_t)((uint64_t)b << (s & 31)) % 977;
}

int main(void)
{
    volatile uint32_t seed = 0x1234567u;
    uint8_t buf[512];
    for (unsigned i = 0; i < sizeof buf; i++) { seed = seed * 1664525u + 1013904223u; buf[i] = (uint8_t)(seed >> 24); }
    sh_printf("crc %08x\n", crc32(buf, sizeof buf));
    int64_t acc = 0;
    for (int i = -20; i < 20; i++) {
        int64_t a = (int64_t)seed * i, b = (int64_t)(i * 7919 + 3) << 20;
        acc ^= mix64(a, b, (uint32_t)i * 13u);
        seed = seed * 1664525u + 1013904223u;
    }
    sh_printf("mix64 %08x%08x\n", (uint32_t)((uint64_t)acc >> 32), (uint32_t)acc);
    int t = 0;
    for (int i = -3; i < 310; i++) t = t * 3 + classify(i);
    sh_printf("switch %d\n", t);
    uint32_t q = 0;
    for (uint32_t i = 1; i < 2000; i += 7) q += 0xffffffffu / i + (uint32_t)(-123456789 / (int)i) + (0x80000000u % i);
    sh_printf("div %08x\n", q);
    uint32_t bits = 0;
    for (uint32_t v = 1; v; v <<= 1) bits += (uint32_t)__builtin_clz(v) + (uint32_t)__builtin_popcount(v * 0x9e3779b9u) + __builtin_bswap32(v);
    sh_printf("bits %08x\n", bits);
    uint64_t u = 1;
    for (int i = 0; i < 50; i++) u = u * 6364136223846793005ull + 1442695040888963407ull;
    sh_printf("lcg64 %08x%08x %u\n", (uint32_t)(u >> 32), (uint32_t)u, (uint32_t)(u % 1000003u));
    return 0;
}
