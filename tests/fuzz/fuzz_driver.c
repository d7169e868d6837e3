/*
 * Stand-alone driver for the fuzz targets when they are not built with libFuzzer (gcc
 * builds, valgrind): the CTest smoke runs use it. It takes libFuzzer's command line in
 * the part the smoke runs need: -runs=N -seed=S -max_len=N -dict=FILE and corpus folders
 * or files (other -flags are ignored). It runs every input once, then N inputs made by
 * mutating them (dictionary tokens among the mutations) with a deterministic generator
 * seeded by S: same arguments, same executions.
 * Campaigns use libFuzzer itself (tools/fuzz.sh).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

typedef struct blob {
    uint8_t *p;
    size_t n;
} blob;

static blob *inputs;
static size_t num_inputs, cap_inputs;

static void add_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz driver: cannot open %s\n", path);
        exit(2);
    }
    blob b = {NULL, 0};
    size_t cap = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (b.n == cap) {
            cap = cap ? 2 * cap : 256;
            b.p = realloc(b.p, cap);
            if (!b.p)
                exit(2);
        }
        b.p[b.n++] = (uint8_t)c;
    }
    fclose(f);
    if (num_inputs == cap_inputs) {
        cap_inputs = cap_inputs ? 2 * cap_inputs : 64;
        inputs = realloc(inputs, cap_inputs * sizeof *inputs);
        if (!inputs)
            exit(2);
    }
    inputs[num_inputs++] = b;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder's files in name order (readdir order differs between file systems). */
static void add_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names || !names[n])
            exit(2);
        sprintf(names[n++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n) /* qsort(NULL, 0) is undefined */
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            add_file(names[i]);
        free(names[i]);
    }
    free(names);
}

/* libFuzzer's dictionary format: one token a line, name="text" with \\, \" and \xNN
 * escapes; '#' starts a comment. */
static blob dict[512];
static size_t num_dict;

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void load_dict(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    if (!f) {
        fprintf(stderr, "fuzz driver: cannot open dictionary %s\n", path);
        exit(2);
    }
    while (fgets(line, sizeof line, f) && num_dict < sizeof dict / sizeof *dict) {
        char *q = strchr(line, '"');
        if (line[0] == '#' || !q)
            continue;
        uint8_t tok[256];
        size_t n = 0;
        for (q++; *q && *q != '"' && n < sizeof tok; q++) {
            if (*q != '\\') {
                tok[n++] = (uint8_t)*q;
            } else if (q[1] == 'x' && hexval(q[2]) >= 0 && hexval(q[3]) >= 0) {
                tok[n++] = (uint8_t)(hexval(q[2]) << 4 | hexval(q[3]));
                q += 3;
            } else if (q[1]) {
                tok[n++] = (uint8_t)*++q;
            }
        }
        if (*q != '"' || !n) {
            fprintf(stderr, "fuzz driver: %s: bad dictionary line: %s", path, line);
            exit(2);
        }
        blob *b = &dict[num_dict++];
        b->p = malloc(n);
        if (!b->p)
            exit(2);
        memcpy(b->p, tok, n);
        b->n = n;
    }
    fclose(f);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64*: small, deterministic, good enough to pick mutations */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t mutate(uint8_t *buf, size_t n, size_t max)
{
    static const uint32_t interesting[] = {0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000,
                                           0xffff, 0x10000, 0x7fffffff, 0x80000000u,
                                           0xffffffffu, 4096, 16, 256};
    unsigned k = 1 + (unsigned)(rnd() % 4);
    for (unsigned m = 0; m < k; m++) {
        switch (rnd() % (num_dict ? 8 : 7)) {
        case 0: /* flip a bit */
            if (n)
                buf[rnd() % n] ^= (uint8_t)(1u << (rnd() % 8));
            break;
        case 1: /* random byte */
            if (n)
                buf[rnd() % n] = (uint8_t)rnd();
            break;
        case 2: { /* interesting 32-bit value */
            uint32_t v = interesting[rnd() % (sizeof interesting / sizeof *interesting)];
            if (n >= 4) {
                size_t at = rnd() % (n - 3);
                memcpy(buf + at, &v, 4);
            }
            break;
        }
        case 3: /* insert bytes */
            if (n < max) {
                size_t at = n ? rnd() % (n + 1) : 0, len = 1 + rnd() % 8;
                if (len > max - n)
                    len = max - n;
                memmove(buf + at + len, buf + at, n - at);
                for (size_t i = 0; i < len; i++)
                    buf[at + i] = (uint8_t)rnd();
                n += len;
            }
            break;
        case 4: /* erase bytes */
            if (n) {
                size_t at = rnd() % n, len = 1 + rnd() % 8;
                if (len > n - at)
                    len = n - at;
                memmove(buf + at, buf + at + len, n - at - len);
                n -= len;
            }
            break;
        case 5: /* copy a chunk inside */
            if (n >= 2) {
                size_t from = rnd() % n, to = rnd() % n, len = 1 + rnd() % 16;
                if (len > n - from)
                    len = n - from;
                if (len > n - to)
                    len = n - to;
                memmove(buf + to, buf + from, len);
            }
            break;
        case 7: { /* a dictionary token, over the input's bytes or inserted */
            const blob *t = &dict[rnd() % num_dict];
            size_t at = n ? rnd() % (n + 1) : 0;
            if (t->n > max)
                break;
            if (rnd() & 1 && n + t->n <= max) {
                memmove(buf + at + t->n, buf + at, n - at);
                n += t->n;
            } else if (at + t->n > max) {
                at = max - t->n;
            }
            memcpy(buf + at, t->p, t->n);
            if (at + t->n > n)
                n = at + t->n;
            break;
        }
        default: /* splice: the tail of another input */
            if (num_inputs) {
                const blob *o = &inputs[rnd() % num_inputs];
                size_t at = n ? rnd() % n : 0, from = o->n ? rnd() % o->n : 0;
                size_t len = o->n - from;
                if (len > max - at)
                    len = max - at;
                memcpy(buf + at, o->p + from, len);
                if (at + len > n)
                    n = at + len;
            }
            break;
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    unsigned long long runs = 0, seed = 1, max_len = 4096;
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strncmp(a, "-runs=", 6))
            runs = strtoull(a + 6, NULL, 10);
        else if (!strncmp(a, "-seed=", 6))
            seed = strtoull(a + 6, NULL, 10);
        else if (!strncmp(a, "-max_len=", 9))
            max_len = strtoull(a + 9, NULL, 10);
        else if (!strncmp(a, "-dict=", 6))
            load_dict(a + 6);
        else if (a[0] == '-')
            continue; /* other libFuzzer flags mean nothing here */
        else {
            struct stat st;
            if (stat(a, &st) != 0) {
                fprintf(stderr, "fuzz driver: %s: no such file or folder\n", a);
                return 2;
            }
            if (S_ISDIR(st.st_mode))
                add_dir(a);
            else
                add_file(a);
        }
    }
    if (max_len == 0)
        max_len = 1;
    for (size_t i = 0; i < num_inputs; i++)
        LLVMFuzzerTestOneInput(inputs[i].p, inputs[i].n);
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    uint8_t *buf = malloc(max_len);
    if (!buf)
        return 2;
    const char *last = getenv("RPVP_FUZZ_LAST");
    for (unsigned long long r = 0; r < runs; r++) {
        size_t n = 0;
        if (num_inputs) {
            const blob *b = &inputs[rnd() % num_inputs];
            n = b->n < max_len ? b->n : max_len;
            memcpy(buf, b->p, n);
        }
        n = mutate(buf, n, max_len);
        /* A copy of exactly n bytes: ASan sees reads past the input's end. */
        uint8_t *in = malloc(n ? n : 1);
        if (!in)
            return 2;
        memcpy(in, buf, n);
        if (last) { /* RPVP_FUZZ_LAST: after an abort, the file holds the input that did it */
            FILE *lf = fopen(last, "wb");
            if (lf) {
                fwrite(in, 1, n, lf);
                fclose(lf);
            }
        }
        LLVMFuzzerTestOneInput(in, n);
        free(in);
    }
    printf("fuzz driver: %zu inputs replayed, %llu mutated inputs run (seed %llu): no finding\n",
           num_inputs, runs, seed);
    free(buf);
    return 0;
}
