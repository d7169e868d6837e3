/* Sleeps with no interrupt source: rpvp-cm3 stops instead of hanging. */
#include "sh.h"
int main(void) { for (;;) __asm volatile("wfi"); return 0; }
