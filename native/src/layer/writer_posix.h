/* Internals of the POSIX layer writer, shared by writer_posix.c (entries, metadata) and
 * walk_posix.c (walking below the root without following, removing, the set of written paths). */
#ifndef BERTH_LAYER_WRITER_POSIX_H
#define BERTH_LAYER_WRITER_POSIX_H
#include "layer/writer.h"
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define STACK_MAX 64        /* cached open directories along the current path */
#define REMOVE_DEPTH_MAX 512

typedef struct {
    char *path;             /* cleaned, "" = root */
    struct timespec ts[2];  /* atime, mtime */
    int mode;               /* final mode when extraction needed more (not root), else -1 */
} deferred_dir;

struct layer_writer {
    int root_fd;
    writer_mode mode;
    int as_root;            /* chown only when we can */
    /* Directories along the last walked path: names[i] is component i, fds[i] its descriptor.
     * Tar entries come mostly depth first, so most walks reuse a prefix. */
    char *names[STACK_MAX];
    int fds[STACK_MAX];
    size_t depth;
    deferred_dir *dirs;
    size_t n_dirs, cap_dirs;
    /* Apply mode: hashes of every path this layer wrote (and their parents), so an opaque
     * marker or whiteout removes only what lower layers left. */
    uint64_t *set;
    size_t set_n, set_cap;
    int *lowers;            /* overlay mode: lower layer folders, nearest first */
    size_t n_lowers;
};

/* The set of paths this layer wrote (apply mode): add path and its parents; membership. */
int set_add_path(layer_writer *w, const char *path);
int set_has(const layer_writer *w, const char *path);

/* Closes the cached directories deeper than depth. */
void stack_pop_to(layer_writer *w, size_t depth);
/* Walks directory dir ("" = root) with no-follow opens, reusing the cache. *fd_out is borrowed
 * unless *owned. create: make missing directories (0755, or inherited from lower layers).
 * Returns 0, 1 when missing (!create), or an error (BERTH_EUNSAFE for a symlink on the way). */
int walk(layer_writer *w, const char *dir, int create, int *fd_out, int *owned);
/* The same without the cache; *fd_out is always the caller's. */
int open_path_dir(layer_writer *w, const char *dir, int *fd_out);

/* Removes name below parent without following anything (a tree, depth-limited). */
int remove_at(int parent, const char *name, const char *shown, int depth);
/* Apply mode's opaque marker: removes what this layer did not write below path (len bytes;
 * path has room for LAYER_PATH_MAX). */
int empty_except_written(layer_writer *w, int fd, char *path, size_t len, int depth);

/* Records times to set on directory path (len bytes) once every entry is written. */
int defer_times(layer_writer *w, const char *path, size_t len, const struct timespec ts[2]);

#endif
