/* newlib (rdimon.specs): printf, malloc, string functions, exit status through
 * SYS_EXIT_EXTENDED (newlib checks :semihosting-features first). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int counter = 41;

int main(void)
{
    char *p = malloc(100);
    if (!p) return 9;
    snprintf(p, 100, "%s-%d-%05.2f", "newlib", counter + 1, 3.14159);
    printf("sprintf: %s len %u\n", p, (unsigned)strlen(p));
    int *v = calloc(1000, sizeof *v);
    for (int i = 0; i < 1000; i++) v[i] = 1000 - i;
    long sum = 0;
    for (int i = 0; i < 1000; i++) sum += v[i];
    printf("sum %ld atoi %d strtol %ld\n", sum, atoi("-1234"), strtol("0x7fff", 0, 16));
    free(v);
    free(p);
    printf("done\n");
    return 5;
}
