/* A second process that maps the DDR file the way QEMU does and checks what the
 * simulator wrote, byte for byte, then writes its own answer.
 * usage: shm_peer PATH OFFSET LEN
 *   expects byte i at OFFSET+i == (i * 37 + 11) & 0xff, then writes at OFFSET+LEN+i
 *   the value (0xff - i) & 0xff for i in 0..LEN-1. Exit 0 if all matched. */
#include <stdio.h>
#include <stdlib.h>

#include "rpvp/ddr.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s PATH OFFSET LEN\n", argv[0]);
        return 2;
    }
    char err[256];
    rpvp_ddr *d = rpvp_ddr_open(argv[1], err, sizeof(err));
    if (!d) {
        fprintf(stderr, "shm_peer: %s\n", err);
        return 3;
    }
    unsigned long off = strtoul(argv[2], NULL, 0), len = strtoul(argv[3], NULL, 0);
    if (off + 2 * len > rpvp_ddr_size(d)) {
        fprintf(stderr, "shm_peer: range outside the file\n");
        return 4;
    }
    uint8_t *m = rpvp_ddr_data(d) + off;
    int bad = 0;
    for (unsigned long i = 0; i < len; i++) {
        if (m[i] != (uint8_t)(i * 37 + 11)) {
            fprintf(stderr, "shm_peer: byte %lu is %02x, expected %02x\n", i, m[i],
                    (uint8_t)(i * 37 + 11));
            bad = 1;
            break;
        }
    }
    for (unsigned long i = 0; i < len; i++)
        m[len + i] = (uint8_t)(0xff - i);
    rpvp_ddr_destroy(d);
    return bad;
}
