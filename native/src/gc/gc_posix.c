/* POSIX pieces of garbage collection: tree sizes and modification times. */
#define _XOPEN_SOURCE 700
#include "gc/gc_fs.h"
#include <ftw.h>
#include <sys/stat.h>

static _Thread_local int64_t tree_total;  /* nftw offers no payload; per thread, per call */

static int add_size(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)path;
    (void)f;
    if (flag == FTW_F && S_ISREG(st->st_mode))
        tree_total += st->st_size;
    return 0;
}

int64_t gc_tree_bytes(const char *path)
{
    tree_total = 0;
    nftw(path, add_size, 32, FTW_PHYS);
    return tree_total;
}

int64_t gc_mtime(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? (int64_t)st.st_mtime : -1;
}
