/* Vector table for the newlib test: reset enters rdimon's crt0 (_start), which gets
 * heap and stack from SYS_HEAPINFO, clears .bss, runs constructors and main, and exits
 * via semihosting. .data is loaded in place (link_newlib.ld). */
extern char __stack_top[];
void _start(void);
__attribute__((section(".vectors"), used)) const void *const vectors[16] = { __stack_top, _start };
