/* Driver of the generated random sequences (gen_random.py): prints each case's final
 * r0-r12, APSR (NZCVQ) and a checksum of the scratch buffer. */
#include "sh.h"
extern void rand_main(void);
extern uint32_t scratch[128];
static unsigned ncase;

void dump_case(const uint32_t *f)
{
    /* f[0] = APSR, f[1..13] = r0..r12, f[14] = lr */
    uint32_t sum = 0;
    for (int i = 0; i < 128; i++) sum = (sum << 5 | sum >> 27) ^ scratch[i];
    sh_printf("%u: %08x %08x %08x %08x %08x %08x %08x %08x %08x %08x %08x %08x lr %08x m%08x f%x\n",
              ncase++, f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11],
              f[12], f[14], sum, f[0] >> 27);
}

int main(void)
{
    rand_main();
    sh_printf("cases %u\n", ncase);
    return 0;
}
