/* ARM semihosting (QEMU -semihosting-config enable=on): console output and exit status. */
#ifndef SEMIHOST_H
#define SEMIHOST_H
void semihost_write(const char *s);
void semihost_exit(int status) __attribute__((noreturn));
#endif
