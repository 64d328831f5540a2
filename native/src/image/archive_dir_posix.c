/* OCI layout directories on POSIX: openat one component at a time with O_NOFOLLOW. */
#include "image/archive_dir.h"
#include "core/error.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_MAX_LEN 4096

struct archive_dir {
    int fd;
    char *path;
};

struct archive_dir_file {
    int fd;
};

int archive_dir_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int archive_dir_open(archive_dir **out, const char *path)
{
    *out = NULL;
    archive_dir *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        return berth_fail_oom();
    }
    if ((d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        int rc = berth_fail_errno(BERTH_ERROR, errno, "open directory %s", path);
        free(d->path);
        free(d);
        return rc;
    }
    *out = d;
    return 0;
}

void archive_dir_close(archive_dir *d)
{
    if (!d)
        return;
    close(d->fd);
    free(d->path);
    free(d);
}

int archive_dir_file_open(archive_dir_file **out, archive_dir *d, const char *rel, int64_t *size_out)
{
    *out = NULL;
    int dfd = dup(d->fd);
    const char *p = rel;
    if (dfd < 0)
        return berth_fail_errno(BERTH_ERROR, errno, "open %s", d->path);
    for (;;) {
        size_t c = strcspn(p, "/");
        char part[NAME_MAX_LEN + 1];
        if (c > NAME_MAX_LEN) {
            close(dfd);
            return berth_fail(BERTH_EUNSAFE, "%s/%s: a name part is too long", d->path, rel);
        }
        memcpy(part, p, c);
        part[c] = '\0';
        int last = p[c] == '\0';
        int fd = openat(dfd, part, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? 0 : O_DIRECTORY));
        int e = errno;
        close(dfd);
        if (fd < 0) {
            if (e == ENOENT)
                return berth_fail(BERTH_ENOTFOUND, "%s/%s does not exist", d->path, rel);
            return berth_fail_errno(e == ELOOP || e == ENOTDIR ? BERTH_EUNSAFE : BERTH_ERROR, e,
                                    "open %s/%s (symbolic links are not followed)", d->path, rel);
        }
        if (!last) {
            dfd = fd;
            p += c + 1;
            continue;
        }
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            return berth_fail(BERTH_EUNSAFE, "%s/%s is not a regular file", d->path, rel);
        }
        archive_dir_file *f = malloc(sizeof *f);
        if (!f) {
            close(fd);
            return berth_fail_oom();
        }
        f->fd = fd;
        if (size_out)
            *size_out = (int64_t)st.st_size;
        *out = f;
        return 0;
    }
}

int archive_dir_file_read(archive_dir_file *f, void *buf, size_t len, size_t *got)
{
    for (;;) {
        ssize_t n = read(f->fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berth_fail_errno(BERTH_ERROR, errno, "read a layout file");
        *got = (size_t)n;
        return 0;
    }
}

void archive_dir_file_close(archive_dir_file *f)
{
    if (!f)
        return;
    close(f->fd);
    free(f);
}
