/* File-system facts garbage collection needs: the size of a tree and a file's age.
 * gc_posix.c / gc_win32.c; only Berth's json-free headers here. */
#ifndef BERTH_GC_FS_H
#define BERTH_GC_FS_H
#include <stdint.h>

/* Apparent size of a tree (regular files), without following links. */
int64_t gc_tree_bytes(const char *path);
/* Modification time of path (seconds since the epoch), or -1. */
int64_t gc_mtime(const char *path);

#endif
