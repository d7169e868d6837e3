/* Lock-up: a fault inside the HardFault handler. rpvp-cm3 must report it and stop. */
#include "sh.h"
void HardFault_Handler(void) { __asm volatile("udf #1"); }
int main(void) { __asm volatile("udf #0"); return 0; }
