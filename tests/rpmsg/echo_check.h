/*
 * Message content used by the rpmsg tests: a 4-byte sequence number followed by bytes
 * that depend on (seq, position), so a reordered, duplicated, truncated or corrupted
 * message is caught by checking it alone. Sizes come from a fixed xorshift generator.
 */
#ifndef RPMSG_ECHO_CHECK_H
#define RPMSG_ECHO_CHECK_H

#include <stdint.h>
#include <string.h>

static inline uint8_t echo_byte(uint32_t seq, unsigned i)
{
    uint32_t x = seq * 2654435761u + i * 40503u;
    return (uint8_t)(x ^ (x >> 13) ^ (x >> 24));
}

/* Size of message `seq` in [1, 496]: sizes below 4 carry only part of seq. */
static inline int echo_size(uint32_t seq)
{
    uint32_t x = seq + 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return 1 + (int)(x % 496u);
}

static inline void echo_fill(uint8_t *buf, uint32_t seq, int len)
{
    uint8_t s[4] = {(uint8_t)seq, (uint8_t)(seq >> 8), (uint8_t)(seq >> 16), (uint8_t)(seq >> 24)};
    for (int i = 0; i < len; i++)
        buf[i] = i < 4 ? s[i] : echo_byte(seq, (unsigned)i);
}

/* 1 if `buf`/`len` is exactly message `seq`. */
static inline int echo_check(const uint8_t *buf, int len, uint32_t seq)
{
    uint8_t want[512];
    if (len != echo_size(seq))
        return 0;
    echo_fill(want, seq, len);
    return memcmp(buf, want, (size_t)len) == 0;
}

#endif
