/* Per-run initramfs additions: a newc cpio archive appended to the cached initrd
 * (guest_cpio.h). Format: "070701" + 13 eight-digit hex fields, the NUL-terminated name,
 * padding to 4 bytes, the data, padding to 4 bytes; "TRAILER!!!" ends the archive. */
#define _POSIX_C_SOURCE 200809L
#include "guest_cpio.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CPIO_S_IFDIR 0040000u
#define CPIO_S_IFREG 0100000u
#define CPIO_NAME_MAX 4096u

struct rpvp_cpio {
    FILE *f;
    char *path;
    uint64_t off; /* bytes written so far (base included): the padding reference */
    uint32_t ino;
    char **dirs;  /* directories written by this archive (for implicit parents) */
    size_t ndirs;
    char err[512];
};

static int fail(rpvp_cpio *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(rpvp_cpio *w, const char *fmt, ...)
{
    if (w->err[0])
        return -1; /* keep the first reason */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof(w->err), fmt, ap);
    va_end(ap);
    return -1;
}

static int put(rpvp_cpio *w, const void *data, size_t len)
{
    if (len && fwrite(data, 1, len, w->f) != len)
        return fail(w, "writing %s: %s", w->path, strerror(errno));
    w->off += len;
    return 0;
}

static int pad4(rpvp_cpio *w)
{
    static const char zero[4];
    return put(w, zero, (size_t)((4 - (w->off & 3)) & 3));
}

rpvp_cpio *rpvp_cpio_create(const char *out, const char *base, char *err, size_t err_size)
{
    rpvp_cpio *w = calloc(1, sizeof(*w));
    if (!w || !(w->path = strdup(out))) {
        free(w);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    w->f = fopen(out, "wb");
    if (!w->f) {
        snprintf(err, err_size, "cannot create %s: %s", out, strerror(errno));
        free(w->path);
        free(w);
        return NULL;
    }
    if (base && *base) {
        FILE *b = fopen(base, "rb");
        if (!b)
            fail(w, "cannot read the base initramfs %s: %s", base, strerror(errno));
        char buf[1 << 16];
        size_t n;
        while (b && !w->err[0] && (n = fread(buf, 1, sizeof(buf), b)) > 0)
            put(w, buf, n);
        if (b && ferror(b))
            fail(w, "reading %s: %s", base, strerror(errno));
        if (b)
            fclose(b);
    }
    pad4(w);
    if (w->err[0]) {
        rpvp_cpio_close(w, err, err_size);
        return NULL;
    }
    return w;
}

const char *rpvp_cpio_error(const rpvp_cpio *w)
{
    return w->err;
}

/* "/a//b/" -> "a/b"; fails on "", "." or ".." components (they would escape /). */
static int clean_name(rpvp_cpio *w, const char *in, char *out)
{
    size_t o = 0;
    const char *p = in;
    while (*p) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t n = (size_t)(e - p);
        if (n == 0)
            break;
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return fail(w, "guest path %s: '.' and '..' are not allowed", in);
        if (o + n + 2 > CPIO_NAME_MAX)
            return fail(w, "guest path %s: too long", in);
        if (o)
            out[o++] = '/';
        memcpy(out + o, p, n);
        o += n;
        p = e;
    }
    out[o] = '\0';
    if (o == 0)
        return fail(w, "guest path '%s' names no file", in);
    return 0;
}

static int header(rpvp_cpio *w, const char *name, uint32_t mode, uint64_t size)
{
    if (size > 0xffffffffu)
        return fail(w, "%s: %llu bytes is beyond newc's 4 GiB", name, (unsigned long long)size);
    char h[111];
    size_t namesize = strlen(name) + 1;
    snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             ++w->ino, mode, 0u, 0u, (mode & CPIO_S_IFDIR) ? 2u : 1u, 0u, (uint32_t)size, 0u,
             0u, 0u, 0u, (uint32_t)namesize, 0u);
    if (put(w, h, 110) || put(w, name, namesize) || pad4(w))
        return -1;
    return 0;
}

static int have_dir(const rpvp_cpio *w, const char *name)
{
    for (size_t i = 0; i < w->ndirs; i++)
        if (!strcmp(w->dirs[i], name))
            return 1;
    return 0;
}

static int dir_entry(rpvp_cpio *w, const char *name, unsigned mode)
{
    if (have_dir(w, name))
        return 0;
    char **d = realloc(w->dirs, (w->ndirs + 1) * sizeof(*d));
    if (!d)
        return fail(w, "out of memory");
    w->dirs = d;
    if (!(w->dirs[w->ndirs] = strdup(name)))
        return fail(w, "out of memory");
    w->ndirs++;
    return header(w, name, CPIO_S_IFDIR | (mode & 07777u), 0);
}

/* Directory entries for every parent of `name` not written yet. */
static int parents(rpvp_cpio *w, const char *name)
{
    char buf[CPIO_NAME_MAX];
    strcpy(buf, name);
    for (char *s = strchr(buf, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        int rc = dir_entry(w, buf, 0755);
        *s = '/';
        if (rc)
            return -1;
    }
    return 0;
}

int rpvp_cpio_add_dir(rpvp_cpio *w, const char *name, unsigned mode)
{
    char n[CPIO_NAME_MAX];
    if (w->err[0] || clean_name(w, name, n) || parents(w, n))
        return -1;
    return dir_entry(w, n, mode);
}

int rpvp_cpio_add_file(rpvp_cpio *w, const char *name, unsigned mode, const void *data,
                       size_t len)
{
    char n[CPIO_NAME_MAX];
    if (w->err[0] || clean_name(w, name, n) || parents(w, n))
        return -1;
    if (have_dir(w, n))
        return fail(w, "guest path %s is already a directory of this archive", n);
    if (header(w, n, CPIO_S_IFREG | (mode & 07777u), len) || put(w, data, len))
        return -1;
    return pad4(w);
}

int rpvp_cpio_add_host_file(rpvp_cpio *w, const char *name, unsigned mode, const char *src)
{
    if (w->err[0])
        return -1;
    FILE *f = fopen(src, "rb");
    if (!f)
        return fail(w, "cannot read %s: %s", src, strerror(errno));
    struct stat st;
    void *data = NULL;
    size_t len = 0;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
        fail(w, "%s is not a regular file", src);
    else if (st.st_size > 0xffffffffLL)
        fail(w, "%s: %lld bytes is beyond newc's 4 GiB", src, (long long)st.st_size);
    else {
        len = (size_t)st.st_size;
        data = malloc(len ? len : 1);
        if (!data)
            fail(w, "out of memory");
        else if (len && fread(data, 1, len, f) != len)
            fail(w, "reading %s: %s", src, ferror(f) ? strerror(errno) : "file shrank");
    }
    fclose(f);
    int rc = w->err[0] ? -1 : rpvp_cpio_add_file(w, name, mode, data, len);
    free(data);
    return rc;
}

int rpvp_cpio_close(rpvp_cpio *w, char *err, size_t err_size)
{
    if (!w->err[0])
        header(w, "TRAILER!!!", 0, 0);
    if (fclose(w->f) != 0)
        fail(w, "closing %s: %s", w->path, strerror(errno));
    int rc = 0;
    if (w->err[0]) {
        remove(w->path);
        if (err)
            snprintf(err, err_size, "%s", w->err);
        rc = -1;
    }
    for (size_t i = 0; i < w->ndirs; i++)
        free(w->dirs[i]);
    free(w->dirs);
    free(w->path);
    free(w);
    return rc;
}
