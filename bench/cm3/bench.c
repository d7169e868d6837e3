/* CPU-bound Cortex-M3 benchmark: CRC-32 (bitwise), insertion/shell sort and integer
 * matrix multiply, repeated ROUNDS times. Prints a checksum so both simulators can be
 * checked for the same result. Runs on rpvp-cm3 and QEMU mps2-an385 unchanged. */
#include "sh.h"

#ifndef ROUNDS
#define ROUNDS 200
#endif

static uint8_t buf[4096];
static int32_t arr[1024];
static int32_t ma[16][16], mb[16][16], mc[16][16];

static uint32_t crc32(const uint8_t *p, unsigned n, uint32_t crc)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static void shell_sort(int32_t *a, int n)
{
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++) {
            int32_t t = a[i];
            int j = i;
            for (; j >= gap && a[j - gap] > t; j -= gap) a[j] = a[j - gap];
            a[j] = t;
        }
}

static void matmul(void)
{
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            int32_t s = 0;
            for (int k = 0; k < 16; k++) s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
}

int main(void)
{
    uint32_t seed = 12345, crc = 0, sum = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (unsigned i = 0; i < sizeof buf; i++) { seed = seed * 1103515245u + 12345u; buf[i] = (uint8_t)(seed >> 16); }
        crc = crc32(buf, sizeof buf, crc);
        for (int i = 0; i < 1024; i++) { seed = seed * 1103515245u + 12345u; arr[i] = (int32_t)(seed >> 8) - (1 << 22); }
        shell_sort(arr, 1024);
        for (int i = 1; i < 1024; i++) if (arr[i - 1] > arr[i]) return 1;
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++) { ma[i][j] = (int32_t)(seed ^ (uint32_t)(i * 31 + j)) % 1000; mb[i][j] = (i - j) * 7 + r; }
        matmul();
        for (int i = 0; i < 16; i++) sum += (uint32_t)mc[i][i] + (uint32_t)arr[i * 64];
    }
    sh_printf("bench: rounds %d crc %08x sum %08x\n", ROUNDS, crc, sum);
    return 0;
}
