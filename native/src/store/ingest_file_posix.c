/* POSIX ingest files: open + flock(LOCK_EX | LOCK_NB). flock (not fcntl) because fcntl locks
 * belong to the process, so a second handle in the same process would not be refused. */
#include "store/ingest_file.h"
#include "core/error.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct ingest_file {
    int fd;
    char *path;
};

int ingest_file_open(ingest_file **out, const char *path)
{
    *out = NULL;
    /* A committing writer renames the file away while holding its lock; a file we opened just
     * before that is no longer the one at path, so check after locking and retry once or twice. */
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
            return berth_fail_errno(BERTH_ERROR, errno, "open ingest file %s", path);
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e == EWOULDBLOCK)
                return berth_fail(BERTH_EBUSY, "ingest file %s is locked: another pull is writing this blob right now; "
                                  "wait for it to finish (the blob will then be present) or retry", path);
            return berth_fail_errno(BERTH_ERROR, e, "lock ingest file %s", path);
        }
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            ingest_file *f = calloc(1, sizeof *f);
            if (!f || !(f->path = strdup(path))) {
                free(f);
                close(fd);
                return berth_fail_oom();
            }
            f->fd = fd;
            *out = f;
            return 0;
        }
        close(fd);
    }
    return berth_fail(BERTH_EBUSY, "ingest file %s keeps being replaced by another process; retry", path);
}

int ingest_file_create_temp(ingest_file **out, const char *dir)
{
    *out = NULL;
    ingest_file *f = calloc(1, sizeof *f);
    size_t n = strlen(dir) + sizeof "/put-XXXXXX";
    if (!f || !(f->path = malloc(n))) {
        free(f);
        return berth_fail_oom();
    }
    snprintf(f->path, n, "%s/put-XXXXXX", dir);
    if ((f->fd = mkostemp(f->path, O_CLOEXEC)) < 0) {
        int rc = berth_fail_errno(BERTH_ERROR, errno, "create a temporary file in %s", dir);
        free(f->path);
        free(f);
        return rc;
    }
    *out = f;
    return 0;
}

const char *ingest_file_path(const ingest_file *f) { return f->path; }

void ingest_file_remove(ingest_file *f)
{
    if (!f)
        return;
    unlink(f->path);   /* while locked: nobody can have opened and locked the name meanwhile */
    ingest_file_close(f);
}

int ingest_file_read(ingest_file *f, void *buf, size_t len, size_t *got)
{
    for (;;) {
        ssize_t r = read(f->fd, buf, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return berth_fail_errno(BERTH_ERROR, errno, "read ingest file %s", f->path);
        *got = (size_t)r;
        return 0;
    }
}

int ingest_file_write(ingest_file *f, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(f->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return berth_fail_errno(BERTH_ERROR, errno, "write ingest file %s", f->path);
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int ingest_file_truncate(ingest_file *f)
{
    if (ftruncate(f->fd, 0) != 0 || lseek(f->fd, 0, SEEK_SET) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "truncate ingest file %s", f->path);
    return 0;
}

int ingest_file_sync(ingest_file *f)
{
    if (fsync(f->fd) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "fsync ingest file %s", f->path);
    return 0;
}

int64_t ingest_file_size(ingest_file *f)
{
    struct stat st;
    return fstat(f->fd, &st) == 0 ? (int64_t)st.st_size : -1;
}

void ingest_file_close(ingest_file *f)
{
    if (!f)
        return;
    close(f->fd); /* closing the last descriptor releases the flock */
    free(f->path);
    free(f);
}
