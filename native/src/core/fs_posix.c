#include "core/fs.h"
#include "core/buf.h"
#include "core/error.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *fs_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    while (la > 1 && a[la - 1] == '/')
        la--;
    while (*b == '/')
        b++, lb--;
    char *p = malloc(la + 1 + lb + 1);
    if (!p) {
        berth_fail_oom();
        return NULL;
    }
    memcpy(p, a, la);
    p[la] = '/';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

int fs_mkdir_p(const char *path, int mode)
{
    char *p = strdup(path);
    if (!p)
        return berth_fail_oom();
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char saved = *s;
            *s = '\0';
            if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
                rc = berth_fail_errno(BERTH_ERROR, errno, "create directory %s", p);
                break;
            }
            *s = saved;
            if (saved == '\0')
                break;
        }
    }
    free(p);
    return rc;
}

int fs_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int64_t fs_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    return (int64_t)st.st_size;
}

int fs_fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return berth_fail_errno(BERTH_ERROR, errno, "open %s for fsync", path);
    int rc = 0;
    if (fsync(fd) != 0 && errno != EINVAL)
        rc = berth_fail_errno(BERTH_ERROR, errno, "fsync %s", path);
    close(fd);
    return rc;
}

int fs_fsync_dir_of(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return berth_fail_oom();
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    int rc = fs_fsync_path(dir);
    free(dir);
    return rc;
}

int fs_rename_durable(const char *from, const char *to)
{
    if (rename(from, to) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "rename %s to %s", from, to);
    return fs_fsync_dir_of(to);
}

int fs_write_atomic(const char *path, const void *data, size_t len, int mode)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 32);
    if (!tmp)
        return berth_fail_oom();
    snprintf(tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
    int rc = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "create %s", tmp);
        goto out;
    }
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            rc = berth_fail_errno(BERTH_ERROR, errno, "write %s", tmp);
            break;
        }
        p += w;
        len -= (size_t)w;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = berth_fail_errno(BERTH_ERROR, errno, "fsync %s", tmp);
    close(fd);
    if (rc == 0)
        rc = fs_rename_durable(tmp, path);
    if (rc != 0)
        unlink(tmp);
out:
    free(tmp);
    return rc;
}

int fs_read_file(char **out, size_t *len_out, const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return berth_fail_errno(errno == ENOENT ? BERTH_ENOTFOUND : BERTH_ERROR, errno, "read %s", path);
    berth_buf b = BERTH_BUF_INIT(max);
    char chunk[1 << 14];
    int rc = 0;
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = berth_fail_errno(BERTH_ERROR, errno, "read %s", path);
            break;
        }
        if (r == 0 || (rc = fs_read_append(&b, chunk, (size_t)r, path)) != 0)
            break;
    }
    if (rc == 0)
        rc = fs_read_finish(out, len_out, &b);
    buf_free(&b);
    close(fd);
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    if (remove(path) != 0 && errno != ENOENT)
        return errno;
    return 0;
}

int fs_remove_tree(const char *path)
{
    if (!fs_exists(path))
        return 0;
    int err = nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
    if (err != 0)
        return berth_fail_errno(BERTH_ERROR, err > 0 ? err : errno, "remove %s", path);
    return 0;
}
