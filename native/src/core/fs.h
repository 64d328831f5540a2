/* File-system helpers with crash-safe semantics: a file that others may read is written to a
 * temporary name, fsynced, renamed over its final name, and the directory fsynced — so after a
 * crash a reader sees the old file or the new one, never a torn one.
 * POSIX implementation in fs_posix.c; Windows in fs_win32.c. */
#ifndef BERTH_CORE_FS_H
#define BERTH_CORE_FS_H
#include "core/buf.h"
#include <stddef.h>
#include <stdint.h>

/* malloc'ed "a/b" (one separator between the parts). NULL on OOM (message set). */
char *fs_join(const char *a, const char *b);
int fs_mkdir_p(const char *path, int mode);
int fs_exists(const char *path);
/* Size of a regular file, or -1 when it does not exist. */
int64_t fs_size(const char *path);
/* Writes data to path atomically (tmp + fsync + rename + fsync dir). */
int fs_write_atomic(const char *path, const void *data, size_t len, int mode);
/* Reads a whole file of at most max bytes into a NUL-terminated malloc'ed buffer. */
int fs_read_file(char **out, size_t *len_out, const char *path, size_t max);
/* fs_read.c, shared by the platform fs_read_file: append a chunk (BERTH_EINVAL past max, naming
 * path), then hand the NUL-terminated result over. */
int fs_read_append(berth_buf *b, const void *chunk, size_t n, const char *path);
int fs_read_finish(char **out, size_t *len_out, berth_buf *b);

int fs_fsync_path(const char *path);
int fs_fsync_dir_of(const char *path);
/* rename + fsync of the destination's directory. */
int fs_rename_durable(const char *from, const char *to);
/* Removes a tree without following symlinks; a missing path is success. */
int fs_remove_tree(const char *path);

#endif
