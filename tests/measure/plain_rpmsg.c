/*
 * A plain rpmsg_char program with no rpvp code in it (no stamps, no rpvp headers): what a
 * user would write. It writes 200 messages of 100 bytes to /dev/rpmsg0 (the firmware's
 * echo channel) and reads each echo back, 4 in flight, then exits 0 if all came back
 * intact. The platform must measure it from the outside (tests/measure: user_program).
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char out[100], in[512];
    int fd = open("/dev/rpmsg0", O_RDWR);
    if (fd < 0) {
        perror("open /dev/rpmsg0");
        return 1;
    }
    int sent = 0, got = 0, bad = 0;
    while (got < 200) {
        while (sent < 200 && sent - got < 4) {
            memset(out, 'a' + sent % 26, sizeof out);
            if (write(fd, out, sizeof out) != (ssize_t)sizeof out) {
                perror("write");
                return 1;
            }
            sent++;
        }
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) != 1 || read(fd, in, sizeof in) != (ssize_t)sizeof out) {
            fprintf(stderr, "no echo for message %d\n", got);
            return 1;
        }
        if (in[0] != 'a' + got % 26)
            bad++;
        got++;
    }
    printf("PLAIN-RPMSG sent=%d received=%d bad=%d\n", sent, got, bad);
    close(fd);
    return bad != 0;
}
