/* CHECK(cond, fmt, ...): print where and why, exit 1 (each test case is its own process). */
#ifndef RPVP_TESTS_QEMU_CHECK_H
#define RPVP_TESTS_QEMU_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#define CHECK(cond, ...)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                  \
            fprintf(stderr, __VA_ARGS__);                                                    \
            fprintf(stderr, "\n");                                                           \
            exit(1);                                                                         \
        }                                                                                    \
    } while (0)
#endif
