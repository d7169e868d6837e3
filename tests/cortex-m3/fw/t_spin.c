/* Never ends: bounded by --max-insns. */
#include "sh.h"
int main(void) { for (volatile int i = 0;; i++) { } return 0; }
