/*
 * Per-run additions to the cached Linux guest's initramfs, without rebuilding it.
 *
 * Linux unpacks every archive of a concatenation it is given as initrd (compressed or
 * not; init/initramfs.c), later entries over earlier ones. rpvp therefore copies the
 * cached initrd.cpio.gz to a per-run file, pads it with zeros to a 4-byte boundary (an
 * uncompressed archive must start 4-aligned there) and appends one uncompressed
 * "newc" cpio archive (SVR4, no CRC) holding the run's files: the firmware the
 * remoteproc route loads from /lib/firmware, a user's --guest-overlay.
 *
 * The archive is reproducible: owner 0:0, mtime 0, inode numbers counted from 1.
 * Parent directories a file needs are written before it (mode 0755) unless the caller
 * added them; a directory that already exists in the base image keeps its contents.
 * Names are relative to / ("lib/firmware/x"; a leading '/' is dropped). Errors: every
 * call returns 0 or -1 with a sentence in the writer's error buffer (rpvp_cpio_error);
 * after an error further calls fail, and close removes the half-written file.
 */
#ifndef RPVP_GUEST_CPIO_H
#define RPVP_GUEST_CPIO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rpvp_cpio rpvp_cpio;

/* Create `out` (truncating it), holding a copy of `base` (NULL or "": an archive on its
 * own) padded to 4 bytes. NULL with the reason in err[0..err_size) on failure. */
rpvp_cpio *rpvp_cpio_create(const char *out, const char *base, char *err, size_t err_size);

/* A directory entry (mode: permission bits, e.g. 0755). */
int rpvp_cpio_add_dir(rpvp_cpio *w, const char *name, unsigned mode);
/* A regular file with the given contents (mode: permission bits, e.g. 0644). */
int rpvp_cpio_add_file(rpvp_cpio *w, const char *name, unsigned mode, const void *data,
                       size_t len);
/* A regular file copied from the host file `src`. */
int rpvp_cpio_add_host_file(rpvp_cpio *w, const char *name, unsigned mode, const char *src);

/* The reason of the last failure ("" if none). */
const char *rpvp_cpio_error(const rpvp_cpio *w);

/* Write the trailer, close and free. Returns 0, or -1 (the file is then removed and the
 * reason copied to err). Always frees w. */
int rpvp_cpio_close(rpvp_cpio *w, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif
#endif
