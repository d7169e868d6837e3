/*
 * Byte reader for fuzz targets: takes little-endian integers off the front of the
 * fuzzer's input; past the end every read gives 0 and fz_more() is false, so a target
 * decodes any input, however short, into a well-defined action sequence.
 */
#ifndef RPVP_FUZZ_INPUT_H
#define RPVP_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The libFuzzer entry point every target defines. */
#ifdef __cplusplus
extern "C"
#endif
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz_input {
    const uint8_t *p;
    size_t n;
} fz_input;

static inline int fz_more(const fz_input *in) { return in->n != 0; }

static inline uint8_t fz_u8(fz_input *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

static inline uint16_t fz_u16(fz_input *in)
{
    uint16_t lo = fz_u8(in);
    return (uint16_t)(lo | (fz_u8(in) << 8));
}

static inline uint32_t fz_u32(fz_input *in)
{
    uint32_t lo = fz_u16(in);
    return lo | ((uint32_t)fz_u16(in) << 16);
}

/* Up to `len` bytes from the input (fewer at its end); returns how many. */
static inline size_t fz_bytes(fz_input *in, void *dst, size_t len)
{
    size_t k = len < in->n ? len : in->n;
    for (size_t i = 0; i < k; i++)
        ((uint8_t *)dst)[i] = in->p[i];
    in->p += k;
    in->n -= k;
    return k;
}

/* A broken invariant is a finding: say which and abort (libFuzzer saves the input). */
#define FZ_CHECK(cond, ...)                                                                \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "fuzz invariant broken at %s:%d: %s: ", __FILE__, __LINE__,   \
                    #cond);                                                                \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

#endif
