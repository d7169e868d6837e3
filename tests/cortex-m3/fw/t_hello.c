/* Smoke test: console, arithmetic, exit code. */
#include "sh.h"
volatile int data_val = 1234;
int bss_val;
int main(void)
{
    sh_printf("hello %d %x %s %c\n", data_val, 0xbeefu, "cm3", '!');
    int acc = 0;
    for (int i = 0; i < 100; i++) acc += i * i;
    sh_printf("sum=%d bss=%d\n", acc, bss_val);
    return 3;
}
