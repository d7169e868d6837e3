/* Shared DDR backing store: a /dev/shm file mapped MAP_SHARED. */
#define _GNU_SOURCE
#include "rpvp/ddr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

struct rpvp_ddr {
    uint8_t *data;
    uint64_t size;
    int owner; /* created the file: removes it on destroy */
    char path[256];
};

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t n,
                                                          const char *fmt, ...)
{
    if (!err || !n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

rpvp_ddr *rpvp_ddr_create(const char *dir, const char *name, uint64_t size, char *err,
                          size_t errlen)
{
    if (!dir)
        dir = "/dev/shm";
    if (!name || !*name || strchr(name, '/')) {
        set_err(err, errlen, "DDR name '%s' is not a plain file name", name ? name : "");
        return NULL;
    }
    if (size == 0 || size > (uint64_t)SIZE_MAX / 2) {
        set_err(err, errlen, "DDR size %llu bytes is not usable", (unsigned long long)size);
        return NULL;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        set_err(err, errlen, "shared-memory directory %s is missing (%s): rpvp needs a tmpfs "
                "such as /dev/shm", dir, strerror(errno ? errno : ENOTDIR));
        return NULL;
    }
    struct statvfs vfs;
    if (statvfs(dir, &vfs) == 0) {
        uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
        if (size > avail) {
            set_err(err, errlen, "DDR of %llu MiB does not fit in %s (%llu MiB free)",
                    (unsigned long long)(size >> 20), dir, (unsigned long long)(avail >> 20));
            return NULL;
        }
    }
    rpvp_ddr *d = calloc(1, sizeof(*d));
    if (!d) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    if ((size_t)snprintf(d->path, sizeof(d->path), "%s/%s", dir, name) >= sizeof(d->path)) {
        set_err(err, errlen, "DDR path %s/%s is too long", dir, name);
        goto fail_free;
    }
    int fd = open(d->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            set_err(err, errlen, "DDR file %s already exists: another rpvp is using that "
                    "name, or a run crashed (remove the file or choose another name)", d->path);
        else
            set_err(err, errlen, "cannot create DDR file %s: %s", d->path, strerror(errno));
        goto fail_free;
    }
    /* Reserve the blocks now: a tmpfs that runs out later would SIGBUS the simulator. */
    int rc = posix_fallocate(fd, 0, (off_t)size);
    if (rc != 0) {
        set_err(err, errlen, "cannot reserve %llu MiB for %s: %s",
                (unsigned long long)(size >> 20), d->path, strerror(rc));
        goto fail_unlink;
    }
    d->data = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (d->data == MAP_FAILED) {
        set_err(err, errlen, "cannot map %s: %s", d->path, strerror(errno));
        goto fail_unlink;
    }
    close(fd);
    d->size = size;
    d->owner = 1;
    return d;

fail_unlink:
    close(fd);
    unlink(d->path);
fail_free:
    free(d);
    return NULL;
}

rpvp_ddr *rpvp_ddr_open(const char *path, char *err, size_t errlen)
{
    rpvp_ddr *d = calloc(1, sizeof(*d));
    if (!d) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(d->path, sizeof(d->path), "%s", path);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
        set_err(err, errlen, "cannot open DDR file %s: %s", path,
                fd < 0 ? strerror(errno) : "empty file");
        if (fd >= 0)
            close(fd);
        free(d);
        return NULL;
    }
    d->size = (uint64_t)st.st_size;
    d->data = mmap(NULL, (size_t)d->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (d->data == MAP_FAILED) {
        set_err(err, errlen, "cannot map %s: %s", path, strerror(errno));
        free(d);
        return NULL;
    }
    return d;
}

void rpvp_ddr_destroy(rpvp_ddr *d)
{
    if (!d)
        return;
    munmap(d->data, (size_t)d->size);
    if (d->owner)
        unlink(d->path);
    free(d);
}

uint8_t *rpvp_ddr_data(const rpvp_ddr *d) { return d->data; }
uint64_t rpvp_ddr_size(const rpvp_ddr *d) { return d->size; }
const char *rpvp_ddr_path(const rpvp_ddr *d) { return d->path; }

uint64_t rpvp_ddr_access_ps(const rpvp_ddr_timing *t, int is_write, uint64_t len)
{
    const uint64_t bw = t->beat_bytes ? t->beat_bytes : 1;
    const uint64_t beats = len ? (len + bw - 1) / bw : 1;
    return (is_write ? t->write_latency_ps : t->read_latency_ps) + (beats - 1) * t->per_beat_ps;
}
